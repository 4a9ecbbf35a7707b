"""The options several commands share, declared once so that their names, help and
behaviour agree everywhere they appear."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Annotated

import typer

from movement_cli.cli.state import invocation
from movement_cli.core.years import FIRST_YEAR, LAST_YEAR
from movement_cli.i18n import N_

# Digits as typed on any keyboard, ASCII only: Python's int() and float() would also take
# "２０２４" (full-width), "٢٠٢٤" or "1_000", which no official means as a number.
_WHOLE = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)")


def whole_number(low: int, high: int | None = None, example: int | None = None
                 ) -> Callable[[str], int]:
    """The parser of an integer option from ``low`` to ``high``: anything else is a usage
    error (exit 2) that says what to write (``example``: a number to show)."""
    shown = example or max(low, 1)

    def whole(value: str | int) -> int:
        if isinstance(value, int):
            return value
        if not _WHOLE.fullmatch(value.strip()):
            raise typer.BadParameter(N_("'{value}' is not a whole number: write it in digits, "
                                       "e.g. {example}", value=value, example=shown))
        try:
            number = int(value)
        except ValueError:  # more digits than Python turns into a number (4300)
            raise _too_large(value) from None
        return _within(number, low, high)
    return whole


def _too_large(value: str) -> typer.BadParameter:
    digits = sum(character.isdigit() for character in value)
    return typer.BadParameter(N_("a number of {count} digits is too large", count=digits))


def _within(number, low, high):
    if number < low or (high is not None and number > high):
        if high is None:
            raise typer.BadParameter(N_("{value} is below {low}", value=number, low=low))
        raise typer.BadParameter(N_("{value} is outside {low}–{high}", value=number, low=low,
                                   high=high))
    return number


def decimal_number(low: float) -> Callable[[str], float]:
    """The parser of a decimal option of at least ``low``."""
    def decimal(value: str | float) -> float:
        if isinstance(value, (int, float)):
            return float(value)
        if not _DECIMAL.fullmatch(value.strip()):
            raise typer.BadParameter(N_("'{value}' is not a number: write it in digits, e.g. "
                                       "2.5", value=value))
        number = float(value) + 0.0  # "-0" is 0, not a negative zero to print
        if not math.isfinite(number):  # more digits than a float holds: not "wait forever"
            raise _too_large(value)
        return _within(number, low, None)
    return decimal


# A year outside FIRST_YEAR..LAST_YEAR is a usage error (exit 2): a typo, never a plan.
parse_year = whole_number(FIRST_YEAR, LAST_YEAR, example=2024)


def _json_requested(ctx: typer.Context, value: bool) -> bool:
    # Remembered while the command line is parsed, before the command runs, so that an
    # error the command raises is answered as a JSON document too.
    if value:
        invocation(ctx).out.json_mode = True
    return value


Json = Annotated[bool, typer.Option(
    "--json", help="Print one JSON document (errors too, as {\"errors\": [...]}).",
    callback=_json_requested)]

Scope = Annotated[str | None, typer.Option(
    "--scope", help="Only units under this unit (its code), at any depth.",
    show_default=False)]

Sheet = Annotated[str | None, typer.Option(
    "--sheet", help="Spreadsheet sheet (default: the first).", show_default=False)]

# An import's dry run: every file read and checked, the counts printed, nothing stored.
CheckOnly = Annotated[bool, typer.Option("--dry-run", help="Check and count; write nothing.")]

Year = Annotated[int, typer.Option(
    "--year", help="The year: of the results, or of the selection.", parser=parse_year,
    metavar="YEAR")]

YearOrCurrent = Annotated[int | None, typer.Option(
    "--year", help="The year (default: the current year).", show_default=False,
    parser=parse_year, metavar="YEAR")]

AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The roster's date, ISO or dd/mm/yyyy (default: today).",
    show_default=False)]
