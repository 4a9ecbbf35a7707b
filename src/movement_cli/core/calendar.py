"""The yearly cycle's dates: quarters, the selection window, the reference dates a year's
units are taken on, evaluation windows and deadlines, and what ``status`` says comes next."""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass
from datetime import date

from movement_cli.core.model import Classification, MonthDay
from movement_cli.core.years import FIRST_YEAR, LAST_YEAR

SELECTION_MONTHS: tuple[int, ...] = (1, 2, 3)
# Results of year Y are due by 30/11 (communes, agencies, enterprises, schools); recognition
# of the year's model units happens at its end. The classification file states both; these
# stand in only for a locality's classification file that does not say when recognition is.
RESULTS_DUE = MonthDay(11, 30)
RECOGNITION_DUE = MonthDay(12, 31)


def date_in_range(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR


def quarter(day: date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def year_end_begins(year: int) -> date:
    """The first day of Q4 of Y: from then on the year's work is its recognition."""
    return date(year, 10, 1)


def in_selection_window(day: date, year: int, months: tuple[int, ...] = SELECTION_MONTHS) -> bool:
    """Whether ``day`` falls where the selection for ``year`` normally happens (Q1 of Y)."""
    return day.year == year and day.month in months


def selection_due(year: int, months: tuple[int, ...] = SELECTION_MONTHS) -> date:
    """The last day of the selection window: 31 March by default."""
    last = max(months)
    return date(year, last, _calendar.monthrange(year, last)[1])


def selection_active_on(year: int) -> date:
    """Selection for year Y looks at the units as they stood on 1 January of Y."""
    return date(year, 1, 1)


def assessment_active_on(year: int) -> date:
    """Results of year Y are recorded against the units active on 15 November of Y."""
    return date(year, 11, 15)


def result_day(year: int) -> str:
    """``assessment_active_on`` as an ISO date, the form the store compares."""
    return assessment_active_on(year).isoformat()


def evaluation_window(kind: str, year: int, classification: Classification) -> tuple[date, date]:
    """The first and last day year Y's result covers for a unit of ``kind``."""
    return classification.window_for(kind).dates(year)


def classification_deadline(kind: str, year: int, classification: Classification) -> date:
    """The day by which year Y's class of a unit of ``kind`` is due."""
    return classification.deadline_for(kind).in_year(year)


@dataclass(frozen=True, slots=True)
class YearState:
    """Where a year stands, as ``status`` gathers it from the database.

    ``basis_results_recorded``: results recorded for the basis year (Y-1);
    ``selection``: None, ``proposed`` or ``confirmed``; ``plan_rendered``: the city plan for
    Y exists; ``year_results_missing``: selected units with no result for Y;
    ``recognition_finalized``: ``recognize --finalize`` ran for Y.
    """

    year: int
    basis_results_recorded: int = 0
    selection: str | None = None
    plan_rendered: bool = False
    year_results_missing: int = 0
    recognition_finalized: bool = False


@dataclass(frozen=True, slots=True)
class NextStep:
    """``step`` is a command name (``assess``, ``select``, ``render-plan``, ``recognize``)
    or ``done``; ``due`` is None for ``done``."""

    step: str
    due: date | None
    overdue: bool = False

    def as_json(self) -> dict:
        return {
            "step": self.step,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
        }


def next_step(
    today: date, state: YearState, selection_months: tuple[int, ...] = SELECTION_MONTHS,
    recognition_due: MonthDay = RECOGNITION_DUE,
) -> NextStep:
    """The next step of year Y's cycle and its due date, in the cycle's order: last year's
    results, selection (31/03), the city plan, this year's results (30/11), recognition
    (``recognition_due``, the classification file's year end).

    From Q4 of Y on, a confirmed selection not yet recognised makes recognition the next
    step whatever else is outstanding: that is the quarter's work (``cron`` writes the
    sheets then), and a plan or results still missing are shown beside it, not instead."""
    year = state.year
    if state.selection is None and state.basis_results_recorded == 0:
        step, due = "assess", RESULTS_DUE.in_year(year - 1)
    elif state.selection != "confirmed":
        step, due = "select", selection_due(year, selection_months)
    elif not state.recognition_finalized and today >= year_end_begins(year):
        step, due = "recognize", recognition_due.in_year(year)
    elif not state.plan_rendered:
        step, due = "render-plan", selection_due(year, selection_months)
    elif state.year_results_missing:
        step, due = "assess", RESULTS_DUE.in_year(year)
    elif not state.recognition_finalized:
        step, due = "recognize", recognition_due.in_year(year)
    else:
        return NextStep("done", None)
    return NextStep(step, due, today > due)
