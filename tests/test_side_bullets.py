"""A diagram or picture with its points beside it: the picture larger, both fitted, revealable."""

from __future__ import annotations

from pathlib import Path

from conftest import run_cli, slide_notes, slide_title
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from test_image_slide import write_picture

from studydeck.layout import geometry as g

P = "{http://schemas.openxmlformats.org/presentationml/2006/main}"
CHAPTER = """\
id: side
title: 옆 요점
minutes: 5
slides:
  - type: diagram
    title: 흐름과 요점
    diagram: flow
    reveal: true
    bullets:
      - "**첫째** 요점"
      - 둘째 요점: [하위 요점]
      - 셋째 요점
  - type: image
    title: 사진과 요점
    image: images/region.png
    caption: 두 가용 영역
    alt: "**두** 가용 영역에 걸친 `web` 서버"
    bullets: [가용 영역 두 곳, 로드 밸런서가 나눈다]
"""


def _add(project: Path, text: str = CHAPTER) -> Path:
    write_picture(project / "images" / "region.png", (600, 600))
    path = project / "chapters" / "side.yaml"
    path.write_text(text, encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - side.yaml\n", encoding="utf-8")
    return path


def test_picture_takes_the_larger_side_and_bullets_reveal(mini_copy: Path) -> None:
    _add(mini_copy)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    for title, first, clicks in (("흐름과 요점", "첫째", 3), ("사진과 요점", "가용 영역 두 곳", 0)):
        slide = next(s for s in prs.slides if slide_title(s) == title)
        picture = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
        text = next(s for s in slide.shapes
                    if s.has_text_frame and s.text_frame.text.startswith(first))
        picture_area, bullets_area = g.picture_beside_bullets(g.caption_split(True)[0]
                                                              if title == "사진과 요점" else g.BODY)
        assert picture_area.width > bullets_area.width
        assert picture.left + picture.width <= text.left  # side by side, never overlapping
        assert text.left + text.width <= g.BODY.right
        starts = slide._element.findall(f".//{P}cond[@delay='indefinite']")
        assert len(starts) == clicks
    notes = slide_notes(next(s for s in prs.slides if slide_title(s) == "흐름과 요점"))
    assert "- 첫째 요점" in notes and "**" not in notes  # notes are plain text
    image = next(s for s in prs.slides if slide_title(s) == "사진과 요점")
    picture = next(s for s in image.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE)
    assert picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].get("descr") == (
        "두 가용 영역에 걸친 web 서버")


def test_bullets_beside_a_walkthrough_are_an_error(mini_copy: Path) -> None:
    _add(mini_copy, CHAPTER.replace("    reveal: true\n", "    walkthrough: true\n"))
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 1
    assert "side.yaml:10:" in result.output and "not bullets" in result.output


def test_too_many_bullets_beside_a_picture_are_a_warning(mini_copy: Path) -> None:
    many = "".join(f"      - 아주 긴 요점 문장이 여기 {n}번째로 들어갑니다\n" for n in range(30))
    text = CHAPTER.replace('''      - "**첫째** 요점"\n''', many)
    _add(mini_copy, text)
    result = run_cli("validate", "--project", mini_copy)
    assert result.exit_code == 0  # written at the floor: layout trouble never stops a build
    assert ": warning: " in result.stderr and "the bullets beside the picture" in result.output
