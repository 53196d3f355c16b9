"""Text frames: paragraphs and runs written with the deck's fonts, language and measured size."""

from __future__ import annotations

from dataclasses import dataclass, field

from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Pt

from studydeck.layout.geometry import Box, inches
from studydeck.layout.text import Paragraph, fit_size
from studydeck.model import BulletLine
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.xml import set_run_font

BULLET_INDENT = inches(0.35)
FRAME_INSET = inches(0.08)


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
            scale=1.0 if line.level == 0 else 0.85,
            space_before=0.35 if line.level == 0 and index else 0.1,
            bullet="•" if line.level == 0 else "–",
        )
        for index, line in enumerate(lines)
    ]


def chosen_size(block: TextBlock, box: Box) -> float:
    """Give the size the block's text is written at: the largest that fits, else the floor."""
    measured = [
        Paragraph(
            text=p.text,
            scale=p.scale,
            indent=_indent(p) + 2 * FRAME_INSET,
            space_before=p.space_before,
        )
        for p in block.paragraphs
    ]
    height = box.height - 2 * FRAME_INSET
    return fit_size(measured, box.width, height, block.largest, block.smallest) or block.smallest


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


def _indent(paragraph: TextParagraph) -> int:
    if paragraph.level is None:
        return 0
    return BULLET_INDENT * (paragraph.level + 1)


def _write_bullet(target: _Paragraph, paragraph: TextParagraph) -> None:
    p_pr = target._p.get_or_add_pPr()
    if paragraph.level is None:
        p_pr.append(p_pr.makeelement(qn("a:buNone"), {}))
        return
    indent = _indent(paragraph)
    p_pr.set("marL", str(indent))
    p_pr.set("indent", str(-BULLET_INDENT))
    p_pr.set("lvl", str(paragraph.level))
    bullet_font = p_pr.makeelement(qn("a:buFont"), {"typeface": "Arial"})
    bullet_char = p_pr.makeelement(qn("a:buChar"), {"char": paragraph.bullet})
    p_pr.append(bullet_font)
    p_pr.append(bullet_char)
