"""A project from someone else, output/ included: studydeck writes and deletes only inside it, and
what its caches hold cannot change the deck nor crash studydeck."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import FIXTURES, REPO, Result, copy_project, run_cli
from PIL import Image
from pptx import Presentation

from studydeck.errors import DeckError
from studydeck.export.render_cache import CACHE_DIR, INDEX_KIND, picture_key
from studydeck.export.workers import WorkerPool
from studydeck.pptx.render_key import render_slides
from studydeck.preview.site import PreviewSite
from studydeck.source import sealed
from studydeck.source.folder import find_project

NATIVE = FIXTURES / "native"
POISON = "PAY INVOICE TO IBAN DE00 6666"


def files_of(folder: Path) -> dict[str, bytes]:
    """Give every file under `folder` (links not followed) with its bytes."""
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file() and not path.is_symlink()}


def victim_folder(tmp_path: Path) -> Path:
    """Give a folder outside the project holding the user's documents."""
    folder = tmp_path / "documents"
    folder.mkdir()
    for name in ("thesis.docx", "flow.png", "deck.pptx", "alpha.deck", "abc123.json"):
        (folder / name).write_bytes(f"the user's own {name}".encode())
    return folder


def assert_refused_link(result: Result, link: str, outside: Path) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output
    assert f"{link} is a link to {outside}; remove it" in result.stderr, result.stderr


# --- nothing written or deleted outside the project ---------------------------------------


@pytest.mark.parametrize("linked", ["output", "output/.cache", "output/.cache/slides",
                                    "output/diagrams", "output/diagrams/.cache"])
