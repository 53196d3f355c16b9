"""Text frames: paragraphs and runs written with the deck's fonts, language and measured size."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from lxml import etree
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu

from studydeck.layout.colors import MINIMUM_RATIO, contrast_ratio, readable
from studydeck.layout.fit import BODY_FLOOR, bullet_indent, bullet_measures, frame_size
from studydeck.layout.geometry import BULLET_INDENT, FRAME_INSET, Box
from studydeck.layout.text import FONT_LINE_HEIGHT, Paragraph, StyledRun, scaled_size
from studydeck.pptx.style import DeckStyle
from studydeck.pptx.xml import escape_control_characters, keep_run_color, style_run_properties
from studydeck.richtext import spans
from studydeck.schema.models import BulletLine

EMU_PER_POINT = 12700
EMU_PER_CENTIPOINT = 127
_INSET = str(FRAME_INSET)
_BODY_PR, _P, _P_PR, _R, _BR, _R_PR, _T, _END_PARA_RPR, _SPC_PTS = (
    qn(tag) for tag in ("a:bodyPr", "a:p", "a:pPr", "a:r", "a:br", "a:rPr", "a:t",
                        "a:endParaRPr", "a:spcPts")
)
_AUTOFIT_TAGS = frozenset(qn(t) for t in ("a:noAutofit", "a:normAutofit", "a:spAutoFit"))
_AFTER_AUTOFIT = frozenset(qn(t) for t in ("a:scene3d", "a:sp3d", "a:flatTx", "a:extLst"))
_AFTER_BULLET = frozenset(qn(t) for t in ("a:tabLst", "a:defRPr", "a:extLst"))


INLINE_CODE_TINT = "E8ECF1"  # behind inline `code` on light backgrounds


@dataclass(frozen=True)
class TextRun:
    text: str
    bold: bool = False
    color: str | None = None
    italic: bool = False
    mono: bool = False  # the code typefaces
    link: str | None = None  # a web address the run opens
    tint: str | None = None  # RRGGBB highlight behind the run


@dataclass(frozen=True)
class TextParagraph:
    """A paragraph to write: runs, bullet level (None: no bullet), relative size."""

    runs: tuple[TextRun, ...]
    level: int | None = None
    scale: float = 1.0
    align: PP_ALIGN | None = None
    space_before: float = 0.0  # in lines of this paragraph's size
    bullet: str = "•"
    min_size: float = 0.0  # the scale never takes the paragraph below this size (points)
    label: TextRun | None = None  # a number hanging left of the text (the agenda's "01")
    hang: int = 0  # EMU: the label's room; every line of the text starts after it

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
    background: str | None = None  # RRGGBB behind the text, when not the slide's background
    line_height: float = FONT_LINE_HEIGHT  # from baseline to baseline, in sizes of the text


def plain(text: str, **options: object) -> TextParagraph:
    """Give a paragraph of the text, its inline Markdown written as styled runs."""
    bold = bool(options.pop("bold", False))
    color = options.pop("color", None)
    tint = bool(options.pop("tint", True))  # False for light text on a dark fill
    return TextParagraph(runs=rich_runs(text, bold, color if isinstance(color, str) else None,
                                        tint), **options)  # type: ignore[arg-type]


def rich_runs(markdown: str, bold: bool = False, color: str | None = None,
              tint: bool = True) -> tuple[TextRun, ...]:
    """Give the runs of a text's inline Markdown: bold, italic, code (tinted) and links."""
    return tuple(
        TextRun(span.text, bold or span.bold, color, span.italic, span.code, span.link,
                INLINE_CODE_TINT if span.code and tint else None)
        for span in spans(markdown)
    ) or (TextRun("", bold, color),)


def bullet_paragraphs(lines: list[BulletLine], floor: float = BODY_FLOOR) -> list[TextParagraph]:
    """Give bullet lines as paragraphs: level 0 with a dot, level 1 smaller with a dash."""
    return [
        TextParagraph(
            runs=rich_runs(line.text),
            level=line.level,
            scale=measure.scale,
            space_before=measure.space_before,
            bullet="•" if line.level == 0 else "–",
            min_size=measure.min_size,
        )
        for line, measure in zip(lines, bullet_measures(lines, floor), strict=True)
    ]


