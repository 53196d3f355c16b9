"""Hints for the ways YAML reads ordinary text as syntax: tabs, `: `, `*`, `&`, `{`, `[`."""

from __future__ import annotations

import re
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
    if "mapping values are not allowed" in said:
        return f"a ': ' inside a value starts a mapping; {QUOTE_IT}, e.g. title: \"Tip: …\""
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
        return f"a value starting with '{first}' is a YAML {kind}; {QUOTE_IT}"
    if first in ("'", '"'):
        other = "'" if first == '"' else '"'
        return (f"a quoted value ends at its closing quote; put the whole text in {other} quotes "
                f"instead, or double the inner quotes")
    return ""


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
