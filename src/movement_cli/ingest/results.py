"""Reading and checking yearly results for ``movement assess``: a file's rows as staging rows
and their problems, and the values of one result given on the command line.

A national file holds three million rows, so the per-row work is a few dictionary look-ups:
the value cells (year, ANTT result, class, score) repeat endlessly and are parsed once per
distinct combination; units, repeated rows and what changes are checked set-based in SQL
(``store.results``), never with a query per row. Nothing here touches the database: the
workflow (``workflows.import_results``) stages the rows and passes in the lookups.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import chain
from pathlib import Path

from movement_cli.core.calendar import FIRST_YEAR, result_day
from movement_cli.core.kinds import class_for_score, parse_class, parse_safety
from movement_cli.core.model import Classification
from movement_cli.errors import BadInput, InputProblem
from movement_cli.i18n import N_, message_of
from movement_cli.ingest.readers import Block, Table, open_table
from movement_cli.ingest.roster import ROSTER_COLUMNS
from movement_cli.text import loose_key, match_key

RESULT_COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ROSTER_COLUMNS["code"],
    "name": ROSTER_COLUMNS["name"],
    "year": ("year", "năm", "năm đánh giá"),
    # The headers officials write (matched without case or accents).
    "safety": (
        "safety",
        "kết quả",
        "kết quả ANTT",
        "an toàn về an ninh, trật tự",
        "an toàn về an ninh trật tự",
        "ANTT",
        "an toàn",
        "an toàn ANTT",
        "đạt chuẩn ANTT",
        "đạt chuẩn an toàn",
        "đạt chuẩn an toàn về an ninh, trật tự",
        "đạt tiêu chuẩn an toàn về an ninh, trật tự",
        "tiêu chuẩn ANTT",
        "tiêu chuẩn an toàn về an ninh, trật tự",
        "kết quả an toàn về an ninh, trật tự",
    ),
    "class": ("class", "xếp loại", "phân loại", "xếp loại phong trào", "phân loại phong trào",
              "kết quả phong trào", "xếp loại phong trào toàn dân bảo vệ an ninh Tổ quốc",
              "kết quả xếp loại"),
    "score": ("score", "điểm", "tổng điểm", "số điểm", "điểm số", "điểm chấm"),
    "decision": ("decision", "quyết định", "số quyết định", "quyết định công nhận",
                 "số quyết định công nhận"),
    "note": ("note", "ghi chú"),
}
VALUE_COLUMNS = ("year", "safety", "class", "score")
# Rows named in warnings before the rest are only counted.
WARNINGS_SHOWN = 50


@dataclass(frozen=True)
class _Parsed:
    """What the value cells of a row say: (year, safety, class, score), each None when the
    cell is empty or wrong; the problems as (column, message); a class/score disagreement."""

    values: tuple
    problems: tuple[tuple[str, str], ...] = ()
    disagreement: str | None = None

    @property
    def empty(self) -> bool:
        """No value cell filled in (a year alone records nothing)."""
        return not self.problems and all(value is None for value in self.values[1:])

    @property
    def usual(self) -> bool:
        """Nothing to report and something to record."""
        return not (self.problems or self.disagreement or self.empty)


class ResultValues:
    """Parses result values the same way for a file and for ``assess set``."""

    def __init__(self, classification: Classification, today: date, year: int | None = None):
        self.classification = classification
        self.this_year = today.year
        self.fixed_year = year

    def parse(self, year: str, safety: str, klass: str, score: str) -> _Parsed:
        problems: list[tuple[str, str]] = []

        def attempt(column: str, parse: Callable[[str], object], text: str):
            if not text:
                return None
            try:
                return parse(text)
            except ValueError as exc:
                problems.append((column, message_of(exc)))
                return None

        parsed_year = self._year(year, problems)
        parsed_safety = attempt("safety", parse_safety, safety)
        parsed_class = attempt("class", lambda t: parse_class(t, self.classification), klass)
        parsed_score = attempt("score", _parse_score, score)
        disagreement = None
        if parsed_score is not None:
            banded = class_for_score(parsed_score, self.classification)
            if parsed_class is None and not klass:
                parsed_class = banded
            elif parsed_class is not None and parsed_class != banded:
                disagreement = N_("class {klass} disagrees with score {score}, which the "
                                  "classification's bands put in {banded}; the class stands",
                                  klass=parsed_class, score=score, banded=banded)
        return _Parsed(
            (parsed_year, parsed_safety, parsed_class, parsed_score), tuple(problems), disagreement
        )

    def _year(self, text: str, problems: list[tuple[str, str]]) -> int | None:
        if not text:
            if self.fixed_year is None:
                problems.append(("year", N_("missing value (or give --year)")))
            return self.fixed_year
        if not (text.isascii() and text.isdigit() and len(text) == 4):
            problems.append(("year", N_("'{text}' is not a year: write it as 2024", text=text)))
            return None
        year = int(text)
        if self.fixed_year is not None and year != self.fixed_year:
            problems.append(("year", N_("{year} differs from --year {fixed_year}", year=year,
                                        fixed_year=self.fixed_year)))
            return None
        if year > self.this_year:
            problems.append(
                (
                    "year",
                    N_("{year} is after the current year {this_year}: a year's results are "
                       "recorded once it is assessed", year=year, this_year=self.this_year),
                )
            )
            return None
        if year < FIRST_YEAR:
            problems.append(("year", N_("{year} is not a plausible year", year=year)))
            return None
        return year


def _parse_score(text: str) -> float:
    try:
        score = float(text.replace(",", ".") if text.count(",") == 1 else text)
    except ValueError:
        raise ValueError(N_("'{text}' is not a number: write the score as 85 or 85.5",
                            text=text)) from None
    if not math.isfinite(score) or not 0 <= score <= 100:
        raise ValueError(N_("{text} is outside 0–100", text=text))
    return score


Units = list[tuple[str, str]]  # (code, name)


class UnitNames:
    """Finds units by name among those active on 15 November of a year, with the domain's
    match key. ``units_of(year)`` gives those units as (code, name); it is asked per year on
    first use: most files carry codes and never need it."""

    def __init__(self, units_of: Callable[[int], Iterable[tuple[str, str]]]):
        self.units_of = units_of
        self.by_key: dict[int, dict[str, Units]] = {}
        self.by_loose_key: dict[int, dict[str, Units]] = {}
        self.by_code: dict[int, dict[str, str]] = {}

    def name_of(self, code: str, year: int) -> str | None:
        """The name of unit ``code`` on 15 November of ``year`` (None: no such unit then)."""
        names = self.by_code.get(year)
        if names is None:
            names = self.by_code[year] = dict(self.units_of(year))
        return names.get(code)

    def find(self, name: str, year: int) -> tuple[str | None, str | None]:
        """(code, None) or (None, the problem)."""
        index = self.by_key.get(year)
        if index is None:
            index = self.by_key[year] = {}
            for code, unit in self.units_of(year):
                index.setdefault(match_key(unit), []).append((code, unit))
        found = index.get(match_key(name), [])
        day = result_day(year)
        if len(found) == 1:
            return found[0][0], None
        if found:
            listed = ", ".join(f"{code} {unit}" for code, unit in sorted(found))
            return None, N_("'{name}' names several units active on {day}: {listed}; write the "
                            "code in a code column", name=name, day=day, listed=listed)
        return None, N_("no unit named '{name}' is active on {day}{closest}", name=name, day=day,
                        closest=self._closest(name, year))

    def _closest(self, name: str, year: int) -> str:
        """Names whose loose key (no diacritics) is close: ranking only, never a match."""
        loose = self.by_loose_key.get(year)
        if loose is None:
            loose = self.by_loose_key[year] = {}
            for units in self.by_key[year].values():
                for code, unit in units:
                    loose.setdefault(loose_key(unit), []).append((code, unit))
        close = difflib.get_close_matches(loose_key(name), list(loose), n=3, cutoff=0.6)
        named = [f"{unit} ({code})" for key in close for code, unit in sorted(loose[key])]
        return N_("; closest: {names}", names=", ".join(named[:5])) if named else ""


def _indexes(columns: dict[str, int], names: tuple[str, ...]) -> list[int]:
    """Where each of ``names`` stands in a row; -1 for a column the file lacks."""
    return [columns.get(name, -1) for name in names]


@dataclass
class RowChecker:
    """Turns blocks of rows into staging rows, or records their problems."""

    shown: str
    columns: dict[str, int]
    values: ResultValues
    names: UnitNames
    value_id: Callable[[tuple], int]
    problems: list[InputProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    disagreements: int = 0
    empty_rows: list[int] = field(default_factory=list)
    # Every (year, safety, class, score) cell combination ``staged`` has parsed.
    cells_seen: dict[tuple, _Parsed] = field(default_factory=dict)

    def bad(self, row: int, column: str, message: str) -> None:
        self.problems.append(InputProblem(self.shown, row, column, message))

    def staged(self, blocks: Iterator[Block]) -> Iterator[list]:
        """Per block, its staging rows (row, code, value_id, decision, note) flattened into one
        list, five values a row: every row that names a unit and a year, also rows with other
        problems, so that the set-based checks report on them too.

        The value cells repeat endlessly: a block whose (year, safety, class, score) cells are
        all combinations seen before and that names every unit by code is staged by C-level
        built-ins alone; any other block goes row by row."""
        indexes = _indexes(self.columns, ("code", *VALUE_COLUMNS, "decision", "note"))
        row_texts = _indexes(self.columns, ("code", "decision", "note"))
        # The staged values of the value cells: ``usual`` holds the combinations that need
        # nothing more than staging (the hot path); ``parsed_by_cells`` every one seen.
        usual: dict[tuple, int] = {}
        parsed_by_cells: dict[tuple, _Parsed] = {}

        def parsed_of(key: tuple) -> _Parsed:
            parsed = parsed_by_cells.get(key)
            if parsed is None:
                parsed = parsed_by_cells[key] = self.values.parse(*key)
                if parsed.usual:
                    usual[key] = self.value_id(parsed.values)
            return parsed

        self.cells_seen = parsed_by_cells
        i_name = self.columns.get("name", -1)
        for rownums, rows in blocks:
            empty = ("",) * len(rows)
            columns = list(zip(*rows, strict=True))
            codes, years, safeties, classes, scores, decisions, notes = (
                columns[i] if i >= 0 else empty for i in indexes)
            keys = list(zip(years, safeties, classes, scores, strict=True))
            ids = list(map(usual.get, keys))
            if None in ids:  # combinations not seen before, or unusual ones
                for key in set(keys):
                    parsed_of(key)
                ids = list(map(usual.get, keys))
            if i_name >= 0 and "code" in self.columns:
                self._check_names(rownums, codes, columns[i_name], keys, parsed_by_cells)
            if None not in ids and "" not in codes:
                staged = zip(rownums, codes, ids, decisions, notes, strict=True)
                yield list(chain.from_iterable(staged))
                continue
            flat: list = []
            for rownum, cells, key, value_id in zip(rownums, rows, keys, ids, strict=True):
                code, decision, note = (cells[i] if i >= 0 else "" for i in row_texts)
                if value_id is None or not code:
                    parsed = parsed_of(key)
                    code = self._unusual(rownum, cells, code, parsed, decision or note)
                    if code is None:
                        continue
                    value_id = self.value_id(parsed.values)
                flat += (rownum, code, value_id, decision, note)
            yield flat

    def _check_names(self, rownums, codes, names, keys, parsed_by_cells) -> None:
        """A row that gives both a code and a name is an error when the name's match key is
        not that of the unit's name that year: one of the two is wrong, and applying the
        result to the code would record it against the wrong unit without a word."""
        for rownum, code, name, key in zip(rownums, codes, names, keys, strict=True):
            if not (code and name):
                continue
            parsed = parsed_by_cells.get(key)
            year = parsed.values[0] if parsed is not None else None
            if year is None:
                continue
            known = self.names.name_of(code, year)
            if known is None or known == name:
                continue  # an unknown unit is reported by the set-based checks
            if match_key(known) != match_key(name):
                self.bad(rownum, "name",
                         N_("'{name}' is not the name of unit {code} on {day}, which is "
                            "'{known}'; correct the code or the name", name=name, code=code,
                            day=result_day(year), known=known))

    def missing_values_warning(self) -> str | None:
        """A warning when no row gave a safety result or a class (or score): units without
        them show ``no_result`` when the year's selection is made."""
        seen = self.cells_seen
        if not seen:
            return None
        no_safety = not any(key[1] for key in seen)
        no_class = not any(key[2] or key[3] for key in seen)
        if no_safety and no_class:
            return N_("{file}: no row gives a safety (the ANTT result) or a class (or score); "
                      "the selection needs them (units without them show no_result). Accepted "
                      "headers: {safety_headers}; {class_headers}", file=self.shown,
                      safety_headers=SAFETY_HEADERS, class_headers=CLASS_HEADERS)
        if no_safety:
            return N_("{file}: no row gives a safety (the ANTT result); the selection needs it "
                      "(units without it show no_result). Accepted headers: {safety_headers}",
                      file=self.shown, safety_headers=SAFETY_HEADERS)
        if no_class:
            return N_("{file}: no row gives a class (or score); the selection needs it (units "
                      "without it show no_result). Accepted headers: {class_headers}",
                      file=self.shown, class_headers=CLASS_HEADERS)
        return None

    def _unusual(
        self, rownum: int, cells: list[str], code: str, parsed: _Parsed, texts: str
    ) -> str | None:
        """The slow path: problems, warnings, rows without values, names instead of codes.
        Returns the row's code, or None when the row is not to be staged."""
        year = parsed.values[0]
        if parsed.empty and not texts:
            self.empty_rows.append(rownum)
            return None
        for column, message in parsed.problems:
            self.bad(rownum, column, message)
        if parsed.disagreement:
            self.disagreements += 1
            if self.disagreements <= WARNINGS_SHOWN:
                self.warnings.append(N_("{shown}:{rownum}: class: {disagreement}",
                                        shown=self.shown, rownum=rownum,
                                        disagreement=parsed.disagreement))
        if not code:
            i_name = self.columns.get("name")
            name = cells[i_name] if i_name is not None else ""
            if not name:
                self.bad(rownum, "code", N_("missing value: give the unit's code (or its name)"))
                return None
            if year is None:
                return None
            code, problem = self.names.find(name, year)
            if problem:
                self.bad(rownum, "name", problem)
                return None
        return code if year is not None else None

    def summary_warnings(self) -> list[str]:
        notes = list(self.warnings)
        if self.disagreements > WARNINGS_SHOWN:
            notes.append(
                N_("{shown}: {value} more row(s) whose class disagrees with the score; the "
                   "class stands", shown=self.shown, value=self.disagreements - WARNINGS_SHOWN)
            )
        if self.empty_rows:
            shown = ", ".join(map(str, self.empty_rows[:10]))
            more = ", …" if len(self.empty_rows) > 10 else ""
            notes.append(
                N_("{shown}: skipped {empty_rows_count} row(s) with no values (rows "
                   "{shown2}{more})", shown=self.shown, empty_rows_count=len(self.empty_rows),
                   shown2=shown, more=more)
            )
        return notes


