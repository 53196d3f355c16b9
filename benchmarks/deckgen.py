"""Generated benchmark decks: N slides with notes and N/10 distinct pictures, also as Markdown.

The same text, pictures and notes are written twice: as a studydeck project (deck.yaml,
chapters/, images/) and as one Pandoc Markdown file, so both tools convert the same content.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from PIL import Image, ImageDraw

SLIDES_PER_CHAPTER = 100
PICTURE_SIZE = (960, 540)


@dataclass(frozen=True)
class GeneratedSlide:
    title: str
    notes: str
    bullets: tuple[str, ...] = ()
    image: str | None = None
    caption: str = ""


def write_project(root: Path, slide_count: int) -> Path:
    """Write a deck project of `slide_count` content slides under `root`; give its folder."""
    root.mkdir(parents=True, exist_ok=True)
    pictures = _write_pictures(root / "images", max(1, slide_count // 10))
    chapters = _chapters(slide_count, pictures)
    names = []
    for number, (title, slides) in enumerate(chapters, start=1):
        name = f"ch{number:03d}.yaml"
        names.append(name)
        _dump(root / "chapters" / name, _chapter_data(number, title, slides))
    _dump(root / "deck.yaml", {"title": "벤치마크 덱", "subtitle": f"{slide_count} slides",
                               "author": "studydeck bench", "language": "ko",
                               "chapters": names})
    (root / "deck.md").write_text(_markdown(chapters), encoding="utf-8")
    return root


def _chapters(slide_count: int,
              pictures: list[str]) -> list[tuple[str, list[GeneratedSlide]]]:
    slides = [_slide(index, pictures) for index in range(slide_count)]
    return [
        (f"{start // SLIDES_PER_CHAPTER + 1}장: 확장성 연습",
         slides[start:start + SLIDES_PER_CHAPTER])
        for start in range(0, slide_count, SLIDES_PER_CHAPTER)
    ]


def _slide(index: int, pictures: list[str]) -> GeneratedSlide:
    notes = (f"{index + 1}번 슬라이드의 발표자 노트입니다. 핵심을 먼저 말하고, "
             "예시를 하나 든 다음 질문을 받습니다.")
    if index % 2:
        picture = pictures[(index // 2) % len(pictures)]
        return GeneratedSlide(f"그림 {index + 1}", notes, image=picture,
                              caption=f"그림 {index + 1}: 구성 요소의 흐름")
    bullets = tuple(f"{index + 1}-{point}번 요점: 트래픽이 늘면 계층을 나누어 확장한다"
                    for point in range(1, 5))
    return GeneratedSlide(f"요점 {index + 1}", notes, bullets=bullets)


def _chapter_data(number: int, title: str, slides: list[GeneratedSlide]) -> dict[str, object]:
    return {
        "id": f"ch{number:03d}",
        "title": title,
        "minutes": 10,
        "slides": [_slide_data(slide) for slide in slides],
    }


def _slide_data(slide: GeneratedSlide) -> dict[str, object]:
    if slide.image is not None:
        return {"type": "image", "title": slide.title, "image": slide.image,
                "caption": slide.caption, "notes": slide.notes}
    return {"type": "bullets", "title": slide.title, "bullets": list(slide.bullets),
            "notes": slide.notes}


def _markdown(chapters: list[tuple[str, list[GeneratedSlide]]]) -> str:
    """Give the deck as Pandoc Markdown: `#` chapters, `##` slides, `::: notes` notes."""
    lines = ["---", "title: 벤치마크 덱", "author: studydeck bench", "lang: ko", "---", ""]
    for title, slides in chapters:
        lines += [f"# {title}", ""]
        for slide in slides:
            lines += [f"## {slide.title}", ""]
            if slide.image is not None:
                lines += [f"![{slide.caption}]({slide.image})", ""]
            lines += [f"- {bullet}" for bullet in slide.bullets]
            lines += ["", "::: notes", slide.notes, ":::", ""]
    return "\n".join(lines)


def _write_pictures(folder: Path, count: int) -> list[str]:
    """Draw `count` distinct PNG pictures (deterministic); give their project-relative paths."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for number in range(1, count + 1):
        picture = Image.new("RGB", PICTURE_SIZE, (40 + number % 200, 90, 160))
        draw = ImageDraw.Draw(picture)
        for box in range(number % 7 + 3):
            left = 60 + box * 110
            draw.rectangle((left, 200, left + 80, 340), fill=(240, 240 - box * 20, 200))
        draw.text((40, 40), f"picture {number}", fill=(255, 255, 255))
        path = folder / f"picture-{number:03d}.png"
        picture.save(path, optimize=False)
        names.append(f"images/{path.name}")
    return names


def _dump(path: Path, data: object) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
