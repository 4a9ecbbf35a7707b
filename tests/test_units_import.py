"""`movement units import | list | show` through the CLI, on the real Huế rosters."""

from __future__ import annotations

import sqlite3

import pytest

from conftest import hue_file


def _codes(units):
    return {u["code"]: u for u in units}


def test_hue_history_survives_the_2025_reorganisation(cli, hue_2024):
    cli("units", "import", hue_file("hue-2025-authorities.csv"), "--as-of", "2025-01-01")
    cli("units", "import", hue_file("hue-2025-communes.csv"), "--as-of", "2025-07-01")

    units_2024 = cli.json("units", "list", "--as-of", "2024-06-30")
    assert len(units_2024) == 89
    by_code = _codes(units_2024)
    assert by_code["46"]["name"] == "Tỉnh Thừa Thiên Huế"
    assert by_code["19753"]["name"] == "Phường Thuận Lộc"
    assert by_code["19789"]["name"] == "Phường Phú Nhuận"

    by_code = _codes(cli.json("units", "list", "--as-of", "2025-08-01"))
    assert by_code["46"]["name"] == "Thành phố Huế"
    assert by_code["19753"]["name"] == "Phường Phú Xuân"
    assert by_code["19789"]["name"] == "Phường Thuận Hóa"

    shown = cli.json("units", "show", "19753")
    assert [v["name"] for v in shown["versions"]] == ["Phường Thuận Lộc", "Phường Phú Xuân"]
    assert shown["versions"][0]["active_to"] == "2025-06-30"
    assert shown["versions"][1]["active_from"] == "2025-07-01"


def test_first_roster_has_open_start_and_later_new_codes_start_on_as_of(cli, hue_2024):
    assert cli.json("units", "show", "46")["versions"][0]["active_from"] is None
    assert cli.json("units", "show", "19798")["versions"][0]["active_from"] == "2021-07-01"
    assert not any(u["code"] == "19798" for u in cli.json("units", "list", "--as-of", "2020-01-01"))


def test_reimporting_the_same_roster_changes_nothing(cli, hue_2024):
    report = cli.json("units", "import", hue_file("hue-2024-communes.csv"), "--as-of", "2024-03-01")
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 36)
    assert report["file"].endswith("hue-2024-communes.csv") and report["file"].startswith("/")


def test_list_is_sorted_by_vietnamese_collation_and_filters_kind_and_scope(cli, hue_2024):
    wards = cli.json("units", "list", "--kind", "phuong", "--as-of", "2024-06-30")
    assert len(wards) == 29 and {u["kind"] for u in wards} == {"phuong"}
    names = [u["name"] for u in wards]
    assert (names.index("Phường An Cựu") < names.index("Phường An Đông")
            < names.index("Phường Hương An"))
    in_city = cli.json("units", "list", "--scope", "474", "--as-of", "2024-06-30")
    assert len(in_city) == 87  # everything but the province and the city itself
    under_ward = cli.json("units", "list", "--scope", "19798", "--as-of", "2024-06-30")
    assert all(u["parent_code"] == "19798" for u in under_ward)


def test_unknown_columns_are_ignored_with_one_warning(cli, db):
    result = cli("units", "import", hue_file("hue-2024-authorities.csv"))
    assert result.stderr.count("parent_name") == 1


def test_bad_roster_reports_every_bad_row_and_writes_nothing(cli, hue_2024, tmp_path):
    before = cli.json("units", "list", "--as-of", "2024-06-30")
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,kind,parent_code,subtype,active_from\n"
        "90001,Xã Một,xa,474,,\n"
        "90001,Xã Hai,xa,474,,\n"
        "90003,Xã Ba,làng xã,474,,\n"
        "90004,Thành phố Mới,Thành phố,46,,\n"
        "90005,,xa,474,,\n"
        "90006,Xã Sáu,xa,474,,31/02/2024\n"
        "90007,Công ty Bảy,doanh_nghiep,474,rat_lon,\n"
        "90008,Xã Tám,xa,99999,,\n",
        encoding="utf-8",
    )
    result = cli("units", "import", bad, code=1)
    for row, column in [(3, "code"), (4, "kind"), (5, "kind"), (6, "name"),
                        (7, "active_from"), (8, "subtype"), (9, "parent_code")]:
        assert f"{bad}:{row}: {column}:" in result.stderr, (row, column, result.stderr)
    assert "tinh" in result.stderr and "huyen" in result.stderr
    assert "Traceback" not in result.stderr
    assert cli.json("units", "list", "--as-of", "2024-06-30") == before


