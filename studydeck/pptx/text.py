"""Text frames: paragraphs and runs written with the deck's fonts, language and measured size."""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Pt

from studydeck.layout.fit import bullet_indent, bullet_measures, frame_size
from studydeck.layout.geometry import BULLET_INDENT, FRAME_INSET, Box
from studydeck.layout.text import FONT_LINE_HEIGHT, Paragraph
from studydeck.model import BulletLine
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.xml import set_run_font


@dataclass(frozen=True)
class TextRun:
    text: str
    bold: bool = False
    color: str | None = None


@dataclass(frozen=True)
class TextParagraph:
    """A paragraph to write: runs, bullet level (None: no bullet), relative size."""

    runs: tuple[TextRun, ...]
    level: int | None = None
    scale: float = 1.0
    align: PP_ALIGN | None = None
    space_before: float = 0.0  # in lines of this paragraph's size
    bullet: str = "•"

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True)
class TextBlock:
    """The paragraphs of one text frame and the sizes it may take."""

    paragraphs: list[TextParagraph] = field(default_factory=list)
    largest: float = 24
    smallest: float = 16
    anchor: MSO_ANCHOR = MSO_ANCHOR.TOP


def plain(text: str, **options: object) -> TextParagraph:
    """Give a paragraph of one run of text."""
    bold = bool(options.pop("bold", False))
    color = options.pop("color", None)
    return TextParagraph(runs=(TextRun(text, bold, color if isinstance(color, str) else None),),
                         **options)  # type: ignore[arg-type]


def bullet_paragraphs(lines: list[BulletLine]) -> list[TextParagraph]:
    """Give bullet lines as paragraphs: level 0 with a dot, level 1 smaller with a dash."""
    return [
        TextParagraph(
            runs=(TextRun(line.text),),
            level=line.level,
            scale=measure.scale,
            space_before=measure.space_before,
            bullet="•" if line.level == 0 else "–",
        )
        for line, measure in zip(lines, bullet_measures(lines), strict=True)
    ]


def measured(block: TextBlock) -> list[Paragraph]:
    """Give the block's paragraphs as layout measures them (bold if any run is bold)."""
    return [
        Paragraph(text=p.text, scale=p.scale, indent=bullet_indent(p.level),
                  space_before=p.space_before, bold=any(run.bold for run in p.runs))
        for p in block.paragraphs
    ]


def chosen_size(block: TextBlock, box: Box) -> float:
    """Give the size the block's text is written at: the largest that fits.

    Outline planning has already moved what cannot fit at the floor onto continuation slides or
    reported it, so the floor is only reached here for text it checked.
    """
    size = frame_size(measured(block), box, block.largest, block.smallest)
    return block.smallest if size is None else size


def add_text_box(slide: Slide, box: Box, block: TextBlock, style: DeckStyle) -> Shape:
    """Add a text box holding the block, at its measured size."""
    shape = slide.shapes.add_textbox(Emu(box.left), Emu(box.top), Emu(box.width), Emu(box.height))
    fill_frame(shape.text_frame, block, style, chosen_size(block, box))
    return shape


def fill_frame(frame: TextFrame, block: TextBlock, style: DeckStyle, size: float) -> None:
    """Write the block's paragraphs into a text frame, replacing what it held."""
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    frame.vertical_anchor = block.anchor
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Emu(FRAME_INSET))
    for index, paragraph in enumerate(block.paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        _write_paragraph(target, paragraph, style, size)


def _write_paragraph(
    target: _Paragraph, paragraph: TextParagraph, style: DeckStyle, size: float
) -> None:
    for existing in list(target.runs):
        existing._r.getparent().remove(existing._r)
    if paragraph.align is not None:
        target.alignment = paragraph.align
    run_size = round(size * paragraph.scale, 1)
    target.line_spacing = Pt(round(run_size * FONT_LINE_HEIGHT, 1))  # exact, as measured
    if paragraph.space_before:
        target.space_before = Pt(round(run_size * paragraph.space_before, 1))
    _write_bullet(target, paragraph)
    for part in paragraph.runs:
        run = target.add_run()
        run.text = part.text
        set_run_font(run, latin=style.latin, east_asian=style.east_asian, lang=style.lang,
                     size_pt=run_size, bold=part.bold or None,
                     color=part.color or style.colors.text)
    end = target._p.get_or_add_endParaRPr()
    end.set("lang", style.lang)
    end.set("sz", str(round(run_size * 100)))


def _write_bullet(target: _Paragraph, paragraph: TextParagraph) -> None:
    p_pr = target._p.get_or_add_pPr()
    if paragraph.level is None:
        p_pr.append(p_pr.makeelement(qn("a:buNone"), {}))
        return
    indent = bullet_indent(paragraph.level)
    p_pr.set("marL", str(indent))
    p_pr.set("indent", str(-BULLET_INDENT))
    p_pr.set("lvl", str(paragraph.level))
    bullet_font = p_pr.makeelement(qn("a:buFont"), {"typeface": "Arial"})
    bullet_char = p_pr.makeelement(qn("a:buChar"), {"char": paragraph.bullet})
    p_pr.append(bullet_font)
    p_pr.append(bullet_char)
