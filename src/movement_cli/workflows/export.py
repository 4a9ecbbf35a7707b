"""`movement export`: a table of the database written as CSV, XLSX or JSON.

The rows stream from the store to the writer; a file named by ``--out`` appears whole or not
at all (it is written beside its place and moved in at the end).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import BinaryIO

from movement_cli.errors import MovementError
from movement_cli.i18n import N_
from movement_cli.store import exports
from movement_cli.store.db import Database
from movement_cli.workflows.locality import check_scope
from movement_cli.writers.tables import FORMATS, write_csv, write_json, write_xlsx

TABLES = ("units", "results", "selections", "recognitions", "audit")


@dataclass
class ExportRequest:
    table: str
    fmt: str = "csv"
    year: int | None = None
    scope: str | None = None
    as_of: date | None = None
    out: Path | None = None


def _rows(db: Database, request: ExportRequest, today: date) -> exports.Rows:
    guard = request.fmt == "csv"
    table = request.table
    if table == "units":
        day = (request.as_of or today).isoformat()
        scope = check_scope(db, request.scope, day)
        return exports.units(db.conn, day, scope, guard=guard)
    if table == "results":
        scope = request.scope
        if scope is not None:
            if request.year is None:
                raise MovementError(N_("export results --scope needs --year: the scope's units "
                                       "are taken as they stood on 15 November of that year"))
            scope = check_scope(db, scope, f"{request.year}-11-15")
        return exports.results(db.conn, request.year, scope, guard=guard)
    if table == "selections":
        return exports.selections(db.conn, request.year, request.scope, guard=guard)
    if table == "recognitions":
        return exports.recognitions(db.conn, request.year, request.scope, guard=guard)
    return exports.audit(db.conn, request.year, guard=guard)


def export_table(db: Database, request: ExportRequest, today: date,
                 stdout: BinaryIO | None = None) -> Path | None:
    """Write the table to ``request.out`` (returned, absolute) or to ``stdout``."""
    if request.table not in TABLES:
        raise MovementError(N_("unknown table '{table}'; use one of {value}", table=request.table,
                               value=', '.join(TABLES)))
    if request.fmt not in FORMATS:
        raise MovementError(N_("--format: use csv, xlsx or json, not '{fmt}'", fmt=request.fmt))
    if request.fmt == "xlsx" and request.out is None:
        raise MovementError(N_("--format xlsx needs --out FILE (a workbook cannot go to the "
                               "terminal)"))
    columns, rows = _rows(db, request, today)
    if request.out is None:
        assert stdout is not None, "no --out and no stream to write to"
        _write(request.fmt, columns, rows, stdout)
        return None
    target = request.out.absolute()
    if target.is_dir():
        raise MovementError(N_("--out: {target} is a folder; name the file to write",
                               target=target))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            if request.fmt == "xlsx":
                handle.close()
                write_xlsx(columns, rows, Path(name), sheet=request.table)
            else:
                _write(request.fmt, columns, rows, handle)
        os.chmod(name, 0o666 & ~_umask())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    return target


def _write(fmt: str, columns, rows, stream: BinaryIO) -> None:
    (write_csv if fmt == "csv" else write_json)(columns, rows, stream)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
