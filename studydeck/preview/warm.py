"""LibreOffice kept running between the preview's renders, so a re-render skips its start-up.

The preview renders through the export workers (studydeck.export.workers): LibreOffice driven
through UNO by the system Python (Debian's python3-uno), Asian–Latin autospacing off like every
export. Without python3-uno every render starts LibreOffice afresh, as `doctor` says.
"""

from __future__ import annotations

from studydeck.export import workers
from studydeck.export.workers import WorkerPool

SYSTEM_PYTHONS = workers.SYSTEM_PYTHONS


def start_renderer() -> WorkerPool:
    """Give LibreOffice workers (one per core: the first render of a deck splits over them),
    started when first needed and kept for the session."""
    return WorkerPool(timeout=workers.CONVERSION_TIMEOUT)


def uno_python() -> str | None:
    """Give the system Python that can `import uno`, if there is one."""
    return workers.find_uno_python(SYSTEM_PYTHONS)