def measured(block: TextBlock) -> list[Paragraph]:
    """Give the block's paragraphs as layout measures them, run by run."""
    return [
        Paragraph(text=p.text, scale=p.scale, indent=bullet_indent(p.level) + p.hang,
                  space_before=p.space_before, bold=any(run.bold for run in p.runs),
                  runs=tuple(StyledRun(run.text, run.bold, run.mono) for run in p.runs),
                  min_size=p.min_size)
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
    """Write the block's paragraphs into a text frame, replacing what it held.

    The XML is written with lxml directly (what python-pptx's proxies would write, attribute
    for attribute): going through the proxies took a tenth of a build.
    """
    body = frame._txBody
    _set_body_properties(body.find(_BODY_PR), block.anchor)
    first = body.find(_P)
    for index, paragraph in enumerate(block.paragraphs):
        target = first if index == 0 and first is not None else etree.SubElement(body, _P)
        _write_paragraph(target, paragraph, style, size, frame.part,
                         block.background or style.colors.background, block.line_height)


def _set_body_properties(body_pr: etree._Element, anchor: MSO_ANCHOR) -> None:
    body_pr.set("wrap", "square")
    for old in [child for child in body_pr if child.tag in _AUTOFIT_TAGS]:
        body_pr.remove(old)
    autofit = body_pr.makeelement(qn("a:noAutofit"), {})
    later = [child for child in body_pr if child.tag in _AFTER_AUTOFIT]
    if later:
        later[0].addprevious(autofit)
    else:
        body_pr.append(autofit)
    body_pr.set("anchor", anchor.xml_value)
    for side in ("lIns", "rIns", "tIns", "bIns"):
        body_pr.set(side, _INSET)


def _write_paragraph(target: etree._Element, paragraph: TextParagraph, style: DeckStyle,
                     size: float, part: Part, background: str, line_height: float) -> None:
    for existing in [*target.findall(_R), *target.findall(_BR)]:
        target.remove(existing)
    run_size = scaled_size(size, paragraph.scale, paragraph.min_size)
    _write_paragraph_properties(_get_or_add_p_pr(target), paragraph, run_size, line_height)
    end = target.find(_END_PARA_RPR)
    # the tab after a label takes the text's style: LibreOffice styles a linked run that follows
    # as what stands before it
    label = (paragraph.label, replace(paragraph.runs[0], text="\t")) if paragraph.label else ()
    for text_run in (*label, *paragraph.runs):
        color = _run_color(text_run, style, background)
        for element in _run_elements(target, text_run, style, run_size, part, color):
            if end is not None:
                end.addprevious(element)
            else:
                target.append(element)
    if end is None:
        end = etree.SubElement(target, _END_PARA_RPR)
    end.set("lang", style.lang)
    end.set("sz", str(round(run_size * 100)))


def _run_color(run: TextRun, style: DeckStyle, background: str) -> str:
    """Give the colour the run is drawn in: a link's is the theme's link colour where that
    reads on the background (viewers draw links in it), else the run's own, made readable."""
    if run.link and style.link and contrast_ratio(style.link, background) >= MINIMUM_RATIO:
        return style.link
    return readable(run.color or style.colors.text, background)


def _get_or_add_p_pr(target: etree._Element) -> etree._Element:
    p_pr = target.find(_P_PR)
    if p_pr is None:
        p_pr = target.makeelement(_P_PR, {})
        target.insert(0, p_pr)
    return p_pr


def _write_paragraph_properties(p_pr: etree._Element, paragraph: TextParagraph,
                                run_size: float, line_height: float) -> None:
    if paragraph.align is not None:
        p_pr.set("algn", paragraph.align.xml_value)
    # Lines break between words, Korean and Latin alike, as the measure breaks them
    p_pr.set("eaLnBrk", "0")
    p_pr.set("latinLnBrk", "0")
    # LibreOffice lets CJK punctuation hang past the frame's edge; the measure wraps it instead
    p_pr.set("hangingPunct", "0")
    spacings = [("a:lnSpc", round(run_size * line_height, 1))]  # exact, as measured
    if paragraph.space_before:
        spacings.append(("a:spcBef", round(run_size * paragraph.space_before, 1)))
    for index, (tag, points) in enumerate(spacings):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
        spacing = p_pr.makeelement(qn(tag), {})
        etree.SubElement(spacing, _SPC_PTS, val=_centipoints(points))
        p_pr.insert(index, spacing)
    _write_bullet(p_pr, paragraph)


def _centipoints(points: float) -> str:
    """Give points as python-pptx writes them: whole EMUs, then whole hundredths of a point."""
    return str(int(points * EMU_PER_POINT) // EMU_PER_CENTIPOINT)


def _write_bullet(p_pr: etree._Element, paragraph: TextParagraph) -> None:
    if paragraph.level is None:
        _append_bullet_part(p_pr, p_pr.makeelement(qn("a:buNone"), {}))
        if paragraph.hang:
            _write_hang(p_pr, paragraph.hang)
        return
    indent = bullet_indent(paragraph.level)
    p_pr.set("marL", str(indent))
    p_pr.set("indent", str(-BULLET_INDENT))
    p_pr.set("lvl", str(paragraph.level))
    _append_bullet_part(p_pr, p_pr.makeelement(qn("a:buFont"), {"typeface": "Arial"}))
    _append_bullet_part(p_pr, p_pr.makeelement(qn("a:buChar"), {"char": paragraph.bullet}))


def _write_hang(p_pr: etree._Element, hang: int) -> None:
    """Hang the label left of the text: lines start at `hang`, where the label's tab stops."""
    p_pr.set("marL", str(hang))
    p_pr.set("indent", str(-hang))
    tabs = p_pr.makeelement(qn("a:tabLst"), {})
    etree.SubElement(tabs, qn("a:tab"), pos=str(hang), algn="l")
    later = [child for child in p_pr if child.tag in (qn("a:defRPr"), qn("a:extLst"))]
    if later:
        later[0].addprevious(tabs)
    else:
        p_pr.append(tabs)


def _append_bullet_part(p_pr: etree._Element, part: etree._Element) -> None:
    later = [child for child in p_pr if child.tag in _AFTER_BULLET]
    if later:
        later[0].addprevious(part)
    else:
        p_pr.append(part)


def _run_elements(paragraph: etree._Element, part: TextRun, style: DeckStyle,
                  run_size: float, package_part: Part, color: str) -> list[etree._Element]:
    """Give the `a:r` of the run's text; a line break in it as `a:br` (one paragraph still)."""
    elements: list[etree._Element] = []
    for index, line in enumerate(part.text.split("\n")):
        if index:
            br = paragraph.makeelement(_BR, {})
            _run_properties(etree.SubElement(br, _R_PR), part, style, run_size, color)
            elements.append(br)
        if line or index == 0:
            elements.append(_run_element(paragraph, replace(part, text=line), style, run_size,
                                         package_part, color))
    return elements


def _run_properties(properties: etree._Element, part: TextRun, style: DeckStyle,
                    run_size: float, color: str) -> None:
    scheme = dict(style.scheme)
    if part.link and scheme and color == style.link:
        scheme[color] = "hlink"
    style_run_properties(properties,
                         latin=style.code_latin if part.mono else style.latin,
                         east_asian=style.code_east_asian if part.mono else style.east_asian,
                         lang=style.lang, size_pt=run_size,
                         bold=part.bold,  # written either way: LibreOffice carries bold over
                         italic=True if part.italic else None,
                         color=color, highlight=part.tint, scheme=scheme)


def _run_element(paragraph: etree._Element, part: TextRun, style: DeckStyle,
                 run_size: float, package_part: Part, color: str) -> etree._Element:
    """Give an `a:r` of the run's text with the deck's fonts (the code ones for `mono`)."""
    run = paragraph.makeelement(_R, {})
    properties = etree.SubElement(run, _R_PR)
    _run_properties(properties, part, style, run_size, color)
    if part.link:
        properties.set("u", "sng")
        rel_id = package_part.relate_to(part.link, RT.HYPERLINK, is_external=True)
        link = etree.SubElement(properties, qn("a:hlinkClick"))
        link.set(qn("r:id"), rel_id)
        if color != style.link:  # the theme's link colour would not read here
            keep_run_color(link)
    etree.SubElement(run, _T).text = escape_control_characters(part.text)
    return run
