"""`movement select`: the Q1 eligibility and selection step."""

from __future__ import annotations

from typing import Annotated

import typer

from movement_cli.cli.options import Json, Scope, Year
from movement_cli.cli.output import Output
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_, _


def select(
    ctx: typer.Context,
    year: Year,
    scope: Scope = None,
    pick: Annotated[list[str] | None, typer.Option(
        "--pick", help="Select exactly these units (repeat the option).",
        show_default=False)] = None,
    override: Annotated[str | None, typer.Option(
        "--override", help="Reason for selecting picks the rules do not allow.",
        show_default=False)] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Compute and print; store nothing."
                                          )] = False,
    confirm: Annotated[bool, typer.Option(
        "--confirm", help="Confirm the selection (alone: the stored proposal).")] = False,
    decision: Annotated[str | None, typer.Option(
        "--decision", help="The plan's number, e.g. 593/KH-UBND.", show_default=False)] = None,
    replace: Annotated[bool, typer.Option(
        "--replace", help="Replace a confirmed selection (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="Why a confirmed selection is replaced.", show_default=False)] = None,
    json_: Json = False,
) -> None:
    """Decide eligibility, rank, and propose or record the year's model units.

    Example: movement select --year 2024 --pick 19798 --pick CQ002 --confirm --decision 593/KH-UBND
    """
    from movement_cli.clock import today
    from movement_cli.text import normalize
    from movement_cli.workflows.select import SelectRequest, run_select

    run = invocation(ctx)
    out = run.out
    if replace != bool(reason):
        raise typer.BadParameter(_("--replace and --reason TEXT go together: a confirmed "
                                   "selection changes only with the reason why"),
                                 param_hint="--replace/--reason")
    request = SelectRequest(
        year=year, scope=scope, picks=[normalize(p) for p in pick or []],
        override=normalize(override) if override else None, dry_run=dry_run, confirm=confirm,
        decision=normalize(decision) if decision else None, replace=replace,
        reason=normalize(reason) if reason else None)
    report = run_select(run.open_db(), request, today())
    for warning in report.warnings:
        out.warn(warning)
    document = report.document
    if json_:
        out.json(document)
    else:
        _print(out, document)
    if report.unmet_groups:
        raise typer.Exit(3)


def _print(out: Output, document: dict) -> None:
    scope = f", scope {document['scope']}" if document["scope"] else ""
    rows = []
    for group in document["groups"]:
        names = "; ".join(f"{u['name']} ({u['code']})" for u in group["selected"]) or "—"
        rows.append([group["name"], group["min"], "yes" if group["met"] else "NO", names])
    out.table(["group", "min", "met", "selected"], rows,
              title=f"Selection {document['year']} ({document['status']}{scope}; basis year "
                    f"{document['basis_year']}, policy {document['policy']})")
    out.info(N_("{eligible_count} eligible, {ineligible_count} not eligible; --json lists them "
                "with ranks and reasons", eligible_count=len(document['eligible']),
                ineligible_count=len(document['ineligible'])))
