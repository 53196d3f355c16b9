"""LibreOffice workers kept running for one command: one per core, each with its own profile.

A worker is the system Python running uno_worker.py, which starts its own LibreOffice and turns
decks into PDFs on request (with Asian–Latin autospacing off). Workers start when first needed,
end with the command (`close`, or their own watch on stdin when studydeck is killed), and one
that dies is replaced. A worker's profile folder, which also holds LibreOffice's temporary
files, is removed once its LibreOffice has ended: only a studydeck killed with SIGKILL leaves one
behind. Without a Python that has UNO, every render starts LibreOffice afresh (its Basic macro
turns autospacing off: basic_macro.py).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import select
import subprocess
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypeVar

from studydeck.errors import ToolFailedError
from studydeck.export import libreoffice as lo
from studydeck.source.office_pipes import office_pipes, remove_office_pipes
from studydeck.source.own_group import end_group, environment_with_temp_in, remove_folder

SYSTEM_PYTHONS = ("/usr/bin/python3", "/usr/lib/libreoffice/program/python")
WORKER_SCRIPT = Path(__file__).resolve().parent / "uno_worker.py"
START_TIMEOUT = 90.0  # seconds LibreOffice may take to start on a busy machine
WAIT_STEP = 0.2  # seconds between looks at whether the pool was closed, while waiting for a turn
CONVERSION_TIMEOUT = 120.0  # the preview's: a render of changed slides
T = TypeVar("T")


class Worker:
    """One LibreOffice (driven through UNO by the system Python) and its private profile;
    `wait_until_ready` waits for it to start."""

    def __init__(self, python: str, timeout: float) -> None:
        self.timeout = timeout
        self.closing = threading.Lock()  # the pool's closing and a job's failure may meet
        self.closed = False
        soffice = lo.require(lo.SOFFICE, "soffice")
        # the name says whose it is: tests find the LibreOffice of one studydeck process by it
        self.profile = Path(tempfile.mkdtemp(prefix=f"studydeck-uno-{os.getpid()}-"))
        try:
            self.process = self._started(python, soffice)
        except BaseException:
            remove_folder(self.profile)
            raise

    @property
    def _pipe(self) -> str:
        """The name of the pipe its LibreOffice accepts UNO connections on."""
        return f"studydeck-{os.getpid()}-{self.profile.name}"

    def wait_until_ready(self) -> None:
        """Return once LibreOffice is up; WorkerGone if it stopped first (or was closed)."""
        try:
            self._reply(START_TIMEOUT, "starting")
        except BaseException:
            self.close()
            raise

    def _started(self, python: str, soffice: str) -> subprocess.Popen[str]:
        """Give the worker process, started on its new, empty profile (LibreOffice fills it)."""
        return subprocess.Popen(
            [python, str(WORKER_SCRIPT), soffice, self.profile.as_uri(), self._pipe,
             *map(str, office_pipes(self.profile, self._pipe))],
            env=environment_with_temp_in(self.profile, FONTCONFIG_FILE=str(lo.FONTS_CONF)),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            text=True, start_new_session=True)  # its group: LibreOffice ends with it

    def to_pdf(self, deck: Path, target_dir: Path, *, notes_pages: bool = False,
               for_pictures: bool = False) -> Path:
        """Give the PDF of `deck` (slides, or notes pages) written into `target_dir`;
        `for_pictures`: it is only drawn as pictures (its images are kept lossless)."""
        target = target_dir / f"{deck.stem}.pdf"
        request = {"deck": str(deck.resolve()), "pdf": str(target.resolve()),
                   "notes": notes_pages, "pictures": for_pictures}
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(request) + "\n")
            self.process.stdin.flush()
        except OSError:
            raise WorkerGone("LibreOffice stopped") from None
        reply = self._reply(self.timeout, f"converting {deck.name}")
        if "error" in reply or not target.is_file():
            raise ToolFailedError(f"LibreOffice could not convert {deck.name}: "
                                  f"{reply.get('error', 'no PDF written')}",
                                  "open the deck in LibreOffice to see what it objects to")
        return target

    def _reply(self, timeout: float, doing: str) -> dict[str, str]:
        assert self.process.stdout is not None
        try:
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            line = self.process.stdout.readline() if ready else None
        except (ValueError, OSError):  # closed meanwhile: the export was stopped
            line = ""
        if line is None:
            self.close()
            raise ToolFailedError(f"LibreOffice took more than {timeout:g} s {doing}",
                                  "try again with a larger --timeout")
        if not line:
            raise WorkerGone(f"LibreOffice stopped while {doing}")
        reply: dict[str, str] = json.loads(line)
        return reply

    def close(self) -> None:
        """End the worker and its LibreOffice; once they have ended, remove its profile."""
        with self.closing:
            if not self.closed:
                end_group(self.process)
                remove_folder(self.profile)
                remove_office_pipes(self.profile, self._pipe)
                self.closed = True


class WorkerGone(ToolFailedError):
    """A worker's LibreOffice ended (crashed, or was killed) in the middle of a job."""


