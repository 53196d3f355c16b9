"""One function per slide kind: each fills a new slide's body and says what appears on click."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from PIL import Image
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import _Run
from pptx.util import Emu

from studydeck.checks.contrast import mix
from studydeck.diagrams.cache import DiagramImages
from studydeck.diagrams.native import NativeDiagram
from studydeck.layout import geometry as g
from studydeck.layout.check import (
    BYLINE_SIZES,
    CAPTION_SIZE,
    SUBTITLE_SIZES,
    choice_label,
    quiz_paragraphs,
    step_label,
)
from studydeck.layout.fit import CAPTION_FLOOR, QUIZ_MARK_WIDTH, quiz_layout, table_layout
from studydeck.outline import PlannedSlide
from studydeck.pptx.animation import Appear, Click, Disappear
from studydeck.pptx.diagram import add_native_diagram, add_step_highlight
from studydeck.pptx.states import ANSWER_NAMES
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.template import fill_placeholder
from studydeck.pptx.text import (
    TextBlock,
    TextParagraph,
    TextRun,
    add_text_box,
    bullet_paragraphs,
    chosen_size,
    fill_frame,
    plain,
    rich_runs,
)
from studydeck.richtext import plain_text
from studydeck.schema.models import (
    BulletLine,
    BulletsSlide,
    Chapter,
    Deck,
    DiagramSlide,
    ImageSlide,
    QuizSlide,
    RecapSlide,
    Step,
    TableSlide,
    TwoColumnSlide,
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
    natives: dict[str, NativeDiagram] = field(default_factory=dict)  # drawn as shapes
    deck_chapters: list[Chapter] = field(default_factory=list)  # the whole deck's, in order


@dataclass
class SlideResult:
    """What a builder gives back: click groups, and runs that link to a chapter's section."""

    clicks: list[Click] = field(default_factory=list)
    chapter_links: list[tuple[_Run, str]] = field(default_factory=list)


Builder = Callable[[SlideContext, Slide, PlannedSlide], SlideResult]


def body_block(style: DeckStyle, paragraphs: list[TextParagraph]) -> TextBlock:
    return TextBlock(paragraphs=paragraphs, largest=style.body_size, smallest=style.body_floor)


def build_title(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    style, deck = ctx.style, ctx.deck
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Emu(g.inches(5.2)),
                                  Emu(g.SLIDE_WIDTH),
                                  Emu(g.inches(0.08)))
    _fill(band, style.colors.accent)
    byline = " · ".join(part for part in (deck.author, deck.date or "") if part)
    add_text_box(slide, g.TITLE_SLIDE_BYLINE,
                 TextBlock([plain(byline, color=style.colors.muted)], *BYLINE_SIZES), style)
    if deck.subtitle:  # into the layout's subtitle placeholder (idx 1) where it has one
        subtitle = plain(deck.subtitle, color=style.colors.muted, align=PP_ALIGN.LEFT)
        fill_placeholder(slide, 1, g.TITLE_SLIDE_SUBTITLE, TextBlock([subtitle], *SUBTITLE_SIZES),
                         style)
    return SlideResult()


