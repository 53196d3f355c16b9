"""YAML files to plain data, keeping the source position of every value."""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Any

import yaml

from studydeck.errors import DeckError, Problem
from studydeck.source import parse_cache
from studydeck.source.fingerprint import code_fingerprint
from studydeck.source.yaml_traps import (
    later_syntax_errors,
    syntax_problem,
    unused_anchor_warnings,
)

MAX_FILE_BYTES = 2_000_000
MAX_VALUES = 200_000  # bounds alias expansion ("billion laughs") and absurdly deep files
MAX_DEPTH = 100
# Characters a .pptx cannot hold (XML 1.0 forbids them) or that only steer a terminal: control
# characters other than tab and newline, lone surrogates (from escapes like "\ud800"), U+FFFE/F.
NOT_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Unicode's line and paragraph separators ("\L", "\P" in YAML) mean what a new line means.
SEPARATORS = str.maketrans({"\u2028": "\n", "\u2029": "\n"})

# libyaml reads a file about ten times faster than PyYAML and gives the same values and positions;
# a file it rejects is read again by PyYAML, whose error messages users (and tests) know.
FAST_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
STR_TAG = "tag:yaml.org,2002:str"

Location = tuple[str | int, ...]


@dataclass(frozen=True)
class SourceFile:
    """One loaded YAML file: its data and where each value stands in the text."""

    path: Path
    data: Any
    positions: dict[Location, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    text: str = ""

    def raw_text(self, location: Location) -> str:
        """Give the YAML text of the scalar at `location` as written (`yes`, `1.10`, `{a}`)."""
        if location not in self.positions:
            return ""
        line, column = self.positions[location]
        lines = self.text.splitlines()
        if not 0 < line <= len(lines):
            return ""
        written = re.match(r"[^,\]}\n]*", lines[line - 1][column - 1:])
        return written.group().split(" #")[0].strip() if written else ""

    def position(self, location: Location) -> tuple[int, int]:
        """Give (line, column) of the value at `location`, or of its nearest parent."""
        loc = tuple(location)
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))


class _Builder:
    """Turns a composed YAML node tree into plain data, recording each node's position."""

    def __init__(self, path: Path, loader: yaml.SafeLoader) -> None:
        self.path = path
        self.loader = loader
        self.positions: dict[Location, tuple[int, int]] = {}
        self.warnings: list[Problem] = []
        self.count = 0

    def build(self, node: yaml.Node, location: Location, depth: int = 0) -> Any:
        self.count += 1
        if self.count > MAX_VALUES or depth > MAX_DEPTH:
            line, column = _mark(node)
            raise DeckError.single(
                self.path,
                "the file expands to too many values (deep nesting or a chain of aliases)",
                line=line,
                column=column,
                hint="write the values out instead of nesting aliases (&name / *name)",
            )
        self.positions[location] = _mark(node)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location, depth)
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*location, i), depth + 1) for i, item in enumerate(node.value)
            ]
        return self._scalar(node)

    def _scalar(self, node: yaml.Node) -> Any:
        """Give the value of a scalar node, without characters a .pptx cannot hold."""
        if node.tag == STR_TAG and isinstance(node.value, str):
            value: Any = node.value  # what the constructor gives for text, at a tenth of the cost
        else:
            value = self.loader.construct_object(node, deep=True)
        if not isinstance(value, str):
            return value
        value = value.translate(SEPARATORS)
        if not NOT_TEXT.search(value):
            return value
        removed = sorted({f"U+{ord(c):04X}" for c in NOT_TEXT.findall(value)})
        line, column = _mark(node)
        self.warnings.append(Problem(
            self.path, line, column,
            f"removed control characters a slide cannot show ({', '.join(removed[:5])})",
            severity="warning",
        ))
        return NOT_TEXT.sub("", value)

    def _mapping(self, node: yaml.MappingNode, location: Location, depth: int) -> dict[Any, Any]:
        self.loader.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = self._scalar(key_node)
            if not isinstance(key, str | int | float | bool) or key is None:
                line, column = _mark(key_node)
                raise DeckError.single(
                    self.path, "a key must be plain text", line=line, column=column
                )
            if key in result:
                line, column = _mark(key_node)
                raise DeckError.single(
                    self.path,
                    f"the key '{key}' is given twice",
                    line=line,
                    column=column,
                    hint="keep one of the two",
                )
            result[key] = self.build(value_node, (*location, str(key)), depth + 1)
            self.positions[(*location, str(key), "__key__")] = _mark(key_node)
        return result


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def _text_position(text: str, index: int) -> tuple[int, int]:
    """Give (line, column) of the character at `index` of `text`."""
    line_start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - line_start + 1


