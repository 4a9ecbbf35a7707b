"""`movement export`: the importers' columns, CSV for Excel, formula cells kept as text, and
export → import changing nothing."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

RESULTS_2023 = Path(__file__).parents[1] / "examples" / "hue" / "results-2023-illustrative.csv"
FORMULA = '=HYPERLINK("http://x","y")'


@pytest.fixture
def with_results(cli, hue_2024):
    cli("assess", "import", RESULTS_2023)
    return hue_2024


def _counts(db: Path) -> tuple:
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT COUNT(*) FROM unit_versions").fetchone()[0],
                conn.execute("SELECT * FROM unit_versions ORDER BY code, version").fetchall(),
                conn.execute("SELECT * FROM results ORDER BY code, year").fetchall())
    finally:
        conn.close()


def test_units_csv_has_a_bom_and_the_roster_columns(cli, hue_2024):
    result = cli("export", "units")
    raw = result.stdout_bytes
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["code", "name", "kind", "parent_code", "subtype", "active_from",
                       "active_to", "note"]
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["19798"][1:4] == ["Phường Phước Vĩnh", "phuong", "474"]
    assert len(by_code) == 89


def test_export_then_import_changes_nothing(cli, with_results, tmp_path):
    db = with_results
    before = _counts(db)
    cli("export", "units", "--out", tmp_path / "out" / "units.csv")
    cli("export", "units", "--format", "xlsx", "--out", tmp_path / "out" / "units.xlsx")
    cli("export", "units", "--format", "json", "--out", tmp_path / "out" / "units.json")
    cli("export", "results", "--year", "2023", "--out", tmp_path / "out" / "results.csv")
    cli("export", "results", "--format", "xlsx", "--out", tmp_path / "out" / "results.xlsx")
    for name in ("units.csv", "units.xlsx", "units.json"):
        report = cli.json("units", "import", tmp_path / "out" / name)
        assert (report["added"], report["updated"]) == (0, 0), name
    for name in ("results.csv", "results.xlsx"):
        report = cli.json("assess", "import", tmp_path / "out" / name)
        assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 10), name
    assert _counts(db) == before


@pytest.fixture
def formula_unit(cli, hue_2024, tmp_path):
    roster = tmp_path / "formula.csv"
    with open(roster, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["code", "name", "kind", "parent_code", "note"],
            ["CQ900", FORMULA, "co_quan", "474", "@SUM(1+1)"],
            ["CQ901", "-1+2", "co_quan", "474", "+ghi chú"],
        ])
    cli("units", "import", roster)
    return hue_2024


def test_formula_names_are_text_in_csv_and_xlsx_and_import_back_unchanged(
        cli, formula_unit, tmp_path):
    from openpyxl import load_workbook

    before = _counts(formula_unit)
    cli("export", "units", "--out", tmp_path / "u.csv")
    text = (tmp_path / "u.csv").read_text(encoding="utf-8-sig")
    rows = {row[0]: row for row in csv.reader(io.StringIO(text))}
    assert rows["CQ900"][1] == "'" + FORMULA
    assert rows["CQ900"][7] == "'@SUM(1+1)"
    assert rows["CQ901"][1] == "'-1+2" and rows["CQ901"][7] == "'+ghi chú"
    assert rows["19798"][1] == "Phường Phước Vĩnh"  # nothing else gains an apostrophe

    cli("export", "units", "--format", "xlsx", "--out", tmp_path / "u.xlsx")
    sheet = load_workbook(tmp_path / "u.xlsx").active
    cells = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert cells["CQ900"][1].value == FORMULA
    assert cells["CQ900"][1].data_type == "s"  # a string, not a formula ("f")
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)

    for name in ("u.csv", "u.xlsx"):
        report = cli.json("units", "import", tmp_path / name)
        assert (report["added"], report["updated"]) == (0, 0), name
    assert _counts(formula_unit) == before
    assert cli.json("units", "show", "CQ900")["versions"][-1]["name"] == FORMULA


def test_a_guarded_csv_saved_again_by_excel_as_xlsx_imports_the_text(cli, formula_unit, tmp_path):
    """Excel shows the CSV's apostrophe as part of the text; saved as a workbook, the cell
    holds it. The importer removes it again."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["code", "name", "kind", "parent_code"])
    book.active.append(["CQ900", "'" + FORMULA, "co_quan", "474"])
    book.save(tmp_path / "resaved.xlsx")
    report = cli.json("units", "import", tmp_path / "resaved.xlsx")
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 1)


