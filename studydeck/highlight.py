"""Source code to highlighted lines: Pygments tokens as coloured spans, and stepped line lists.

The colours are studydeck's own light style: every token colour keeps a contrast of at least
4.5:1 (WCAG AA) on the code panel and on the band behind highlighted lines.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pygments.token import Comment, Keyword, Name, Number, Operator, String, Token, _TokenType

if TYPE_CHECKING:  # lexers are loaded by what highlights code: the writer, not validate
    from pygments.lexer import Lexer

CODE_BACKGROUND = "F6F8FA"  # the code panel
BAND_COLOR = "FFF4CC"  # behind the lines a step highlights
DEFAULT_COLOR = "1F2328"
LINE_NUMBER_COLOR = "59636E"
# Token type → colour; a token takes the colour of its nearest listed ancestor type.
TOKEN_COLORS: dict[_TokenType, str] = {
    Keyword: "B3122A",
    Keyword.Constant: "0550AE",
    Name.Builtin: "8A3A00",
    Name.Function: "6639BA",
    Name.Class: "6639BA",
    Name.Decorator: "6639BA",
    Name.Attribute: "0550AE",
    Name.Tag: "116329",
    String: "0A3069",
    Number: "0550AE",
    Operator: "0B6E6E",
    Operator.Word: "B3122A",
    Comment: "57606A",
    Token.Generic.Heading: "0550AE",
    Token.Generic.Subheading: "6639BA",
}
STEP = re.compile(r"^\s*(all|\d+(\s*-\s*\d+)?(\s*,\s*\d+(\s*-\s*\d+)?)*)\s*$")


@dataclass(frozen=True)
class CodeSpan:
    """A piece of a code line and the colour it is written in."""

    text: str
    color: str


def token_color(token_type: _TokenType) -> str:
    """Give the colour of a Pygments token type in studydeck's code style."""
    current: _TokenType | None = token_type
    while current is not None:
        if current in TOKEN_COLORS:
            return TOKEN_COLORS[current]
        current = current.parent
    return DEFAULT_COLOR


@functools.cache
def _lexer(language: str) -> Lexer:
    # Pygments' lexer table loads (~5 ms) only for a deck with code: keeps validate and build fast
    from pygments.lexers import get_lexer_by_name

    return get_lexer_by_name(language, stripnl=False, stripall=False, ensurenl=False)


def language_known(language: str) -> bool:
    """Tell whether Pygments has a lexer of this name or alias (`python`, `sql`, `bash` …)."""
    # Pygments' lexer table loads (~5 ms) only for a deck with code: keeps validate and build fast
    from pygments.lexers import find_lexer_class_by_name
    from pygments.util import ClassNotFound

    name = language.strip().lower()
    if name in _builtin_aliases():  # Pygments' own table: no lexer module loaded to say so
        return True
    try:  # a plugin's lexer; the class only: making a lexer compiles its rules (~50 ms)
        find_lexer_class_by_name(name)
    except ClassNotFound:
        return False
    return True


@functools.cache
def _builtin_aliases() -> frozenset[str]:
    # Pygments' lexer table loads (~5 ms) only for a deck with code: keeps validate and build fast
    from pygments.lexers import get_all_lexers

    return frozenset(alias for _, aliases, _, _ in get_all_lexers(plugins=False)
                     for alias in aliases)


@functools.cache
def language_names() -> tuple[str, ...]:
    """Give every lexer alias Pygments knows, for suggestions."""
    # Pygments' lexer table loads (~5 ms) only for a deck with code: keeps validate and build fast
    from pygments.lexers import get_all_lexers

    return tuple(sorted({alias for _, aliases, _, _ in get_all_lexers() for alias in aliases}))


def source_lines(code: str) -> list[str]:
    """Give the code's lines as shown: tabs expanded to 4 columns, trailing line breaks dropped."""
    return code.expandtabs(4).rstrip("\n").split("\n")


def highlighted_lines(code: str, language: str) -> list[list[CodeSpan]]:
    """Give each line of the code as coloured spans; joined, they are the line as shown."""
    text = "\n".join(source_lines(code))
    lines: list[list[CodeSpan]] = [[]]
    for token_type, value in _lexer(language.strip().lower()).get_tokens(text):
        color = token_color(token_type)
        for index, piece in enumerate(value.split("\n")):
            if index:
                lines.append([])
            if piece:
                _append(lines[-1], CodeSpan(piece, color))
    return lines[:len(text.split("\n"))]


def _append(line: list[CodeSpan], span: CodeSpan) -> None:
    if line and line[-1].color == span.color:
        line[-1] = CodeSpan(line[-1].text + span.text, span.color)
    else:
        line.append(span)


def step_numbers(step: str, first: int, last: int) -> list[int]:
    """Give the line numbers a step names (`all`, `3`, `3-5`, `7,9`), within first..last.

    Raises ValueError naming the problem for a step written otherwise or out of range.
    """
    if not STEP.match(step):
        raise ValueError(f"step '{step}' is not a line list such as \"3\", \"3-5\", \"7,9\" "
                         "or \"all\"")
    if step.strip() == "all":
        return list(range(first, last + 1))
    numbers: set[int] = set()
    for part in step.split(","):
        low, _, high = part.partition("-")
        start, end = int(low), int(high or low)
        if start > end or start < first or end > last:
            raise ValueError(f"step '{step}' names lines outside {first}–{last}")
        numbers.update(range(start, end + 1))
    return sorted(numbers)


def line_ranges(numbers: list[int]) -> list[tuple[int, int]]:
    """Give sorted line numbers as runs of consecutive lines: [3, 4, 5, 7] → [(3, 5), (7, 7)]."""
    ranges: list[tuple[int, int]] = []
    for number in numbers:
        if ranges and number == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], number)
        else:
            ranges.append((number, number))
    return ranges


def ranges_text(numbers: list[int]) -> str:
    """Give line numbers as people write them: `3–5, 7`."""
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in line_ranges(numbers))


def page_steps(step_lines: list[list[int]], first: int, last: int) -> list[str]:
    """Give the steps of a continuation slide showing lines first..last: each step's lines there.

    A step that names none of these lines is left out.
    """
    steps: list[str] = []
    for numbers in step_lines:
        shown = [n for n in numbers if first <= n <= last]
        if shown:
            steps.append(",".join(f"{a}-{b}" if b > a else str(a) for a, b in line_ranges(shown)))
    return steps


def contrast_ratio(first: str, second: str) -> float:
    """Give the WCAG contrast ratio of two RRGGBB colours (1 to 21)."""
    lighter, darker = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(color[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
