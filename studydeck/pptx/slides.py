"""One function per slide kind: each fills a new slide's body and says what appears on click."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import _Run
from pptx.util import Emu

from studydeck.diagrams.cache import DiagramImages
from studydeck.layout import geometry as g
from studydeck.model import (
    BulletLine,
    BulletsSlide,
    Chapter,
    Deck,
    DiagramSlide,
    ImageSlide,
    QuizSlide,
    RecapSlide,
    TableSlide,
    TwoColumnSlide,
)
from studydeck.outline import PlannedSlide
from studydeck.pptx.animation import Appear, Click
from studydeck.pptx.style import BODY_FLOOR, DeckStyle
from studydeck.pptx.text import (
    TextBlock,
    TextParagraph,
    TextRun,
    add_text_box,
    bullet_paragraphs,
    chosen_size,
    fill_frame,
    plain,
)


@dataclass
class SlideContext:
    """What every slide builder may use: the deck, its style and the rendered diagrams."""

    deck: Deck
    chapters: list[Chapter]
    style: DeckStyle
    images: dict[str, DiagramImages]
    default_reveal: bool
    schedule: dict[str, str] = field(default_factory=dict)  # chapter id → "19:00–19:10"


@dataclass
class SlideResult:
    """What a builder gives back: click groups, and runs that link to a chapter's section."""

    clicks: list[Click] = field(default_factory=list)
    chapter_links: list[tuple[_Run, str]] = field(default_factory=list)


Builder = Callable[[SlideContext, Slide, PlannedSlide], SlideResult]


def body_block(style: DeckStyle, paragraphs: list[TextParagraph]) -> TextBlock:
    return TextBlock(paragraphs=paragraphs, largest=style.body_size, smallest=BODY_FLOOR)


def build_title(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    style, deck = ctx.style, ctx.deck
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Emu(g.inches(5.2)),
                                  Emu(g.SLIDE_WIDTH),
                                  Emu(g.inches(0.08)))
    _fill(band, style.colors.accent)
    byline = " · ".join(part for part in (deck.author, deck.date or "") if part)
    add_text_box(slide, g.Box(g.MARGIN, g.inches(5.45), g.BODY.width, g.inches(0.9)),
                 TextBlock([plain(byline, color=style.colors.muted)], 20, 14), style)
    if deck.subtitle:
        add_text_box(slide, g.Box(g.MARGIN, g.inches(3.85), g.BODY.width, g.inches(1.2)),
                     TextBlock([plain(deck.subtitle, color=style.colors.muted)], 28, 18), style)
    return SlideResult()


