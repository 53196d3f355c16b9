"""A sandbox whose templates cannot make huge text: every way to widen a string is bounded.

Jinja2's sandbox keeps a template from Python's internals but not from `'a'.ljust(3000000000)`,
`'%3000000000s' % x`, `'{:>3000000000}'.format(x)`, `x|center(3000000000)` or
`lipsum(1000000)`, each of which asks for gigabytes in one step (the clock, read between steps,
cannot stop it). Here each is refused beyond `MAX_TEXT` characters, before it runs; filters that
give a generator (`map`, `select`, `batch`…) read the clock at each item, as loops do.
"""

from __future__ import annotations

import functools
import inspect
import re
import string
from collections.abc import Callable
from typing import Any, cast

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context

from studydeck.notes.clock import ClockedSandbox

MAX_TEXT = 100_000  # longest text or list one operation may make; a note is a few sentences
MAX_POWER = 100
MAX_LIPSUM = (20, 200)  # paragraphs, words in one
WIDENING_METHODS = frozenset({"ljust", "rjust", "center", "zfill"})
WIDENING_FILTERS = {"center": 1}  # filter: position of the width argument
PERCENT_WIDTHS = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
SPEC_NUMBERS = re.compile(r"\d+")


class BoundedSandbox(ClockedSandbox):
    """The clocked sandbox, also refusing any one operation that would make huge text."""

    intercepted_binops = frozenset({"*", "**", "%"})  # nor folded at compile time

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters = {name: self._bounded_filter(name, function)
                        for name, function in self.filters.items()}
        self.globals["lipsum"] = _bounded_lipsum(cast(Callable[..., str], self.globals["lipsum"]))

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"the power {right} is too large for a notes template")
        if operator == "*" and _repeat_length(left, right) > MAX_TEXT:
            raise SecurityError(f"'*' would make more than {MAX_TEXT} items or characters")
        if operator == "%" and isinstance(left, str):
            _check_percent_format(left)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            _check_string_method(owner, getattr(method, "__name__", ""), args, kwargs)
        return super().call(__context, __obj, *args, **kwargs)

    def _bounded_filter(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        width_at = WIDENING_FILTERS.get(name)
        offset = _leading_arguments(function)

        @functools.wraps(function)  # keeps Jinja2's pass_context marks
        def bounded(*args: Any, **kwargs: Any) -> Any:
            self.check_clock()
            given = args[offset:]
            if width_at is not None and len(given) > width_at:
                _check_width(given[width_at])
            if name == "indent" and len(given) > 1 and isinstance(given[1], int):
                _check_width(given[1] * (str(given[0]).count("\n") + 1))
            if name == "format" and given and isinstance(given[0], str):
                _check_percent_format(given[0])
            if name == "replace" and len(given) >= 3:
                _check_replace(*given[:3])
            found = function(*args, **kwargs)
            return self._clocked(found) if inspect.isgenerator(found) else found

        return bounded


def _leading_arguments(function: Callable[..., Any]) -> int:
    """Give how many arguments Jinja2 passes before the value (context, environment…)."""
    return 1 if getattr(function, "jinja_pass_arg", None) is not None else 0


def _bounded_lipsum(lipsum: Callable[..., str]) -> Callable[..., str]:
    def bounded(n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:  # noqa: A002
        if n > MAX_LIPSUM[0] or max > MAX_LIPSUM[1]:
            raise SecurityError(f"lipsum gives at most {MAX_LIPSUM[0]} paragraphs of at most"
                                f" {MAX_LIPSUM[1]} words in a notes template")
        return lipsum(n, html, min, max)

    return bounded


def _repeat_length(left: Any, right: Any) -> int:
    """Give the length `left * right` would have when it repeats text or a list, else 0."""
    for sequence, count in ((left, right), (right, left)):
        if isinstance(sequence, str | list | tuple) and isinstance(count, int):
            return len(sequence) * count
    return 0


def _check_width(width: Any) -> None:
    if isinstance(width, int) and width > MAX_TEXT:
        raise SecurityError(f"the width {width} is too large for a notes template"
                            f" (at most {MAX_TEXT})")


def _check_string_method(text: str, name: str, args: tuple[Any, ...],
                         kwargs: dict[str, Any]) -> None:
    if name in WIDENING_METHODS and args:
        _check_width(args[0])
    elif name == "expandtabs":
        _check_width(len(text) * (args[0] if args and isinstance(args[0], int) else 8))
    elif name in ("format", "format_map"):
        _check_brace_format(text)
    elif name == "replace" and len(args) >= 2:
        _check_replace(text, *args[:2])


def _check_replace(text: Any, old: Any, new: Any) -> None:
    if isinstance(text, str) and isinstance(old, str) and isinstance(new, str):
        places = text.count(old) if old else len(text) + 1
        _check_width(len(text) + places * (len(new) - len(old)))


def _check_percent_format(template: str) -> None:
    for width in PERCENT_WIDTHS.findall(template):
        for number in width:
            if number == "*":
                raise SecurityError("'*' widths are not allowed in a notes template")
            if number:
                _check_width(int(number))


def _check_brace_format(template: str) -> None:
    for _, field, spec, _ in string.Formatter().parse(template):
        if field is None or not spec:
            continue
        if "{" in spec:
            raise SecurityError("a width given by another field is not allowed in a notes"
                                " template")
        for number in SPEC_NUMBERS.findall(spec):
            _check_width(int(number))

