"""Property-based: any project, valid or broken, builds a deck that opens or exits 1 with file:line.

Hypothesis writes decks, chapters and diagram files, from valid ones to hostile ones (wrong types,
missing and unknown keys, huge strings, deep nesting, odd Unicode, control characters, empty and
binary files, alias bombs), and runs the CLI in-process on them. Diagrams in the big run come from a
small pool drawn once per session, so Graphviz is not the cost; one smaller run draws fuzzed
diagrams for real, and a few valid decks go through LibreOffice.
"""

from __future__ import annotations

import copy
import re
import shutil
import signal
import string
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
import yaml
from conftest import Result, assert_valid_ooxml, run_cli, soffice_convert
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from pptx import Presentation

pytestmark = pytest.mark.slow  # hundreds of generated projects, some through LibreOffice

# A generous bound that only a hang or a runaway loop can reach (not a timing test).
TIME_LIMIT_S = 60
# Derandomized, so CI runs the same examples each time; not shrunk, because shrinking a failing
# project took Hypothesis over five minutes (the failing example is printed whole instead).
FUZZ = settings(deadline=None, derandomize=True, database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.large_base_example])

PLACE = re.compile(r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<severity>error|warning): ")
OTHER_STDERR = re.compile(
    r"^(    hint: .*|\d+ (errors?|warnings?)( and \d+ warnings?)? found|)$")

# The value that picks a rare branch: Hypothesis draws 0 and the bounds more often than others.
RARE = 5
ICONS = ["onprem.client.Users", "aws.compute.EC2", "aws.network.Route53", "aws.database.RDS",
         "aws.network.ElbApplicationLoadBalancer"]
# Diagrams the big run may use: drawn once into a cache every generated project starts with.
POOL = {
    "pair": {"nodes": {"a": {"icon": "aws.compute.EC2", "label": "웹"},
                       "b": {"icon": "aws.database.RDS", "label": "DB"}},
             "edges": [{"from": "a", "to": "b", "label": "SQL"}],
             "steps": [{"edges": ["a->b"], "caption": "질의"}]},
    "single": {"title": "한 개", "nodes": {"u": {"icon": "onprem.client.Users"}}},
}

ODD_TEXT = [
    "\u202eRTL override", "שלום עולם", "مرحبا بالعالم", "e\u0301\u0302\u0303", "👩‍👩‍👧‍👦 🇰🇷",
    "\u200b\u200d\ufeff", "한국어 문장입니다.", "<&>\"'", "]]>", "{{ slide.title }}", "{% raw %}",
    "\\", "# not a comment", "key: value", "- item", "&anchor", "*alias", "!!python/name:os.system",
    "\ud800", "\udfff", "\x00\x01\x1b[31m", "\u0085\u2028\u2029", "\ufffe\uffff", "\t", "\n\n",
    "[bold]rich[/]", "%s %d {0}", "COM1", "..", "/etc/passwd", "",
]


