"""The package reads as the pipeline: no import cycles, imports point down the layers, few modules
at the top, each stage says what it takes and gives, and only pptx/ touches python-pptx and lxml.

The graph is scripts/import_layers.py's (`python scripts/import_layers.py` prints it): every
import of studydeck's modules, at a module's top, under `if TYPE_CHECKING:` or in a function.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from conftest import REPO

MAX_TOP_MODULES = 12
MAX_UP_A_LAYER = 3


def _import_layers() -> ModuleType:
    """Give scripts/import_layers.py as a module (scripts/ is no package)."""
    spec = importlib.util.spec_from_file_location("import_layers",
                                                  REPO / "scripts" / "import_layers.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


layers = _import_layers()
FOUND = layers.imports()


def described(found: Iterable[Any]) -> list[str]:
    """Give each import as `file:line: importer -> imported`, for a failure's message."""
    return [f"{item.place()}: {item.importer} -> {item.imported}" for item in found]


def test_every_module_stands_in_a_layer() -> None:
    unplaced = []
    for module in layers.modules():
        try:
            layers.layer(module)
        except ValueError as error:
            unplaced.append(str(error))
    assert unplaced == []


def test_the_graph_finds_imports_of_every_kind() -> None:
    """A guard on the parser: imports at the top, in functions, relative and of a submodule."""
    pairs = {(item.importer, item.imported) for item in FOUND}
    assert ("studydeck.build", "studydeck.project.loading") in pairs
    assert ("studydeck.checks.generated_fit", "studydeck.layout.geometry") in pairs  # from-import
    assert any(item.inner for item in FOUND)
    assert len(layers.modules()) > 60


def test_no_module_imports_itself_round_a_cycle() -> None:
    assert layers.cycles(FOUND) == []


def test_imports_point_down_the_layers_but_for_a_few_that_say_why() -> None:
    upward = layers.up_a_layer(FOUND)
    unlisted = [item for item in upward
                if (item.importer, item.imported) not in layers.UP_A_LAYER]
    assert described(unlisted) == []
    assert len(layers.UP_A_LAYER) <= MAX_UP_A_LAYER
    unexplained = [item for item in upward if not layers.UP_A_LAYER_COMMENT.search(item.text)]
    assert described(unexplained) == [], "write `# up a layer: <why>` on the import's line"


def test_an_import_inside_a_function_says_which_command_it_keeps_fast() -> None:
    hidden = [item for item in layers.inner_imports(FOUND)
              if not layers.KEEPS_FAST_COMMENT.search(item.text)]
    assert described(hidden) == [], (
        "move the import to the top of its module, or say (`# keeps `validate` fast`) why not")


def test_the_package_itself_holds_few_modules() -> None:
    top = sorted(path.name for path in layers.PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_MODULES, top


def test_every_package_says_in_one_line_what_it_takes_and_gives() -> None:
    for init in sorted(layers.PACKAGE.rglob("__init__.py")):
        docstring = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        name = init.parent.relative_to(REPO)
        assert docstring, f"{name}/__init__.py has no docstring"
        assert "\n" not in docstring.strip(), f"{name}/__init__.py: one line, please"


@pytest.mark.parametrize("library", ["pptx", "lxml"])
def test_only_the_pptx_stage_touches_python_pptx_and_lxml(library: str) -> None:
    outside = [item for item in layers.library_importers(FOUND, library)
               if not item.importer.startswith("studydeck.pptx.")]
    assert described(outside) == []


def test_the_slides_stage_may_be_missing_but_has_its_layer() -> None:
    """slides/ (one module per slide type) sits between pptx/ and project/."""
    assert layers.layer("studydeck.pptx.writer") < layers.layer("studydeck.slides") < (
        layers.layer("studydeck.project.loading"))
    if not (layers.PACKAGE / "slides").is_dir():
        pytest.skip("studydeck/slides/ is not there yet")
    assert any(module.startswith("studydeck.slides") for module in layers.modules())


def test_the_script_prints_the_graph(capsys: pytest.CaptureFixture[str]) -> None:
    layers.main()
    printed = capsys.readouterr().out
    for heading in ("import cycle", "up a layer", "inside functions"):
        assert heading in printed


def test_a_package_file_is_named_as_python_imports_it() -> None:
    assert layers.module_name(layers.PACKAGE / "layout" / "__init__.py") == "studydeck.layout"
    assert layers.module_name(layers.PACKAGE / "layout" / "text.py") == "studydeck.layout.text"
    assert layers.module_name(Path(layers.PACKAGE / "__init__.py")) == "studydeck"
