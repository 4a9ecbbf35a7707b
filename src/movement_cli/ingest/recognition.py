"""The recognition sheets: writing one workbook per selected unit for the officials to fill
(openpyxl), and reading the answers back from those workbooks as they are, re-saved or not,
or from CSV, JSON and YAML (through the readers' table API).

Reading checks every row and returns the answers and every problem; what a row refers to (the
year's selected units and the criteria of each unit's set) is passed in, and nothing is
written here.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_, message_of
from movement_cli.text.keys import fold

# The header row, as the contract names it; the order the sheets use.
SHEET_HEADER = ("code", "criterion", "group", "title", "met", "note")
ANSWER_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("mã", "mã đơn vị", "ma_don_vi"),
    "criterion": ("tiêu chí", "mã tiêu chí", "criterion_id"),
    "group": ("nhóm", "nhóm tiêu chí"),
    "title": ("nội dung", "tên tiêu chí"),
    "met": ("đạt", "kết quả", "đánh giá"),
    "note": ("ghi chú",),
}
REQUIRED = ("code", "criterion", "met")
# The columns an import looks at: group and title are there for the official's eyes.
READ = ("code", "criterion", "met", "note")

MET = "Đạt"
NOT_MET = "Không đạt"
# Spellings of an answer, compared folded (no accents, lower case): the drop-down's two
# values, yes/no, 1/0 (and true/false, as JSON and YAML write them; "Chưa đạt", as the ANTT
# results are written).
_MET_SPELLINGS = {
    "dat": True, "yes": True, "1": True, "true": True,
    "khong dat": False, "chua dat": False, "no": False, "0": False, "false": False,
}

# The two values of the drop-down, as the sheets hold them: no folding needed.
_MET_AS_WRITTEN = {MET: True, NOT_MET: False}

# Where the rows start in a sheet the tool writes: title rows, a blank row, the header.
TITLE_ROWS = 4
HEADER_ROW = TITLE_ROWS + 2
# Column widths in characters: the six columns fit an A4 page's width once scaled to it.
_WIDTHS = {"A": 9, "B": 9, "C": 7, "D": 58, "E": 12, "F": 24}
# Points per line of 11 pt text.
_LINE_HEIGHT = 15


def _lines(text: str | None, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` characters wide (about one
    character fewer per line than the width, for the margins)."""
    import math

    per_line = max(width - 2, 1)
    return max(1, sum(math.ceil(len(part) / per_line) or 1 for part in (text or "").split("\n")))


def parse_met(text: str) -> bool | None:
    """An answer cell as True (met), False (not met) or None (empty: no answer).
    Raises ValueError for anything else."""
    if not text.strip():
        return None
    found = _MET_AS_WRITTEN.get(text)
    if found is not None:
        return found
    found = _MET_SPELLINGS.get(" ".join(fold(text).replace("_", " ").split()))
    if found is None:
        raise ValueError(N_("'{text}' is not an answer; write {MET} or {NOT_MET} (or yes/no, "
                            "1/0), or leave it empty", text=text, MET=MET, NOT_MET=NOT_MET))
    return found


@dataclass(frozen=True)
class SheetUnit:
    """What a sheet names: the unit, the year and the criteria set that judges it."""

    year: int
    code: str
    name: str
    set_id: str
    set_title: str
    criteria: Sequence[tuple[str, str | None, str]]  # (id, group, title)
    answers: Mapping[str, tuple[bool, str | None]] = field(default_factory=dict)


