"""``movement units import``: a roster read and checked by ``ingest.roster``, applied as dated
unit versions in one transaction — or nothing written and every problem reported."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path

from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_
from movement_cli.ingest import roster
from movement_cli.ingest.pipeline import in_child
from movement_cli.store import units as unit_store
from movement_cli.store.db import Database, bulk_load
from movement_cli.workflows.imports import ImportReport


def import_units(db: Database, path: Path, *, as_of: date, sheet: str | None = None,
                 dry_run: bool = False,
                 progress: Callable[[int, float | None], None] | None = None) -> ImportReport:
    """Validate the whole file, then apply it; raise BadInput with every problem found.
    ``progress(rows so far, fraction of the file read or None)`` is called as rows are read.

    Rows go to the database as they are read (the file is never held in memory) inside one
    transaction that is rolled back when any problem is found or on a dry run. The file is
    read and checked (``ingest.roster``) in a second process (``pipeline.in_child``) while
    this one inserts.
    """
    shown = str(path)
    report = ImportReport(file=str(path.absolute()))
    as_of_iso = as_of.isoformat()
    duplicates: list[InputProblem] = []
    repeated_codes: list[str] = []

    # The progress bar shows from the start: a workbook or a YAML file is parsed whole
    # before its header arrives.
    started = None if progress is None else lambda: progress(0, None)
    reading = in_child(lambda: roster.checked_blocks(path, sheet, shown, as_of_iso), started)
    with closing(reading) as blocks:
        # A file that cannot be read or has no usable header is reported before the write
        # lock is taken.
        unknown_columns = next(blocks)
        if unknown_columns:
            report.warnings.append(
                N_("{shown}: ignoring column(s) the tool does not use: {value}", shown=shown,
                   value=', '.join(unknown_columns))
            )
        # SQLite's default page cache: the versions table takes rows near key order and its
        # parent index is built at the end of a large load, and measured on a million-row
        # roster a 32 MiB cache was slower (median of five pairs 17.2 s against 15.5 s).
        with db.write(commit=not dry_run) as conn, bulk_load(conn, cache_mib=None):
            applier = unit_store.RosterApplier(db, as_of_iso)
            # Rows keep going in after a problem (the transaction is rolled back then), so
            # that the primary key finds every repeated code.
            while True:
                try:
                    good_rows, units, layout, rows_read, fraction = next(blocks)
                except StopIteration as end:
                    checker, reader_problems = end.value
                    break
                for index in applier.add_batch(units, layout):
                    duplicates.append(roster.duplicate_code(shown, good_rows[index],
                                                            units[index][layout[0]]))
                    repeated_codes.append(units[index][layout[0]])
                if progress is not None:
                    progress(rows_read, fraction)
            if duplicates:
                duplicates = roster.name_first_rows(duplicates, repeated_codes, path, sheet,
                                                    checker, shown)
            checker.problems += duplicates + reader_problems
            # A repeated code is reported once, as repeated: its row was not applied.
            repeated = {problem.row for problem in duplicates}
            unknown = applier.unknown_parents(checker.parents)
            conflicts = applier.end_date_conflicts()
            if unknown or conflicts:
                roster.report_rows_found_later(checker, path, sheet, unknown, conflicts,
                                               as_of_iso, repeated)
            if applier.known:
                # In a database that holds units, a code seen for the first time starts on
                # the roster's date when the row gives no start.
                for row, code, end in checker.ends_before_as_of:
                    if code not in applier.known and row not in repeated:
                        checker.end_before_first_start(row, end, as_of_iso)
            if checker.problems:
                raise BadInput(sorted(checker.problems, key=lambda p: p.row))
            report.added, report.updated, report.unchanged = applier.finish()
            if not (report.added or report.updated or report.unchanged):
                report.warnings.append(N_("{file}: no rows under the header; nothing was "
                                          "imported", file=shown))
            db.audit("import", "units", str(path.absolute()), None, {
                "file": str(path.absolute()), "sha256": roster.sha256_of(path),
                "as_of": as_of_iso,
                "added": report.added, "updated": report.updated,
                "unchanged": report.unchanged,
            })
    return report
