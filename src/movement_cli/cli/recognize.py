"""`movement recognize`: the year-end recognition of the selected units — sheets out,
answers in, the report, finalising and reopening."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import CheckOnly, Json, Scope, Year, parse_year
from movement_cli.cli.output import Output
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_, _

app = typer.Typer(invoke_without_command=True)


@app.callback()
def recognize(
    ctx: typer.Context,
    year: Annotated[int | None, typer.Option(
        "--year", help="The year to report, finalise or reopen.", show_default=False,
        parser=parse_year, metavar="YEAR")] = None,
    scope: Scope = None,
    finalize: Annotated[bool, typer.Option(
        "--finalize", help="Store each unit's outcome and commendation proposal.")] = False,
    reopen: Annotated[bool, typer.Option(
        "--reopen", help="Return a finalised year to answers-open (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why a finalised year is reopened.", show_default=False)] = None,
    json_: Json = False,
) -> None:
    """Year end: judge each selected unit against its model-unit criteria set, recognise
    those that pass and propose their commendation.

    Without a command: report each unit's criteria met, failed and missing (exit 3 while
    answers are missing); --finalize stores the outcomes and proposals.

    Example: movement recognize --year 2024 --finalize
    """
    if ctx.invoked_subcommand is not None:
        if year is not None or finalize or reopen or json_:
            raise typer.BadParameter(
                N_("give the options after '{invoked_subcommand}'",
                  invoked_subcommand=ctx.invoked_subcommand), param_hint="--year")
        return
    from movement_cli.text import normalize
    from movement_cli.workflows import recognize as flow

    run = invocation(ctx)
    out = run.out
    if year is None:
        raise typer.BadParameter(N_("the year to recognise is needed, e.g. --year 2024"),
                                 param_hint="--year")
    if reopen != bool(reason):
        raise typer.BadParameter(N_("--reopen and --reason TEXT go together: a finalised year "
                                   "reopens only with the reason why"),
                                 param_hint="--reopen/--reason")
    if finalize and reopen:
        raise typer.BadParameter(N_("--finalize and --reopen exclude each other"),
                                 param_hint="--finalize/--reopen")
    db = run.open_db()
    if finalize:
        result = flow.finalize(db, year, scope)
    elif reopen:
        result = flow.reopen(db, year, scope, normalize(reason))
    else:
        result = flow.report(db, year, scope)
    for warning in result.warnings:
        out.warn(warning)
    if json_:
        out.json(result.document)
    else:
        _print(out, result.document)
    if result.message:
        out.info(result.message)
    if result.missing_answers:
        missing = [u["code"] for u in result.document["units"] if u["missing"]]
        out.warn(N_("answers missing for {value}: fill the sheets (movement recognize sheet "
                    "--year {year}) and import them", value=', '.join(missing), year=year))
        raise typer.Exit(3)


def _print(out: Output, document: dict) -> None:
    rows = []
    for unit in document["units"]:
        proposal = unit["commendation"]["label"] if unit["commendation"] else ""
        rows.append([unit["code"], unit["name"], unit["criteria_set"] or "—",
                     f"{unit['met']}/{unit['total']}", ", ".join(unit["failed"]),
                     len(unit["missing"]) or "", _("yes") if unit["recognized"] else _("no"),
                     proposal])
    state = N_("finalised") if document["finalized"] else N_("answers open")
    scope = N_(", scope {scope}", scope=document["scope"]) if document["scope"] else ""
    out.table([N_("code"), N_("name"), N_("criteria set"), N_("met"), N_("failed"), N_("missing"),
               N_("recognised"), N_("proposed commendation")], rows,
              title=N_("Recognition {year} ({state}{scope})", year=document['year'], state=state,
                       scope=scope))


@app.command("sheet")
def sheet(
    ctx: typer.Context,
    year: Year,
    scope: Scope = None,
    out_dir: Annotated[Path, typer.Option(
        "--out", help="Folder for the sheets (created when missing).")] = Path("."),
    force: Annotated[bool, typer.Option(
        "--force", help="Write over sheets that hold answers not imported yet.")] = False,
    json_: Json = False,
) -> None:
    """Write one .xlsx sheet per selected unit: a row per criterion, Đạt / Không đạt on met.

    Example: movement recognize sheet --year 2024 --out sheets/
    """
    from movement_cli.workflows.recognize import write_sheets

    run = invocation(ctx)
    out = run.out
    db = run.open_db()
    with out.progress(N_("writing sheets"), unit=N_("sheets")) as progress:
        files = write_sheets(db, year, scope, out_dir, force=force, progress=progress)
    if json_:
        out.json({"files": [str(f) for f in files]})
    else:
        for path in files:
            out.info(N_("wrote {path}", path=path))


@app.command("import")
def import_(
    ctx: typer.Context,
    files: Annotated[list[str], typer.Argument(
        help="Filled sheets (.xlsx), or .csv/.json/.yaml with code, criterion, met, note.")],
    year: Year,
    dry_run: CheckOnly = False,
    json_: Json = False,
) -> None:
    """Import the answers; an empty met keeps the stored answer. All files or nothing.

    Example: movement recognize import 2024-recognition-*.xlsx --year 2024
    """
    from movement_cli.workflows.import_answers import import_answers

    run = invocation(ctx)
    out = run.out
    summary = import_answers(run.open_db, [Path(f) for f in files], year, dry_run=dry_run)
    if json_:
        out.json(summary.as_json())
    else:
        template = (N_("would import {files_count} file(s): {added} added, {updated} updated, "
                       "{unchanged} unchanged") if dry_run else
                    N_("imported {files_count} file(s): {added} added, {updated} updated, "
                       "{unchanged} unchanged"))
        out.info(N_(template.template, files_count=len(files), added=summary.added,
                    updated=summary.updated, unchanged=summary.unchanged))
