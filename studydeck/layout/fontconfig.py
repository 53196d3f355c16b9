"""Fontconfig, the one place studydeck asks it: which font file draws a pattern, which fonts
are installed (`fc-list`).

Which file draws a pattern is asked in process: `fc-match` answers the same, but as a process
it costs ~8 ms a question and a build asks a dozen (every face text is measured with);
libfontconfig answers in under a millisecond after loading its configuration once. The answer
is formatted with fc-match's own `-f` format, so both ways give the same text. Without the
library (another platform), `fc-match` is run instead.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import os
import subprocess
import threading
from dataclasses import dataclass
from typing import Any

_LOCK = threading.Lock()  # fontconfig's configuration is not meant for concurrent use
EMOJI_PROBE = 0x1F680  # 🚀: a font that has it is an emoji font (DejaVu Sans has 😀)


@dataclass
class _Configuration:
    library: Any
    config: Any


_current: _Configuration | None = None  # the configuration in use, once loaded


def match(pattern: str, format_: str) -> str | None:
    """Give fontconfig's best match for `pattern` (fc-match syntax) as `format_` formats it."""
    with _LOCK:
        loaded = _configuration()
        if loaded is None:
            return _match_with_command(pattern, format_)
        return _match_in_process(loaded, pattern, format_)


def _configuration() -> _Configuration | None:
    global _current
    if _current is None:
        library = _library()
        config = library.FcInitLoadConfigAndFonts() if library is not None else None
        if not config:
            return None
        _current = _Configuration(library, config)
    return _current


@functools.cache
def _library() -> Any | None:
    """Load libfontconfig; None when it cannot be loaded or is too old."""
    try:  # the soname first: find_library runs `ldconfig -p` on Linux
        library = ctypes.CDLL("libfontconfig.so.1")
    except OSError:
        try:
            library = ctypes.CDLL(ctypes.util.find_library("fontconfig") or "libfontconfig")
        except OSError:
            return None
    pointer = ctypes.c_void_p
    signatures: dict[str, tuple[Any, list[Any]]] = {
        "FcInitLoadConfigAndFonts": (pointer, []),
        "FcConfigUptoDate": (ctypes.c_int, [pointer]),
        "FcNameParse": (pointer, [ctypes.c_char_p]),
        "FcConfigSubstitute": (ctypes.c_int, [pointer, pointer, ctypes.c_int]),
        "FcDefaultSubstitute": (None, [pointer]),
        "FcFontMatch": (pointer, [pointer, pointer, ctypes.POINTER(ctypes.c_int)]),
        "FcPatternFormat": (pointer, [pointer, ctypes.c_char_p]),
        "FcPatternDestroy": (None, [pointer]),
        "FcStrFree": (None, [pointer]),
    }
    try:
        for name, (result, arguments) in signatures.items():
            function = getattr(library, name)
            function.restype, function.argtypes = result, arguments
    except AttributeError:  # a fontconfig older than 2.9 has no FcPatternFormat
        return None
    return library


def _match_in_process(loaded: _Configuration, pattern: str, format_: str) -> str | None:
    library, config = loaded.library, loaded.config
    parsed = library.FcNameParse(pattern.encode("utf-8"))
    if not parsed:
        return None
    try:
        library.FcConfigSubstitute(config, parsed, 0)  # FcMatchPattern
        library.FcDefaultSubstitute(parsed)
        found = library.FcFontMatch(config, parsed, ctypes.byref(ctypes.c_int()))
    finally:
        library.FcPatternDestroy(parsed)
    if not found:
        return None
    try:
        formatted = library.FcPatternFormat(found, format_.encode("utf-8"))
        if not formatted:
            return None
        try:
            return ctypes.string_at(formatted).decode("utf-8", "replace")
        finally:
            library.FcStrFree(formatted)
    finally:
        library.FcPatternDestroy(found)


def installed_families(pattern: str) -> list[list[str]] | None:
    """Give the family names of each installed font that `pattern` (`:lang=ko`) matches, as
    `fc-list` lists them; None when fc-list cannot be run."""
    try:
        listed = subprocess.run(["fc-list", pattern, "family"], capture_output=True, text=True,
                                check=True, timeout=20, env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return [[name.strip() for name in line.split(",")] for line in listed.splitlines()
            if line.strip()]


def emoji_font() -> str:
    """Give the family of an installed emoji font, or '' when there is none."""
    fonts = installed_families(f":charset={EMOJI_PROBE:x}") or []
    return min((names[0] for names in fonts), default="")


def _match_with_command(pattern: str, format_: str) -> str | None:
    try:
        return subprocess.run(["fc-match", "-f", format_, pattern], capture_output=True,
                              text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return None
