"""A command that keeps running (`studydeck watch`), driven line by line and always ended.

Used by the tests and by benchmarks/watch_latency.py. Whatever happens, `close` leaves no process
behind within a bounded time: the command runs in its own process group, is killed with it after
a grace period, and the thread reading its output is never waited on without a timeout (closing a
pipe another thread is blocked on, as `Popen.__exit__` does, can deadlock).
"""

from __future__ import annotations

import contextlib
import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence
from types import TracebackType

GRACE = 30.0  # seconds a stopped command may take to exit before it is killed
_ENDED = "\0ended\0"  # the reader's last item: the command closed its output


def wait_until(condition: Callable[[], bool], *, patience: float, what: str) -> None:
    """Wait until `condition()` holds; fail, naming `what`, when it does not within `patience` s."""
    deadline = time.monotonic() + patience
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not after {patience:g} s")
        time.sleep(0.05)  # how often to look again, not a wait for the thing itself


def _ignore_sigint() -> None:  # runs in the child before exec: SIG_IGN survives exec
    signal.signal(signal.SIGINT, signal.SIG_IGN)


class LiveProcess:
    """A running command whose stdout and stderr arrive line by line."""

    def __init__(self, command: Sequence[str], *, env: dict[str, str] | None = None,
                 sigint_ignored: bool = False) -> None:
        self.command = [str(part) for part in command]
        self.process = subprocess.Popen(
            self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            env=env, start_new_session=True,
            preexec_fn=_ignore_sigint if sigint_ignored else None)
        self._lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line)
        self._lines.put(_ENDED)

    def line_with(self, *texts: str, patience: float) -> str:
        """Give the next line holding one of `texts`; fail with the output after `patience` s."""
        deadline = time.monotonic() + patience
        while True:
            try:
                line = self._lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line with {texts} after {patience:g} s from "
                                     f"{self.command}; output:\n{self.output}") from None
            if line == _ENDED:
                raise AssertionError(f"{self.command} ended (exit {self.process.poll()}) "
                                     f"before a line with {texts}; output:\n{self.output}")
            self.seen.append(line)
            if any(text in line for text in texts):
                return line

    @property
    def output(self) -> str:
        """Everything the command printed that was read so far."""
        while True:
            try:
                line = self._lines.get_nowait()
            except queue.Empty:
                break
            if line != _ENDED:
                self.seen.append(line)
        return "".join(self.seen)

    def stop(self, signal_number: int, grace: float = GRACE) -> int | None:
        """Send the signal; give the exit code, or None when the command had to be killed."""
        with contextlib.suppress(ProcessLookupError):
            self.process.send_signal(signal_number)
        try:
            code: int | None = self.process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            code = None
        self.close()
        return code

    def close(self) -> None:
        """Kill the command and everything it started, if still running; collect its output."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=GRACE)
        self._reader.join(timeout=GRACE)
        if not self._reader.is_alive() and self.process.stdout is not None:
            self.process.stdout.close()

    def __enter__(self) -> LiveProcess:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()


def run_to_end(command: Sequence[str | os.PathLike[str]], *, timeout: float,
               cwd: str | os.PathLike[str] | None = None,
               env: dict[str, str] | None = None) -> tuple[int, str]:
    """Run a command to its end; give its exit code and output (stdout and stderr together).

    After `timeout` seconds the command and everything it started are killed, and the test
    fails with the output collected so far.
    """
    process = subprocess.Popen([str(part) for part in command], cwd=cwd, env=env, text=True,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        try:
            output, _ = process.communicate(timeout=GRACE)
        except subprocess.TimeoutExpired:  # a grandchild in another group holds the pipe
            output = "(no output: the pipe stayed open)"
        raise AssertionError(f"{command} did not finish within {timeout:g} s; "
                             f"output:\n{output}") from None
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever it left running
    return process.returncode, output
