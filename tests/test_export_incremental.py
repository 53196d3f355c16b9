"""Exports that render only what changed, on every core, and stop cleanly; click states that look
like the slideshow; Korean text as written."""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from conftest import MINI, copy_project, libreoffice_of, run_cli, slide_title
from live_process import wait_until
from pptx import Presentation

from studydeck.clicks import StateChoice, chosen_states
from studydeck.export import libreoffice, workers
from studydeck.export import pictures as pictures_module
from studydeck.export.options import ExportKind, ExportOptions
from studydeck.export.render_cache import CACHE_DIR
from studydeck.export.run import ExportResult, export
from studydeck.pptx.render_key import render_slides
from studydeck.pptx.states import write_states_deck
from studydeck.source.folder import ProjectFolder

pytestmark = pytest.mark.slow  # LibreOffice

# a diagram beside bullets that appear one by one: the text block is centred on the diagram, so
# a state that dropped the bullets not shown yet would move the ones shown
EXTRA_CHAPTER = """\
id: gamma
title: 셋째 챕터
minutes: 5
slides:
  - type: diagram
    title: 옆 글머리표
    diagram: flow
    reveal: true
    bullets:
      - "**First**: English words come first"
      - 둘째 줄은 조금 더 길게 써서 두 줄로 넘어가는지 본다
      - 셋째 (마지막)
  - type: bullets
    title: 캐시 DB에서 읽기
    bullets:
      - 캐시에 먼저 묻는다. 있으면(적중) 바로 응답, DB에서 읽는다
  - type: table
    title: 서버가 주는 답
    columns: [서버, 돌려주는 답]
    rows:
      - [리졸버, 최종 IP(대신 찾음)]
      - [Route 53, A레코드로 응답]
    notes: 리졸버는 TTL만큼 답을 캐시한다.
  - type: diagram
    title: 묶음 안의 이름표
    diagram: labels
"""
# drawn as shapes: its labels are texts in groups inside groups
LABELS_DIAGRAM = """\
render: native
direction: LR
nodes:
  app: {icon: aws.compute.EC2, label: 앱(EC2)}
  cache: {icon: aws.database.ElastiCache, label: 캐시(Redis)}
groups:
  - label: VPC
    nodes: [app]
    groups:
      - label: 데이터 계층(AZ-a)
        nodes: [cache]
edges:
  - {from: app, to: cache, label: GET요청}
"""
RENDERED = re.compile(r"LibreOffice rendered (\d+) of (\d+) click states")


def make_project(folder: Path) -> Path:
    """Give a copy of the mini deck with the chapter above (and its diagram) added at its end."""
    project = copy_project(MINI, folder)
    (project / "chapters" / "gamma.yaml").write_text(EXTRA_CHAPTER, encoding="utf-8")
    (project / "diagrams" / "labels.yaml").write_text(LABELS_DIAGRAM, encoding="utf-8")
    deck = project / "deck.yaml"
    deck.write_text(deck.read_text(encoding="utf-8") + "  - chapters/gamma.yaml\n",
                    encoding="utf-8")
    return project


def run_export(project: Path, kind: ExportKind, **options: object) -> ExportResult:
    return export(ProjectFolder(project), kind, ExportOptions(**options))  # type: ignore[arg-type]


def pictures(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def forget_renders(project: Path) -> None:
    shutil.rmtree(project / "output" / CACHE_DIR, ignore_errors=True)  # a handout keeps none


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("incremental") / "deck")


