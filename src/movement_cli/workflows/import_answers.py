"""`movement recognize import`: the filled recognition sheets read by ``ingest.recognition``,
checked against the year's confirmed selection and the criteria set of each unit
(``workflows.recognize``), and stored with their audit by ``store.recognitions`` in one
transaction — or nothing written and every problem reported.

Reading a thousand workbooks is most of the work, so it starts first: run from the command
line, before the command line is even parsed (``launch``); otherwise when ``import_answers``
begins. This module imports only what starting it needs, and the rest (the model, the store,
the criteria files, the database itself) is loaded while other processes read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from movement_cli.errors import MovementError
from movement_cli.i18n import N_

if TYPE_CHECKING:
    from movement_cli.ingest.recognition import FileRows, ReadAnswers
    from movement_cli.store.db import Database


@dataclass
class ImportSummary:
    files: list[str]  # absolute paths, in the order given
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False

    def as_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "files": self.files}


def import_answers(open_db: Callable[[], Database], files: Sequence[Path], year: int, *,
                   dry_run: bool = False) -> ImportSummary:
    """Read every file, check every row, and store the answers in one transaction — or
    write nothing and raise ``BadInput`` with every problem. The files are being read
    (in other processes, where there are many) by the time ``open_db()`` is called."""
    from movement_cli.ingest.answer_files import reading
    from movement_cli.ingest.recognition import raise_problems

    with reading(files) as tables, ExitStack() as transaction:
        from movement_cli.store import recognitions as store
        from movement_cli.store.db import bulk_load

        # Each file as its audit row and the summary name it, by its absolute path (worked
        # out while the files are read, not after).
        where = [(str(path), str(Path(path).absolute())) for path in files]
        summary = ImportSummary([absolute for _, absolute in where], dry_run=dry_run)
        db = open_db()
        # Tens of thousands of row tuples come through here: the cycle collector, paused
        # as for every import, would rescan them again and again.
        transaction.enter_context(bulk_load(db.conn, cache_mib=None))
        opened = []

        def store_answers(answers: list) -> None:
            if not opened:
                # Opened with the first answers to store: a file with a problem found
                # before then is reported without waiting for the write lock.
                opened.append(transaction.enter_context(db.write(commit=not dry_run)))
                # The answers were checked before the write lock was taken: a year
                # finalised (or reopened) by another process meanwhile is not stored over.
                if store.finalized_codes(db.conn, year) != finalized:
                    raise MovementError(N_(
                        "the {year} recognition was finalised or reopened while the answers "
                        "were read; nothing was imported: run the import again", year=year))
            # (code, criterion, met, note) of each answer: an ``AnswerChange`` by position.
            added, updated, unchanged = store.save_answers(db, year, [a[2:] for a in answers])
            summary.added += added
            summary.updated += updated
            summary.unchanged += unchanged

        # The year's selection and criteria are loaded while the files are read, and the
        # answers of the files read so far are stored while the rest are read: in one
        # transaction, rolled back on a problem.
        finalized = store.finalized_codes(db.conn, year)
        read = _check_answers(db, tables, year, finalized, take=store_answers)
        raise_problems(read.problems)
        store_answers(read.answers[read.taken:])
        db.audit_many("import", "recognition_answers", [
            (absolute, None, {"file": absolute, "year": year, "rows": read.rows[file],
                              "sha256": read.sha256[file]})
            for file, absolute in where])
    return summary


def _check_answers(db: Database, tables: Iterable[FileRows], year: int,
                   finalized: dict[str, str],
                   take: Callable[[list], None]) -> ReadAnswers:
    """The rows of ``tables`` checked against the year's confirmed selection, its criteria
    sets and what is ``finalized`` (``take``: see ``check_answers``)."""
    from movement_cli.ingest.recognition import check_answers
    from movement_cli.store import recognitions as store
    from movement_cli.workflows.recognize import SelectedUnit, load_year, not_confirmed

    scopes = store.confirmed_scopes(db.conn, year)
    if not scopes:
        raise not_confirmed(year, None)
    units: dict[str, SelectedUnit] = {}
    for scope in scopes:
        for unit in load_year(db, year, scope).units:
            units.setdefault(unit.code, unit)

    def closed(code: str) -> str | None:
        if code not in finalized:
            return None
        where = f" --scope {finalized[code]}" if finalized[code] else ""
        return N_("the {year} recognition of {code} is finalised; answers change only after "
                  "movement recognize --year {year}{where} --reopen --reason TEXT", year=year,
                  code=code, where=where)

    def criteria_of(code: str):
        found = units[code].criteria_set
        return None if found is None else found.item_ids()

    return check_answers(tables, criteria_of=criteria_of, selected=units.__contains__,
                         closed=closed, take=take)