@contextmanager
def time_limit(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the run) when the block takes longer than `seconds`."""

    def expire(signum: int, frame: FrameType | None) -> None:
        raise AssertionError(f"one example took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


# --- values --------------------------------------------------------------------------------

def texts(max_size: int = 30) -> st.SearchStrategy[str]:
    any_character = st.characters(exclude_categories=())  # surrogates and controls too
    huge = st.builds(lambda piece, count: piece * count, st.sampled_from(["가", "a ", "\u0301"]),
                     st.integers(4990, 12_000))
    usual = st.one_of(
        st.text(alphabet=string.ascii_letters + "가나다 ", min_size=1, max_size=max_size),
        st.text(any_character, max_size=max_size),
        st.sampled_from(ODD_TEXT),
    )
    # one text in 150 is huge (a project holds ~50 texts): at the 5000-character limit or over
    return st.integers(0, 149).flatmap(lambda roll: huge if roll == RARE else usual)


def nice_texts() -> st.SearchStrategy[str]:
    return st.text(alphabet=string.ascii_letters + "가나다라 .,", min_size=1, max_size=40)


def slugs() -> st.SearchStrategy[str]:
    return st.from_regex(r"[a-z][a-z0-9-]{0,10}", fullmatch=True)


junk: st.SearchStrategy[Any] = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), texts(10)),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8,
)


# --- valid files ---------------------------------------------------------------------------

@st.composite
def bullets(draw: st.DrawFn, text: st.SearchStrategy[str]) -> list[Any]:
    items: list[Any] = draw(st.lists(text, min_size=1, max_size=5))
    if draw(st.booleans()):
        items.append(draw(st.lists(text, min_size=1, max_size=2)))
    if draw(st.booleans()):
        items.append({draw(text): draw(st.lists(text, min_size=1, max_size=2))})
    return items


@st.composite
def slides(draw: st.DrawFn, text: st.SearchStrategy[str], diagrams: list[str]) -> dict[str, Any]:
    kinds = ["bullets", "recap", "table", "two-column", "quiz"] + (["diagram"] if diagrams else [])
    kind = draw(st.sampled_from(kinds))
    slide: dict[str, Any] = {"type": kind, "title": draw(text)}
    if kind in ("bullets", "recap"):
        slide["bullets"] = draw(bullets(text))
    elif kind == "table":
        width = draw(st.integers(1, 4))
        slide["columns"] = draw(st.lists(text, min_size=width, max_size=width))
        cell = st.one_of(text, st.integers(), st.booleans())
        slide["rows"] = draw(st.lists(st.lists(cell, min_size=width, max_size=width),
                                      min_size=1, max_size=4))
    elif kind == "two-column":
        for side in ("left", "right"):
            slide[side] = {"heading": draw(text), "bullets": draw(bullets(text))}
    elif kind == "quiz":
        choices = draw(st.lists(text, min_size=2, max_size=4))
        slide |= {"question": draw(text), "choices": choices,
                  "answer": draw(st.integers(1, len(choices))), "explain": draw(text)}
    else:
        name = draw(st.sampled_from(diagrams))
        slide |= {"diagram": name, "caption": draw(text)}
        if POOL.get(name, {}).get("steps"):
            slide["walkthrough"] = draw(st.sampled_from([False, True, "slides"]))
    if draw(st.booleans()):
        slide["notes"] = draw(text)
    return slide


@st.composite
def chapters(draw: st.DrawFn, chapter_id: str, text: st.SearchStrategy[str],
             diagrams: list[str]) -> dict[str, Any]:
    return {"id": chapter_id, "title": draw(text), "minutes": draw(st.integers(1, 30)),
            "objectives": draw(st.lists(text, max_size=3)),
            "slides": draw(st.lists(slides(text, diagrams), min_size=1, max_size=4))}


@st.composite
def decks(draw: st.DrawFn, files: list[str], text: st.SearchStrategy[str]) -> dict[str, Any]:
    deck: dict[str, Any] = {"title": draw(text), "chapters": files}
    if draw(st.booleans()):
        deck |= {"subtitle": draw(text), "author": draw(text),
                 "language": draw(st.sampled_from(["ko", "en"])),
                 "reveal": draw(st.booleans())}
    if draw(st.booleans()):
        deck["session"] = {"minutes": draw(st.integers(1, 300)), "start": "09:30"}
    return deck


@st.composite
def diagram_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A small diagram (one to three nodes) with fuzzed labels, drawn by Graphviz for real."""
    ids = draw(st.lists(slugs(), min_size=1, max_size=3, unique=True))
    text = texts(20)
    nodes = {node: {"icon": draw(st.sampled_from(ICONS)), "label": draw(text)} for node in ids}
    edges = [{"from": a, "to": b, "label": draw(text),
              "style": draw(st.sampled_from(["solid", "dashed"]))}
             for a, b in zip(ids, ids[1:], strict=False)]
    spec: dict[str, Any] = {"title": draw(text), "direction": draw(st.sampled_from(["LR", "TB"])),
                            "nodes": nodes, "edges": edges}
    if draw(st.booleans()):
        spec["groups"] = [{"label": draw(text), "nodes": ids[:1]}]
    if edges and draw(st.booleans()):
        spec["steps"] = [{"edges": [f"{ids[0]}->{ids[1]}"], "caption": draw(text)}]
    return spec


# --- breaking them -------------------------------------------------------------------------

def _containers(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict | list):
        yield path
        items = data.items() if isinstance(data, dict) else enumerate(data)
        for key, value in items:
            yield from _containers(value, (*path, key))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


