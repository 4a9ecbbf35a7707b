"""One entry point that reads a roster or results file of any supported format as a table of
normalised text cells: CSV in the encodings and separators offices produce, Excel (.xlsx,
.xls), JSON and YAML.

The reader finds the header row, maps header names to the caller's canonical column names and
hands over the rows one at a time; validating the values is the caller's job. Every problem
with the file itself is a ``BadInput``, never a traceback.

CSV is the hot path (a national roster is a million rows), so it streams and keeps per-cell
Python work off the common case: the text is normalised to NFC a chunk at a time, and a chunk
is only cleaned cell by cell when a cheap scan of its bytes finds something a cell could need
(stray spaces, tabs, no-break or zero-width characters).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import datetime
import functools
import io
import itertools
import operator
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from movement_cli.errors import BadInput, InputProblem
from movement_cli.text import fold, normalize

CSV_EXTENSIONS = (".csv", ".txt")
SPREADSHEET_EXTENSIONS = (".xlsx", ".xls")
JSON_EXTENSIONS = (".json",)
YAML_EXTENSIONS = (".yaml", ".yml")
ACCEPTED_EXTENSIONS = CSV_EXTENSIONS + SPREADSHEET_EXTENSIONS + JSON_EXTENSIONS + YAML_EXTENSIONS

# How many non-empty rows may stand above the header (titles, the issuing office, a date).
HEADER_SEARCH_ROWS = 30
DELIMITERS = (",", ";", "\t")

# Bytes of CSV read, decoded, normalised and parsed at a time: a few hundred rows, few enough
# that a chunk's rows stay in the CPU cache while the caller takes them.
_CHUNK = 1 << 15
# Bytes of CSV looked at for the encoding, the delimiter and the header row.
_HEAD = 1 << 18
# A chunk's cells need: nothing beyond the chunk's NFC / whitespace collapsed / full normalize().
_CLEAN, _SPACES, _FULL = 0, 1, 2

# Lead bytes of the odd characters below except U+1680, whose lead byte starts most Vietnamese
# letters too (it is looked for in the decoded text instead).
_UTF8_LEAD_BYTES_OF_ODD_CHARACTERS = (b"\xc2", b"\xe2", b"\xe3", b"\xef")
# In UTF-8: NEL, no-break space, soft hyphen, Ogham space, the U+2000 spaces, zero-width
# characters and marks, line/paragraph separators, narrow no-break space, medium mathematical
# space, word joiner, ideographic space, BOM. Each is whitespace to str.split() or removed by
# normalize().
_UTF8_ODD_CHARACTERS = re.compile(
    b"\xc2[\x85\xa0\xad]|\xe1\x9a\x80|\xe2\x80[\x80-\x8f\xa8-\xaf]|\xe2\x81[\x9f\xa0]"
    b"|\xe3\x80\x80|\xef\xbb\xbf"
)
# Control characters that are whitespace to str.split() (tab only when it is not the delimiter).
_CONTROL_BYTES = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", b"\x1f")
# In Windows-1258 the only other such characters are the no-break space and the soft hyphen.
_CP1258_ODD_BYTES = (b"\xa0", b"\xad")
_LATIN1_FALLBACK = "movement-latin1-fallback"
_QUOTE_THEN_SPACE = re.compile(b'" ')
_QUOTE_THEN_SPACE_TEXT = re.compile('" ')


def _space_after_quote_is_stray(data: AnyStr, quote_at: int, field_starts: tuple) -> bool:
    """Whether the quote at ``quote_at``, which a space follows, opens or closes a value, so
    that the space would lead or trail the value. Not so for a space after an escaped quote
    inside a value (a note quoting a word: ``""Tốt"" theo``): there the run of quotes before
    the space has even length and does not start a field. ``field_starts`` holds the
    delimiter and the line breaks, of the type of ``data``."""
    quote = data[quote_at:quote_at + 1]
    start = quote_at
    while start and data[start - 1:start] == quote:
        start -= 1
    before = data[start - 1:start]
    return (quote_at - start) % 2 == 0 or not before or before in field_starts


# Rows are handed over in blocks: (row numbers as the user sees them, rows). A block of
# consecutive rows numbers them with a ``range``, so a caller can validate a block a column
# at a time with C-level built-ins instead of looping over rows in Python.
Block = tuple[Sequence[int], list[list[str]]]
# Rows per block for the readers that do not read in chunks (spreadsheets, JSON, YAML).
_BLOCK_ROWS = 2000


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
    # How much of the file has been read, from 0 to 1, for a progress bar; None when the
    # reader cannot tell (a workbook is read whole before its rows are handed over).
    fraction_read: Callable[[], float | None] = lambda: None

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


def _in_blocks(rows: Iterator[tuple[int, list[str]]]) -> Iterator[Block]:
    while chunk := list(itertools.islice(rows, _BLOCK_ROWS)):
        yield [number for number, _ in chunk], [row for _, row in chunk]


@contextmanager
def open_table(
    path: Path,
    *,
    columns: dict[str, tuple[str, ...]],
    required: tuple[str, ...],
    sheet: str | None = None,
) -> Iterator[Table]:
    """Open FILE as a table of the given canonical ``columns`` (name -> accepted header
    spellings, matched case- and accent-insensitively); ``required`` must all be present.

    Raises ``BadInput`` for a file that is missing, unreadable, of an unsupported kind, or
    lacks a required column; and, while rows are read, for a CSV that turns out undecodable.
    """
    path = Path(path)
    file = str(path)
    _check_path(path, file)
    headers = _HeaderMatcher(columns, required)
    suffix = path.suffix.lower()
    with ExitStack() as stack:
        if suffix in CSV_EXTENSIONS:
            table = _open_csv(path, file, headers, stack)
        elif suffix in SPREADSHEET_EXTENSIONS:
            table = _open_spreadsheet(path, file, headers, sheet, stack)
        elif suffix in JSON_EXTENSIONS or suffix in YAML_EXTENSIONS:
            table = _open_objects(path, file, headers, yaml=suffix in YAML_EXTENSIONS)
        else:
            raise _bad(
                file,
                0,
                "",
                f"unsupported file type {suffix or '(no extension)'!r}; "
                f"use one of {' '.join(ACCEPTED_EXTENSIONS)} (.txt is read as CSV)",
            )
        try:
            yield table
        finally:
            blocks = table.blocks
            if hasattr(blocks, "close"):
                blocks.close()


def fold_header(name: str) -> str:
    """The form header names are compared in: no accents, đ as d, lower case, underscores as
    spaces, whitespace collapsed ("Mã đơn vị_cha" -> "ma don vi cha")."""
    return " ".join(fold(normalize(name)).replace("_", " ").split())


def _bad(file: str, row: int, column: str, message: str) -> BadInput:
    return BadInput([InputProblem(file=file, row=row, column=column, message=message)])


def _check_path(path: Path, file: str) -> None:
    if path.is_dir():
        raise _bad(file, 0, "", "this is a folder, not a file; give the path of the file")
    if not path.exists():
        raise _bad(file, 0, "", "no such file; check the path and the file name")


def _cannot_read(file: str, error: OSError) -> BadInput:
    return _bad(file, 0, "", f"cannot read the file: {error.strerror or error}")


class _HeaderMatcher:
    """Knows the caller's columns and recognises a header row among the file's rows."""

    def __init__(self, columns: dict[str, tuple[str, ...]], required: tuple[str, ...]):
        unknown = [name for name in required if name not in columns]
        if unknown:
            raise ValueError(f"required columns not described in columns: {unknown}")
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
                            f"missing required column {name!r} (accepted headers: {accepted}); "
                            f"add the column, or rename its header"
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
    ) -> Table:
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
                            f"columns {first!r} and {cell!r} both mean {name!r}; keep one of them"
                        ),
                    )
                )
            else:
                columns[name] = index
        if clashes:
            raise BadInput(clashes)
        return Table(path, columns, unknown, blocks, problems)


def _shape(
    row: list[str],
    number: int,
    width: int,
    unnamed: tuple[int, ...],
    problems: list[InputProblem],
    file: str,
    where: str,
) -> list[str]:
    """Fit a row to the header's width: pad a short row, and report values that stand in a
    column without a header (beyond the header, or under an empty header cell)."""
    if len(row) < width:
        row = row + [""] * (width - len(row))
    stray = [i for i in unnamed if row[i]]
    stray += [i for i in range(width, len(row)) if row[i]]
    for i in stray:
        hint = (
            "; a value probably contains the separator: put that value in double quotes"
            if where == "field" and i >= width
            else "; give the column a header or delete the value"
        )
        problems.append(
            InputProblem(
                file=file,
                row=number,
                column=_position(where, i),
                message=f"value {row[i]!r} has no header{hint}",
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


def _header_width(header: list[str]) -> tuple[int, tuple[int, ...]]:
    """The number of file columns, and the columns whose header cell is empty."""
    return len(header), tuple(i for i, cell in enumerate(header) if not cell)


# --- CSV -------------------------------------------------------------------------------------


def _latin1_fallback(error: UnicodeError) -> tuple[str, int]:
    # Windows-1258 leaves a few bytes undefined; keep them visible (as U+0080..U+009F) so that
    # text in a legacy Vietnamese font encoding reaches the caller's mojibake check intact.
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start : error.end].decode("latin-1"), error.end


def _register_latin1_fallback() -> None:
    try:
        codecs.lookup_error(_LATIN1_FALLBACK)
    except LookupError:
        codecs.register_error(_LATIN1_FALLBACK, _latin1_fallback)


def _detect_encoding(raw: BinaryIO) -> tuple[str, int]:
    """(codec, bytes of BOM to skip). BOMs first; then UTF-16 without BOM by its zero bytes;
    then UTF-8 if the first stretch of non-ASCII text decodes strictly, else Windows-1258."""
    head = raw.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le", 2
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be", 2
    raw.seek(0)
    first = raw.read(_HEAD)
    sample = first[:4096]
    if sample[1::2].count(0) > len(sample) // 4:
        return "utf-16-le", 0
    if sample[0::2].count(0) > len(sample) // 4:
        return "utf-16-be", 0
    block = first
    while block:
        if not block.isascii():
            try:
                # Earlier blocks were ASCII, so this one starts on a character boundary; a
                # character cut off by the block's end (not the file's) is left pending.
                final = len(block) < _HEAD
                codecs.getincrementaldecoder("utf-8")().decode(block, final=final)
            except UnicodeDecodeError:
                return "cp1258", 0
            return "utf-8", 0
        block = raw.read(_HEAD)
    return "utf-8", 0


def _byte_chunks(raw: BinaryIO) -> Iterator[bytes]:
    """The rest of the file in chunks of whole lines (cut after a line break), so that no
    character and no line is split between chunks."""
    carry = b""
    while True:
        block = raw.read(_CHUNK)
        if not block:
            if carry:
                yield carry
            return
        data = carry + block if carry else block
        cut = data.rfind(b"\n") + 1
        if not cut:
            # A lone CR ends a line too, but one at the very end may be half of a CRLF.
            cut = data.rfind(b"\r", 0, len(data) - 1) + 1
            if not cut:
                carry = data
                continue
        carry = data[cut:]
        yield data[:cut]


class _CsvChunks:
    """A CSV's decoded lines, a chunk at a time, each chunk normalised to NFC and graded by
    what its cells still need: ``_CLEAN`` nothing, ``_SPACES`` whitespace collapsed, ``_FULL``
    normalize()."""

    def __init__(self, raw: BinaryIO, file: str, encoding: str, bom: int, delimiter: str):
        self.raw = raw
        self.file = file
        self.encoding = encoding
        self.bom = bom
        d = delimiter.encode("ascii")
        self.trailing_space = re.compile(b" [ " + re.escape(d) + b'"\r\n]')
        self.field_starts = (d, b"\n", b"\r")
        self.tab_separated = delimiter == "\t"
        self.control_bytes = _CONTROL_BYTES if self.tab_separated else (b"\t", *_CONTROL_BYTES)
        if encoding == "utf-8":
            self.lead_bytes = _UTF8_LEAD_BYTES_OF_ODD_CHARACTERS
        else:
            self.control_bytes += _CP1258_ODD_BYTES
            self.lead_bytes = ()
        self.errors = _LATIN1_FALLBACK if encoding == "cp1258" else "strict"
        self.lines_read = 0

    def __iter__(self) -> Iterator[tuple[list[str], int]]:
        self.lines_read = 0
        try:
            self.raw.seek(self.bom)
            chunks = self._utf16() if self.encoding.startswith("utf-16") else self._bytes()
            for lines, level in chunks:
                yield lines, level
                self.lines_read += len(lines)
        except OSError as error:
            raise _cannot_read(self.file, error) from None

    def _utf16(self) -> Iterator[tuple[list[str], int]]:
        # Rare and small in practice (Excel's "Unicode text"): every cell gets normalize().
        text = io.TextIOWrapper(self.raw, encoding=self.encoding, newline="")
        try:
            while chunk := text.read(_CHUNK):
                chunk += text.readline()
                yield list(io.StringIO(chunk, newline="")), _FULL
        except UnicodeDecodeError:
            raise _bad(
                self.file,
                self.lines_read + 1,
                "",
                "the file starts as UTF-16 but is not valid UTF-16 here; "
                "save it again as CSV UTF-8",
            ) from None
        finally:
            text.detach()

    def _bytes(self) -> Iterator[tuple[list[str], int]]:
        for chunk in _byte_chunks(self.raw):
            level = self._grade(chunk)
            try:
                text = chunk.decode(self.encoding, self.errors)
            except UnicodeDecodeError as error:
                line = self.lines_read + 1 + chunk.count(b"\n", 0, error.start)
                raise _bad(
                    self.file,
                    line,
                    "",
                    f"this line is not valid UTF-8 (byte 0x{chunk[error.start]:02x}) although "
                    f"the text before it is; the file mixes encodings: save it again as CSV UTF-8",
                ) from None
            if level != _FULL and "\u1680" in text:
                level = _FULL
            if level == _FULL:
                # Lines split exactly as a file opened with newline="" splits them.
                yield list(io.StringIO(text, newline="")), level
            else:
                # No \v, \f, \x1c-\x1e, NEL or U+2028/9 here (they make a chunk _FULL), so
                # str.splitlines() splits on the line breaks csv knows and no others.
                yield unicodedata.normalize("NFC", text).splitlines(True), level

    def _grade(self, chunk: bytes) -> int:
        for odd in self.control_bytes:
            if odd in chunk:
                return _FULL
        for lead in self.lead_bytes:
            if lead in chunk:
                if _UTF8_ODD_CHARACTERS.search(chunk):
                    return _FULL
                break
        if (
            self.trailing_space.search(chunk)
            or any(_space_after_quote_is_stray(chunk, match.start(), self.field_starts)
                   for match in _QUOTE_THEN_SPACE.finditer(chunk))
            or chunk.endswith(b" ")
            or (self.tab_separated and b'"' in chunk)  # a tab inside a quoted value
        ):
            return _SPACES
        return _CLEAN


def _open_csv(path: Path, file: str, headers: _HeaderMatcher, stack: ExitStack) -> Table:
    try:
        raw = stack.enter_context(open(path, "rb"))
        encoding, bom = _detect_encoding(raw)
        raw.seek(bom)
        head = _decode_head(raw, file, encoding)
    except OSError as error:
        raise _cannot_read(file, error) from None
    if not head.strip():
        raise _bad(file, 0, "", "the file is empty; it needs a header row and rows of data")
    delimiter, header_line, header = _find_csv_header(head, headers, file)
    chunks = _CsvChunks(raw, file, encoding, bom, delimiter)
    problems: list[InputProblem] = []
    parse = _CsvChunkParser(file, delimiter, header_line, header, problems)
    table = headers.table(path, file, header_line, header, parse.blocks(chunks), problems)
    size = max(os.fstat(raw.fileno()).st_size, 1)
    table.fraction_read = lambda: min(raw.tell() / size, 1.0)
    return table


def _decode_head(raw: BinaryIO, file: str, encoding: str) -> str:
    head = raw.read(_HEAD)
    if encoding.startswith("utf-16"):
        head = head[: len(head) // 2 * 2]
    if encoding == "cp1258":
        _register_latin1_fallback()
        return head.decode(encoding, _LATIN1_FALLBACK)
    try:
        return codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        raise _bad(
            file, 0, "", f"the file is not valid {encoding.upper()}; save it again as CSV UTF-8"
        ) from None


def _find_csv_header(head: str, headers: _HeaderMatcher, file: str) -> tuple[str, int, list[str]]:
    """(delimiter, line the header row starts on, header cells): the delimiter under which a row
    among the first ones names every required column, the earliest such row winning."""
    found: list[tuple[int, int, str, list[str]]] = []
    for rank, delimiter in enumerate(DELIMITERS):
        for line, cells in _head_records(head, delimiter):
            if headers.names_required(cells):
                found.append((line, rank, delimiter, cells))
                break
    if found:
        line, _, delimiter, cells = min(found, key=lambda match: match[:2])
        return delimiter, line, cells
    first = next((line for line in head.splitlines() if line.strip()), "")
    delimiter = max(DELIMITERS, key=first.count)
    for line, cells in _head_records(head, delimiter):
        raise headers.missing_columns(file, line, cells)
    raise _bad(file, 0, "", "the file is empty; it needs a header row and rows of data")


def _head_records(head: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line the record starts on, normalised cells) of the first non-empty records."""
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, skipinitialspace=True)
    seen = 0
    start = 1
    try:
        for record in reader:
            cells = [normalize(cell) for cell in record]
            if any(cells):
                yield start, cells
                seen += 1
                if seen >= HEADER_SEARCH_ROWS:
                    return
            start = reader.line_num + 1
    except csv.Error:
        return