def test_an_edit_re_renders_only_its_slide_and_equals_a_full_single_worker_export(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with monkeypatch.context() as patched:  # many parts, more than the workers, out of turn
        patched.setattr(pictures_module, "PART_PAGES", 3)
        cold = run_export(project, ExportKind.html, workers=2)
    assert cold.rendered == cold.states > 20
    html = project / "output" / "html"
    first = pictures(html / "slides")
    again = run_cli("export", "html", "--project", project)
    assert again.exit_code == 0, again.output
    assert f"LibreOffice rendered 0 of {cold.states} click states" in again.stdout
    assert pictures(html / "slides") == first

    chapter = project / "chapters" / "alpha.yaml"
    chapter.write_text(chapter.read_text(encoding="utf-8").replace(
        "title: 글머리표", "title: 글머리표를 고쳤다"), encoding="utf-8")
    edited = run_cli("export", "html", "--project", project)
    assert edited.exit_code == 0, edited.output
    deck = project / "output" / "deck.pptx"
    number = next(n for n, slide in enumerate(Presentation(str(deck)).slides, start=1)
                  if slide_title(slide) == "글머리표를 고쳤다")
    count = render_slides(deck)[number - 1].count + 1  # the edited slide's states
    found = RENDERED.search(edited.stdout)
    assert found is not None, edited.stdout
    assert int(found.group(1)) == count > 1
    incremental = pictures(html / "slides")
    changed = {name for name in first if first[name] != incremental[name]}
    assert changed == {f"{number:03d}-{state}.png" for state in range(count)}
    page = (html / "index.html").read_text(encoding="utf-8")
    assert "글머리표를 고쳤다" in page

    forget_renders(project)
    full = run_export(project, ExportKind.html, workers=1)
    assert full.rendered == full.states == cold.states
    assert pictures(html / "slides") == incremental  # byte for byte
    assert (html / "index.html").read_text(encoding="utf-8") == page


def test_a_pdf_kept_from_before_equals_a_fresh_one(project: Path) -> None:
    for clicks in (False, True):
        run_export(project, ExportKind.pdf, clicks=clicks)
        pdf = project / "output" / ("deck-clicks.pdf" if clicks else "deck.pdf")
        kept_bytes = pdf.read_bytes()
        again = run_export(project, ExportKind.pdf, clicks=clicks)
        assert again.rendered == 0 and pdf.read_bytes() == kept_bytes
        kept = pdf_contents(pdf)
        forget_renders(project)
        fresh = run_export(project, ExportKind.pdf, clicks=clicks)
        assert fresh.rendered > 0
        assert pdf_contents(pdf) == kept
        assert len(kept) == (fresh.states if clicks else len(render_slides(
            project / "output" / "deck.pptx")))


def test_a_pdf_after_an_edit_renders_only_that_slide_and_equals_a_whole_conversion(
    project: Path,
) -> None:
    chapter = project / "chapters" / "gamma.yaml"
    before = chapter.read_text(encoding="utf-8")
    run_export(project, ExportKind.pdf, clicks=True)
    chapter.write_text(before.replace("title: 옆 글머리표", "title: 옆 글머리표 (고침)"),
                       encoding="utf-8")
    try:
        edited = run_export(project, ExportKind.pdf, clicks=True)
        deck = project / "output" / "deck.pptx"
        slides = render_slides(deck)
        titles = [slide_title(slide) for slide in Presentation(str(deck)).slides]
        number = titles.index("옆 글머리표 (고침)") + 1
        assert edited.rendered == slides[number - 1].count + 1 < edited.states  # its states
        assembled = pdf_contents(project / "output" / "deck-clicks.pdf")
        whole = pdf_contents(whole_conversion(project, StateChoice.every_click))
        assert [text for text, _ in assembled] == [text for text, _ in whole]
        # LibreOffice points a link to slide N of a deck of click states at page N; the pages
        # put together point at the slide's own page (its last state), as the slideshow does
        page_slides = [number for number, slide in enumerate(slides, start=1)
                       for _ in range(slide.count + 1)]
        last_page = {number: page for page, number in enumerate(page_slides, start=1)}
        linked = 0
        for (text, targets), number in zip(assembled, page_slides, strict=True):
            internal = sorted(target for target in targets if isinstance(target, int))
            assert internal == sorted(last_page[n] for n in slides[number - 1].links), text
            linked += len(internal)
        assert linked >= 6  # the agenda's, and the sections' links back to it
        run_export(project, ExportKind.pdf)  # one page a slide: links as LibreOffice makes them
        assert pdf_contents(project / "output" / "deck.pdf") == pdf_contents(
            whole_conversion(project, StateChoice.handout))
    finally:
        chapter.write_text(before, encoding="utf-8")


def whole_conversion(project: Path, choice: StateChoice) -> Path:
    """Give the PDF LibreOffice makes of the built deck's `choice` states in one conversion."""
    folder = project / "output" / f"whole-{choice.value}"
    folder.mkdir(exist_ok=True)
    write_states_deck(project / "output" / "deck.pptx", folder / "deck.pptx",
                      functools.partial(chosen_states, choice=choice))
    with workers.WorkerPool(1) as pool:
        return pool.to_pdf(folder / "deck.pptx", folder)


def pdf_contents(pdf: Path) -> list[tuple[str, list[object]]]:
    """Give each page's text and its links' targets (a page number or an address)."""
    with pdfplumber.open(pdf) as document:
        pages = {page.page_obj.pageid: page.page_number for page in document.pages}
        return [(page.extract_text(), [_target(link, pages) for link in page.annots])
                for page in document.pages]


def _target(link: dict[str, object], pages: dict[int, int]) -> object:
    from pdfminer.pdftypes import resolve1

    if link.get("uri"):
        return link["uri"]
    data = resolve1(link["data"])
    destination = resolve1(data.get("Dest") or resolve1(data.get("A", {})).get("D"))
    return pages.get(destination[0].objid) if destination else None


def test_a_killed_worker_is_replaced_and_the_export_completes(
    project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    run_export(project, ExportKind.png, clicks=True)
    expected = pictures(project / "output" / "png")
    forget_renders(project)
    original = workers.Worker.to_pdf
    killed: list[int] = []

    def kill_first(self: workers.Worker, deck: Path, target_dir: Path,
                   **options: bool) -> Path:
        if not killed:  # LibreOffice dies under the first job, as a crash would end it
            killed.append(self.process.pid)
            os.killpg(self.process.pid, signal.SIGKILL)
        return original(self, deck, target_dir, **options)

    monkeypatch.setattr(workers.Worker, "to_pdf", kill_first)
    done = run_export(project, ExportKind.png, clicks=True, workers=2)
    assert killed and done.rendered == done.states
    assert pictures(project / "output" / "png") == expected


@pytest.fixture
def stopped_export(project: Path) -> Iterator[tuple[subprocess.Popen[str], object]]:
    """Give `export html` started with nothing rendered yet, and what the previous one wrote."""
    html = project / "output" / "html"
    run_export(project, ExportKind.html)
    before = pictures(html / "slides"), (html / "index.html").read_bytes()
    forget_renders(project)
    process = subprocess.Popen(
        [sys.executable, "-m", "studydeck", "export", "html", "--project", str(project)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        yield process, before
    finally:
        if process.poll() is None:
            process.kill()
        process.communicate(timeout=30)




def test_ctrl_c_stops_the_workers_and_keeps_the_previous_export(
    project: Path, stopped_export: tuple[subprocess.Popen[str], object],
) -> None:
    html = project / "output" / "html"
    running_export, before = stopped_export
    pid = running_export.pid
    wait_until(lambda: bool(libreoffice_of(pid)) or running_export.poll() is not None,
               patience=120, what="the export started no LibreOffice")
    running_export.send_signal(signal.SIGINT)
    _, stderr = running_export.communicate(timeout=60)
    assert running_export.returncode == 130, stderr
    assert "stopped the export" in stderr and "Traceback" not in stderr
    wait_until(lambda: not libreoffice_of(pid), patience=20, what="LibreOffice left running")
    assert (pictures(html / "slides"), (html / "index.html").read_bytes()) == before
    leftovers = [p.name for p in (project / "output").iterdir() if p.name.startswith(".")]
    assert leftovers == [".cache"]


def test_click_states_keep_every_text_where_the_last_state_has_it(project: Path) -> None:
    run_export(project, ExportKind.pdf, clicks=True)
    slides = render_slides(project / "output" / "deck.pptx")
    with pdfplumber.open(project / "output" / "deck-clicks.pdf") as document:
        pages = iter(document.pages)
        checked = 0
        for slide in slides:
            states = [_word_places(next(pages)) for _ in range(slide.count + 1)]
            final = states[-1]
            for shown in states[:-1]:
                for word, places in shown.items():
                    if word in final:  # a caption shown on one click only is not in the last
                        assert places <= final[word], (word, places, final[word])
                        checked += 1
    assert checked > 20


def _word_places(page: pdfplumber.page.Page) -> dict[str, set[tuple[int, int]]]:
    places: dict[str, set[tuple[int, int]]] = {}
    for word in page.extract_words():
        places.setdefault(word["text"], set()).add((round(word["x0"]), round(word["top"])))
    return places


@pytest.mark.parametrize(("kind", "uno"), [(ExportKind.pdf, True), (ExportKind.handout, True),
                                          (ExportKind.pdf, False), (ExportKind.handout, False)])
def test_korean_text_is_rendered_as_written(
    project: Path, kind: ExportKind, uno: bool, monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain_runs: list[Path] = []
    if not uno:  # no python3-uno: every render is a plain `soffice` run (with its macro)
        monkeypatch.setattr(workers, "uno_python", lambda: None)
        convert = libreoffice.convert_to_pdf

        def convert_plainly(deck: Path, *args: Any, **options: Any) -> Path:
            plain_runs.append(deck)
            return convert(deck, *args, **options)
        monkeypatch.setattr(libreoffice, "convert_to_pdf", convert_plainly)
        forget_renders(project)
    run_export(project, kind)
    assert uno != bool(plain_runs)
    pdf = project / "output" / ("deck.pdf" if kind is ExportKind.pdf else "handout/handout.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    in_slides = ("DB에서", "묻는다.", "(적중)", "응답,",  # a text box
                 "최종 IP(대신 찾음)", "A레코드로",  # table cells
                 "앱(EC2)", "캐시(Redis)", "데이터 계층(AZ-a)", "GET요청")  # labels in groups
    in_notes = ("TTL만큼",) if kind is ExportKind.handout else ()
    for written in in_slides + in_notes:
        assert written in text, text[-600:]