@st.composite
def broken(draw: st.DrawFn, data: Any) -> Any:
    """Give `data` with one to three changes: a wrong type, a key removed, an unknown key."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 3))):
        places = list(_containers(data))
        if not places:
            return draw(junk)
        container = _at(data, draw(st.sampled_from(places)))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        action = draw(st.sampled_from(["replace", "delete", "add"]))
        if action == "add" or not keys:
            if isinstance(container, dict):
                container[draw(st.one_of(texts(10), st.sampled_from(["titel", "typ"])))] = (
                    draw(junk))
            else:
                container.append(draw(junk))
        elif action == "delete":
            del container[draw(st.sampled_from(keys))]
        else:
            container[draw(st.sampled_from(keys))] = draw(junk)
    return data


def anchor_bomb(levels: int) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        lines.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep_nesting(depth: int, flow: bool) -> str:
    if flow:
        return "title: " + "[" * depth + "]" * depth + "\n"
    return "".join("  " * level + "- " + "\n" for level in range(depth)) + "  " * depth + "x\n"


@st.composite
def hostile_files(draw: st.DrawFn) -> bytes:
    """Give the bytes of a file that is not the YAML studydeck expects at all."""
    kind = draw(st.sampled_from(["empty", "binary", "bomb", "deep", "latin1", "tabs", "text",
                                 "comment", "huge", "scalar", "duplicate"]))
    if kind == "empty":
        return b""
    if kind == "binary":
        return draw(st.binary(min_size=1, max_size=200))
    if kind == "bomb":
        return anchor_bomb(draw(st.integers(5, 12))).encode()
    if kind == "deep":
        return deep_nesting(draw(st.integers(90, 3000)), draw(st.booleans())).encode()
    if kind == "latin1":
        return "title: caf\xe9\n".encode("latin-1")
    if kind == "tabs":
        return b"title: x\nchapters:\n\t- a.yaml\n"
    if kind == "huge":
        return b"title: " + b"x" * 2_000_100 + b"\n"
    if kind == "scalar":
        return draw(st.sampled_from([b"42\n", b"- a\n- b\n", b"~\n", b"'just text'\n"]))
    if kind == "duplicate":
        return b"title: a\ntitle: b\n"
    return draw(texts(200)).encode("utf-8", "surrogatepass")


@st.composite
def file_bytes(draw: st.DrawFn, data: Any, valid: bool) -> bytes:
    """Give the file for `data`: as YAML, maybe broken, or (rarely) something hostile."""
    if not valid:
        # each file: 1 in 10 hostile, 2 in 10 broken (Hypothesis favours small numbers: 0 is
        # the intact file)
        roll = draw(st.integers(0, 9))
        if roll == 9:
            return draw(hostile_files())
        if roll >= 7:
            data = draw(broken(data))
    text = yaml.safe_dump(data, allow_unicode=draw(st.booleans()), sort_keys=False,
                          default_flow_style=draw(st.sampled_from([False, None])), width=80)
    return text.encode("utf-8")


@st.composite
def projects(draw: st.DrawFn, valid: bool) -> dict[str, bytes]:
    """Give the files of a project (relative path → bytes); `valid` keeps every file valid."""
    # three line breaks make a title that does not fit (a validation error, tested elsewhere)
    one_line = [text for text in ODD_TEXT if not set(text) & set("\n\u2028\u2029")]
    text = st.one_of(nice_texts(), st.sampled_from(one_line)) if valid else texts()
    names = draw(st.lists(st.sampled_from(sorted(POOL)), max_size=2, unique=True))
    ids = draw(st.lists(slugs(), min_size=1, max_size=3, unique=True))
    files: dict[str, bytes] = {}
    for name in names:
        files[f"diagrams/{name}.yaml"] = draw(file_bytes(POOL[name], valid))
    if not valid and draw(st.integers(0, 9)) == RARE:
        files["diagrams/extra.yaml"] = draw(file_bytes(draw(diagram_specs()), valid=False))
    chapter_files = [f"c{number}.yaml" for number in range(len(ids))]
    for file, chapter_id in zip(chapter_files, ids, strict=True):
        chapter = draw(chapters(chapter_id, text, names))
        files[f"chapters/{file}"] = draw(file_bytes(chapter, valid))
    if not valid and draw(st.integers(0, 9)) == RARE:
        chapter_files.append(draw(st.sampled_from(["../outside.yaml", "missing.yaml", "/etc",
                                                   chapter_files[0]])))
    files["deck.yaml"] = draw(file_bytes(draw(decks(chapter_files, text)), valid))
    return files


# --- running the CLI on them ---------------------------------------------------------------

@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Give output/diagrams/ with the pool's pictures drawn, for projects to start from."""
    project = tmp_path_factory.mktemp("pool")
    write_project(project, {
        "deck.yaml": yaml.safe_dump({"title": "pool", "chapters": ["c.yaml"]}).encode(),
        "chapters/c.yaml": yaml.safe_dump({"id": "c", "title": "c", "minutes": 1, "slides": [
            {"type": "diagram", "title": name, "diagram": name} for name in POOL]}).encode(),
        **{f"diagrams/{name}.yaml": yaml.safe_dump(spec, allow_unicode=True).encode()
           for name, spec in POOL.items()},
    })
    result = run_cli("build", "--project", project)
    assert result.exit_code == 0, result.output
    return project / "output" / "diagrams"