# A line no CSV holds, put after each chunk: parsed as a record of its own it shows the chunk
# ended between records; swallowed into a cell it shows a quoted value running on.
_SENTINEL = "\ue000"
_SENTINEL_LINE = _SENTINEL + "\n"
_SENTINEL_ROW = [_SENTINEL]
# No value may be this long (csv's own limit is 131,072 characters).
_LONGEST_RECORD = 4 << 20


class _CsvChunkParser:
    """Turns chunks of lines into blocks of rows.

    A chunk whose records are one line each (almost every chunk) becomes a block built by C
    iterators alone, after collapsing whitespace in the rows whose line shows stray spaces;
    any other chunk takes a loop that tracks line numbers and cleans cells. A chunk that ends
    inside a quoted value waits for the next one.
    """

    def __init__(
        self,
        file: str,
        delimiter: str,
        header_line: int,
        header: list[str],
        problems: list[InputProblem],
    ):
        self.file = file
        self.delimiter = delimiter
        self.header_line = header_line
        self.width, self.unnamed = _header_width(header)
        self.problems = problems
        # _CsvChunks._grade's tests on text, to find the rows of a _SPACES chunk that need
        # whitespace collapsed.
        spaced = " [ " + re.escape(delimiter) + '"\r\n]'
        if delimiter == "\t":
            spaced += '|"'
        self.spaced = re.compile(spaced)
        self.field_starts = (delimiter, "\n", "\r")

    def blocks(self, chunks: Iterable[tuple[list[str], int]]) -> Iterator[Block]:
        first = 1
        carry: list[str] = []
        carry_level = _CLEAN
        for lines, level in chunks:
            if carry:
                lines = carry + lines
                level = max(level, carry_level)
            block = self._parse(lines, level, first)
            if block is None:
                if sum(map(len, lines)) > _LONGEST_RECORD:
                    raise _bad(
                        self.file,
                        first,
                        "",
                        "a quoted value that starts on or after this line never ends; "
                        'check the double quotes (a quote inside a value is written "")',
                    )
                carry, carry_level = lines, level
                continue
            carry = []
            first += len(lines)
            if block[1]:
                yield block
        if carry:
            # A quoted value left open at the end of the file: csv.reader ends it there, line
            # breaks and all.
            block = self._parse_slowly(carry, _FULL, first, final=True)
            if block is not None and block[1]:
                yield block

    def _reader(self, lines: Iterable[str]) -> Any:
        return csv.reader(lines, delimiter=self.delimiter, skipinitialspace=True)

    def _csv_error(self, first: int, reader: Any, error: csv.Error) -> BadInput:
        message = f"cannot read this line as CSV ({error}); check its double quotes"
        if "field larger than field limit" in str(error):
            message = (
                "a value here is longer than CSV allows: a double quote on or before this "
                "line probably opens a value that never closes "
                '(a quote inside a value is written "")'
            )
        return _bad(self.file, first + reader.line_num - 1, "", message)

    def _parse(self, lines: list[str], level: int, first: int) -> Block | None:
        """The chunk's rows, or None when it ends inside a quoted value."""
        if level != _FULL and first > self.header_line:
            reader = self._reader(itertools.chain(lines, (_SENTINEL_LINE,)))
            try:
                rows = list(reader)
            except csv.Error as error:
                raise self._csv_error(first, reader, error) from None
            if rows[-1] != _SENTINEL_ROW:
                return None
            rows.pop()
            if len(rows) == len(lines) and self._regular(rows):
                if level == _SPACES:
                    self._collapse_spaces(lines, rows)
                filled = list(map(any, rows))
                if all(filled):
                    return range(first, first + len(rows)), rows
                numbers = range(first, first + len(rows))
                return list(itertools.compress(numbers, filled)), list(
                    itertools.compress(rows, filled)
                )
        return self._parse_slowly(lines, level, first, final=False)

    def _collapse_spaces(self, lines: list[str], rows: list[list[str]]) -> None:
        """Collapse whitespace in the rows (one per line) whose line shows stray spaces.

        The chunk is searched as one text (a search per line would cost more than the rest
        of the chunk's reading), and each match is placed on its line by its offset."""
        text = "".join(lines)
        ends = list(itertools.accumulate(map(len, lines)))
        untidy = {bisect.bisect_right(ends, match.start())
                  for match in self.spaced.finditer(text)}
        untidy.update(bisect.bisect_right(ends, match.start())
                      for match in _QUOTE_THEN_SPACE_TEXT.finditer(text)
                      if _space_after_quote_is_stray(text, match.start(), self.field_starts))
        if lines[-1].endswith(" "):
            untidy.add(len(lines) - 1)
        for i in untidy:
            rows[i] = [" ".join(cell.split()) for cell in rows[i]]

    def _regular(self, rows: list[list[str]]) -> bool:
        """Whether every row has one cell per column (blank lines aside) and nothing stands
        under an empty header cell."""
        lengths = set(map(len, rows))
        if lengths - {0} not in ({self.width}, set()):
            return False
        if not self.unnamed:
            return True
        full = [row for row in rows if row] if 0 in lengths else rows
        return not any(any(map(operator.itemgetter(i), full)) for i in self.unnamed)

    def _parse_slowly(
        self, lines: list[str], level: int, first: int, *, final: bool
    ) -> Block | None:
        reader = self._reader(lines if final else itertools.chain(lines, (_SENTINEL_LINE,)))
        width, unnamed, problems, file = self.width, self.unnamed, self.problems, self.file
        sentinel_line = first + len(lines)
        closed = final
        numbers: list[int] = []
        rows: list[list[str]] = []
        start = first
        try:
            for record in reader:
                end = first + reader.line_num - 1
                if end >= sentinel_line:
                    closed = start == sentinel_line and record == _SENTINEL_ROW
                    break
                row = record
                if end != start or level == _FULL:
                    # A record over several lines has line breaks in a cell.
                    row = [normalize(cell) for cell in row]
                elif level == _SPACES:
                    row = [" ".join(cell.split()) for cell in row]
                if start > self.header_line and any(row):
                    if len(row) != width or unnamed:
                        row = _shape(row, start, width, unnamed, problems, file, "field")
                    numbers.append(start)
                    rows.append(row)
                start = end + 1
        except csv.Error as error:
            raise self._csv_error(first, reader, error) from None
        return (numbers, rows) if closed else None


