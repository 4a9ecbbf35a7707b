"""CSV (and .txt) files: the encodings and separators offices produce, read in chunks.

CSV is the hot path (a national roster is a million rows), so it streams and keeps per-cell
Python work off the common case: the text is normalised to NFC a chunk at a time, and a chunk
is only cleaned cell by cell when a cheap scan of its bytes finds something a cell could need
(stray spaces, tabs, no-break or zero-width characters).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import io
import itertools
import operator
import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any, AnyStr, BinaryIO

from movement_cli.core.cells import unguard
from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_
from movement_cli.ingest.readers.table import (
    HEADER_SEARCH_ROWS,
    Block,
    ControlGuard,
    HeaderMatcher,
    Table,
    bad,
    cannot_read,
    header_width,
    shape,
)
from movement_cli.text import normalize

DELIMITERS = (",", ";", "\t")

# Bytes of CSV read, decoded, normalised and parsed at a time: a few hundred rows, few enough
# that a chunk's rows stay in the CPU cache while the caller takes them.
_CHUNK = 1 << 15
# Bytes of CSV looked at for the encoding, the delimiter and the header row.
_HEAD = 1 << 18
# A chunk's cells need: nothing beyond the chunk's NFC / whitespace collapsed / full normalize()
# / full normalize() after removing the apostrophe an export put before a formula-like text
# / that, and the table's ControlGuard (a control character somewhere in the chunk).
_CLEAN, _SPACES, _FULL, _GUARDED, _CONTROLS = 0, 1, 2, 3, 4
# Control characters that are not whitespace: a chunk holding one goes to the ControlGuard.
# Looked for one byte value at a time, which is cheaper than a regular expression over every
# chunk of a clean file.
_OTHER_CONTROL_BYTES = tuple(bytes([b]) for b in (*range(0x00, 0x09), *range(0x0E, 0x1C),
                                                    0x7F))
_UTF8_C1 = re.compile(b"\xc2[\x80-\x9f]")
# A cell that starts with the export's guard: an apostrophe before = + - @ tab or CR, at the
# start of a field (after a delimiter, a line break, an opening quote or a space). Only a
# chunk with an apostrophe is searched, and only a chunk that matches leaves the fast path.
_GUARDED_CELL = re.compile(rb"(?:^|[,;\t\n\r\" ])'[=+\-@\t\r]")

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
    then, in the first stretch of non-ASCII text, UTF-8 when its bytes are mostly valid
    UTF-8 (a stray byte or a row another program added in Windows-1258 does not turn a
    UTF-8 file into Windows-1258 mojibake: it is reported on its line), else Windows-1258.
    Only the head of the file is looked at: a big file is not read twice."""
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
                return ("utf-8" if _mostly_utf8(block) else "cp1258"), 0
            return "utf-8", 0
        block = raw.read(_HEAD)
    return "utf-8", 0


