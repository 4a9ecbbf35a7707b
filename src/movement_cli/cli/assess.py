"""`movement assess`: record each unit's yearly results (ANTT standard, class, score)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import CheckOnly, Json, Scope, Sheet, Year, parse_year
from movement_cli.cli.output import widened
from movement_cli.cli.state import invocation
from movement_cli.i18n import N_

# What `assess set` did, as the message says it (JSON keeps the code).
OUTCOMES = {"added": N_("added"), "updated": N_("updated"), "unchanged": N_("unchanged")}

app = typer.Typer(
    help="Record yearly results: the ANTT standard met or not, the movement class and score.",
    no_args_is_help=True,
)


def _classification(db):
    from movement_cli.criteria import load_classification
    from movement_cli.workflows.locality import criteria_dirs

    return load_classification(criteria_dirs(db, None))


@app.command("import")
def import_(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="Results: .csv, .xlsx, .xls, .json or .yaml with code (or name), year, safety, "
            "class, score, decision, note."
        ),
    ],
    year: Annotated[
        int | None,
        typer.Option(
            "--year",
            help="The year of every row (fills an empty or missing year column).",
            show_default=False, parser=parse_year, metavar="YEAR",
        ),
    ] = None,
    sheet: Sheet = None,
    dry_run: CheckOnly = False,
    json_: Json = False,
) -> None:
    """Import results; a different value replaces the stored one, an empty cell keeps it.

    Example: movement assess import ket-qua-2023.xlsx --year 2023
    """
    from movement_cli.clock import today
    from movement_cli.workflows.import_results import import_results

    run = invocation(ctx)
    day = today()
    db = run.open_db()
    with run.out.progress(N_("importing {name}", name=file.name)) as progress:
        report = import_results(
            db,
            file,
            classification=_classification(db),
            today=day,
            year=year,
            sheet=sheet,
            dry_run=dry_run,
            progress=progress,
        )
    run.out.imported(file, report, dry_run=dry_run)


@app.command("set")
def set_(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="The unit's code.")],
    year: Year,
    safety: Annotated[
        str | None,
        typer.Option("--safety", help="dat or chua_dat (Đạt, Chưa đạt).", show_default=False),
    ] = None,
    klass: Annotated[
        str | None,
        typer.Option(
            "--class",
            help="xuat_sac, kha, trung_binh or yeu (or the Vietnamese label).",
            show_default=False,
        ),
    ] = None,
    score: Annotated[
        str | None,
        typer.Option(
            "--score", help="0–100; gives the class when --class is not given.", show_default=False
        ),
    ] = None,
    decision: Annotated[
        str | None,
        typer.Option(
            "--decision", help="The recognising document, e.g. 123/QĐ-UBND.", show_default=False
        ),
    ] = None,
    note: Annotated[
        str | None, typer.Option("--note", help="Free text.", show_default=False)
    ] = None,
) -> None:
    """Record or correct one unit's result for a year; options not given keep their value.

    Example: movement assess set 19798 --year 2023 --safety dat --class xuat_sac --score 92
    """
    from movement_cli.clock import today
    from movement_cli.workflows.import_results import set_result

    run = invocation(ctx)
    day = today()
    db = run.open_db()
    report = set_result(
        db,
        code,
        year,
        classification=_classification(db),
        today=day,
        safety=safety,
        klass=klass,
        score=score,
        decision=decision,
        note=note,
    )
    for warning in report.warnings:
        run.out.warn(warning)
    run.out.info(N_("result of {code} for {year} {outcome}", code=code, year=year,
                    outcome=OUTCOMES.get(report.outcome, report.outcome)))


def _number(score: float | None) -> float | int | None:
    return int(score) if score is not None and score.is_integer() else score


@app.command("list")
def list_(
    ctx: typer.Context,
    year: Year,
    scope: Scope = None,
    json_: Json = False,
) -> None:
    """List the year's results, in Vietnamese alphabetical order of the unit names.

    Example: movement assess list --year 2023 --scope 474 --json
    """
    from movement_cli.store import results as store
    from movement_cli.workflows.locality import check_scope

    run = invocation(ctx)
    out = run.out
    db = run.open_db()
    scope = check_scope(db, scope, store.result_day(year))
    # Sorted by SQLite and read as they come: a national year is never held in memory.
    rows = (
        (code, name, kind, year_, safety, klass, _number(score), decision)
        for code, name, kind, year_, safety, klass, score, decision in store.listed_results(
            db.conn, year, scope
        )
    )
    if json_:
        out.json(dict(zip(store.LISTED_RESULT_FIELDS, row, strict=True)) for row in rows)
        return
    from movement_cli.core.kinds import CLASS_LABELS, KIND_LABELS, SAFETY_LABELS
    from movement_cli.core.labels import class_label, kind_label, safety_label

    kinds = {code: kind_label(code) for code in KIND_LABELS}
    classes = {code: class_label(code) for code in CLASS_LABELS}
    safeties = {code: safety_label(code) for code in SAFETY_LABELS}
    labelled = ((code, name, kinds.get(kind, kind), safeties.get(safety, safety),
                 classes.get(klass, klass), score, decision)
                for code, name, kind, safety, klass, score, decision in map(_without_year, rows))

    out.table(
        [N_("code"), N_("name"), N_("kind"), N_("safety"), N_("class"), N_("score"),
         N_("decision")],
        labelled,
        title=lambda count: N_("{count} results for {year}", count=count, year=year),
        widths=lambda: widened(_without_year(store.listed_result_widths(db.conn, year, scope)),
                               {2: kinds, 3: safeties, 4: classes}),
    )


def _without_year(row: tuple) -> tuple:
    """A listed result as the table shows it: the year is in the title."""
    return row[:3] + row[4:]
