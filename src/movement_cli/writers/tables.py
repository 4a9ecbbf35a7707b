"""Tables written as CSV, XLSX or JSON, one row at a time.

The rows arrive as an iterator (from a database cursor) and leave as they arrive: nothing
here holds more than one row, so a million-row export runs in the memory of a few rows.

Formula-looking text is neutralised for spreadsheet programs (``core.cells``): in CSV the
caller hands rows whose text is already guarded (the store does it inside SQLite, which is
cheaper than a Python test of every cell); in XLSX such a text becomes a string cell, never
a formula. JSON is for programs and keeps every text as it is.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from movement_cli.core.cells import FORMULA_STARTS

FORMATS = ("csv", "xlsx", "json")


def write_csv(columns: Sequence[str], rows: Iterable[Sequence], stream: BinaryIO) -> None:
    """UTF-8 with a BOM (so Excel opens Vietnamese text intact), a header row, then the
    rows; None is an empty cell."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="", write_through=False)
    try:
        writer = csv.writer(text)
        writer.writerow(columns)
        writer.writerows(rows)
        text.flush()
    finally:
        text.detach()


def write_json(columns: Sequence[str], rows: Iterable[Sequence], stream: BinaryIO) -> None:
    """A JSON list of objects keyed by the column names, written as the rows arrive."""
    text = io.TextIOWrapper(stream, encoding="utf-8", newline="\n", write_through=False)
    try:
        keys = list(columns)
        dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        text.write("[")
        separator = "\n"
        for row in rows:
            text.write(separator)
            text.write(dumps(dict(zip(keys, row, strict=True))))
            separator = ",\n"
        text.write("\n]\n" if separator != "\n" else "]\n")
        text.flush()
    finally:
        text.detach()


def write_xlsx(columns: Sequence[str], rows: Iterable[Sequence], path: Path,
               sheet: str = "data") -> None:
    """One sheet: a header row, then the rows. openpyxl's write-only mode streams rows to a
    temporary file instead of building the workbook in memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet[:31])
    worksheet.append(list(columns))

    def as_text(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(worksheet, value=value)
        cell.data_type = "s"  # openpyxl would store "=..." as a formula
        return cell

    for row in rows:
        worksheet.append([as_text(value) if type(value) is str and value[:1] in FORMULA_STARTS
                          and value else value for value in row])
    workbook.save(path)
