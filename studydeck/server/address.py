"""Whether to use the build server, and where the one running this exact code listens.

Imported by every `build` and `validate` before anything else: only modules Python has loaded
anyway or that load in microseconds (no typing, pathlib, hashlib's OpenSSL).
"""

from __future__ import annotations

import os
import sys
from _blake2 import blake2b  # hashlib's, without loading OpenSSL (2 ms)

from studydeck.own_folder import own_folder

SWITCH_VARIABLE = "STUDYDECK_SERVER"  # "0": never use a server; "1": use one even in CI
IDLE_VARIABLE = "STUDYDECK_SERVER_IDLE"  # seconds an unused server waits before exiting
IDLE_SECONDS = 15 * 60
SERVED_COMMANDS = frozenset({"build", "validate"})  # short, and never read the terminal
# What fontconfig's configuration depends on besides its files: the server loads it once
FONT_ENVIRONMENT = ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "FC_LANG",
                    "LC_ALL", "LC_CTYPE", "LANG", "LANGUAGE", "HOME", "XDG_CONFIG_HOME",
                    "XDG_DATA_HOME", "XDG_DATA_DIRS", "XDG_CACHE_HOME")
_OFF = frozenset({"0", "no", "false", "off"})
_ON = frozenset({"1", "yes", "true", "on"})


class Address:
    """The files of one server: its socket, the lock it holds while alive, and its log."""

    __slots__ = ("lock", "log", "socket")

    def __init__(self, base: str) -> None:
        self.socket, self.lock, self.log = base + ".sock", base + ".lock", base + ".log"

    @property
    def base(self) -> str:
        return self.socket.removesuffix(".sock")


def wanted() -> bool:
    """Say whether commands should use (and start) a server here."""
    setting = os.environ.get(SWITCH_VARIABLE, "").strip().lower()
    if setting in _OFF or not possible():
        return False
    return setting in _ON or not os.environ.get("CI")  # a CI job runs once; leave it no process


def possible() -> bool:
    """Say whether this system can pass a terminal to a forked server (Linux, macOS)."""
    return sys.platform.startswith(("linux", "darwin")) and hasattr(os, "fork")


def idle_seconds() -> float:
    """Give how long an unused server waits before it exits."""
    try:
        return max(1.0, float(os.environ.get(IDLE_VARIABLE, IDLE_SECONDS)))
    except ValueError:
        return IDLE_SECONDS


def address() -> Address | None:
    """Give the files of the server for this code; None if there is no private folder for them."""
    folder = private_folder()
    if folder is None:
        return None
    return Address(os.path.join(folder, code_fingerprint()[:16]))


def private_folder() -> str | None:
    """Give a folder only this user can open (made if missing), or None if there is none safe."""
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if runtime and os.path.isdir(runtime):
        return own_folder(os.path.join(runtime, "studydeck"))
    temporary = os.environ.get("TMPDIR") or "/tmp"
    return own_folder(os.path.join(temporary, f"studydeck-{os.getuid()}"))


def code_fingerprint() -> str:
    """Give a digest of the code a command would run: studydeck's files, Python, its import path,
    and the environment the server's fontconfig configuration was loaded in.

    A folder on the import path changes its time when a package is installed or removed there.
    """
    fonts = [os.environ.get(name) for name in FONT_ENVIRONMENT]
    digest = blake2b(repr((sys.executable, sys.version, sys.path, sys.flags, fonts)).encode())
    for folder in sys.path:
        digest.update(_stamp(folder))
    digest.update(package_digest().encode())
    return digest.hexdigest()


def package_digest() -> str:
    """Give a digest of the name, size and time of every file of studydeck (~1 ms).

    What code runs: it names the build server, and keys the slides a build keeps
    (studydeck.slide_cache.code_fingerprint).
    """
    digest = blake2b()
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for path in _files_under(package):
        name = path[len(package) + 1:]  # where studydeck is installed is not what it is
        digest.update(name.encode("utf-8", "surrogateescape") + _stamp(path))
    return digest.hexdigest()


def _files_under(folder: str) -> list[str]:
    found: list[str] = []
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return found
    for entry in entries:
        if entry.name == "__pycache__":
            continue
        if entry.is_dir(follow_symlinks=False):
            found.extend(_files_under(entry.path))
        else:
            found.append(entry.path)
    return found


def _stamp(path: str) -> bytes:
    try:
        found = os.stat(path)
    except OSError:
        return b"-"
    return f"{found.st_mtime_ns}:{found.st_size}".encode()
