"""Icon names are checked from the icon modules' source, as the imported package has them."""

from __future__ import annotations

import subprocess
import sys
from collections import defaultdict

import pytest

from studydeck.diagrams import icons, render


def test_the_source_names_the_icons_the_package_has() -> None:
    by_module: dict[str, set[str]] = defaultdict(set)
    for path in icons.icon_catalogue():
        module, _, name = path.rpartition(".")
        by_module[module].add(name)
    assert len(by_module) > 50
    for module, names in by_module.items():
        assert set(icons._icons_in_source(module)) == names, module


def test_the_source_names_the_image_the_package_draws() -> None:
    for path in icons.icon_catalogue():
        assert icons.icon_image(path) == render._icon_file(icons.icon_class(path)), path


@pytest.mark.parametrize("path", ["aws.network.Route53", "aws.network.ELB", "onprem.client.Users"])
def test_a_known_icon_passes(path: str) -> None:
    icons.check_icon(path)


@pytest.mark.parametrize("path", ["aws.network.Route54", "aws.nope.EC2", "aws.network._Network",
                                  "aws.network", "os.path.join"])
def test_an_unknown_icon_is_named_with_suggestions(path: str) -> None:
    with pytest.raises(icons.UnknownIcon):
        icons.check_icon(path)


def test_checking_an_icon_imports_neither_the_diagrams_package_nor_graphviz() -> None:
    code = ("import sys; from studydeck.diagrams.icons import check_icon; "
            "check_icon('aws.compute.EC2'); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('diagrams', 'graphviz')))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == "[]"
