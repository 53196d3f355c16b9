"""Quiz slides: a question and its numbered choices; a click shows the answer and why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, ValidationInfo, field_validator

from studydeck.errors import Problem
from studydeck.layout import geometry as g
from studydeck.layout.check import Overflow
from studydeck.layout.fit import (
    BODY_HARD_MIN,
    CAPTION_FLOOR,
    QUIZ_MARK_WIDTH,
    quiz_below_floor,
    quiz_layout,
)
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import Paragraph
from studydeck.schema.models import Cell, SlideBase, Text, scalar_to_text
from studydeck.slides import drawing
from studydeck.slides.registry import SlidePlanning, SlideType, register
from studydeck.words import Words

if TYPE_CHECKING:
    from studydeck.pptx.context import Page, SlideContext, SlideResult
    from studydeck.pptx.style import DeckStyle


class QuizSlide(SlideBase):
    type: Literal["quiz"]
    title: Text = ""
    question: Text
    choices: list[Text] = Field(min_length=2, max_length=6)
    answer: int | list[int] = Field(description="number of the right choice, counting from 1")
    explain: Text = ""

    @field_validator("choices", mode="before", json_schema_input_type=list[Cell])
    @classmethod
    def _choices_as_text(cls, value: Any) -> Any:
        return [scalar_to_text(v) for v in value] if isinstance(value, list) else value

    @property
    def answers(self) -> list[int]:
        """Give the right choices as numbers counting from 1."""
        return _as_list(self.answer)

    @field_validator("answer")
    @classmethod
    def _answer_is_a_choice(cls, answer: int | list[int], info: ValidationInfo) -> Any:
        choices = info.data.get("choices")
        if choices is None:
            return answer
        for number in _as_list(answer):
            if not 1 <= number <= len(choices):
                raise ValueError(
                    f"answer {number} is not one of the choices 1 to {len(choices)}"
                    " (answers count from 1)"
                )
        return answer


def _as_list(answer: int | list[int]) -> list[int]:
    return [answer] if isinstance(answer, int) else list(answer)


def quiz_paragraphs(slide: QuizSlide, explanation: str) -> tuple[
        Paragraph, list[Paragraph], Paragraph | None]:
    """Give a quiz's question, choices (numbered) and explanation as measured paragraphs."""
    return (
        Paragraph(slide.question, bold=True),
        [Paragraph(choice_label(n, choice)) for n, choice in enumerate(slide.choices, start=1)],
        Paragraph(f"{explanation}  {slide.explain}", bold=True) if slide.explain else None,
    )


def choice_label(number: int, choice: str) -> str:
    """Give a choice numbered ("2.  …")."""
    return f"{number}.  {choice}"


def quiz_title(slide: QuizSlide, words: Words) -> str:
    """Give the title the slide shows: its own, else the word for a quiz."""
    return slide.title or words.quiz


def quiz_problems(planning: SlidePlanning, slide: QuizSlide, title: str) -> Iterator[Problem]:
    """Give the problem of a question, choices and explanation that do not fit together."""
    question, choices, explain = quiz_paragraphs(slide, planning.words.explanation)
    sizes = planning.sizes
    if quiz_layout(question, choices, explain, planning.body, sizes.body, sizes.floor) is not None:
        return
    hint = "shorten the question or the choices, or move the explanation into the notes"
    shrunk = quiz_below_floor(question, choices, explain, planning.body, sizes.floor)
    if shrunk is None:
        yield planning.overflow(Overflow(("question",), "the question, choices and explanation",
                                         hint, min(sizes.floor, BODY_HARD_MIN)), title)
    elif shrunk.size < sizes.floor:  # it cannot continue on another slide: it shrinks instead
        yield planning.problem(("question",), f"slide {planning.index + 1} ('{title}'): the "
                               f"question, choices and explanation do not fit at "
                               f"{sizes.floor:g} pt; they are written at {shrunk.size:g} pt",
                               hint, "warning")


def write_quiz(ctx: SlideContext, page: Page, planned: PlannedSlide) -> SlideResult:
    """Write the question and choices; give the click that marks the answer and explains it."""
    content = planned.slide
    assert isinstance(content, QuizSlide)
    style = ctx.style
    question, choices, explain = quiz_paragraphs(content, style.words.explanation)
    layout = quiz_layout(question, choices, explain, planned.body, style.body_size,
                         style.body_floor, overflowing=True)  # what does not fit was warned of
    size = layout.size
    drawing.add_text_box(page, layout.question, drawing.TextBlock(
        [drawing.plain(content.question, bold=True)], size, size), style)
    marks: list[drawing.Appear] = []
    for number, (choice, choice_box) in enumerate(zip(content.choices, layout.choices,
                                                      strict=True), start=1):
        drawing.add_panel(page, choice_box, "F3F4F6", style, drawing.TextBlock(
            [drawing.plain(choice_label(number, choice))], size, size, drawing.ANCHOR_MIDDLE))
        if number in content.answers:
            mark_box = g.Box(choice_box.right + 2 * g.GAP, choice_box.top, QUIZ_MARK_WIDTH,
                             choice_box.height)
            marks.append(drawing.Appear(_answer_mark(page, mark_box, style)))
    if content.explain and layout.explain is not None:
        text = drawing.TextParagraph(runs=(
            drawing.TextRun(f"{style.words.explanation}  ", bold=True, color=style.colors.accent),
            *drawing.rich_runs(content.explain)))
        explanation = drawing.add_text_box(page, layout.explain,
                                           drawing.TextBlock([text], size, size), style)
        explanation.name = drawing.ANSWER_NAMES[1]
        marks.append(drawing.Appear(explanation.shape_id))
    return drawing.SlideResult(clicks=[drawing.Click(tuple(marks))])


def _answer_mark(page: Page, box: g.Box, style: DeckStyle) -> int:
    label = drawing.plain(f"✔ {style.words.answer}", bold=True, color=style.colors.background,
                          align=drawing.ALIGN_CENTER)
    return drawing.add_panel(page, box, style.colors.accent, style,
                             drawing.TextBlock([label], 20, CAPTION_FLOOR, drawing.ANCHOR_MIDDLE),
                             name=drawing.ANSWER_NAMES[0])


QUIZ = register(SlideType(name="quiz", model=QuizSlide, write=write_quiz, order=7,
                          item_names={"choices": "choice"}, shown_title=quiz_title,
                          problems=quiz_problems))
