"""Inline Markdown to styled spans: **bold**, *italic*, `code`, [links](https://…), escapes.

Only CommonMark's inline emphasis, code spans, links and backslash escapes are read (with
markdown-it-py); anything else (headings, lists, HTML, images, autolinks) stays literal text,
so a bullet such as `1. step` or `<b>` shows as written.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token

LINK_SCHEMES = ("https://", "http://", "mailto:")


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


def _parser() -> MarkdownIt:
    parser = MarkdownIt("zero").enable(["emphasis", "backticks", "link", "escape"])
    # a link to anything else (javascript:, file:) stays literal text
    parser.validateLink = _allowed_link  # type: ignore[method-assign]
    return parser


_PARSER = _parser()


@functools.lru_cache(maxsize=8192)
def spans(text: str) -> tuple[Span, ...]:
    """Give the text's spans in order; their texts joined are what the reader sees."""
    if not any(mark in text for mark in "*_`[\\"):
        return (Span(text),) if text else ()
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
    parsed = _PARSER.parseInline(text)
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
