"""A slide's click states: what is visible before the first click and after each one (pure data).

The PPTX writer says what appears on each click; `studydeck.pptx.states` reads that back from a
written deck's timing, and the exports and the browser viewer show the states computed here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum


@dataclass(frozen=True, order=True)
class Target:
    """A whole shape (`paragraph` None) or one paragraph of its text (0-based)."""

    shape_id: int
    paragraph: int | None = None


@dataclass(frozen=True)
class ClickGroup:
    """What one click shows and hides; `reveals_answer` when it shows a quiz's answer."""

    appear: tuple[Target, ...] = ()
    disappear: tuple[Target, ...] = ()
    reveals_answer: bool = False


@dataclass(frozen=True)
class SlideClicks:
    """A slide's click groups in order, and what shows before the first click."""

    groups: tuple[ClickGroup, ...] = ()
    # effects that run by themselves when the slide opens: shown in state 0 already
    on_open: ClickGroup = field(default_factory=ClickGroup)

    @property
    def count(self) -> int:
        """Give the number of clicks the slide takes (its states are 0 … count)."""
        return len(self.groups)

    def hidden_after(self, clicks: int) -> frozenset[Target]:
        """Give the targets not visible once `clicks` clicks are done (0: before the first)."""
        if not 0 <= clicks <= self.count:
            raise ValueError(f"the slide has states 0..{self.count}, not {clicks}")
        hidden = set(_first_entrances(self.groups, self.on_open))
        for group in (self.on_open, *self.groups[:clicks]):
            hidden.difference_update(group.appear)
            hidden.update(group.disappear)
        return frozenset(hidden)

    @property
    def handout_state(self) -> int:
        """Give the state a handout shows: the last one, or the one before a quiz's answer."""
        for index, group in enumerate(self.groups):
            if group.reveals_answer:
                return index
        return self.count


class StateChoice(StrEnum):
    """Which states of each slide an export shows."""

    every_click = "every-click"  # 0 … count, in order
    handout = "handout"  # one per slide: the final state, a quiz without its answer


def chosen_states(clicks: SlideClicks, choice: StateChoice) -> list[int]:
    """Give the states of a slide that an export with `choice` shows, in order."""
    if choice is StateChoice.every_click:
        return list(range(clicks.count + 1))
    return [clicks.handout_state]


def _first_entrances(groups: Iterable[ClickGroup], on_open: ClickGroup) -> list[Target]:
    """Give the targets whose first effect is an entrance: they start hidden."""
    seen: set[Target] = set()
    hidden: list[Target] = []
    for group in (on_open, *groups):
        for target in group.appear:
            if target not in seen:
                hidden.append(target)
        seen.update(group.appear)
        seen.update(group.disappear)
    return hidden
