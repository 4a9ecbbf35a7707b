"""The rules of the unattended quarter-start run: which steps a quarter has, what a step's
outcome means for the exit code, and when the year's results are due.

Pure functions of plain data; the deadlines come from the classification criteria file
(``Classification.deadline_for``), never from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from movement_cli.core.calendar import quarter
from movement_cli.core.model import Classification
from movement_cli.i18n import N_, Day, joined

# The steps of each quarter, in the order they run.
QUARTER_STEPS: dict[int, tuple[str, ...]] = {
    1: ("select", "plan"),
    2: ("progress",),
    3: ("progress",),
    4: ("sheets", "results-due"),
}

DONE = "done"
ALREADY_DONE = "already_done"
NEEDS_ATTENTION = "needs_attention"
FAILED = "failed"
OUTCOMES = (DONE, ALREADY_DONE, NEEDS_ATTENTION, FAILED)

# How many unit codes a message names before it only counts the rest.
CODES_NAMED = 10


def steps_on(day: date) -> tuple[int, tuple[str, ...]]:
    """The quarter ``day`` falls in and its steps. Any day of a quarter does that quarter's
    steps, so a machine that was off on the first day catches up."""
    number = quarter(day)
    return number, QUARTER_STEPS[number]


def exit_code(outcomes: Iterable[str], *, lock_timeout: bool = False) -> int:
    """75 when the lock was not had in time, else 1 when a step failed, else 3 when one
    needs a person, else 0 (every step done or already done)."""
    seen = set(outcomes)
    if lock_timeout:
        return 75
    if FAILED in seen:
        return 1
    if NEEDS_ATTENTION in seen:
        return 3
    return 0


@dataclass(frozen=True)
class ResultsDue:
    """Units of the kinds due on ``deadline`` that have no result for the year yet."""

    deadline: date
    kinds: tuple[str, ...]
    codes: tuple[str, ...]

    def overdue(self, today: date) -> bool:
        return today > self.deadline


def results_due(missing: Iterable[tuple[str, str]], year: int,
                classification: Classification) -> list[ResultsDue]:
    """``missing`` (code, kind) pairs grouped by the day their year-``year`` result is due
    under the classification file, earliest deadline first, codes sorted."""
    by_deadline: dict[date, tuple[set[str], list[str]]] = {}
    for code, kind in missing:
        deadline = classification.deadline_for(kind).in_year(year)
        kinds, codes = by_deadline.setdefault(deadline, (set(), []))
        kinds.add(kind)
        codes.append(code)
    return [ResultsDue(deadline, tuple(sorted(kinds)), tuple(sorted(codes)))
            for deadline, (kinds, codes) in sorted(by_deadline.items())]


def results_due_message(year: int, due: list[ResultsDue], today: date) -> str:
    """One line for the log: per deadline, how many units still lack the year's result and
    the first few codes."""
    if not due:
        return N_("every unit has its {year} result", year=year)
    parts = []
    for group in due:
        named = ", ".join(group.codes[:CODES_NAMED])
        more = len(group.codes) - CODES_NAMED
        if more > 0:
            named = N_("{codes} and {count} more", codes=named, count=more)
        values = {"count": len(group.codes), "kinds": "/".join(group.kinds),
                  "deadline": Day(group.deadline.isoformat()), "codes": named}
        parts.append(N_("{count} unit(s) of {kinds} due {deadline} (overdue): {codes}",
                        **values) if group.overdue(today) else
                     N_("{count} unit(s) of {kinds} due {deadline}: {codes}", **values))
    return N_("{year} results missing: {parts}", year=year, parts=joined(parts))
