"""The options several commands share, declared once so that their names, help and
behaviour agree everywhere they appear."""

from __future__ import annotations

from typing import Annotated

import typer

from movement_cli.cli.state import invocation
from movement_cli.core.calendar import FIRST_YEAR, LAST_YEAR


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

# A year outside FIRST_YEAR..LAST_YEAR is a usage error (exit 2): a typo, never a plan.
Year = Annotated[int, typer.Option(
    "--year", help="The year: of the results, or of the selection.", min=FIRST_YEAR,
    max=LAST_YEAR)]

YearOrCurrent = Annotated[int | None, typer.Option(
    "--year", help="The year (default: the current year).", show_default=False,
    min=FIRST_YEAR, max=LAST_YEAR)]

AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="The roster's date, ISO or dd/mm/yyyy (default: today).",
    show_default=False)]
