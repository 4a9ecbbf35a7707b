"""`movement export`: a table out as CSV (Excel), XLSX or JSON."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.output import out
from movement_cli.cli.state import date_option, open_db


def export(
    table: Annotated[str, typer.Argument(
        help="units, results, selections, recognitions or audit.", show_default=False)],
    fmt: Annotated[str, typer.Option("--format", help="csv, xlsx or json.")] = "csv",
    year: Annotated[int | None, typer.Option(
        "--year", help="Only this year (results, selections, recognitions, audit).",
        show_default=False)] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="Only units under this unit (results need --year with it).",
        show_default=False)] = None,
    as_of: Annotated[str | None, typer.Option(
        "--as-of", help="The day the units are taken on (default: today).",
        show_default=False)] = None,
    out_file: Annotated[Path | None, typer.Option(
        "--out", help="The file to write (its folder is created); default: standard output.",
        show_default=False)] = None,
    json_: Annotated[bool, typer.Option(
        "--json", help="Print one JSON document saying where the file went (needs --out)."
    )] = False,
) -> None:
    """Write a table as CSV (UTF-8 with BOM, for Excel), XLSX or JSON.

    The units and results files have the columns the importers read: export, edit in
    Excel, import back. Cells that look like formulas are written as text.

    Example: movement export units --format xlsx --out exports/units.xlsx
    """
    import sys

    from movement_cli.clock import today
    from movement_cli.text import normalize
    from movement_cli.workflows.export import ExportRequest, export_table

    if json_ and out_file is None:
        raise typer.BadParameter("--json reports the file written: give --out FILE",
                                 param_hint="--json")
    request = ExportRequest(table=table, fmt=fmt, year=year,
                            scope=normalize(scope) if scope else None,
                            as_of=date_option(as_of, "--as-of"), out=out_file)
    stdout = None if out_file else sys.stdout.buffer
    if stdout is not None:
        sys.stdout.flush()
    written = export_table(open_db(), request, today(), stdout)
    if stdout is not None:
        stdout.flush()
    if written is None:
        return
    if json_:
        out.json({"file": str(written), "table": table, "format": fmt})
    else:
        out.info(f"wrote {written}")
