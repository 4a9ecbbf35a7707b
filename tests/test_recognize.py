"""`movement recognize`: the year's second half through the CLI — sheets, answers, the report,
finalising, the year-end documents — on the Huế 2024 case."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from conftest import movement_command
from test_command_line import run

LOCALITY = Path(__file__).parent / "fixtures" / "criteria-locality"
AUTHORITY = Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml"
RESULTS_2023 = ("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n"
                "CQ002,2023,dat,xuat_sac,92\n")
RESULTS_2024 = "code,year,safety,class\n19798,2024,dat,xuat_sac\nCQ002,2024,dat,kha\n"


def results_2024(cli, tmp_path):
    """The year's own ANTT results, due by 30/11 before recognition."""
    path = tmp_path / "results-2024.csv"
    path.write_text(RESULTS_2024, encoding="utf-8")
    cli("assess", "import", path)


@pytest.fixture
def locality(cli, selected_2024, tmp_path):
    """The locality's complete criteria sets (a test fixture) loaded through criteria_dir."""
    folder = tmp_path / "criteria"
    shutil.copytree(LOCALITY, folder)
    cli("config", "set", "criteria_dir", folder)
    return folder


def sheets(cli, out: Path) -> dict[str, Path]:
    files = cli.json("recognize", "sheet", "--year", "2024", "--out", out)["files"]
    return {Path(f).name.split("-")[2]: Path(f) for f in files}


