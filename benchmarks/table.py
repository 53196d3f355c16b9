"""The benchmark's table: one row per figure, its target, and whether it is met."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from measure import Timing

JUDGES = ("wall", "cpu")
_judge = ["wall"]  # which of a Timing's figures the targets are held to (bench.py --judge)


def hold_targets_to(judge: str) -> None:
    """Hold every target from now on to wall-clock ("wall") or CPU ("cpu") seconds."""
    if judge not in JUDGES:
        raise ValueError(f"no such judge: {judge}")
    _judge[0] = judge


def judged(timing: Timing) -> float:
    """Give the figure of `timing` the targets are held to."""
    return timing.cpu if _judge[0] == "cpu" else timing.wall


@dataclass(frozen=True)
class Row:
    figure: str
    measured: str
    target: str = ""
    value: float | None = None  # compared with `limit`; None: shown for comparison only
    limit: float | None = None
    unit: str = " s"

    @property
    def met(self) -> bool | None:
        if self.limit is None:
            return None
        return self.value is not None and self.value <= self.limit

    @property
    def verdict(self) -> str:
        if self.met is None:
            return ""
        if self.met:
            return "ok"
        if self.value is None or self.limit is None:
            return "MISSED"
        over = self.value - self.limit
        amount = f"{over:.0%}" if self.unit == "%" else f"{over:.2f}{self.unit}"
        return f"MISSED by {amount} ({self.value / self.limit - 1:+.0%})"


def seconds_row(figure: str, timing: Timing, limit: float | None = None) -> Row:
    target = f"<= {limit:.2f} s" if limit is not None else ""
    return Row(figure, str(timing), target, judged(timing), limit)


def ratio_row(figure: str, ours: Timing, theirs: Timing, limit: float | None = None,
              unit: str = "x") -> Row:
    """Give the row of ours / theirs, held to `limit` unless None (shown only)."""
    value = judged(ours) / judged(theirs)
    shown = f"{value:.0%}" if unit == "%" else f"{value:.2f}x"
    if limit is None:
        return Row(figure, shown)
    target = f"<= {limit:.0%}" if unit == "%" else f"<= {limit:.2f}x"
    return Row(figure, shown, target, value, limit, unit)


def yes_row(figure: str, holds: bool) -> Row:
    return Row(figure, "yes" if holds else "NO", "yes", 0.0 if holds else 1.0, 0.0, "")


def failed_row(group: str, reason: str) -> Row:
    """Give the row of a group that could not be measured: a missed target."""
    return Row(f"{group}: could not be measured", reason, "runs", 1.0, 0.0, "")


def print_table(rows: list[Row], out: Callable[[str], None] = print) -> None:
    widths = [max(len(getattr(row, name)) for row in rows) for name in ("figure", "measured")]
    target_width = max(len(row.target) for row in rows)
    out(f"{'figure':<{widths[0]}}  {'measured':<{widths[1]}}  {'target':<{target_width}}")
    out("-" * (sum(widths) + target_width + 12))
    for row in rows:
        out(f"{row.figure:<{widths[0]}}  {row.measured:<{widths[1]}}  "
            f"{row.target:<{target_width}}  {row.verdict}".rstrip())
