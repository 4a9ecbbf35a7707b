"""`movement status`: where the year stands."""

from __future__ import annotations

import typer

from movement_cli.cli.options import Json, Scope, YearOrCurrent
from movement_cli.cli.state import invocation


def status(
    ctx: typer.Context,
    year: YearOrCurrent = None,
    scope: Scope = None,
    json_: Json = False,
) -> None:
    """Show where the year stands: units, results, selection, documents, next step.

    Example: movement status --year 2024 --json
    """
    from movement_cli.clock import today
    from movement_cli.workflows.status import year_status

    run = invocation(ctx)
    out = run.out
    day = today()
    document = year_status(run.open_db(), year or day.year, scope, day)
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