def write_sheet(path: Path, unit: SheetUnit) -> None:
    """Write ``unit``'s sheet to ``path``: title rows, the header, one row per criterion with
    the Đạt / Không đạt drop-down on ``met`` and the answers already recorded.

    A write-only workbook: rows stream straight to the file, which for a thousand sheets
    costs a third less than building each sheet in memory first."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Đánh giá")
    first = HEADER_ROW + 1
    last = max(first + len(unit.criteria) - 1, first)
    for letter, width in _WIDTHS.items():
        sheet.column_dimensions[letter].width = width
    titles = (
        f"PHIẾU ĐÁNH GIÁ ĐƠN VỊ ĐIỂN HÌNH NĂM {unit.year}",
        f"Đơn vị: {unit.name} (mã {unit.code}) — năm {unit.year}",
        f"Bộ tiêu chí: {unit.set_title} [{unit.set_id}]",
        f"Cột met: chọn {MET} hoặc {NOT_MET}; để trống khi chưa đánh giá. "
        "Không sửa các cột code, criterion.",
    )
    for row, text in enumerate(titles, start=1):
        sheet.merged_cells.add(f"A{row}:F{row}")
        size = 13 if row == 1 else 11
        sheet.row_dimensions[row].height = (_LINE_HEIGHT + size - 11) * _lines(
            text, sum(_WIDTHS.values()) * 11 // size)
    choice = DataValidation(type="list", formula1=f'"{MET},{NOT_MET}"', allow_blank=True,
                            showErrorMessage=True, errorTitle="met",
                            error=f"Chọn {MET} hoặc {NOT_MET}")
    choice.add(f"E{first}:E{last}")
    sheet.data_validations.append(choice)
    sheet.freeze_panes = f"A{first}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.orientation = "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    wrap = Alignment(wrap_text=True, vertical="top")

    def styled(value: str, *, font: Font | None = None) -> WriteOnlyCell:
        cell = WriteOnlyCell(sheet, value=value)
        cell.alignment = wrap
        if font is not None:
            cell.font = font
        return cell

    sheet.append([styled(titles[0], font=Font(bold=True, size=13))])
    for text in titles[1:]:
        sheet.append([styled(text)])
    sheet.append([])
    bold = Font(bold=True)
    header = []
    for name in SHEET_HEADER:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row, (ident, group, title) in enumerate(unit.criteria, start=first):
        # Spreadsheet programs do not grow a row for wrapped text written by a library:
        # give each row the lines its title needs, or the text runs into the next row.
        sheet.row_dimensions[row].height = _LINE_HEIGHT * _lines(title, _WIDTHS["D"])
        answer = unit.answers.get(ident)
        if answer is None:
            sheet.append([unit.code, ident, group, styled(title)])
        else:
            met = MET if answer[0] else NOT_MET
            sheet.append([unit.code, ident, group, styled(title), met,
                          styled(answer[1]) if answer[1] else None])
    book.save(path)


def fill_sheet(path: Path, answers: Mapping[str, bool]) -> None:
    """Set the ``met`` cells of a sheet this module wrote, by criterion id, as an official
    does in Excel (the demo fills its sheets this way before importing them)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        criterion = sheet.cell(row=row, column=2).value
        if criterion in answers:
            sheet.cell(row=row, column=5, value=MET if answers[criterion] else NOT_MET)
    book.save(path)


class Answer(NamedTuple):
    """One checked answer row (a tuple: tens of thousands are made per import)."""

    file: str
    row: int
    code: str
    criterion: str
    met: bool | None
    note: str


@dataclass
class ReadAnswers:
    answers: list[Answer] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    taken: int = 0  # how many of ``answers`` were handed to ``take``
    sha256: dict[str, str] = field(default_factory=dict)  # of each file read
    rows: dict[str, int] = field(default_factory=dict)  # the answers each file gave


class FileRows(NamedTuple):
    """What one answers file holds, read but not checked: (row, code, criterion, met as
    written, note) for each row, the problems the reader found in the file, and the SHA-256
    of its bytes (for the audit)."""

    file: str
    rows: list[tuple[int, str, str, str, str]]
    problems: list[InputProblem]
    sha256: str


def read_rows(path: Path) -> FileRows:
    """The rows of one answers file. Raises ``BadInput`` for a file that cannot be read as a
    table."""
    from movement_cli.ingest.readers import open_table
    from movement_cli.ingest.roster import sha256_of

    with open_table(path, columns=ANSWER_COLUMNS, required=REQUIRED,
                    reads=READ) as table:
        at = table.columns
        at_code, at_criterion, at_met = at["code"], at["criterion"], at["met"]
        at_note = at.get("note")
        rows = [(row, cells[at_code], cells[at_criterion], cells[at_met],
                 cells[at_note] if at_note is not None else "") for row, cells in table.rows]
        return FileRows(str(path), rows, table.problems, table.sha256 or sha256_of(path))


def read_answers(paths: Iterable[Path], **checks) -> ReadAnswers:
    """``check_answers`` of every row of ``paths``, read here."""
    return check_answers(map(read_rows, paths), **checks)


