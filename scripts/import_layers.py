"""studydeck's import graph: cycles, imports that run up a layer, imports inside functions.

`python scripts/import_layers.py` prints them; tests/test_layers.py asserts on them. Every import
of studydeck's own modules counts, wherever it stands: at the top of a module, under
`if TYPE_CHECKING:`, or inside a function.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "studydeck"
# Bottom to top: a module imports its own layer and the layers below it, never one above.
LAYERS = (
    ("", "errors", "words", "richtext", "highlight", "clicks"),  # "": studydeck/__init__.py
    ("source",),
    ("schema",),
    ("layout",),
    ("diagrams",),
    ("pptx",),
    ("slides",),
    ("project",),
    ("checks",),
    ("outline", "notes", "session_plan"),
    ("build", "parallel"),
    ("export", "preview", "doctor", "pull"),
    ("cli", "__main__"),
)
# The imports allowed to run up a layer (importer, imported): each says why on its line.
UP_A_LAYER: tuple[tuple[str, str], ...] = ()
UP_A_LAYER_COMMENT = re.compile(r"#\s*up a layer:\s*\S")
# An import inside a function says which command it keeps fast, on its line or just above.
KEEPS_FAST_COMMENT = re.compile(r"#.*\bkeeps\b.*\bfast\b")


@dataclass(frozen=True)
class Import:
    """One import of a studydeck module by another, and where it is written."""

    importer: str
    imported: str
    path: Path
    line: int
    text: str  # the lines of the import statement, with what stands just above it
    inner: bool  # inside a function

    @property
    def ours(self) -> bool:
        """Whether the imported module is studydeck's (not a library's)."""
        return _is_ours(self.imported)

    def place(self) -> str:
        return f"{self.path.relative_to(PACKAGE.parent)}:{self.line}"


def module_name(path: Path) -> str:
    """Give the dotted name of a file of the package (a package's __init__ is the package)."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Give every module of the package by its dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> int:
    """Give the layer of a studydeck module (0 the bottom); ValueError for one in no layer."""
    top = module.split(".")[1] if "." in module else ""
    for number, names in enumerate(LAYERS):
        if top in names:
            return number
    raise ValueError(f"{module} is in no layer of scripts/import_layers.py")


def imports() -> list[Import]:
    """Give every import in the package, of studydeck's modules and of libraries, in file order."""
    return [found for module, path in modules().items() for found in _imports_of(module, path)]


def _imports_of(module: str, path: Path) -> Iterator[Import]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source, str(path))
    for node, inner in _import_nodes(tree, inner=False):
        end = node.end_lineno or node.lineno
        text = "\n".join(lines[_comment_start(lines, node.lineno) - 1:end])
        for imported in _targets(module, path, node):
            yield Import(module, imported, path, node.lineno, text, inner)


def _comment_start(lines: list[str], line: int) -> int:
    """Give the first line of the comments (and imports) standing right above `line`."""
    while line > 1 and lines[line - 2].strip().startswith(("#", "from ", "import ")):
        line -= 1
    return line


def _import_nodes(tree: ast.AST, inner: bool) -> Iterator[tuple[ast.Import | ast.ImportFrom, bool]]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node, inner
        function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        yield from _import_nodes(node, inner or function)


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Give the modules an import statement names: studydeck's, or a library's as written."""
    if isinstance(node, ast.Import):
        return [_known(alias.name) if _is_ours(alias.name) else alias.name
                for alias in node.names]
    base = node.module or ""
    if node.level:
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        for _ in range(node.level - 1):
            package = package.rpartition(".")[0]
        base = f"{package}.{base}" if base else package
    if not _is_ours(base):
        return [base]
    # `from studydeck.layout import geometry` names the module studydeck.layout.geometry
    return list(dict.fromkeys(
        f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules() else _known(base)
        for alias in node.names))


def _is_ours(name: str) -> bool:
    return name == "studydeck" or name.startswith("studydeck.")


def _known(name: str) -> str:
    """Give the module `name` stands for: itself, or the nearest package that holds it."""
    while name not in modules() and "." in name:
        name = name.rpartition(".")[0]
    return name


def cycles(found: list[Import]) -> list[list[str]]:
    """Give each group of modules that import each other, round and round (Tarjan's SCCs)."""
    graph: dict[str, set[str]] = {name: set() for name in modules()}
    for item in found:
        if item.ours and item.imported != item.importer:
            graph[item.importer].add(item.imported)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(name: str) -> None:
        index[name] = low[name] = len(index)
        stack.append(name)
        for other in sorted(graph[name]):
            if other not in index:
                visit(other)
                low[name] = min(low[name], low[other])
            elif other in stack:
                low[name] = min(low[name], index[other])
        if low[name] == index[name]:
            group = []
            while True:
                other = stack.pop()
                group.append(other)
                if other == name:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10 * len(graph)))
    for name in sorted(graph):
        if name not in index:
            visit(name)
    return sorted(groups)


def up_a_layer(found: list[Import]) -> list[Import]:
    """Give the imports of a module from a layer above its own."""
    return [item for item in found
            if item.ours and layer(item.imported) > layer(item.importer)]


def inner_imports(found: list[Import]) -> list[Import]:
    """Give the imports written inside functions, one per statement."""
    return list({(item.path, item.line): item for item in found if item.inner}.values())


def library_importers(found: list[Import], library: str) -> list[Import]:
    """Give every import of a library (`pptx`: pptx and pptx.util …), wherever it stands."""
    return [item for item in found
            if item.imported == library or item.imported.startswith(f"{library}.")]


def main() -> None:
    found = imports()
    groups = cycles(found)
    print(f"{len(groups)} import cycle{'s' * (len(groups) != 1)}")
    for group in groups:
        print("  " + " <-> ".join(group))
    upward = up_a_layer(found)
    _print_imports(upward, "up a layer", lambda item: (
        why.string[why.start():].splitlines()[0]
        if (why := UP_A_LAYER_COMMENT.search(item.text)) else ""))
    _print_imports(inner_imports(found), "inside functions", lambda item: (
        "" if KEEPS_FAST_COMMENT.search(item.text)
        else "(no comment says which command it keeps fast)"))


def _print_imports(found: list[Import], where: str, remark: Callable[[Import], str]) -> None:
    print(f"{len(found)} import{'s' * (len(found) != 1)} {where}")
    for item in found:
        said = remark(item)
        print(f"  {item.place()}: {item.importer} -> {item.imported}{'  ' + said if said else ''}")


if __name__ == "__main__":
    main()
