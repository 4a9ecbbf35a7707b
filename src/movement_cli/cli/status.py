"""`movement status`: where the year stands."""

from __future__ import annotations

import typer

from movement_cli.cli.options import Json, Scope, YearOrCurrent
from movement_cli.cli.select import STATUS_NAMES
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_, Day, _


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
    out.table(["", _("{year}{scope}", year=document["year"],
                     scope=_(", scope {scope}", scope=document["scope"])
                     if document["scope"] else "")], _rows(document))


NEXT_STEPS = {
    "assess-basis": N_("record every unit's {basis_year} results: movement assess import FILE "
                       "--year {basis_year}"),
    "select": N_("select the {year} model units: movement select --year {year}"),
    "render-plan": N_("write the {year} plans: movement render-plan --year {year}"),
    "assess": N_("record every unit's {year} results: movement assess import FILE --year "
                 "{year}"),
    "recognize": N_("recognise the {year} model units: movement recognize --year {year} "
                    "--finalize"),
}


def next_step_sentence(document: dict) -> str:
    """What to do next, as a sentence: the step, its command, and by when."""
    step = document["next"]
    if step["step"] == "done":
        return _("The {year} cycle is complete: nothing is left to do.", year=document["year"])
    key = step["step"]
    if key == "assess" and step["due"] and int(step["due"][:4]) < document["year"]:
        key = "assess-basis"
    template = NEXT_STEPS.get(key)
    what = (_(template, year=document["year"], basis_year=document["results"]["basis_year"])
            if template else step["step"])
    if not step["due"]:
        sentence = _("Next: {what}.", what=what)
    elif step["overdue"]:
        sentence = _("Next: {what} (it was due by {due}: overdue).", what=what,
                     due=Day(step["due"]))
    else:
        sentence = _("Next: {what}, by {due}.", what=what, due=Day(step["due"]))
    missing = document["results"].get("selected_missing") or []
    if key == "recognize" and missing:
        # Recognition comes first in Q4, but what it is judged beside is not hidden.
        sentence += " " + _("The {year} results of {count} selected units are still missing "
                            "({codes}): movement assess import FILE --year {year}.",
                            year=document["year"], count=len(missing), codes=", ".join(missing))
    return sentence


def _rows(document: dict) -> list[list[str]]:
    from movement_cli.core.labels import kind_label

    results = document["results"]
    selection = document["selection"]
    recognitions = document["recognitions"]
    if selection is None:
        selected = _("none yet")
    else:
        selected = _("{status}: {units}", status=_(STATUS_NAMES.get(selection["status"],
                                                                    selection["status"])),
                     units=", ".join(selection["selected"]) or "—")
        if selection["decision"]:
            selected += _("; decision {decision}", decision=selection["decision"])
    return [
        [_("units"), ", ".join(f"{kind_label(kind)} {count}"
                               for kind, count in document["units"].items())],
        [_("results {year}", year=results["basis_year"]),
         _("{recorded} recorded, {missing} missing", recorded=results["recorded"],
           missing=len(results["missing"]))],
        [_("selection"), selected],
        *([[_("results {year}", year=document["year"]),
            _("missing for the selected units: {codes}",
              codes=", ".join(results["selected_missing"]))]]
          if results.get("selected_missing") else []),
        [_("documents"), str(len(document["documents"]))],
        [_("recognitions"), _("none yet") if recognitions is None else
         ", ".join(recognitions["recognized"]) or "—"],
        [_("next step"), next_step_sentence(document)],
    ]
