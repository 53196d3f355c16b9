"""Diagram files → PNG files, drawn again only when their content or the renderer changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from studydeck.diagrams.render import (
    RENDERER_VERSION,
    GraphvizError,
    render_diagram,
    require_graphviz,
)
from studydeck.errors import DeckError, Problem, ToolMissingError
from studydeck.schema.models import DiagramFile, DiagramSpec
from studydeck.source.files import read_json_object, write_atomically

CACHE_DIR = ".cache"


@dataclass(frozen=True)
class DiagramImages:
    """The pictures of one diagram: the base picture and one per walkthrough step."""

    name: str
    base: Path
    steps: list[Path]

    @property
    def files(self) -> list[Path]:
        return [self.base, *self.steps]


@dataclass(frozen=True)
class _Job:
    """One picture to draw: step None is the base picture."""

    name: str
    spec: DiagramSpec
    target: Path
    font: str
    step: int | None


class _MissingTool(Exception):
    """ToolMissingError in a form that survives the trip back from a worker process."""

    def __init__(self, tool: str, package: str) -> None:
        super().__init__(tool, package)
        self.tool = tool
        self.package = package


def diagram_key(spec: DiagramSpec, font: str) -> str:
    """Give the hash naming everything the pictures of `spec` depend on."""
    canonical = json.dumps(
        # how the diagram is shown on its slide changes nothing Graphviz draws
        spec.model_dump(mode="json", by_alias=True, exclude={"render"}),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256()
    for part in (canonical, RENDERER_VERSION, font):
        digest.update(part.encode("utf-8") + b"\0")
    return digest.hexdigest()


def render_all(
    diagrams: Sequence[DiagramFile],
    out_dir: Path,
    *,
    font: str = "Noto Sans CJK KR",
    force: bool = False,
    workers: int | None = None,
    on_rendered: Callable[[str], None] | None = None,
    base_only: frozenset[str] = frozenset(),
) -> dict[str, DiagramImages]:
    """Give the pictures of every diagram, drawing those whose cached files are out of date.

    Diagrams named in `base_only` (drawn as shapes on their slides) get their base picture only.
    """
    images = {
        diagram.name: diagram_images(diagram, out_dir, steps=diagram.name not in base_only)
        for diagram in diagrams
    }
    stale = [
        diagram
        for diagram in diagrams
        if force or not _is_fresh(images[diagram.name], out_dir, diagram_key(diagram.spec, font))
    ]
    for diagram in diagrams:
        _remove_stale_steps(out_dir, diagram.name, len(diagram.spec.steps))
    if stale:
        require_graphviz()
        _render_stale(stale, images, out_dir, font, workers, on_rendered)
    return images


def diagram_images(diagram: DiagramFile, out_dir: Path, *, steps: bool = True) -> DiagramImages:
    """Give where the pictures of `diagram` go in `out_dir`; `steps` False: the base alone."""
    count = len(diagram.spec.steps) if steps else 0
    step_files = [out_dir / f"{diagram.name}.step-{number}.png" for number in range(1, count + 1)]
    return DiagramImages(diagram.name, out_dir / f"{diagram.name}.png", step_files)


# --- the manifest: which key drew which bytes -------------------------------------------------


def _manifest_path(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def _is_fresh(images: DiagramImages, out_dir: Path, key: str) -> bool:
    """Tell whether the manifest says `key` drew exactly the files on disk now."""
    manifest = read_json_object(_manifest_path(out_dir, images.name))
    if manifest is None or manifest.get("key") != key:
        return False
    hashes = manifest.get("files")
    # a manifest may list step pictures drawn for another build that this one does not need
    if not isinstance(hashes, dict) or not {path.name for path in images.files} <= set(hashes):
        return False
    return all(path.is_file() and _sha256(path) == hashes[path.name] for path in images.files)


def _write_manifest(images: DiagramImages, out_dir: Path, key: str) -> None:
    manifest = {"key": key, "files": {path.name: _sha256(path) for path in images.files}}
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    write_atomically(_manifest_path(out_dir, images.name), text.encode("utf-8"))


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _remove_stale_steps(out_dir: Path, name: str, step_count: int) -> None:
    """Delete step pictures of `name` numbered beyond its `step_count` steps."""
    if not out_dir.is_dir():
        return
    pattern = re.compile(re.escape(name) + r"\.step-(\d+)\.png")
    for path in out_dir.iterdir():
        match = pattern.fullmatch(path.name)
        if match and int(match.group(1)) > step_count:
            path.unlink(missing_ok=True)


# --- drawing --------------------------------------------------------------------------------


def _render_stale(
    stale: list[DiagramFile],
    images: dict[str, DiagramImages],
    out_dir: Path,
    font: str,
    workers: int | None,
    on_rendered: Callable[[str], None] | None,
) -> None:
    """Draw every picture of the `stale` diagrams; raise one DeckError for all that failed."""
    jobs = [job for diagram in stale for job in _jobs(diagram, images[diagram.name], font)]
    left = {diagram.name: len(images[diagram.name].files) for diagram in stale}
    failures: dict[str, str] = {}
    for job, failure in _run(jobs, workers):
        left[job.name] -= 1
        if failure is not None:
            failures.setdefault(job.name, failure)
        if left[job.name] == 0 and job.name not in failures:
            _write_manifest(images[job.name], out_dir, diagram_key(job.spec, font))
            if on_rendered is not None:
                on_rendered(job.name)
    if failures:
        raise _graphviz_failures(stale, failures, out_dir)


def _graphviz_failures(
    stale: list[DiagramFile], failures: dict[str, str], out_dir: Path
) -> DeckError:
    problems: list[Problem] = []
    for diagram in stale:
        if diagram.name in failures:
            _manifest_path(out_dir, diagram.name).unlink(missing_ok=True)
            message = f"Graphviz could not draw this diagram: {failures[diagram.name]}"
            problems.extend(DeckError.single(diagram.path, message).problems)
    return DeckError(problems)


def _jobs(diagram: DiagramFile, images: DiagramImages, font: str) -> list[_Job]:
    base = _Job(diagram.name, diagram.spec, images.base, font, None)
    steps = [
        _Job(diagram.name, diagram.spec, target, font, index)
        for index, target in enumerate(images.steps)
    ]
    return [base, *steps]


def _run(jobs: list[_Job], workers: int | None) -> Iterator[tuple[_Job, str | None]]:
    """Give each job with Graphviz's complaint about it, if any, as the jobs finish."""
    count = min(workers or os.cpu_count() or 1, len(jobs))
    try:
        if count <= 1:
            # Starting worker processes costs more than drawing one picture.
            yield from ((job, _draw(job)) for job in jobs)
            return
        # multiprocessing takes ~15 ms to import: keeps a `build` that draws nothing fast
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(max_workers=count) as pool:
            futures = {pool.submit(_draw, job): job for job in jobs}
            for future in as_completed(futures):
                yield futures[future], future.result()
    except _MissingTool as missing:
        raise ToolMissingError(missing.tool, missing.package) from None


def _draw(job: _Job) -> str | None:
    """Draw one picture; give Graphviz's message if it could not (runs in a worker process)."""
    try:
        render_diagram(job.spec, job.target, font=job.font, step=job.step)
    except GraphvizError as error:
        return error.message
    except ToolMissingError as error:
        raise _MissingTool(error.tool, error.package) from None
    return None
