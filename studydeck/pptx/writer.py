"""The deck's planned slides written as one .pptx: slides, notes, links, sections, animations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide
from pptx.util import Emu

from studydeck.diagrams.cache import DiagramImages
from studydeck.diagrams.native import NativeDiagram
from studydeck.layout import geometry as g
from studydeck.layout.fit import LINK_SIZE
from studydeck.layout.planned import PlannedSlide
from studydeck.layout.text import faces_in_use, measurer_id
from studydeck.layout.titles import content_title, hero_title
from studydeck.pptx.animation import write_click_sequence
from studydeck.pptx.archive import package_bytes
from studydeck.pptx.context import SlideContext, SlideResult, SlideWriter, agenda_made_from
from studydeck.pptx.footer import add_footer
from studydeck.pptx.layout_roles import Layouts
from studydeck.pptx.package import cached_lookups, index_parts, write_notes
from studydeck.pptx.repeated import add_repeated_box, deck_memo
from studydeck.pptx.reuse import ChapterReuse, Written, chapter_groups, writer_identity
from studydeck.pptx.source_marks import mark_slide
from studydeck.pptx.style import DeckStyle, deck_style
from studydeck.pptx.template import (
    DeckBase,
    remove_unused_placeholders,
    start_deck,
    title_shape,
)
from studydeck.pptx.text import (
    TextBlock,
    TextParagraph,
    TextRun,
    add_text_box,
    fill_frame,
    plain,
)
from studydeck.pptx.theme import refer_to_theme
from studydeck.pptx.xml import add_slide_jump, keep_letter_case, write_sections
from studydeck.richtext import plain_text
from studydeck.schema.models import ChapterBase, Deck
from studydeck.source.files import write_atomically
from studydeck.source.fingerprint import file_digests
from studydeck.source.kept_slides import SlideStore

HERO_AREAS = {"title": "title_slide_title", "section": "section_title"}  # geometry.PageAreas
FIXED_TIME = dt.datetime(2000, 1, 1)  # core properties stay the same from build to build
_XFRM, _OFF, _EXT = qn("a:xfrm"), qn("a:off"), qn("a:ext")


@dataclass(frozen=True)
class DeckSources:
    """What a deck's slides are written from, besides the planned slides themselves."""

    deck: Deck
    chapters: Sequence[ChapterBase]  # the chapters in this file
    images: dict[str, DiagramImages]
    schedule: dict[str, str] = field(default_factory=dict)
    template: Path | None = None
    natives: dict[str, NativeDiagram] = field(default_factory=dict)
    deck_chapters: Sequence[ChapterBase] = field(default_factory=list)  # the whole deck's
    write_slide: SlideWriter = field(kw_only=True)  # each kind of slide's body (slides/)


@cached_lookups()
def write_deck(sources: DeckSources, planned: Sequence[PlannedSlide], target: Path,
               store: SlideStore | None = None) -> Path:
    """Write the planned slides to `target` (atomically) and give the path written.

    `sources.deck_chapters` are the whole deck's chapters when `sources.chapters` are some of
    them (a chapter's own deck): its numbers and agenda stay the whole deck's. With a `store`,
    chapters whose slides it kept from an earlier build are taken from it, and those written now
    are kept in it.
    """
    writing = _DeckWriting.start(sources, store)
    written = writing.slides(chapter_groups(planned))
    _link_agenda(written)
    writing.add_back_links(written)
    _write_sections(writing.prs, sources.deck, written)
    _set_properties(writing.prs, sources.deck)
    if writing.reuse:
        writing.reuse.keep_written()
    return save_atomically(writing.prs, target)


@cached_lookups()
def keep_chapters(sources: DeckSources, planned: Sequence[PlannedSlide], store: SlideStore,
                  chapter_ids: Collection[str]) -> None:
    """Write the slides of the chapters named (and the deck's own, that theirs link to) and keep
    them in `store`, as write_deck would: a write_deck with that store then takes them from it."""
    writing = _DeckWriting.start(sources, store)
    groups = [group for group in chapter_groups(planned)
              if group[0].chapter is None or group[0].chapter.id in chapter_ids]
    written = writing.slides(groups)
    writing.add_back_links(written)
    assert writing.reuse is not None
    writing.reuse.keep_written(chapter_ids)


