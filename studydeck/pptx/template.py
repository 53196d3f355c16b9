"""The master a deck is built on: python-pptx's own, or the user's corporate template.

A template gives its layouts (picked by role: pptx/layout_roles.py), the areas of its
placeholders (pptx/template_areas.py), its placeholders (filled by `idx`) and its theme's fonts
and colours; its own sample slides are removed, and a template that is not 13.333 × 7.5 in is
scaled to that size, because studydeck lays slides out on that grid.
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pptx
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.package import Part
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.shapes.autoshape import Shape
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu

from studydeck.layout import geometry as g
from studydeck.pptx.archive import package_bytes
from studydeck.pptx.converted import ConversionError, presentation_file
from studydeck.pptx.layout_roles import ROLES, TITLE_TYPES, Layouts, pick_layouts
from studydeck.pptx.style import DeckStyle, deck_style
from studydeck.pptx.template_mend import mend_export
from studydeck.pptx.template_size import fit_to_slide_size
from studydeck.pptx.text import TextBlock, add_text_box, chosen_size, fill_frame
from studydeck.pptx.theme import (
    in_own_theme,
    styled_by_template,
    theme_look,
    write_deck_theme,
)
from studydeck.richtext import plain_text
from studydeck.schema.models import Deck
from studydeck.source.bounded_files import archive_problem, check_expansion
from studydeck.source.files import delete_file
from studydeck.source.fingerprint import code_fingerprint, digest
from studydeck.source.sealed import read_sealed, write_sealed

SUBTITLE_TYPES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY)
PROPERTY_PARTS = (RT.PRES_PROPS, RT.VIEW_PROPS, RT.TABLE_STYLES)
DEFAULT_KEPT_PREFIX = "default-template-"
# what reading a template that is not a readable PowerPoint file raises (template_problems says it)
UNREADABLE = (OSError, ValueError, KeyError, NotImplementedError, zipfile.BadZipFile,
              etree.LxmlError, ConversionError)
# A .potx is a .pptx whose main part says "template": python-pptx opens only the latter.
_TEMPLATE_MAIN = b"presentationml.template.main+xml"
_PRESENTATION_MAIN = b"presentationml.presentation.main+xml"


@dataclass(frozen=True)
class DeckBase:
    """What a deck is written on: the opened template, its layouts and the deck's style."""

    prs: PresentationType
    layouts: Layouts
    style: DeckStyle


def start_deck(deck: Deck, template: Path | None, kept_in: Path | None = None) -> DeckBase:
    """Give the presentation to add slides to, the layouts to use and the style to write with.

    With `kept_in` (a cache folder), python-pptx's own template is kept there fitted to 16:9.
    """
    if template is None:
        prs = fitted_default_template(kept_in)
        layouts = pick_layouts(prs)
    else:
        prs, layouts = _prepared_roles(template)
    style = deck_style(deck)
    if template is not None:
        style = styled_by_template(style, deck, theme_look(layouts.content),
                                   g.AREAS.background_of("body"))
    else:  # a corporate template keeps its own theme; studydeck's own takes the deck's look
        write_deck_theme(prs.slide_master.part, style, plain_text(deck.title))
        style = in_own_theme(style)
    return DeckBase(prs, layouts, style)


def prepared_template(template: Path) -> tuple[PresentationType, list[SlideLayout]]:
    """Give the template without its sample slides, fitted to 16:9, and the layouts its sample
    slides used (they show which of its layouts its designers use for what)."""
    prs = open_template(template)
    shown = [slide.slide_layout for slide in prs.slides]
    _SAMPLE_PLACES[id(prs)] = _sample_places(prs)
    remove_slides(prs)
    fit_to_slide_size(prs)
    return prs, shown


# (master part, placeholder type) → its box on a sample slide, in 16:9 EMU, per presentation
_SAMPLE_PLACES: dict[int, dict[tuple[object, object], g.Box]] = {}


