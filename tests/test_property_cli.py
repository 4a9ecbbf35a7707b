"""Property-based: whatever a user types or feeds it, every command that reads a file or
takes free text ends with exit 0, 1, 2 (or 3, done but needing attention), never a
traceback; a failed run leaves every table of the database exactly as it was; and nothing
prints a control character raw.

CI runs a short profile. The long run (thousands of examples) is

    MOVEMENT_PROPERTY_EXAMPLES=2000 pytest tests/test_property_cli.py

(each test takes that many examples; about an hour on the development machine).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import sqlite3
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("MOVEMENT_PROPERTY_EXAMPLES", "12"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
AUTHORITY = Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml"
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")

# Any character at all, lone surrogates and controls included.
ANY_CHAR = st.characters(min_codepoint=0, max_codepoint=0x10FFFF, exclude_categories=())
NASTY = st.sampled_from([
    "", " ", "\x00", "\x1b[31m", "\x9b2J", "\ud800", "\udcff", "\u202e", "\ufeff", "\u200b",
    "\r", "\n", "\t", '"', "'", ";", ",", "=1+1", "@SUM(A1)", "-2", "+1", "x" * 200_000,
    "Phường Phước Vĩnh", "Phu\u031bo\u031bng", "Phöôøng", "Ph\u00adêng", "19798", "CQ002",
    "0", "-0", "1e309", "NaN", "inf", "99999999999999999999", "2024", "0", "99999",
    "9999-12-31", "0001-01-01", "31/02/2024", "2024-02-29", "2023", "dat", "Đạt", "khá",
    "Xuất sắc", "tinh", "xa", "phuong", "co_quan", "luc_luong_vu_trang", "../../x", "..",
])
CELL = st.one_of(NASTY, st.text(ANY_CHAR, max_size=20))
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1258", "cp1252",
                             "latin-1", "mixed"])
ROSTER_HEADERS = ["code", "name", "kind", "parent_code", "subtype", "active_from",
                  "active_to", "note", "mã", "tên", "loại"]
RESULT_HEADERS = ["code", "name", "year", "safety", "class", "score", "decision", "note",
                  "An toàn", "ANTT", "Xếp loại phong trào", "Mã", "Năm"]


def dump(db: Path) -> dict:
    """Every row of every table, in a fixed order."""
    conn = sqlite3.connect(db)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        return {t: sorted(map(repr, conn.execute(f'SELECT * FROM "{t}"'))) for t in tables}
    finally:
        conn.close()


def check(cli, db: Path, *args, allowed=(0, 1, 2)):
    """Run a command; assert the exit code, no traceback, no raw control character out,
    and that a failed run changed no table."""
    before = dump(db)
    result = cli(*args, code=None)
    assert result.exit_code in allowed, (result.exit_code, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    for stream in (result.stdout, result.stderr):
        assert not RAW_CONTROL.search(stream), repr(RAW_CONTROL.search(stream).group())
    if result.exit_code in (1, 2):
        assert dump(db) == before
    return result


def encode(text: str, encoding: str) -> bytes:
    if encoding == "mixed":  # half one encoding, half another: valid in neither
        half = len(text) // 2
        return (text[:half].encode("utf-8", "surrogatepass")
                + text[half:].encode("cp1258", "replace"))
    if encoding.startswith("utf"):
        return text.encode(encoding, "surrogatepass")
    return text.encode(encoding, "replace")


def csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


@pytest.fixture
def world(cli, selected_2024):
    """The Huế 2024 roster, 2023 results, a confirmed selection and the authority's details."""
    cli("config", "load", AUTHORITY)
    return selected_2024


TABLE_FILE = st.tuples(
    st.lists(st.sampled_from(ROSTER_HEADERS + RESULT_HEADERS), max_size=8),
    st.lists(st.lists(CELL, max_size=8), max_size=6),
    ENCODINGS,
    st.sampled_from([",", ";", "\t"]),
    st.sampled_from([".csv", ".txt", ".json", ".yaml"]),
)


def write_table(folder: Path, spec) -> Path:
    header, rows, encoding, delimiter, suffix = spec
    path = folder / f"input{suffix}"
    if suffix in (".csv", ".txt"):
        path.write_bytes(encode(csv_text(header, rows, delimiter), encoding))
    elif suffix == ".json":
        objects = [dict(zip(header, row, strict=False)) for row in rows]
        path.write_bytes(encode(json.dumps(objects, ensure_ascii=encoding == "mixed"),
                                "utf-8" if encoding in ("mixed", "cp1258", "cp1252",
                                                        "latin-1") else encoding))
    else:
        lines = []
        for row in rows:
            items = [f"{json.dumps(k)}: {json.dumps(v)}" for k, v in zip(header, row,
                                                                          strict=False)]
            lines.append("- {" + ", ".join(items) + "}" if items else "- {}")
        path.write_bytes(encode("\n".join(lines) + "\n", encoding))
    return path


