"""Where a listing of code may be cut between slides: between its top-level statements.

Language-blind on purpose (Pygments knows tokens, not blocks): a line may start a new piece when
it is not blank, is indented no deeper than the listing's outermost lines, no bracket is open
before it, and it does not carry on the block above (`else:`, `except`, a closing `}` …). Blank
lines stay with the piece above them. A piece too long for a slide is cut the same way one level
further in, and, as a last resort, between lines.
"""

from __future__ import annotations

import re

# lines that continue the statement above them although they start at its indentation
CARRIES_ON = re.compile(r"^\s*([)\]}]|\.\w|(else|elif|except|finally|catch|then|do|end|fi|"
                        r"done|esac|rescue|ensure)\b)")
OPENERS, CLOSERS = "([{", ")]}"


def statement_units(lines: list[str], most: int) -> list[list[str]]:
    """Give the listing cut into pieces that may each start a slide, none longer than `most`
    lines where a cut between statements (at any depth) or, last, between lines allows."""
    units: list[list[str]] = []
    for piece in _pieces(lines):
        units.extend([piece] if len(piece) <= most else _cut_inside(piece, most))
    return _merge_lone_openers(units, most)


def _cut_inside(piece: list[str], most: int) -> list[list[str]]:
    """Give a statement too long for a slide cut between its clauses (`if` … `else` …), and a
    clause still too long after its first line, between the statements of its block."""
    units: list[list[str]] = []
    for clause in _clauses(piece):
        if len(clause) <= most or len(clause) == 1:
            units.append(clause)
        else:
            units.extend([[clause[0]], *statement_units(clause[1:], most)])
    return units


def _clauses(piece: list[str]) -> list[list[str]]:
    """Give a statement cut before each line that carries it on at its own indentation."""
    head = _indent(piece[0])
    clauses = [[piece[0]]]
    for line in piece[1:]:
        if line.strip() and _indent(line) == head and CARRIES_ON.match(line):
            clauses.append([line])
        else:
            clauses[-1].append(line)
    return clauses


def _pieces(lines: list[str]) -> list[list[str]]:
    """Give the lines cut before each line that starts a statement at the outermost depth."""
    written = [line for line in lines if line.strip()]
    if not written:
        return [lines] if lines else []
    outermost = min(_indent(line) for line in written)
    pieces: list[list[str]] = []
    depth = 0
    for line in lines:
        if pieces and _starts_statement(line, outermost, depth):
            pieces.append([line])
        elif pieces:
            pieces[-1].append(line)
        else:
            pieces.append([line])
        depth = max(0, depth + _bracket_balance(line))
    return pieces


def _starts_statement(line: str, outermost: int, depth: int) -> bool:
    return (bool(line.strip()) and depth == 0 and _indent(line) <= outermost
            and not CARRIES_ON.match(line))


def _merge_lone_openers(units: list[list[str]], most: int) -> list[list[str]]:
    """Keep a block's first line (`def f():`) with what follows it when they fit together."""
    merged: list[list[str]] = []
    for unit in units:
        if merged and len(merged[-1]) == 1 and len(merged[-1]) + len(unit) <= most \
                and merged[-1][0].rstrip().endswith((":", "{", "(", "[", "then", "do")):
            merged[-1] = merged[-1] + unit
        else:
            merged.append(unit)
    return merged


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _bracket_balance(line: str) -> int:
    """Give how many brackets the line leaves open (strings and comments not told apart)."""
    return sum(line.count(c) for c in OPENERS) - sum(line.count(c) for c in CLOSERS)
