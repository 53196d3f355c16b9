"""Hints for the ways YAML reads ordinary text as syntax: tabs, `: `, `*`, `&`, `{`, `[`; and the
syntax errors of a file's later list items (each slide parsed alone after the first error)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import yaml

from studydeck.errors import Problem

QUOTE_IT = "put the whole text in quotes"
# The first character of a line's value: after the indent, a `- ` and a `key: `.
VALUE_START = re.compile(r"^\s*(?:-\s+)*(?:[^\s:#][^:#]*:\s+)?(\S)")
# An `&` where YAML may read an anchor: at the start of a line's value or a flow item.
MAYBE_ANCHOR = re.compile(r"(?:^|[\s,\[{])&[^\s&]", re.MULTILINE)
GENERAL_HINT = "check the indentation and quoting on this line and the one before it"


# a `key: value` line (or `- key: value`), and a list item of text only (`- "a bullet"`)
KEY_AND_VALUE = re.compile(r"^(\s*(?:-\s+)*[^\s:#][^:#]*?:\s+)(.*?)\s*$")
BULLET_TEXT = re.compile(r"^(\s*)- ((?!- )[^:{\[]*|\"[^\"]*\"|'[^']*')\s*$")
# a key inside `{…}` (after `{` or `, `), and where a value inside it ends (`, key:` or `}`)
FLOW_KEY = re.compile(r"[{,]\s*[\w-]+:\s+")
FLOW_VALUE_END = re.compile(r",\s*[\w-]+:\s|\}\s*$")
# a top-level key whose value is a block list below it (`slides:`), and an item of that list
LIST_KEY = re.compile(r"^[^\s#:][^:#]*:\s*(#.*)?$")
LIST_ITEM = re.compile(r"^(\s*)- ")


def syntax_problem(path: Path, err: yaml.MarkedYAMLError, text: str,
                   first_line: int = 1) -> Problem:
    """Give the problem of a YAML syntax error in `text`, read from `first_line` of `path`."""
    mark = err.problem_mark or err.context_mark
    line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 1)
    message = err.problem or "invalid YAML"
    if err.context:
        message += f" ({err.context})"
    return Problem(path, line, column, f"YAML syntax error: {message}",
                   syntax_hint(err, text, line))


def later_syntax_errors(path: Path, text: str, first: int) -> list[Problem]:
    """Give the syntax errors of the top-level lists' items below line `first` (where YAML
    stopped), each item parsed alone: one run shows each slide's mistake."""
    lines = text.splitlines()
    problems: list[Problem] = []
    for start, end in _list_items(lines):
        if start + 1 <= first:
            continue
        indent = len(LIST_ITEM.match(lines[start]).group(1))  # type: ignore[union-attr]
        item = "\n".join(line[indent:] for line in lines[start:end])
        try:
            yaml.safe_load(item)
        except yaml.MarkedYAMLError as err:
            problem = syntax_problem(path, err, text, start + 1)
            problems.append(replace(problem, column=problem.column + indent))
        except yaml.YAMLError:
            continue
    return problems


def _list_items(lines: list[str]) -> list[tuple[int, int]]:
    """Give (first, end) line indexes of each item of the block lists below top-level keys."""
    items: list[tuple[int, int]] = []
    indent: int | None = None
    for number, line in enumerate(lines):
        if LIST_KEY.match(line):
            indent = None
            continue
        found = LIST_ITEM.match(line)
        if found and (indent is None or len(found.group(1)) == indent):
            indent = len(found.group(1))
            items.append((number, number + 1))
        elif items and indent is not None and (not line.strip() or _indent(line) > indent):
            items[-1] = (items[-1][0], number + 1)
        elif line.strip() and not line.lstrip().startswith("#"):
            indent = None
    return items


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def syntax_hint(err: yaml.MarkedYAMLError, text: str, line: int) -> str:
    """Give the hint for a YAML syntax error: what YAML read, and how to write the text."""
    said = f"{err.problem or ''} {err.context or ''}"
    lines = text.splitlines()
    here = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\\t" in said or "\t" in here[: len(here) - len(here.lstrip())]:
        return "YAML forbids tabs for indentation; indent with spaces"
    if "alias" in said:
        return f"a value starting with '*' is a YAML alias; {QUOTE_IT}, e.g. \"*bold* text\""
    if "anchor" in said:
        return f"a value starting with '&' is a YAML anchor; {QUOTE_IT}"
    sub_bullet = _sub_bullet_hint(lines, line)
    if sub_bullet:
        return sub_bullet
    if "mapping values are not allowed" in said:
        return f"a ': ' inside a value starts a mapping; {QUOTE_IT}: {_quoted_line(here)}"
    colon_in_flow = _colon_in_flow_value(here, err)
    if colon_in_flow:
        return colon_in_flow
    if "flow mapping" in said:
        return f"a value starting with '{{' is a YAML mapping; close it with '}}', or {QUOTE_IT}"
    if "flow sequence" in said:
        return f"a value starting with '[' is a YAML list; close it with ']', or {QUOTE_IT}"
    if "cannot start any token" in said:
        return f"YAML keeps '@', '`' and '%' for itself at the start of a value; {QUOTE_IT}"
    return _value_start_hint(here) or GENERAL_HINT