@dataclass
class _DeckWriting:
    """A deck being written: the presentation, what its slides use, and the kept chapters."""

    prs: PresentationType
    layouts: Layouts
    ctx: SlideContext
    reuse: ChapterReuse | None
    write_slide: SlideWriter

    @classmethod
    def start(cls, sources: DeckSources, store: SlideStore | None) -> _DeckWriting:
        base = start_deck(sources.deck, sources.template, store.folder.parent if store else None)
        index_parts(base.prs)
        ctx = SlideContext(deck=sources.deck, chapters=sources.chapters, style=base.style,
                           images=sources.images, default_reveal=sources.deck.reveal,
                           schedule=sources.schedule, natives=sources.natives,
                           deck_chapters=sources.deck_chapters or sources.chapters)
        reuse = _chapter_reuse(base, ctx, store, sources.template) if store else None
        return cls(base.prs, base.layouts, ctx, reuse, sources.write_slide)

    def slides(self, groups: list[list[PlannedSlide]]) -> list[Written]:
        """Add the groups' slides in order (kept chapters restored); give them as written."""
        if self.reuse is None:
            return [self._write(item) for group in groups for item in group]
        written = [row for group in groups for row in self.reuse.slides(group, self._write)]
        self.reuse.link_later_slides()
        return written

    def add_back_links(self, written: list[Written]) -> None:
        _add_back_links(self.ctx, written, kept=self.reuse.restored if self.reuse else set())

    def _write(self, item: PlannedSlide) -> Written:
        return (item, *_add_slide(self.prs, self.layouts, self.ctx, self.write_slide, item))


def _chapter_reuse(base: DeckBase, ctx: SlideContext, store: SlideStore,
                   template: Path | None) -> ChapterReuse:
    """Give the reuse of kept chapters, keyed by everything shared by this deck's slides."""
    store.depend_on(writer_identity(), measurer_id(), faces_in_use(), ctx.deck, ctx.style,
                    [chapter.id for chapter in ctx.chapters],
                    [chapter.id for chapter in ctx.deck_chapters], ctx.schedule,
                    ctx.default_reveal, template, file_digests([template] if template else []))

    def native_of(item: PlannedSlide) -> NativeDiagram | None:
        return ctx.natives.get(item.diagram.name) if item.diagram else None

    def pictures_of(item: PlannedSlide) -> list[Path]:
        shown = ctx.images.get(item.diagram.name) if item.diagram else None
        native = native_of(item)
        icons = [Path(icon) for icon in native.icons.values() if icon] if native else []
        return [*(shown.files if shown else []), *icons, *([item.image] if item.image else [])]

    def depends_on(item: PlannedSlide) -> list[object]:
        if item.chapter:
            return [native_of(item)]
        return agenda_made_from(ctx) if item.kind == "agenda" else []

    return ChapterReuse(base.prs, base.layouts, store, pictures_of, depends_on,
                        chapters_in_file="+".join(chapter.id for chapter in ctx.chapters))


def _add_slide(prs: PresentationType, layouts: Layouts, ctx: SlideContext,
               write_slide: SlideWriter, item: PlannedSlide) -> tuple[Slide, SlideResult]:
    slide = prs.slides.add_slide(layouts.for_kind(item.kind))
    _write_title(ctx, slide, item)
    result = write_slide(ctx, slide, item)
    remove_unused_placeholders(slide)
    write_notes(slide, item.notes)
    mark_slide(slide, _source_of(item))  # before the footer: what pull reads back, no more
    if item.kind != "title":
        add_footer(slide, item.position.number, ctx.deck.theme, ctx.style)
    write_click_sequence(slide, result.clicks)
    refer_to_theme(slide._element, ctx.style)
    return slide, result


def _source_of(item: PlannedSlide) -> str:
    """Give where the slide comes from, as its source mark names it: `alpha/3` (slide 3 of
    chapter alpha's `slides:`, from 0), `alpha/section`, `deck/title`, `deck/agenda`."""
    if item.chapter is None:
        return f"deck/{item.kind}"
    return f"{item.chapter.id}/{'section' if item.source_index is None else item.source_index}"