def check_answers(files: Iterable[FileRows], *,
                  criteria_of: Callable[[str], Sequence[str] | None],
                  selected: Callable[[str], bool], closed: Callable[[str], str | None],
                  check_criteria: bool = True,
                  take: Callable[[list[Answer]], None] | None = None,
                  every: int = 5000) -> ReadAnswers:
    """Check every row of ``files``: ``selected(code)`` says whether the unit is in
    the year's confirmed selection, ``criteria_of(code)`` gives the ids of the set that
    applies to it (None when no set does), ``closed(code)`` why its answers can no longer
    change (None while they can); ``check_criteria=False`` takes any criterion id (to see
    what a sheet on disk holds). The same (code, criterion) twice, in one file or across
    files, is reported on its later row.

    ``take(answers)`` is handed the answers checked so far, about ``every`` at a time, while
    no problem has been found (to store them as later files are still being read); the
    answers it was not handed, and all of them, are in what this returns."""
    found = ReadAnswers()
    seen: dict[tuple[str, str], tuple[str, int]] = {}
    # Each unit's criteria asked for once: (ids in the set's order, the same as a set).
    allowed: dict[str, tuple[Sequence[str] | None, frozenset[str]]] = {}

    def problem(file: str, row: int, column: str, message: str) -> None:
        found.problems.append(InputProblem(file, row, column, message))

    def criteria(code: str) -> tuple[Sequence[str] | None, frozenset[str]]:
        if code not in allowed:
            ids = criteria_of(code)
            allowed[code] = (ids, frozenset(ids or ()))
        return allowed[code]

    def unknown(code: str, criterion: str) -> str | None:
        """Why ``criterion`` is not one of ``code``'s (None when it is)."""
        if not check_criteria:
            return None
        ids, known = criteria(code)
        if ids is None:
            return N_("no criteria set applies to {code}", code=code)
        if criterion in known:
            return None
        some = ", ".join(ids[:3]) + (", …" if len(ids) > 3 else "")
        return N_("'{criterion}' is not a criterion of the set that applies to {code} ({some})",
                  criterion=criterion, code=code, some=some)

    # Units whose rows can be taken as they are: selected, still open, and (when criteria
    # are checked) the ids of their set. A row of such a unit with a criterion of its set,
    # seen for the first time and answered in a known spelling, goes straight in; any other
    # row takes the full checks below, which say what is wrong with it.
    open_units: dict[str, frozenset[str] | None] = {}

    def fast_lane(code: str) -> frozenset[str] | None:
        if code not in open_units:
            open_units[code] = None
            if check_criteria and code and selected(code) and closed(code) is None:
                ids, known = criteria(code)
                open_units[code] = known if ids is not None else None
        return open_units[code]

    answers = found.answers
    taken = 0
    for file, rows, problems, sha256 in files:
        found.sha256[file] = sha256
        if take is not None and len(answers) - taken >= every and not found.problems:
            take(answers[taken:])
            taken = len(answers)
        before = len(answers)
        for row, code, criterion, written, note in rows:
            met = _MET_AS_WRITTEN.get(written, ...) if written else None
            known = fast_lane(code) if met is not ... else None
            if known is not None and criterion in known and (code, criterion) not in seen:
                seen[(code, criterion)] = (file, row)
                answers.append(Answer(file, row, code, criterion, met, note))
                continue
            bad = functools.partial(problem, file, row)
            try:
                met = parse_met(written)
            except ValueError as exc:
                bad("met", message_of(exc))
                met = None
            if not code:
                bad("code", N_("empty; give the unit's code"))
            elif not selected(code):
                bad("code", N_("{code} is not in the year's confirmed selection", code=code))
            elif (why := closed(code)) is not None:
                bad("code", why)
            elif not criterion:
                bad("criterion", N_("empty; give the criterion's id"))
            elif (why := unknown(code, criterion)) is not None:
                bad("criterion", why)
            elif (code, criterion) in seen:
                where = seen[(code, criterion)]
                also = (N_("row {row}", row=where[1]) if where[0] == file
                        else f"{where[0]}:{where[1]}")
                bad("criterion", N_("{code} {criterion} is given twice (also {also})",
                                    code=code, criterion=criterion, also=also))
            else:
                seen[(code, criterion)] = (file, row)
                answers.append(Answer(file, row, code, criterion, met, note))
        found.rows[file] = found.rows.get(file, 0) + len(answers) - before
        found.problems += problems
    found.taken = taken
    return found


def raise_problems(problems: list[InputProblem]) -> None:
    if problems:
        raise BadInput(sorted(problems, key=lambda p: (p.file, p.row)))