# --- Excel ------------------------------------------------------------------------------------


def _open_spreadsheet(
    path: Path, file: str, headers: _HeaderMatcher, sheet: str | None, stack: ExitStack
) -> Table:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except OSError as error:
        raise _cannot_read(file, error) from None
    except BaseException as error:  # calamine's errors share no useful base
        _reraise_unless_read_failure(error)
        raise _bad(file, 0, "", _not_a_workbook(path, error)) from None
    stack.callback(workbook.close)
    names = list(workbook.sheet_names)
    if not names:
        raise _bad(file, 0, "", "the workbook has no sheets")
    name = names[0] if sheet is None else _pick_sheet(file, names, sheet)
    try:
        worksheet = workbook.get_sheet_by_name(name)
        # iter_rows() starts at the sheet's first row even when that is blank, so a row's
        # index + 1 is the row number Excel shows; an empty sheet has no start.
        cells = iter(()) if worksheet.start is None else worksheet.iter_rows()
    except BaseException as error:
        _reraise_unless_read_failure(error)
        raise _bad(file, 0, "", f"cannot read sheet {name!r}: {error}") from None
    sheet_rows = ((number, [_text(v) for v in values]) for number, values in enumerate(cells, 1))
    sheet_rows = ((number, row) for number, row in sheet_rows if any(row))

    first: tuple[int, list[str]] | None = None
    for number, row in itertools.islice(sheet_rows, HEADER_SEARCH_ROWS):
        first = first or (number, row)
        if headers.names_required(row):
            problems: list[InputProblem] = []
            rows = _spreadsheet_rows(sheet_rows, row, problems, file)
            return headers.table(path, file, number, row, _in_blocks(rows), problems)
    if first is None:
        raise _bad(file, 0, "", f"sheet {name!r} is empty; it needs a header row and rows of data")
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
    width, unnamed = _header_width(header)
    for number, row in sheet_rows:
        yield number, _shape(row, number, width, unnamed, problems, file, "column")


