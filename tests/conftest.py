"""Shared helpers: the CLI run in-process, built decks read back, and LibreOffice conversions."""

from __future__ import annotations

import atexit
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import traceback
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from openxml_audit import FileFormat, OpenXmlValidator
from pptx import Presentation
from pptx.presentation import Presentation as PresentationObject
from pptx.slide import Slide
from typer.testing import CliRunner

from studydeck.cli import app

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"
FONTS_CONF = REPO / "studydeck" / "fonts.conf"
SAMPLE_PARTS = ("deck.yaml", "chapters", "diagrams", "templates")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def _cache_folder_of_this_process() -> str:
    """Give a new folder, removed when this process ends: not when a forked copy of it ends,
    nor a program started with it in its environment (each xdist worker makes its own)."""
    folder = tempfile.mkdtemp(prefix="studydeck-tests-cache-")
    maker = os.getpid()

    def remove() -> None:
        if os.getpid() == maker:
            shutil.rmtree(folder, ignore_errors=True)

    atexit.register(remove)
    return folder


# Notes templates a test compiles are kept in a cache folder of the run's own, not the user's.
os.environ["XDG_CACHE_HOME"] = _cache_folder_of_this_process()

# -- the fast tier: `make check` runs `pytest -m "not slow"` --------------------------------------
# A test that starts LibreOffice or Chromium (seconds each) must be marked slow: one that is not
# fails at its teardown, in both tiers, saying so. Tests slow for other reasons are marked by hand.

# A folder or file name in the path of the program a test starts → what the program is
SLOW_PROGRAMS = {"libreoffice": "LibreOffice", "unoserver": "LibreOffice (unoserver)",
                 "chromium": "Chromium", "playwright": "Chromium (Playwright's driver)"}
_running: dict[str, pytest.Item] = {}
_unmarked: dict[str, str] = {}  # test id → the slow program it started


# The longest test files (`make test --durations`), started first: with two workers and one file
# per worker at a time (--dist loadfile), a long file started last keeps one worker busy while
# the other idles.
LONGEST_FIRST = ("test_template_impress.py", "test_fuzz.py", "test_export_incremental.py",
                 "test_clicks.py", "test_installed.py", "test_native_diagrams.py")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        name = item.path.name
        return LONGEST_FIRST.index(name) if name in LONGEST_FIRST else len(LONGEST_FIRST)

    items.sort(key=rank)  # stable: each file's tests keep their order


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    _running["test"] = item  # before its fixtures: a module fixture's programs count for it


@pytest.hookimpl(trylast=True)  # after the fixtures' teardown
def pytest_runtest_teardown(item: pytest.Item) -> None:
    program = _unmarked.pop(item.nodeid, None)
    if program is not None:
        pytest.fail(f"{item.nodeid} starts {program}: mark it @pytest.mark.slow (make check "
                    "leaves out the slow tests)", pytrace=False)


def _slow_program(executable: Any, args: Any, env: Any) -> str | None:
    """Give what a command starts if it is LibreOffice or Chromium, else None."""
    argv = [args] if isinstance(args, str | bytes | os.PathLike) else list(args)
    if "--version" in argv:  # `doctor` asks for versions: a fraction of a second
        return None
    program = os.fsdecode(executable if executable is not None else argv[0])
    path = env.get("PATH") if isinstance(env, dict) else None
    found = Path(shutil.which(program, path=path) or program).resolve()
    return next((SLOW_PROGRAMS[part] for part in found.parts if part in SLOW_PROGRAMS), None)


def _note_slow_programs_of_unmarked_tests(event: str, args: tuple[Any, ...]) -> None:
    # noted, not refused: an exception here would surface as some library's own error
    if event != "subprocess.Popen" or "test" not in _running:
        return
    test = _running["test"]
    if test.get_closest_marker("slow") is None:
        program = _slow_program(*args[:2], args[3])
        if program is not None:
            _unmarked.setdefault(test.nodeid, program)


sys.addaudithook(_note_slow_programs_of_unmarked_tests)


