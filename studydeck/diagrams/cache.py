"""Diagram files → PNG files, drawn again only when their content or the renderer changed.

Which key drew which bytes is kept in a manifest sealed with this user's key
(source/sealed.py): pictures that came with a project's output/ are drawn again, never shown.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studydeck.diagrams.render import (
    RENDERER_VERSION,
    GraphvizError,
    render_diagram,
    require_graphviz,
)
from studydeck.diagrams.style import ACCENT, CIRCLED
from studydeck.errors import DeckError, Problem, ToolMissingError
from studydeck.schema.models import DiagramFile, DiagramSpec
from studydeck.source.files import delete_file, real_folder
from studydeck.source.sealed import read_sealed_json, write_sealed_json

CACHE_DIR = ".cache"
MANIFEST = "diagram-pictures"  # what the seal says a manifest is
STEP_NUMBERS = [*CIRCLED, *(f"({number})" for number in range(21, 100))]  # as render numbers


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
    accent: str = ACCENT
    graph_attr: dict[str, str] = field(default_factory=dict)  # the layout fitted to its area


class _MissingTool(Exception):
    """ToolMissingError in a form that survives the trip back from a worker process."""

    def __init__(self, tool: str, package: str) -> None:
        super().__init__(tool, package)
        self.tool = tool
        self.package = package


def diagram_key(spec: DiagramSpec, font: str, accent: str = ACCENT,
                graph_attr: dict[str, str] | None = None) -> str:
    """Give the hash naming everything the pictures of `spec` depend on (laid out with
    `graph_attr` over the pictures' own attributes)."""
    canonical = json.dumps(
        # how the diagram is shown on its slide changes nothing Graphviz draws
        spec.model_dump(mode="json", by_alias=True, exclude={"render"}),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    digest = hashlib.sha256()
    fitted = [json.dumps(graph_attr, sort_keys=True)] if graph_attr else []
    for part in (canonical, RENDERER_VERSION, font, *([accent] if accent != ACCENT else []),
                 *fitted):
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
    accent: str = ACCENT,
    graph_attrs: Mapping[str, dict[str, str]] | None = None,
) -> dict[str, DiagramImages]:
    """Give the pictures of every diagram, drawing those whose cached files are out of date;
    walkthrough steps are stressed in `accent` (the deck's); a diagram named in `graph_attrs`
    is laid out with its attributes there (those its area's layout was fitted with).

    Diagrams named in `base_only` (drawn as shapes on their slides) get their base picture only.
    """
    images = {
        diagram.name: diagram_images(diagram, out_dir, steps=diagram.name not in base_only)
        for diagram in diagrams
    }
    stale = [
        diagram
        for diagram in diagrams
        if force or not _is_fresh(images[diagram.name], out_dir,
                                  diagram_key(diagram.spec, font, accent,
                                              (graph_attrs or {}).get(diagram.name)))
    ]
    for diagram in diagrams:
        _remove_stale_steps(out_dir, diagram.name, len(diagram.spec.steps))
    if stale:
        require_graphviz()
        real_folder(out_dir / CACHE_DIR)  # here, not in the drawing processes: no link out
        _render_stale(stale, images, out_dir, font, workers, on_rendered, accent,
                      graph_attrs or {})
    return images


def diagram_images(diagram: DiagramFile, out_dir: Path, *, steps: bool = True) -> DiagramImages:
    """Give where the pictures of `diagram` go in `out_dir`; `steps` False: the base alone."""
    count = len(diagram.spec.steps) if steps else 0
    step_files = [out_dir / f"{diagram.name}.step-{number}.png" for number in range(1, count + 1)]
    return DiagramImages(diagram.name, out_dir / f"{diagram.name}.png", step_files)


def shows_only_its_words(graphviz: object, spec: DiagramSpec) -> bool:
    """Tell whether every text in a Graphviz layout (its `_ldraw_` and like operations) is made
    of words of `spec` (and step numbers): a kept layout may hold geometry, never other words."""
    words = set(STEP_NUMBERS)
    for value in _strings(spec.model_dump(mode="json")):
        words.update(value.split())
    return all(set(text.split()) <= words for text in _drawn_texts(graphviz))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _drawn_texts(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and key.endswith("draw_") and isinstance(item, list):
                yield from (str(op.get("text", "")) for op in item
                            if isinstance(op, dict) and op.get("op") == "T")
            else:
                yield from _drawn_texts(item)
    elif isinstance(value, list):
        for item in value:
            yield from _drawn_texts(item)


# --- the manifest: which key drew which bytes -------------------------------------------------


def _manifest_path(out_dir: Path, name: str) -> Path:
    return out_dir / CACHE_DIR / f"{name}.json"


def _is_fresh(images: DiagramImages, out_dir: Path, key: str) -> bool:
    """Tell whether the manifest says `key` drew exactly the files on disk now."""
    manifest = read_sealed_json(_manifest_path(out_dir, images.name), MANIFEST)
    if manifest is None or manifest.get("key") != key:
        return False
    hashes = manifest.get("files")
    # a manifest may list step pictures drawn for another build that this one does not need
    if not isinstance(hashes, dict) or not {path.name for path in images.files} <= set(hashes):
        return False
    return all(path.is_file() and _sha256(path) == hashes[path.name] for path in images.files)


def _write_manifest(images: DiagramImages, out_dir: Path, key: str) -> None:
    manifest = {"key": key, "files": {path.name: _sha256(path) for path in images.files}}
    write_sealed_json(_manifest_path(out_dir, images.name), MANIFEST, manifest)


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
            delete_file(path)


# --- drawing --------------------------------------------------------------------------------


def _render_stale(
    stale: list[DiagramFile],
    images: dict[str, DiagramImages],
    out_dir: Path,
    font: str,
    workers: int | None,
    on_rendered: Callable[[str], None] | None,
    accent: str = ACCENT,
    graph_attrs: Mapping[str, dict[str, str]] | None = None,
) -> None:
    """Draw every picture of the `stale` diagrams; raise one DeckError for all that failed."""
    jobs = [job for diagram in stale
            for job in _jobs(diagram, images[diagram.name], font, accent,
                             (graph_attrs or {}).get(diagram.name, {}))]
    left = {diagram.name: len(images[diagram.name].files) for diagram in stale}
    failures: dict[str, str] = {}
    for job, failure in _run(jobs, workers):
        left[job.name] -= 1
        if failure is not None:
            failures.setdefault(job.name, failure)
        if left[job.name] == 0 and job.name not in failures:
            _write_manifest(images[job.name], out_dir,
                            diagram_key(job.spec, font, accent, job.graph_attr))
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
            delete_file(_manifest_path(out_dir, diagram.name))
            message = f"Graphviz could not draw this diagram: {failures[diagram.name]}"
            problems.extend(DeckError.single(diagram.path, message).problems)
    return DeckError(problems)


def _jobs(diagram: DiagramFile, images: DiagramImages, font: str, accent: str,
          graph_attr: dict[str, str]) -> list[_Job]:
    base = _Job(diagram.name, diagram.spec, images.base, font, None, accent, graph_attr)
    steps = [
        _Job(diagram.name, diagram.spec, target, font, index, accent, graph_attr)
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
        render_diagram(job.spec, job.target, font=job.font, step=job.step, accent=job.accent,
                       graph_attr=job.graph_attr)
    except GraphvizError as error:
        return error.message
    except ToolMissingError as error:
        raise _MissingTool(error.tool, error.package) from None
    return None
