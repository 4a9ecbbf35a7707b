"""What a user can type: every option and argument ends in a clear error (exit 1 or 2),
never a traceback, and nothing is written; output degrades instead of crashing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import commands_under, every_row, invoke, movement_command

SRC = Path(__file__).resolve().parents[1] / "src"
RESULTS = "code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\nCQ002,2023,dat,kha,80\n"


@pytest.fixture
def results_2023(cli, hue_2024, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text(RESULTS, encoding="utf-8")
    cli("assess", "import", path)
    return hue_2024


def run(*args: str | bytes, env: dict | None = None, stdin: bytes | None = None):
    """`python -m movement_cli ARGS` in a new process (arguments may be raw bytes)."""
    environment = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    return subprocess.run([sys.executable, "-m", "movement_cli", *args], capture_output=True,
                          env=environment, input=stdin, timeout=120)


YEAR_COMMANDS = [("select", "--year", "{}", "--dry-run"), ("status", "--year", "{}"),
                 ("assess", "list", "--year", "{}"), ("render-plan", "--year", "{}"),
                 ("assess", "set", "19798", "--year", "{}", "--safety", "dat")]


@pytest.mark.parametrize("year", ["0", "99999", "-1", "1899", "3000", "2024.5", "２０２４"])
@pytest.mark.parametrize("command", YEAR_COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_a_year_outside_the_tools_range_is_a_usage_error(cli, results_2023, command, year):
    before = every_row(results_2023)
    result = cli(*(part.format(year) for part in command), code=2)
    assert "--year" in result.stderr
    assert every_row(results_2023) == before


def test_a_year_of_more_digits_than_python_reads_says_why(cli, results_2023):
    result = cli("status", "--year", "9" * 5000, code=2)
    assert "'--year': a number of 5000 digits is too large" in result.stderr


@pytest.mark.parametrize("option", [("units", "list", "--as-of", "{}"),
                                    ("units", "import", "r.csv", "--as-of", "{}"),
                                    ("render-plan", "--year", "2024", "--date", "{}")])
@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "31/02/2024", "2024-13-01",
                                 "yesterday"])
def test_a_date_option_outside_the_tools_range_or_not_a_date_is_a_usage_error(
        cli, results_2023, tmp_path, option, day):
    (tmp_path / "r.csv").write_text(RESULTS, encoding="utf-8")
    before = every_row(results_2023)
    result = cli(*(part.format(day) for part in option), code=2)
    assert option[-2] in result.stderr
    assert every_row(results_2023) == before


@pytest.mark.parametrize("args", [
    ("render-plan", "--year", "2024", "--doc", "bogus"),
    ("render-plan", "--year", "2024", "--format", "pdf"),
    ("units", "list", "--kind", "thanh_pho"),
    ("select", "--year", "2024", "--decision", "hello"),
    ("select", "--year", "2024", "--decision", "593"),
    ("status", "--bogus"),
])
def test_usage_errors_exit_2(cli, results_2023, args):
    before = every_row(results_2023)
    cli(*args, code=2)
    assert every_row(results_2023) == before


BAD_TEXT = ["\udcff", "Ph\udcc6\udcb0\udce1\udcbbng", "\x1b[31mred", "a\x00b", "\x9b2J",
            "bell\x07", "del\x7f"]
WHERE = [("--by", "{}", "status"), ("config", "set", "signer.name", "{}"),
         ("units", "show", "{}"), ("select", "--year", "2024", "--pick", "{}"),
         ("assess", "set", "{}", "--year", "2023", "--safety", "dat"),
         ("select", "--year", "2024", "--override", "{}", "--pick", "19798")]


@pytest.mark.parametrize("text", BAD_TEXT, ids=repr)
@pytest.mark.parametrize("where", WHERE, ids=lambda w: " ".join(w[:2]))
def test_arguments_with_undecodable_bytes_or_controls_are_refused_raw_nowhere(
        cli, results_2023, where, text):
    before = every_row(results_2023)
    result = cli(*(part.format(text) for part in where), code=2)
    assert "not UTF-8" in result.stderr or "control character" in result.stderr
    assert "\x1b" not in result.stderr and "\x00" not in result.stderr
    assert "\x9b" not in result.stderr and "\x07" not in result.stderr
    assert every_row(results_2023) == before


def test_invalid_utf8_bytes_in_a_real_argument_vector_exit_2(results_2023):
    for args in ([b"--by", b"\xff\xfe", b"status"], [b"units", b"show", b"Ph\xc6\xb0\xe1ng"],
                 [b"config", b"set", b"signer.name", b"\xc3"]):
        result = run(*args)
        assert result.returncode == 2, result.stderr
        assert b"Traceback" not in result.stderr and b"not UTF-8" in result.stderr


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "cp1258", "latin-1"])
def test_output_to_a_stream_that_is_not_utf8_degrades_instead_of_crashing(
        results_2023, encoding):
    env = {"PYTHONIOENCODING": encoding}
    table = run("units", "list", "--kind", "phuong", env=env)
    assert table.returncode == 0 and b"Traceback" not in table.stderr, table.stderr
    assert b"19798" in table.stdout
    listed = run("units", "list", "--kind", "phuong", "--json", env=env)
    assert listed.returncode == 0, listed.stderr
    units = json.loads(listed.stdout.decode("ascii"))  # exact: written all-ASCII
    assert {"code": "19798", "name": "Phường Phước Vĩnh"}.items() <= next(
        u for u in units if u["code"] == "19798").items()
    error = run("units", "show", "KHÔNG-CÓ", env=env)
    assert error.returncode == 1 and b"Traceback" not in error.stderr
    assert run("select", "--year", "2024", "--dry-run", env=env).returncode in (0, 3)


def test_demo_into_a_place_that_cannot_be_a_folder_is_an_error(cli, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    result = cli("demo", "--out", blocker / "demo", code=1)
    assert str(blocker) in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_demo_under_an_unwritable_folder_is_an_error(cli, tmp_path):  # pragma: no cover
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = cli("demo", "--out", locked / "demo", code=1)
    assert "Permission denied" in result.stderr


def test_a_pick_that_differs_by_case_suggests_the_code(cli, results_2023):
    result = cli("select", "--year", "2024", "--pick", "cq002", code=1)
    assert "did you mean CQ002?" in result.stderr
    assert "--override" not in result.stderr


def test_a_pick_of_an_ineligible_unit_still_points_at_override(cli, results_2023):
    result = cli("select", "--year", "2024", "--pick", "19750", code=1)
    assert "--override" in result.stderr


def test_the_decision_is_stored_as_documents_print_it_and_cited_alike(cli, results_2023,
                                                                      tmp_path):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "5/kh-ubnd", code=3)
    assert cli.json("status", "--year", "2024")["selection"]["decision"] == "05/KH-UBND"
    cli("config", "load", Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml")
    out = tmp_path / "out"
    out.mkdir()
    city = Path(cli.json("render-plan", "--year", "2024", "--format", "md", "--out",
                         out)["files"][0]).read_text(encoding="utf-8")
    units = [Path(f).read_text(encoding="utf-8") for f in cli.json(
        "render-plan", "--year", "2024", "--doc", "unit-plan", "--format", "md", "--out",
        out)["files"]]
    assert "05/KH-UBND" in city
    for text in units:
        assert "05/KH-UBND" in text and " 5/KH-UBND" not in text


def test_status_does_not_count_an_excluded_subtype_as_missing_a_result(cli, results_2023,
                                                                       tmp_path):
    roster = tmp_path / "armed.csv"
    roster.write_text("code,name,kind,parent_code,subtype\n"
                      "LL01,Ban Chỉ huy Quân sự thành phố,co_quan,474,luc_luong_vu_trang\n"
                      "CQ900,Hội Chữ thập đỏ thành phố,co_quan,474,\n", encoding="utf-8")
    cli("units", "import", roster, "--as-of", "2021-07-01")
    missing = cli.json("status", "--year", "2024")["results"]["missing"]
    assert "CQ900" in missing
    assert "LL01" not in missing


@pytest.mark.parametrize("command", [("units", "import"), ("assess", "import")])
def test_a_named_pipe_given_as_a_file_is_refused_not_waited_on(results_2023, tmp_path,
                                                                 command):
    pipe = tmp_path / "roster.csv"
    os.mkfifo(pipe)
    result = run("--db", str(results_2023), *command, str(pipe))
    assert result.returncode == 1, result.stderr
    assert f"{pipe}: this is not a saved file (a pipe or a device)" in result.stderr.decode()


# --- the command tree is built for the command the run names (cli.main.only) -------------

def _help(app, args: list[str]) -> tuple[int, str]:
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, args, prog_name="movement")
    return result.exit_code, result.output


def test_every_command_helps_and_errs_alike_in_the_tree_built_for_it_alone():
    import typer

    from movement_cli.cli.main import only
    from movement_cli.launch import invoked_command

    paths = [path for path, _ in commands_under(movement_command()) if path]
    assert len(paths) > 20
    for path in paths:
        args = ["--db", "x.db", *path]
        name = invoked_command(args)
        assert name == path[0]
        assert list(typer.main.get_command(only(name)).commands) == [name]
        for tail in (["--help"], ["-q", "--wait", "1", "--help"], ["--no-such-option"]):
            whole = invoke([*args, *tail])
            assert _help(only(name), [*args, *tail]) == (whole.exit_code, whole.output), path


@pytest.mark.parametrize(("args", "name"), [
    (["units", "list"], "units"),
    (["--db", "units", "status"], "status"),  # "units" is --db's value here
    (["--db=a.db", "-q", "--by", "Lan", "--wait", "5", "recognize", "import"], "recognize"),
    (["--quiet", "render-plan", "--help"], "render-plan"),
    (["--help"], None), (["--version"], None), (["-x", "units"], None), ([], None),
    (["--install-completion"], None),
])
def test_the_command_a_run_names_is_found_past_the_root_options(args, name):
    from movement_cli.launch import invoked_command

    assert invoked_command(args) == name


def test_an_unknown_command_gets_the_whole_tree_and_its_suggestion(tmp_path):
    from movement_cli.cli.main import app, only

    assert only("unit") is app and only(None) is app
    result = run("--db", str(tmp_path / "x.db"), "unit", "list")
    assert result.returncode == 2
    assert b"units" in result.stderr  # Click names the commands there are


def test_a_root_option_after_the_command_still_applies_in_a_real_run(tmp_path):
    db = tmp_path / "after.db"
    assert run("init", "--db", str(db)).returncode == 0
    assert db.exists()
    listed = run("units", "list", "--json", "-q", "--db", str(db))
    assert listed.returncode == 0, listed.stderr
    assert json.loads(listed.stdout) == []