# A well-formed UTF-8 sequence of two to four bytes. Windows-1258 text almost never holds
# one by chance: its letters are lead bytes, and the continuation bytes 0x80-0xBF are
# punctuation and symbols, which rarely follow a letter directly.
_UTF8_SEQUENCE = re.compile(
    b"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    b"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    b"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _mostly_utf8(block: bytes) -> bool:
    """Whether more of the block's non-ASCII bytes belong to valid UTF-8 sequences than
    not (ASCII bytes say nothing either way)."""
    valid = sum(map(len, _UTF8_SEQUENCE.findall(block)))
    non_ascii = len(block.translate(None, bytes(range(128))))
    return valid > non_ascii - valid


def _utf8_line(chunk: bytes) -> int | None:
    """The index of the first line of a Windows-1258 chunk that is UTF-8 text (non-ASCII
    and valid UTF-8 through and through), or None: a file can only be one of the two."""
    for match in _UTF8_SEQUENCE.finditer(chunk):
        start = chunk.rfind(b"\n", 0, match.start()) + 1
        end = chunk.find(b"\n", match.end())
        line = chunk[start:] if end < 0 else chunk[start:end]
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        return chunk.count(b"\n", 0, start)
    return None


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
            raise cannot_read(self.file, error) from None

    def _utf16(self) -> Iterator[tuple[list[str], int]]:
        # Rare and small in practice (Excel's "Unicode text"): every cell gets normalize().
        text = io.TextIOWrapper(self.raw, encoding=self.encoding, newline="")
        try:
            while chunk := text.read(_CHUNK):
                chunk += text.readline()
                yield list(io.StringIO(chunk, newline="")), _CONTROLS
        except UnicodeDecodeError:
            raise bad(
                self.file,
                self.lines_read + 1,
                "",
                N_("the file starts as UTF-16 but is not valid UTF-16 here; save it again as "
                   "CSV UTF-8"),
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
                raise bad(
                    self.file,
                    line,
                    "",
                    N_("this line is not valid UTF-8 (byte 0x{value:02x}) while the file is "
                       "UTF-8: it mixes encodings (a row added by another program, or a "
                       "damaged byte); fix the line, or save the file again as CSV UTF-8",
                       value=chunk[error.start]),
                ) from None
            if self.encoding == "cp1258" and _UTF8_SEQUENCE.search(chunk):
                found = _utf8_line(chunk)
                if found is not None:
                    raise bad(
                        self.file,
                        self.lines_read + 1 + found,
                        "",
                        N_("this line is UTF-8 while the file is Windows-1258: it mixes "
                           "encodings; save the whole file again as CSV UTF-8"),
                    )
            if level < _FULL and "\u1680" in text:
                level = _FULL
            if level >= _FULL:
                # Lines split exactly as a file opened with newline="" splits them.
                yield list(io.StringIO(text, newline="")), level
            else:
                # No \v, \f, \x1c-\x1e, NEL or U+2028/9 here (they make a chunk _FULL), so
                # str.splitlines() splits on the line breaks csv knows and no others.
                yield unicodedata.normalize("NFC", text).splitlines(True), level

    def _grade(self, chunk: bytes) -> int:
        for control in _OTHER_CONTROL_BYTES:
            if control in chunk:
                return _CONTROLS
        if self.encoding == "utf-8" and b"\xc2" in chunk and _UTF8_C1.search(chunk):
            return _CONTROLS
        if b"'" in chunk and _GUARDED_CELL.search(chunk):
            return _GUARDED
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


def open_csv(path: Path, file: str, headers: HeaderMatcher, stack: ExitStack) -> Table:
    try:
        raw = stack.enter_context(open(path, "rb"))
        encoding, bom = _detect_encoding(raw)
        raw.seek(bom)
        head = _decode_head(raw, file, encoding)
    except OSError as error:
        raise cannot_read(file, error) from None
    if not head.strip():
        raise bad(file, 0, "", N_("the file is empty; it needs a header row and rows of data"))
    delimiter, header_line, header = _find_csv_header(head, headers, file)
    chunks = _CsvChunks(raw, file, encoding, bom, delimiter)
    problems: list[InputProblem] = []
    parse = _CsvChunkParser(file, delimiter, header_line, header, problems)
    table = headers.table(path, file, header_line, header, parse.blocks(chunks), problems,
                          screened=True, c1_is_text=encoding == "cp1258")
    parse.guard = table.guard
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
    except UnicodeDecodeError as error:
        if encoding == "utf-8":
            line = head.count(b"\n", 0, error.start) + 1
            raise bad(
                file,
                line,
                "",
                N_("this line is not valid UTF-8 (byte 0x{value:02x}) while the file is "
                   "UTF-8: it mixes encodings (a row added by another program, or a "
                   "damaged byte); fix the line, or save the file again as CSV UTF-8",
                   value=head[error.start]),
            ) from None
        raise bad(
            file, 0, "", N_("the file is not valid {value}; save it again as CSV UTF-8",
                            value=encoding.upper())
        ) from None


def _find_csv_header(head: str, headers: HeaderMatcher, file: str) -> tuple[str, int, list[str]]:
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
    raise bad(file, 0, "", N_("the file is empty; it needs a header row and rows of data"))


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
        self.width, self.unnamed = header_width(header)
        self.problems = problems
        self.guard: ControlGuard | None = None  # the table's, set by open_csv
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
                    raise bad(
                        self.file,
                        first,
                        "",
                        N_("a quoted value that starts on or after this line never ends; check "
                           'the double quotes (a quote inside a value is written "")'),
                    )
                carry, carry_level = lines, level
                continue
            carry = []
            first += len(lines)
            if block[1]:
                yield self.guard.block(block) if level == _CONTROLS else block
        if carry:
            # A quoted value left open at the end of the file: csv.reader ends it there, line
            # breaks and all.
            block = self._parse_slowly(carry, max(carry_level, _FULL), first, final=True)
            if block is not None and block[1]:
                yield self.guard.block(block) if carry_level == _CONTROLS else block

    def _reader(self, lines: Iterable[str]) -> Any:
        return csv.reader(lines, delimiter=self.delimiter, skipinitialspace=True)

    def _csv_error(self, first: int, reader: Any, error: csv.Error,
                   lines: list[str] | None = None) -> BadInput:
        message = N_("cannot read this line as CSV ({error}); check its double quotes",
                     error=str(error))
        line = (lines[reader.line_num - 1] if lines and 0 < reader.line_num <= len(lines)
                else None)
        if "field larger than field limit" in str(error) and line is not None and '"' not in line:
            message = N_("a value on this line is longer than {limit:,} characters, the most "
                         "a cell may hold; shorten it", limit=csv.field_size_limit())
        elif "field larger than field limit" in str(error):
            message = N_(
                "a value here is longer than CSV allows: a double quote on or before this "
                "line probably opens a value that never closes "
                '(a quote inside a value is written "")'
            )
        return bad(self.file, first + reader.line_num - 1, "", message)

    def _parse(self, lines: list[str], level: int, first: int) -> Block | None:
        """The chunk's rows, or None when it ends inside a quoted value."""
        if level < _FULL and first > self.header_line:
            reader = self._reader(itertools.chain(lines, (_SENTINEL_LINE,)))
            try:
                rows = list(reader)
            except csv.Error as error:
                raise self._csv_error(first, reader, error, lines) from None
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
                if level >= _GUARDED:
                    row = [normalize(unguard(cell)) for cell in row]
                elif end != start or level == _FULL:
                    # A record over several lines has line breaks in a cell.
                    row = [normalize(cell) for cell in row]
                elif level == _SPACES:
                    row = [" ".join(cell.split()) for cell in row]
                if start > self.header_line and any(row):
                    if len(row) != width or unnamed:
                        row = shape(row, start, width, unnamed, problems, file, "field")
                    numbers.append(start)
                    rows.append(row)
                start = end + 1
        except csv.Error as error:
            raise self._csv_error(first, reader, error, lines) from None
        return (numbers, rows) if closed else None
