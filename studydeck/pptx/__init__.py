"""Write: laid-out slides in, the .pptx out; the only layer that touches python-pptx and OOXML."""

import importlib
import sys
import types
from typing import Any


class _LoadedWhenUsed(types.ModuleType):
    """Stands for a module until one of its names is first used, then loads and forwards to it."""

    def __getattr__(self, name: str) -> Any:
        del sys.modules[self.__name__]
        module = importlib.import_module(self.__name__)  # binds it to its package, as usual
        self.__dict__.update(vars(module))
        return getattr(module, name)


def _load_when_used(name: str) -> None:
    if name not in sys.modules:
        stand_in = _LoadedWhenUsed(name)
        stand_in.__spec__ = None  # the import system asks; not a name of the module's own
        sys.modules[name] = stand_in
        package, _, child = name.rpartition(".")
        setattr(importlib.import_module(package), child, stand_in)


# python-pptx imports xml.sax.saxutils, which imports urllib.request (and with it http.client,
# email and ssl: ~12 ms of every build) for a function python-pptx never calls.
_load_when_used("urllib.request")
