"""`movement demo`: see the whole job on Huế's 2024 data in one command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.state import invocation
from movement_cli.i18n import N_


def demo(ctx: typer.Context, out_dir: Annotated[Path, typer.Option(
        "--out", help="An empty or new folder for the demo's database and documents.")
        ] = Path("movement-demo")) -> None:
    """Build a database from the bundled Huế sample, select 2024's model units as Huế did,
    render the plans, then show the year's end with an illustrative criteria set: the
    recognition sheets, the finalised recognition, the Quyết định and the Tờ trình.

    Example: movement demo --out /tmp/hue-demo
    """
    from movement_cli.core.labels import group_label
    from movement_cli.workflows.demo import run_demo

    run = invocation(ctx)
    out = run.out
    report = run_demo(out_dir, run.actor())
    out.info(N_("database: {database}  (2023 results are illustrative, not Huế's real ones)",
                database=report.database))
    for group in report.selection["groups"]:
        names = ", ".join(f"{u['name']} ({u['code']})" for u in group["selected"]) or "—"
        out.info(N_("  {name}: {names}", name=group_label(group["name"], group.get("label")),
                    names=names))
    for warning in report.warnings:
        out.warn(N_("{warning} — as in Huế's real 2024 plan, which picked no xã", warning=warning))
    if report.recognition is not None:
        recognized = [u["name"] for u in report.recognition["units"] if u["recognized"]]
        out.info(N_("year end (illustrative criteria set, not the Ministry's list): recognised "
                    "{value}", value=', '.join(recognized) or N_('none')))
    for path in report.files:
        out.info(N_("wrote {path}", path=path))
    out.info(N_("next: movement --db {database} status --year 2024", database=report.database))