def _read_source(path: Path) -> bytes:
    """Give the bytes of a YAML file; raises DeckError if it is missing, unreadable, no
    regular file (a FIFO would wait forever) or larger than MAX_FILE_BYTES (checked first)."""
    try:
        with open(os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC), "rb") as file:
            found = os.fstat(file.fileno())
            if not stat.S_ISREG(found.st_mode):
                raise DeckError.single(path, "this is not a regular file",
                                       hint="a deck's files are plain text files")
            raw = file.read(MAX_FILE_BYTES + 1) if found.st_size <= MAX_FILE_BYTES else b""
    except FileNotFoundError:
        raise DeckError.single(path, "the file does not exist") from None
    except OSError as err:
        raise DeckError.single(path, f"the file cannot be read: {err.strerror}") from None
    if found.st_size > MAX_FILE_BYTES or len(raw) > MAX_FILE_BYTES:
        raise DeckError.single(path, f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB",
                               hint="split it")
    return raw


def load_yaml(path: Path) -> SourceFile:
    """Give the file's data with positions; raises DeckError for unreadable or invalid YAML."""
    raw = _read_source(path)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        column = err.start - (raw.rfind(b"\n", 0, err.start) + 1) + 1
        raise DeckError.single(
            path,
            "the file is not UTF-8 text",
            line=line,
            column=column,
            hint="save the file as UTF-8",
        ) from None
    key = _key(raw)
    return _recalled(path, key, text) or _parsed_and_kept(path, key, text)


def parser_identity() -> str:
    """Name what parses a file here: a file's parse is reused only by the same parser."""
    return f"{code_fingerprint()} PyYAML {yaml.__version__} {FAST_LOADER.__name__}"


def _recalled(path: Path, key: bytes, text: str) -> SourceFile | None:
    """Give the parse of the file's bytes (`key`) the last build kept (studydeck/parse_cache.py)."""
    entry = parse_cache.recall(key)
    if entry is None:
        return None
    data, positions, warnings, dated = entry
    return SourceFile(path, _with_dates(data) if dated else data, positions,
                      [Problem(path, *warning) for warning in warnings], text)


def _parsed_and_kept(path: Path, key: bytes, text: str) -> SourceFile:
    source = parse_yaml(path, text)
    warnings = [(w.line, w.column, w.message, w.hint, w.severity) for w in source.warnings]
    kept = _without_dates(source.data)
    parse_cache.keep(key, (kept, source.positions, warnings, kept is not source.data))
    return source


def _without_dates(data: Any) -> Any:
    """Give `data` with each date (`date: 2026-11-28` unquoted) as a tuple marshal can keep;
    `data` itself when it has none. YAML data has no tuples of its own."""
    if isinstance(data, dt.date):
        return (type(data).__name__, data.isoformat())
    items: Any
    if isinstance(data, dict):
        items = {key: _without_dates(value) for key, value in data.items()}
        changed = any(items[key] is not value for key, value in data.items())
    elif isinstance(data, list):
        items = [_without_dates(value) for value in data]
        changed = any(new is not old for new, old in zip(items, data, strict=True))
    else:
        return data
    return items if changed else data


def _with_dates(data: Any) -> Any:
    if isinstance(data, tuple):
        kind, text = data
        kept = dt.datetime if kind == "datetime" else dt.date
        return kept.fromisoformat(text)
    if isinstance(data, dict):
        return {key: _with_dates(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_with_dates(value) for value in data]
    return data


def _key(raw: bytes) -> bytes:
    """Give what finds a file's kept parse: a digest of its bytes."""
    return blake2b(raw, digest_size=20).digest()


def parse_yaml(path: Path, text: str) -> SourceFile:
    """Give the data of YAML `text` (read from `path`) with the position of every value."""
    try:
        return _parse(path, text)
    except RecursionError:
        raise DeckError.single(path, "the file is nested too deeply",
                               hint=f"keep lists and mappings under {MAX_DEPTH} levels deep"
                               ) from None
    except yaml.MarkedYAMLError as err:
        first = syntax_problem(path, err, text)
        raise DeckError([first, *later_syntax_errors(path, text, first.line)]) from None
    except yaml.reader.ReaderError as err:
        line, column = _text_position(text, err.position)
        raise DeckError.single(
            path,
            f"the file holds a control character (U+{err.character:04X}) YAML does not allow",
            line=line,
            column=column,
            hint="delete it; a tab or a new line is fine",
        ) from None
    except yaml.YAMLError as err:
        raise DeckError.single(path, f"YAML error: {err}") from None


def _parse(path: Path, text: str) -> SourceFile:
    try:
        return _compose(path, text, FAST_LOADER)
    except yaml.YAMLError:
        return _compose(path, text, yaml.SafeLoader)  # its messages are the ones users see


def _compose(path: Path, text: str, loader_class: Any) -> SourceFile:
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return SourceFile(path, None, {(): (1, 1)}, text=text)
        builder = _Builder(path, loader)
        data = builder.build(node, ())
        warnings = [*builder.warnings, *unused_anchor_warnings(path, text)]
        return SourceFile(path, data, builder.positions, warnings, text)
    finally:
        loader.dispose()

