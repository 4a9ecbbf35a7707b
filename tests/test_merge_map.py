"""`movement units merge-map` and the units' lineage across the 2025 reorganisation, on the
real Huế rosters and crosswalk (../shared/data/)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from conftest import hue_file

AUTHORITY = Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml"
CROSSWALK = hue_file("hue-2024-to-2025-crosswalk.csv")
REFORM_DAY = "2025-07-01"


def _codes(path: Path) -> list[str]:
    return [line.split(",", 1)[0] for line in path.read_text(encoding="utf-8").splitlines()[1:]]


def _import_2025(cli) -> None:
    cli("units", "import", hue_file("hue-2025-authorities.csv"), "--as-of", "2025-01-01")
    cli("units", "import", hue_file("hue-2025-communes.csv"), "--as-of", REFORM_DAY)


@pytest.fixture
def hue_2025(cli, hue_2024):
    """Huế as of 2025-07-01: the 2024 roster, the 2025 rosters, the crosswalk."""
    _import_2025(cli)
    cli("units", "merge-map", CROSSWALK, "--date", REFORM_DAY)
    return hue_2024


def _dump(db: Path) -> dict[str, list]:
    conn = sqlite3.connect(db)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("unit_versions", "unit_links", "audit")}
    finally:
        conn.close()


def test_the_2024_record_is_unchanged_and_2025_holds_the_40_new_units(cli, selected_2024,
                                                                       tmp_path):
    cli("config", "load", AUTHORITY)
    before_dir, after_dir = tmp_path / "before", tmp_path / "after"

    def plans(out: Path) -> dict[str, bytes]:
        out.mkdir()
        for doc in ("city-plan", "unit-plan"):
            cli("render-plan", "--year", "2024", "--doc", doc, "--format", "md", "--out", out,
                "--date", "17/01/2024")
        return {path.name: path.read_bytes() for path in sorted(out.iterdir())}

    selection_2024 = cli.json("select", "--year", "2024", "--dry-run", code=3)
    stored_2024 = cli.json("status", "--year", "2024")["selection"]
    list_2024 = cli.json("units", "list", "--as-of", "2024-06-30")
    plans_2024 = plans(before_dir)

    _import_2025(cli)
    report = cli.json("units", "merge-map", CROSSWALK, "--date", REFORM_DAY)
    assert report == {"links": 36, "closed": 25, "reparented": report["reparented"],
                      "unchanged": 0, "file": str(CROSSWALK)}

    assert cli.json("select", "--year", "2024", "--dry-run", code=3) == selection_2024
    assert cli.json("status", "--year", "2024")["selection"] == stored_2024
    assert plans(after_dir) == plans_2024
    ended = {unit["code"] for unit in cli.json("units", "list", "--as-of", "2025-06-30")} - {
        unit["code"] for unit in cli.json("units", "list", "--as-of", REFORM_DAY)}
    assert ended and ended <= set(_codes(hue_file("hue-2024-communes.csv")))
    after = cli.json("units", "list", "--as-of", "2024-06-30")
    # Only the end dates of the 2024 units that ended, that the 2025 rosters gave a new
    # version, or that moved from a ward that ended.
    assert [{**unit, "active_to": None} for unit in after] == list_2024
    changed = [unit for unit in after if unit["active_to"]]
    assert {(u["code"], u["active_to"]) for u in changed if u["code"] == "46"} == {
        ("46", "2024-12-31")}
    changed = [unit for unit in changed if unit["code"] != "46"]
    assert all(unit["active_to"] == "2025-06-30" for unit in changed)
    renewed = set(_codes(hue_file("hue-2025-communes.csv")))
    assert all(unit["code"] in ended | renewed or unit["parent_code"] in ended
               for unit in changed)
    assert {"GD001", "CQ023"} <= {unit["code"] for unit in changed}

    communes = [unit["code"] for unit in cli.json("units", "list", "--as-of", "2025-08-01")
                if unit["kind"] in ("xa", "phuong", "thi_tran", "dac_khu")]
    assert sorted(communes) == sorted(_codes(hue_file("hue-2025-communes.csv")))
    assert len(communes) == 40


def test_show_19789_is_phu_nhuan_until_the_reform_then_thuan_hoa_with_its_predecessors(
        cli, hue_2025):
    shown = cli.json("units", "show", "19789")
    assert [(v["name"], v["active_from"], v["active_to"]) for v in shown["versions"]] == [
        ("Phường Phú Nhuận", "2021-07-01", "2025-06-30"),
        ("Phường Thuận Hóa", REFORM_DAY, None)]
    assert {"code": "19798", "name": "Phường Phước Vĩnh", "date": REFORM_DAY} in shown[
        "predecessors"]
    assert [p["code"] for p in shown["predecessors"]] == [
        "19780", "19783", "19786", "19789", "19795", "19798"]
    # The code kept its number: its 2024 unit went into the 2025 one under the same code.
    assert shown["successors"] == [{"code": "19789", "name": "Phường Thuận Hóa",
                                    "date": REFORM_DAY}]
    assert cli.json("units", "show", "19798")["successors"] == [
        {"code": "19789", "name": "Phường Thuận Hóa", "date": REFORM_DAY}]
    assert cli.json("units", "show", "19798")["versions"][-1]["active_to"] == "2025-06-30"


def test_an_agency_of_a_ward_merged_wholly_moves_to_thuan_hoa_and_stays_in_the_citys_scope(
        cli, hue_2025):
    # Đại học Huế sat in Phường Vĩnh Ninh (19783), which went wholly into Phường Thuận Hóa.
    versions = cli.json("units", "show", "GD001")["versions"]
    assert [(v["parent_code"], v["active_from"], v["active_to"]) for v in versions] == [
        ("19783", "2021-07-01", "2025-06-30"), ("19789", REFORM_DAY, None)]
    in_city = {u["code"] for u in cli.json("units", "list", "--scope", "46",
                                           "--as-of", "2025-08-01")}
    in_thuan_hoa = {u["code"] for u in cli.json("units", "list", "--scope", "19789",
                                                "--as-of", "2025-08-01")}
    assert {"GD001", "GD002", "GD003", "GD004", "CQ023"} <= in_thuan_hoa
    assert "GD001" in in_city and "19798" not in in_city
    # The ward that kept its code keeps its agencies without a new version.
    assert len(cli.json("units", "show", "GD003")["versions"]) == 1
    # Before the reform the agency was still under its old ward.
    assert "GD001" in {u["code"] for u in cli.json("units", "list", "--scope", "19783",
                                                   "--as-of", "2025-06-30")}


def test_an_agency_under_a_split_ward_keeps_its_parent_and_is_named_in_a_warning(
        cli, hue_2024, tmp_path):
    _import_2025(cli)
    split = tmp_path / "split.csv"
    # Phường Xuân Phú (19792), where the city's People's Committee office (CQ007) sits, split.
    split.write_text("old_code,new_code\n19792,19777\n19792,19789\n", encoding="utf-8")
    result = cli("units", "merge-map", split, "--date", REFORM_DAY, "--json")
    assert json.loads(result.stdout)["reparented"] == 0
    assert "CQ007" in result.stderr and "19792" in result.stderr
    assert "parent_code" in result.stderr
    versions = cli.json("units", "show", "CQ007")["versions"]
    assert [(v["parent_code"], v["active_to"]) for v in versions] == [("19792", None)]
    assert cli.json("units", "show", "19792")["versions"][-1]["active_to"] == "2025-06-30"


def test_running_the_same_map_again_changes_nothing(cli, hue_2025, db):
    before = _dump(db)
    again = cli.json("units", "merge-map", CROSSWALK, "--date", REFORM_DAY)
    assert again == {"links": 0, "closed": 0, "reparented": 0, "unchanged": 36,
                     "file": str(CROSSWALK)}
    after = _dump(db)
    assert after["unit_versions"] == before["unit_versions"]
    assert after["unit_links"] == before["unit_links"]


def test_a_dry_run_counts_and_writes_nothing(cli, hue_2024, db):
    _import_2025(cli)
    before = _dump(db)
    report = cli.json("units", "merge-map", CROSSWALK, "--date", REFORM_DAY, "--dry-run")
    assert (report["links"], report["closed"]) == (36, 25)
    assert _dump(db) == before


def test_every_closing_and_move_is_audited_with_the_run(cli, hue_2025, db):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT action, entity_key, old, new FROM audit "
                        "WHERE action IN ('version', 'merge_map') AND id > (SELECT max(id) "
                        "FROM audit WHERE action = 'import')").fetchall()
    run = [json.loads(new) for action, _, _, new in rows if action == "merge_map"]
    assert len(run) == 1 and run[0]["date"] == REFORM_DAY and run[0]["closed"] == 25
    assert len(run[0]["sha256"]) == 64
    versions = {key: (json.loads(old), json.loads(new)) for action, key, old, new in rows
                if action == "version"}
    assert versions["19798"][0]["active_to"] is None
    assert versions["19798"][1]["active_to"] == "2025-06-30"
    assert (versions["GD001"][0]["parent_code"], versions["GD001"][1]["parent_code"]) == (
        "19783", "19789")
    assert len(versions) == 25 + run[0]["reparented"]


def test_an_audited_version_differs_from_the_old_one_only_where_the_map_changed_it(
        cli, hue_2025, db):
    conn = sqlite3.connect(db)
    rows = conn.execute("SELECT entity_key, old, new FROM audit WHERE action = 'version'"
                        " AND id > (SELECT max(id) FROM audit WHERE action = 'import')"
                        ).fetchall()
    versions = {key: (json.loads(old), json.loads(new)) for key, old, new in rows}
    old, new = versions["19798"]
    assert new == {**old, "active_to": "2025-06-30"}
    old, new = versions["GD001"]
    assert new == {**old, "parent_code": "19789", "active_from": REFORM_DAY}
    assert list(new) == list(old)


def test_a_bad_map_is_refused_row_by_row_and_writes_nothing(cli, hue_2025, db, tmp_path):
    before = _dump(db)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "old_code,new_code,note\n"
        "19798,19789,\n"
        "19798,19789,again\n"  # a repeated pair
        "19819,19789,\n"  # Phường Phong Điền starts on the date: not active the day before
        "19780,19750,\n"  # Phường Tây Lộc ended the day before the date
        "99999,19789,\n"  # no such unit
        ",19789,\n", encoding="utf-8")
    result = cli("units", "merge-map", bad, "--date", REFORM_DAY, code=1)
    lines = [line for line in result.stderr.splitlines() if line.startswith(str(bad))]
    assert [line.split(": ")[0:2] for line in lines] == [
        [f"{bad}:3", "new_code"], [f"{bad}:4", "old_code"], [f"{bad}:5", "new_code"],
        [f"{bad}:6", "old_code"], [f"{bad}:7", "old_code"]]
    assert "2025-06-30" in lines[1] and "2025-07-01" in lines[2]
    assert "nothing was written" in result.stderr
    errors = cli.json("units", "merge-map", bad, "--date", REFORM_DAY, code=1)["errors"]
    assert [e["row"] for e in errors] == [3, 4, 5, 6, 7]
    assert _dump(db) == before


def test_a_new_code_of_a_roster_not_yet_imported_says_to_import_it_first(cli, hue_2024,
                                                                         tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("old_code,new_code\n19798,19789\n20002,20014\n19810,19819\n",
                    encoding="utf-8")
    errors = cli.json("units", "merge-map", path, "--date", REFORM_DAY, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, "new_code")]
    assert "no unit with code '19819'" in errors[0]["message"]


@pytest.mark.parametrize("suffix", [".xlsx", ".json", ".yaml"])
def test_the_map_reads_like_every_import(cli, hue_2024, tmp_path, suffix):
    _import_2025(cli)
    rows = [{"Mã cũ": "19798", "Mã mới": "19789", "Ghi chú": "sáp nhập"},
            {"Mã cũ": "19795", "Mã mới": "19789", "Ghi chú": ""}]
    path = tmp_path / f"map{suffix}"
    if suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["Bản đồ sáp nhập"])
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
        book.save(path)
    elif suffix == ".json":
        path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        import yaml

        path.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    assert cli.json("units", "merge-map", path, "--date", "01/07/2025")["closed"] == 2
    assert [p["code"] for p in cli.json("units", "show", "19789")["predecessors"]] == [
        "19795", "19798"]


def test_a_map_without_the_code_columns_is_refused(cli, hue_2024, tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("code,name\n19798,Phường Phước Vĩnh\n", encoding="utf-8")
    result = cli("units", "merge-map", path, "--date", REFORM_DAY, code=1)
    assert "old_code" in result.stderr and "new_code" in result.stderr


def test_a_unit_without_links_shows_empty_lineage(cli, hue_2024):
    shown = cli.json("units", "show", "19798")
    assert (shown["predecessors"], shown["successors"]) == ([], [])


def _results(path: Path, rows: list[tuple[str, int, str, str, int]]) -> Path:
    path.write_text("code,year,safety,class,score\n" + "".join(
        f"{code},{year},{safety},{klass},{score}\n" for code, year, safety, klass, score in rows),
        encoding="utf-8")
    return path


@pytest.fixture
def first_year_on_the_new_units(cli, hue_2025, tmp_path, monkeypatch):
    """2023 and 2024 results for the 2024 units, 2025 results for the 2025 ones; today is in
    Q1 of 2026."""
    monkeypatch.setenv("MOVEMENT_TODAY", "2026-01-20")
    old = _codes(hue_file("hue-2024-communes.csv"))
    new = _codes(hue_file("hue-2025-communes.csv"))
    rows = [(code, year, "dat", "kha", 75) for code in old for year in (2023, 2024)]
    # Phường Tây Lộc, which went into Phường Phú Xuân (19753), missed the standard in 2024.
    rows = [row if row[:2] != ("19750", 2024) else ("19750", 2024, "chua_dat", "trung_binh", 60)
            for row in rows]
    cli("assess", "import", _results(tmp_path / "old.csv", rows))
    rows = [(code, 2025, "dat", "kha", 80) for code in new]
    rows += [("CQ002", 2025, "dat", "xuat_sac", 92), ("GD001", 2025, "dat", "kha", 85)]
    cli("assess", "import", _results(tmp_path / "new.csv", rows))
    return hue_2025


def _without_predecessors(document):
    if isinstance(document, dict):
        return {key: _without_predecessors(value) for key, value in document.items()
                if key != "predecessors"}
    if isinstance(document, list):
        return [_without_predecessors(value) for value in document]
    return document


def test_select_2026_considers_the_new_units_only_and_names_their_predecessors(
        cli, first_year_on_the_new_units):
    document = cli.json("select", "--year", "2026", "--dry-run", code=None)
    active = {unit["code"] for unit in cli.json("units", "list", "--as-of", "2026-01-01")}
    listed = [unit for key in ("eligible", "ineligible") for unit in document[key]]
    assert {unit["code"] for unit in listed} <= active
    communes = {unit["code"] for unit in listed if unit["kind"] in ("xa", "phuong")}
    assert communes == set(_codes(hue_file("hue-2025-communes.csv")))
    gone = set(_codes(hue_file("hue-2024-communes.csv"))) - set(
        _codes(hue_file("hue-2025-communes.csv")))
    text = json.dumps(_without_predecessors(document), ensure_ascii=False)
    assert not [code for code in gone if f'"{code}"' in text]
    by_code = {unit["code"]: unit for unit in listed}
    assert "19798" in by_code["19789"]["predecessors"]
    assert by_code["19819"].get("predecessors") is None  # a new unit the map does not name
    assert "predecessors" not in by_code["GD001"]


def _rank(document: dict, code: str) -> tuple[int, int]:
    unit = next(u for u in document["eligible"] if u["code"] == code)
    return unit["rank"], unit["consecutive_safety_years"]


def test_consecutive_years_follow_predecessors_only_when_the_policy_says_so(
        cli, first_year_on_the_new_units, tmp_path):
    # Default: a code's own years. 19753 (Phường Thuận Lộc in 2023-2024) and 19789 (Phường
    # Phú Nhuận) both met the standard two years running; the tie goes to the lower code.
    document = cli.json("select", "--year", "2026", "--dry-run", code=None)
    assert _rank(document, "19753")[1] == _rank(document, "19789")[1] == 2
    assert _rank(document, "19753")[0] < _rank(document, "19789")[0]

    policy = Path(__file__).resolve().parents[1] / "criteria" / "selection" / "hue-593.yaml"
    local = tmp_path / "criteria" / "selection"
    local.mkdir(parents=True)
    (local / policy.name).write_text(policy.read_text(encoding="utf-8").replace(
        "follow_predecessors: false", "follow_predecessors: true"), encoding="utf-8")
    cli("config", "set", "criteria_dir", tmp_path / "criteria")
    document = cli.json("select", "--year", "2026", "--dry-run", code=None)
    # Phường Phú Xuân counts no year before 2025: Phường Tây Lộc, one of the wards it was
    # made from, missed the standard in 2024. Every ward of Phường Thuận Hóa met it twice.
    assert _rank(document, "19753")[1] == 0
    assert _rank(document, "19789")[1] == 2
    assert _rank(document, "19789")[0] < _rank(document, "19753")[0]


def test_every_scope_query_follows_the_closed_units_and_the_moved_agencies(
        cli, first_year_on_the_new_units):
    counts = cli.json("status", "--year", "2026", "--scope", "46")["units"]
    assert (counts["phuong"], counts["xa"]) == (21, 19)
    in_thuan_hoa = {u["code"] for key in ("eligible", "ineligible") for u in cli.json(
        "select", "--year", "2026", "--scope", "19789", "--dry-run", code=None)[key]}
    assert {"GD001", "GD002", "CQ023"} <= in_thuan_hoa
    assessed = {r["code"] for r in cli.json("assess", "list", "--year", "2025", "--scope", "46")}
    assert "GD001" in assessed and "19798" not in assessed
    # A ward that ended is no scope after its end.
    result = cli("select", "--year", "2026", "--scope", "19783", "--dry-run", code=1)
    assert "19783" in result.stderr
    # ... and still the scope of its own past.
    assert "GD001" in {u["code"] for u in cli.json("units", "list", "--scope", "19783",
                                                   "--as-of", "2024-06-30")}


def test_a_pair_repeated_blocks_later_in_a_long_map_is_found(tmp_path):
    from movement_cli.ingest.merge_map import read_merge_map

    path = tmp_path / "long.csv"
    rows = [f"O{i},N{i // 3}" for i in range(5000)]
    rows.append("O7,N2")  # row 5002 repeats row 9
    path.write_text("old_code,new_code\n" + "\n".join(rows) + "\n", encoding="utf-8")
    read = read_merge_map(path)
    assert [(p.row, p.column, p.message) for p in read.problems] == [
        (5002, "new_code", "repeated pair O7 -> N2 (already on row 9)")]
    assert len(read.rows) == 5000 and read.rows[8] == (10, "O8", "N2", "")


def test_a_map_whose_date_no_new_unit_starts_on_is_warned_about(cli, hue_2024):
    _import_2025(cli)
    # 2025-01-01 passes the row checks (the 2025 codes named 2024 units then too) but is not
    # the day the new wards began.
    result = cli("units", "merge-map", CROSSWALK, "--date", "2025-01-01", "--dry-run")
    assert "no unit of the map starts on 2025-01-01" in result.stderr
    result = cli("units", "merge-map", CROSSWALK, "--date", REFORM_DAY, "--dry-run")
    assert "no unit of the map starts" not in result.stderr
