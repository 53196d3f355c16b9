"""A module deferred with studydeck.load_when_used loads at its first use, not its import."""

from __future__ import annotations

import subprocess
import sys

CODE = """
import sys, inspect
from studydeck import load_when_used
load_when_used("xml.dom.minidom")
import xml.dom.minidom
from xml.dom import minidom
inspect.getmodule(len)  # reads every module's __file__: no reason to load
print(type(minidom).__name__, "xml.dom.minicompat" in sys.modules)
print(minidom.parseString("<a/>").documentElement.tagName, "xml.dom.minicompat" in sys.modules)
print(xml.dom.minidom.parseString("<b/>").documentElement.tagName)
"""


def test_the_module_loads_at_its_first_use() -> None:
    done = subprocess.run([sys.executable, "-c", CODE], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.split("\n")[:3] == ["_LoadedWhenUsed False", "a True", "b"]
