"""Hostile decks: templates stay sandboxed, paths stay in the project, text stays valid XML."""

from __future__ import annotations

import os
import socket
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import Result, run_cli, slide_notes, slide_title
from lxml import etree
from PIL import Image
from pptx import Presentation

from studydeck.notes.render import NotesSandbox
from studydeck.source import sealed

SECRET = "top-secret-line"


def with_notes_template(project: Path, text: str) -> Path:
    """Give the project's own bullets notes template holding `text` on its second line."""
    template = project / "templates" / "notes" / "bullets.md.j2"
    template.parent.mkdir(parents=True, exist_ok=True)
    template.write_text(f"{{{{ slide.title }}}}\n{text}\n", encoding="utf-8")
    return template


def assert_refused(result: Result, place: str, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert place in result.stderr, result.stderr
    assert message in result.stderr, result.stderr


@pytest.mark.parametrize(("text", "message"), [
    ("{{ ''.__class__.__mro__ }}", "access to attribute '__class__' of 'str' object is unsafe"),
    ("{{ cycler.__init__.__globals__ }}", "access to attribute '__init__'"),
    ("{{ lipsum.__globals__['os'] }}", "access to attribute '__globals__'"),
    ("{{ self._TemplateReference__context }}", "'_TemplateReference__context'"),
    ("{{ slide.__class__ }}", "access to attribute '__class__' of 'BulletsSlide'"),
    ("{{ deck.model_validate.__func__ }}", "access to attribute '__func__'"),
    ("{% include '/etc/passwd' %}", "no template '/etc/passwd' to include"),
    ("{% include '../../x' %}", "no template '../../x' to include"),
    ("{% import '../bullets.md.j2' as other %}", "no template '../bullets.md.j2' to include"),
    ("{{ 'a' * 10**9 }}", "'*' would make more than"),
    ("{{ 9 ** 999999 }}", "the power 999999 is too large"),
    # each of these asked for gigabytes in one step, or ended in a traceback (exit 70)
    ("{{ 'a'.ljust(3000000000) }}", "the width 3000000000 is too large"),
    ("{{ 'a'.center(3000000000) }}", "the width 3000000000 is too large"),
    ("{{ 'a'.zfill(3000000000) }}", "the width 3000000000 is too large"),
    ("{{ 'a'|center(3000000000) }}", "the width 3000000000 is too large"),
    ("{{ ('a\\n' * 1000)|indent(1000) }}", "the width 1001000 is too large"),
    ("{{ '%3000000000s' % 'a' }}", "the width 3000000000 is too large"),
    ("{{ '%*s' % (3000000000, 'a') }}", "'*' widths are not allowed"),
    ("{{ '%3000000000s'|format('a') }}", "the width 3000000000 is too large"),
    ("{{ '{:>3000000000}'.format('a') }}", "the width 3000000000 is too large"),
    ("{{ '{:>{w}}'.format('a', w=3000000000) }}", "a width given by another field"),
    ("{{ ('a' * 90000).replace('a', 'aaaaaaaaaa') }}", "the width 900000 is too large"),
    ("{{ ('a' * 90000)|replace('a', 'aaaaaaaaaa') }}", "the width 900000 is too large"),
    ("{{ ('\t' * 90000).expandtabs(100) }}", "the width 9000000 is too large"),
    ("{{ lipsum(1000000) }}", "lipsum gives at most 20 paragraphs"),
    ("{{ range(10000000)|list|length }}", "Range too big"),
    ("{{ 1/0 }}", "notes template: division by zero"),
    ("{{ 'a' + 1 }}", 'notes template: can only concatenate str (not "int") to str'),
    ("{{ [1, 2]|sum(attribute='x') }}", "notes template: "),
])
def test_templates_cannot_reach_python_or_the_file_system(
    mini_copy: Path, text: str, message: str
) -> None:
    with_notes_template(mini_copy, text)
    result = run_cli("build", "--project", mini_copy)
    assert_refused(result, "templates/notes/bullets.md.j2:2:", message)
    assert not (mini_copy / "output" / "deck.pptx").exists()


def test_a_template_linked_to_a_file_outside_is_refused(mini_copy: Path, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    template = mini_copy / "templates" / "notes" / "bullets.md.j2"
    template.parent.mkdir(parents=True)
    template.symlink_to(secret)
    result = run_cli("build", "--project", mini_copy)
    assert_refused(result, "templates/notes/bullets.md.j2:1:1", "is a link to a file outside")
    (mini_copy / "templates" / "notes" / "part.j2").symlink_to(secret)
    template.unlink()
    with_notes_template(mini_copy, "{% include 'part.j2' %}")
    result = run_cli("build", "--project", mini_copy)
    assert_refused(result, "templates/notes/bullets.md.j2:2:", "'part.j2' is a link")
    assert SECRET not in result.output


@pytest.mark.parametrize("entry", ["../../outside.yaml", "/etc/passwd", "chapters/../../x.yaml"])
def test_a_chapter_outside_the_project_is_refused(mini_copy: Path, entry: str) -> None:
    (mini_copy.parent / "outside.yaml").write_text("id: outside\n", encoding="utf-8")
    deck = mini_copy / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + f"  - {entry}\n", encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert_refused(result, "deck.yaml:", f"'{entry}' lies outside the project")


def test_a_diagram_linked_to_a_file_outside_is_refused(mini_copy: Path, tmp_path: Path) -> None:
    outside = tmp_path / "flow.yaml"
    outside.write_bytes((mini_copy / "diagrams" / "flow.yaml").read_bytes())
    (mini_copy / "diagrams" / "flow.yaml").unlink()
    (mini_copy / "diagrams" / "flow.yaml").symlink_to(outside)
    result = run_cli("validate", "--project", mini_copy)
    assert_refused(result, "diagrams/flow.yaml:1:1", "flow.yaml is a link to a file outside")


def test_an_image_linked_to_a_file_outside_is_refused(mini_copy: Path, tmp_path: Path) -> None:
    Image.new("RGB", (40, 20), (200, 0, 0)).save(tmp_path / "outside.png")
    (mini_copy / "images").mkdir()
    (mini_copy / "images" / "photo.png").symlink_to(tmp_path / "outside.png")
    chapter = mini_copy / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8")
                       + "  - {type: image, title: 사진, image: images/photo.png}\n",
                       encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert_refused(result, "chapters/alpha.yaml:", "'images/photo.png' lies outside the project")


# Characters XML 1.0 cannot hold, written as YAML escapes (raw ones are refused by YAML itself).
HOSTILE_TITLE = r'"<&>\"' + "'" + r' 제목\x01\x08\x0b\x1b[31m\x7f\ud800\udfff\ufffe\uffff끝"'
HOSTILE_BULLET = r'"a\u0000b\tc\u0085d\r"'


def test_control_characters_are_removed_with_a_warning_and_the_deck_stays_valid(
    mini_copy: Path,
) -> None:
    chapter = mini_copy / "chapters" / "alpha.yaml"
    text = chapter.read_text(encoding="utf-8")
    text = text.replace("    title: 글머리표\n", f"    title: {HOSTILE_TITLE}\n")
    text = text.replace("      - 첫째 항목\n", f"      - {HOSTILE_BULLET}\n")
    chapter.write_text(text, encoding="utf-8")
    result = run_cli("build", "--project", mini_copy)
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if ": warning: removed" in line]
    assert [w.split(": warning")[0] for w in warnings] == ["chapters/alpha.yaml:9:12",
                                                          "chapters/alpha.yaml:12:9"]
    assert "U+0001" in warnings[0] and "U+0000" in warnings[1]
    deck = mini_copy / "output" / "deck.pptx"
    slide = [s for s in Presentation(str(deck)).slides if "제목" in slide_title(s)][0]
    assert slide_title(slide) == "<&>\"' 제목[31m끝"
    assert "ab\tcd" in slide_notes(slide) + "".join(
        shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
    with zipfile.ZipFile(deck) as package:
        for name in package.namelist():
            if name.endswith(".xml"):
                etree.fromstring(package.read(name))  # well-formed XML, or this raises


def test_a_raw_control_character_is_an_error_at_its_place(mini_copy: Path) -> None:
    chapter = mini_copy / "chapters" / "beta.yaml"
    lines = chapter.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace(":", ": \x07", 1)
    chapter.write_text("".join(lines), encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert_refused(result, "chapters/beta.yaml:3:", "control character (U+0007)")


def test_a_build_opens_no_network_connection(mini_copy: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the build tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    result = run_cli("build", "--project", mini_copy, "--force")
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(("depth", "message"), [
    (150, "expands to too many values"), (5000, "the file is nested too deeply")])
def test_a_deeply_nested_file_is_refused_not_a_crash(
    mini_copy: Path, depth: int, message: str
) -> None:
    deep = mini_copy / "diagrams" / "flow.yaml"  # a diagram a slide shows: its problems block
    deep.write_text("nodes: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    result = run_cli("validate", "--project", mini_copy)
    assert_refused(result, "diagrams/flow.yaml:1:", message)


# --- a deck's notes templates kept compiled (studydeck.notes.compiled.SealedTemplates) ------


def kept_compiled(cache: Path) -> list[Path]:
    return sorted(cache.glob("studydeck/notes-*/*.sealed"))


def test_compiled_templates_are_kept_outside_the_project_in_a_folder_of_the_users_own(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A deck from someone else brings its own output/: compiled code (which runs outside the
    sandbox's reach) is never read from the project, only from a folder only the user opens."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with_notes_template(mini_copy, "둘째 줄")
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    [kept] = kept_compiled(cache)
    assert [oct(path.stat().st_mode & 0o777) for path in (kept.parent, kept.parent.parent)] == [
        "0o700", "0o700"]
    assert not [path for path in mini_copy.rglob("*") if "jinja2" in path.name]


def test_a_kept_compiled_template_is_used_until_its_text_changes(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    compiled: list[str | None] = []
    compile_ = NotesSandbox.compile

    def counting(self: NotesSandbox, source: Any, name: str | None = None,
                 *args: Any, **kwargs: Any) -> Any:
        compiled.append(name)
        return compile_(self, source, name, *args, **kwargs)

    monkeypatch.setattr(NotesSandbox, "compile", counting)
    template = with_notes_template(mini_copy, "처음 글")
    for expected in (["bullets.md.j2"], []):
        compiled.clear()
        assert run_cli("build", "--project", mini_copy).exit_code == 0
        assert compiled == expected
    with_notes_template(mini_copy, "고친 글")
    compiled.clear()
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    assert compiled == ["bullets.md.j2"] and template.is_file()
    notes = [slide_notes(slide) for slide in
             Presentation(str(mini_copy / "output" / "deck.pptx")).slides]
    assert any("고친 글" in text for text in notes) and not any("처음 글" in t for t in notes)


def test_a_kept_compiled_template_that_does_not_verify_is_compiled_again(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jinja2 unpickles and unmarshals what it reads back: only bytes this user sealed."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with_notes_template(mini_copy, "둘째 줄")
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    [kept] = kept_compiled(cache)
    code = kept.read_bytes()
    kept.write_bytes(code[:-1] + bytes([code[-1] ^ 1]))  # one bit changed
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    assert kept.read_bytes() == code  # compiled again and sealed anew
    notes = [slide_notes(slide) for slide in
             Presentation(str(mini_copy / "output" / "deck.pptx")).slides]
    assert any("둘째 줄" in text for text in notes)


def test_a_cache_folder_others_can_open_is_not_used(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    (cache / "studydeck").mkdir(parents=True)
    (cache / "studydeck").chmod(0o777)
    monkeypatch.setenv("XDG_CACHE_HOME", str(cache))
    with_notes_template(mini_copy, "둘째 줄")
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    assert kept_compiled(cache) == []


@pytest.mark.parametrize("hostile", ["writable by others", "another account's"])
def test_a_cache_folder_inside_a_folder_another_account_controls_is_not_used(
        mini_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hostile: str) -> None:
    """After `su` without `-`, XDG_CACHE_HOME may lie in a folder another account can change:
    they could swap our folder for theirs, so nothing is kept or read there."""
    parent = tmp_path / "theirs"
    (parent / "cache" / "studydeck").mkdir(parents=True, mode=0o700)
    if hostile == "writable by others":
        parent.chmod(0o777)
    else:
        os.chown(parent, 4321, 4321)  # the tests run as root or as the folder's owner
    monkeypatch.setenv("XDG_CACHE_HOME", str(parent / "cache"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # the fallback: a private ~/.cache
    with_notes_template(mini_copy, "둘째 줄")
    assert run_cli("build", "--project", mini_copy).exit_code == 0
    assert sorted(path.name for path in (parent / "cache" / "studydeck").iterdir()) == []
    assert kept_compiled(tmp_path / "home" / ".cache") != []
    assert (tmp_path / "home" / ".cache" / "studydeck" / "cache-key").stat().st_mode & 0o777 \
        == 0o600


def test_a_cache_key_is_made_private_and_kept(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert sealed.unseal("kind", sealed.seal("kind", b"data")) == b"data"
    assert sealed.unseal("other kind", sealed.seal("kind", b"data")) is None
    key = tmp_path / "cache" / "studydeck" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600 and len(key.read_bytes()) == 32
    assert (tmp_path / "cache" / "studydeck").stat().st_mode & 0o777 == 0o700
