"""New values written into YAML text in place: only the scalar's own text changes.

Comments, key order, indentation, quoting style and line endings stay as they were; a value is
re-quoted only when its new text needs it, and every change is checked by reading the file again.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import yaml

Location = tuple[str | int, ...]
KEY = "__key__"  # a location ending in it names a mapping's key, not its value
_PLAIN_UNSAFE = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|\s$|^$")


class NotWritable(Exception):
    """A value that cannot be written back at its place in the YAML text."""


@dataclass(frozen=True)
class Change:
    """A new value for the scalar at `location` (or a new key there, when it has none yet).

    `flow`: the value is YAML, written as it is (`[0.5, 0.25]`); `insert`: the value is a new
    item of the list at `location[:-1]`, before its item `location[-1]` (or after the last).
    """

    location: Location
    value: str
    kind: Literal["text", "flow", "insert"] = "text"


def nodes_by_location(text: str) -> dict[Location, yaml.Node]:
    """Give every node of the YAML text by its location (keys as text, items by number)."""
    found: dict[Location, yaml.Node] = {}

    def visit(node: yaml.Node, location: Location) -> None:
        found[location] = node
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found[(*location, str(key.value), KEY)] = key
                visit(value, (*location, str(key.value)))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                visit(item, (*location, index))

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if root is not None:
        visit(root, ())
    return found


def line_and_column(text: str, location: Location) -> tuple[int, int]:
    """Give the (line, column) where the value at `location` starts, counting from 1."""
    node = nodes_by_location(text).get(location)
    if node is None:
        return 1, 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def is_block(text: str, location: Location) -> bool:
    """Tell whether the value at `location` is written as a block (`|` or `>`)."""
    node = nodes_by_location(text).get(location)
    return isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")


def apply_changes(text: str, changes: Sequence[Change]) -> str:
    """Give the YAML text with every change made; raises NotWritable when one cannot be."""
    nodes = nodes_by_location(text)
    expected = yaml.load(text, Loader=yaml.SafeLoader)
    edits: list[tuple[int, int, int, str]] = []  # start, order, end, text
    newline = "\r\n" if "\r\n" in text else "\n"
    for order, change in enumerate(changes):
        node = nodes.get(change.location)
        if change.kind == "insert":
            start, end, written = _inserted_item(text, nodes, change, newline)
            edits.append((start, order, end, written))
            continue
        if node is None:
            start, end, written = _new_key(text, nodes, change, newline)
        elif change.kind == "flow":
            start, end, written = node.start_mark.index, node.end_mark.index, change.value
        elif isinstance(node, yaml.ScalarNode):
            start, end, written = _reading_back(
                text, change, _replaced_scalar(text, node, change.value, newline),
                newline if node.style in ("|", ">") else "")
        else:
            raise NotWritable(f"the value at {_dotted(change.location)} is not a text")
        edits.append((start, order, end, written))
        _set(expected, change.location, yaml.safe_load(change.value)
             if change.kind == "flow" else change.value)
    inserts = [(change.location, order, change.value)
               for order, change in enumerate(changes) if change.kind == "insert"]
    for location, _, value in sorted(inserts, reverse=True):  # the last first: places hold
        _at(expected, location[:-1]).insert(location[-1], value)
    for start, _, end, written in sorted(edits, reverse=True):
        text = text[:start] + written + text[end:]
    _check(text, expected)
    return text


def _reading_back(text: str, change: Change, edit: tuple[int, int, str],
                  line_end: str) -> tuple[int, int, str]:
    """Give the edit if the value reads back from it as written, else the value double-quoted
    (a folded block, an odd plain word: the style is kept only where it holds the text)."""
    start, end, written = edit
    try:
        data = yaml.load(text[:start] + written + text[end:], Loader=yaml.SafeLoader)
        if change.location[-1] == KEY:
            found = any(str(key) == change.value for key in _at(data, change.location[:-2]))
        else:
            found = _loose(_at(data, change.location)) == change.value
    except (yaml.YAMLError, KeyError, IndexError, TypeError):
        found = False
    return edit if found else (start, end, json.dumps(change.value, ensure_ascii=False) + line_end)


def _replaced_scalar(text: str, node: yaml.ScalarNode, value: str,
                     newline: str) -> tuple[int, int, str]:
    start, end = node.start_mark.index, node.end_mark.index
    if node.style in ("|", ">"):
        header_end = text.index("\n", start) + 1
        body = text[header_end:end]
        indent = _block_indent(body) or node.start_mark.column + 2
        blank_tail = re.search(r"(?:\n|^)((?:[ \t]*\r?\n)*[ \t]*)$", body)
        tail = blank_tail.group(1) if blank_tail else ""
        return start, end, text[start:header_end] + _block_lines(value, indent, newline) + tail
    return start, end, _inline_scalar(value, node.style or "", _in_flow(text, start))


def _inline_scalar(value: str, style: str, in_flow: bool) -> str:
    """Give the value written in the scalar's style, or quoted when the style cannot hold it."""
    if "\n" not in value and style == "" and _plain_reads_back(value, in_flow):
        return value
    if "\n" not in value and style in ("", "'"):
        return "'" + value.replace("'", "''") + "'"
    return json.dumps(value, ensure_ascii=False)


