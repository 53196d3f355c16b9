"""Which text frames of a slide do not fit even at their smallest size (nothing is written)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from studydeck.layout import geometry as g
from studydeck.layout.fit import (
    BODY_FLOOR,
    TITLE_FLOOR,
    bullet_measures,
    frame_size,
    quiz_layout,
)
from studydeck.layout.text import Paragraph
from studydeck.model import (
    AnySlide,
    BulletLine,
    DiagramSlide,
    ImageSlide,
    QuizSlide,
    TwoColumnSlide,
)

Location = tuple[str | int, ...]
CAPTION_SIZE = 20
SUBTITLE_SIZES = (28, 18)  # the title slide's subtitle: largest and smallest
BYLINE_SIZES = (20, 14)  # … and its author and date


@dataclass(frozen=True)
class Overflow:
    """A frame whose text does not fit even at its floor: where it comes from, and what it is."""

    location: Location  # inside the slide's (or chapter's) YAML
    what: str
    hint: str = "shorten the text, or split it over more slides in the chapter file"


@dataclass(frozen=True)
class Sizes:
    """The deck's text sizes frames start from."""

    body: float
    title: float


def title_fits(text: str, sizes: Sizes) -> bool:
    """Tell whether a content slide's title fits its box at the title floor."""
    return frame_size([Paragraph(text, bold=True)], g.TITLE, sizes.title, TITLE_FLOOR) is not None


def hero_fits(text: str, box: g.Box, sizes: Sizes) -> bool:
    """Tell whether the big title of the title slide or a section slide fits `box`."""
    return frame_size([Paragraph(text, bold=True)], box, sizes.title + 8,
                      sizes.title - 4) is not None


def title_slide_fits(subtitle: str, byline: str) -> bool:
    """Tell whether the title slide's subtitle and byline fit their boxes."""
    return (frame_size([Paragraph(subtitle)], g.TITLE_SLIDE_SUBTITLE, *SUBTITLE_SIZES) is not None
            and frame_size([Paragraph(byline)], g.TITLE_SLIDE_BYLINE, *BYLINE_SIZES) is not None)


def objectives_fit(heading: str, objectives: Sequence[str], sizes: Sizes) -> bool:
    """Tell whether a section slide's objectives fit below its title."""
    paragraphs = [Paragraph(heading, bold=True),
                  *bullet_measures([BulletLine(text=text) for text in objectives])]
    return frame_size(paragraphs, g.SECTION_OBJECTIVES, sizes.body, BODY_FLOOR) is not None


def quiz_paragraphs(slide: QuizSlide, explanation: str) -> tuple[
        Paragraph, list[Paragraph], Paragraph | None]:
    """Give a quiz's question, choices (numbered) and explanation as measured paragraphs."""
    return (
        Paragraph(slide.question, bold=True),
        [Paragraph(choice_label(n, choice)) for n, choice in enumerate(slide.choices, start=1)],
        Paragraph(f"{explanation}  {slide.explain}", bold=True) if slide.explain else None,
    )


def choice_label(number: int, choice: str) -> str:
    return f"{number}.  {choice}"


def step_label(number: int, caption: str) -> str:
    return f"{number}. {caption}"


def step_captions(captions: Sequence[str]) -> list[Paragraph]:
    """Give a walkthrough's numbered step captions as measured paragraphs."""
    return [Paragraph(step_label(n, text), space_before=0.4 if n > 1 else 0.0)
            for n, text in enumerate(captions, start=1)]


def slide_overflows(slide: AnySlide, sizes: Sizes, explanation: str,
                    step_texts: Sequence[str] = ()) -> Iterator[Overflow]:
    """Give the frames of a chapter slide (not its title or bullets) that cannot fit."""
    if isinstance(slide, TwoColumnSlide):
        yield from _two_column(slide, sizes)
    elif isinstance(slide, QuizSlide):
        question, choices, explain = quiz_paragraphs(slide, explanation)
        if quiz_layout(question, choices, explain, g.BODY, sizes.body, BODY_FLOOR) is None:
            yield Overflow(("question",), "the question, choices and explanation",
                           "shorten the question or the choices, or move the explanation "
                           "into the notes")
    elif isinstance(slide, DiagramSlide | ImageSlide):
        yield from _captions(slide, sizes, step_texts)


def _two_column(slide: TwoColumnSlide, sizes: Sizes) -> Iterator[Overflow]:
    for (heading, body), side in zip(g.two_column_boxes(), ("left", "right"), strict=True):
        column = getattr(slide, side)
        if frame_size([Paragraph(column.heading, bold=True)], heading, sizes.body,
                      BODY_FLOOR) is None:
            yield Overflow((side, "heading"), f"the {side} column's heading",
                           "shorten the heading: it has one line, two at a small size")
        if frame_size(bullet_measures(column.lines), body, sizes.body, BODY_FLOOR) is None:
            yield Overflow((side, "bullets"), f"the {side} column's bullets")


def _captions(slide: DiagramSlide | ImageSlide, sizes: Sizes,
              step_texts: Sequence[str]) -> Iterator[Overflow]:
    area, caption_box = g.caption_split(bool(slide.caption))
    if caption_box is not None and frame_size([Paragraph(slide.caption)], caption_box,
                                              CAPTION_SIZE, BODY_FLOOR) is None:
        yield Overflow(("caption",), "the caption", "shorten the caption to one line; "
                       "say more in the notes")
    if slide.bullets and frame_size(bullet_measures(slide.lines),
                                    g.picture_beside_bullets(area)[1], sizes.body,
                                    BODY_FLOOR) is None:
        yield Overflow(("bullets",), "the bullets beside the picture",
                       "keep a few short points beside a picture; move the rest to a bullets "
                       "slide or the notes")
    if isinstance(slide, DiagramSlide) and slide.walkthrough and step_texts:
        _, column = g.step_split(area)
        if slide.walkthrough is True:
            steps_fit = frame_size(step_captions(step_texts), column, sizes.body, BODY_FLOOR)
            if steps_fit is None:
                yield Overflow(("walkthrough",), "the step captions beside the diagram")
        for number, text in enumerate(step_texts, start=1):
            if frame_size([Paragraph(step_label(number, text))], column, sizes.body,
                          BODY_FLOOR) is None:
                yield Overflow(("walkthrough",), f"the caption of step {number}")
