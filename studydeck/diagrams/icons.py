"""Icon names: `aws.network.Route53` → the icon class of the diagrams package, with suggestions."""

from __future__ import annotations

import difflib
import functools
import importlib
import importlib.util
import keyword
import pkgutil
import re
from pathlib import Path
from types import ModuleType

PACKAGE = "diagrams"
# In an icon module of the diagrams package: an icon class with its body, an alias of one
# (`ELB = …`), and the image file and folder of a class (in its body, or its base's).
ICON_CLASS = re.compile(r"^class ([A-Za-z]\w*)\(\w*\):\n((?:[ \t]+.*\n|[ \t]*\n)*)",
                        re.MULTILINE)
ICON_ALIAS = re.compile(r"^([A-Za-z]\w*) = ([A-Za-z]\w*)$", re.MULTILINE)
ICON_IMAGE = re.compile(r"^[ \t]+_icon = \"([^\"/\\]+)\"$", re.MULTILINE)
ICON_FOLDER = re.compile(r"^[ \t]+_icon_dir = \"([\w/.-]+)\"$", re.MULTILINE)
# get_close_matches' default: below this a "suggestion" is mostly noise.
CUTOFF = 0.6


class UnknownIcon(LookupError):
    """Raised for an icon path that names no icon class of the diagrams package."""

    def __init__(self, path: str, suggestions: list[str]) -> None:
        self.path = path
        self.suggestions = suggestions
        hint = f" (did you mean {', '.join(suggestions)}?)" if suggestions else ""
        super().__init__(f"unknown icon {path!r}{hint}")

    def __reduce__(self) -> tuple[type[UnknownIcon], tuple[str, list[str]]]:
        return (UnknownIcon, (self.path, self.suggestions))


def icon_class(path: str) -> type:
    """Give the icon class named by `provider.module.Class`, e.g. `aws.network.Route53`."""
    cls = _find_class(path) if _is_icon_path(path) else None
    if cls is None:
        raise UnknownIcon(path, suggest_icons(path))
    return cls


def check_icon(path: str) -> None:
    """Raise UnknownIcon unless `path` names an icon class of the diagrams package.

    Read from the icon module's source, not imported: importing the diagrams package (and
    Graphviz's bindings with it, ~25 ms) is left to a build that draws.
    """
    module_path, _, name = path.rpartition(".")
    if not (_is_icon_path(path) and name in _icons_in_source(module_path)):
        raise UnknownIcon(path, suggest_icons(path))


def icon_image(path: str) -> str | None:
    """Give the image file of the icon at `path` (checked with check_icon), if it has one: where
    the diagrams package's Node finds it, read from the source as check_icon reads it."""
    module_path, _, name = path.rpartition(".")
    folder = _package_folder()
    image = _icons_in_source(module_path).get(name)
    return str(Path(folder).resolve().parent / image) if folder and image else None


def _icons_in_source(module_path: str) -> dict[str, str]:
    """Give the icon names (classes and their aliases) an icon module's source defines, each
    with its image (under the icon folder; '' where it has none)."""
    return _read_icons(module_path) if _is_icon_path(f"{module_path}.Icon") else {}


@functools.cache
def _read_icons(module_path: str) -> dict[str, str]:
    folder = _package_folder()
    if folder is None:
        return {}
    source = Path(folder, *module_path.split(".")).with_suffix(".py")
    try:
        text = source.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return {}
    icon_folder = ICON_FOLDER.search(text)
    images: dict[str, str] = {}
    for name, body in ICON_CLASS.findall(text):
        image = ICON_IMAGE.search(body)
        images[name] = (f"{icon_folder.group(1)}/{image.group(1)}" if image and icon_folder
                        else "")
    images.update({alias: images[target] for alias, target in ICON_ALIAS.findall(text)
                   if target in images})
    return images


@functools.cache
def _package_folder() -> str | None:
    """Give the diagrams package's folder, found without importing the package."""
    spec = importlib.util.find_spec(PACKAGE)
    return spec.submodule_search_locations[0] if spec and spec.submodule_search_locations else None


def suggest_icons(path: str, limit: int = 3) -> list[str]:
    """Give up to `limit` icon paths that look like `path`, best first."""
    query = path.strip().lower()
    query_name = query.rsplit(".", 1)[-1]
    scored: list[tuple[float, str]] = []
    for candidate in icon_catalogue():
        score = _similarity(query, query_name, candidate.lower())
        if score >= CUTOFF:
            scored.append((score, candidate))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [candidate for _, candidate in scored[:limit]]


@functools.cache
def icon_catalogue() -> tuple[str, ...]:
    """Give every icon path of the diagrams package, aliases (`aws.network.ELB`) included."""
    package = importlib.import_module(PACKAGE)
    paths: list[str] = []
    for info in pkgutil.walk_packages(package.__path__, f"{PACKAGE}."):
        if info.name.count(".") != 2:
            continue
        module = importlib.import_module(info.name)
        prefix = info.name.removeprefix(f"{PACKAGE}.")
        paths.extend(f"{prefix}.{name}" for name in _icon_names(module))
    return tuple(sorted(paths))


def _similarity(query: str, query_name: str, candidate: str) -> float:
    """Give how alike two lower-case paths are, by the whole path or by the class name alone."""
    whole = difflib.SequenceMatcher(None, query, candidate).ratio()
    by_name = difflib.SequenceMatcher(None, query_name, candidate.rsplit(".", 1)[-1]).ratio()
    # The class name alone ties across providers (`Users`); the whole path breaks the tie.
    return max(whole, 0.9 * by_name + 0.1 * whole)


def _is_icon_path(path: str) -> bool:
    """Tell whether `path` is three public identifiers joined by dots."""
    parts = path.split(".")
    return len(parts) == 3 and all(_is_public_identifier(part) for part in parts)


def _is_public_identifier(part: str) -> bool:
    return part.isidentifier() and not part.startswith("_") and not keyword.iskeyword(part)


def _find_class(path: str) -> type | None:
    """Give the icon class at `path`, or None when the module or class does not exist."""
    module_path, _, name = path.rpartition(".")
    try:
        module = importlib.import_module(f"{PACKAGE}.{module_path}")
    except ImportError:
        return None
    found = getattr(module, name, None)
    return found if _is_icon(found) else None


def _icon_names(module: ModuleType) -> list[str]:
    """Give the public names in `module` bound to icon classes defined there."""
    return [
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and _is_icon(value)
        and getattr(value, "__module__", None) == module.__name__
    ]


def _is_icon(value: object) -> bool:
    node = importlib.import_module(PACKAGE).Node
    return isinstance(value, type) and issubclass(value, node) and value is not node


def icons_matching(words: list[str]) -> list[str]:
    """Give the icon paths that contain every one of `words` (any case), in order."""
    wanted = [word.lower() for word in words]
    return [path for path in icon_catalogue() if all(word in path.lower() for word in wanted)]