def test_a_build_never_writes_through_a_linked_output_folder(
        tmp_path: Path, linked: str) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    if linked != "output":  # the folders above it are real: a build made them
        assert run_cli("build", "--project", project).exit_code == 0
        for path in sorted((project / linked).rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        (project / linked).rmdir()
    outside = victim_folder(tmp_path)
    before = files_of(outside)
    (project / linked).symlink_to(outside)
    result = run_cli("build", "--project", project)
    assert_refused_link(result, linked, outside)
    assert files_of(outside) == before


def test_preview_never_deletes_in_a_linked_slides_folder(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    (project / "output" / "preview").mkdir(parents=True)
    outside = victim_folder(tmp_path)
    before = files_of(outside)
    (project / "output" / "preview" / "slides").symlink_to(outside)
    with pytest.raises(DeckError) as refused:
        PreviewSite(find_project(project), pool=None)  # type: ignore[arg-type]
    [problem] = refused.value.problems
    assert problem.message == f"output/preview/slides is a link to {outside}; remove it"
    assert files_of(outside) == before


def test_an_output_folder_that_is_a_file_is_a_plain_error(mini_copy: Path) -> None:
    (mini_copy / "output").mkdir()
    (mini_copy / "output" / "diagrams").write_text("not a folder", encoding="utf-8")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert "output/diagrams is a file where studydeck keeps a folder" in result.stderr
    assert "Traceback" not in result.output


def test_a_link_above_the_project_is_the_users_own_choice(tmp_path: Path) -> None:
    project = copy_project(FIXTURES / "mini", tmp_path / "real" / "mini")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    assert run_cli("build", "--project", tmp_path / "link" / "mini").exit_code == 0
    assert (project / "output" / "deck.pptx").is_file()


@pytest.mark.parametrize("linked", ["templates", "templates/notes"])
def test_a_templates_folder_linked_out_of_the_project_is_refused(
        mini_copy: Path, tmp_path: Path, linked: str) -> None:
    outside = tmp_path / "elsewhere"
    (outside / "notes").mkdir(parents=True)
    (outside / "notes" / "bullets.md.j2").write_text("{{ slide.title }} secret\n",
                                                     encoding="utf-8")
    target = outside if linked == "templates" else outside / "notes"
    (mini_copy / linked).parent.mkdir(exist_ok=True)
    (mini_copy / linked).symlink_to(target)
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 1, result.output
    assert f"{linked} lies outside the project" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not (mini_copy / "output" / "deck.pptx").exists()


# --- caches cannot change what a deck shows ---------------------------------------------


def deck_dump(deck: Path) -> list[object]:
    """Give what a deck shows: each slide's texts, notes and pictures' hashes."""
    shown: list[object] = []
    for slide in Presentation(str(deck)).slides:
        texts = [shape.text_frame.text for shape in _shapes(slide.shapes) if shape.has_text_frame]
        pictures = [hashlib.sha1(shape.image.blob).hexdigest()
                    for shape in _shapes(slide.shapes) if shape.shape_type == 13]
        notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
        shown.append((texts, pictures, notes))
    return shown


def _shapes(shapes: object) -> list[object]:
    found: list[object] = []
    for shape in shapes:  # type: ignore[attr-defined]
        found.append(shape)
        if shape.shape_type == 6:  # a group
            found.extend(_shapes(shape.shapes))
    return found


def sealed_by_someone_else(kind: str, data: bytes) -> bytes:
    """Give `data` sealed as studydeck seals it, with another user's key."""
    tag = hmac.new(b"k" * 32, kind.encode() + b"\0" + data, hashlib.sha256).hexdigest()
    return sealed.MAGIC + tag.encode() + b"\n" + data


def poisoned(data: bytes) -> bytes:
    """Give the cache entry `data` (JSON) with every label replaced by the attacker's words."""
    text = data.decode("utf-8")
    for word in ("Database", "Client", "Server", "Queue", "Worker", "Retry", "Cache"):
        text = text.replace(word, POISON)
    return text.encode("utf-8")


@pytest.fixture(scope="module")
def clean_native(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    project = copy_project(NATIVE, tmp_path_factory.mktemp("clean") / "native")
    assert run_cli("build", "--project", project).exit_code == 0
    return deck_dump(project / "output" / "deck.pptx")


@pytest.mark.parametrize("how", ["plain", "sealed by someone else"])
def test_shipped_json_caches_cannot_change_the_deck(
        tmp_path: Path, clean_native: list[object], how: str) -> None:
    """The layout cache, the picture manifests and the text widths of a shipped output/."""
    project = copy_project(NATIVE, tmp_path / "native")
    assert run_cli("build", "--project", project).exit_code == 0
    caches = [*(project / "output" / "diagrams" / ".cache").glob("*.json"),
              project / "output" / ".cache" / "text-widths.json"]
    assert any(path.name.endswith(".layout.json") for path in caches)
    for path in caches:
        data = sealed.read_sealed(path, _kind(path))
        assert data is not None, path
        data = poisoned(data)
        if path.name == "text-widths.json":  # every line measured as far too wide
            widths = json.loads(data)
            widths["widths"] = {key: 1e9 for key in widths["widths"]}
            data = json.dumps(widths).encode()
        path.write_bytes(data if how == "plain" else sealed_by_someone_else(_kind(path), data))
    for picture in (project / "output" / "diagrams").glob("*.png"):
        picture.write_bytes((FIXTURES / "native" / "deck.yaml").read_bytes())  # not a picture
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    assert "cannot fit" not in result.output
    assert deck_dump(project / "output" / "deck.pptx") == clean_native
    assert POISON not in json.dumps(deck_dump(project / "output" / "deck.pptx"))


def _kind(path: Path) -> str:
    if path.name == "text-widths.json":
        return "text-widths"
    return "diagram-layout" if path.name.endswith(".layout.json") else "diagram-pictures"


GARBAGE = b"\xe3\xff\xff\xff\x7f\x00\x00\x00\x00\x00\x00"  # 11 bytes for marshal to choke on


@pytest.mark.parametrize("how", ["garbage", "someone else's marshal"])
def test_shipped_marshal_caches_are_never_decoded(tmp_path: Path, how: str) -> None:
    """An 11-byte parsed-yaml.marshal or slides/*.deck crashed the interpreter; another user's
    entries could put their words on slides. Each build runs in its own process (a crash)."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert _build_in_process(project).returncode == 0
    clean = deck_dump(project / "output" / "deck.pptx")
    cache = project / "output" / ".cache"
    entries = [cache / "parsed-yaml.marshal", *(cache / "slides").glob("*")]
    for path in entries:
        if how == "garbage":
            path.write_bytes(GARBAGE)
        else:
            path.write_bytes(sealed_by_someone_else(_marshal_kind(path), GARBAGE))
    finished = _build_in_process(project)
    assert finished.returncode == 0, finished.stderr
    assert "Traceback" not in finished.stderr
    assert deck_dump(project / "output" / "deck.pptx") == clean
    remade = [cache / "parsed-yaml.marshal", cache / "slides" / "alpha.deck"]
    assert [sealed.read_sealed(path, _marshal_kind(path)) is not None for path in remade] == [
        True, True]


def _marshal_kind(path: Path) -> str:
    return "parsed-yaml" if path.suffix == ".marshal" else path.suffix[1:]


def _build_in_process(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(REPO / "cli.py"), "build", "--project",
                           str(project)], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONFAULTHANDLER": "1"}, check=False)


# --- render records ---------------------------------------------------------------------


class PictureRenderer(WorkerPool):
    """Renders a deck as blank PDF pages, one per slide (LibreOffice's job, without it)."""

    def __init__(self) -> None:
        super().__init__(1)
        self.python = None  # no LibreOffice to start (warm_up)

    def to_pdf(self, deck: Path, target_dir: Path, **options: bool) -> Path:
        pages = [Image.new("RGB", (64, 36), "white") for _ in Presentation(str(deck)).slides]
        target = target_dir / "deck.pdf"
        pages[0].save(target, save_all=True, append_images=pages[1:])
        return target


@pytest.mark.parametrize("how", ["shipped", "malformed"])
def test_shipped_render_records_are_rendered_again_not_shown(tmp_path: Path, how: str) -> None:
    """A project shipped with output/.cache/renders/ claiming its slides show POISON."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    deck = project / "output" / "deck.pptx"
    renders = project / "output" / CACHE_DIR
    renders.mkdir(parents=True)
    picture = b"not the slide"
    files = {}
    for slide in render_slides(deck):
        for state in range(slide.count + 1):
            name = f"{picture_key(slide.key, state, 96)}.png"
            (renders / name).write_bytes(picture)
            files[name] = {"sha256": hashlib.sha256(picture).hexdigest(), "title": POISON,
                           "lines": [POISON], "used": 0}
    data = json.dumps({"files": files}).encode()
    if how == "malformed":  # sealed by this user, but not an index: a bug, not a stop
        data = sealed.seal(INDEX_KIND, b"[1]")
    (renders / "index").write_bytes(data)
    (project / "output" / "preview" / "slides").mkdir(parents=True)
    (project / "output" / "preview" / "slides" / "thesis.docx").write_bytes(b"not ours")
    update = PreviewSite(find_project(project), PictureRenderer()).update(deck)
    assert update.rendered == len(files)
    page = (project / "output" / "preview" / "index.html").read_text(encoding="utf-8")
    assert POISON not in page and "글머리표" in page
    assert (project / "output" / "preview" / "slides" / "thesis.docx").read_bytes() == b"not ours"
    shown = [path.read_bytes() for path in (project / "output" / "preview" / "slides").iterdir()
             if path.suffix == ".png"]
    assert len(shown) == len(files) and picture not in shown


def test_a_linked_file_in_output_is_replaced_not_written_through(tmp_path: Path) -> None:
    """A shipped output/preview/viewer.js linking to the user's ~/.bashrc."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    assert run_cli("build", "--project", project).exit_code == 0
    outside = victim_folder(tmp_path)
    before = files_of(outside)
    (project / "output" / "preview" / "slides").mkdir(parents=True)
    (project / "output" / "preview" / "viewer.js").symlink_to(outside / "thesis.docx")
    (project / "output" / "deck.pptx").unlink()
    (project / "output" / "deck.pptx").symlink_to(outside / "deck.pptx")
    assert run_cli("build", "--project", project).exit_code == 0
    deck = project / "output" / "deck.pptx"
    PreviewSite(find_project(project), PictureRenderer()).update(deck)
    assert files_of(outside) == before
    assert not (project / "output" / "preview" / "viewer.js").is_symlink()
    assert not deck.is_symlink()


def test_the_preview_command_stops_at_a_linked_slides_folder(tmp_path: Path) -> None:
    """As reported: `studydeck preview` deleted the four documents of the folder linked as
    output/preview/slides and wrote its pictures there."""
    project = copy_project(FIXTURES / "mini", tmp_path / "mini")
    (project / "output" / "preview").mkdir(parents=True)
    outside = victim_folder(tmp_path)
    before = files_of(outside)
    (project / "output" / "preview" / "slides").symlink_to(outside)
    result = run_cli("preview", "--port", "0", "--project", project)
    assert_refused_link(result, "output/preview/slides", outside)
    assert files_of(outside) == before


def test_a_kept_layout_holds_geometry_not_words(tmp_path: Path, clean_native: list[object]
                                                ) -> None:
    """Even a layout this user's key vouches for is laid out again when it draws a word the
    diagram's YAML does not have: the words on a slide come from this build's YAML."""
    project = copy_project(NATIVE, tmp_path / "native")
    assert run_cli("build", "--project", project).exit_code == 0
    layouts = sorted((project / "output" / "diagrams" / ".cache").glob("*.layout.json"))
    for path in layouts:
        data = sealed.read_sealed(path, "diagram-layout")
        assert data is not None
        path.write_bytes(sealed.seal("diagram-layout", poisoned(data)))
    assert any(POISON.encode() in path.read_bytes() for path in layouts)
    assert run_cli("build", "--project", project).exit_code == 0
    assert deck_dump(project / "output" / "deck.pptx") == clean_native
    assert not any(POISON.encode() in path.read_bytes() for path in layouts)
