"""The table every reader hands over, and what the readers share: matching header names to
the caller's columns, fitting rows to the header, turning values into cell text, and the
``BadInput`` a problem with the file itself becomes."""

from __future__ import annotations

import datetime
import functools
import itertools
import os
import re
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from movement_cli.core.cells import unguard
from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_, system_words
from movement_cli.text import fold, normalize

# How many non-empty rows may stand above the header (titles, the issuing office, a date).
HEADER_SEARCH_ROWS = 30

# Rows are handed over in blocks: (row numbers as the user sees them, rows). A block of
# consecutive rows numbers them with a ``range``, so a caller can validate a block a column
# at a time with C-level built-ins instead of looping over rows in Python.
Block = tuple[Sequence[int], list[list[str]]]
# Rows per block for the readers that do not read in chunks (spreadsheets, JSON, YAML).
_BLOCK_ROWS = 2000
# What no cell may carry into the database: C0 controls (line breaks and tabs are whitespace
# that normalize() has already turned into spaces), DEL, C1 controls and lone surrogates
# (a JSON "\\ud800" escape). ESC would recolour or rewrite the terminal that shows the value.
CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# The same where U+0080-U+009F are text: a Windows-1258 file's undefined bytes, kept for the
# importers' check for text typed in a legacy Vietnamese font.
CONTROLS_BUT_C1 = re.compile("[\x00-\x1f\x7f\ud800-\udfff]")
# Columns of free text, where a control character is dropped; in every other column (codes,
# names, kinds, dates, values) it makes the row an error.
FREE_TEXT_COLUMNS = ("note",)


@dataclass
class Table:
    """A file read as a table. ``blocks`` yields the rows a block at a time; ``rows`` yields
    the same rows one by one as (row number as the user sees it, cells). Either is read once.
    A row has one cell per file column, each a normalised ``str`` ("" when empty); empty rows
    are skipped.

    ``problems`` collects what the reader finds wrong in rows while they stream (a value in a
    column that has no header, which in a CSV usually means an unquoted separator inside a
    value); it is complete once the rows are exhausted, and the caller reports it together
    with its own row problems.
    """

    path: Path
    columns: dict[str, int]
    unknown_columns: list[str]
    blocks: Iterator[Block]
    problems: list[InputProblem] = field(default_factory=list)
    guard: ControlGuard | None = None
    # How much of the file has been read, from 0 to 1, for a progress bar; None when the
    # reader cannot tell (a workbook is read whole before its rows are handed over).
    fraction_read: Callable[[], float | None] = lambda: None
    # The SHA-256 of the bytes the rows come from, when the reader took them whole (a
    # workbook of up to 16 MB); None otherwise. The audit records a file's SHA-256.
    sha256: str | None = None

    @property
    def rows(self) -> Iterator[tuple[int, list[str]]]:
        return itertools.chain.from_iterable(itertools.starmap(zip, self.blocks))

    def reporting(self, progress: Callable[[int, float | None], None] | None
                  ) -> Iterator[Block]:
        """``blocks``, calling ``progress(rows so far, fraction read)`` after each block."""
        if progress is None:
            yield from self.blocks
            return
        rows = 0
        for block in self.blocks:
            yield block
            rows += len(block[1])
            progress(rows, self.fraction_read())


