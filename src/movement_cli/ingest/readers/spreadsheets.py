"""Excel workbooks (.xlsx, .xls), read with calamine (imported only when one is opened)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

from movement_cli.errors import InputProblem
from movement_cli.i18n import N_, message_of
from movement_cli.ingest.readers.table import (
    HEADER_SEARCH_ROWS,
    HeaderMatcher,
    Table,
    bad,
    cannot_read,
    cell_text,
    fold_header,
    header_width,
    in_blocks,
    shape,
)


def open_spreadsheet(
    path: Path, file: str, headers: HeaderMatcher, sheet: str | None, stack: ExitStack
) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except OSError as error:
        raise cannot_read(file, error) from None
    except BaseException as error:  # calamine's errors share no useful base
        _reraise_unless_read_failure(error)
        raise bad(file, 0, "", _not_a_workbook(path, error)) from None
    stack.callback(workbook.close)
    names = list(workbook.sheet_names)
    if not names:
        raise bad(file, 0, "", N_("the workbook has no sheets"))
    name = names[0] if sheet is None else _pick_sheet(file, names, sheet)
    try:
        worksheet = workbook.get_sheet_by_name(name)
        # iter_rows() starts at the sheet's first row even when that is blank, so a row's
        # index + 1 is the row number Excel shows; an empty sheet has no start.
        cells = iter(()) if worksheet.start is None else worksheet.iter_rows()
    except BaseException as error:
        _reraise_unless_read_failure(error)
        raise bad(file, 0, "", N_("cannot read sheet {name!r}: {error}", name=name,
                                  error=message_of(error))) from None
    sheet_rows = (
        (number, [cell_text(v) for v in values]) for number, values in enumerate(cells, 1)
    )
    sheet_rows = ((number, row) for number, row in sheet_rows if any(row))

    first: tuple[int, list[str]] | None = None
    for number, row in itertools.islice(sheet_rows, HEADER_SEARCH_ROWS):
        first = first or (number, row)
        if headers.names_required(row):
            problems: list[InputProblem] = []
            rows = _spreadsheet_rows(sheet_rows, row, problems, file)
            return headers.table(path, file, number, row, in_blocks(rows), problems)
    if first is None:
        raise bad(file, 0, "", N_("sheet {name!r} is empty; it needs a header row and rows of "
                                  "data", name=name))
    raise headers.missing_columns(file, first[0], first[1])


def _reraise_unless_read_failure(error: BaseException) -> None:
    """Let everything through but errors, and the panics a Rust extension raises on a
    malformed file (which derive from BaseException)."""
    if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
        raise error


def _spreadsheet_rows(
    sheet_rows: Iterator[tuple[int, list[str]]],
    header: list[str],
    problems: list[InputProblem],
    file: str,
) -> Iterator[tuple[int, list[str]]]:
    width, unnamed = header_width(header)
    for number, row in sheet_rows:
        yield number, shape(row, number, width, unnamed, problems, file, "column")


def _pick_sheet(file: str, names: list[str], sheet: str) -> str:
    if sheet in names:
        return sheet
    folded = [name for name in names if fold_header(name) == fold_header(sheet)]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(name) for name in names)
    raise bad(file, 0, "", N_("no sheet named {sheet!r}; the workbook's sheets are {listed}",
                              sheet=sheet, listed=listed))


def _not_a_workbook(path: Path, error: Exception) -> str:
    try:
        with open(path, "rb") as stream:
            start = stream.read(512).lstrip()
    except OSError:
        start = b""
    if start[:1] == b"<":
        # Web systems often export an HTML table under an .xls name.
        return (
            "this is a web page (HTML) saved under an Excel name, not a workbook; "
            "open it in Excel and save it as .xlsx"
        )
    return (
        f"cannot read this file as an Excel workbook ({error}); "
        f"open it in Excel and save it as .xlsx"
    )
