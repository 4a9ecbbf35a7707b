"""One entry point, `open_table`, that reads a roster or results file of any supported format
as a table of normalised text cells: CSV in the encodings and separators offices produce
(`csv_files`), Excel .xlsx and .xls (`spreadsheets`), JSON and YAML (`json_yaml`).

The reader finds the header row, maps header names to the caller's canonical column names and
hands over the rows a block at a time (`table`); validating the values is the caller's job.
Every problem with the file itself is a ``BadInput``, never a traceback.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from movement_cli.errors import UsageProblem
from movement_cli.i18n import N_
from movement_cli.ingest.readers.table import (
    Block,
    HeaderMatcher,
    Table,
    bad,
    check_path,
    fold_header,
)

__all__ = ["ACCEPTED_EXTENSIONS", "Block", "Table", "fold_header", "open_table"]

CSV_EXTENSIONS = (".csv", ".txt")
SPREADSHEET_EXTENSIONS = (".xlsx", ".xls")
JSON_EXTENSIONS = (".json",)
YAML_EXTENSIONS = (".yaml", ".yml")
ACCEPTED_EXTENSIONS = CSV_EXTENSIONS + SPREADSHEET_EXTENSIONS + JSON_EXTENSIONS + YAML_EXTENSIONS


@functools.lru_cache(maxsize=16)
def _matcher(columns: tuple[tuple[str, tuple[str, ...]], ...], required: tuple[str, ...]
             ) -> HeaderMatcher:
    """One matcher per set of columns (it only reads them): an import of a thousand sheets
    asks for the same one a thousand times."""
    return HeaderMatcher(dict(columns), required)


@contextmanager
def open_table(
    path: Path,
    *,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    sheet: str | None = None,
    reads: tuple[str, ...] | None = None,
) -> Iterator[Table]:
    """Open FILE as a table of the given canonical ``columns`` (name -> accepted header
    spellings, matched case- and accent-insensitively); ``required`` must all be present.

    Raises ``BadInput`` for a file that is missing, unreadable, of an unsupported kind, or
    lacks a required column; and, while rows are read, for a CSV that turns out undecodable.

    ``reads`` names the columns the caller will look at (None: all of them). A spreadsheet
    then normalises only those cells and hands the other named columns over as "" — a
    thousand sheets whose long titles nobody reads back cost half as much. Every check of
    the file (header, columns without a header, empty rows) is the same either way.

    Each format's reader is imported when a file of its kind is opened: a command that
    reads workbooks does not pay for the CSV machinery, nor the reverse.
    """
    path = Path(path)
    file = str(path)
    size = check_path(path, file).st_size
    headers = _matcher(tuple((name, tuple(spellings)) for name, spellings in columns.items()),
                       tuple(required))
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in SPREADSHEET_EXTENSIONS:
        raise UsageProblem(N_("--sheet: {file} is not a spreadsheet (.xlsx or .xls); it has "
                              "no sheets to choose from", file=file))
    with ExitStack() as stack:
        if suffix in CSV_EXTENSIONS:
            from movement_cli.ingest.readers.csv_files import open_csv

            table = open_csv(path, file, headers, stack)
        elif suffix in SPREADSHEET_EXTENSIONS:
            from movement_cli.ingest.readers.spreadsheets import open_spreadsheet

            table = open_spreadsheet(path, file, headers, sheet, stack, reads=reads,
                                     size=size)
        elif suffix in JSON_EXTENSIONS or suffix in YAML_EXTENSIONS:
            from movement_cli.ingest.readers.json_yaml import open_objects

            table = open_objects(path, file, headers, yaml=suffix in YAML_EXTENSIONS)
        else:
            raise bad(
                file,
                0,
                "",
                N_("unsupported file type {value!r}; use one of {value2} (.txt is read as CSV)",
                   value=suffix or N_("(no extension)"), value2=' '.join(ACCEPTED_EXTENSIONS)),
            )
        try:
            yield table
        finally:
            blocks = table.blocks
            if hasattr(blocks, "close"):
                blocks.close()