def _pick_sheet(file: str, names: list[str], sheet: str) -> str:
    if sheet in names:
        return sheet
    folded = [name for name in names if fold_header(name) == fold_header(sheet)]
    if len(folded) == 1:
        return folded[0]
    listed = ", ".join(repr(name) for name in names)
    raise _bad(file, 0, "", f"no sheet named {sheet!r}; the workbook's sheets are {listed}")


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


def _text(value: Any) -> str:
    """A spreadsheet, JSON or YAML value as cell text: whole numbers without ".0" (a code that
    Excel stored as a number), dates as ISO, booleans as true/false, nothing as ""."""
    if type(value) is str:
        return normalize(value)
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


# --- JSON and YAML ----------------------------------------------------------------------------


def _open_objects(path: Path, file: str, headers: _HeaderMatcher, *, yaml: bool) -> Table:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _cannot_read(file, error) from None
    items = _load_yaml(data, file) if yaml else _load_json(data, file)
    kind = "YAML" if yaml else "JSON"
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise _bad(file, 0, "", _not_a_list(items, kind))
    if not items:
        raise _bad(file, 0, "", f"the {kind} list is empty; there is nothing to read")

    keys: dict[str, int] = {}
    problems: list[InputProblem] = []
    objects: list[dict[str, Any]] = []
    for number, item in enumerate(items, 1):
        obj: dict[str, Any] = {}
        for key, value in item.items():
            name = _text(key)
            if isinstance(value, (dict, list)):
                problems.append(
                    InputProblem(
                        file=file,
                        row=number,
                        column=name,
                        message=(
                            f"the value of {name!r} is a nested "
                            f"{'list' if isinstance(value, list) else 'object'}; "
                            f"give a single value (text, number or date)"
                        ),
                    )
                )
                continue
            keys.setdefault(name, len(keys))
            obj[name] = value
        objects.append(obj)
    if problems:
        raise BadInput(problems)
    header = list(keys)
    if not headers.names_required(header):
        raise headers.missing_columns(file, 0, header)
    rows = (
        (number, [_text(obj.get(key)) for key in header]) for number, obj in enumerate(objects, 1)
    )
    rows = ((number, row) for number, row in rows if any(row))
    return headers.table(path, file, 0, header, _in_blocks(rows), [])


