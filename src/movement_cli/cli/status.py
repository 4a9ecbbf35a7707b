"""`movement status`: where the year stands."""

from __future__ import annotations

from typing import Annotated

import typer

from movement_cli.cli.output import out
from movement_cli.cli.state import open_db


def status(
    year: Annotated[int | None, typer.Option(
        "--year", help="The year (default: the current year).", show_default=False)] = None,
    scope: Annotated[str | None, typer.Option(
        "--scope", help="Only units under this unit.", show_default=False)] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
) -> None:
    """Show where the year stands: units, results, selection, documents, next step.

    Example: movement status --year 2024 --json
    """
    from movement_cli.clock import today
    from movement_cli.workflows.status import year_status

    day = today()
    document = year_status(open_db(), year or day.year, scope, day)
    if json_:
        out.json(document)
        return
    results = document["results"]
    selection = document["selection"]
    rows = [
        ["units", ", ".join(f"{kind} {count}" for kind, count in document["units"].items())],
        [f"results {results['basis_year']}",
         f"{results['recorded']} recorded, {len(results['missing'])} missing"],
        ["selection", "none" if selection is None else
         f"{selection['status']}: {', '.join(selection['selected']) or '—'}"
         + (f" ({selection['decision']})" if selection["decision"] else "")],
        ["documents", str(len(document["documents"]))],
        ["recognitions", "none" if document["recognitions"] is None else
         ", ".join(document["recognitions"]["recognized"]) or "—"],
        ["next", f"{document['next']['step']}"
         + (f" by {document['next']['due']}" if document["next"]["due"] else "")
         + (" (overdue)" if document["next"].get("overdue") else "")],
    ]
    scope_text = f", scope {document['scope']}" if document["scope"] else ""
    out.table(["", f"{document['year']}{scope_text}"], rows)
