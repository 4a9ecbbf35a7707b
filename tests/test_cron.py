"""`movement cron`: the quarter's steps, once each, never over an official's decision or
edited document, with the contract's exit codes and log lines."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
AUTHORITY = ROOT / "examples" / "authority-hue.yaml"
RESULTS_2023 = ROOT / "examples" / "hue" / "results-2023-illustrative.csv"
LOCALITY = Path(__file__).parent / "fixtures" / "criteria-locality"
LINE = re.compile(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d year=(\d{4}) quarter=([1-4]) '
                  r'scope=(\S+) step=(\S+) '
                  r'outcome=(done|already_done|needs_attention|failed) message="(.*)"$')


@pytest.fixture
def hue_ready(cli, hue_2024):
    """Huế's 2024 roster, the 2023 results and the city's configuration."""
    cli("assess", "import", RESULTS_2023)
    cli("config", "load", AUTHORITY)
    return hue_2024


def _state(db: Path) -> dict:
    conn = sqlite3.connect(db)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
                for table in ("selections", "selection_units", "results", "unit_versions",
                              "documents", "cron_runs", "audit")}
    finally:
        conn.close()


def _log(path: Path) -> list[tuple]:
    lines = path.read_text(encoding="utf-8").splitlines()
    parsed = [LINE.match(line) for line in lines]
    assert all(parsed), lines
    return [match.groups() for match in parsed]


def test_q1_proposes_the_selection_writes_the_draft_plan_and_a_rerun_changes_nothing(
        cli, hue_ready, tmp_path):
    log = tmp_path / "logs" / "cron.log"
    result = cli("cron", "--date", "2024-01-02", "--log-file", log, "--json", code=None)
    document = json.loads(result.stdout)
    assert result.exit_code in (0, 3)
    assert (document["date"], document["quarter"]) == ("2024-01-02", 1)
    steps = {s["step"]: s for s in document["steps"]}
    assert list(steps) == ["select", "plan"]
    status = cli.json("status", "--year", "2024")
    assert status["selection"]["status"] == "proposed"
    assert {"19798", "CQ002"} & set(status["selection"]["selected"])
    plan = hue_ready.parent / "documents" / "2024-city-plan.docx"  # beside the database
    assert plan.is_file() and steps["plan"]["outcome"] == "done"
    assert str(plan) in steps["plan"]["message"]
    from movement_cli.documents.checker import check_docx

    assert check_docx(plan) == []
    assert [(y, q, s, step) for y, q, s, step, *_ in _log(log)] == [
        ("2024", "1", "*", "select"), ("2024", "1", "*", "plan")]

    before, plan_bytes = _state(hue_ready), plan.read_bytes()
    again = cli("cron", "--date", "2024-01-02", "--log-file", log, "--json")
    assert [s["outcome"] for s in json.loads(again.stdout)["steps"]] == ["already_done"] * 2
    assert _state(hue_ready) == before and plan.read_bytes() == plan_bytes
    assert [outcome for *_, outcome, _ in _log(log)][-2:] == ["already_done"] * 2
    assert "already done" in _log(log)[-1][-1]

    q2 = cli.json("cron", "--date", "2024-04-01", code=3)  # the proposal is not confirmed yet
    assert [(s["step"], s["outcome"]) for s in q2["steps"]] == [("progress", "needs_attention")]
    assert "city plan rendered" in q2["steps"][0]["message"]


def test_an_unfilled_group_needs_attention_exit_3_and_the_log_says_which(cli, hue_2024,
                                                                          tmp_path):
    cli("config", "load", AUTHORITY)
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n"
                       "CQ002,2023,dat,xuat_sac,92\n", encoding="utf-8")
    cli("assess", "import", results)
    log = tmp_path / "cron.log"
    result = cli("cron", "--date", "2024-01-02", "--log-file", log, code=3)
    select = _log(log)[0]
    assert select[3:] == ("select", "needs_attention", "group xa: 0 of 1")
    assert "group xa: 0 of 1" in result.stderr  # a warning even on a non-terminal
    # marked done all the same: the second run is quiet and exits 0
    again = cli("cron", "--date", "2024-01-02", "--log-file", log)
    assert again.stderr == ""


def test_a_confirmed_selection_is_never_touched_even_with_force(cli, hue_ready, tmp_path):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "593/KH-UBND", code=3)
    before = cli.json("status", "--year", "2024")["selection"]
    selections = _state(hue_ready)["selection_units"]
    for args in ((), ("--force",)):
        document = cli.json("cron", "--date", "2024-01-02", *args)
        assert document["steps"][0]["outcome"] == "done"
        assert "kept the stored confirmed selection: 19798, CQ002" in document["steps"][0][
            "message"]
    assert cli.json("status", "--year", "2024")["selection"] == before
    assert _state(hue_ready)["selection_units"] == selections


def test_picks_stored_as_a_proposal_are_kept(cli, hue_ready):
    cli("select", "--year", "2024", "--pick", "19798", code=3)
    cli.json("cron", "--date", "2024-02-10", code=None)
    assert cli.json("status", "--year", "2024")["selection"]["selected"] == ["19798"]


def test_an_edited_plan_is_kept_even_with_force(cli, hue_ready, tmp_path):
    cli("cron", "--date", "2024-01-02", code=None)
    plan = hue_ready.parent / "documents" / "2024-city-plan.docx"
    plan.write_bytes(plan.read_bytes() + b" edited by the office")
    edited = plan.read_bytes()
    document = cli.json("cron", "--date", "2024-01-02", "--force", code=3)
    step = document["steps"][1]
    assert (step["step"], step["outcome"]) == ("plan", "needs_attention")
    assert str(plan) in step["message"] and plan.read_bytes() == edited


def test_documents_dir_and_scopes_with_their_own_configuration(cli, hue_ready, tmp_path):
    cli("config", "set", "documents_dir", tmp_path / "out" / "docs")
    cli("config", "set", "signer.name", "Nguyễn Văn A", "--scope", "474")
    log = tmp_path / "cron.log"
    cli("cron", "--date", "2024-03-31", "--log-file", log, code=None)
    assert {(scope, step) for _, _, scope, step, *_ in _log(log)} == {
        ("474", "select"), ("474", "plan")}
    assert (tmp_path / "out" / "docs" / "474" / "2024-city-plan-474-thanh-pho-hue.docx").is_file()
    assert cli.json("status", "--year", "2024", "--scope", "474")["selection"] is not None


def test_q4_names_the_units_lacking_results_by_the_deadlines_of_the_criteria_file(
        cli, hue_ready, tmp_path):
    folder = tmp_path / "locality"
    (folder / "classification").mkdir(parents=True)
    text = (ROOT / "criteria" / "classification" / "default.yaml").read_text(encoding="utf-8")
    text = text.replace("default: {month: 11, day: 30}", "default: {month: 12, day: 10}")
    (folder / "classification" / "default.yaml").write_text(text, encoding="utf-8")
    results = tmp_path / "r2024.csv"
    results.write_text("code,year,safety,class\n19798,2024,dat,kha\n", encoding="utf-8")
    cli("assess", "import", results)
    document = cli.json("cron", "--date", "2024-10-01", code=3)
    due = {s["step"]: s for s in document["steps"]}["results-due"]
    assert due["outcome"] == "needs_attention"
    assert "due 2024-11-30" in due["message"] and "19798" not in due["message"]
    cli("config", "set", "criteria_dir", folder)
    document = cli.json("cron", "--date", "2024-10-02", "--force", code=3)
    due = {s["step"]: s for s in document["steps"]}["results-due"]
    assert "due 2024-12-10" in due["message"] and "2024-11-30" not in due["message"]


def test_q4_writes_the_recognition_sheets_into_documents_dir(cli, hue_ready, tmp_path):
    folder = tmp_path / "locality"
    shutil.copytree(LOCALITY, folder)
    cli("config", "set", "criteria_dir", folder)
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        code=3)
    document = cli.json("cron", "--date", "2024-10-01", code=3)  # results are still due
    sheets = {s["step"]: s for s in document["steps"]}["sheets"]
    assert sheets["outcome"] == "done", sheets
    written = sorted(p.name for p in (hue_ready.parent / "documents").iterdir())
    assert len(written) == 2 and all(n.startswith("2024-recognition-") for n in written)
    # a sheet an official filled in is kept, even with --force
    sheet = hue_ready.parent / "documents" / written[0]
    sheet.write_bytes(sheet.read_bytes() + b"\0")
    filled = sheet.read_bytes()
    document = cli.json("cron", "--date", "2024-10-01", "--force", code=3)
    sheets = {s["step"]: s for s in document["steps"]}["sheets"]
    assert sheets["outcome"] == "needs_attention" and str(sheet) in sheets["message"]
    assert sheet.read_bytes() == filled


def test_q4_sheets_before_a_confirmed_selection_say_so_and_are_not_marked(cli, hue_ready):
    document = cli.json("cron", "--date", "2024-11-01", code=3)
    sheets = {s["step"]: s for s in document["steps"]}["sheets"]
    assert sheets["outcome"] == "needs_attention" and "--confirm" in sheets["message"]
    again = cli.json("cron", "--date", "2024-11-01", code=3)
    assert {s["step"]: s for s in again["steps"]}["sheets"]["outcome"] == "needs_attention"


def test_a_terminal_less_run_prints_nothing_when_all_is_done(cli, hue_ready):
    result = cli("cron", "--date", "2024-01-02", code=None)
    assert result.stdout == ""
    assert all(line.startswith(("warning:", "error:")) for line in result.stderr.splitlines())


def test_a_missing_database_is_an_error_in_the_log_too(cli, tmp_path, monkeypatch):
    log = tmp_path / "cron.log"
    monkeypatch.setenv("MOVEMENT_LOG", str(log))
    result = cli("--db", tmp_path / "typo.db", "cron", code=1)
    assert "movement init" in result.stderr
    (entry,) = _log(log)
    assert entry[3:5] == ("open", "failed") and "typo.db" in entry[5]


def test_a_busy_database_exits_75_and_is_logged(cli, hue_ready, tmp_path):
    from filelock import FileLock

    log = tmp_path / "cron.log"
    with FileLock(str(hue_ready) + ".lock"):
        result = cli("--wait", "0", "cron", "--date", "2024-01-02", "--log-file", log,
                     code=75)
    assert "Traceback" not in result.stderr
    assert _log(log)[0][4] == "failed"
    assert cli.json("cron", "--date", "2024-01-02", code=None)["steps"][0]["outcome"] == "done"


def test_log_lines_escape_quotes_and_line_breaks():
    from movement_cli.cli.cron import log_line

    line = log_line("2024-01-02T07:00:03+07:00", 2024, 1, "474", "select", "needs_attention",
                    'group "xa": 0 of 1\nnext')
    assert line == ('2024-01-02T07:00:03+07:00 year=2024 quarter=1 scope=474 step=select '
                    'outcome=needs_attention message="group \\"xa\\": 0 of 1\\nnext"')
    assert "\n" not in line and LINE.match(line)


def test_the_quarter_rules_are_data():
    from datetime import date

    from movement_cli.core.cron import exit_code, steps_on

    assert steps_on(date(2024, 1, 2)) == (1, ("select", "plan"))
    assert steps_on(date(2024, 5, 20)) == (2, ("progress",))
    assert steps_on(date(2024, 12, 31)) == (4, ("sheets", "results-due"))
    assert exit_code(["done", "already_done"]) == 0
    assert exit_code(["done", "needs_attention"]) == 3
    assert exit_code(["needs_attention", "failed"]) == 1
    assert exit_code(["done"], lock_timeout=True) == 75


@pytest.fixture(autouse=True)
def _no_log_env(monkeypatch):
    monkeypatch.delenv("MOVEMENT_LOG", raising=False)
    yield
    os.environ.pop("MOVEMENT_LOG", None)


def test_the_plan_step_says_when_the_localitys_template_breaks_decree_30(cli, hue_ready,
                                                                        tmp_path):
    from docx import Document
    from docx.shared import Inches

    from movement_cli.resources import bundled

    local = tmp_path / "templates"
    local.mkdir()
    template = Document(str(bundled("templates") / "city-plan.docx"))
    template.sections[0].page_width, template.sections[0].page_height = Inches(8.5), Inches(11)
    template.save(str(local / "city-plan.docx"))
    cli("config", "set", "templates_dir", local)
    document = cli.json("cron", "--date", "2024-01-02", code=None)
    plan = {s["step"]: s for s in document["steps"]}["plan"]
    assert plan["outcome"] == "done"
    assert "2024-city-plan.docx breaks Nghị định 30 (A4 page and margins): page is " \
           "215.9 × 279.4 mm" in plan["message"]


def test_a_documents_dir_that_cannot_be_written_fails_the_step_not_the_run(cli, hue_ready,
                                                                           tmp_path):
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the folder should be")
    cli("config", "set", "documents_dir", blocked / "docs")
    document = cli.json("cron", "--date", "2024-01-02", code=1)
    outcomes = {s["step"]: s["outcome"] for s in document["steps"]}
    assert outcomes == {"select": "done", "plan": "failed"}
    assert "blocked" in document["steps"][1]["message"]
    assert cli.json("status", "--year", "2024")["selection"] is not None
    # the failed step was not marked: once fixed, the next run does it
    cli("config", "set", "documents_dir", tmp_path / "docs")
    again = cli.json("cron", "--date", "2024-01-02")
    assert [s["outcome"] for s in again["steps"]] == ["already_done", "done"]
