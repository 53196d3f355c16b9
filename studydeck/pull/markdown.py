"""A paragraph's runs as a deck shows them, back to the inline Markdown they are written from."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from studydeck.pptx.source_marks import RunText
from studydeck.richtext import Span, spans

_SPECIAL = re.compile(r"([\\`*_\[\]])")


@dataclass(frozen=True)
class RunLook:
    """How runs are read back: what every run of the shape has anyway (a title's bold), and
    which typefaces are the code ones."""

    bold_anyway: bool = False
    code_typefaces: frozenset[str] = frozenset()


def as_markdown(runs: Sequence[RunText], look: RunLook) -> str:
    """Give the runs as inline Markdown: bold, italic, `code` (a code typeface) and links."""
    pieces = _joined([Span(run.text, run.bold and not look.bold_anyway, run.italic,
                           run.typeface in look.code_typefaces, run.link or None)
                      for run in runs if run.text])
    plain = "".join(_written(span, escape=False) for span in pieces)
    if _styled(spans(plain)) == _styled(pieces):
        return plain  # `snake_case` stays as written: escape only what would turn into style
    return "".join(_written(span, escape=True) for span in pieces)


def reads_as(markdown: str, runs: Sequence[RunText]) -> bool:
    """Tell whether the Markdown shows the runs' text."""
    return "".join(span.text for span in spans(markdown)) == "".join(r.text for r in runs)


def _styled(found: Sequence[Span]) -> list[tuple[str, bool, bool, bool, str | None]]:
    """Give each character with its look (a space's look aside: Markdown cannot show it)."""
    return [(c, *_look(span)) if c.strip() else (c, False, False, False, None)
            for span in found for c in span.text]


def _joined(pieces: list[Span]) -> list[Span]:
    joined: list[Span] = []
    for piece in pieces:
        if joined and _look(joined[-1]) == _look(piece):
            joined[-1] = Span(joined[-1].text + piece.text, *_look(piece))
        else:
            joined.append(piece)
    return joined


def _look(span: Span) -> tuple[bool, bool, bool, str | None]:
    return span.bold, span.italic, span.code, span.link


def _written(span: Span, escape: bool) -> str:
    if span.code:
        ticks = "``" if "`" in span.text else "`"
        inner = f"{ticks}{span.text}{ticks}"
    else:
        inner = _SPECIAL.sub(r"\\\1", span.text) if escape else span.text
    lead = inner[:len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()):]
    core = inner.strip()
    if core and span.italic and not span.code:
        core = f"*{core}*"
    if core and span.bold and not span.code:
        core = f"**{core}**"
    if core and span.link:
        core = f"[{core}]({span.link})"
    return f"{lead}{core}{trail}"
