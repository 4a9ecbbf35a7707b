"""`movement assess import | set | list` through the CLI, on the real Huế 2024 roster.

"Today" is 2024-01-17 in tests (conftest), so 2023 is the last year with results.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import hue_file


def _write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def _results(cli, year: int = 2023, *scope: str) -> dict[str, dict]:
    return {r["code"]: r for r in cli.json("assess", "list", "--year", year, *scope)}


def _result_audit(db) -> list[tuple[str, dict | None, dict]]:
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT entity_key, old, new FROM audit WHERE entity = 'result' ORDER BY id"
    ).fetchall()
    return [(key, old and json.loads(old), json.loads(new)) for key, old, new in rows]


def test_codes_vietnamese_labels_and_headers_are_understood(cli, hue_2024, tmp_path):
    results = _write(
        tmp_path / "ket-qua.csv",
        "Mã,Năm,Kết quả,Xếp loại,Điểm,Số quyết định,Ghi chú\n"
        "19798,2023,Đạt,Xuất sắc,95,12/QĐ-UBND,\n"
        "19807,2023,Chưa đạt,Khá,75,,kiểm tra lại\n"
        "CQ002,2023,dat,Tốt,,,\n"
        "19750,2023,chua_dat,trung_binh,55.5,,\n",
    )
    report = cli.json("assess", "import", results)
    assert (report["added"], report["updated"], report["unchanged"]) == (4, 0, 0)
    assert report["file"] == str(results)
    stored = _results(cli)
    assert stored["19798"] == {
        "code": "19798",
        "name": "Phường Phước Vĩnh",
        "kind": "phuong",
        "year": 2023,
        "safety": "dat",
        "class": "xuat_sac",
        "score": 95,
        "decision": "12/QĐ-UBND",
    }
    assert (stored["19807"]["safety"], stored["19807"]["class"]) == ("chua_dat", "kha")
    assert stored["CQ002"]["class"] == "xuat_sac"  # "Tốt" is the classification file's alias
    assert stored["19750"]["score"] == 55.5


def test_list_is_sorted_by_vietnamese_collation(cli, hue_2024, tmp_path):
    cli(
        "assess",
        "import",
        _write(
            tmp_path / "r.csv",
            "code,year,safety\n19798,2023,dat\nCQ002,2023,dat\n19750,2023,dat\n19774,2023,dat\n",
        ),
    )
    names = [r["name"] for r in cli.json("assess", "list", "--year", "2023")]
    assert names == [
        "Hội Liên hiệp Phụ nữ thành phố Huế",
        "Phường Kim Long",
        "Phường Phước Vĩnh",
        "Phường Tây Lộc",
    ]


def test_a_name_finds_its_unit_whatever_the_tone_placement(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "tên,năm,kết quả\nPhường Thủy Biều,2023,Đạt\n")
    cli("assess", "import", results)
    assert _results(cli)["19807"]["name"] == "Phường Thuỷ Biều"


def test_a_name_with_another_tone_is_not_matched_and_the_closest_is_named(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "tên,năm,kết quả\nPhường Phước Vịnh,2023,Đạt\n")
    errors = cli.json("assess", "import", results, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "name")]
    assert "Phường Phước Vịnh" in errors[0]["message"]
    assert "closest: Phường Phước Vĩnh (19798)" in errors[0]["message"]
    assert _results(cli) == {}


def test_class_is_derived_from_the_score_when_empty(cli, hue_2024, tmp_path):
    results = _write(
        tmp_path / "r.csv",
        "code,year,score\n19798,2023,92\n19807,2023,70\n19750,2023,50\n19774,2023,49.5\n",
    )
    cli("assess", "import", results)
    classes = {code: r["class"] for code, r in _results(cli).items()}
    assert classes == {"19798": "xuat_sac", "19807": "kha", "19750": "trung_binh", "19774": "yeu"}


def test_class_and_score_that_disagree_warn_and_the_class_stands(cli, hue_2024, tmp_path):
    results = _write(
        tmp_path / "r.csv", "code,year,class,score\n19798,2023,kha,95\n19807,2023,kha,80\n"
    )
    outcome = cli("assess", "import", results)
    assert f"{results}:2: class:" in outcome.stderr
    assert f"{results}:3:" not in outcome.stderr
    assert _results(cli)["19798"]["class"] == "kha"


def test_an_empty_cell_keeps_the_stored_value(cli, hue_2024, tmp_path):
    cli(
        "assess",
        "import",
        _write(tmp_path / "a.csv", "code,year,safety,class,score\n19798,2023,dat,kha,80\n"),
    )
    report = cli.json(
        "assess",
        "import",
        _write(
            tmp_path / "b.csv", "code,year,safety,class,score,decision\n19798,2023,,,,5/QĐ-UBND\n"
        ),
    )
    assert report["updated"] == 1
    stored = _results(cli)["19798"]
    assert (stored["safety"], stored["class"], stored["score"], stored["decision"]) == (
        "dat",
        "kha",
        80,
        "5/QĐ-UBND",
    )


def test_reimporting_the_same_values_changes_nothing(cli, hue_2024, tmp_path, db):
    results = _write(
        tmp_path / "r.csv", "code,year,safety,class\n19798,2023,dat,kha\nCQ002,2023,dat,xuat_sac\n"
    )
    cli("assess", "import", results)
    report = cli.json("assess", "import", results)
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 0, 2)
    assert _result_audit(db) == []


def test_a_changed_value_replaces_the_stored_one_and_the_audit_keeps_both(
    cli, hue_2024, tmp_path, db
):
    cli(
        "assess",
        "import",
        _write(
            tmp_path / "a.csv", "code,year,safety,class\n19798,2023,dat,kha\nCQ002,2023,dat,kha\n"
        ),
    )
    report = cli.json(
        "assess",
        "import",
        _write(
            tmp_path / "b.csv",
            "code,year,safety,class\n19798,2023,dat,xuat_sac\nCQ002,2023,dat,kha\n",
        ),
    )
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 1)
    assert _results(cli)["19798"]["class"] == "xuat_sac"
    [(key, old, new)] = _result_audit(db)
    assert key == "19798/2023"
    assert (old["class"], new["class"]) == ("kha", "xuat_sac")
    assert old["safety"] == new["safety"] == "dat"
    conn = sqlite3.connect(db)
    imports = conn.execute(
        "SELECT new FROM audit WHERE action = 'import' AND entity = 'results'"
    ).fetchall()
    assert len(imports) == 2 and json.loads(imports[-1][0])["updated"] == 1
    assert len(json.loads(imports[-1][0])["sha256"]) == 64


def test_a_year_after_the_current_year_is_an_error(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "code,year,safety\n19798,2025,dat\n19807,2023,dat\n")
    errors = cli.json("assess", "import", results, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "year")]
    assert "after the current year 2024" in errors[0]["message"]


def test_a_unit_not_active_on_15_november_of_the_year_is_an_error(cli, hue_2024, tmp_path):
    cli("units", "import", hue_file("hue-2025-authorities.csv"), "--as-of", "2025-01-01")
    cli("units", "import", hue_file("hue-2025-communes.csv"), "--as-of", "2025-07-01")
    results = _write(
        tmp_path / "r.csv", "code,year,safety\n19819,2023,dat\n99999,2023,dat\n19798,2023,dat\n"
    )
    errors = cli.json("assess", "import", results, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "code"), (3, "code")]
    assert "not active on 2023-11-15" in errors[0]["message"]
    assert "2025-07-01" in errors[0]["message"]
    assert "unknown unit '99999'" in errors[1]["message"]


def test_a_bad_file_reports_every_bad_row_and_changes_nothing(cli, hue_2024, tmp_path):
    cli(
        "assess",
        "import",
        _write(tmp_path / "good.csv", "code,year,safety,class\n19798,2023,dat,kha\n"),
    )
    before = cli.json("assess", "list", "--year", "2023")
    bad = _write(
        tmp_path / "bad.csv",
        "code,year,safety,class,score\n"
        "19798,2023,chua_dat,yeu,\n"  # a change, but the file is bad
        "19807,2023,maybe,,\n"
        "19750,2023,dat,gioi,\n"
        "19774,2023,dat,,abc\n"
        "19777,2023,dat,,120\n"
        "19780,20x3,dat,,\n"
        "19783,2023,dat,,\n"
        "19783,2023,chua_dat,,\n"
        ",2023,dat,,\n",
    )
    result = cli("assess", "import", bad, code=1)
    for row, column in [
        (3, "safety"),
        (4, "class"),
        (5, "score"),
        (6, "score"),
        (7, "year"),
        (9, "code"),
        (10, "code"),
    ]:
        assert f"{bad}:{row}: {column}:" in result.stderr, (row, column, result.stderr)
    assert f"{bad}:8:" not in result.stderr  # a duplicate is reported on its later row only
    assert "Traceback" not in result.stderr
    assert cli.json("assess", "list", "--year", "2023") == before


def test_bad_file_with_json_prints_the_errors_document(cli, hue_2024, tmp_path):
    bad = _write(tmp_path / "bad.csv", "code,year,safety\n19798,2023,dat\n19798,2023,dat\n")
    errors = cli.json("assess", "import", bad, code=1)["errors"]
    assert errors == [
        {
            "file": str(bad),
            "row": 3,
            "column": "code",
            "message": "duplicate result for '19798' in 2023 (already on row 2)",
        }
    ]


def test_year_option_fills_empty_years_and_rejects_other_years(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "code,safety\n19798,dat\n")
    assert cli.json("assess", "import", results, "--year", "2023")["added"] == 1
    mixed = _write(tmp_path / "m.csv", "code,year,safety\n19807,,dat\n19750,2022,dat\n")
    errors = cli.json("assess", "import", mixed, "--year", "2023", code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(3, "year")]
    missing = cli.json("assess", "import", results, code=1)["errors"]
    assert missing[0]["column"] == "year" and "--year" in missing[0]["message"]


def test_a_file_without_code_or_name_column_is_refused(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "đơn vị,năm,kết quả\nPhường Tây Lộc,2023,dat\n")
    errors = cli.json("assess", "import", results, code=1)["errors"]
    assert errors[0]["column"] == "code" and "name" in errors[0]["message"]


def test_dry_run_counts_but_writes_nothing(cli, hue_2024, tmp_path):
    results = _write(tmp_path / "r.csv", "code,year,safety\n19798,2023,dat\n")
    assert cli.json("assess", "import", results, "--dry-run")["added"] == 1
    assert _results(cli) == {}


def test_assess_set_validates_records_and_audits(cli, hue_2024, db):
    cli("assess", "set", "19798", "--year", "2023", "--safety", "Đạt", "--score", "91")
    stored = _results(cli)["19798"]
    assert (stored["safety"], stored["class"], stored["score"]) == ("dat", "xuat_sac", 91)
    cli("assess", "set", "19798", "--year", "2023", "--class", "Khá", "--decision", "7/QĐ-UBND")
    stored = _results(cli)["19798"]
    assert (stored["class"], stored["score"], stored["decision"]) == ("kha", 91, "7/QĐ-UBND")
    audit = _result_audit(db)
    assert [(key, old and old["class"], new["class"]) for key, old, new in audit] == [
        ("19798/2023", None, "xuat_sac"),
        ("19798/2023", "xuat_sac", "kha"),
    ]
    for args in (["--safety", "maybe"], ["--score", "101"], ["--class", "giỏi"]):
        result = cli("assess", "set", "19798", "--year", "2023", *args, code=1)
        assert args[0] in result.stderr
    assert (
        "unknown unit"
        in cli("assess", "set", "NOPE", "--year", "2023", "--safety", "dat", code=1).stderr
    )
    assert (
        "after the current year"
        in cli("assess", "set", "19798", "--year", "2025", "--safety", "dat", code=1).stderr
    )
    assert _results(cli)["19798"]["class"] == "kha"


def test_assess_list_scope_keeps_the_units_under_the_scope(cli, hue_2024, tmp_path):
    cli(
        "assess",
        "import",
        _write(
            tmp_path / "r.csv",
            "code,year,safety\n19783,2023,dat\nGD001,2023,dat\nCQ002,2023,dat\n19798,2023,dat\n",
        ),
    )
    assert set(_results(cli, 2023, "--scope", "474")) == {"19783", "GD001", "CQ002", "19798"}
    assert set(_results(cli, 2023, "--scope", "19783")) == {"GD001"}
    assert _results(cli, 2022) == {}
    cli("assess", "list", "--year", "2023", "--scope", "NOPE", code=1)


RESULT_CELLS = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "19798",
            "19807",
            "CQ002",
            "00001",
            "2023",
            "2022",
            "2025",
            "20x3",
            "Đạt",
            "Chưa đạt",
            "dat",
            "chua_dat",
            "maybe",
            "Khá",
            "Tốt",
            "xuat_sac",
            "yeu",
            "gioi",
            "95",
            "49,5",
            "101",
            "-1",
            "nan",
            "1e309",
            "Phường Thủy Biều",
            "Phường Phước Vịnh",
            "=1+1",
            "x" * 5000,
            '"',
            ";",
            "\t",
            "\u200bPhường\u00a0Tây Lộc",
            "Thu\u0309y",
        ]
    ),
    st.text(max_size=20),
)
RESULT_HEADERS = st.sampled_from(
    [
        "code,year,safety,class,score,decision,note",
        "mã,năm,kết quả,xếp loại,điểm",
        "tên,năm,phân loại",
        "code,safety",
        "name,code,year,extra",
        "",
    ]
)


def _stored(db):
    conn = sqlite3.connect(db)
    try:
        return (
            conn.execute("SELECT * FROM results ORDER BY code, year").fetchall(),
            conn.execute("SELECT COUNT(*) FROM audit").fetchone(),
        )
    finally:
        conn.close()


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    header=RESULT_HEADERS,
    rows=st.lists(st.lists(RESULT_CELLS, max_size=8), max_size=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
    year=st.sampled_from([None, "2023"]),
)
def test_any_results_file_ends_in_exit_0_or_1_and_a_failed_run_changes_nothing(
    cli, hue_2024, tmp_path, header, rows, encoding, year
):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    if header:
        writer.writerow(header.split(","))
    writer.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    before = _stored(hue_2024)
    result = cli("assess", "import", path, *(["--year", year] if year else []), code=None)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert _stored(hue_2024) == before


def test_a_spreadsheet_with_title_rows_and_number_cells_is_read(cli, hue_2024, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kết quả 2023"
    sheet.append(["ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"])
    sheet.append(["KẾT QUẢ PHONG TRÀO NĂM 2023"])
    sheet.append([])
    sheet.append(["Mã", "Năm", "An toàn về an ninh, trật tự", "Phân loại", "Điểm"])
    sheet.append([19798, 2023, "Đạt", "Xuất sắc", 95.5])
    sheet.append(["CQ002", 2023, "Đạt", None, 72])
    path = tmp_path / "ket-qua.xlsx"
    workbook.save(path)
    assert cli.json("assess", "import", path, "--sheet", "Kết quả 2023")["added"] == 2
    stored = _results(cli)
    assert (stored["19798"]["class"], stored["19798"]["score"]) == ("xuat_sac", 95.5)
    assert stored["CQ002"]["class"] == "kha"
