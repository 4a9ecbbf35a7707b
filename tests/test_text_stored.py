"""Text stored: a file is decoded in one encoding or refused naming the first line that does
not fit, so mojibake is never stored; control characters never reach the database; results
say when a code and a name disagree, and take the headers officials write."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest

from conftest import cp1258, every_row, hue_file


def _names(db: Path) -> set[str]:
    return {row[0] for row in sqlite3.connect(db).execute("SELECT name FROM unit_versions")}


ROSTER = hue_file("hue-2024-communes.csv").read_bytes()
ROSTER_LINES = ROSTER.count(b"\n")


@pytest.fixture
def authorities(cli, db):
    cli("units", "import", hue_file("hue-2024-authorities.csv"))
    return db


@pytest.mark.parametrize(("case", "data", "bad_line"), [
    ("a Windows-1258 row appended to a UTF-8 roster",
     ROSTER + cp1258("99999,Phường Hương Sơ Mới,phuong,474,Thành phố Huế\n"),
     ROSTER_LINES + 1),
    ("one stray byte in a UTF-8 roster",
     ROSTER.replace("Phường Thuận Lộc".encode(), b"Ph\xffng Thu\xe1n L\xf4c"), 3),
    ("a Windows-1258 row inserted at the top",
     ROSTER.replace(b"\n", b"\n" + cp1258("99999,Xã Mới,xa,474,Thành phố Huế\n"), 1), 2),
    ("a UTF-8 row appended to a Windows-1258 roster",
     cp1258(ROSTER.decode("utf-8")) + "99999,Phường Mới,phuong,474,Thành phố Huế\n".encode(),
     ROSTER_LINES + 1),
])
def test_a_file_valid_in_no_single_encoding_is_refused_naming_the_first_bad_line(
        cli, authorities, tmp_path, case, data, bad_line):
    path = tmp_path / "roster.csv"
    path.write_bytes(data)
    before = every_row(authorities)
    errors = cli.json("units", "import", path, "--as-of", "2021-07-01", code=1)["errors"]
    assert [e["row"] for e in errors] == [bad_line], errors
    assert "UTF-8" in errors[0]["message"]
    assert every_row(authorities) == before


def test_a_bad_line_far_into_a_big_utf8_file_is_named_too(cli, authorities, tmp_path):
    rows = "".join(f"C{i:06d},Trường Mầm non Số {i},co_so_giao_duc,474,\n" for i in range(9000))
    data = (b"code,name,kind,parent_code,subtype\n" + rows.encode()
            + cp1258("C999999,Trường Mầm non Hương Sơ,co_so_giao_duc,474,\n"))
    assert len(data) > 1 << 18  # past the head the encoding is decided on
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    errors = cli.json("units", "import", path, "--as-of", "2021-07-01", code=1)["errors"]
    assert [e["row"] for e in errors] == [9002]


def test_a_whole_windows_1258_roster_is_still_read(cli, authorities, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(cp1258(ROSTER.decode("utf-8")))
    cli("units", "import", path, "--as-of", "2021-07-01")
    assert "Phường Thuận Lộc" in _names(authorities)


def test_results_in_mixed_encodings_are_an_encoding_error_not_an_unknown_result(
        cli, hue_2024, tmp_path):
    path = tmp_path / "results.csv"
    path.write_bytes("code,year,safety,class\n19798,2023,Đạt,Xuất sắc\n".encode()
                     + cp1258("CQ002,2023,Đạt,Khá\n"))
    errors = cli.json("assess", "import", path, code=1)["errors"]
    assert [(e["row"], "UTF-8" in e["message"]) for e in errors] == [(3, True)]
    assert not any("unknown" in e["message"] for e in errors)


# --- control characters --------------------------------------------------------------------

CONTROL_CELLS = ["A\x00B", "X\x1b[31mY", "bell\x07", "C1\x9bJ", "del\x7f"]


def write_workbook(path: Path, rows: list[list[str]]) -> None:
    """An .xlsx holding ``rows`` as Excel writes cells with control characters: openpyxl
    refuses them, so each is put in the sheet's XML afterwards as Excel's _xHHHH_ escape."""
    import re
    import zipfile

    from openpyxl import Workbook

    control = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
    placeholders: dict[str, str] = {}

    def placeholder(match: re.Match) -> str:
        key = f"CTRL{len(placeholders)}Z"
        placeholders[key] = f"_x{ord(match.group()):04X}_"
        return key

    book = Workbook()
    for row in rows:
        book.active.append([control.sub(placeholder, cell) for cell in row])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            for key, escape in placeholders.items():
                data = data.replace(key.encode(), escape.encode())
            target.writestr(item, data)


@pytest.mark.parametrize("control", CONTROL_CELLS, ids=repr)
@pytest.mark.parametrize("column", ["code", "name"])
@pytest.mark.parametrize("suffix", [".csv", ".json", ".yaml", ".xlsx"])
def test_a_control_character_in_a_code_or_name_is_a_row_error(cli, authorities, tmp_path,
                                                               control, column, suffix):
    row = {"code": "19999", "name": "Phường Mới", "kind": "phuong", "parent_code": "474"}
    row[column] = row[column] + control
    path = tmp_path / f"roster{suffix}"
    if suffix == ".xlsx":
        write_workbook(path, [list(row), list(row.values())])
    elif suffix == ".csv":
        with open(path, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(row)
            writer.writerow(row.values())
    elif suffix == ".json":
        path.write_text(json.dumps([row]), encoding="utf-8")
    else:
        path.write_text("- " + json.dumps(row) + "\n", encoding="utf-8")
    before = every_row(authorities)
    result = cli("units", "import", path, "--as-of", "2021-07-01", "--json", code=1)
    errors = json.loads(result.stdout)["errors"]
    row_number = 2 if suffix in (".csv", ".xlsx") else 1
    assert (row_number, column) in {(e["row"], e["column"]) for e in errors}
    assert "control character" in result.stderr
    assert control not in result.stderr and control not in result.stdout.replace("\\u", "")
    assert every_row(authorities) == before


@pytest.mark.parametrize("suffix", [".csv", ".json", ".xlsx"])
def test_control_characters_and_lone_surrogates_are_dropped_from_notes(cli, authorities,
                                                                         tmp_path, suffix):
    note = "ghi\x00 chú\x1b[2J \x9b\ud800cuối"
    row = {"code": "19999", "name": "Phường Mới", "kind": "phuong", "parent_code": "474",
           "note": note}
    path = tmp_path / f"roster{suffix}"
    if suffix == ".xlsx":
        write_workbook(path, [list(row), [*list(row.values())[:-1], note.replace("\ud800", "")]])
    elif suffix == ".csv":
        path.write_bytes(("code,name,kind,parent_code,note\n19999,Phường Mới,phuong,474,"
                          + note.replace("\ud800", "") + "\n").encode("utf-8"))
    else:
        path.write_text(json.dumps([row]), encoding="utf-8")
    cli("units", "import", path, "--as-of", "2021-07-01")
    stored = sqlite3.connect(authorities).execute(
        "SELECT note FROM unit_versions WHERE code = '19999'").fetchone()[0]
    assert stored == "ghi chú[2J cuối"


@pytest.mark.parametrize(("suffix", "text"), [
    (".json", '[{"code": "19999", "name": "Ph\\ud800ng", "kind": "phuong"}]'),
    (".yaml", '- code: "19999"\n  name: "Ph\\ud800ng"\n  kind: phuong\n'),
])
def test_a_lone_surrogate_in_a_json_or_yaml_name_is_an_error_not_a_crash(
        cli, authorities, tmp_path, suffix, text):
    path = tmp_path / f"roster{suffix}"
    path.write_text(text, encoding="utf-8")
    errors = cli.json("units", "import", path, "--as-of", "2021-07-01", code=1)["errors"]
    if suffix == ".json":
        assert [(e["row"], e["column"]) for e in errors] == [(1, "name")]
        assert "surrogate" in errors[0]["message"]
    else:  # YAML's own reader refuses the escape: the file is not valid YAML
        assert "invalid Unicode" in errors[0]["message"]


def test_a_control_character_in_a_results_decision_is_an_error_and_in_a_note_dropped(
        cli, hue_2024, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("code,year,safety,class,decision,note\n"
                    "19798,2023,dat,kha,12/QĐ-UBND\x1b,ok\n", encoding="utf-8")
    errors = cli.json("assess", "import", path, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "decision")]
    path.write_text("code,year,safety,class,decision,note\n"
                    "19798,2023,dat,kha,12/QĐ-UBND,gh\x07i\x00\n", encoding="utf-8")
    cli("assess", "import", path)
    note = sqlite3.connect(hue_2024).execute(
        "SELECT note FROM results WHERE code = '19798'").fetchone()[0]
    assert note == "ghi"


# --- misleading errors ----------------------------------------------------------------------

def test_a_long_unquoted_cell_says_it_is_too_long_not_that_a_quote_never_closes(
        cli, authorities, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("code,name,kind,note\n19999,Phường Mới,phuong," + "x" * 200_000 + "\n",
                    encoding="utf-8")
    result = cli("units", "import", path, "--as-of", "2021-07-01", code=1)
    assert "131,072 characters" in result.stderr
    assert "never closes" not in result.stderr


@pytest.mark.parametrize("suffix", [".csv", ".json", ".yaml"])
def test_sheet_on_a_file_without_sheets_is_a_usage_error(cli, authorities, tmp_path, suffix):
    path = tmp_path / f"roster{suffix}"
    path.write_text("code,name,kind\n" if suffix == ".csv" else "[]", encoding="utf-8")
    result = cli("units", "import", path, "--sheet", "Sheet1", code=2)
    assert "--sheet" in result.stderr


def test_a_header_only_file_says_nothing_was_imported(cli, authorities, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("code,name,kind\n", encoding="utf-8")
    assert "nothing was imported" in cli("units", "import", roster).stderr
    results = tmp_path / "results.csv"
    results.write_text("code,year,safety,class\n", encoding="utf-8")
    assert "nothing was recorded" in cli("assess", "import", results).stderr


def test_a_repeated_code_names_the_row_that_gave_it_first(cli, authorities, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("code,name,kind,parent_code\nA1,Hội A,co_quan,474\nB1,Hội B,co_quan,474\n"
                    "A1,Hội A bis,co_quan,474\nA1,Hội A ter,co_quan,474\n", encoding="utf-8")
    errors = cli.json("units", "import", path, "--as-of", "2021-07-01", code=1)["errors"]
    assert [(e["row"], e["message"]) for e in errors] == [
        (4, "duplicate code 'A1' (already on row 2)"),
        (5, "duplicate code 'A1' (already on row 2)")]


# --- results: code and name, headers -------------------------------------------------------

def test_a_results_row_whose_name_is_not_its_codes_unit_is_an_error(cli, hue_2024, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("code,name,year,safety,class\n"
                    "19798,Phường An Cựu,2023,dat,kha\n"
                    "19750,PHƯỜNG  TÂY LỘC,2023,dat,kha\n"  # the same name, typed loosely
                    "CQ002,Hội Liên hiệp Phụ nữ thành phố Huế,2023,dat,kha\n", encoding="utf-8")
    before = every_row(hue_2024)
    errors = cli.json("assess", "import", path, code=1)["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "name")]
    assert "Phường Phước Vĩnh" in errors[0]["message"]
    assert every_row(hue_2024) == before


def test_a_name_that_matches_its_code_in_another_spelling_is_accepted(cli, hue_2024, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("Mã,Tên đơn vị,Năm,Kết quả ANTT,Xếp loại\n"
                    "19798,PHƯỜNG PHƯỚC VĨNH,2023,Đạt,Khá\n"
                    "19750,Phường  Tây Lộc,2023,Đạt,Khá\n", encoding="utf-8")
    assert cli.json("assess", "import", path)["added"] == 2


@pytest.mark.parametrize("safety_header", ["An toàn", "ANTT", "Đạt chuẩn ANTT",
                                           "Đạt chuẩn an toàn về an ninh, trật tự"])
@pytest.mark.parametrize("class_header", ["Xếp loại phong trào", "Phân loại phong trào",
                                          "Kết quả phong trào"])
def test_the_headers_officials_write_are_read(cli, hue_2024, tmp_path, safety_header,
                                              class_header):
    path = tmp_path / "results.csv"
    path.write_text(f'Mã,Năm,"{safety_header}","{class_header}"\n19798,2023,Đạt,Khá\n'
                    "CQ002,2023,Chưa đạt,Khá\n", encoding="utf-8")
    result = cli("assess", "import", path)
    assert "no row gives" not in result.stderr
    listed = {r["code"]: r for r in cli.json("assess", "list", "--year", "2023")}
    assert (listed["19798"]["safety"], listed["19798"]["class"]) == ("dat", "kha")
    assert listed["CQ002"]["safety"] == "chua_dat"


def test_a_results_file_that_gives_no_safety_result_warns(cli, hue_2024, tmp_path):
    path = tmp_path / "results.csv"
    path.write_text("code,year,Kết luận,class\n19798,2023,Đạt,Khá\n", encoding="utf-8")
    result = cli("assess", "import", path)
    assert "no row gives a safety" in result.stderr
    path.write_text("code,year,safety,class,score\n19798,2023,dat,,\n", encoding="utf-8")
    result = cli("assess", "import", path)
    assert "no row gives a class" in result.stderr
