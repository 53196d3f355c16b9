"""The LibreOffice workers of one export, started as soon as the command knows it will render.

This module imports little (0.01 s): the command line starts the workers with it before it
imports the rest of the export (0.3 s), and LibreOffice (a second to start) starts meanwhile.
"""

from __future__ import annotations

import shutil

from studydeck.export.options import ExportKind, ExportOptions
from studydeck.export.render_cache import CACHE_DIR, INDEX_FILE
from studydeck.export.workers import WorkerPool
from studydeck.source.folder import ProjectFolder


def export_workers(paths: ProjectFolder, kind: ExportKind, options: ExportOptions) -> WorkerPool:
    """Give the export's pool of workers, already starting them if it will surely render."""
    pool = WorkerPool(options.workers, timeout=options.timeout)
    if renders_surely(paths, kind) and shutil.which("soffice"):
        pool.warm_up(pool.size)
    return pool


def renders_surely(paths: ProjectFolder, kind: ExportKind) -> bool:
    """Tell whether the export will surely render click states with LibreOffice: none is kept
    from before (the first export, or its cache was deleted)."""
    return kind is not ExportKind.handout and not (
        paths.output_dir / CACHE_DIR / INDEX_FILE).exists()
