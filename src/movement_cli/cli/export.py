"""`movement export`: a table out as CSV (Excel), XLSX or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import AsOf, Json, Scope, parse_year
from movement_cli.cli.state import date_option, invocation
from movement_cli.i18n import N_


def export(
    ctx: typer.Context,
    table: Annotated[str, typer.Argument(
        help="units, results, selections, recognitions or audit.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
    year: Annotated[int | None, typer.Option(
        "--year", help="Only this year (results, selections, recognitions, audit).",
        show_default=False, parser=parse_year, metavar="YEAR")] = None,
    scope: Scope = None,
    as_of: AsOf = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="The file to write (its folder is created); default: standard output.",
        show_default=False)] = None,
    json_: Json = False,
) -> None:
    """Write a table as CSV (UTF-8 with BOM, for Excel), XLSX or JSON.

    The units and results files have the columns the importers read: export, edit in
    Excel, import back. Cells that look like formulas are written as text. --scope with
    results needs --year; --json says where the file went, so it needs --out.

    Example: movement export units --format xlsx --out exports/units.xlsx
    """
    import sys

    from movement_cli.clock import today
    from movement_cli.text import normalize
    from movement_cli.workflows.export import ExportRequest, export_table

    if json_ and out_file is None:
        raise typer.BadParameter(N_("--json reports the file written: give --out FILE"),
                                 param_hint="--json")
    request = ExportRequest(table=table, fmt=fmt, year=year,
                            scope=normalize(scope) if scope else None,
                            as_of=date_option(as_of, "--as-of"), out=out_file)
    stdout = None if out_file else sys.stdout.buffer
    if stdout is not None:
        sys.stdout.flush()
    run = invocation(ctx)
    out = run.out
    written = export_table(run.open_db(), request, today(), stdout)
    if stdout is not None:
        stdout.flush()
    if written is None:
        return
    if json_:
        out.json({"file": str(written), "table": table, "format": fmt})
    else:
        out.info(N_("wrote {written}", written=written))