def write_project(root: Path, files: dict[str, bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)


def build_fuzzed(files: dict[str, bytes], cache: Path | None) -> tuple[Path, Result]:
    root = Path(tempfile.mkdtemp(prefix="fuzz-"))
    write_project(root, files)
    if cache is not None:
        shutil.copytree(cache, root / "output" / "diagrams")
    with time_limit(TIME_LIMIT_S):
        return root, run_cli("build", "--project", root)


def assert_built_or_reported(root: Path, result: Result) -> None:
    """The two outcomes a user may see: a deck that opens, or file:line problems and exit 1."""
    assert "Traceback" not in result.output, result.output
    event(f"exit {result.exit_code}")  # the mix shows with --hypothesis-show-statistics
    deck = root / "output" / "deck.pptx"
    if result.exit_code == 0:
        presentation = Presentation(str(deck))
        assert len(presentation.slides) >= 3
        assert "wrote output/deck.pptx" in result.stdout or "wrote " in result.stdout
        return
    assert result.exit_code == 1, result.output
    assert not deck.exists(), "a failed build must not write the deck"
    places = [PLACE.match(line) for line in result.stderr.splitlines()]
    errors = [place for place in places if place and place["severity"] == "error"]
    assert errors, result.stderr
    for line, place in zip(result.stderr.splitlines(), places, strict=True):
        assert place or OTHER_STDERR.match(line), f"unexpected line {line!r} in\n{result.stderr}"
        if place:
            path = Path(place["path"])
            assert (path if path.is_absolute() else Path.cwd() / path).resolve().is_relative_to(
                root.resolve()), line
            assert int(place["line"]) >= 1 and int(place["column"]) >= 1


@settings(FUZZ, max_examples=200)
@given(files=projects(valid=False))
def test_any_project_builds_or_reports_file_and_line(
    files: dict[str, bytes], warm_cache: Path
) -> None:
    root, result = build_fuzzed(files, warm_cache)
    try:
        assert_built_or_reported(root, result)
    finally:
        shutil.rmtree(root)


@settings(FUZZ, max_examples=40)
@given(files=projects(valid=True))
def test_valid_projects_build_decks_that_pass_the_ooxml_schemas(
    files: dict[str, bytes], warm_cache: Path
) -> None:
    root, result = build_fuzzed(files, warm_cache)
    try:
        assert result.exit_code == 0, result.output
        assert_built_or_reported(root, result)
        assert_valid_ooxml(root / "output" / "deck.pptx")
    finally:
        shutil.rmtree(root)


@settings(FUZZ, max_examples=30)
@given(spec=diagram_specs(), valid=st.booleans(), data=st.data())
def test_fuzzed_diagrams_are_drawn_or_reported(spec: dict[str, Any], valid: bool,
                                               data: st.DataObject) -> None:
    files = {
        "deck.yaml": b"title: d\nchapters: [c.yaml]\n",
        "chapters/c.yaml": yaml.safe_dump({"id": "c", "title": "c", "minutes": 1, "slides": [
            {"type": "diagram", "title": "d", "diagram": "fuzzed",
             "walkthrough": bool(spec.get("steps"))}]}).encode(),
        "diagrams/fuzzed.yaml": data.draw(file_bytes(spec, valid)),
    }
    root, result = build_fuzzed(files, None)
    try:
        assert_built_or_reported(root, result)
    finally:
        shutil.rmtree(root)


@settings(FUZZ, max_examples=3)
@given(files=projects(valid=True))
def test_valid_fuzzed_decks_open_in_libreoffice(
    files: dict[str, bytes], warm_cache: Path
) -> None:
    root, result = build_fuzzed(files, warm_cache)
    try:
        assert result.exit_code == 0, result.output
        deck = root / "output" / "deck.pptx"
        pdf = soffice_convert(deck, "pdf", root / "pdf")
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True,
                              timeout=60).stdout
        pages = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
        assert pages is not None and int(pages.group(1)) == len(Presentation(str(deck)).slides)
    finally:
        shutil.rmtree(root)
