"""The file reader: every format and encoding an office produces reads as the same table."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import cp1258
from movement_cli.errors import BadInput
from movement_cli.ingest import readers
from movement_cli.ingest.readers import csv_files, fold_header, open_table
from movement_cli.ingest.readers.table import HeaderMatcher, cell_text
from movement_cli.text import normalize

COLUMNS = {
    "code": ("mã", "mã đơn vị"),
    "name": ("tên", "tên đơn vị"),
    "kind": ("loại",),
    "parent_code": ("mã đơn vị cha",),
    "subtype": ("loại hình",),
    "active_from": ("từ ngày",),
    "note": ("ghi chú",),
}
REQUIRED = ("code", "name", "kind")

HEADER = ["code", "name", "kind", "parent_code", "parent_name", "subtype"]
# From hue-2024-communes.csv and hue-2024-agencies.csv: both tone placements, a name that
# repeats its kind word, a name with a comma, parentheses, an armed-forces body.
ROSTER = [
    ["19750", "Phường Tây Lộc", "phuong", "474", "Thành phố Huế", ""],
    ["19780", "Phường Phường Đúc", "phuong", "474", "Thành phố Huế", ""],
    ["19807", "Phường Thuỷ Biều", "phuong", "474", "Thành phố Huế", ""],
    ["19981", "Xã Thủy Bằng", "xa", "474", "Thành phố Huế", ""],
    ["20002", "Xã Hương Phong", "xa", "474", "Thành phố Huế", ""],
    ["CQ002", "Hội Liên hiệp Phụ nữ thành phố Huế", "co_quan", "474", "Thành phố Huế", ""],
    [
        "CQ019",
        "Công an thành phố Huế",
        "co_quan",
        "474",
        "Thành phố Huế",
        "luc_luong_vu_trang",
    ],
    [
        "DN001",
        "Công ty Cổ phần Cấp nước Thừa Thiên Huế (HueWACO)",
        "doanh_nghiep",
        "474",
        "Thành phố Huế",
        "",
    ],
    [
        "GD002",
        "Trường Đại học Sư phạm, Đại học Huế",
        "co_so_giao_duc",
        "19786",
        "Phường Phú Hội",
        "",
    ],
]
EXPECTED = [
    {"code": r[0], "name": r[1], "kind": r[2], "parent_code": r[3], "subtype": r[5]} for r in ROSTER
]
TITLES = ["ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "DANH SÁCH ĐƠN VỊ"]


def read(path: Path, **options) -> tuple[readers.Table, list[tuple[int, dict[str, str]]]]:
    with open_table(path, columns=COLUMNS, required=REQUIRED, **options) as table:
        rows = [
            (number, {name: cells[i] for name, i in table.columns.items()})
            for number, cells in table.rows
        ]
    return table, rows


def problems_of(path: Path, **options) -> list:
    with pytest.raises(BadInput) as caught:
        read(path, **options)
    return caught.value.problems


def csv_text(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


ROSTER_CSV = csv_text([HEADER, *ROSTER])


def write_bytes(name: str, data: bytes):
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return write


def write_xlsx(folder: Path) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in TITLES:
        sheet.append([title])
    sheet.append(HEADER)
    for row in ROSTER:
        sheet.append(row)
    path = folder / "roster.xlsx"
    workbook.save(path)
    return path


def write_xls(folder: Path) -> Path:
    import xlwt

    workbook = xlwt.Workbook(encoding="utf-8")
    sheet = workbook.add_sheet("Danh sách")
    sheet.write(0, 0, TITLES[1])
    for r, row in enumerate([HEADER, *ROSTER], start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = folder / "roster.xls"
    workbook.save(str(path))
    return path


def write_json(folder: Path) -> Path:
    path = folder / "roster.json"
    objects = [dict(zip(HEADER, row, strict=True)) for row in ROSTER]
    path.write_text(json.dumps(objects, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def write_yaml(folder: Path) -> Path:
    import yaml

    path = folder / "roster.yaml"
    objects = [dict(zip(HEADER, row, strict=True)) for row in ROSTER]
    path.write_text(yaml.safe_dump(objects, allow_unicode=True), encoding="utf-8")
    return path


FORMATS = {
    "utf8": write_bytes("roster.csv", ROSTER_CSV.encode("utf-8")),
    "utf8-bom": write_bytes("roster.csv", ROSTER_CSV.encode("utf-8-sig")),
    "utf8-nfd": write_bytes("roster.csv", unicodedata.normalize("NFD", ROSTER_CSV).encode("utf-8")),
    "utf16le-bom": write_bytes("roster.csv", codecs.BOM_UTF16_LE + ROSTER_CSV.encode("utf-16-le")),
    "utf16be-bom": write_bytes("roster.csv", codecs.BOM_UTF16_BE + ROSTER_CSV.encode("utf-16-be")),
    "cp1258-precomposed": write_bytes("roster.csv", cp1258(ROSTER_CSV, precomposed=True)),
    "cp1258-decomposed": write_bytes("roster.csv", cp1258(ROSTER_CSV, precomposed=False)),
    "semicolon": write_bytes("roster.csv", csv_text([HEADER, *ROSTER], ";").encode("utf-8")),
    "tab-txt": write_bytes("roster.txt", csv_text([HEADER, *ROSTER], "\t").encode("utf-8")),
    "xlsx-titles": write_xlsx,
    "xls-title": write_xls,
    "json": write_json,
    "yaml": write_yaml,
}


@pytest.mark.parametrize("write", FORMATS.values(), ids=FORMATS.keys())
def test_every_format_and_encoding_yields_the_same_roster(tmp_path, write):
    table, rows = read(write(tmp_path))
    assert [cells for _, cells in rows] == EXPECTED
    assert table.unknown_columns == ["parent_name"]
    assert table.problems == []


def test_windows_1258_variants_really_differ_in_bytes():
    precomposed = cp1258("Phường Tây Lộc, Thành phố Huế", precomposed=True)
    decomposed = cp1258("Phường Tây Lộc, Thành phố Huế", precomposed=False)
    assert precomposed != decomposed
    assert b"\xcc" in decomposed  # the combining grave of "ờ" and "à"
    assert b"\xe0" in precomposed  # "à" as one letter


def test_semicolon_csv_from_excel_reads_like_comma_csv(tmp_path):
    comma = tmp_path / "comma.csv"
    comma.write_text(ROSTER_CSV, encoding="utf-8")
    semicolon = tmp_path / "semicolon.csv"
    semicolon.write_text(csv_text([HEADER, *ROSTER], ";"), encoding="utf-8-sig")
    assert read(semicolon)[1] == read(comma)[1]


def test_name_with_comma_and_semicolon_keeps_its_separators(tmp_path):
    rows = [HEADER, ["GD9", "Trường A; cơ sở 2, Huế", "co_so_giao_duc", "", "", ""]]
    for delimiter in ",;\t":
        path = tmp_path / "x.csv"
        path.write_text(csv_text(rows, delimiter), encoding="utf-8")
        assert read(path)[1][0][1]["name"] == "Trường A; cơ sở 2, Huế"


def test_vietnamese_headers_match_whatever_their_case_and_accents(tmp_path):
    path = tmp_path / "vn.csv"
    path.write_text(
        "Mã,TÊN,loai,Mã đơn vị cha,LOẠI HÌNH,Ghi_chú\n19750,Phường Tây Lộc,Phường,474,,x\n",
        encoding="utf-8",
    )
    table, rows = read(path)
    assert table.columns == {
        "code": 0,
        "name": 1,
        "kind": 2,
        "parent_code": 3,
        "subtype": 4,
        "note": 5,
    }
    assert rows[0][1]["kind"] == "Phường"


@pytest.mark.parametrize(
    "header", ["Mã đơn vị cha", "MÃ ĐƠN VỊ CHA", "ma_don_vi_cha", "parent_code", "Parent_Code"]
)
def test_parent_code_header_spellings(header):
    matcher = HeaderMatcher(COLUMNS, REQUIRED)
    assert matcher.canonical[fold_header(header)] == "parent_code"


def test_folded_headers_drop_accents_and_d_stroke():
    assert fold_header("  Mã  đơn_vị   CHA ") == "ma don vi cha"
    assert fold_header("MÃ") == fold_header("ma") == fold_header("Mã")
    # NFD input folds the same as NFC.
    assert fold_header(unicodedata.normalize("NFD", "Loại hình")) == "loai hinh"


def test_unknown_column_is_listed_as_written(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name,kind,Tên đơn vị cha\n1,A,xa,B\n", encoding="utf-8")
    table, _ = read(path)
    assert table.unknown_columns == ["Tên đơn vị cha"]
    assert "parent_code" not in table.columns


def test_missing_required_column_names_file_row_column_and_accepted_headers(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name\n1,A\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.file == str(path)
    assert problem.row == 1
    assert problem.column == "kind"
    assert "missing required column 'kind'" in problem.message
    assert "kind, loại" in problem.message


def test_each_missing_column_is_reported(tmp_path):
    path = tmp_path / "x.xlsx"
    _xlsx(path, [["Ghi chú"], ["a"]])
    assert [p.column for p in problems_of(path)] == ["code", "name", "kind"]


def test_two_headers_for_one_column_is_bad_input(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name,kind,Mã\n1,A,xa,2\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert problem.column == "code"
    assert "'code' and 'Mã'" in problem.message


def test_title_rows_above_the_csv_header_are_skipped(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "DANH SÁCH ĐƠN VỊ, NĂM 2024\n\nSố: 593/KH-UBND;;\n" + ROSTER_CSV, encoding="utf-8"
    )
    table, rows = read(path)
    assert [cells for _, cells in rows] == EXPECTED
    assert rows[0][0] == 5


def test_header_beyond_the_first_rows_is_reported_against_the_first_row(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("\n" + "tiêu đề\n" * 31 + ROSTER_CSV, encoding="utf-8")
    problems = problems_of(path)
    assert {p.row for p in problems} == {2}
    assert {p.column for p in problems} == set(REQUIRED)


def _xlsx(path: Path, rows: list[list], sheet: str = "Sheet1", start_row: int = 1) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for r, row in enumerate(rows, start=start_row):
        for c, value in enumerate(row, start=1):
            worksheet.cell(row=r, column=c, value=value)
    workbook.save(path)


def test_codes_stored_as_numbers_in_xlsx_come_back_without_decimals(tmp_path):
    path = tmp_path / "x.xlsx"
    _xlsx(path, [["code", "name", "kind", "parent_code"], [1234, "Xã A", "xa", 474.0]])
    _, rows = read(path)
    assert rows[0][1]["code"] == "1234"
    assert rows[0][1]["parent_code"] == "474"


def test_xlsx_numbers_dates_and_booleans_become_plain_text(tmp_path):
    path = tmp_path / "x.xlsx"
    header = ["code", "name", "kind", "active_from", "note", "subtype"]
    values = ["C1", "A", "xa", datetime.date(2025, 7, 1), 0.1 + 0.2, True]
    _xlsx(path, [header, values])
    _, rows = read(path)
    assert rows[0][1]["active_from"] == "2025-07-01"
    assert rows[0][1]["note"] == "0.3"
    assert rows[0][1]["subtype"] == "true"
    assert cell_text(datetime.datetime(2025, 7, 1, 8, 30)) == "2025-07-01"
    assert cell_text(None) == ""
    assert cell_text(2.5) == "2.5"


def test_xlsx_row_numbers_are_the_sheet_rows_below_title_rows(tmp_path):
    path = write_xlsx(tmp_path)
    _, rows = read(path)
    assert [number for number, _ in rows] == list(range(4, 4 + len(ROSTER)))


def test_xlsx_table_starting_lower_down_keeps_sheet_row_numbers(tmp_path):
    path = tmp_path / "x.xlsx"
    _xlsx(path, [["code", "name", "kind"], ["1", "A", "xa"], [], ["2", "B", "xa"]], start_row=5)
    _, rows = read(path)
    assert [number for number, _ in rows] == [6, 8]


def test_a_large_and_a_small_sheet_are_read_alike(tmp_path, monkeypatch):
    """Large sheets are read a row at a time, small ones in one call: the same rows, row
    numbers and problems either way, from a table that starts lower down and to the right."""
    import openpyxl

    from movement_cli.ingest.readers import spreadsheets

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet["C2"] = "Danh sách đơn vị"
    for r, row in enumerate([["code", "name", "kind"], ["1", "Xã A", "xa"], [],
                             ["2", "Phường B", "phuong", "lạc"]], start=4):
        for c, value in enumerate(row, start=3):
            sheet.cell(row=r, column=c, value=value)
    path = tmp_path / "x.xlsx"
    workbook.save(path)
    seen = []
    for one_call_cells in (0, 50_000):
        monkeypatch.setattr(spreadsheets, "_ONE_CALL_CELLS", one_call_cells)
        with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
            rows = [(number, list(cells)) for number, cells in table.rows]
            seen.append((rows, list(table.problems)))
    assert seen[0] == seen[1]
    rows, problems = seen[0]
    assert [number for number, _ in rows] == [5, 7]
    assert "Phường B" in rows[1][1]
    # The stray value stands in Excel's column F, though the sheet's first columns are blank.
    assert [(p.row, p.column) for p in problems] == [(7, "column F")]


def test_xls_row_numbers_count_the_title_row(tmp_path):
    _, rows = read(write_xls(tmp_path))
    assert rows[0][0] == 3


def test_sheet_option_picks_the_named_sheet(tmp_path):
    import openpyxl

    path = tmp_path / "x.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Ghi chú"
    workbook.active.append(["không phải danh sách"])
    other = workbook.create_sheet("Đơn vị")
    other.append(["code", "name", "kind"])
    other.append(["1", "A", "xa"])
    workbook.save(path)
    assert read(path, sheet="Đơn vị")[1] == [(2, {"code": "1", "name": "A", "kind": "xa"})]
    assert read(path, sheet="don vi")[1][0][1]["code"] == "1"
    [problem] = problems_of(path, sheet="Units")
    assert "'Ghi chú', 'Đơn vị'" in problem.message
    assert [p.column for p in problems_of(path)] == list(REQUIRED)


def test_empty_sheet_is_bad_input(tmp_path):
    import openpyxl

    path = tmp_path / "x.xlsx"
    openpyxl.Workbook().save(path)
    [problem] = problems_of(path)
    assert "empty" in problem.message


def test_file_that_is_not_a_workbook_is_bad_input(tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_text("code,name,kind\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert "save it as .xlsx" in problem.message
    html = tmp_path / "export.xls"
    html.write_text("<html><table><tr><td>code</td></tr></table></html>", encoding="utf-8")
    [problem] = problems_of(html)
    assert "web page" in problem.message


def test_csv_row_numbers_are_the_line_a_record_starts_on(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        'code,name,kind,note\n1,A,xa,"ghi chú\ntrên hai dòng"\n\n,,,\n2,B,xa,\n',
        encoding="utf-8",
    )
    _, rows = read(path)
    assert rows == [
        (2, {"code": "1", "name": "A", "kind": "xa", "note": "ghi chú trên hai dòng"}),
        (6, {"code": "2", "name": "B", "kind": "xa", "note": ""}),
    ]


def test_cells_are_normalised(tmp_path):
    path = tmp_path / "x.csv"
    nfd = unicodedata.normalize("NFD", "Phường  Tây Lộc")
    path.write_text(
        f'code,name,kind,note\n 19750 ,\u200b{nfd}\u00a0, phuong," a  b "\n',
        encoding="utf-8",
    )
    _, rows = read(path)
    assert rows[0][1] == {
        "code": "19750",
        "name": "Phường Tây Lộc",
        "kind": "phuong",
        "note": "a b",
    }


def test_stray_spaces_alone_are_collapsed(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('code,name,kind\n1 ,Xã  A,xa\n2,"B ",xa \n', encoding="utf-8")
    _, rows = read(path)
    assert [cells["name"] for _, cells in rows] == ["Xã A", "B"]
    assert [cells["code"] for _, cells in rows] == ["1", "2"]
    assert rows[1][1]["kind"] == "xa"


@pytest.mark.parametrize("line, name, note", [
    # A space after a quote that opens or closes a value is stray ...
    ('1," Xã A",xa,', "Xã A", ""),
    ('1,"Xã A" ,xa,', "Xã A", ""),
    ('1,Xã A,xa,"" ', "Xã A", ""),
    ('1,"" Xã A,xa,', "Xã A", ""),
    ('1,Xã A,xa,"Ghi ""Tốt""" ', "Xã A", 'Ghi "Tốt"'),
    ('" 1",Xã A,xa,', "Xã A", ""),
    # ... one after an escaped quote inside a value is part of the text, and so is the
    # rest of its line (the row is not cleaned as if it were untidy).
    ('1,Xã A,xa,"""Tốt"" theo kết quả"', "Xã A", '"Tốt" theo kết quả'),
    ('1,"Xã ""A"" mới",xa,', 'Xã "A" mới', ""),
])
def test_spaces_after_quotes(tmp_path, line, name, note):
    path = tmp_path / "x.csv"
    path.write_text(f"code,name,kind,note\n{line}\n", encoding="utf-8")
    _, rows = read(path)
    assert rows[0][1] == {"code": "1", "name": name, "kind": "xa", "note": note}


