"""`movement units`: import, list and show the roster."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import AsOf, CheckOnly, Json, Scope, Sheet
from movement_cli.cli.output import widened
from movement_cli.cli.state import date_option, invocation
from movement_cli.i18n import N_, message_of

app = typer.Typer(help="Keep the roster of units: communes, wards, agencies, enterprises, "
                  "schools.", no_args_is_help=True)

def _day(text: str | None) -> date:
    from movement_cli.clock import today

    return date_option(text, "--as-of") or today()


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Roster: .csv, .xlsx, .xls, .json or .yaml.")],
    as_of: AsOf = None,
    sheet: Sheet = None,
    dry_run: CheckOnly = False,
    json_: Json = False,
) -> None:
    """Import a roster; new names, kinds, parents or subtypes start dated versions.

    Example: movement units import hue-2024-communes.csv --as-of 2021-07-01
    """
    from movement_cli.workflows.import_units import import_units

    run = invocation(ctx)
    day = _day(as_of)
    db = run.open_db()
    with run.out.progress(N_("importing {name}", name=file.name)) as progress:
        report = import_units(db, file, as_of=day, sheet=sheet, dry_run=dry_run,
                              progress=progress)
    run.out.imported(file, report, dry_run=dry_run)


@app.command("list")
def list_(
    ctx: typer.Context,
    kind: Annotated[str | None, typer.Option("--kind", help="Only this kind (e.g. phuong).",
                                                show_default=False)] = None,
    scope: Scope = None,
    as_of: AsOf = None,
    json_: Json = False,
) -> None:
    """List the units active on a date, in Vietnamese alphabetical order.

    Example: movement units list --kind phuong --as-of 2024-06-30
    """
    from movement_cli.core.kinds import parse_kind
    from movement_cli.errors import MovementError, UsageProblem
    from movement_cli.store import units as store
    from movement_cli.text import normalize

    run = invocation(ctx)
    out = run.out
    day = _day(as_of).isoformat()
    kinds = None
    if kind:
        try:
            kinds = [parse_kind(normalize(kind))]
        except ValueError as exc:
            raise UsageProblem(N_("--kind: {exc}", exc=message_of(exc))) from None
    db = run.open_db()
    if scope is not None:
        scope = normalize(scope)
        if store.unit_on(db.conn, scope, day) is None:
            raise MovementError(N_("--scope: no unit with code '{scope}' is active on {day}",
                                   scope=scope, day=day))
    # Sorted by SQLite and read as they come: a national roster is never held in memory.
    rows = store.listed_units(db.conn, day, kinds=kinds, scope=scope)
    if json_:
        out.json(dict(zip(store.LISTED_FIELDS, row, strict=True)) for row in rows)
        return
    kind_names, subtype_names = _names()
    labelled = ((code, name, kind_names.get(kind, kind), parent,
                 subtype_names.get(subtype, subtype), active_from, active_to)
                for code, name, kind, parent, subtype, active_from, active_to in rows)

    out.table([N_("code"), N_("name"), N_("kind"), N_("parent"), N_("subtype"), N_("from"),
               N_("to")], labelled,
              title=lambda count: N_("{count} units active on {day}", count=count, day=day),
              widths=lambda: widened(store.listed_widths(db.conn, day, kinds=kinds, scope=scope),
                                     {2: kind_names, 4: subtype_names}))


def _names() -> tuple[dict[str, str], dict[str, str]]:
    """The human names of kinds and subtypes in the run's language, looked up once."""
    from movement_cli.core.kinds import KIND_LABELS, SUBTYPES
    from movement_cli.core.labels import kind_label, subtype_label

    return ({code: kind_label(code) for code in KIND_LABELS},
            {code: subtype_label(code) for code in SUBTYPES})


@app.command("show")
def show(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The unit's code.")],
    json_: Json = False,
) -> None:
    """Show every dated version of a unit, oldest first, and the units it was made from or
    became part of in a reorganisation.

    Example: movement units show 19753
    """
    from movement_cli.errors import MovementError
    from movement_cli.store import lineage as lineage_store
    from movement_cli.store import units as store
    from movement_cli.text import normalize

    run = invocation(ctx)
    out = run.out
    code = normalize(code)
    db = run.open_db()
    versions = [{k: row[k] for k in ("name", "kind", "parent_code", "subtype", "active_from",
                                     "active_to")} for row in store.unit_versions(db.conn, code)]
    if not versions:
        raise MovementError(N_("no unit with code '{code}'", code=code))
    lineage = {side: [{k: row[k] for k in ("code", "name", "date")} for row in rows]
               for side, rows in (("predecessors", lineage_store.predecessors(db.conn, code)),
                                  ("successors", lineage_store.successors(db.conn, code)))}
    if json_:
        out.json({"code": code, "versions": versions, **lineage})
        return
    kind_names, subtype_names = _names()
    out.table([N_("name"), N_("kind"), N_("parent"), N_("subtype"), N_("from"), N_("to")],
              ([v["name"], kind_names.get(v["kind"], v["kind"]), v["parent_code"],
                subtype_names.get(v["subtype"], v["subtype"]), v["active_from"], v["active_to"]]
               for v in versions), title=N_("unit {code}", code=code))
    for side, title in (("predecessors", N_("predecessors: became part of this unit")),
                        ("successors", N_("successors: this unit became part of"))):
        if lineage[side]:
            out.table([N_("code"), N_("name"), N_("date")],
                      ([link["code"], link["name"], link["date"]] for link in lineage[side]),
                      title=title)


@app.command("merge-map")
def merge_map(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(
        help="Map: columns old_code, new_code, optional note (or the crosswalk's code_2024, "
             "code_2025); .csv, .xlsx, .xls, .json or .yaml.")],
    on: Annotated[str, typer.Option(
        "--date", help="The first day of the new units, ISO or dd/mm/yyyy.",
        show_default=False)],
    sheet: Sheet = None,
    dry_run: CheckOnly = False,
    json_: Json = False,
) -> None:
    """Record a reorganisation: which units became part of which on DATE. Old units that
    no row continues under their own code end the day before; units under an old unit that
    went wholly into one new unit move under it. Import the new roster first.

    Example: movement units merge-map hue-2024-to-2025-crosswalk.csv --date 2025-07-01
    """
    from movement_cli.workflows.merge_map import run_merge_map

    run = invocation(ctx)
    out = run.out
    day = date_option(on, "--date")
    db = run.open_db()
    report = run_merge_map(db, file, on=day, sheet=sheet, dry_run=dry_run)
    for warning in report.warnings:
        out.warn(warning)
    if json_:
        out.json(report.as_json())
    else:
        template = (N_("would record {file}: {links} links, {closed} units closed, "
                       "{reparented} units moved to a new parent, {unchanged} links unchanged")
                    if dry_run else
                    N_("recorded {file}: {links} links, {closed} units closed, {reparented} "
                       "units moved to a new parent, {unchanged} links unchanged"))
        out.info(N_(template.template, file=file, links=report.links, closed=report.closed,
                    reparented=report.reparented, unchanged=report.unchanged))