def _write_title(ctx: SlideContext, slide: Slide, item: PlannedSlide) -> None:
    style = ctx.style
    title = title_shape(slide)
    text = item.shown_title or _default_title(ctx, item)
    if item.kind in ("title", "section"):
        fit = hero_title(text, item.kind, style.title_size)
        block = TextBlock([plain(text, bold=True, color=style.colors.primary,
                                 align=PP_ALIGN.LEFT)], fit.size, fit.size, MSO_ANCHOR.BOTTOM,
                          g.AREAS.background_of(HERO_AREAS[item.kind]) or None)
    else:
        fit = content_title(text, style.title_size, item.tall_title)
        block = TextBlock([plain(text, bold=True, color=style.colors.primary)], fit.size,
                          fit.size, MSO_ANCHOR.MIDDLE, g.AREAS.background_of("title") or None)
    _place(title, fit.box)
    fill_frame(title.text_frame, block, _title_style(slide, style), fit.size)
    keep_letter_case(title.text_frame)  # a layout may set its titles in capitals


def _title_style(slide: Slide, style: DeckStyle) -> DeckStyle:
    """Give style.for_titles(), worked out once per deck."""
    memo = deck_memo(slide)
    if "title style" not in memo:
        memo["title style"] = style.for_titles()
    titles: DeckStyle = memo["title style"]
    return titles


def _place(shape: Shape, box: g.Box) -> None:
    """Put the shape at `box`: the XML setting python-pptx's left, top, width and height
    writes, without its look-ups (a title placeholder is placed on every slide)."""
    properties = shape._element.spPr
    xfrm = properties.find(_XFRM)
    if xfrm is None:
        xfrm = properties.makeelement(_XFRM, {})
        properties.insert(0, xfrm)  # the first of a shape's properties
    offset, extent = xfrm.find(_OFF), xfrm.find(_EXT)
    if offset is None:
        offset = properties.makeelement(_OFF, {})
        xfrm.insert(0, offset)
    if extent is None:
        extent = xfrm.makeelement(_EXT, {})
        xfrm.append(extent)
    offset.set("x", str(Emu(box.left)))
    offset.set("y", str(Emu(box.top)))
    extent.set("cx", str(Emu(box.width)))
    extent.set("cy", str(Emu(box.height)))


def _default_title(ctx: SlideContext, item: PlannedSlide) -> str:
    return ctx.style.words.agenda if item.kind == "agenda" else ctx.style.words.quiz


def _link_agenda(written: list[Written]) -> None:
    """Make each agenda entry jump to its chapter's section slide."""
    sections = {item.chapter.id: slide for item, slide, _ in written
                if item.kind == "section" and item.chapter}
    for _, _, result in written:
        for run, chapter_id in result.chapter_links:
            add_slide_jump(run, sections[chapter_id])


def _add_back_links(ctx: SlideContext, written: list[Written], kept: set[Part]) -> None:
    """Give every slide but the title and agenda a link back to the agenda.

    Slides `kept` from an earlier build (or written by a helper) have theirs already.
    """
    agenda = next(slide for item, slide, _ in written if item.kind == "agenda")
    link = TextParagraph(runs=(TextRun(ctx.style.words.back_to_agenda,
                                       color=ctx.style.colors.muted),))
    block = TextBlock([link], LINK_SIZE, LINK_SIZE, MSO_ANCHOR.MIDDLE,
                      g.AREAS.background_of("back_link") or None)
    for item, slide, _ in written:
        if item.kind in ("title", "agenda") or slide.part in kept:
            continue
        box = add_repeated_box(slide, "back link",
                               partial(add_text_box, slide, g.BACK_LINK, block, ctx.style))
        box.name = "Back to agenda"
        add_slide_jump(box.text_frame.paragraphs[0].runs[0], agenda)


def _write_sections(prs: PresentationType, deck: Deck,
                    written: list[tuple[PlannedSlide, Slide, SlideResult]]) -> None:
    sections: list[tuple[str, list[Slide]]] = [(plain_text(deck.title), [])]
    current = ""
    for item, slide, _ in written:
        if item.chapter is not None and item.chapter.id != current:
            current = item.chapter.id
            sections.append((plain_text(item.chapter.title), []))
        sections[-1][1].append(slide)
    write_sections(prs, sections)


def _set_properties(prs: PresentationType, deck: Deck) -> None:
    properties = prs.core_properties
    properties.title = plain_text(deck.title)
    properties.subject = plain_text(deck.subtitle)
    properties.author = deck.author
    properties.last_modified_by = deck.author
    properties.language = deck_style(deck).lang
    properties.created = FIXED_TIME
    properties.modified = FIXED_TIME
    properties.revision = 1


def save_atomically(prs: PresentationType, target: Path) -> Path:
    """Save the presentation to `target` without ever leaving a half-written file there."""
    return write_atomically(target, package_bytes(prs))