def _not_a_list(items: Any, kind: str) -> str:
    expected = "a list of objects, one per row"
    example = '[{"code": "19750", "name": "Phường Tây Lộc", ...}, ...]'
    if kind == "YAML":
        example = "- code: '19750'\n  name: Phường Tây Lộc"
    if isinstance(items, list):
        position = next(i for i, item in enumerate(items, 1) if not isinstance(item, dict))
        found = f"item {position} is {_kind_of(items[position - 1])}"
    else:
        found = f"the file holds {_kind_of(items)}"
    return f"expected {expected}, but {found}; write it as {example}"


def _kind_of(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return "text"
    return "a single value"


def _load_json(data: bytes, file: str) -> Any:
    import json

    try:
        return json.loads(data)
    except json.JSONDecodeError as error:
        raise _bad(
            file,
            0,
            "",
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
        ) from None
    except UnicodeDecodeError:
        raise _bad(file, 0, "", "a JSON file must be UTF-8; save it again as UTF-8") from None


def _load_yaml(data: bytes, file: str) -> Any:
    import yaml

    try:
        return yaml.load(data, Loader=_text_loader())
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise _bad(file, 0, "", f"not valid YAML: {error.problem}{where}") from None
    except yaml.YAMLError as error:
        raise _bad(file, 0, "", f"not valid YAML: {error}") from None


@functools.cache
def _text_loader() -> Any:
    """A safe YAML loader that keeps plain scalars as the text written, except null: a code
    01234 must not become the octal number 668, nor "No" become false."""
    import yaml

    base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    keep = {"tag:yaml.org,2002:null", "tag:yaml.org,2002:merge"}
    resolvers = {
        first: [(tag, regexp) for tag, regexp in entries if tag in keep]
        for first, entries in base.yaml_implicit_resolvers.items()
    }
    return type("TextLoader", (base,), {"yaml_implicit_resolvers": resolvers})