def _plain_reads_back(value: str, in_flow: bool) -> bool:
    if _PLAIN_UNSAFE.search(value) or (in_flow and re.search(r"[,\[\]{}]", value)):
        return False
    try:
        return bool(yaml.safe_load(f"k: {value}") == {"k": value})
    except yaml.YAMLError:
        return False


def _in_flow(text: str, start: int) -> bool:
    """Tell whether the scalar at `start` stands inside [ … ] or { … } on its line."""
    line_start = text.rfind("\n", 0, start) + 1
    before = text[line_start:start]
    return before.count("[") + before.count("{") > before.count("]") + before.count("}")


def _block_indent(body: str) -> int:
    for line in body.splitlines():
        if line.strip():
            return len(line) - len(line.lstrip(" "))
    return 0


def _block_lines(value: str, indent: int, newline: str) -> str:
    lines = value[:-1].split("\n") if value.endswith("\n") else value.split("\n")
    return "".join(f"{' ' * indent}{line}".rstrip(" ") + newline for line in lines)


def _new_key(text: str, nodes: dict[Location, yaml.Node], change: Change,
             newline: str) -> tuple[int, int, str]:
    """Give the edit adding `key: value` as the last key of the mapping that holds it."""
    parent = nodes.get(change.location[:-1])
    if not isinstance(parent, yaml.MappingNode) or not parent.value:
        raise NotWritable(f"cannot add {_dotted(change.location)} to the YAML")
    last_end = parent.value[-1][1].end_mark.index
    written = change.value if change.kind == "flow" else _inline_scalar(change.value, "", True)
    if parent.flow_style:  # `{icon: …, label: …}`: the new key goes last, inside the braces
        return last_end, last_end, f", {change.location[-1]}: {written}"
    indent = parent.value[0][0].start_mark.column
    at, prefix = _line_after(text, last_end, newline)
    key = f"{' ' * indent}{change.location[-1]}:"
    if change.kind == "flow":
        return at, at, f"{prefix}{key} {written}{newline}"
    if "\n" in change.value:
        body = _block_lines(change.value, indent + 2, newline)
        chomp = "" if change.value.endswith("\n") else "-"
        return at, at, f"{prefix}{key} |{chomp}{newline}{body}"
    return at, at, f"{prefix}{key} {_inline_scalar(change.value, '', False)}{newline}"


def _line_after(text: str, end: int, newline: str) -> tuple[int, str]:
    """Give where a line after the block value ending at `end` goes, and the line break to
    write before it (at the end of a file without one)."""
    line_start = text.rfind("\n", 0, end) + 1
    if text[line_start:end].strip() in ("", "-"):  # a block ends where the next item starts
        return line_start, ""
    at = text.find("\n", end) + 1
    return (len(text), newline) if at == 0 else (at, "")


def _inserted_item(text: str, nodes: dict[Location, yaml.Node], change: Change,
                   newline: str) -> tuple[int, int, str]:
    """Give the edit adding a new item to a list, written as the item next to it is (its
    quoting, its line's indentation, or its place between the brackets)."""
    parent, index = nodes.get(change.location[:-1]), change.location[-1]
    if not isinstance(parent, yaml.SequenceNode) or not parent.value or \
            not isinstance(index, int):
        raise NotWritable(f"cannot add an item at {_dotted(change.location)} to the YAML")
    items = parent.value
    like = items[max(0, min(index, len(items)) - 1)]
    style = like.style or "" if isinstance(like, yaml.ScalarNode) else ""
    written = _inline_scalar(change.value, style, bool(parent.flow_style))
    if parent.flow_style:
        if index < len(items):
            return items[index].start_mark.index, items[index].start_mark.index, f"{written}, "
        return items[-1].end_mark.index, items[-1].end_mark.index, f", {written}"
    first = items[0].start_mark.index
    line_start = text.rfind("\n", 0, first) + 1
    line = f"{' ' * (text.rfind('-', line_start, first) - line_start)}- {written}{newline}"
    if index < len(items):
        at = text.rfind("\n", 0, items[index].start_mark.index) + 1
        return at, at, line
    at, prefix = _line_after(text, items[-1].end_mark.index, newline)
    return at, at, prefix + line


def _set(data: Any, location: Location, value: Any) -> None:
    if location[-1] == KEY:
        parent = _at(data, location[:-2])
        renamed = {value if str(key) == location[-2] else key: inner
                   for key, inner in parent.items()}
        parent.clear()
        parent.update(renamed)
        return
    _at(data, location[:-1])[location[-1]] = value


def _at(data: Any, location: Location) -> Any:
    for step in location:
        data = data[step]
    return data


def _check(text: str, expected: Any) -> None:
    """Raise NotWritable unless the text reads as `expected` (numbers that became text aside)."""
    try:
        found = yaml.load(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise NotWritable(f"the new value would break the file: {error}") from None
    if _loose(found) != _loose(copy.deepcopy(expected)):
        raise NotWritable("the new value would not read back as written")


def _loose(data: Any) -> Any:
    if isinstance(data, dict):
        return {str(k): _loose(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_loose(v) for v in data]
    return data if isinstance(data, str) or data is None else str(data)


def _dotted(location: Location) -> str:
    return ".".join(str(step) for step in location)