def fill(path: Path, answers: dict[str, str], note: dict[str, str] | None = None) -> None:
    """Fill the met column as an official does in Excel (openpyxl keeps the workbook)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book.active
    header = next(r for r in range(1, 20) if sheet.cell(r, 1).value == "code")
    for row in range(header + 1, sheet.max_row + 1):
        criterion = sheet.cell(row, 2).value
        if criterion in answers:
            sheet.cell(row, 5).value = answers[criterion]
        if note and criterion in note:
            sheet.cell(row, 6).value = note[criterion]
    book.save(path)


ALL_XP = {f"t-xp-{i}": "Đạt" for i in range(1, 5)}
CQ_MISSES_ONE = {"t-cq-1": "Đạt", "t-cq-2": "Không đạt", "t-cq-3": "Đạt"}


def test_a_full_year_recognises_the_unit_that_meets_every_criterion(cli, locality, tmp_path):
    cli("config", "load", AUTHORITY)
    out = tmp_path / "year-end"
    out.mkdir()
    for doc in ("city-plan", "unit-plan"):
        cli("render-plan", "--year", "2024", "--doc", doc, "--out", out)
    written = sheets(cli, out / "sheets")
    assert sorted(p.name for p in written.values()) == [
        "2024-recognition-19798-phuong-phuoc-vinh.xlsx",
        "2024-recognition-CQ002-hoi-lien-hiep-phu-nu-thanh-pho-hue.xlsx"]
    fill(written["19798"], ALL_XP)
    fill(written["CQ002"], CQ_MISSES_ONE, note={"t-cq-2": "Chưa đủ hồ sơ"})
    imported = cli.json("recognize", "import", *written.values(), "--year", "2024")
    assert (imported["added"], imported["updated"], imported["unchanged"]) == (7, 0, 0)

    report = cli.json("recognize", "--year", "2024", "--finalize")
    units = {u["code"]: u for u in report["units"]}
    assert report["finalized"] is True
    assert units["19798"]["recognized"] and units["19798"]["met"] == 4
    assert units["19798"]["commendation"] == {
        "form": "bang_khen_chu_tich_tinh",
        "label": "Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh"}
    assert units["CQ002"]["recognized"] is False and units["CQ002"]["failed"] == ["t-cq-2"]
    assert units["CQ002"]["commendation"] is None
    assert units["19798"]["criteria_set"] == "test-locality-xa-phuong"
    assert units["19798"]["criteria_sha256"] == __import__("hashlib").sha256(
        (locality / "model-unit" / "test-xa-phuong.yaml").read_bytes()).hexdigest()

    for doc in ("recognition-decision", "commendation-proposal"):
        for fmt in ("docx", "md"):
            cli("render-plan", "--year", "2024", "--doc", doc, "--format", fmt, "--out", out)
    decision = (out / "2024-recognition-decision.md").read_text(encoding="utf-8")
    annex = decision.split("**DANH SÁCH**")[1]
    assert "Phường Phước Vĩnh" in annex and "Hội Liên hiệp Phụ nữ" not in annex
    assert "Công nhận 01 (một) đơn vị điển hình" in decision
    proposal = (out / "2024-commendation-proposal.md").read_text(encoding="utf-8")
    assert "| 1 | Phường Phước Vĩnh | Bằng khen của Chủ tịch Ủy ban nhân dân cấp tỉnh |" \
        in proposal
    assert "Hội Liên hiệp Phụ nữ" not in proposal.split("### 2.")[1]

    from movement_cli.documents.checker import check_docx

    for doc in ("recognition-decision", "commendation-proposal"):
        problems = check_docx(out / f"2024-{doc}.docx")
        assert not problems, problems

    results_2024(cli, tmp_path)
    status = cli.json("status", "--year", "2024")
    assert status["recognitions"] == {"finalized": True,
                                      "answers": {"recorded": 7, "missing": 0},
                                      "recognized": ["19798"]}
    assert status["next"]["step"] == "done"


def test_report_exits_3_while_answers_are_missing_and_status_says_recognize(cli, locality,
                                                                           tmp_path):
    cli("config", "load", AUTHORITY)
    written = sheets(cli, tmp_path)
    fill(written["19798"], ALL_XP)
    cli("recognize", "import", written["19798"], "--year", "2024")
    report = cli.json("recognize", "--year", "2024", code=3)
    units = {u["code"]: u for u in report["units"]}
    assert units["19798"]["recognized"] is True and units["19798"]["missing"] == []
    assert units["CQ002"]["missing"] == ["t-cq-1", "t-cq-2", "t-cq-3"]
    result = cli("recognize", "--year", "2024", "--finalize", code=1)
    assert "answers are missing for CQ002" in result.stderr
    assert not _rows(tmp_path / "movement.db", "recognitions")
    cli("render-plan", "--year", "2024", "--doc", "city-plan", "--out", tmp_path)
    results_2024(cli, tmp_path)
    status = cli.json("status", "--year", "2024")
    assert status["recognitions"] == {"finalized": False,
                                      "answers": {"recorded": 4, "missing": 3},
                                      "recognized": ["19798"]}
    assert status["next"] == {"step": "recognize", "due": "2024-12-31", "overdue": False}


def _rows(db: Path, table: str) -> list:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        conn.close()


def test_finalize_with_the_bundled_incomplete_sets_names_criteria_dir_and_stores_nothing(
        cli, selected_2024, tmp_path):
    written = sheets(cli, tmp_path)
    fill(written["19798"], {"xp-1.1": "Đạt", "xp-1.2": "Đạt"})
    fill(written["CQ002"], {"cq-1.1": "Đạt", "cq-1.2": "Đạt"})
    cli("recognize", "import", *written.values(), "--year", "2024")
    audit_before = len(_rows(tmp_path / "movement.db", "audit"))
    result = cli("recognize", "--year", "2024", "--finalize", code=1)
    assert "criteria_dir" in result.stderr
    assert "qd9745-xa-phuong is incomplete (2 of the official 34" in result.stderr
    assert not _rows(tmp_path / "movement.db", "recognitions")
    assert len(_rows(tmp_path / "movement.db", "audit")) == audit_before


def test_editing_the_criteria_file_after_finalising_changes_no_stored_outcome(
        cli, locality, tmp_path):
    written = sheets(cli, tmp_path)
    fill(written["19798"], ALL_XP)
    fill(written["CQ002"], CQ_MISSES_ONE)
    cli("recognize", "import", *written.values(), "--year", "2024")
    finalized = cli.json("recognize", "--year", "2024", "--finalize")
    again = cli("recognize", "--year", "2024", "--finalize")
    assert "already finalised" in again.stderr
    path = locality / "model-unit" / "test-xa-phuong.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "  - {id: t-xp-4, group: \"2\", title: Tiêu chí kiểm thử 4}\n",
        "  - {id: t-xp-4, group: \"2\", title: Tiêu chí kiểm thử 4}\n"
        "  - {id: t-xp-5, group: \"2\", title: Tiêu chí kiểm thử 5}\n"), encoding="utf-8")
    result = cli("recognize", "--year", "2024", "--json")
    after = json.loads(result.stdout)
    units = {u["code"]: u for u in after["units"]}
    assert units["19798"]["criteria_changed"] is True
    assert units["CQ002"]["criteria_changed"] is False
    assert "test-locality-xa-phuong changed after 2024 was finalised" in result.stderr
    for unit in after["units"]:
        unit.pop("criteria_changed")
    for unit in finalized["units"]:
        unit.pop("criteria_changed")
    assert after == finalized
    # Answers are closed once finalised; reopening (audited) opens them again.
    result = cli("recognize", "import", written["19798"], "--year", "2024", code=1)
    assert "finalised" in result.stderr and "--reopen" in result.stderr
    cli("recognize", "--year", "2024", "--reopen", code=2)
    cli("recognize", "--year", "2024", "--reopen", "--reason", "bộ tiêu chí sửa", code=3)
    audit = [row for row in _rows(tmp_path / "movement.db", "audit") if row[4] == "reopen"]
    assert len(audit) == 2 and "bộ tiêu chí sửa" in audit[0][8]
    cli("recognize", "import", written["19798"], "--year", "2024")


def test_every_recognize_command_needs_a_confirmed_selection(cli, hue_2024, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text(RESULTS_2023, encoding="utf-8")
    cli("assess", "import", results)
    cli("select", "--year", "2024", code=3)  # proposed, not confirmed
    answers = tmp_path / "a.csv"
    answers.write_text("code,criterion,met\n19798,xp-1.1,yes\n", encoding="utf-8")
    for args in (["recognize", "--year", "2024"], ["recognize", "sheet", "--year", "2024"],
                 ["recognize", "import", answers, "--year", "2024"],
                 ["recognize", "--year", "2024", "--finalize"]):
        result = cli(*args, code=1)
        assert "movement select --year 2024 --confirm" in result.stderr


def test_import_reports_every_row_error_and_writes_nothing(cli, locality, tmp_path):
    bad = tmp_path / "answers.csv"
    bad.write_text(
        "code,criterion,met,note\n"
        "19798,t-xp-1,yes,\n"
        "19750,t-xp-1,yes,\n"        # not selected
        "19798,t-cq-1,yes,\n"        # not in the unit's set
        "19798,t-xp-2,maybe,\n"      # not an answer
        "19798,t-xp-1,no,\n",        # twice
        encoding="utf-8")
    result = cli("recognize", "import", bad, "--year", "2024", code=1)
    assert result.stderr.splitlines()[:4] == [
        f"{bad}:3: code: 19750 is not in the year's confirmed selection",
        f"{bad}:4: criterion: 't-cq-1' is not a criterion of the set that applies to 19798 "
        "(t-xp-1, t-xp-2, t-xp-3, …)",
        f"{bad}:5: met: 'maybe' is not an answer; write Đạt or Không đạt (or yes/no, 1/0), "
        "or leave it empty",
        f"{bad}:6: criterion: 19798 t-xp-1 is given twice (also row 2)",
    ]
    assert not _rows(tmp_path / "movement.db", "recognition_answers")


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_json_and_yaml_answers_and_an_empty_met_keeps_the_stored_answer(cli, locality,
                                                                       tmp_path, suffix):
    first = tmp_path / "first.csv"
    first.write_text("code,criterion,met\n19798,t-xp-1,Đạt\n19798,t-xp-2,Không đạt\n",
                     encoding="utf-8")
    cli("recognize", "import", first, "--year", "2024")
    rows = [{"code": "19798", "criterion": "t-xp-1", "met": ""},
            {"code": "19798", "criterion": "t-xp-2", "met": 1},
            {"code": "CQ002", "criterion": "t-cq-1", "met": "no", "note": "thiếu"}]
    later = tmp_path / f"later{suffix}"
    if suffix == ".json":
        later.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    else:
        import yaml

        later.write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")
    counts = cli.json("recognize", "import", later, "--year", "2024")
    assert (counts["added"], counts["updated"], counts["unchanged"]) == (1, 1, 1)
    stored = {(r[1], r[2]): (r[3], r[4]) for r in _rows(tmp_path / "movement.db",
                                                         "recognition_answers")}
    assert stored == {("19798", "t-xp-1"): (1, None), ("19798", "t-xp-2"): (1, None),
                      ("CQ002", "t-cq-1"): (0, "thiếu")}


def test_each_units_changed_answers_are_audited_with_their_old_and_new_values(cli, locality,
                                                                            tmp_path):
    first = tmp_path / "first.csv"
    first.write_text("code,criterion,met,note\n19798,t-xp-1,Đạt,\n"
                     "19798,t-xp-2,Không đạt,\"thiếu biên bản, \"\"họp\"\"\"\n",
                     encoding="utf-8")
    cli("recognize", "import", first, "--year", "2024", "--by", "Lan")
    later = tmp_path / "later.csv"
    later.write_text("code,criterion,met,note\nCQ002,t-cq-1,Đạt,\n19798,t-xp-1,Không đạt,\n"
                     "19798,t-xp-2,,\n19798,t-xp-3,Đạt,\n", encoding="utf-8")
    cli("recognize", "import", later, "--year", "2024")
    audited = [(r[2], r[4], r[6], r[7] and json.loads(r[7]), json.loads(r[8]))
               for r in _rows(tmp_path / "movement.db", "audit")
               if r[5] == "recognition_answers" and r[4] == "answers"]
    someone = audited[1][0]
    assert audited == [
        ("Lan", "answers", "2024/19798", None,
         {"t-xp-1": {"met": True, "note": None},
          "t-xp-2": {"met": False, "note": 'thiếu biên bản, "họp"'}}),
        # In the order of the file; t-xp-2 left empty keeps its answer and is not audited.
        (someone, "answers", "2024/CQ002", None, {"t-cq-1": {"met": True, "note": None}}),
        (someone, "answers", "2024/19798", {"t-xp-1": {"met": True, "note": None}},
         {"t-xp-1": {"met": False, "note": None}, "t-xp-3": {"met": True, "note": None}}),
    ]


def test_a_sheet_shows_recorded_answers_and_has_a_real_drop_down(cli, locality, tmp_path):
    from openpyxl import load_workbook

    answers = tmp_path / "a.csv"
    answers.write_text("code,criterion,met\n19798,t-xp-2,no\n", encoding="utf-8")
    cli("recognize", "import", answers, "--year", "2024")
    path = sheets(cli, tmp_path / "new" / "folder")["19798"]
    sheet = load_workbook(path).active
    header = [sheet.cell(6, c).value for c in range(1, 7)]
    assert header == ["code", "criterion", "group", "title", "met", "note"]
    assert "Phường Phước Vĩnh" in sheet["A2"].value and "2024" in sheet["A2"].value
    assert "test-locality-xa-phuong" in sheet["A3"].value
    assert [sheet.cell(r, 5).value for r in range(7, 11)] == [None, "Không đạt", None, None]
    [validation] = sheet.data_validations.dataValidation
    assert validation.type == "list" and validation.formula1 == '"Đạt,Không đạt"'
    assert str(validation.sqref) == "E7:E10"
    assert int(sheet.page_setup.paperSize) == 9 and sheet.page_setup.fitToWidth == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_a_sheet_re_saved_by_libreoffice_imports_the_same_answers(cli, locality, tmp_path):
    written = sheets(cli, tmp_path / "sheets")
    fill(written["19798"], ALL_XP, note={"t-xp-1": "Tốt"})
    resaved = tmp_path / "resaved"
    profile = tmp_path / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "xlsx", "--outdir", str(resaved), str(written["19798"])],
                   check=True, capture_output=True, timeout=180)
    again = resaved / written["19798"].name
    assert again.read_bytes() != written["19798"].read_bytes()
    counts = cli.json("recognize", "import", again, "--year", "2024")
    assert counts["added"] == 4
    stored = {(r[1], r[2]): (r[3], r[4]) for r in _rows(tmp_path / "movement.db",
                                                         "recognition_answers")}
    assert stored == {("19798", f"t-xp-{i}"): (1, "Tốt" if i == 1 else None)
                      for i in range(1, 5)}
    # and the original, imported after, changes nothing
    assert cli.json("recognize", "import", written["19798"], "--year", "2024")["unchanged"] == 4


def test_year_end_documents_say_so_when_no_unit_was_recognised(cli, locality, tmp_path):
    cli("config", "load", AUTHORITY)
    written = sheets(cli, tmp_path)
    fill(written["19798"], {**ALL_XP, "t-xp-3": "Không đạt"})
    fill(written["CQ002"], CQ_MISSES_ONE)
    cli("recognize", "import", *written.values(), "--year", "2024")
    cli("recognize", "--year", "2024", "--finalize")
    for doc in ("recognition-decision", "commendation-proposal"):
        result = cli("render-plan", "--year", "2024", "--doc", doc, "--out", tmp_path, code=1)
        assert "no unit was recognised in 2024" in result.stderr


def test_a_filled_sheet_not_imported_yet_is_not_written_over(cli, locality, tmp_path):
    written = sheets(cli, tmp_path)
    fill(written["19798"], ALL_XP)
    result = cli("recognize", "sheet", "--year", "2024", "--out", tmp_path, code=1)
    assert str(written["19798"]) in result.stderr and "import them first" in result.stderr
    assert str(written["CQ002"]) not in result.stderr
    cli("recognize", "import", written["19798"], "--year", "2024")
    sheets(cli, tmp_path)  # imported: written again, with the answers
    from openpyxl import load_workbook

    sheet = load_workbook(written["19798"]).active
    assert [sheet.cell(r, 5).value for r in range(7, 11)] == ["Đạt"] * 4
    fill(written["19798"], {"t-xp-1": "Không đạt"})
    cli("recognize", "sheet", "--year", "2024", "--out", tmp_path, "--force")
    assert load_workbook(written["19798"]).active.cell(7, 5).value == "Đạt"


def test_the_report_carries_exactly_the_contracts_keys(cli, locality):
    report = cli.json("recognize", "--year", "2024", code=3)
    assert set(report) == {"year", "scope", "finalized", "units"}
    assert (report["year"], report["scope"], report["finalized"]) == (2024, None, False)
    for unit in report["units"]:
        assert set(unit) == {"code", "name", "kind", "criteria_set", "criteria_sha256",
                             "complete", "met", "total", "failed", "missing", "recognized",
                             "commendation", "criteria_changed"}
        assert unit["complete"] is True and unit["met"] == 0 and unit["recognized"] is False


def test_status_in_q4_says_recognize_by_the_classification_files_date_and_names_missing_results(
        cli, locality, tmp_path, monkeypatch):
    # Q3: the cycle's order still holds (the plans are not written yet).
    monkeypatch.setenv("MOVEMENT_TODAY", "2024-07-15")
    assert cli.json("status", "--year", "2024")["next"]["step"] == "render-plan"
    # Q4, neither the plans nor the year's own results recorded: recognition is the work.
    monkeypatch.setenv("MOVEMENT_TODAY", "2024-10-15")
    status = cli.json("status", "--year", "2024")
    assert status["next"] == {"step": "recognize", "due": "2024-12-31", "overdue": False}
    assert status["results"]["selected_missing"] == ["19798", "CQ002"]
    shown = cli("status", "--year", "2024").stdout
    assert "movement recognize --year 2024 --finalize, by 2024-12-31" in shown
    assert "The 2024 results of 2 selected units are still missing (19798, CQ002)" in shown
    assert "missing for the selected units: 19798, CQ002" in shown
    # The date is the classification file's, which a locality may change.
    bundled = Path(__file__).resolve().parents[1] / "criteria" / "classification"
    (locality / "classification").mkdir(exist_ok=True)
    text = (bundled / "default.yaml").read_text(encoding="utf-8")
    assert "recognition_deadline: {month: 12, day: 31}" in text
    (locality / "classification" / "default.yaml").write_text(
        text.replace("recognition_deadline: {month: 12, day: 31}",
                     "recognition_deadline: {month: 12, day: 20}"), encoding="utf-8")
    assert cli.json("status", "--year", "2024")["next"]["due"] == "2024-12-20"
    # Once the results are in, nothing more is said about them.
    results_2024(cli, tmp_path)
    status = cli.json("status", "--year", "2024")
    assert status["results"]["selected_missing"] == []
    assert status["next"] == {"step": "recognize", "due": "2024-12-20", "overdue": False}
    assert "still missing" not in cli("status", "--year", "2024").stdout


def _many_answer_files(folder: Path) -> list[Path]:
    """Seven answer files, read by two processes in turn: problems in the third and the
    sixth, and an answer the fifth gives again after the second."""
    rows = {1: "19798,t-xp-1,Đạt", 2: "19798,t-xp-2,Đạt", 3: "19798,t-xp-3,có lẽ",
            4: "CQ002,t-cq-1,Đạt", 5: "19798,t-xp-2,Không đạt", 6: "19750,t-xp-1,Đạt",
            7: "CQ002,t-cq-2,Không đạt"}
    files = []
    for n, row in rows.items():
        path = folder / f"answers-{n}.csv"
        path.write_text(f"code,criterion,met\n{row}\n", encoding="utf-8")
        files.append(path)
    return files


@pytest.fixture(params=["one process", "two reading, one storing"])
def processes(request, monkeypatch):
    """Answer files read here, or by two other processes (on any machine with Linux)."""
    if request.param == "one process":
        monkeypatch.setenv("MOVEMENT_SINGLE_PROCESS", "1")
    else:
        request.getfixturevalue("two_cpus")
    return request.param


def test_many_files_give_every_problem_in_file_order_however_they_are_read(
        cli, locality, tmp_path, processes):
    files = _many_answer_files(tmp_path)
    result = cli("recognize", "import", *files, "--year", "2024", code=1)
    assert result.stderr.splitlines() == [
        f"{files[2]}:2: met: 'có lẽ' is not an answer; write Đạt or Không đạt (or yes/no, "
        "1/0), or leave it empty",
        f"{files[4]}:2: criterion: 19798 t-xp-2 is given twice (also {files[1]}:2)",
        f"{files[5]}:2: code: 19750 is not in the year's confirmed selection",
        "error: 3 problem(s) found; nothing was written",
    ]
    assert not _rows(tmp_path / "movement.db", "recognition_answers")
    # Mended, the same files all go in.
    files[2].write_text("code,criterion,met\n19798,t-xp-3,Đạt\n", encoding="utf-8")
    files[4].write_text("code,criterion,met\n19798,t-xp-4,Không đạt\n", encoding="utf-8")
    files[5].unlink()
    counts = cli.json("recognize", "import", *[f for f in files if f.exists()], "--year", "2024")
    assert counts["added"] == 6
    stored = {(r[1], r[2]): r[3] for r in _rows(tmp_path / "movement.db", "recognition_answers")}
    assert stored[("19798", "t-xp-4")] == 0 and stored[("CQ002", "t-cq-2")] == 0
    # Each file's audit row names it with the SHA-256 of its bytes.
    import hashlib

    audited = {json.loads(r[8])["file"]: json.loads(r[8])["sha256"]
               for r in _rows(tmp_path / "movement.db", "audit")
               if r[5] == "recognition_answers" and r[4] == "import"}
    assert audited == {str(f.absolute()): hashlib.sha256(f.read_bytes()).hexdigest()
                       for f in files if f.exists()}


def test_a_file_that_is_not_a_table_of_answers_stops_the_import_however_it_is_read(
        cli, locality, tmp_path, processes):
    files = _many_answer_files(tmp_path)
    files[3].write_text("code,criterion\nCQ002,t-cq-1\n", encoding="utf-8")
    result = cli("recognize", "import", *files, "--year", "2024", code=1)
    assert result.stderr.startswith(f"{files[3]}:1: met:")
    assert not _rows(tmp_path / "movement.db", "recognition_answers")


def test_a_year_finalised_by_another_process_while_the_answers_are_read_is_not_written_over(
        cli, locality, tmp_path, monkeypatch):
    """The answers are checked before the write lock is taken; another official finalising
    the year in that moment makes the import stop with nothing stored."""
    from movement_cli.workflows import import_answers as workflow

    database = tmp_path / "movement.db"
    check = workflow._check_answers

    def finalised_meanwhile(*args, **kwargs):
        read = check(*args, **kwargs)
        other = sqlite3.connect(database)
        with other:
            other.execute("INSERT INTO recognitions (year, scope, code, criteria_set, met, total, "
                          "recognized, finalized_at) VALUES (2024, '', '19798', 'x', 4, 4, 1, "
                          "'2024-12-20T08:00:00+00:00')")
        other.close()
        return read

    monkeypatch.setattr(workflow, "_check_answers", finalised_meanwhile)
    answers = tmp_path / "answers.csv"
    answers.write_text("code,criterion,met\n19798,t-xp-1,Đạt\n", encoding="utf-8")
    result = cli("recognize", "import", answers, "--year", "2024", code=1)
    assert "finalised or reopened while the answers were read" in result.stderr
    assert not _rows(database, "recognition_answers")


# --- reading starts before the command line is parsed (launch) ----------------------------

@pytest.mark.parametrize(("args", "files"), [
    (["recognize", "import", "a.xlsx", "b.xlsx", "--year", "2024"], ["a.xlsx", "b.xlsx"]),
    (["--db", "x.db", "-q", "recognize", "--wait", "3", "import", "--year=2024", "a.xlsx",
      "--json", "--dry-run", "--by", "Lan", "b.csv"], ["a.xlsx", "b.csv"]),
    (["recognize", "import", "--year", "2024", "--", "--odd name.xlsx"], ["--odd name.xlsx"]),
    (["recognize", "import", "a.xlsx", "--help"], None),  # Click's to answer
    (["recognize", "import", "a.xlsx", "--bogus"], None),
    (["recognize", "sheet", "--year", "2024"], None),
    (["units", "import", "a.xlsx"], None),
    (["--help", "recognize", "import", "a.xlsx"], None),
])
def test_the_files_of_a_recognize_import_are_found_before_click_parses(args, files):
    from movement_cli.launch import recognition_files

    assert recognition_files(args) == files


def test_reading_takes_over_what_was_started_for_the_same_files_only(tmp_path, two_cpus,
                                                                     monkeypatch):
    from movement_cli.ingest import answer_files, pipeline

    files = _many_answer_files(tmp_path)
    answer_files.start([str(f) for f in files])
    with monkeypatch.context() as no_more_processes:
        no_more_processes.setattr(pipeline, "_fork", lambda produce: pytest.fail("forked"))
        with answer_files.reading(files) as tables:
            taken = [table.file for table in tables]
    assert taken == [str(f) for f in files]
    answer_files.start([str(f) for f in files])
    with answer_files.reading(files[:5]) as tables:  # the command line named others
        assert [table.file for table in tables] == [str(f) for f in files[:5]]
    assert answer_files._started is None
    with pytest.raises(ChildProcessError):  # the first readers were ended and reaped
        os.waitpid(-1, os.WNOHANG)


def test_an_import_run_from_the_command_line_reads_early_and_a_usage_error_stops_it(
        cli, locality, tmp_path):
    """Through the real entry point (a new process), where the reading starts first."""
    files = _many_answer_files(tmp_path)
    files[2].write_text("code,criterion,met\n19798,t-xp-3,Đạt\n", encoding="utf-8")
    files[4].write_text("code,criterion,met\n19798,t-xp-4,Không đạt\n", encoding="utf-8")
    files[5].write_text("code,criterion,met\n", encoding="utf-8")
    command = ["recognize", "import", *map(str, files)]
    missing_year = run(*command)
    assert missing_year.returncode == 2, missing_year.stderr
    assert not _rows(tmp_path / "movement.db", "recognition_answers")
    done = run(*command, "--year", "2024", "--json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["added"] == 6
    assert json.loads(done.stdout)["files"] == [str(f.absolute()) for f in files]
    assert len(_rows(tmp_path / "movement.db", "recognition_answers")) == 6


def test_the_entry_point_knows_every_option_recognize_import_takes():
    """An option it did not know would only cost the early start (the command line is then
    Click's alone), but silently: when an option is added, add it to ``launch`` too."""
    from movement_cli import launch

    command = movement_command().commands["recognize"].commands["import"]
    options = {name for param in command.params for name in (*param.opts, *param.secondary_opts)
               if name.startswith("-")}
    known = {*launch.ROOT_VALUE_OPTIONS, *launch._ROOT_FLAGS, *launch._IMPORT_VALUE_OPTIONS,
             *launch._IMPORT_FLAGS}
    assert options and options <= known, options - known