class ControlGuard:
    """Keeps control characters out of the cells of a block: in a free-text column they are
    dropped; anywhere else the row gets a problem (a code or a name with ESC or NUL in it is
    damaged data, not something to clean up silently)."""

    def __init__(self, file: str, columns: dict[str, int], problems: list[InputProblem],
                 *, c1_is_text: bool = False):
        self.file = file
        self.problems = problems
        self.pattern = CONTROLS_BUT_C1 if c1_is_text else CONTROLS
        names = {index: name for name, index in columns.items()}
        self.column_names = names
        self.free = {index for index, name in names.items() if name in FREE_TEXT_COLUMNS}

    def block(self, block: Block) -> Block:
        """The block with its controls dealt with (cells are changed in place)."""
        numbers, rows = block
        search = self.pattern.search
        if search("".join(itertools.chain.from_iterable(rows))) is None:
            return block  # the usual case, found by one search instead of one per cell
        for number, row in zip(numbers, rows, strict=True):
            for index, cell in enumerate(row):
                found = search(cell)
                if found is None:
                    continue
                if index in self.free or index not in self.column_names:
                    row[index] = normalize(self.pattern.sub("", cell))
                    continue
                character = found.group()
                # The row is refused, but it still goes down the import (which finds its
                # other problems) until the transaction is rolled back: keep it storable.
                row[index] = self.pattern.sub("\ufffd", cell)
                shown = self.pattern.sub(lambda m: f"\\u{ord(m.group()):04x}", cell)[:60]
                code = f"U+{ord(character):04X}"
                if "\ud800" <= character <= "\udfff":
                    message = N_("a lone surrogate (invalid text) {char} in '{value}'; remove "
                                 "it (only notes may lose such characters silently)",
                                 char=code, value=shown)
                else:
                    message = N_("a control character {char} in '{value}'; remove it (only "
                                 "notes may lose such characters silently)",
                                 char=code, value=shown)
                self.problems.append(InputProblem(
                    self.file, number, self.column_names[index], message))
        return block

    def blocks(self, blocks: Iterator[Block]) -> Iterator[Block]:
        for block in blocks:
            yield self.block(block)


def in_blocks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[Block]:
    while chunk := list(itertools.islice(rows, _BLOCK_ROWS)):
        yield [number for number, _ in chunk], [row for _, row in chunk]


@functools.lru_cache(maxsize=4096)
def fold_header(name: str) -> str:
    """The form header names are compared in: no accents, đ as d, lower case, underscores as
    spaces, whitespace collapsed ("Mã đơn vị_cha" -> "ma don vi cha"). Remembered: a
    thousand recognition sheets repeat the same headers and title rows."""
    return " ".join(fold(normalize(name)).replace("_", " ").split())


def bad(file: str, row: int, column: str, message: str) -> BadInput:
    return BadInput([InputProblem(file=file, row=row, column=column, message=message)])


def check_path(path: Path, file: str) -> os.stat_result:
    """The file's status, once it is known to be a regular file (one system call: a
    thousand sheets are checked per import)."""
    try:
        status = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise bad(file, 0, "", N_("no such file; check the path and the file name")) from None
    except OSError as error:
        raise cannot_read(file, error) from None
    if stat.S_ISDIR(status.st_mode):
        raise bad(file, 0, "", N_("this is a folder, not a file; give the path of the file"))
    if not stat.S_ISREG(status.st_mode):
        # A named pipe or a device would be waited on for ever, or read without end.
        raise bad(file, 0, "", N_("this is not a saved file (a pipe or a device); give the "
                                  "path of a file"))
    return status


def cannot_read(file: str, error: OSError) -> BadInput:
    return bad(file, 0, "", N_("cannot read the file: {value}", value=system_words(error)))


