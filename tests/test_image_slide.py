"""Image slides: a picture of the user's, fitted to the body, confined to the project."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli, slide_notes, slide_title
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from studydeck.layout import geometry as g

CHAPTER = """\
id: gamma
title: 그림 챕터
minutes: 5
slides:
  - type: image
    title: 사진
    image: {image}
    caption: 서울 리전의 구성
    alt: 두 가용 영역에 걸친 웹 서버
"""


def add_image_chapter(project: Path, image: str) -> Path:
    """Add chapters/gamma.yaml with one image slide naming `image`; give the chapter file."""
    chapter = project / "chapters" / "gamma.yaml"
    chapter.write_text(CHAPTER.format(image=image), encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - gamma.yaml\n", encoding="utf-8")
    return chapter


def write_picture(path: Path, size: tuple[int, int] = (800, 400)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (30, 120, 200)).save(path)


def test_image_slide_shows_the_picture_fitted_with_alt_text(mini_copy: Path) -> None:
    write_picture(mini_copy / "images" / "region.png")
    add_image_chapter(mini_copy, "images/region.png")

    result = run_cli("build", "--project", mini_copy)

    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    slide = next(s for s in prs.slides if slide_title(s) == "사진")
    pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == 1
    picture = pictures[0]
    assert picture.width / picture.height == pytest.approx(2.0, rel=0.01)
    assert g.BODY.left <= picture.left and picture.left + picture.width <= g.BODY.right
    assert g.BODY.top <= picture.top and picture.top + picture.height <= g.BODY.bottom
    assert picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == (
        "두 가용 영역에 걸친 웹 서버")
    texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
    assert "서울 리전의 구성" in texts
    assert slide_notes(slide).strip() == "사진: 서울 리전의 구성."


def outside_file(project: Path) -> str:
    write_picture(project.parent / "outside.png")
    return "../outside.png"


def absolute_outside(project: Path) -> str:
    write_picture(project.parent / "absolute.png")
    return str((project.parent / "absolute.png").resolve())


def not_a_picture(project: Path) -> str:
    (project / "images").mkdir()
    (project / "images" / "fake.png").write_text("not a png", encoding="utf-8")
    return "images/fake.png"


def svg_file(project: Path) -> str:
    (project / "images").mkdir()
    (project / "images" / "plan.svg").write_text("<svg/>", encoding="utf-8")
    return "images/plan.svg"


@pytest.mark.parametrize(("make_entry", "message"), [
    (outside_file, "image '../outside.png' lies outside the project"),
    (absolute_outside, "lies outside the project"),
    (lambda project: "images/missing.png", "image 'images/missing.png' does not exist"),
    (not_a_picture, "image 'images/fake.png' cannot be read as a picture"),
    (svg_file, "image 'images/plan.svg' is not a PNG, JPEG or GIF file"),
])
def test_bad_image_paths_are_reported_at_their_line(
    mini_copy: Path, make_entry: object, message: str
) -> None:
    assert callable(make_entry)
    add_image_chapter(mini_copy, make_entry(mini_copy))

    result = run_cli("build", "--project", mini_copy)

    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert "gamma.yaml:7:12: error: " in result.stderr
    assert message in result.stderr
    assert not (mini_copy / "output" / "deck.pptx").exists()