# Some of the headers accepted for the ANTT result and the class, as a warning names them.
SAFETY_HEADERS = "safety, An toàn, ANTT, Đạt chuẩn ANTT, …"
CLASS_HEADERS = "class, Xếp loại, Xếp loại phong trào, score, Điểm, …"


def open_results(stack: ExitStack, path: Path, *, year_given: bool, sheet: str | None) -> Table:
    """The file as a table with a code or a name column (and a year column unless --year)."""
    year = () if year_given else ("year",)
    missing_unit: BadInput | None = None
    for unit_column in ("code", "name"):
        try:
            return stack.enter_context(
                open_table(path, columns=RESULT_COLUMNS, required=(unit_column, *year), sheet=sheet)
            )
        except BadInput as exc:
            if not any(_is_missing(p, unit_column) for p in exc.problems):
                raise _explained(exc) from None
            missing_unit = missing_unit or exc
    assert missing_unit is not None
    raise _explained(missing_unit)


def _is_missing(problem: InputProblem, column: str) -> bool:
    return problem.column == column and problem.message.startswith("missing required column")


def _explained(exc: BadInput) -> BadInput:
    """The reader's missing-column problems, saying what this command accepts instead."""
    problems = []
    for problem in exc.problems:
        if _is_missing(problem, "code"):
            problem = replace(
                problem,
                message=N_("missing column: give the units' code (code, mã) or their name "
                           "(name, tên)"),
            )
        elif _is_missing(problem, "year"):
            problem = replace(problem, message=N_("{message}; or give --year",
                                                  message=problem.message))
        problems.append(problem)
    return BadInput(problems)


