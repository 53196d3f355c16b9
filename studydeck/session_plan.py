"""The session plan: minutes per chapter and a clock from a start time."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from studydeck.errors import Problem
from studydeck.project.loading import Project
from studydeck.schema.models import clock_time


@dataclass(frozen=True)
class PlanRow:
    """One chapter in the run sheet."""

    chapter_id: str
    title: str
    slides: int
    minutes: float
    starts: dt.datetime
    ends: dt.datetime


@dataclass(frozen=True)
class RunSheet:
    rows: list[PlanRow]
    total_minutes: float
    session_minutes: int | None
    warnings: list[Problem]

    @property
    def over_by(self) -> float:
        """Give how many minutes the chapters run past the session (0 when they fit)."""
        if self.session_minutes is None:
            return 0.0
        return max(0.0, self.total_minutes - self.session_minutes)


def parse_start(text: str) -> dt.datetime:
    """Give today's date at the clock time `HH:MM`; raises ValueError for anything else."""
    return dt.datetime.combine(dt.date.today(), clock_time(text))


def chapter_schedule(project: Project) -> dict[str, str]:
    """Give each chapter's clock times ("19:00–19:10"), when deck.yaml sets session.start."""
    session = project.deck.session
    if session is None or session.start is None:
        return {}
    sheet = run_sheet(project, parse_start(session.start))
    return {row.chapter_id: f"{row.starts:%H:%M}–{row.ends:%H:%M}" for row in sheet.rows}


def run_sheet(project: Project, start: dt.datetime,
              slide_counts: Mapping[str, int] | None = None) -> RunSheet:
    """Give the run sheet of the whole deck from `start`; `slide_counts`: the slides a build
    writes for each chapter (its section slide, continuations and step slides included), else
    the slides its file lists."""
    rows: list[PlanRow] = []
    warnings: list[Problem] = []
    clock = start
    for item in project.chapters:
        chapter = item.chapter
        ends = clock + dt.timedelta(minutes=chapter.minutes)
        count = (slide_counts or {}).get(chapter.id, len(chapter.slides))
        rows.append(PlanRow(chapter.id, chapter.title, count, chapter.minutes, clock, ends))
        planned = sum(slide.minutes or 0 for slide in chapter.slides)
        if planned > chapter.minutes:
            warnings.append(Problem(item.path, *item.source.position(("minutes",)),
                                    f"the slides' minutes add up to {planned:g}, more than the "
                                    f"chapter's {chapter.minutes:g}", severity="warning"))
        clock = ends
    total = sum(row.minutes for row in rows)
    session = project.deck.session
    session_minutes = session.minutes if session else None
    if session_minutes is not None and total > session_minutes:
        warnings.append(Problem(project.paths.deck_file, 1, 1,
                                f"the chapters take {total:g} minutes, more than the session's "
                                f"{session_minutes}", "shorten a chapter or raise session.minutes",
                                severity="warning"))
    return RunSheet(rows, total, session_minutes, warnings)
