"""`studydeck pull`: texts edited in the built deck go back into the YAML, and nothing else."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import build, run_cli, slide_notes, soffice_convert
from pptx import Presentation
from pull_edits import changed_lines, edit_text, shape_named, texts

STRANGER_DECK = """\
# a stranger's deck
title: Pull test
language: en
chapters:
  - chapters/ops.yaml
"""
STRANGER_CHAPTER = """\
# The ops chapter: comments must survive a pull
id: ops
title: Running it
minutes: 10
slides:
  - type: bullets
    title: Helth checks   # the typo a reviewer fixes in PowerPoint
    bullets:
      - "Probe a **cheap** endpoint"
      - 'Drain connections first'
      - Keep the page short
      - Run `curl -I` on [the status page](https://status.example.org) for snake_case ids
  - type: code
    title: The probe
    language: python
    code: |
      def probe():
          return "ok"
  - type: quiz
    question: Which check is cheapest?
    choices: [TCP connect, HTTP GET /health, A full login]
    answer: 1
    explain: It opens a socket and nothing more.
"""


def _stranger(root: Path) -> Path:
    (root / "chapters").mkdir(parents=True)
    (root / "deck.yaml").write_bytes(STRANGER_DECK.replace("\n", "\r\n").encode())
    (root / "chapters" / "ops.yaml").write_bytes(
        STRANGER_CHAPTER.replace("\n", "\r\n").encode())
    return root


def _edit_stranger(deck: Path, target: Path) -> None:
    prs = Presentation(str(deck))
    bullets, code, quiz = prs.slides[3], prs.slides[4], prs.slides[5]
    bullets.shapes.title.text_frame.paragraphs[0].runs[0].text = "Health checks"
    body = shape_named(bullets, "TextBox 3").text_frame
    last = body.paragraphs[2].runs[0]
    last.text = "Keep the page very short"
    last.font.bold = True
    linked = body.paragraphs[3].runs[-1]
    assert linked.text == " for snake_case ids"
    linked.text = " to check snake_case ids"
    code_runs = shape_named(code, "Code").text_frame.paragraphs[1].runs
    code_runs[-1].text = code_runs[-1].text.replace('"ok"', '"healthy"')
    choice = next(shape for shape in quiz.shapes
                  if shape.has_text_frame and "A full login" in shape.text_frame.text)
    choice_run = choice.text_frame.paragraphs[0].runs[-1]
    choice_run.text = choice_run.text.replace("A full login", "A full login flow")
    bullets.notes_slide.notes_text_frame.paragraphs[0].runs[0].text = "Say why cheap matters."
    prs.save(str(target))


@pytest.fixture
def stranger(tmp_path: Path) -> Path:
    project = _stranger(tmp_path / "stranger")
    build(project)
    return project


def test_pull_writes_only_the_edited_values(stranger: Path, tmp_path: Path) -> None:
    chapter = stranger / "chapters" / "ops.yaml"
    before = chapter.read_bytes().decode()
    edited = tmp_path / "edited.pptx"
    _edit_stranger(stranger / "output" / "deck.pptx", edited)

    result = run_cli("pull", "--project", stranger, edited)

    assert result.exit_code == 0, result.output
    after = chapter.read_bytes().decode()
    assert "\r\n" in after and "\n" not in after.replace("\r\n", "")  # CRLF kept
    changed = changed_lines(before, after)
    assert "+    title: Health checks   # the typo a reviewer fixes in PowerPoint" in changed
    assert "+      - '**Keep the page very short**'" in changed
    assert "+      - Run `curl -I` on [the status page](https://status.example.org) to check " \
        "snake_case ids" in changed
    assert '+          return "healthy"' in changed
    assert "+    choices: [TCP connect, HTTP GET /health, A full login flow]" in changed
    assert "+    notes: |-" in changed and "+      Say why cheap matters." in changed
    # (the old bullet's line reads the same as a line of the new notes: it is not "gone")
    gone = Counter(before.splitlines()) - Counter(after.splitlines())
    assert set(gone) == {"    title: Helth checks   # the typo a reviewer fixes in PowerPoint",
                         '          return "ok"',
                         "      - Run `curl -I` on [the status page](https://status.example.org)"
                         " for snake_case ids",
                         "    choices: [TCP connect, HTTP GET /health, A full login]"}
    assert len(after.splitlines()) == len(before.splitlines()) + 6  # the notes, nothing else
    assert "chapters/ops.yaml:7:12: title 'Helth checks' → 'Health checks'" in result.stdout
    assert "chapters/ops.yaml:24:7: code line '    return \"ok\"' → " \
           "'    return \"healthy\"'" in result.stdout
    assert "notes came from its template" in result.stdout

    build(stranger)
    rebuilt = Presentation(str(stranger / "output" / "deck.pptx"))
    assert rebuilt.slides[3].shapes.title.text_frame.text == "Health checks"
    run = shape_named(rebuilt.slides[3], "TextBox 3").text_frame.paragraphs[2].runs[0]
    assert run.text == "Keep the page very short" and run.font.bold
    edited_deck = Presentation(str(edited))
    for number, slide in enumerate(rebuilt.slides):  # every text as the edited deck has it
        assert texts(slide) == texts(edited_deck.slides[number]), f"slide {number + 1}"
    assert slide_notes(rebuilt.slides[3]).startswith("Say why cheap matters.\n- Probe a")
    again = run_cli("pull", "--project", stranger, edited)
    assert "nothing to pull" in again.stdout, again.output


def test_dry_run_prints_the_diff_and_writes_nothing(stranger: Path, tmp_path: Path) -> None:
    chapter = stranger / "chapters" / "ops.yaml"
    before = chapter.read_bytes()
    edited = tmp_path / "edited.pptx"
    _edit_stranger(stranger / "output" / "deck.pptx", edited)

    result = run_cli("pull", "--dry-run", "--project", stranger, edited)

    assert result.exit_code == 0, result.output
    assert "+++ b/chapters/ops.yaml" in result.stdout
    assert "+    title: Health checks" in result.stdout
    assert "dry run: nothing written" in result.stdout
    assert chapter.read_bytes() == before


def test_an_edit_where_the_yaml_changed_too_is_a_conflict(stranger: Path,
                                                          tmp_path: Path) -> None:
    chapter = stranger / "chapters" / "ops.yaml"
    edited = tmp_path / "edited.pptx"
    _edit_stranger(stranger / "output" / "deck.pptx", edited)
    text = chapter.read_bytes().decode().replace("Helth checks", "Health probes")
    chapter.write_bytes(text.encode())

    result = run_cli("pull", "--project", stranger, edited)

    assert result.exit_code == 0, result.output
    assert "chapters/ops.yaml:7:12: conflict: slide 4: the YAML now reads 'Health probes' " \
           "and the deck reads 'Health checks': left as it is; edit one of them" in result.stdout
    after = chapter.read_bytes().decode()
    assert "title: Health probes" in after  # the conflict is left as it is
    assert "A full login flow" in after  # the rest is applied


def test_added_slide_and_deleted_shape_are_kept_only_in_the_deck(stranger: Path,
                                                                 tmp_path: Path) -> None:
    prs = Presentation(str(stranger / "output" / "deck.pptx"))
    prs.slides.add_slide(prs.slide_layouts[6])
    body = shape_named(prs.slides[3], "TextBox 3")
    body._element.getparent().remove(body._element)
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))

    result = run_cli("pull", "--project", stranger, edited)

    assert result.exit_code == 0, result.output
    assert "slide 4: deleted (or emptied) shape 'TextBox 3' (kept only in the .pptx)" \
        in result.stdout
    assert f"slide {len(prs.slides)}: added by hand (kept only in the .pptx)" in result.stdout


def test_reordered_slides_are_kept_only_in_the_deck(stranger: Path, tmp_path: Path) -> None:
    prs = Presentation(str(stranger / "output" / "deck.pptx"))
    slides = prs.slides._sldIdLst
    slides.insert(4, slides[5])  # the quiz before the code slide
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))

    result = run_cli("pull", "--project", stranger, edited)

    assert result.exit_code == 0, result.output
    assert result.stdout == "the slides' order (kept only in the .pptx)\n"


def test_a_deck_not_made_by_studydeck_is_refused(stranger: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.pptx"
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Someone else's"
    prs.save(str(other))
    not_a_deck = tmp_path / "notes.pptx"
    not_a_deck.write_text("hello")

    result = run_cli("pull", "--project", stranger, other)
    broken = run_cli("pull", "--project", stranger, not_a_deck)

    assert result.exit_code == 1 and "was not made by studydeck" in result.output
    assert broken.exit_code == 1 and "not a PowerPoint deck" in broken.output
    assert "Traceback" not in result.output + broken.output


def test_marks_are_hidden_and_survive_nothing_else(mini_copy: Path) -> None:
    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    for slide in prs.slides:
        marks = [s for s in slide.shapes if s.name.startswith("studydeck-source ")]
        assert marks, "every slide carries its source mark"
        for mark in marks:
            assert mark._element.nvSpPr.cNvPr.get("hidden") == "1"
            assert mark.width == 0 and mark.height == 0 and not mark.has_text_frame or \
                not mark.text_frame.text


@pytest.mark.slow
def test_an_edit_saved_by_libreoffice_comes_back(stranger: Path, tmp_path: Path) -> None:
    edited = tmp_path / "edited.pptx"
    _edit_stranger(stranger / "output" / "deck.pptx", edited)
    saved = soffice_convert(edited, "pptx", tmp_path / "lo")
    chapter = stranger / "chapters" / "ops.yaml"

    result = run_cli("pull", "--project", stranger, saved)

    assert result.exit_code == 0, result.output
    after = chapter.read_bytes().decode()
    assert "title: Health checks   # the typo" in after
    assert "A full login flow" in after and 'return "healthy"' in after
    assert "    notes: |-\r\n      Say why cheap matters.\r\n" in after
    assert "conflict" not in result.stdout and "kept only" not in result.stdout
    build(stranger)
    resaved = soffice_convert(stranger / "output" / "deck.pptx", "pptx", tmp_path / "lo2")
    again = run_cli("pull", "--project", stranger, resaved)
    assert "nothing to pull" in again.stdout, again.output


def test_a_pull_that_fails_writes_no_file(mini_copy: Path, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from studydeck.pull import run
    from studydeck.pull.yaml_places import NotWritable

    build(mini_copy)
    prs = Presentation(str(mini_copy / "output" / "deck.pptx"))
    edit_text(prs, 4, "placeholder:title", "글머리표", "글머리표 고침")
    edit_text(prs, 8, "Table 3", "인스턴스", "인스턴스 하나")
    edited = tmp_path / "edited.pptx"
    prs.save(str(edited))
    sources = {path: path.read_bytes() for path in (mini_copy / "chapters").iterdir()}
    written = run.apply_changes

    def fails_for_beta(text: str, changes: list[run.Change]) -> str:
        if "id: beta" in text:
            raise NotWritable("the disk said no")
        return written(text, changes)

    monkeypatch.setattr(run, "apply_changes", fails_for_beta)
    result = run_cli("pull", "--project", mini_copy, edited)

    assert result.exit_code == 1
    assert "beta.yaml:1:1: error: cannot write the edited text back: the disk said no" \
        in result.stderr
    assert {path: path.read_bytes() for path in sources} == sources
    assert not [p for p in (mini_copy / "chapters").iterdir() if p.name.startswith(".")]