class HeaderMatcher:
    """Knows the caller's columns and recognises a header row among the file's rows."""

    def __init__(self, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]):
        unknown = [name for name in required if name not in columns]
        if unknown:
            raise ValueError(N_("required columns not described in columns: {unknown}",
                                unknown=unknown))
        self.columns = columns
        self.required = required
        self.canonical: dict[str, str] = {}
        for name, spellings in columns.items():
            for spelling in (name, *spellings):
                self.canonical.setdefault(fold_header(spelling), name)

    def names_required(self, cells: list[str]) -> bool:
        found = {self.canonical.get(fold_header(cell)) for cell in cells if cell}
        return all(name in found for name in self.required)

    def missing_columns(self, file: str, row: int, cells: list[str]) -> BadInput:
        found = {self.canonical.get(fold_header(cell)) for cell in cells if cell}
        problems = []
        for name in self.required:
            if name not in found:
                accepted = ", ".join(dict.fromkeys((name, *self.columns[name])))
                problems.append(
                    InputProblem(
                        file=file,
                        row=row,
                        column=name,
                        message=(
                            N_("missing required column {name!r} (accepted headers: "
                               "{accepted}); add the column, or rename its header", name=name,
                               accepted=accepted)
                        ),
                    )
                )
        return BadInput(problems)

    def table(
        self,
        path: Path,
        file: str,
        row: int,
        header: list[str],
        blocks: Iterator[Block],
        problems: list[InputProblem],
        *,
        screened: bool = False,
        c1_is_text: bool = False,
    ) -> Table:
        """The table, its blocks passed through a ``ControlGuard`` (a reader that finds the
        blocks with control characters itself says ``screened`` and calls the guard on
        those alone)."""
        columns: dict[str, int] = {}
        unknown: list[str] = []
        clashes: list[InputProblem] = []
        for index, cell in enumerate(header):
            if not cell:
                continue
            name = self.canonical.get(fold_header(cell))
            if name is None:
                unknown.append(cell)
            elif name in columns:
                first = header[columns[name]]
                clashes.append(
                    InputProblem(
                        file=file,
                        row=row,
                        column=name,
                        message=(
                            N_("columns {first!r} and {cell!r} both mean {name!r}; keep one of "
                               "them", first=first, cell=cell, name=name)
                        ),
                    )
                )
            else:
                columns[name] = index
        if clashes:
            raise BadInput(clashes)
        guard = ControlGuard(file, columns, problems, c1_is_text=c1_is_text)
        if not screened:
            blocks = guard.blocks(blocks)
        return Table(path, columns, unknown, blocks, problems, guard)


def shape(
    row: list[str],
    number: int,
    width: int,
    unnamed: tuple[int, ...],
    problems: list[InputProblem],
    file: str,
    where: str,
    first: int = 0,
) -> list[str]:
    """Fit a row to the header's width: pad a short row, and report values that stand in a
    column without a header (beyond the header, or under an empty header cell). ``first``:
    the file's column of the row's first cell (a sheet's blank columns on the left are not
    in the row, but are in the column letter an official looks for)."""
    if len(row) < width:
        row = row + [""] * (width - len(row))
    stray = [i for i in unnamed if row[i]]
    stray += [i for i in range(width, len(row)) if row[i]]
    for i in stray:
        hint = (
            N_("; a value probably contains the separator: put that value in double quotes")
            if where == "field" and i >= width
            else N_("; give the column a header or delete the value")
        )
        problems.append(
            InputProblem(
                file=file,
                row=number,
                column=_position(where, i + first),
                message=N_("value {value!r} has no header{hint}", value=row[i], hint=hint),
            )
        )
    return row[:width] if len(row) > width else row


def _position(where: str, index: int) -> str:
    if where == "column":
        letters = ""
        index += 1
        while index:
            index, remainder = divmod(index - 1, 26)
            letters = chr(65 + remainder) + letters
        return f"column {letters}"
    return f"{where} {index + 1}"


def header_width(header: list[str]) -> tuple[int, tuple[int, ...]]:
    """The number of file columns, and the columns whose header cell is empty."""
    return len(header), tuple(i for i, cell in enumerate(header) if not cell)


def cell_text(value: Any) -> str:
    """A spreadsheet, JSON or YAML value as cell text: whole numbers without ".0" (a code that
    Excel stored as a number), dates as ISO, booleans as true/false, nothing as ""."""
    if type(value) is str:
        # A text an export guarded with an apostrophe, saved again by a spreadsheet program
        # that showed the apostrophe: the text without it.
        return normalize(unguard(value) if value[:1] == "'" else value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        # Excel keeps 15 significant digits; more is binary noise (0.30000000000000004).
        return format(value, ".15g")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return normalize(str(value))