def unit_message(problem) -> str:
    """What is wrong with a row's unit, found by the store (``store.results.UnitProblem``):
    unknown, or not active on 15 November of the row's year."""
    day = result_day(problem.year)
    if not problem.known:
        if problem.code.isdigit() and len(problem.code) < 5:
            return N_("unknown unit '{code}' (if it is the commune code {padded}, write the "
                      "leading zeros: store the column as text)", code=problem.code,
                      padded=problem.code.zfill(5))
        return N_("unknown unit '{code}'", code=problem.code)
    if problem.first_day and problem.last_day:
        return N_("unit '{code}' is not active on {day} (it is active from {first} to {last})",
                  code=problem.code, day=day, first=problem.first_day, last=problem.last_day)
    if problem.first_day:
        return N_("unit '{code}' is not active on {day} (it is active from {first})",
                  code=problem.code, day=day, first=problem.first_day)
    return N_("unit '{code}' is not active on {day} (it is active until {last})",
              code=problem.code, day=day, last=problem.last_day)


def set_based_problems(shown: str, unit_problems: Iterable, duplicates: Iterable
                       ) -> list[InputProblem]:
    """The problems the store finds over the whole file (``store.results``: rows whose unit
    is unknown or inactive, rows repeating a unit and year), as row problems."""
    problems = [InputProblem(shown, p.row, "code", unit_message(p)) for p in unit_problems]
    problems += [
        InputProblem(
            shown,
            d.row,
            "code",
            N_("duplicate result for '{code}' in {year} (already on row {first_row})", code=d.code,
               year=d.year, first_row=d.first_row),
        )
        for d in duplicates
    ]
    return problems