def test_an_apostrophe_that_is_no_guard_stays(cli, hue_2024, tmp_path):
    roster = tmp_path / "quote.csv"
    roster.write_text("code,name,kind,parent_code\nCQ902,'Trường' Kim Long,co_quan,474\n",
                      encoding="utf-8")
    cli("units", "import", roster)
    assert cli.json("units", "show", "CQ902")["versions"][0]["name"] == "'Trường' Kim Long"


def test_json_export_is_a_list_of_objects_with_texts_unguarded(cli, formula_unit):
    document = json.loads(cli("export", "units", "--format", "json").stdout)
    by_code = {row["code"]: row for row in document}
    assert by_code["CQ900"]["name"] == FORMULA
    assert by_code["19798"]["active_from"] == "2021-07-01"


def test_units_as_of_and_scope(cli, hue_2024):
    document = json.loads(cli("export", "units", "--format", "json", "--as-of", "2024-06-30",
                              "--scope", "474").stdout)
    codes = {row["code"] for row in document}
    assert "19798" in codes and "474" not in codes and "46" not in codes


def test_selections_and_audit_export(cli, with_results, tmp_path):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "593/KH-UBND", code=None)
    rows = list(csv.DictReader(io.StringIO(
        cli("export", "selections", "--year", "2024").stdout_bytes.decode("utf-8-sig"))))
    assert {(r["code"], r["status"], r["decision"]) for r in rows} == {
        ("19798", "confirmed", "593/KH-UBND"), ("CQ002", "confirmed", "593/KH-UBND")}
    audit = json.loads(cli("export", "audit", "--format", "json").stdout)
    assert any(row["entity"] == "selection" for row in audit)
    assert cli("export", "recognitions").stdout_bytes.decode("utf-8-sig").startswith("year,")


def test_xlsx_needs_out_and_a_bad_table_is_an_error(cli, hue_2024):
    result = cli("export", "units", "--format", "xlsx", code=1)
    assert "--out" in result.stderr
    assert "unknown table" in cli("export", "people", code=1).stderr
    assert cli("export", "units", "--json", code=2).exit_code == 2


def test_a_failed_export_leaves_no_file(cli, hue_2024, tmp_path):
    cli("export", "units", "--scope", "99999", "--out", tmp_path / "new" / "u.csv", code=1)
    assert not (tmp_path / "new" / "u.csv").exists()


PEAK_PROBE = """
import runpy, sys
sys.argv = ["movement", *{args!r}]
try:
    runpy.run_module("movement_cli", run_name="__main__")
except SystemExit as exit:
    assert not exit.code, exit.code
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        print(int(line.split()[1]) / 1024)
"""


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_export_streams_its_rows(cli, hue_2024, tmp_path):
    """Units out as XLSX (50,000) and CSV (200,000) in the memory of a few rows: fetched
    all at once, 200,000 of these rows alone take over 130 MB, and an openpyxl workbook
    built in memory takes more for 50,000."""
    import subprocess
    import sys

    def roster(first: int, count: int) -> Path:
        path = tmp_path / f"roster-{first}.csv"
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("code,name,kind,parent_code,note\n")
            for i in range(first, first + count):
                handle.write(f"T{i:07d},Thôn Số {i} của phường Phước Vĩnh,khu_dan_cu,19798,"
                             f"ghi chú dài cho hàng số {i} để mỗi hàng có độ dài thật\n")
        return path

    def peak_mb(fmt: str) -> float:
        # The export's own high-water mark, read by the process itself: a child's
        # ru_maxrss would start from this test process's size at the fork.
        probe = PEAK_PROBE.format(args=["export", "units", "--format", fmt, "--out",
                                        str(tmp_path / f"units.{fmt}")])
        result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return float(result.stdout.split()[-1])

    cli("units", "import", roster(0, 50_000), "--as-of", "2024-01-01")
    assert (xlsx := peak_mb("xlsx")) < 90, xlsx
    cli("units", "import", roster(50_000, 150_000), "--as-of", "2024-01-01")
    assert (csv_peak := peak_mb("csv")) < 90, csv_peak
    print(f"peak MB: xlsx {xlsx:.0f}, csv {csv_peak:.0f}")
    lines = (tmp_path / "units.csv").read_text(encoding="utf-8-sig").count("\n")
    assert lines == 1 + 89 + 200_000
