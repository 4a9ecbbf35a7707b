"""`movement select`: the Q1 eligibility and selection step."""

from __future__ import annotations

from typing import Annotated

import typer

from movement_cli.cli.options import Json, Scope, Year
from movement_cli.cli.output import Output
from movement_cli.cli.state import invocation
from movement_cli.core.labels import SELECTION_STATUS_NAMES
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
    all_: Annotated[bool, typer.Option(
        "--all", help="Also list every unit that is not eligible, with its reasons.")] = False,
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
        raise typer.BadParameter(N_("--replace and --reason TEXT go together: a confirmed "
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
        _print(out, document, all_)
    if report.unmet_groups:
        raise typer.Exit(3)


STATUS_NAMES = {**SELECTION_STATUS_NAMES, "dry_run": N_("dry run, nothing stored")}


def _print(out: Output, document: dict, list_ineligible: bool) -> None:
    """The selection as an official reads it: each group's eligible units in rank order with
    class, score and the chosen mark; the groups' minimums; the units not eligible counted
    by reason (listed with --all)."""
    from collections import Counter

    from movement_cli.core.labels import class_label, group_label, kind_label, reason_label

    groups = {group["name"]: group for group in document["groups"]}
    chosen = {unit["code"] for group in document["groups"] for unit in group["selected"]}
    decision = (_("; decision {decision}", decision=document["decision"])
                if document.get("decision") else "")
    scope = _("; scope {scope}", scope=document["scope"]) if document["scope"] else ""
    title = _("Selection {year}: {status}{decision}{scope} (basis year {basis_year}, policy "
              "{policy})", year=document["year"], status=_(STATUS_NAMES[document["status"]]),
              decision=decision, scope=scope, basis_year=document["basis_year"],
              policy=document["policy"])

    def label_of(name: str) -> str:
        return group_label(name, groups.get(name, {}).get("label"))

    out.table([N_("group"), N_("rank"), N_("code"), N_("name"), N_("class"), N_("score"),
               N_("selected")],
              ([label_of(unit["group"]), unit["rank"], unit["code"], unit["name"],
                class_label(unit["class"]), "" if unit["score"] is None else f"{unit['score']:g}",
                "✓" if unit["code"] in chosen else ""] for unit in document["eligible"]),
              title=title)
    out.table([N_("group"), N_("minimum"), N_("met"), N_("selected")],
              ([label_of(name), group["min"], _("yes") if group["met"] else _("NO"),
                "; ".join(f"{u['name']} ({u['code']})" for u in group["selected"]) or "—"]
               for name, group in groups.items()))
    reasons: Counter[str] = Counter()
    units = []
    for unit in document["ineligible"]:
        reasons.update(unit["reasons"])
        if list_ineligible:
            units.append([unit["code"], unit["name"], kind_label(unit["kind"]),
                          "; ".join(reason_label(r) for r in unit["reasons"])])
    if list_ineligible and units:
        out.table([N_("code"), N_("name"), N_("kind"), N_("reasons")], units,
                  title=_("Not eligible"))
    count = len(document["ineligible"])
    summary = ", ".join(f"{reason_label(reason)}: {n}" for reason, n in reasons.most_common())
    if count and not list_ineligible:
        out.info(_("{eligible} eligible; {count} not eligible ({reasons}); --all lists them",
                   eligible=len(document["eligible"]), count=count, reasons=summary))
    else:
        out.info(_("{eligible} eligible; {count} not eligible", eligible=len(document["eligible"]),
                   count=count))
