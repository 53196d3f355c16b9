"""Building the same sources twice gives the same bytes: the deck and every diagram picture."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

from conftest import MINI, BuiltDeck, build, copy_project

from studydeck.source import sealed


def digests(project: Path) -> dict[str, str]:
    """Give the SHA-256 of every deck and picture under the project's output/."""
    output = project / "output"
    return {
        str(path.relative_to(output)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(output.rglob("*"))
        if path.suffix in (".pptx", ".png")
    }


def test_two_cold_builds_in_different_folders_give_identical_bytes(tmp_path: Path) -> None:
    first = copy_project(MINI, tmp_path / "first")
    second = copy_project(MINI, tmp_path / "elsewhere" / "second")
    build(first)
    build(second)
    assert "deck.pptx" in digests(first)
    assert any(name.endswith(".png") for name in digests(first))
    assert digests(first) == digests(second)


def test_a_rebuild_and_a_chapter_export_are_stable(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project, "--chapter", "alpha")
    build(project)
    before = digests(project)
    (project / "output" / "deck.pptx").unlink()
    build(project, "--force")  # diagrams drawn again, deck written again
    build(project, "--chapter", "alpha")
    assert digests(project) == before


def test_the_zip_holds_no_build_time(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project)
    data = (project / "output" / "deck.pptx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = archive.infolist()
        core = archive.read("docProps/core.xml").decode("utf-8")
    assert {entry.date_time for entry in entries} == {(1980, 1, 1, 0, 0, 0)}
    assert "2000-01-01T00:00:00Z" in core


def test_relationship_files_are_written_as_python_pptx_writes_them(mini: BuiltDeck) -> None:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    from studydeck.pptx.archive import rels_xml

    prs = mini.open()
    slide_part = prs.slides[1].part
    slide_part.relate_to('https://example.com/a?b=1&c="2"<3>', RT.HYPERLINK, is_external=True)
    parts = list(prs.part.package.iter_parts())
    assert len(parts) > 20
    for rels in [prs.part.package._rels, *(part.rels for part in parts)]:
        assert rels_xml(rels) == rels.xml


def test_a_damaged_kept_template_is_made_again_and_changes_nothing(tmp_path: Path) -> None:
    project = copy_project(MINI, tmp_path / "mini")
    build(project)
    deck = project / "output" / "deck.pptx"
    before = deck.read_bytes()
    [kept] = (project / "output" / ".cache").glob("default-template-*")
    kept.write_bytes(b"not a zip")
    deck.unlink()
    build(project)
    assert deck.read_bytes() == before
    remade = sealed.read_sealed(kept, "default-template")  # made again, under the same name
    assert remade is not None and zipfile.is_zipfile(io.BytesIO(remade))
