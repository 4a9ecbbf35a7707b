"""Reading a merge map (which old units became part of which new ones) and checking its rows.

Any format the readers take (CSV in any encoding, xlsx/xls, JSON, YAML), headers matched
case- and accent-insensitively. The shared crosswalk's own headers (``code_2024``,
``name_2024``, ``code_2025``, ``name_2025``, ``note``) are accepted as they are; names are for
people and ignored. Whether the codes name units on each side of the date is the caller's
check (it needs the database); here only what a row shows by itself and the repeated pairs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from movement_cli.errors import InputProblem
from movement_cli.i18n import N_
from movement_cli.ingest.readers import open_table

MAP_COLUMNS: dict[str, tuple[str, ...]] = {
    "old_code": ("old_code", "code_2024", "mã cũ", "mã đơn vị cũ"),
    "new_code": ("new_code", "code_2025", "mã mới", "mã đơn vị mới"),
    "note": ("note", "ghi chú"),
    # For people reading the file; the codes say everything the tool needs.
    "old_name": ("old_name", "name_2024", "tên cũ", "tên đơn vị cũ"),
    "new_name": ("new_name", "name_2025", "tên mới", "tên đơn vị mới"),
}
REQUIRED = ("old_code", "new_code")


@dataclass
class MapRows:
    """What reading a map gave: ``rows`` (row, old code, new code, note) of the rows with
    both codes and not repeating an earlier pair; ``problems`` of the others and of the
    file; ``unknown_columns`` the tool ignores."""

    rows: list[tuple[int, str, str, str]] = field(default_factory=list)
    problems: list[InputProblem] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)


def read_merge_map(path: Path, *, sheet: str | None = None) -> MapRows:
    """Read and check every row of the map at ``path`` (raises BadInput for a file that
    cannot be read as a table with the two code columns).

    A national map has a hundred thousand rows: a block with both codes on every row and no
    pair seen before is taken a column at a time; any other goes row by row."""
    shown = str(path)
    found = MapRows()
    with open_table(path, columns=MAP_COLUMNS, required=REQUIRED, sheet=sheet) as table:
        found.unknown_columns = list(table.unknown_columns)
        old, new = table.columns["old_code"], table.columns["new_code"]
        note = table.columns.get("note", -1)
        first_row: dict[tuple[str, str], int] = {}
        for rownums, rows in table.blocks:
            olds = [cells[old] for cells in rows]
            news = [cells[new] for cells in rows]
            notes = [cells[note] for cells in rows] if note >= 0 else [""] * len(rows)
            pairs = list(zip(olds, news, strict=True))
            if ("" not in olds and "" not in news and len(set(pairs)) == len(pairs)
                    and first_row.keys().isdisjoint(pairs)):
                first_row.update(zip(pairs, rownums, strict=True))
                found.rows += zip(rownums, olds, news, notes, strict=True)
                continue
            for row, old_code, new_code, text in zip(rownums, olds, news, notes, strict=True):
                _check_row(shown, found, first_row, row, old_code, new_code, text)
        found.problems += table.problems
    return found


def _check_row(shown: str, found: MapRows, first_row: dict[tuple[str, str], int], row: int,
               old_code: str, new_code: str, note: str) -> None:
    missing = [column for column, code in (("old_code", old_code), ("new_code", new_code))
               if not code]
    for column in missing:
        found.problems.append(InputProblem(shown, row, column, N_("missing value")))
    if missing:
        return
    earlier = first_row.setdefault((old_code, new_code), row)
    if earlier != row:
        found.problems.append(InputProblem(
            shown, row, "new_code",
            N_("repeated pair {old_code} -> {new_code} (already on row {earlier})",
               old_code=old_code, new_code=new_code, earlier=earlier)))
        return
    found.rows.append((row, old_code, new_code, note))