@dataclass(frozen=True)
class Result:
    """What a user sees of one CLI run: exit code and the text on stdout and stderr."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """Both streams, as a terminal would show them (order aside)."""
        return self.stdout + self.stderr


@dataclass(frozen=True)
class BuiltDeck:
    """A project copied to a temporary folder, built once."""

    project: Path
    deck: Path
    result: Result

    def open(self) -> PresentationObject:
        return Presentation(str(self.deck))


def run_cli(*args: str | Path) -> Result:
    """Run `studydeck ARGS` in-process; an escaping exception shows as a real run would."""
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    stderr = result.stderr
    exception = result.exception
    if exception is not None and not isinstance(exception, SystemExit):
        # CliRunner swallows the exception; a real process would print its traceback.
        stderr += "".join(traceback.format_exception(exception))
        return Result(70, _plain(result.stdout), _plain(stderr))
    if args and str(args[0]) == "build" and result.exit_code == 0:
        _check_written_decks([str(arg) for arg in args], _plain(result.stdout))
    return Result(result.exit_code, _plain(result.stdout), _plain(stderr))


WROTE = re.compile(r"^wrote (.+?\.pptx)", re.MULTILINE)


def _check_written_decks(args: list[str], stdout: str) -> None:
    """Hold every deck a test builds to the ECMA-376 schemas."""
    option = next((name for name in ("--project", "-p") if name in args), None)
    project = Path(args[args.index(option) + 1]) if option else Path(".")
    for shown in WROTE.findall(stdout):
        assert_valid_ooxml(project / shown)


@cache
def _ooxml_validator() -> OpenXmlValidator:
    validator = OpenXmlValidator(file_format=FileFormat.OFFICE_2019, max_errors=50)
    schema = getattr(validator, "_schema_validator", None)
    if schema is not None and hasattr(schema, "validate_part"):
        validator._schema_validator = _SchemaCheckedOnce(schema)  # type: ignore[assignment]
    return validator


class _SchemaCheckedOnce:
    """openxml-audit's schema check of one part, skipped for a part whose bytes passed it before.

    The check reads only the part's own XML (not its package), and most parts of a deck a test
    builds (layouts, masters, theme, unchanged slides) are byte for byte those of an earlier deck:
    checking each once takes about a fifth of the time the fast tier spends building decks.
    """

    def __init__(self, schema: Any) -> None:
        self._schema = schema
        self._passed: set[bytes] = set()

    def validate_part(self, part: Any, context: Any) -> Any:
        content = part.raw_content
        key = hashlib.sha256(f"{part.content_type}\0".encode() + (content or b"")).digest()
        if content is None or key not in self._passed:
            errors_before = len(context.errors)
            self._schema.validate_part(part, context)
            if content is not None and len(context.errors) == errors_before:
                self._passed.add(key)
        return context.errors

    def __getattr__(self, name: str) -> Any:
        return getattr(self._schema, name)


# Digests of the decks found valid: the tests build the same deck, byte for byte, many times over.
_valid_decks: set[str] = set()


def assert_valid_ooxml(deck: Path) -> None:
    """Check every part of `deck` against the ECMA-376 schemas and package rules (openxml-audit)."""
    digest = hashlib.sha256(deck.read_bytes()).hexdigest()
    if digest in _valid_decks:
        return
    with zipfile.ZipFile(deck) as package:
        names = package.namelist()
        assert len(names) == len(set(names)), f"{deck} has parts with the same name"
        assert package.testzip() is None, f"{deck} has a damaged part"
        for name in names:
            if name.endswith((".xml", ".rels")):
                # openxml-audit skips a layout or master it cannot parse: parse them all here
                etree.fromstring(package.read(name))
    result = _ooxml_validator().validate(str(deck))
    found = "\n".join(f"  {error}" for error in result.errors[:20])
    assert result.is_valid, f"{deck} is not valid OOXML ({result.error_count} errors):\n{found}"
    _valid_decks.add(digest)


def usage_error_text(result: Result) -> str:
    """Give a usage error's words on one line, without the box Typer draws around them."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return " ".join(re.sub("[│╭╮╰╯─]", " ", result.stderr).split())


def _plain(text: str) -> str:
    return ANSI.sub("", text)


def processes_running(text: str) -> list[tuple[str, str]]:
    """Give the id and command line of each process whose command line holds `text`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            line = (entry / "cmdline").read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        if text in line:
            found.append((entry.name, line.replace("\0", " ")))
    return found


def libreoffice_of(pid: int) -> list[str]:
    """Give the processes (workers, LibreOffice) studydeck process `pid` started for renders."""
    return [process for process, _ in processes_running(f"studydeck-uno-{pid}-")]


def copy_project(source: Path, target: Path) -> Path:
    """Copy a deck project without its output/ (the build writes there)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("output"))
    return target


def copy_sample(target: Path) -> Path:
    """Copy the repository's own deck (deck.yaml, chapters/, diagrams/, templates/)."""
    target.mkdir(parents=True)
    for name in SAMPLE_PARTS:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, target / name)
        else:
            shutil.copy2(source, target / name)
    return target


def build(project: Path, *options: str) -> Result:
    result = run_cli("build", "--project", project, *options)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    """tests/fixtures/mini, copied and built once (do not modify it in a test)."""
    project = copy_project(MINI, tmp_path_factory.mktemp("built") / "mini")
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> BuiltDeck:
    """The repository's sample deck, copied and built once (do not modify it in a test)."""
    project = copy_sample(tmp_path_factory.mktemp("built") / "sample")
    result = build(project)
    return BuiltDeck(project, project / "output" / "deck.pptx", result)


@pytest.fixture(scope="session")
def sample_pdf(sample: BuiltDeck, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The built sample deck as LibreOffice prints it (studydeck's fonts.conf), converted once."""
    return soffice_convert(sample.deck, "pdf", tmp_path_factory.mktemp("sample-pdf"))


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A fresh, unbuilt copy of the mini project a test may change."""
    return copy_project(MINI, tmp_path / "mini")


def slide_title(slide: Slide) -> str:
    title = slide.shapes.title
    return title.text_frame.text if title is not None else ""


def slide_notes(slide: Slide) -> str:
    if not slide.has_notes_slide:
        return ""
    frame = slide.notes_slide.notes_text_frame
    return frame.text if frame is not None else ""


def soffice_convert(src: Path, fmt: str, outdir: Path, profile: Path | None = None, *,
                    font_mapping: bool = True) -> Path:
    """Convert `src` with headless LibreOffice; give the file written to `outdir`.

    Without `font_mapping`, LibreOffice runs as on a stranger's machine: no studydeck fonts.conf,
    so Malgun Gothic and Calibri are whatever the system's fontconfig substitutes.
    """
    profile = profile or outdir / ".lo-profile"
    env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    if font_mapping:
        env["FONTCONFIG_FILE"] = str(FONTS_CONF)
    command = [
        "soffice",
        f"-env:UserInstallation={profile.resolve().as_uri()}",
        "--headless",
        "--convert-to",
        fmt,
        "--outdir",
        str(outdir),
        str(src),
    ]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180,
                          check=False)
    written = outdir / f"{src.stem}.{fmt.split(':')[0]}"
    assert done.returncode == 0 and written.is_file(), (
        f"soffice failed ({done.returncode}): {done.stdout}\n{done.stderr}"
    )
    return written