def test_short_rows_are_padded_and_every_row_has_one_cell_per_column(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name,kind,note,,\n1,A\n2,B,xa,n,,\n", encoding="utf-8")
    with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
        rows = list(table.rows)
    assert rows == [(2, ["1", "A", "", "", "", ""]), (3, ["2", "B", "xa", "n", "", ""])]
    assert table.problems == []


def test_value_beyond_the_header_is_a_problem_not_dropped_silently(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(
        "code,name,kind\nGD002,Trường Đại học Sư phạm, Đại học Huế,co_so_giao_duc\n",
        encoding="utf-8",
    )
    with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
        rows = list(table.rows)
    assert rows == [(2, ["GD002", "Trường Đại học Sư phạm", "Đại học Huế"])]
    [problem] = table.problems
    assert problem.row == 2
    assert "'co_so_giao_duc'" in problem.message
    assert "double quotes" in problem.message


def test_value_under_an_empty_header_cell_is_a_problem(tmp_path):
    path = tmp_path / "x.xlsx"
    _xlsx(path, [["code", "name", None, "kind"], ["1", "A", "lạc chỗ", "xa"]])
    with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
        rows = list(table.rows)
    assert rows == [(2, ["1", "A", "lạc chỗ", "xa"])]
    [problem] = table.problems
    assert (problem.row, problem.column) == (2, "column C")
    assert "has no header" in problem.message


def test_json_that_is_not_a_list_of_objects_is_bad_input(tmp_path):
    for content, found in [
        ('{"code": "1", "name": "A", "kind": "xa"}', "an object"),
        ('["1", "2"]', "item 1 is text"),
        ("42", "a single value"),
    ]:
        path = tmp_path / "x.json"
        path.write_text(content, encoding="utf-8")
        [problem] = problems_of(path)
        assert problem.row == 0
        assert "expected a list of objects" in problem.message
        assert found in problem.message


def test_broken_json_and_yaml_say_where(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('[{"code": "1",\n "name": }]', encoding="utf-8")
    [problem] = problems_of(path)
    assert "line 2" in problem.message
    path = tmp_path / "x.yaml"
    path.write_text("- code: 1\n  name: [unclosed\n", encoding="utf-8")
    [problem] = problems_of(path)
    assert "not valid YAML" in problem.message


def test_nested_value_is_bad_input_naming_row_and_key(tmp_path):
    path = tmp_path / "x.json"
    objects = [
        {"code": "1", "name": "A", "kind": "xa"},
        {"code": "2", "name": {"vi": "B"}, "kind": "xa", "note": ["x"]},
    ]
    path.write_text(json.dumps(objects), encoding="utf-8")
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [(2, "name"), (2, "note")]


def test_json_values_become_text_and_rows_count_objects(tmp_path):
    path = tmp_path / "x.json"
    objects = [
        {"code": 19750, "name": "A", "kind": "phuong", "note": None},
        {},
        {"code": "2", "name": "B", "kind": "xa", "note": 1.5, "subtype": False},
    ]
    path.write_text(json.dumps(objects), encoding="utf-8")
    table, rows = read(path)
    assert rows[0] == (
        1,
        {"code": "19750", "name": "A", "kind": "phuong", "note": "", "subtype": ""},
    )
    assert rows[1][0] == 3
    assert rows[1][1]["note"] == "1.5"
    assert rows[1][1]["subtype"] == "false"


def test_yaml_keeps_codes_and_words_as_written(tmp_path):
    path = tmp_path / "x.yml"
    path.write_text(
        "- code: 01234\n  name: Xã No\n  kind: xa\n  active_from: 2025-07-01\n  note: No\n"
        "- code: 00474\n  name: ~\n  kind: huyen\n",
        encoding="utf-8",
    )
    _, rows = read(path)
    assert rows[0][1] == {
        "code": "01234",
        "name": "Xã No",
        "kind": "xa",
        "active_from": "2025-07-01",
        "note": "No",
    }
    assert rows[1][1]["code"] == "00474"
    assert rows[1][1]["name"] == ""


def test_nonexistent_file_and_folder_are_bad_input(tmp_path):
    [problem] = problems_of(tmp_path / "không có.csv")
    assert "no such file" in problem.message
    [problem] = problems_of(tmp_path)
    assert "folder" in problem.message


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\r\n  \n"])
def test_empty_csv_is_bad_input(tmp_path, content):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    [problem] = problems_of(path)
    assert "empty" in problem.message


def test_empty_json_list_is_bad_input(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("[]", encoding="utf-8")
    [problem] = problems_of(path)
    assert "empty" in problem.message


def test_header_only_csv_has_no_rows(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("code,name,kind\n", encoding="utf-8")
    table, rows = read(path)
    assert rows == []
    assert table.columns == {"code": 0, "name": 1, "kind": 2}


def test_unsupported_extension_lists_the_accepted_ones(tmp_path):
    path = tmp_path / "roster.ods"
    path.write_bytes(b"PK")
    [problem] = problems_of(path)
    assert ".csv .txt .xlsx .xls .json .yaml .yml" in problem.message


def test_upper_case_extension_is_accepted(tmp_path):
    path = tmp_path / "ROSTER.CSV"
    path.write_text(ROSTER_CSV, encoding="utf-8")
    assert len(read(path)[1]) == len(ROSTER)


def test_utf16_without_bom_is_recognised(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(ROSTER_CSV.encode("utf-16-le"))
    assert [cells for _, cells in read(path)[1]] == EXPECTED


def test_bytes_undefined_in_windows_1258_still_read(tmp_path):
    path = tmp_path / "x.csv"
    path.write_bytes(b"code,name,kind\n1,Ph\x81\xeang,xa\n")
    _, rows = read(path)
    assert rows[0][1]["name"] == "Ph\x81êng"


def test_utf8_file_that_breaks_later_is_reported_on_its_line(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "_HEAD", 64)
    monkeypatch.setattr(csv_files, "_CHUNK", 64)
    lines = ["code,name,kind", "1,Phường Tây Lộc,phuong"] + [f"{i},Xã A,xa" for i in range(20)]
    data = ("\n".join(lines) + "\n").encode("utf-8") + cp1258("99,Xã B,xa\n", precomposed=True)
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    [problem] = problems_of(path)
    assert problem.row == len(lines) + 1
    assert "UTF-8" in problem.message


def test_windows_1258_text_first_seen_after_the_head_is_still_recognised(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "_HEAD", 64)
    monkeypatch.setattr(csv_files, "_CHUNK", 64)
    ascii_rows = "".join(f"{i},Xa A,xa\n" for i in range(20))
    data = (
        b"code,name,kind\n"
        + ascii_rows.encode()
        + cp1258("99,Xã Hương Phong,xa\n", precomposed=False)
    )
    path = tmp_path / "x.csv"
    path.write_bytes(data)
    _, rows = read(path)
    assert rows[-1] == (22, {"code": "99", "name": "Xã Hương Phong", "kind": "xa"})


def test_multiline_value_across_chunks_keeps_row_numbers(tmp_path, monkeypatch):
    monkeypatch.setattr(csv_files, "_CHUNK", 64)
    records = [["code", "name", "kind", "note"]]
    records += [[str(i), f"Xã {i}", "xa", ""] for i in range(1, 10)]
    records += [["10", "Phường X", "phuong", "dòng một\ndòng hai\ndòng ba, " + "x" * 100]]
    records += [["11", "Xã Y", "xa", ""]]
    path = tmp_path / "x.csv"
    path.write_text(csv_text(records), encoding="utf-8")
    _, rows = read(path)
    assert [number for number, _ in rows] == [*range(2, 12), 14]
    assert rows[9][1]["note"] == "dòng một dòng hai dòng ba, " + "x" * 100


def test_unclosed_quote_never_raises_a_traceback(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text('code,name,kind\n1,"A,xa\n2,B,xa\n', encoding="utf-8")
    table, rows = read(path)
    assert rows[0][0] == 2


def test_cli_start_up_does_not_import_the_heavy_readers():
    code = (
        "import sys, movement_cli.ingest.readers; "
        "print(sorted(m for m in ('python_calamine', 'yaml', 'openpyxl') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- streaming: the chunked CSV path reads exactly like csv.reader + normalize ---------------


def reference(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    header: list[str] | None = None
    out = []
    start = 1
    for record in reader:
        cells = [normalize(cell) for cell in record]
        if header is None:
            if any(cells):
                header = cells
        elif any(cells):
            out.append((start, cells + [""] * (len(header) - len(cells))))
        start = reader.line_num + 1
    return out


names = st.sampled_from(
    [row[1] for row in ROSTER]
    + ["", " ", "  Xã  A ", "a\nb", "a\r\nb", '"q"', "x, y", "\u00a0Huế\u200b", "Ð\tx", "ẩ"]
    + [unicodedata.normalize("NFD", "Thừa Thiên Huế")]
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.lists(names, min_size=3, max_size=3), max_size=40),
    delimiter=st.sampled_from(",;\t"),
    chunk=st.sampled_from([16, 64, 1 << 15]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]),
    ending=st.sampled_from(["\r\n", "\n"]),
)
def test_chunked_csv_reads_exactly_like_csv_reader_with_normalize(
    rows, delimiter, chunk, encoding, ending
):
    old = csv_files._CHUNK
    csv_files._CHUNK = chunk
    try:
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator=ending)
        writer.writerows([["code", "name", "kind"], *rows])
        text = out.getvalue()
        if encoding == "cp1258":
            try:
                data = cp1258(text, precomposed=True)
            except UnicodeEncodeError:
                assume(False)
            text = data.decode("cp1258")
        else:
            data = text.encode(encoding)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "x.csv"
            path.write_bytes(data)
            with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
                got = list(table.rows)
        assert got == reference(text, delimiter)
    finally:
        csv_files._CHUNK = old


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".csv", ".json", ".yaml"]))
def test_random_bytes_are_a_table_or_bad_input_never_a_traceback(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"x{suffix}"
        path.write_bytes(b"code,name,kind\n" + data if suffix == ".csv" else data)
        try:
            with open_table(path, columns=COLUMNS, required=REQUIRED) as table:
                for _number, cells in table.rows:
                    assert all(isinstance(cell, str) for cell in cells)
        except BadInput as error:
            assert error.problems


def test_a_workbook_read_for_some_columns_gives_those_cells_and_the_same_problems(tmp_path):
    """``reads``: only the named columns become text; the rest of the file is checked alike
    (a value under no header, a row that holds only an unread value, True beside 1)."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for title in TITLES:
        sheet.append([title])
    sheet.append(["code", "name", "kind", None, "subtype"])
    sheet.append(["19798", "  Phường   Phước Vĩnh ", "phuong", "stray", None])
    sheet.append([None, "only a name", None, None, None])
    sheet.append([1, True, 1.0, None, "x"])
    sheet.append([True, "n", "\u00a0xa", None, None, "beyond"])
    path = tmp_path / "some.xlsx"
    workbook.save(path)

    def read_some(**options):
        with open_table(path, columns=COLUMNS, required=REQUIRED, **options) as table:
            rows = [(n, [cells[table.columns[c]] for c in ("code", "kind")], len(cells))
                    for n, cells in table.rows]
        return table, rows

    whole, every = read_some()
    some, read = read_some(reads=("code", "kind"))
    # Two title rows, the header on row 3; the sheet is six columns wide (the last row).
    assert read == every == [(4, ["19798", "phuong"], 6), (5, ["", ""], 6),
                             (6, ["1", "1"], 6), (7, ["true", "xa"], 6)]
    assert some.problems == whole.problems
    assert [(p.row, p.column) for p in some.problems] == [(4, "column D"), (7, "column F")]
    with open_table(path, columns=COLUMNS, required=REQUIRED, reads=("code",)) as table:
        names = [cells[table.columns["name"]] for _, cells in table.rows]
    assert names == ["", "", "", ""]  # not read: handed over empty
