"""Each invocation keeps its own state: root options and `--json` never leak from one
command to the next in one process; root options work after the command too; every
`--json` answers errors with a JSON document; the audit log names the command, not the
command line."""

from __future__ import annotations

import json
import sqlite3

from conftest import hue_file


def test_json_of_one_command_does_not_leak_into_the_next(cli, db, tmp_path):
    assert cli.json("units", "list") == []
    bad = tmp_path / "bad.yaml"
    bad.write_text("authority.nmae: X\n", encoding="utf-8")
    result = cli("config", "load", bad, code=1)
    assert result.stdout == ""
    assert f"{bad}: authority.nmae: unknown configuration key" in result.stderr


def test_quiet_of_one_command_does_not_leak_into_the_next(cli, db):
    assert cli("-q", "units", "list").stderr == ""
    result = cli("units", "import", hue_file("hue-2024-authorities.csv"))
    assert "imported" in result.stderr


def test_root_options_are_accepted_after_the_command(cli, tmp_path):
    other = tmp_path / "other.db"
    cli("init", "--db", other)
    assert other.is_file()
    result = cli("units", "import", hue_file("hue-2024-authorities.csv"), "-q", "--db", other)
    assert result.stderr == ""
    assert [u["code"] for u in cli.json("units", "list", "--db", other)]
    assert cli("status", "--db", other, "--by", "Lan", "--wait", "5").exit_code == 0
    # The default database was never created: every command used --db.
    assert not (tmp_path / "movement.db").exists()


def test_a_root_option_after_the_command_wins_over_the_one_before(cli, tmp_path):
    first, second = tmp_path / "first.db", tmp_path / "second.db"
    cli("--db", first, "init", "--db", second)
    assert second.is_file() and not first.exists()


def test_root_option_after_the_command_is_checked_like_before_it(cli, db):
    result = cli("units", "list", "--wait", "-1", code=2)
    assert "--wait" in result.stderr


def test_json_error_document_for_an_error_that_is_not_about_a_file(cli, db):
    result = cli("units", "show", "NOPE", "--json", code=1)
    assert json.loads(result.stdout) == {"errors": [
        {"file": None, "row": None, "column": None, "message": "no unit with code 'NOPE'"}]}
    assert "error: no unit with code 'NOPE'" in result.stderr


def test_json_error_document_for_a_missing_database(cli, tmp_path):
    for command in (["status"], ["units", "list"], ["assess", "list", "--year", "2023"],
                    ["config", "show"], ["select", "--year", "2024"],
                    ["render-plan", "--year", "2024"]):
        result = cli(*command, "--json", code=1)
        errors = json.loads(result.stdout)["errors"]
        assert len(errors) == 1 and "movement init" in errors[0]["message"], command


def test_json_error_document_for_file_errors_names_file_row_and_column(cli, db, tmp_path):
    roster = tmp_path / "roster.csv"
    roster.write_text("code,name,kind\n1,Xã A,xa\n2,,xa\n", encoding="utf-8")
    errors = cli.json("units", "import", roster, code=1)["errors"]
    assert errors == [{"file": str(roster), "row": 3, "column": "name",
                       "message": errors[0]["message"]}]


def test_without_json_an_error_prints_nothing_on_stdout(cli, db):
    result = cli("units", "show", "NOPE", code=1)
    assert result.stdout == ""


def test_audit_command_is_the_command_path_without_option_values(cli, db, tmp_path):
    cli("--by", "Nguyễn Văn A", "units", "import", hue_file("hue-2024-authorities.csv"),
        "--db", db)
    cli("config", "set", "authority.name", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "--by", "B")
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT DISTINCT command, actor FROM audit ORDER BY id").fetchall()
    assert ("units import", "Nguyễn Văn A") in rows
    assert ("config set", "B") in rows
    assert {command for command, _ in rows} <= {"init", "units import", "config set"}


def test_root_options_after_a_group_that_runs_on_its_own(cli, db, tmp_path):
    missing = tmp_path / "elsewhere.db"
    result = cli("recognize", "--year", "2024", "--db", missing, "-q", code=1)
    assert f"no movement database at {missing}" in result.stderr
    result = cli("units", "--db", missing, "list", code=1)
    assert f"no movement database at {missing}" in result.stderr
