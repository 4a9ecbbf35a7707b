"""``movement assess import`` and ``assess set``: results read and checked by
``ingest.results``, staged and checked set-based by ``store.results``, stored in one
transaction with their audit — or nothing written and every problem reported."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from movement_cli.core.calendar import result_day
from movement_cli.core.model import Classification
from movement_cli.errors import BadInput, MovementError
from movement_cli.i18n import N_, joined
from movement_cli.ingest import results
from movement_cli.ingest.roster import sha256_of
from movement_cli.store import results as store
from movement_cli.store import units as unit_store
from movement_cli.store.db import Database, bulk_load
from movement_cli.text import normalize
from movement_cli.workflows.imports import ImportReport


def _units_of(db: Database) -> Callable[[int], Iterator[tuple[str, str]]]:
    """The lookup ``ingest.results.UnitNames`` needs: a year's units as (code, name)."""
    def units_of(year: int) -> Iterator[tuple[str, str]]:
        for row in unit_store.active_units(db.conn, result_day(year)):
            yield row["code"], row["name"]
    return units_of


def import_results(
    db: Database,
    path: Path,
    *,
    classification: Classification,
    today: date,
    year: int | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int, float | None], None] | None = None,
) -> ImportReport:
    """Validate the whole file, then store it; raise BadInput with every problem found.
    ``progress(rows so far, fraction of the file read or None)`` is called as rows are read.

    Rows stream into a staging table (the file is never held in memory) inside one
    transaction, which is rolled back when any problem is found or on a dry run.
    """
    shown = str(path)
    report = ImportReport(file=str(path.absolute()))
    values = results.ResultValues(classification, today, year)
    if progress is not None:
        progress(0, None)  # shown while a workbook or a YAML file is parsed
    with ExitStack() as stack:
        table = results.open_results(stack, path, year_given=year is not None, sheet=sheet)
        if table.unknown_columns:
            report.warnings.append(
                N_("{shown}: ignoring column(s) the tool does not use: {value}", shown=shown,
                   value=', '.join(table.unknown_columns))
            )
        with db.write(commit=not dry_run) as conn, bulk_load(conn):
            staging = store.ResultStaging(db)
            checker = results.RowChecker(
                shown, table.columns, values, results.UnitNames(_units_of(db)), staging.value_id
            )
            staging.load(checker.staged(table.reporting(progress)))
            problems = table.problems + checker.problems
            counts = None if problems else staging.apply()
            if counts is None:
                problems += results.set_based_problems(shown, staging.unit_problems(),
                                                      staging.duplicates())
                problems.sort(key=lambda p: p.row)
                raise BadInput(problems)
            report.added, report.updated = counts.added, counts.updated
            report.unchanged = counts.unchanged
            report.warnings += checker.summary_warnings()
            missing = checker.missing_values_warning()
            if missing:
                report.warnings.append(missing)
            if not (report.added or report.updated or report.unchanged):
                report.warnings.append(N_("{file}: no rows of results under the header; "
                                          "nothing was recorded", file=shown))
            db.audit(
                "import",
                "results",
                report.file,
                None,
                {
                    "file": report.file,
                    "sha256": sha256_of(path),
                    "year": year,
                    "added": report.added,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                },
            )
    return report


@dataclass
class SetReport:
    outcome: str  # added, updated or unchanged
    warnings: list[str]


_OPTIONS = {"year": "--year", "safety": "--safety", "class": "--class", "score": "--score"}


def set_result(
    db: Database,
    code: str,
    year: int,
    *,
    classification: Classification,
    today: date,
    safety: str | None = None,
    klass: str | None = None,
    score: str | None = None,
    decision: str | None = None,
    note: str | None = None,
) -> SetReport:
    """Record one unit's result for a year with the import's validation and audit."""
    code = normalize(code)
    texts = [normalize(t) if t else "" for t in (safety, klass, score, decision, note)]
    parsed = results.ResultValues(classification, today, year).parse(str(year), *texts[:3])
    if parsed.problems:
        raise MovementError(joined([N_("{option}: {exc}", option=_OPTIONS[column], exc=message)
                                    for column, message in parsed.problems]))
    if parsed.empty and not (texts[3] or texts[4]):
        raise MovementError(
            N_("nothing to record: give --safety, --class, --score, --decision or --note")
        )
    warnings = [parsed.disagreement] if parsed.disagreement else []
    with db.write():
        staging = store.ResultStaging(db)
        staging.load([[1, code, staging.value_id(parsed.values), texts[3], texts[4]]])
        counts = staging.apply(audit_added=True)
        if counts is None:
            problems = staging.unit_problems()
            raise MovementError(
                results.unit_message(problems[0])
                if problems
                else N_("cannot record the result of '{code}' for {year}", code=code, year=year)
            )
    outcome = "added" if counts.added else "updated" if counts.updated else "unchanged"
    return SetReport(outcome, warnings)
