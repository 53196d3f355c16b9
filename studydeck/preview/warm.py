"""LibreOffice kept running between renders (unoserver), so a re-render skips its start-up.

unoserver's server talks to LibreOffice through UNO, which only the system Python has (Debian's
python3-uno); studydeck's own Python talks to it over XML-RPC on 127.0.0.1. Without python3-uno
every render starts LibreOffice afresh, as `export` does.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
import xmlrpc.client
from pathlib import Path
from typing import Protocol

from studydeck.errors import ToolFailedError
from studydeck.export import libreoffice as lo

SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
# unoserver, LibreOffice and this shell share a process group that the shell ends when studydeck
# closes its stdin or exits in any way (even killed), or when unoserver stops by itself
WATCHDOG = '("$@" </dev/null; kill -KILL 0) & read -r _; kill -KILL 0'
START_TIMEOUT = 90.0  # seconds LibreOffice may take to start on a busy machine
CONVERSION_TIMEOUT = 120


class Renderer(Protocol):
    """Turns a .pptx into a PDF in a folder; `close` ends whatever it started."""

    def to_pdf(self, deck: Path, target_dir: Path) -> Path: ...

    def close(self) -> None: ...


class ColdLibreOffice:
    """A fresh `soffice --convert-to pdf` for every render."""

    def to_pdf(self, deck: Path, target_dir: Path) -> Path:
        return lo.convert_to_pdf(deck, target_dir)

    def close(self) -> None:
        pass


class WarmLibreOffice:
    """One unoserver (and its LibreOffice) for the whole preview session."""

    def __init__(self, python: str) -> None:
        import unoserver  # keeps `doctor` fast, which asks this module where uno is

        self.folder = tempfile.TemporaryDirectory(prefix=f"studydeck-uno-{os.getpid()}-")
        work = Path(self.folder.name)
        # only unoserver itself goes on the system Python's path, not studydeck's other packages
        (work / "path").mkdir()
        package = Path(unoserver.__file__).parent
        for found in (package, *package.parent.glob("unoserver-*.dist-info")):  # + its version
            (work / "path" / found.name).symlink_to(found)
        self.port = _free_port()
        command = [python, "-m", "unoserver.server", "--interface", "127.0.0.1",
                   "--uno-interface", "127.0.0.1", "--port", str(self.port),
                   "--uno-port", str(_free_port()), "--executable",
                   lo.require(lo.SOFFICE, "soffice"),
                   "--user-installation", str(work / "profile"),
                   "--conversion-timeout", str(CONVERSION_TIMEOUT), "--quiet"]
        env = {**os.environ, "PYTHONPATH": str(work / "path"),
               "FONTCONFIG_FILE": str(lo.FONTS_CONF)}
        self.process = subprocess.Popen(["/bin/sh", "-c", WATCHDOG, "studydeck-uno", *command],
                                        env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        try:
            self._wait_until_ready()
        except BaseException:
            self.close()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ToolFailedError(
                    f"unoserver stopped at start (exit {self.process.returncode})")
            try:
                with xmlrpc.client.ServerProxy(self._url()) as proxy:
                    proxy.info()
                return
            except OSError:
                time.sleep(0.2)
        raise ToolFailedError(f"LibreOffice (unoserver) did not start within {START_TIMEOUT:g} s")

    def _url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def to_pdf(self, deck: Path, target_dir: Path) -> Path:
        from unoserver.client import UnoClient  # 35 ms: keeps `doctor` fast (see above)

        target = target_dir / f"{deck.stem}.pdf"
        try:
            UnoClient("127.0.0.1", str(self.port)).convert(
                inpath=str(deck), outpath=str(target), convert_to="pdf")
        except (OSError, xmlrpc.client.Error) as error:
            raise ToolFailedError(f"LibreOffice (unoserver) could not convert {deck.name}: "
                                  f"{error}") from None
        if not target.is_file():
            raise ToolFailedError(f"LibreOffice (unoserver) wrote no PDF of {deck.name}")
        return target

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the watchdog ends the whole group
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(10)
        _end_group(self.process.pid)
        self.folder.cleanup()


def start_renderer() -> Renderer:
    """Give a warm LibreOffice when the system Python has UNO, else a cold one per render."""
    python = uno_python()
    if python is None:
        return ColdLibreOffice()
    return WarmLibreOffice(python)


def uno_python() -> str | None:
    """Give the system Python that can `import uno`, if there is one."""
    for python in SYSTEM_PYTHONS:
        if not Path(python).is_file():
            continue
        try:
            found = subprocess.run([python, "-c", "import uno"], capture_output=True,
                                   timeout=20, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0:
            return python
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _end_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
