"""studydeck: YAML in, an interactive, editable PowerPoint deck out."""

import importlib
import sys
import types
from typing import Any

__version__ = "0.1.0"  # the one place it is written: pyproject.toml reads it from here


class _LoadedWhenUsed(types.ModuleType):
    """Stands for a module until one of its names is first used, then loads and forwards to it."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system and inspect ask: not a reason to load
            raise AttributeError(name)
        module = sys.modules.get(self.__name__)
        if module is self:
            del sys.modules[self.__name__]
            module = importlib.import_module(self.__name__)  # binds it to its package, as usual
            self.__dict__.update(vars(module))
        return getattr(module, name)


def load_when_used(name: str) -> None:
    """Make the module `name` load when one of its names is first used, not when imported
    (`import name` and `from package import module` both give a stand-in until then)."""
    if name not in sys.modules:
        stand_in = _LoadedWhenUsed(name)
        stand_in.__spec__ = None  # the import system asks; not a name of the module's own
        sys.modules[name] = stand_in
        package, _, child = name.rpartition(".")
        setattr(importlib.import_module(package), child, stand_in)
