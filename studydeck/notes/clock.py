"""A sandbox whose templates stop after a time limit: no notes template can loop for minutes.

The sandbox bounds what one operation may cost (`'a' * 10**10`); this bounds how long a render
runs. The clock is read on every loop step (each `{% for %}` iterates through a checking filter
added to the parsed template), call (macros too), attribute or item look-up and operator, so an
empty nested loop stops as surely as a recursive macro.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Iterator
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import TemplateRuntimeError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

CLOCKED_LOOP = "studydeck_clocked_loop"  # the filter every {% for %} iterates through


class TemplateTooSlow(TemplateRuntimeError):
    """Raised inside a template that ran past its time limit."""


class ClockedSandbox(SandboxedEnvironment):
    """A sandboxed environment whose renders stop with TemplateTooSlow after `seconds_allowed`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters[CLOCKED_LOOP] = self._clocked
        self.deadline = math.inf
        self.seconds_allowed = math.inf

    def start_clock(self, seconds: float) -> None:
        """Give the renders from now on `seconds` between them."""
        self.seconds_allowed = seconds
        self.deadline = time.monotonic() + seconds

    @property
    def out_of_time(self) -> bool:
        """Tell whether the time the last `start_clock` gave has run out."""
        return time.monotonic() > self.deadline

    def check_clock(self) -> None:
        if self.out_of_time:
            raise TemplateTooSlow(f"rendering took longer than {self.seconds_allowed:g} s")

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        template = super()._parse(source, name, filename)
        for loop in template.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, CLOCKED_LOOP, [], [], None, None,
                                     lineno=loop.lineno)
        return template

    def _clocked(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            self.check_clock()
            yield item

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.check_clock()
        return super().call(__context, __obj, *args, **kwargs)

    def getattr(self, obj: Any, attribute: str) -> Any:
        self.check_clock()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        self.check_clock()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        self.check_clock()
        return super().call_binop(context, operator, left, right)
