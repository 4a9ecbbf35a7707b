"""Excel workbooks (.xlsx, .xls), read with calamine (imported only when one is opened)."""

from __future__ import annotations

import hashlib
import io
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

# Sheets up to this many cells are converted to Python in one call (see open_spreadsheet).
_ONE_CALL_CELLS = 50_000
# A workbook up to this size is read into memory once: calamine parses those bytes and
# their SHA-256 is taken from them, instead of the file being read a second time for the
# audit (a thousand recognition sheets). A larger one is left to calamine to read.
_WHOLE_FILE_BYTES = 16 << 20


def open_spreadsheet(
    path: Path, file: str, headers: HeaderMatcher, sheet: str | None, stack: ExitStack,
    *, reads: tuple[str, ...] | None = None, size: int,
) -> Table:
    """The table of ``path`` (``size`` bytes, as ``check_path`` found it)."""
    from python_calamine import CalamineWorkbook

    sha256 = None
    try:
        if size <= _WHOLE_FILE_BYTES:
            data = path.read_bytes()
            sha256 = hashlib.sha256(data).hexdigest()
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        else:
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
        # Both start at the sheet's first column that holds something. iter_rows() starts at
        # the first row even when that is blank, to_python() at the first that is not; a
        # small sheet (a recognition sheet, a city's roster) is taken in one call, which is
        # cheaper, a large one a row at a time, which holds less. An empty sheet has no start.
        if worksheet.start is None:
            numbered = enumerate((), 1)
        elif worksheet.height * worksheet.width <= _ONE_CALL_CELLS:
            numbered = enumerate(worksheet.to_python(), worksheet.start[0] + 1)
        else:
            numbered = enumerate(worksheet.iter_rows(), 1)
    except BaseException as error:
        _reraise_unless_read_failure(error)
        raise bad(file, 0, "", N_("cannot read sheet {name!r}: {error}", name=name,
                                  error=message_of(error))) from None
    # A header row names every required column, each in a cell of its own: a row with fewer
    # filled cells (a title, the issuing office) is not looked up.
    needed = len(headers.required)
    first: tuple[int, list[str]] | None = None
    searched = 0
    for number, values in numbered:
        row = [_remembered_text(v) for v in values]
        if not any(row):
            continue
        first = first or (number, row)
        if len(row) - row.count("") >= needed and headers.names_required(row):
            problems: list[InputProblem] = []
            table = headers.table(path, file, number, row, iter(()), problems)
            keep = _kept_columns(table.columns, row, reads)
            first_column = worksheet.start[1]
            # The rows pass the table's guard: a cell may hold control characters (Excel
            # writes them as _x001B_, which calamine turns back into the character).
            table.blocks = table.guard.blocks(in_blocks(_spreadsheet_rows(
                numbered, row, keep, problems, file, first_column)))
            table.sha256 = sha256
            return table
        searched += 1
        if searched == HEADER_SEARCH_ROWS:
            break
    if first is None:
        raise bad(file, 0, "", N_("sheet {name!r} is empty; it needs a header row and rows of "
                                  "data", name=name))
    raise headers.missing_columns(file, first[0], first[1])


def _reraise_unless_read_failure(error: BaseException) -> None:
    """Let everything through but errors, and the panics a Rust extension raises on a
    malformed file (which derive from BaseException)."""
    if not isinstance(error, Exception) and type(error).__name__ != "PanicException":
        raise error


def _kept_columns(columns: dict[str, int], header: list[str], reads: tuple[str, ...] | None
                  ) -> tuple[int, ...] | None:
    """The file columns whose cells are turned into text: the named columns the caller reads
    and the columns without a header (a value there is reported); None for all of them."""
    if reads is None:
        return None
    _, unnamed = header_width(header)
    return tuple(sorted({columns[name] for name in reads if name in columns}.union(unnamed)))


# The kept columns of the sheets an import reads by the thousand repeat a few texts, within
# a sheet and from one sheet to the next (the unit's code, the criterion ids and titles, the
# title rows, Đạt / Không đạt): each distinct one is normalised once per process.
_TEXTS: dict[str, str] = {}


def _remembered_text(value: object) -> str:
    """``cell_text(value)``, remembered for texts (only texts: as dict keys True, 1 and 1.0
    are the same, and their cell texts are not)."""
    if type(value) is not str:
        return cell_text(value)
    found = _TEXTS.get(value)
    if found is None:
        if len(_TEXTS) > 4096:
            _TEXTS.clear()
        found = _TEXTS[value] = cell_text(value)
    return found


def _spreadsheet_rows(
    numbered: Iterator[tuple[int, list]],
    header: list[str],
    keep: tuple[int, ...] | None,
    problems: list[InputProblem],
    file: str,
    first_column: int = 0,
) -> Iterator[tuple[int, list[str]]]:
    """The rows under the header, fitted to it, empty ones skipped. With ``keep``, only those
    columns' cells (and any beyond the header) become text; the others are "", and are
    looked at only to tell an empty row from one that holds something nobody reads."""
    width, unnamed = header_width(header)
    if keep is None:
        for number, values in numbered:
            row = [cell_text(v) for v in values]
            if any(row):
                yield number, shape(row, number, width, unnamed, problems, file,
                                    "column", first_column)
        return
    # A thousand sheets make tens of thousands of rows: the memo is looked up here rather
    # than through a call per cell.
    texts = _TEXTS
    for number, values in numbered:
        size = len(values)
        row = [""] * (width if size <= width else size)
        for i in keep:
            if i < size:
                value = values[i]
                found = texts.get(value) if type(value) is str else None
                row[i] = found if found is not None else _remembered_text(value)
        if size > width:
            for i in range(width, size):
                row[i] = cell_text(values[i])
        if not any(row) and not any(cell_text(v) for v in values):
            continue
        if size <= width and not unnamed:
            yield number, row  # already the header's width, nothing without a header
        else:
            yield number, shape(row, number, width, unnamed, problems, file, "column",
                                first_column)


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
        return N_(
            "this is a web page (HTML) saved under an Excel name, not a workbook; "
            "open it in Excel and save it as .xlsx"
        )
    return N_("cannot read this file as an Excel workbook ({error}); open it in Excel and "
              "save it as .xlsx", error=str(error))