def _sample_places(prs: PresentationType) -> dict[tuple[object, object], g.Box]:
    """Give where the template's sample slides put each kind of placeholder, per master: what
    its designers meant, where a converted template's layouts keep generic places."""
    width, height = prs.slide_width or g.SLIDE_WIDTH, prs.slide_height or g.SLIDE_HEIGHT
    x_factor, y_factor = g.SLIDE_WIDTH / width, g.SLIDE_HEIGHT / height
    places: dict[tuple[object, object], g.Box] = {}
    for slide in prs.slides:
        master = slide.slide_layout.slide_master.part
        for placeholder in slide.placeholders:
            if placeholder._element.spPr.find(qn("a:xfrm")) is None:
                continue
            box = g.Box(round(placeholder.left * x_factor), round(placeholder.top * y_factor),
                        round(placeholder.width * x_factor), round(placeholder.height * y_factor))
            places.setdefault((master, placeholder.placeholder_format.type), box)
    return places


def sample_places(prs: PresentationType) -> dict[tuple[object, object], g.Box]:
    """Give the sample slides' placeholder boxes noted when `prs` was prepared (none if not)."""
    return _SAMPLE_PLACES.get(id(prs), {})


def template_page_areas(template: Path) -> g.PageAreas:
    """Give where the template's layouts put titles, body, footer, and what is behind them."""
    found = template.stat()
    return _page_areas(template, found.st_size, found.st_mtime_ns)


@functools.lru_cache(maxsize=4)
def _page_areas(template: Path, size: int, modified: int) -> g.PageAreas:
    from studydeck.pptx.template_areas import template_areas  # keeps a plain build fast

    prs, layouts = _prepared_roles(template)
    return template_areas(layouts, sample_places(prs))


def template_roles(template: Path) -> Layouts:
    """Give the template's layouts by role, as a deck built on it uses them."""
    return _prepared_roles(template)[1]


def _prepared_roles(template: Path) -> tuple[PresentationType, Layouts]:
    """Give the prepared template and its layouts by role, its content layout's body drawn on
    the panel its body placeholder's fill gives (pptx/template_panel.py): what the deck is
    written on, and what its areas are read from."""
    from studydeck.pptx.template_areas import body_place  # keeps a plain build fast
    from studydeck.pptx.template_panel import draw_body_panel

    prs, shown = prepared_template(template)
    layouts = _kept_roles(template, prs, shown)
    draw_body_panel(layouts.content, body_place(layouts.content, sample_places(prs)))
    return prs, layouts


# (template, size, modified) → the part names of its layouts by role: a build picks them once
_ROLE_PARTS: dict[tuple[Path, int, int], tuple[str, ...]] = {}
KEPT_ROLES = 16


def _kept_roles(template: Path, prs: PresentationType, shown: list[SlideLayout]) -> Layouts:
    """Give _roles' layouts of the prepared template `prs`, picked once for the file (its
    areas and the deck written on it both ask)."""
    found = template.stat()
    key = (template, found.st_size, found.st_mtime_ns)
    names = _ROLE_PARTS.get(key)
    if names is None:
        layouts = _roles(prs, shown)
        if len(_ROLE_PARTS) >= KEPT_ROLES:
            del _ROLE_PARTS[next(iter(_ROLE_PARTS))]
        _ROLE_PARTS[key] = tuple(str(getattr(layouts, role).part.partname) for role in ROLES)
        return layouts
    by_name = {str(layout.part.partname): layout
               for master in prs.slide_masters for layout in master.slide_layouts}
    return Layouts(**{role: by_name[name] for role, name in zip(ROLES, names, strict=True)})


def _roles(prs: PresentationType, shown: list[SlideLayout]) -> Layouts:
    """Give the layouts by role; a layout's room for body content is what its body placeholder
    leaves clear of the template's own shapes."""
    from studydeck.pptx.template_areas import body_room  # keeps a plain build fast

    places = sample_places(prs)
    return pick_layouts(prs, shown, lambda layout: body_room(layout, places))


