"""Which text frames of a slide do not fit even at their smallest size (nothing is written)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from studydeck.layout import geometry as g
from studydeck.layout.fit import (
    BODY_FLOOR,
    CAPTION_FLOOR,
    TITLE_FLOOR,
    bullet_measures,
    frame_size,
    quiz_layout,
)
from studydeck.layout.text import Paragraph
from studydeck.schema.models import (
    AnySlide,
    BulletLine,
    DiagramSlide,
    ImageSlide,
    QuizSlide,
    TwoColumnSlide,
)

Location = tuple[str | int, ...]
CAPTION_SIZE = 20
SUBTITLE_SIZES = (28, 20)  # the title slide's subtitle: largest and smallest
BYLINE_SIZES = (20, CAPTION_FLOOR)  # … and its author and date


@dataclass(frozen=True)
class Overflow:
    """A frame whose text does not fit even at its floor: where it comes from, and what it is."""

    location: Location  # inside the slide's (or chapter's) YAML
    what: str
    hint: str = "shorten the text, or split it over more slides in the chapter file"
    floor: float = 0.0  # the size it does not fit at (0: the deck's body floor)


@dataclass(frozen=True)
class Sizes:
    """The deck's text sizes frames start from, and the size body text shrinks to."""

    body: float
    title: float
    floor: float = BODY_FLOOR

    @property
    def hero(self) -> tuple[float, float]:
        """Give the largest and smallest size of the title and section slides' big title."""
        smallest = max(self.title - 4, TITLE_FLOOR)
        return max(self.title + 8, smallest), smallest


def deck_sizes(size: float, title_size: float, min_size: float) -> Sizes:
    """Give the sizes a deck's theme asks for, raised to the floors where they are below them."""
    return Sizes(body=max(size, min_size), title=max(title_size, TITLE_FLOOR), floor=min_size)


def title_fits(text: str, sizes: Sizes) -> bool:
    """Tell whether a content slide's title fits its box at the title floor."""
    return frame_size([Paragraph(text, bold=True)], g.TITLE, sizes.title, TITLE_FLOOR) is not None


def hero_fits(text: str, box: g.Box, sizes: Sizes) -> bool:
    """Tell whether the big title of the title slide or a section slide fits `box`."""
    return frame_size([Paragraph(text, bold=True)], box, *sizes.hero) is not None


def title_slide_fits(subtitle: str, byline: str) -> bool:
    """Tell whether the title slide's subtitle and byline fit their boxes."""
    return (frame_size([Paragraph(subtitle)], g.TITLE_SLIDE_SUBTITLE, *SUBTITLE_SIZES) is not None
            and frame_size([Paragraph(byline)], g.TITLE_SLIDE_BYLINE, *BYLINE_SIZES) is not None)


def objectives_fit(heading: str, objectives: Sequence[str], sizes: Sizes) -> bool:
    """Tell whether a section slide's objectives fit below its title."""
    paragraphs = [Paragraph(heading, bold=True),
                  *bullet_measures([BulletLine(text=text) for text in objectives], sizes.floor)]
    return frame_size(paragraphs, g.SECTION_OBJECTIVES, sizes.body, sizes.floor) is not None


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


def steps_fit_beside(captions: Sequence[str], has_caption: bool, sizes: Sizes) -> bool:
    """Tell whether every step caption fits in the column beside a walkthrough's diagram."""
    area, _ = g.caption_split(has_caption)
    _, column = g.step_split(area)
    return frame_size(step_captions(captions), column, sizes.body, sizes.floor) is not None


def slide_overflows(slide: AnySlide, sizes: Sizes, explanation: str,
                    step_texts: Sequence[str] = ()) -> Iterator[Overflow]:
    """Give the frames of a chapter slide (not its title or bullets) that cannot fit."""
    if isinstance(slide, TwoColumnSlide):
        yield from _two_column(slide, sizes)
    elif isinstance(slide, QuizSlide):
        question, choices, explain = quiz_paragraphs(slide, explanation)
        if quiz_layout(question, choices, explain, g.BODY, sizes.body, sizes.floor) is None:
            yield Overflow(("question",), "the question, choices and explanation",
                           "shorten the question or the choices, or move the explanation "
                           "into the notes")
    elif isinstance(slide, DiagramSlide | ImageSlide):
        yield from _captions(slide, sizes, step_texts)


def _two_column(slide: TwoColumnSlide, sizes: Sizes) -> Iterator[Overflow]:
    for (heading, body), side in zip(g.two_column_boxes(), ("left", "right"), strict=True):
        column = getattr(slide, side)
        if frame_size([Paragraph(column.heading, bold=True)], heading, sizes.body,
                      sizes.floor) is None:
            yield Overflow((side, "heading"), f"the {side} column's heading",
                           "shorten the heading: it has one line, two at a small size")
        if frame_size(bullet_measures(column.lines, sizes.floor), body, sizes.body,
                      sizes.floor) is None:
            yield Overflow((side, "bullets"), f"the {side} column's bullets")


def _captions(slide: DiagramSlide | ImageSlide, sizes: Sizes,
              step_texts: Sequence[str]) -> Iterator[Overflow]:
    area, caption_box = g.caption_split(bool(slide.caption))
    if caption_box is not None and frame_size([Paragraph(slide.caption)], caption_box,
                                              CAPTION_SIZE, CAPTION_FLOOR) is None:
        yield Overflow(("caption",), "the caption", "shorten the caption to one line; "
                       "say more in the notes", CAPTION_FLOOR)
    if slide.bullets and frame_size(bullet_measures(slide.lines, sizes.floor),
                                    g.picture_beside_bullets(area)[1], sizes.body,
                                    sizes.floor) is None:
        yield Overflow(("bullets",), "the bullets beside the picture",
                       "keep a few short points beside a picture; move the rest to a bullets "
                       "slide or the notes")
    if isinstance(slide, DiagramSlide) and slide.walkthrough and step_texts:
        _, column = g.step_split(area)
        if slide.walkthrough is True and not steps_fit_beside(step_texts, bool(slide.caption),
                                                              sizes):
            yield Overflow(("walkthrough",), "the step captions beside the diagram")
        for number, text in enumerate(step_texts, start=1):
            if frame_size([Paragraph(step_label(number, text))], column, sizes.body,
                          sizes.floor) is None:
                yield Overflow(("walkthrough",), f"the caption of step {number}")