def build_agenda(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    """List every chapter of the deck; in a chapter's own deck, the others are muted, unlinked."""
    style = ctx.style
    here = {chapter.id for chapter in ctx.chapters}
    listed = ctx.deck_chapters or ctx.chapters
    paragraphs = [
        TextParagraph(
            runs=(*(replace(run, text=word) for run in rich_runs(chapter.title, color=title_color)
                    for word in linked_words(run.text)),
                  TextRun("   ", color=title_color),
                  TextRun(f"{chapter.minutes:g}{style.words.minutes}", color=style.colors.muted)),
            space_before=0.3 if number > 1 else 0.0,
            label=TextRun(f"{number:02d}", bold=True, color=style.colors.accent),
            hang=g.AGENDA_HANG,
        )
        for number, chapter in enumerate(listed, start=1)
        for title_color in [style.colors.primary if chapter.id in here else style.colors.muted]
    ]
    box = add_text_box(slide, g.BODY, body_block(style, paragraphs), style)
    links = [
        (run, chapter.id)
        for paragraph, chapter in zip(box.text_frame.paragraphs, listed, strict=True)
        if chapter.id in here
        for run in paragraph.runs[2:-2] if run.text.strip()  # the title's words
    ]
    return SlideResult(chapter_links=links)


def agenda_made_from(ctx: SlideContext) -> list[object]:
    """Give what build_agenda reads of the deck's chapters (besides the deck, its style and the
    chapters in the file, which every kept slide's key has): kept agendas are keyed by it."""
    return [(chapter.id, chapter.title, chapter.minutes)
            for chapter in ctx.deck_chapters or ctx.chapters]


def linked_words(title: str) -> list[str]:
    """Give a title cut into words and the spaces between them, each a run of its own.

    LibreOffice draws a linked run as one unbreakable field (in the colour of what follows it):
    a title linked as a whole would not wrap between its words, and its lines would be drawn
    over each other.
    """
    return [part for part in re.split(r"( +)", title) if part]


def build_section(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    style = ctx.style
    chapter = planned.chapter
    assert chapter is not None
    number = [c.id for c in ctx.deck_chapters or ctx.chapters].index(chapter.id) + 1
    label = f"{style.words.chapter} {number}  ·  {chapter.minutes:g}{style.words.minutes}"
    if chapter.id in ctx.schedule:
        label += f"  ·  {ctx.schedule[chapter.id]}"
    add_text_box(slide, g.SECTION_LABEL,
                 TextBlock([plain(label, bold=True, color=style.colors.accent)], 20, CAPTION_FLOOR),
                 style)
    if chapter.objectives:
        paragraphs = [plain(style.words.objectives, bold=True, color=style.colors.primary)]
        paragraphs += bullet_paragraphs([BulletLine(text=text) for text in chapter.objectives],
                                        style.body_floor)
        add_text_box(slide, g.SECTION_OBJECTIVES, body_block(style, paragraphs), style)
    return SlideResult()


def build_bullets(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, BulletsSlide | RecapSlide)
    paragraphs = bullet_paragraphs(content.lines, ctx.style.body_floor)
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
    boxes = g.two_column_boxes()
    for (heading, body), column in zip(boxes, (content.left, content.right), strict=True):
        _panel(slide, heading, ctx.style.colors.primary, ctx.style, TextBlock(
            [plain(column.heading, bold=True, color=ctx.style.colors.background, tint=False)],
            ctx.style.body_size, ctx.style.body_floor, MSO_ANCHOR.MIDDLE))
        bullets = bullet_paragraphs(column.lines, ctx.style.body_floor)
        add_text_box(slide, body, body_block(ctx.style, bullets), ctx.style)
    return SlideResult()


def build_table(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, TableSlide)
    style = ctx.style
    rows = [content.columns, *content.rows]
    layout = table_layout(content.columns, content.rows, g.BODY,
                          max(style.body_size - 2, style.body_floor), style.body_floor,
                          content.widths)
    assert layout is not None, "outline planning splits a table's rows so that they fit"
    frame = slide.shapes.add_table(len(rows), len(content.columns), Emu(g.BODY.left),
                                   Emu(g.BODY.top), Emu(g.BODY.width), Emu(layout.height))
    for index, width in enumerate(layout.column_widths):
        frame.table.columns[index].width = Emu(width)
    for r, row in enumerate(rows):
        frame.table.rows[r].height = Emu(layout.row_heights[r])
        fill = _row_fill(style, r)
        for c, text in enumerate(row):
            color = style.colors.background if r == 0 else style.colors.text
            block = TextBlock([plain(text, bold=r == 0, color=color, tint=r > 0)], layout.size,
                              layout.size, MSO_ANCHOR.MIDDLE, background=fill)
            cell = frame.table.cell(r, c)
            cell.fill.solid()
            cell.fill.fore_color.rgb = RGBColor.from_string(fill)
            cell.margin_left = cell.margin_right = Emu(g.CELL_INSET_X)
            cell.margin_top = cell.margin_bottom = Emu(g.CELL_INSET_Y)
            fill_frame(cell.text_frame, block, style, layout.size)
    return SlideResult()


def _row_fill(style: DeckStyle, row: int) -> str:
    """Give a table row's fill: the header in the primary colour, then light bands of it."""
    if row == 0:
        return style.colors.primary
    return mix(style.colors.primary, style.colors.background, 0.85 if row % 2 else 0.93)


def build_diagram(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, DiagramSlide) and planned.diagram is not None
    images = ctx.images[planned.diagram.name]
    area = _captioned_area(ctx, slide, content.caption)
    steps = planned.diagram.spec.steps
    native = ctx.natives.get(planned.diagram.name)
    if planned.step is None and content.walkthrough is not True:
        area, result = _side_bullets(ctx, slide, area, content)
        if native is not None:
            add_native_diagram(slide, native, area, ctx.style)
        else:
            _add_picture(slide, images.base, area)
        return result
    if native is not None:
        return native_diagram(ctx, slide, area, native, planned.step, steps)
    if planned.step is not None:
        return _single_step(ctx, slide, area, images, planned.step, steps[planned.step].caption)
    return _walkthrough(ctx, slide, area, images, [step.caption for step in steps])


def build_image(ctx: SlideContext, slide: Slide, planned: PlannedSlide) -> SlideResult:
    content = planned.slide
    assert isinstance(content, ImageSlide) and planned.image is not None
    area = _captioned_area(ctx, slide, content.caption)
    area, result = _side_bullets(ctx, slide, area, content)
    _add_picture(slide, planned.image, area,
                 plain_text(content.alt or content.caption or content.title))
    return result


def _side_bullets(ctx: SlideContext, slide: Slide, area: g.Box,
                  content: DiagramSlide | ImageSlide) -> tuple[g.Box, SlideResult]:
    """Write the slide's bullets (if any) beside the picture; give the picture's area."""
    if not content.bullets:
        return area, SlideResult()
    picture_area, bullets_box = g.picture_beside_bullets(area)
    paragraphs = bullet_paragraphs(content.lines, ctx.style.body_floor)
    shape = add_text_box(slide, bullets_box, TextBlock(
        paragraphs, ctx.style.body_size, ctx.style.body_floor, MSO_ANCHOR.MIDDLE), ctx.style)
    if not (ctx.default_reveal if content.reveal is None else content.reveal):
        return picture_area, SlideResult()
    return picture_area, SlideResult(clicks=_reveal_by_item(shape.shape_id, paragraphs))


def _captioned_area(ctx: SlideContext, slide: Slide, caption: str) -> g.Box:
    """Give the body area left for a picture, with the caption (if any) written below it."""
    area, caption_box = g.caption_split(bool(caption))
    if caption_box is None:
        return area
    add_text_box(slide, caption_box, TextBlock(
        [plain(caption, color=ctx.style.colors.muted, align=PP_ALIGN.CENTER)],
        CAPTION_SIZE, CAPTION_FLOOR), ctx.style)
    return area


def _single_step(ctx: SlideContext, slide: Slide, area: g.Box, images: DiagramImages,
                 step: int, caption: str) -> SlideResult:
    picture_area, caption_area = g.step_split(area)
    _add_picture(slide, images.steps[step], picture_area)
    label = plain(step_label(step + 1, caption), color=ctx.style.colors.text)
    add_text_box(slide, caption_area, body_block(ctx.style, [label]), ctx.style)
    return SlideResult()


def _walkthrough(ctx: SlideContext, slide: Slide, area: g.Box, images: DiagramImages,
                 captions: list[str]) -> SlideResult:
    picture_area, caption_area = g.step_split(area)
    _add_picture(slide, images.base, picture_area)
    step_pictures = [_add_picture(slide, path, picture_area) for path in images.steps]
    box = step_captions(ctx, slide, caption_area, captions)
    return SlideResult(clicks=[
        Click((Appear(picture), Appear(box, (n, n))))
        for n, picture in enumerate(step_pictures)
    ])


def step_captions(ctx: SlideContext, slide: Slide, area: g.Box, captions: list[str]) -> int:
    """Add the numbered captions of a walkthrough's steps, one paragraph each; give the box id."""
    paragraphs = [
        TextParagraph(runs=(TextRun(f"{n}. ", bold=True, color=ctx.style.colors.accent),
                            *rich_runs(text)), space_before=0.4 if n > 1 else 0.0)
        for n, text in enumerate(captions, start=1)
    ]
    return int(add_text_box(slide, area, body_block(ctx.style, paragraphs), ctx.style).shape_id)


def native_diagram(ctx: SlideContext, slide: Slide, area: g.Box, native: NativeDiagram,
                   step: int | None, steps: list[Step]) -> SlideResult:
    """Draw a walkthrough as shapes: on one step's slide, or click by click.

    Each step is a group of highlights over the diagram that appears on its click as the
    previous step's disappears, with the step's caption.
    """
    diagram_area, caption_area = g.step_split(area)
    drawn = add_native_diagram(slide, native, diagram_area, ctx.style)
    chosen = range(len(steps)) if step is None else [step]
    highlights = [add_step_highlight(slide, native, drawn, steps[n].edges, steps[n].nodes, n + 1,
                                     ctx.style) for n in chosen]
    if step is not None:
        label = plain(step_label(step + 1, steps[step].caption), color=ctx.style.colors.text)
        add_text_box(slide, caption_area, body_block(ctx.style, [label]), ctx.style)
        return SlideResult()
    captions = step_captions(ctx, slide, caption_area, [s.caption for s in steps])
    return SlideResult(clicks=[
        Click((Appear(shown), Appear(captions, (n, n)),
               *([Disappear(highlights[n - 1])] if n else [])))
        for n, shown in enumerate(highlights)
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
    question, choices, explain = quiz_paragraphs(content, style.words.explanation)
    layout = quiz_layout(question, choices, explain, g.BODY, style.body_size,
                         style.body_floor)
    assert layout is not None, "outline planning reports a quiz that does not fit"
    size = layout.size
    add_text_box(slide, layout.question,
                 TextBlock([plain(content.question, bold=True)], size, size), style)
    marks: list[Appear] = []
    for number, (choice, choice_box) in enumerate(zip(content.choices, layout.choices,
                                                      strict=True), start=1):
        _panel(slide, choice_box, "F3F4F6", style, TextBlock(
            [plain(choice_label(number, choice))], size, size, MSO_ANCHOR.MIDDLE))
        if number in content.answers:
            mark_box = g.Box(choice_box.right + 2 * g.GAP, choice_box.top, QUIZ_MARK_WIDTH,
                             choice_box.height)
            marks.append(Appear(_answer_mark(slide, mark_box, style)))
    if content.explain and layout.explain is not None:
        text = TextParagraph(runs=(TextRun(f"{style.words.explanation}  ", bold=True,
                                           color=style.colors.accent),
                                   *rich_runs(content.explain)))
        block = TextBlock([text], size, size)
        explanation = add_text_box(slide, layout.explain, block, style)
        explanation.name = ANSWER_NAMES[1]
        marks.append(Appear(explanation.shape_id))
    return SlideResult(clicks=[Click(tuple(marks))])


def _answer_mark(slide: Slide, box: g.Box, style: DeckStyle) -> int:
    label = plain(f"✔ {style.words.answer}", bold=True, color=style.colors.background,
                  align=PP_ALIGN.CENTER)
    mark = _panel(slide, box, style.colors.accent, style,
                  TextBlock([label], 20, CAPTION_FLOOR, MSO_ANCHOR.MIDDLE))
    mark.name = ANSWER_NAMES[0]
    return int(mark.shape_id)


def _panel(slide: Slide, box: g.Box, color: str, style: DeckStyle, block: TextBlock) -> Shape:
    """Add a rounded, filled shape holding the block's text; give it."""
    shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, Emu(box.left), Emu(box.top),
                                   Emu(box.width), Emu(box.height))
    shape.adjustments[0] = 0.12
    _fill(shape, color)
    block = replace(block, background=color)
    fill_frame(shape.text_frame, block, style, chosen_size(block, box))
    return shape


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