def build_agenda(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    style = ctx.style
    paragraphs = [
        TextParagraph(
            runs=(TextRun(f"{number:02d}   ", bold=True, color=style.colors.accent),
                  TextRun(chapter.title, color=style.colors.primary),
                  TextRun(f"   {chapter.minutes:g}{style.words.minutes}",
                          color=style.colors.muted)),
            space_before=0.3 if number > 1 else 0.0,
        )
        for number, chapter in enumerate(ctx.chapters, start=1)
    ]
    box = add_text_box(slide, g.BODY, TextBlock(paragraphs, style.body_size, BODY_FLOOR), style)
    links = [
        (paragraph.runs[1], chapter.id)
        for paragraph, chapter in zip(box.text_frame.paragraphs, ctx.chapters, strict=True)
    ]
    return SlideResult(chapter_links=links)


def build_section(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    style = ctx.style
    chapter = planned.chapter
    assert chapter is not None
    number = [c.id for c in ctx.chapters].index(chapter.id) + 1
    label = f"{style.words.chapter} {number}  ·  {chapter.minutes:g}{style.words.minutes}"
    if chapter.id in ctx.schedule:
        label += f"  ·  {ctx.schedule[chapter.id]}"
    add_text_box(slide, g.SECTION_LABEL,
                 TextBlock([plain(label, bold=True, color=style.colors.accent)], 20, 16), style)
    if chapter.objectives:
        paragraphs = [plain(style.words.objectives, bold=True, color=style.colors.primary)]
        paragraphs += bullet_paragraphs([BulletLine(text=text) for text in chapter.objectives])
        add_text_box(slide, g.SECTION_OBJECTIVES, body_block(style, paragraphs), style)
    return SlideResult()


def build_bullets(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, BulletsSlide | RecapSlide)
    paragraphs = bullet_paragraphs(content.lines)
    shape = add_text_box(slide, g.BODY, body_block(ctx.style, paragraphs), ctx.style)
    if isinstance(content, RecapSlide):
        return SlideResult()  # a recap sums up: it shows at once
    if not (ctx.default_reveal if content.reveal is None else content.reveal):
        return SlideResult()
    return SlideResult(clicks=_reveal_by_item(shape.shape_id, paragraphs))


def _reveal_by_item(shape_id: int, paragraphs: list[TextParagraph]) -> list[Click]:
    """One click per top-level bullet, its sub-bullets appearing with it."""
    starts = [i for i, p in enumerate(paragraphs) if not p.level]
    ends = [*(s - 1 for s in starts[1:]), len(paragraphs) - 1]
    return [Click((Appear(shape_id, (s, e)),)) for s, e in zip(starts, ends, strict=True)]


def build_two_column(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, TwoColumnSlide)
    boxes = g.BODY.split_columns(0.5, g.inches(0.5))
    for box, column in zip(boxes, (content.left, content.right), strict=True):
        heading, body = box.split_rows(g.inches(0.7), g.inches(0.1))
        _panel(slide, heading, ctx.style.colors.primary, ctx.style, TextBlock(
            [plain(column.heading, bold=True, color=ctx.style.colors.background)],
            ctx.style.body_size, BODY_FLOOR, MSO_ANCHOR.MIDDLE))
        add_text_box(slide, body, body_block(ctx.style, bullet_paragraphs(column.lines)),
                     ctx.style)
    return SlideResult()


def build_table(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, TableSlide)
    style = ctx.style
    rows = [content.columns, *content.rows]
    row_height = min(g.inches(1.0), g.BODY.height // len(rows))
    frame = slide.shapes.add_table(len(rows), len(content.columns), Emu(g.BODY.left),
                                   Emu(g.BODY.top), Emu(g.BODY.width), Emu(row_height * len(rows)))
    cell_box = g.Box(0, 0, g.BODY.width // len(content.columns), row_height)
    size = min(_table_size(style, rows, cell_box))
    for r, row in enumerate(rows):
        frame.table.rows[r].height = Emu(row_height)
        for c, text in enumerate(row):
            color = style.colors.background if r == 0 else style.colors.text
            block = TextBlock([plain(text, bold=r == 0, color=color)], size, size,
                              MSO_ANCHOR.MIDDLE)
            fill_frame(frame.table.cell(r, c).text_frame, block, style, size)
    return SlideResult()


def _table_size(style: DeckStyle, rows: list[list[str]], cell: g.Box) -> list[float]:
    return [
        chosen_size(TextBlock([plain(text)], style.body_size - 2, BODY_FLOOR), cell)
        for row in rows
        for text in row
    ]


def build_diagram(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, DiagramSlide) and planned.diagram is not None
    images = ctx.images[planned.diagram.name]
    area = _captioned_area(ctx, slide, content.caption)
    steps = planned.diagram.spec.steps
    if planned.step is not None:
        return _single_step(ctx, slide, area, images, planned.step, steps[planned.step].caption)
    if content.walkthrough is True:
        return _walkthrough(ctx, slide, area, images, [step.caption for step in steps])
    _add_picture(slide, images.base, area)
    return SlideResult()


def build_image(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, ImageSlide) and planned.image is not None
    area = _captioned_area(ctx, slide, content.caption)
    _add_picture(slide, planned.image, area, content.alt or content.caption or content.title)
    return SlideResult()


def _captioned_area(ctx: SlideContext, slide: Slide, caption: str) -> g.Box:
    """Give the body area left for a picture, with the caption (if any) written below it."""
    if not caption:
        return g.BODY
    area, caption_box = g.BODY.split_rows(g.BODY.height - g.inches(0.6), g.inches(0.05))
    add_text_box(slide, caption_box, TextBlock(
        [plain(caption, color=ctx.style.colors.muted, align=PP_ALIGN.CENTER)],
        20, BODY_FLOOR), ctx.style)
    return area


def _single_step(ctx: SlideContext, slide: Slide, area: g.Box, images: DiagramImages,
                 step: int, caption: str) -> SlideResult:
    picture_area, caption_area = area.split_columns(0.7, g.inches(0.3))
    _add_picture(slide, images.steps[step], picture_area)
    label = plain(f"{step + 1}. {caption}", color=ctx.style.colors.text)
    add_text_box(slide, caption_area, body_block(ctx.style, [label]), ctx.style)
    return SlideResult()


def _walkthrough(ctx: SlideContext, slide: Slide, area: g.Box, images: DiagramImages,
                 captions: list[str]) -> SlideResult:
    picture_area, caption_area = area.split_columns(0.7, g.inches(0.3))
    _add_picture(slide, images.base, picture_area)
    step_pictures = [_add_picture(slide, path, picture_area) for path in images.steps]
    paragraphs = [
        TextParagraph(runs=(TextRun(f"{n}. ", bold=True, color=ctx.style.colors.accent),
                            TextRun(text)), space_before=0.4 if n > 1 else 0.0)
        for n, text in enumerate(captions, start=1)
    ]
    box = add_text_box(slide, caption_area, body_block(ctx.style, paragraphs), ctx.style)
    return SlideResult(clicks=[
        Click((Appear(picture), Appear(box.shape_id, (n, n))))
        for n, picture in enumerate(step_pictures)
    ])


def _add_picture(slide: Slide, path: object, area: g.Box, description: str = "") -> int:
    with Image.open(str(path)) as image:
        width, height = image.size
    box = area.fit(width, height)
    picture = slide.shapes.add_picture(str(path), Emu(box.left), Emu(box.top), Emu(box.width),
                                       Emu(box.height))
    if description:
        picture._element.xpath("./p:nvPicPr/p:cNvPr")[0].set("descr", description)  # alt text
    return int(picture.shape_id)


def build_quiz(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, QuizSlide)
    style = ctx.style
    question_box, rest = g.BODY.split_rows(g.inches(1.0), g.inches(0.1))
    add_text_box(slide, question_box, body_block(style, [plain(content.question, bold=True)]),
                 style)
    explain_height = g.inches(1.0) if content.explain else 0
    choices_area = g.Box(rest.left, rest.top, rest.width, rest.height - explain_height)
    row = min(g.inches(0.75), choices_area.height // len(content.choices))
    marks: list[Appear] = []
    for index, choice in enumerate(content.choices):
        top = choices_area.top + index * row
        choice_box = g.Box(rest.left, top, rest.width - g.inches(2.2), row - g.inches(0.1))
        _panel(slide, choice_box, "F3F4F6", style, TextBlock(
            [plain(f"{index + 1}.  {choice}")], style.body_size, BODY_FLOOR, MSO_ANCHOR.MIDDLE))
        if index + 1 in content.answers:
            mark_box = g.Box(choice_box.right + g.inches(0.2), top, g.inches(2.0),
                             choice_box.height)
            marks.append(Appear(_answer_mark(slide, mark_box, style)))
    if content.explain:
        box = g.Box(rest.left, rest.bottom - explain_height + g.inches(0.1), rest.width,
                    explain_height - g.inches(0.1))
        text = TextParagraph(runs=(TextRun(f"{style.words.explanation}  ", bold=True,
                                           color=style.colors.accent), TextRun(content.explain)))
        marks.append(Appear(add_text_box(slide, box, body_block(style, [text]), style).shape_id))
    return SlideResult(clicks=[Click(tuple(marks))])


def _answer_mark(slide: Slide, box: g.Box, style: DeckStyle) -> int:
    label = plain(f"✔ {style.words.answer}", bold=True, color=style.colors.background,
                  align=PP_ALIGN.CENTER)
    return _panel(slide, box, style.colors.accent, style,
                  TextBlock([label], 20, BODY_FLOOR, MSO_ANCHOR.MIDDLE))


def _panel(slide: Slide, box: g.Box, color: str, style: DeckStyle, block: TextBlock) -> int:
    """Add a rounded, filled shape holding the block's text; give its shape id."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(box.height))
    shape.adjustments[0] = 0.12
    _fill(shape, color)
    fill_frame(shape.text_frame, block, style, chosen_size(block, box))
    return int(shape.shape_id)


def _fill(shape: Shape, color: str) -> None:
    shape.fill.solid()
    shape.fill.fore_color.rgb = RGBColor.from_string(color)
    shape.line.fill.background()
    shape.shadow.inherit = False


BUILDERS: dict[str, Builder] = {
    "title": build_title,
    "agenda": build_agenda,
    "section": build_section,
    "bullets": build_bullets,
    "recap": build_bullets,
    "two-column": build_two_column,
    "table": build_table,
    "diagram": build_diagram,
    "image": build_image,
    "quiz": build_quiz,
}