@SETTINGS
@given(spec=TABLE_FILE, as_of=st.sampled_from(["2024-01-01", "2021-07-01", "01/07/2025"]),
       dry=st.booleans())
def test_units_import_of_any_file(cli, world, tmp_path, spec, as_of, dry):
    path = write_table(tmp_path, spec)
    check(cli, world, "units", "import", path, "--as-of", as_of, *(["--dry-run"] if dry else []))


@SETTINGS
@given(spec=TABLE_FILE, year=st.sampled_from([None, "2023", "2022"]))
def test_assess_import_of_any_file(cli, world, tmp_path, spec, year):
    path = write_table(tmp_path, spec)
    check(cli, world, "assess", "import", path, *(["--year", year] if year else []))


@SETTINGS
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".json", ".yaml",
                                                             ".xlsx", ".xls"]),
       command=st.sampled_from(["units", "assess"]))
def test_importers_on_random_bytes(cli, world, tmp_path, data, suffix, command):
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    check(cli, world, command, "import", path, *(["--year", "2023"] if command == "assess"
                                                 else []))


def _yaml_value():
    scalar = st.one_of(CELL, st.integers(), st.floats(allow_nan=True), st.booleans(),
                       st.none())
    return st.recursive(scalar, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=12), inner, max_size=3)),
        max_leaves=8)


YAML_TRICKS = st.sampled_from([
    "", "a: &a [1, 2]\nb: *a\n", "x: !!binary aGVsbG8=\n", "x: !!python/object:os.system {}\n",
    "authority:\n  name: A\n  name: B\n", "signer.name: 2024-02-30\n", 'x: "\\ud800"\n',
    'authority.name: "\\e[2J"\n', "- a\n- b\n", "a: &a [*a]\n", "?\n", "{{{{", "\t- x",
    "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n",
])


@SETTINGS
@given(document=st.one_of(YAML_TRICKS, _yaml_value().map(
    lambda value: json.dumps(value, ensure_ascii=False))),
       keyed=st.dictionaries(st.sampled_from(["authority.name", "signer.title", "recipients",
                                              "signer.authority", "criteria_dir",
                                              "authority", "ui.language"]),
                             _yaml_value(), max_size=3),
       encoding=ENCODINGS)
def test_config_load_and_criteria_check_of_any_yaml(cli, world, tmp_path, document, keyed,
                                                    encoding):
    import yaml

    for text in (document, yaml.safe_dump(keyed, allow_unicode=True)):
        path = tmp_path / "config.yaml"
        path.write_bytes(encode(text, encoding))
        check(cli, world, "config", "load", path)
        criteria = tmp_path / "selection" / "x.yaml"
        criteria.parent.mkdir(exist_ok=True)
        criteria.write_bytes(encode(text, encoding))
        check(cli, world, "criteria", "check", criteria)


FREE_TEXT = st.one_of(NASTY, st.text(ANY_CHAR, max_size=30))
YEARS = st.one_of(st.sampled_from(["2024", "0", "99999", "-1", "1899", "3000", "abc", ""]),
                  st.integers(-10**6, 10**6).map(str))


@SETTINGS
@given(text=FREE_TEXT, other=FREE_TEXT, year=YEARS)
def test_free_text_in_options_and_arguments(cli, world, tmp_path, text, other, year):
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    check(cli, world, "config", "set", "signer.name", text)
    check(cli, world, "config", "set", text or "x", other)
    check(cli, world, "config", "get", text or "x")
    check(cli, world, "units", "show", text or "x")
    check(cli, world, "units", "list", "--kind", text or "x")
    check(cli, world, "units", "list", "--scope", text or "x", "--as-of", other or "x")
    check(cli, world, "--by", text or "x", "status", "--year", year or "2024")
    check(cli, world, "assess", "list", "--year", year or "x", "--scope", text or "x")
    check(cli, world, "assess", "set", text or "x", "--year", year or "2023", "--safety",
          other or "x", "--decision", text or "x")
    check(cli, world, "select", "--year", year or "2024", "--pick", text or "x",
          "--override", other or "x", "--dry-run", allowed=(0, 1, 2, 3))
    check(cli, world, "select", "--year", "2024", "--pick", "19798", "--pick", "CQ002",
          "--confirm", "--decision", text or "x", allowed=(0, 1, 2, 3))
    check(cli, world, "render-plan", "--year", year or "2024", "--unit", text or "x",
          "--doc", "unit-plan", "--format", "md", "--out", out)
    check(cli, world, "render-plan", "--year", "2024", "--date", text or "x",
          "--number", other or "1", "--format", other or "md", "--out", out)
    check(cli, world, "criteria", "show", text or "x")