def template_layouts(template: Path | None) -> list[tuple[str, str]]:
    """Give (role, layout) for each role, as `doctor` and `build --verbose` show them."""
    if template is None:
        return pick_layouts(fitted_default_template(None)).described()
    return template_roles(template).described()


def fitted_default_template(kept_in: Path | None) -> PresentationType:
    """Give python-pptx's own template fitted to 16:9, opened from the copy kept in `kept_in`.

    Fitting scales every shape of its eleven layouts through python-pptx (~30 ms a build); the
    fitted file is kept under a name that changes with studydeck's code and python-pptx's version.
    Every build opens the saved file, the one that made it too, so every build starts the same.
    """
    if kept_in is None:
        prs = Presentation()
        fit_to_slide_size(prs)
        return prs
    version = digest(code_fingerprint(), pptx.__version__)[:20]
    kept = kept_in / f"{DEFAULT_KEPT_PREFIX}{version}.sealed"
    found = read_sealed(kept, "default-template")  # only a copy this user's build kept
    try:
        if found is not None:
            return Presentation(io.BytesIO(found))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, etree.LxmlError):
        pass
    saved = _fitted_default_bytes()
    for older in kept_in.glob(f"{DEFAULT_KEPT_PREFIX}*"):
        delete_file(older)
    write_sealed(kept, "default-template", saved)
    return Presentation(io.BytesIO(saved))



def _fitted_default_bytes() -> bytes:
    fitted = Presentation()
    fit_to_slide_size(fitted)
    return package_bytes(fitted)  # fixed times: the same bytes on every machine


def open_template(path: Path | None) -> PresentationType:
    """Give the template (python-pptx's own for None) with the property parts a deck needs."""
    if path is None:
        return Presentation()
    prs = Presentation(io.BytesIO(_presentation_bytes(path)))
    _add_missing_properties(prs)
    mend_export(prs)
    return prs


def _add_missing_properties(prs: PresentationType) -> None:
    """Give the deck the presentation, view and table-style parts PowerPoint expects.

    LibreOffice writes none of them; PowerPoint offers to repair a deck without view properties.
    """
    default = Presentation()
    for reltype in PROPERTY_PARTS:
        if not any(rel.reltype == reltype for rel in prs.part.rels.values()):
            model = default.part.part_related_by(reltype)
            part = Part(model.partname, model.content_type, prs.part.package, model.blob)
            prs.part.relate_to(part, reltype)


def template_problems(path: Path) -> list[tuple[str, str, str]]:
    """Give (severity, what is wrong, hint) for each reason `path` is a poor template."""
    try:
        prs = Presentation(io.BytesIO(_presentation_bytes(path)))
    except ConversionError as err:
        return [("error", err.message, err.hint)]
    except UNREADABLE as err:
        return [("error", f"cannot be read as a PowerPoint file ({_reason(err)})",
                 "open it in PowerPoint or LibreOffice Impress and save it again as .pptx")]
    if not any(len(master.slide_layouts) for master in prs.slide_masters):
        return [("error", "has no slide layouts",
                 "use a template made with PowerPoint or LibreOffice Impress")]
    width, height = prs.slide_width or g.SLIDE_WIDTH, prs.slide_height or g.SLIDE_HEIGHT
    if abs(width / height - g.SLIDE_WIDTH / g.SLIDE_HEIGHT) > 0.01:
        inches = f"{width / g.EMU_PER_INCH:.2f} × {height / g.EMU_PER_INCH:.2f} in"
        return [("warning", f"is {inches}, not 16:9: its master and layouts are stretched to "
                 "13.33 × 7.50 in", "save the template as 16:9 (Widescreen) to keep its look")]
    return []


def checkable_template(path: Path | None) -> Path | None:
    """Give `path` when the template can be opened safely and read (what the deck's checks
    look at); None when loading the project refuses it (and says why)."""
    if path is None or not path.is_file() or archive_problem(path):
        return None
    if any(severity == "error" for severity, _, _ in template_problems(path)):
        return None
    return path


