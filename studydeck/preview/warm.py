"""LibreOffice kept running between the preview's renders, so a re-render skips its start-up.

The preview renders through one export worker (studydeck.export.workers): LibreOffice driven
through UNO by the system Python (Debian's python3-uno), Asian–Latin autospacing off like every
export. Without python3-uno every render starts LibreOffice afresh, as `doctor` says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from studydeck.export import workers
from studydeck.export.workers import WorkerPool

SYSTEM_PYTHONS = workers.SYSTEM_PYTHONS


class Renderer(Protocol):
    """Turns a .pptx into a PDF in a folder; `close` ends whatever it started."""

    def to_pdf(self, deck: Path, target_dir: Path) -> Path: ...

    def close(self) -> None: ...


def start_renderer() -> Renderer:
    """Give one LibreOffice worker, started at the first render and kept for the session."""
    return _PictureRenderer(WorkerPool(1, timeout=workers.CONVERSION_TIMEOUT))


class _PictureRenderer:
    """Renders decks whose PDFs are only drawn as pictures (images kept lossless: faster)."""

    def __init__(self, pool: WorkerPool) -> None:
        self.pool = pool

    def to_pdf(self, deck: Path, target_dir: Path) -> Path:
        return self.pool.to_pdf(deck, target_dir, for_pictures=True)

    def close(self) -> None:
        self.pool.close()


def uno_python() -> str | None:
    """Give the system Python that can `import uno`, if there is one."""
    return workers.find_uno_python(SYSTEM_PYTHONS)