def test_bad_roster_with_json_prints_the_errors_document(cli, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind\n1,Xã Một,xa\n1,Xã Hai,xa\n", encoding="utf-8")
    errors = cli.json("units", "import", bad, code=1)["errors"]
    assert errors == [{"file": str(bad), "row": 3, "column": "code",
                       "message": "duplicate code '00001' (already on row 2)"}]


def test_commune_code_that_lost_its_leading_zeros_is_padded(cli, db, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("mã,tên,loại\n4,Phường Phúc Xá,Phường\n4,Thôn Một,Thôn\n", encoding="utf-8")
    cli("units", "import", roster)
    codes = {u["code"]: u["kind"] for u in cli.json("units", "list")}
    assert codes == {"00004": "phuong", "4": "khu_dan_cu"}


def test_dry_run_counts_but_writes_nothing(cli, db):
    report = cli.json("units", "import", hue_file("hue-2024-authorities.csv"), "--dry-run")
    assert report["added"] == 2
    assert cli.json("units", "list") == []


def test_rename_starts_a_new_version_and_keeps_the_old_name_for_old_dates(cli, hue_2024, tmp_path):
    renamed = tmp_path / "renamed.csv"
    renamed.write_text("code,name,kind,parent_code\n19798,Phường Phước Vĩnh Mới,phuong,474\n",
                       encoding="utf-8")
    report = cli.json("units", "import", renamed, "--as-of", "2024-05-01")
    assert report["updated"] == 1
    assert _codes(cli.json("units", "list", "--as-of", "2024-04-30"))["19798"]["name"] == (
        "Phường Phước Vĩnh")
    assert _codes(cli.json("units", "list", "--as-of", "2024-05-01"))["19798"]["name"] == (
        "Phường Phước Vĩnh Mới")


def test_import_audit_records_file_hash_counts_and_changed_versions(cli, hue_2024, db):
    cli("units", "import", hue_file("hue-2025-authorities.csv"), "--as-of", "2025-01-01")
    conn = sqlite3.connect(db)
    imports = conn.execute("SELECT new FROM audit WHERE action = 'import'").fetchall()
    assert len(imports) == 4 and '"sha256"' in imports[-1][0]
    versions = conn.execute(
        "SELECT entity_key, old, new FROM audit WHERE action = 'version'").fetchall()
    assert [v[0] for v in versions] == ["46"]
    assert "Tỉnh Thừa Thiên Huế" in versions[0][1] and "Thành phố Huế" in versions[0][2]


def test_missing_database_is_an_error_that_says_to_run_init(cli, tmp_path):
    result = cli("--db", tmp_path / "typo.db", "units", "list", code=1)
    assert "movement init" in result.stderr and "typo.db" in result.stderr
    assert not (tmp_path / "typo.db").exists()


def _big_roster(path, rows):
    lines = ["code,name,kind,parent_code"]
    lines += [f"{code},{name},{kind},{parent}" for code, name, kind, parent in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _parent_index(db) -> list:
    return sqlite3.connect(db).execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'unit_versions' "
        "AND sql IS NOT NULL").fetchall()


@pytest.mark.parametrize("rebuild_after", [None, 1000], ids=["live index", "index rebuilt"])
def test_problems_far_apart_in_a_large_roster_are_all_reported(
        cli, db, hue_2024, tmp_path, monkeypatch, rebuild_after):
    # Thousands of rows: the file is read and checked in blocks, and repeated codes and
    # unknown parents are found across blocks (file rows = list index + 2). With a low
    # threshold the parent index is dropped for the load: the failed import restores it.
    if rebuild_after:
        monkeypatch.setattr("movement_cli.store.units.REBUILD_INDEX_AFTER", rebuild_after)
    indexes = _parent_index(db)
    rows = [(f"CQ9{i:05d}", f"Cơ quan số {i}", "co_quan", "19798") for i in range(6000)]
    rows[10] = ("CQ905555", "Cơ quan lặp", "co_quan", "19798")  # row 5557 repeats row 12
    rows[3000] = ("19798", "Phường Phước Vĩnh", "phuong", "474")  # known code, row 3002
    rows[5900] = ("19798", "Phường Phước Vĩnh", "phuong", "474")  # ... repeated on row 5902
    rows[4000] = ("CQ904000", "Cơ quan con", "co_quan", "CQ905990")  # parent on a later row
    rows[4500] = ("CQ904500", "Cơ quan lạc", "co_quan", "KHONGCO")  # unknown parent
    rows[5800] = ("CQ905800", "Cơ quan lạc nữa", "co_quan", "KHONGCO")
    roster = tmp_path / "large.csv"
    _big_roster(roster, rows)
    before = cli.json("units", "list")
    errors = cli.json("units", "import", roster, "--as-of", "2024-06-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (4502, "parent_code"), (5557, "code"), (5802, "parent_code"), (5902, "code")]
    assert "CQ905555" in errors[1]["message"] and "19798" in errors[3]["message"]
    assert "KHONGCO" in errors[0]["message"]
    assert cli.json("units", "list") == before
    assert _parent_index(db) == indexes == [("idx_unit_versions_parent_code",)]


@pytest.mark.parametrize("rebuild_after", [None, 1000], ids=["live index", "index rebuilt"])
def test_large_first_roster_keeps_scope_lookups_working(cli, db, tmp_path, monkeypatch,
                                                        rebuild_after):
    # A large load builds the parent index at the end instead of row by row (a low
    # threshold takes that path here); either way the index is there and answers.
    if rebuild_after:
        monkeypatch.setattr("movement_cli.store.units.REBUILD_INDEX_AFTER", rebuild_after)
    rows = [("01", "Thành phố Hà Nội", "tinh", ""), ("001", "Quận Ba Đình", "huyen", "01")]
    rows += [(f"{i:05d}", f"Phường {i}", "phuong", "001") for i in range(1, 3001)]
    rows += [(f"DN{i:06d}", f"Công ty {i}", "doanh_nghiep", f"{i % 3000 + 1:05d}")
             for i in range(3000)]
    roster = tmp_path / "city.csv"
    _big_roster(roster, rows)
    assert cli.json("units", "import", roster)["added"] == 6002
    under = cli.json("units", "list", "--scope", "00007")
    assert [u["code"] for u in under] == ["DN000006"]
    assert len(cli.json("units", "list", "--scope", "01")) == 6001
    conn = sqlite3.connect(db)
    plan = " ".join(str(r) for r in conn.execute(
        "EXPLAIN QUERY PLAN SELECT code FROM unit_versions WHERE parent_code = '00007'"))
    assert "idx_unit_versions_parent_code" in plan


def test_a_row_with_a_problem_still_claims_its_code(cli, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,kind,parent_code\n"
                   "46,Tỉnh Huế,tinh,\n"
                   "BBBBB,Phường A,không rõ,46\n"      # unknown kind ...
                   "BBBBB,Phường B,phuong,46\n"        # ... and its code again
                   "DDDDD,Phường D,phuong,DDDDD\n"     # its own parent ...
                   "EEEEE,Phường E,phuong,DDDDD\n",    # ... is still a row of the file
                   encoding="utf-8")
    errors = cli.json("units", "import", bad, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (3, "kind"), (4, "code"), (5, "parent_code")]
    assert "duplicate code 'BBBBB'" in errors[1]["message"]
    assert "own parent" in errors[2]["message"]
    assert cli.json("units", "list") == []


def test_import_reports_progress_through_the_file(db, tmp_path):
    from datetime import date
    from pathlib import Path

    from movement_cli.store.db import Database
    from movement_cli.workflows.import_units import import_units

    rows = [(f"CQ{i:06d}", f"Cơ quan {i}", "co_quan", "") for i in range(3000)]
    roster = tmp_path / "r.csv"
    _big_roster(roster, rows)
    calls = []
    database = Database.open(Path(db), actor="test", command="test")
    try:
        import_units(database, roster, as_of=date(2024, 1, 1),
                     progress=lambda done, fraction: calls.append((done, fraction)))
    finally:
        database.close()
    # At once (the bar shows while a workbook is parsed), then block by block.
    assert calls[0] == (0, None)
    assert len(calls) > 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert calls[-1] == (3000, 1.0)


def test_spelled_values_are_stored_as_codes_whichever_columns_the_file_has(
        cli, db, tmp_path, monkeypatch):
    # A file whose columns are all roster fields goes to the store row by row as read,
    # with spelled kinds, subtypes and dd/mm/yyyy dates replaced in place; a file with a
    # column the tool does not use is rebuilt into unit tuples. Both store the same units.
    header = "loại,mã,tên,mã cha,loại hình,từ ngày,đến ngày,ghi chú"
    rows = ["Tỉnh,46,Tỉnh Thừa Thiên Huế,,,,,",
            "Phường,19750,Phường Tây Lộc,46,,01/07/2021,,",
            "Cơ quan,CQ001,Ban Chỉ huy Quân sự,19750,Lực lượng vũ trang,,30/06/2025,Ghi chú"]
    rows += [f"Doanh nghiệp,DN{i:04d},Công ty số {i},19750,Doanh nghiệp nhỏ,02/01/2022,,"
             for i in range(600)]  # more than one block
    same_columns = tmp_path / "same.csv"
    same_columns.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    extra_column = tmp_path / "extra.csv"
    extra_column.write_text("\n".join([header + ",người lập",
                                       *(row + ",Nguyễn Văn A" for row in rows)]) + "\n",
                            encoding="utf-8")

    cli.json("units", "import", same_columns, "--as-of", "2021-07-01")
    stored = cli.json("units", "list", "--as-of", "2024-01-01")
    assert {u["code"]: u["kind"] for u in stored}["DN0599"] == "doanh_nghiep"
    assert cli.json("units", "show", "CQ001")["versions"][0]["active_to"] == "2025-06-30"
    dn = cli.json("units", "show", "DN0007")["versions"][0]
    assert (dn["subtype"], dn["active_from"]) == ("doanh_nghiep_nho", "2022-01-02")

    monkeypatch.setenv("MOVEMENT_DB", str(tmp_path / "other.db"))
    cli("init")
    cli.json("units", "import", extra_column, "--as-of", "2021-07-01")
    assert cli.json("units", "list", "--as-of", "2024-01-01") == stored


def test_reimport_tells_unchanged_rows_from_changed_ones(cli, db, tmp_path):
    # An empty end date or note keeps the stored one; a different one, a new name or a
    # unit with no version on the date is a change.
    first = tmp_path / "first.csv"
    first.write_text("code,name,kind,parent_code,active_to,note\n"
                     "46,Tỉnh A,tinh,,,\n"
                     "P1,Phường Một,phuong,46,,ghi chú cũ\n"
                     "P2,Phường Hai,phuong,46,2030-12-31,\n"
                     "P3,Phường Ba,phuong,46,,\n"
                     "P4,Phường Bốn,phuong,46,,\n"
                     "P5,Phường Năm,phuong,46,,\n"
                     "P6,Phường Sáu,phuong,46,2020-12-31,\n", encoding="utf-8")
    again = tmp_path / "again.csv"
    again.write_text("code,name,kind,parent_code,active_to,note\n"
                     "46,Tỉnh A,tinh,,,\n"
                     "P1,Phường Một,phuong,46,,\n"
                     "P2,Phường Hai,phuong,46,2030-12-31,\n"
                     "P3,Phường Ba,phuong,46,,ghi chú mới\n"
                     "P4,Phường Bốn,phuong,46,2026-06-30,\n"
                     "P5,Phường Năm Mới,phuong,46,,\n"
                     "P6,Phường Sáu,phuong,46,,\n", encoding="utf-8")
    cli.json("units", "import", first, "--as-of", "2021-07-01")
    report = cli.json("units", "import", again, "--as-of", "2025-01-01")
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 4, 3)
    notes = dict(sqlite3.connect(db).execute("SELECT code, note FROM unit_versions"))
    assert (notes["P1"], notes["P3"]) == ("ghi chú cũ", "ghi chú mới")
    assert cli.json("units", "show", "P4")["versions"][0]["active_to"] == "2026-06-30"
    assert [v["name"] for v in cli.json("units", "show", "P5")["versions"]] == [
        "Phường Năm", "Phường Năm Mới"]
    assert [v["active_from"] for v in cli.json("units", "show", "P6")["versions"]] == [
        None, "2025-01-01"]


@pytest.fixture
def roster(tmp_path):
    """Writes a roster with an end-date column: ``roster(name, rows)``."""
    def write(name: str, body: str):
        path = tmp_path / name
        path.write_text("code,name,kind,active_to\n" + body, encoding="utf-8")
        return path
    return write


@pytest.fixture
def renamed_in_2024(cli, db, roster):
    """Unit 10001: "Xã X" from the start, "Xã Y" from 2024-01-01."""
    cli("units", "import", roster("a.csv", "10001,Xã X,xa,\n"), "--as-of", "2023-01-01")
    cli("units", "import", roster("b.csv", "10001,Xã Y,xa,\n"), "--as-of", "2024-01-01")


def test_an_end_date_running_into_the_next_version_is_refused(cli, roster, renamed_in_2024,
                                                              tmp_path):
    # An older roster imported after a newer one may end a version; an end date on or
    # after the newer version's start would leave two versions valid on one day.
    before = cli.json("units", "show", "10001")
    for name, body in [("same.csv", "10001,Xã X,xa,2025-12-31\n"),
                       ("renamed.csv", "10001,Xã Z,xa,2024-01-01\n")]:
        result = cli("units", "import", roster(name, body), "--as-of", "2023-06-01", code=1)
        assert (f"{tmp_path / name}:2: active_to: runs into the unit's version that starts on "
                "2024-01-01: end it by 2023-12-31") in result.stderr
        assert cli.json("units", "show", "10001") == before
    report = cli.json("units", "import", roster("ok.csv", "10001,Xã Z,xa,2023-12-31\n"),
                      "--as-of", "2023-06-01")
    assert report["updated"] == 1
    versions = cli.json("units", "show", "10001")["versions"]
    assert [(v["name"], v["active_from"], v["active_to"]) for v in versions] == [
        ("Xã X", None, "2023-05-31"), ("Xã Z", "2023-06-01", "2023-12-31"),
        ("Xã Y", "2024-01-01", None)]
    # Repeating the file changes nothing: its end date is the stored one.
    again = cli.json("units", "import", roster("ok.csv", "10001,Xã Z,xa,2023-12-31\n"),
                     "--as-of", "2023-06-01")
    assert (again["updated"], again["unchanged"]) == (0, 1)


def test_a_large_load_keeps_an_index_that_enforces_something(cli, db, tmp_path, monkeypatch):
    # Only lookup indexes are dropped for a large load: a unique index stays in force (a
    # later migration may add one), and every index is there afterwards.
    monkeypatch.setattr("movement_cli.store.units.REBUILD_INDEX_AFTER", 1000)
    conn = sqlite3.connect(db)
    conn.execute("CREATE UNIQUE INDEX one_name_per_version ON unit_versions (name, version)")
    conn.commit()
    rows = [(f"CQ{i:05d}", f"Cơ quan {i}", "co_quan", "") for i in range(3000)]
    rows[2500] = ("CQ02500", "Cơ quan 7", "co_quan", "")  # the name of row 9
    roster = tmp_path / "agencies.csv"
    _big_roster(roster, rows)
    result = cli("units", "import", roster, code=1)
    assert "Traceback" not in result.stderr and "nothing was written" in result.stderr
    del rows[2500]
    _big_roster(roster, rows)
    assert cli.json("units", "import", roster)["added"] == 2999
    names = {row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'unit_versions'"
        " AND sql IS NOT NULL")}
    assert names == {"idx_unit_versions_parent_code", "one_name_per_version"}


def test_an_older_roster_repeating_the_units_end_date_is_unchanged(cli, db, roster):
    # active_to is the unit's end: after a rename the end belongs to the newer version, and
    # the older roster that announced it imports again without a change.
    older = roster("r2024.csv", "10001,Xã An,xa,2025-06-30\n")
    newer = roster("r2025.csv", "10001,Xã An Mới,xa,\n")
    cli("units", "import", older, "--as-of", "2024-01-01")
    cli("units", "import", newer, "--as-of", "2025-01-01")
    report = cli.json("units", "import", older, "--as-of", "2024-01-01")
    assert (report["updated"], report["unchanged"]) == (0, 1)
    versions = cli.json("units", "show", "10001")["versions"]
    assert [(v["name"], v["active_from"], v["active_to"]) for v in versions] == [
        ("Xã An", None, "2024-12-31"), ("Xã An Mới", "2025-01-01", "2025-06-30")]


def test_an_end_date_error_names_only_the_row_that_gives_it(cli, roster, renamed_in_2024):
    bad = roster("dup.csv", "10001,Xã X,xa,31/12/2025\n10001,Xã X,xa,\n")
    errors = cli.json("units", "import", bad, "--as-of", "2023-06-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "active_to"), (3, "code")]


def test_a_roster_dated_after_a_unit_ended_that_still_lists_it_changes_nothing(cli, roster):
    # The same national file imported again later: the ended unit is not revived.
    cli("init")
    path = roster("r.csv", "10001,Xã An,xa,2025-06-30\n10002,Xã Bình,xa,\n")
    cli("units", "import", path, "--as-of", "2025-06-01")
    report = cli.json("units", "import", path, "--as-of", "2025-07-01")
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert [(v["active_from"], v["active_to"])
            for v in cli.json("units", "show", "10001")["versions"]] == [(None, "2025-06-30")]
    assert [u["code"] for u in cli.json("units", "list", "--as-of", "2026-01-01")] == ["10002"]


def test_a_roster_dated_after_a_unit_ended_may_give_its_note(cli, db, tmp_path):
    cli("init")
    path = tmp_path / "r.csv"
    path.write_text("code,name,kind,active_to,note\n10001,Xã An,xa,2025-06-30,\n",
                    encoding="utf-8")
    cli("units", "import", path, "--as-of", "2025-06-01")
    path.write_text("code,name,kind,active_to,note\n10001,Xã An,xa,2025-06-30,sáp nhập\n",
                    encoding="utf-8")
    report = cli.json("units", "import", path, "--as-of", "2025-07-01")
    assert (report["updated"], report["unchanged"]) == (1, 0)
    assert sqlite3.connect(db).execute("SELECT note, active_to FROM unit_versions").fetchall() == [
        ("sáp nhập", "2025-06-30")]


def test_an_end_before_the_rosters_date_that_no_version_has_is_refused(cli, roster, tmp_path):
    cli("init")
    cli("units", "import", roster("a.csv", "10001,Xã An,xa,2025-06-30\n"), "--as-of", "2025-01-01")
    before = cli.json("units", "show", "10001")
    # A new name for a unit that had already ended; a new code that would end before it
    # starts (the roster's date).
    bad = roster("bad.csv", "10001,Xã An Mới,xa,2025-06-30\n20002,Xã Mới,xa,2024-12-31\n")
    errors = cli.json("units", "import", bad, "--as-of", "2025-07-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "active_to"), (3, "active_to")]
    assert "is before the roster's date 2025-07-01" in errors[0]["message"]
    assert "give the row's active_from" in errors[1]["message"]
    assert cli.json("units", "show", "10001") == before
    assert cli("units", "show", "20002", code=1)
    # With its start given, the new code imports.
    good = tmp_path / "good.csv"
    good.write_text("code,name,kind,active_from,active_to\n20002,Xã Mới,xa,2024-01-01,"
                    "2024-12-31\n", encoding="utf-8")
    assert cli.json("units", "import", good, "--as-of", "2025-07-01")["added"] == 1


def test_a_roster_dated_after_an_end_it_gives_ends_the_unit_then(cli, roster):
    cli("init")
    cli("units", "import", roster("a.csv", "10001,Xã An,xa,\n"), "--as-of", "2024-01-01")
    cli("units", "import", roster("b.csv", "10001,Xã An,xa,2025-06-30\n"), "--as-of", "2025-07-01")
    assert [(v["active_from"], v["active_to"])
            for v in cli.json("units", "show", "10001")["versions"]] == [(None, "2025-06-30")]


@pytest.fixture
def code_reused_in_2023(cli, db, roster):
    """Code 10001: "Xã An" until 2020-12-31, then "Phường Bình" in 2023 only."""
    cli("units", "import", roster("a.csv", "10001,Xã An,xa,2020-12-31\n"), "--as-of", "2020-01-01")
    cli("units", "import", roster("b.csv", "10001,Phường Bình,phuong,2023-12-31\n"),
        "--as-of", "2023-01-01")


@pytest.mark.parametrize("as_of", ["2020-06-01", "2022-01-01"])
def test_the_end_of_a_later_unit_on_a_reused_code_is_not_the_rows_to_give(
        cli, roster, code_reused_in_2023, tmp_path, as_of):
    # The end repeats the code's latest end, but across a gap: another unit's end.
    before = cli.json("units", "show", "10001")
    bad = roster("bad.csv", "10001,Xã An,xa,2023-12-31\n")
    errors = cli.json("units", "import", bad, "--as-of", as_of, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "active_to")]
    assert "runs into the unit's version that starts on 2023-01-01" in errors[0]["message"]
    assert cli.json("units", "show", "10001") == before


def test_a_duplicate_row_repeating_the_units_end_gets_only_the_duplicate_error(cli, roster):
    cli("init")
    cli("units", "import", roster("a.csv", "10001,Xã An,xa,2025-06-30\n"), "--as-of", "2024-01-01")
    cli("units", "import", roster("b.csv", "10001,Xã An Mới,xa,\n"), "--as-of", "2025-01-01")
    bad = roster("dup.csv", "10001,Xã An,xa,2025-12-31\n10001,Xã An,xa,2025-06-30\n")
    errors = cli.json("units", "import", bad, "--as-of", "2024-01-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "active_to"), (3, "code")]
    # Copied rows too: a repeated code is reported as repeated, and only so.
    copied = roster("copied.csv", "10001,Xã An,xa,2025-12-31\n10001,Xã An,xa,2025-12-31\n"
                    "20002,Xã Hai,xa,2022-12-31\n20002,Xã Hai,xa,2022-12-31\n")
    errors = cli.json("units", "import", copied, "--as-of", "2024-01-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [
        (2, "active_to"), (3, "code"), (4, "active_to"), (5, "code")]


def test_a_file_without_its_header_is_reported_without_waiting_for_the_lock(cli, db, tmp_path):
    # Another process holds the write lock: a file that cannot be imported at all says so
    # at once (exit 1) instead of waiting for the lock and exiting 75.
    from filelock import FileLock

    headless = tmp_path / "headless.csv"
    headless.write_text("mã,loại\n1,xa\n", encoding="utf-8")
    with FileLock(f"{db}.lock"):
        result = cli("--wait", "30", "units", "import", headless, code=1)
    assert f"{headless}" in result.stderr and "name" in result.stderr
    assert "waiting" not in result.stderr


# The set-based pass that takes out unchanged rows mirrors the versioning rule.
_STORED = ("19753", 1, "Phường Thuận Lộc", "phuong", "474", None, "2021-07-01", "2025-06-30",
           "ghi chú")
_ROWS = [  # (code, name, kind, parent_code, subtype, active_from, active_to, note) as read
    ("19753", "Phường Thuận Lộc", "phuong", "474", "", "", "", ""),
    ("19753", "Phường Thuận Lộc", "phuong", "474", "", "", "2025-06-30", "ghi chú"),
    ("19753", "Phường Thuận Lộc", "phuong", "474", "", "", "2025-12-31", ""),
    ("19753", "Phường Thuận Lộc", "phuong", "474", "", "", "", "khác"),
    ("19753", "Phường Thuận Lộc", "phuong", "474", "", "2021-07-01", "", ""),
    ("19753", "Phường Thuận Lợi", "phuong", "474", "", "", "", ""),
    ("19753", "Phường Thuận Lợi", "phuong", "474", "", "2021-07-01", "", ""),
    ("19753", "Phường Thuận Lộc", "xa", "474", "", "", "", ""),
    ("19753", "Phường Thuận Lộc", "phuong", "46", "", "", "", "ghi chú"),
    ("19753", "Phường Thuận Lộc", "phuong", "474", "do_thi", "", "", ""),
]


@pytest.mark.parametrize("unit", _ROWS, ids=range(len(_ROWS)))
def test_the_set_based_pass_and_the_versioning_rule_agree(db, unit):
    from pathlib import Path

    from movement_cli.core.roster import (
        ROSTER_FIELDS,
        UNCHANGED,
        VERSION_FIELDS,
        version_change,
    )
    from movement_cli.store.db import Database
    from movement_cli.store.units import RosterApplier

    as_of = "2024-01-01"
    database = Database.open(Path(db), actor="test", command="test")
    try:
        with database.write(commit=False) as conn:
            conn.execute("INSERT INTO unit_versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", _STORED)
            applier = RosterApplier(database, as_of)
            assert applier.add_batch([unit]) == []
            dropped = applier.drop_unchanged()
            _, updated, unchanged = applier.finish()
    finally:
        database.close()
    fields = dict(zip(ROSTER_FIELDS, (v or None for v in unit), strict=True))
    current = dict(zip(VERSION_FIELDS, _STORED[2:8], strict=True))
    change = version_change({f: fields[f] for f in VERSION_FIELDS}, fields["note"], current,
                            _STORED[8], effective=fields["active_from"] or as_of)
    assert (dropped == 1) == (change.kind == UNCHANGED)
    assert (updated, unchanged) == ((0, 0) if dropped else (change.kind != UNCHANGED,
                                                            change.kind == UNCHANGED))


def test_kinds_are_valid_by_date_in_every_roster(cli, hue_2024, tmp_path):
    roster = tmp_path / "kinds.csv"
    roster.write_text(
        "code,name,kind,parent_code,active_from\n"
        "30001,Thị trấn Cũ,thi_tran,46,\n"  # dated by --as-of 2025-07-01: gone by then
        "30004,Thị trấn Xưa,Thị trấn,46,2024-01-01\n"  # its own date is before the reform
        "30007,Đặc khu Mới,dac_khu,46,\n"
        "30010,Đặc khu Sớm,Đặc khu,46,30/06/2025\n",  # before đặc khu existed
        encoding="utf-8")
    errors = cli.json("units", "import", roster, "--as-of", "2025-07-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "kind"), (5, "kind")]
    assert "thi_tran" in errors[0]["message"] and "2025-07-01" in errors[0]["message"]
    assert "dac_khu" in errors[1]["message"]
    assert cli.json("units", "list", "--as-of", "2025-08-01", "--kind", "dac_khu") == []

    errors = cli.json("units", "import", roster, "--as-of", "2025-06-30", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(4, "kind"), (5, "kind")]


def test_a_block_of_valid_rows_with_dated_kinds_goes_in(cli, hue_2024, tmp_path):
    rows = "".join(f"{30000 + i:05d},Xã {i},{'thi_tran' if i % 500 == 0 else 'xa'},46,\n"
                   for i in range(3000))
    roster = tmp_path / "many.csv"
    roster.write_text("code,name,kind,parent_code,active_from\n" + rows, encoding="utf-8")
    assert cli.json("units", "import", roster, "--as-of", "2025-01-01")["added"] == 3000
    bad = tmp_path / "late.csv"
    bad.write_text("code,name,kind,parent_code,active_from\n" + rows.replace(
        "30500,Xã 500,thi_tran,46,", "30500,Xã 500,thi_tran,46,2025-07-01"), encoding="utf-8")
    errors = cli.json("units", "import", bad, "--as-of", "2025-01-01", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(502, "kind")]


def test_a_stray_value_is_named_by_the_column_excel_shows(cli, db, tmp_path):
    """A roster whose table starts in column D (three blank columns on the left): the value
    without a header stands in Excel's column H, and the error says column H."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, row in enumerate([["code", "name", "kind"], ["99001", "Xã Mới", "xa", "", "lạc"]],
                            start=2):
        for c, value in enumerate(row, start=4):
            sheet.cell(row=r, column=c, value=value or None)
    path = tmp_path / "roster.xlsx"
    workbook.save(path)
    result = cli("units", "import", path, code=1)
    assert result.stderr.startswith(f"{path}:3: column H: value 'lạc' has no header")
