"""`movement render-plan`: the city's plan, the units' plans, and the year-end documents."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import Json, Scope, Year, whole_number
from movement_cli.cli.state import date_option, invocation
from movement_cli.i18n import N_


def render_plan(
    ctx: typer.Context,
    year: Year,
    scope: Scope = None,
    doc: Annotated[str, typer.Option(
        "--doc", help="city-plan, unit-plan, recognition-decision or commendation-proposal."
    )] = "city-plan",
    unit: Annotated[str | None, typer.Option(
        "--unit", help="Only this unit's plan (with --doc unit-plan).", show_default=False)
    ] = None,
    fmt: Annotated[str, typer.Option("--format", help="docx (to edit and sign) or md.")
                   ] = "docx",
    out_dir: Annotated[Path, typer.Option(
        "--out", help="Folder for the files (default: the working folder).",
        show_default=False)] = Path("."),
    number: Annotated[int | None, typer.Option(
        "--number", help="The document's number (default: the confirmed decision's, else "
        "blank).", parser=whole_number(1), metavar="N", show_default=False)] = None,
    date_: Annotated[str | None, typer.Option(
        "--date", help="The document's date, ISO or dd/mm/yyyy (default: blank to fill).",
        show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Replace documents edited since movement wrote them.")] = False,
    json_: Json = False,
) -> None:
    """Render documents in the layout of Nghị định 30/2020/NĐ-CP from the year's selection.

    Example: movement render-plan --year 2024 --doc unit-plan --out plans/
    """
    from movement_cli.text import normalize
    from movement_cli.workflows.render import RenderRequest, render_plan

    day = date_option(date_, "--date")
    request = RenderRequest(year=year, scope=scope, doc=doc, unit=normalize(unit) if unit else None,
                            fmt=fmt, out_dir=out_dir.absolute(), number=number, day=day,
                            force=force)
    run = invocation(ctx)
    out = run.out
    with out.progress(N_("rendering"), unit=N_("documents")) as bar:
        # A bar only when there is more than a handful to render.
        progress = None if bar is None else (
            lambda done, total: bar(done, done / total) if total >= 5 else None)
        files = render_plan(run.open_db(), request, progress=progress, warn=out.warn)
    if json_:
        out.json({"files": [str(path) for path in files]})
    else:
        for path in files:
            out.info(N_("wrote {path}", path=path))
