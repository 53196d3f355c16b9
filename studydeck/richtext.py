"""Inline Markdown to styled spans: **bold**, *italic*, `code`, [links](https://…), escapes.

Only CommonMark's inline emphasis, code spans, links and backslash escapes are read (with
markdown-it-py); anything else (headings, lists, HTML, images, autolinks) stays literal text,
so a bullet such as `1. step` or `<b>` shows as written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

LINK_SCHEMES = ("https://", "http://", "mailto:")
MARKS = "*_`[\\"  # a text holding none of these has no inline Markdown


@dataclass(frozen=True)
class Span:
    """A stretch of text with one style; `link` is the address it opens, if any."""

    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


def _allowed_link(url: str) -> bool:
    return url.strip().lower().startswith(LINK_SCHEMES)


@functools.cache
def _parser() -> MarkdownIt:
    # a rebuild's marked-up texts come from the kept spans (remember_spans): markdown-it-py
    # (30 ms) loads only for a text no build read before, which keeps `build` after an edit fast
    from markdown_it import MarkdownIt

    parser = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "escape"])
    # a link to anything else (javascript:, file:) stays literal text
    parser.validateLink = _allowed_link  # type: ignore[method-assign]
    return parser


# The spans of texts with Markdown marks: parsed here, or kept by an earlier build (a build's
# cache hands them over, studydeck/source/kept_spans.py); and those the current build used.
_KNOWN: dict[str, tuple[Span, ...]] = {}
_USED: dict[str, tuple[Span, ...]] = {}


def remember_spans(kept: dict[str, tuple[Span, ...]]) -> None:
    """Start a build: take the spans of `kept`'s texts as given (an earlier build parsed them)."""
    _KNOWN.update(kept)
    _USED.clear()
    spans.cache_clear()  # each text this build shows is counted as used again


def used_spans() -> dict[str, tuple[Span, ...]]:
    """Give the spans of the marked-up texts this build used, to hand to the next build."""
    return dict(_USED)


@functools.lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    """Give the text's spans in order; their texts joined are what the reader sees."""
    if not any(mark in text for mark in MARKS):
        return (Span(text),) if text else ()
    found = _KNOWN.get(text)
    if found is None:
        found = _KNOWN[text] = _parsed(text)
    _USED[text] = found
    return found


def _parsed(text: str) -> tuple[Span, ...]:
    found: list[Span] = []
    bold = italic = 0
    link: str | None = None
    for token in _inline_tokens(text):
        if token.type in ("strong_open", "strong_close"):
            bold += 1 if token.type == "strong_open" else -1
        elif token.type in ("em_open", "em_close"):
            italic += 1 if token.type == "em_open" else -1
        elif token.type == "link_open":
            link = str(token.attrs.get("href", ""))
        elif token.type == "link_close":
            link = None
        elif token.content:
            found.append(Span(token.content, bold > 0, italic > 0,
                              token.type == "code_inline", link))
    return _merged(found)


def _inline_tokens(text: str) -> list[Token]:
    parsed = _parser().parseInline(text)
    return list(parsed[0].children or []) if parsed else []


def _merged(found: list[Span]) -> tuple[Span, ...]:
    """Give neighbouring spans of the same style as one (an escape splits the text tokens)."""
    merged: list[Span] = []
    for span in found:
        last = merged[-1] if merged else None
        if last is not None and (last.bold, last.italic, last.code, last.link) == (
                span.bold, span.italic, span.code, span.link):
            merged[-1] = Span(last.text + span.text, span.bold, span.italic, span.code, span.link)
        else:
            merged.append(span)
    return tuple(merged)


def plain_text(text: str) -> str:
    """Give what the reader sees of the text, without its Markdown (for alt text, section names)."""
    return "".join(span.text for span in spans(text))