def _reason(err: Exception) -> str:
    text = str(err).strip() or type(err).__name__
    return text if len(text) < 120 else text[:117] + "..."


def _presentation_bytes(path: Path) -> bytes:
    """Give the file's bytes, a .potx relabelled as a presentation so python-pptx opens it."""
    data = presentation_file(path).read_bytes()
    if not data.startswith(b"PK"):
        raise ValueError("not a zip package")
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        check_expansion(package)  # ValueError before python-pptx expands a zip bomb
        types = package.read("[Content_Types].xml")
        if _TEMPLATE_MAIN not in types:
            return data
        return _rewritten(package, "[Content_Types].xml",
                          types.replace(_TEMPLATE_MAIN, _PRESENTATION_MAIN))


def _rewritten(package: zipfile.ZipFile, name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in package.infolist():
            copy.writestr(item, content if item.filename == name else package.read(item))
    return buffer.getvalue()


# --- sample slides ---------------------------------------------------------------------------


def remove_slides(prs: PresentationType) -> None:
    """Remove every slide the template holds: its id, its relationship and so its parts.

    A part no relationship reaches is not saved, so new slides can take the names
    slide1.xml, slide2.xml, ... without a duplicate name in the zip.
    """
    id_list = prs.slides._sldIdLst
    removed = set()
    for slide_id in list(id_list):
        removed.add(prs.part.related_part(slide_id.rId))
        id_list.remove(slide_id)
        prs.part.drop_rel(slide_id.rId)
    for custom_shows in prs.part._element.findall(qn("p:custShowLst")):
        prs.part._element.remove(custom_shows)  # they list slides by relationship id
    _unlink(prs, removed)


def _unlink(prs: PresentationType, removed: set[Part]) -> None:
    """Drop links from kept parts (a master's action button, say) to removed slides."""
    for part in list(prs.part.package.iter_parts()):
        element = getattr(part, "_element", None)
        for rel_id, rel in list(part.rels.items()):
            if rel.is_external or rel.target_part not in removed:
                continue
            if element is not None:
                for linked in element.xpath(f'//*[@r:id="{rel_id}"]'):
                    linked.getparent().remove(linked)
            part.rels.pop(rel_id)


# --- placeholders ------------------------------------------------------------------------------


def title_shape(slide: Slide) -> Shape:
    """Give the slide's title placeholder (idx 0), or a new text box where the layout has none."""
    title = slide.shapes.title
    if title is not None:
        return title
    box = slide.shapes.add_textbox(Emu(g.TITLE.left), Emu(g.TITLE.top), Emu(g.TITLE.width),
                                   Emu(g.TITLE.height))
    box.name = "Title"
    return box


def fill_placeholder(slide: Slide, idx: int, box: g.Box, block: TextBlock,
                     style: DeckStyle) -> Shape:
    """Write the block into the text placeholder `idx` moved to `box`, else into a new text box."""
    for placeholder in slide.placeholders:
        if (placeholder.placeholder_format.idx == idx
                and placeholder.placeholder_format.type in (*SUBTITLE_TYPES, *TITLE_TYPES)):
            placeholder.left, placeholder.top = Emu(box.left), Emu(box.top)
            placeholder.width, placeholder.height = Emu(box.width), Emu(box.height)
            fill_frame(placeholder.text_frame, block, style, chosen_size(block, box))
            return cast(Shape, placeholder)
    return add_text_box(slide, box, block, style)


def remove_unused_placeholders(slide: Slide) -> None:
    """Remove the placeholders nothing was written into, but the title (LibreOffice numbers
    every placeholder of its layouts 0: the title is told by its type)."""
    for element in list(slide.shapes._spTree.iter_ph_elms()):  # read directly: every slide
        body = element.find(qn("p:txBody"))
        used = body is not None and any((t.text or "").strip() for t in body.iter(qn("a:t")))
        if element.ph_type not in TITLE_TYPES and not used:
            element.getparent().remove(element)