def _value_start_hint(line: str) -> str:
    """Give the hint for text after a closed `{…}`, `[…]` or quote: `title: [v2] notes`."""
    found = VALUE_START.match(line)
    first = found.group(1) if found else ""
    if first in ("{", "["):
        kind = "mapping" if first == "{" else "list"
        return f"a value starting with '{first}' is a YAML {kind}; {QUOTE_IT}: {_quoted_line(line)}"
    if first in ("'", '"'):
        other = "'" if first == '"' else '"'
        return (f"a quoted value ends at its closing quote; put the whole text in {other} quotes "
                f"instead, or double the inner quotes")
    return ""


def _colon_in_flow_value(line: str, err: yaml.MarkedYAMLError) -> str:
    """Give the hint for a ': ' inside a value of a `{key: value}` mapping, with the line as
    it should be: the value in quotes."""
    mark = err.problem_mark
    column = mark.column if mark else -1
    if not (0 <= column < len(line) and line[column] == ":" and "{" in line[:column]):
        return ""
    keys = list(FLOW_KEY.finditer(line, 0, column))
    if not keys:
        return ""
    start = keys[-1].end()
    end_found = FLOW_VALUE_END.search(line, column)
    end = end_found.start() if end_found else len(line)
    value = line[start:end].strip().replace('"', '\\"')
    fixed = f'{line[:start]}"{value}"{line[end:]}'.strip()
    return f"a ': ' inside a value of {{…}} starts a mapping; put the value in quotes: {fixed}"


def _quoted_line(line: str) -> str:
    """Give the line with its value in double quotes: `title: "Tip: quote me"`."""
    found = KEY_AND_VALUE.match(line)
    if found is None:
        return '"…"'
    value = found.group(2).replace("\\", "\\\\").replace('"', '\\"')
    return f'{found.group(1).strip()} "{value}"'


def _sub_bullet_hint(lines: list[str], line: int) -> str:
    """Give the nested-list form, when a `- sub-bullet` is indented under a bullet of text."""
    if not 1 < line <= len(lines):
        return ""
    here = lines[line - 1]
    above = next((text for text in reversed(lines[:line - 1]) if text.strip()), "")
    sub, bullet = LIST_ITEM.match(here), BULLET_TEXT.match(above)
    if not (sub and bullet and _indent(here) > _indent(above)):
        return ""
    text = bullet.group(2).strip().strip("\"'")
    item = here.strip()[2:].strip()
    return (f"sub-bullets are a list of their own, after their bullet at its indentation: "
            f"'- {text}' then '- - {item}' (a list inside the list), or '- {text}: [{item}]'")


def unused_anchor_warnings(path: Path, text: str) -> list[Problem]:
    """Give a warning for each `&name` no alias uses: YAML drops it from the user's text."""
    if not MAYBE_ANCHOR.search(text):
        return []  # most files: no token scan at all
    anchors: list[Any] = []
    used: set[str] = set()
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if isinstance(token, yaml.AnchorToken):
                anchors.append(token)
            elif isinstance(token, yaml.AliasToken):
                used.add(token.value)
    except yaml.YAMLError:
        return []  # libyaml read it, PyYAML's scanner does not (an escape like "\ud800")
    return [
        Problem(path, token.start_mark.line + 1, token.start_mark.column + 1,
                f"'&{token.value}' at the start of a value is a YAML anchor: it is left out of "
                "the text", f"if the '&' is part of the text, {QUOTE_IT}", severity="warning")
        for token in anchors if token.value not in used
    ]