class WorkerPool:
    """Up to `size` workers, started when first asked for, each doing one job at a time."""

    def __init__(self, size: int | None = None, *, timeout: float = 300) -> None:
        self.size = max(1, size or os.cpu_count() or 1)
        self.timeout = timeout
        self.python = uno_python()
        self.idle: list[Worker] = []
        self.started: list[Worker] = []
        self.lock = threading.Lock()
        # `size` conversions at a time, however many jobs `map` runs side by side
        self.turns = threading.BoundedSemaphore(self.size)
        self.replaced = 0  # workers started again after one died
        self.closed = False
        self.executors: list[ThreadPoolExecutor] = []  # of map: waited for when closing
        self.warming: list[threading.Thread] = []  # of warm_up: waited for when closing

    def to_pdf(self, deck: Path, target_dir: Path, *, notes_pages: bool = False,
               for_pictures: bool = False) -> Path:
        """Give the PDF of `deck` from a free worker (a fresh LibreOffice without UNO), once
        one of the `size` turns is free."""
        while not self.turns.acquire(timeout=WAIT_STEP):
            if self.closed:
                raise ToolFailedError("the export was stopped")
        try:
            return self._converted(deck, target_dir, notes_pages=notes_pages,
                                   for_pictures=for_pictures)
        finally:
            self.turns.release()

    def _converted(self, deck: Path, target_dir: Path, *, notes_pages: bool,
                   for_pictures: bool) -> Path:
        for attempt in range(2):
            worker = self._take()
            if worker is None:
                return lo.convert_to_pdf(deck, target_dir, notes_pages=notes_pages,
                                         timeout=self.timeout)
            try:
                pdf = worker.to_pdf(deck, target_dir, notes_pages=notes_pages,
                                    for_pictures=for_pictures)
            except WorkerGone:
                self._forget(worker)
                if attempt:
                    raise
                self.replaced += 1
                continue
            except BaseException:
                self._forget(worker)
                raise
            self._give_back(worker)
            return pdf
        raise AssertionError("unreachable")

    def map(self, job: Callable[[T], Path], items: Sequence[T], at_once: int = 0) -> list[Path]:
        """Give job(item) for every item, `at_once` at a time (`size` if 0: more lets a job do
        its other work while the others convert); the first failure is raised."""
        if len(items) <= 1:
            return [job(item) for item in items]
        executor = ThreadPoolExecutor(min(at_once or self.size, len(items)), "studydeck-render")
        self.executors.append(executor)
        try:
            return list(executor.map(job, items))
        finally:  # Ctrl-C: stop waiting, end the workers (close), their jobs fail at once
            executor.shutdown(wait=False, cancel_futures=True)

    def warm_up(self, count: int = 1) -> None:
        """Start workers in the background, up to `count` in all (at most `size`): the jobs then
        find LibreOffice running (the preview's first save, or a cold export's parts, which start
        while their decks are still being written)."""
        with self.lock:
            if self.closed or self.python is None:
                return
            starting = sum(thread.is_alive() for thread in self.warming)
            missing = min(count, self.size) - len(self.started) - starting
        for _ in range(max(0, missing)):
            warming = threading.Thread(target=self._warm_one, name="studydeck-warm-up",
                                       daemon=True)
            self.warming.append(warming)
            warming.start()

    def _warm_one(self) -> None:
        with contextlib.suppress(ToolFailedError, OSError):
            worker = self._started_worker()
            if worker is not None:
                self._give_back(worker)

    def _take(self) -> Worker | None:
        """Give a free worker, one being started, or one started now; None: render without."""
        while True:
            with self.lock:
                if self.closed:
                    raise ToolFailedError("the export was stopped")
                if self.idle:
                    return self.idle.pop()
                warming = next((thread for thread in self.warming if thread.is_alive()), None)
            if warming is None:
                return self._started_worker()
            warming.join()  # one starting is sooner ready than another

    def _started_worker(self) -> Worker | None:
        with self.lock:
            python = self.python
        if python is None:
            return None
        worker = Worker(python, self.timeout)
        with self.lock:
            self.started.append(worker)  # from now on `close` ends it, even while it starts
            stopped = self.closed
        try:
            if stopped:
                raise WorkerGone("the export was stopped")
            worker.wait_until_ready()
        except WorkerGone:
            self._forget(worker)
            if self.closed:
                raise ToolFailedError("the export was stopped") from None
            self.python = None  # a LibreOffice that will not be driven through UNO still converts
            return None
        except BaseException:
            self._forget(worker)
            raise
        return worker

    def _give_back(self, worker: Worker) -> None:
        with self.lock:
            self.idle.append(worker)

    def _forget(self, worker: Worker) -> None:
        with self.lock:
            if worker in self.started:
                self.started.remove(worker)
        worker.close()

    def close(self) -> None:
        """End every worker started."""
        with self.lock:
            self.closed = True
            workers, self.started, self.idle = self.started, [], []
        for worker in workers:
            worker.close()
        for executor in self.executors:  # jobs still running write no file after this
            executor.shutdown(wait=True)
        for warming in self.warming:  # a LibreOffice starting was ended above: done at once
            warming.join()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@functools.cache  # 0.1 s: asked once per command
def uno_python() -> str | None:
    """Give the system Python that can `import uno`, if there is one."""
    return find_uno_python(SYSTEM_PYTHONS)


def find_uno_python(candidates: Sequence[str]) -> str | None:
    """Give the first of the `candidates` (Python programs) that can `import uno`."""
    for python in candidates:
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
