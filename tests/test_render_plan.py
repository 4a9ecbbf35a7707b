"""`movement render-plan`, `movement config` and `movement demo` through the CLI."""

from __future__ import annotations

import os
from pathlib import Path

from movement_cli.documents.checker import check_docx

GOLDEN = Path(__file__).parent / "golden" / "demo"
AUTHORITY = Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml"


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts += [cell.text for cell in row.cells]
    return "\n".join(parts).replace("\u00a0", " ")


def test_render_before_a_selection_says_to_run_select(cli, hue_2024):
    result = cli("render-plan", "--year", "2024", code=1)
    assert "movement select" in result.stderr


def test_missing_authority_name_names_the_key_and_leaves_no_file(cli, selected_2024, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    result = cli("render-plan", "--year", "2024", "--out", out, code=1)
    assert "authority.name" in result.stderr
    assert list(out.iterdir()) == []


def test_city_plan_takes_the_confirmed_decision_number_and_passes_the_decree_check(
        cli, selected_2024, tmp_path):
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    out.mkdir()
    files = cli.json("render-plan", "--year", "2024", "--out", out, "--date", "17/01/2024")
    assert files == {"files": [str(out / "2024-city-plan.docx")]}
    path = Path(files["files"][0])
    assert check_docx(path) == []
    text = _docx_text(path)
    assert "Số: 593/KH-UBND" in text
    assert "Huế, ngày 17 tháng 01 năm 2024" in text
    assert "Phường Phước Vĩnh" in text and "Hội Liên hiệp Phụ nữ thành phố Huế" in text


def test_draft_number_and_date_are_blank_to_fill_by_hand(cli, hue_2024, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n",
                       encoding="utf-8")
    cli("assess", "import", results)
    cli("select", "--year", "2024", "--pick", "19798", code=3)
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    out.mkdir()
    path = Path(cli.json("render-plan", "--year", "2024", "--out", out)["files"][0])
    text = _docx_text(path)
    assert "Số:" in text and "/KH-UBND" in text and "593" not in text.split("/KH-UBND")[0][-10:]
    assert "Huế, ngày" in text and "năm 2024" in text
    assert check_docx(path) == []


def test_unit_plans_are_named_by_code_and_slug_and_markdown_is_not_escaped(
        cli, hue_2024, tmp_path):
    roster = tmp_path / "odd.csv"
    roster.write_text('code,name,kind,parent_code\n../../x,"Công ty TNHH A & B <Huế> ""Số 1""",'
                      "doanh_nghiep,474\n", encoding="utf-8")
    cli("units", "import", roster, "--as-of", "2021-07-01")
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n../../x,2023,dat,kha,80\n",
                       encoding="utf-8")
    cli("assess", "import", results)
    cli("select", "--year", "2024", "--pick", "../../x", code=3)
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    out.mkdir()
    docx_files = cli.json("render-plan", "--year", "2024", "--doc", "unit-plan", "--out",
                          out)["files"]
    md_files = cli.json("render-plan", "--year", "2024", "--doc", "unit-plan", "--format", "md",
                        "--out", out)["files"]
    for name in docx_files + md_files:
        assert Path(name).parent == out
    assert Path(docx_files[0]).name.startswith("2024-unit-plan-")
    assert check_docx(Path(docx_files[0])) == []
    assert 'Công ty TNHH A & B <Huế> "Số 1"' in _docx_text(Path(docx_files[0]))
    assert 'Công ty TNHH A & B <Huế> "Số 1"' in Path(md_files[0]).read_text(encoding="utf-8")


def test_config_scope_overrides_the_global_value(cli, hue_2024):
    cli("config", "set", "authority.name", "ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
    cli("config", "set", "authority.name", "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "--scope", "474")
    assert cli("config", "get", "authority.name").stdout.strip() == (
        "ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
    shown = cli.json("config", "show", "--scope", "474")
    assert shown["authority.name"] == "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"
    result = cli("config", "set", "authority.nmae", "x", code=1)
    assert "authority.name" in result.stderr


def test_config_load_reports_unknown_keys_with_their_path(cli, db, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("authority:\n  nam: X\nsigner:\n  title: PHÓ CHỦ TỊCH\n", encoding="utf-8")
    result = cli("config", "load", bad, code=1)
    assert f"{bad}: authority.nam: unknown configuration key" in result.stderr
    assert cli.json("config", "show") == {}


def test_demo_builds_the_hue_2024_case_and_matches_the_golden_markdown(cli, tmp_path):
    out = tmp_path / "demo"
    result = cli("demo", "--out", out)
    assert "xa" in result.stderr  # the unfilled xã group is shown as a warning
    files = sorted(p.name for p in out.iterdir())
    assert "movement.db" in files
    docx_files = sorted(out.glob("*.docx"))
    md_files = sorted(out.glob("*.md"))
    assert [p.stem for p in docx_files] == [p.stem for p in md_files]
    assert {p.stem for p in docx_files} == {
        "2024-city-plan", "2024-unit-plan-19798-phuong-phuoc-vinh",
        "2024-unit-plan-CQ002-hoi-lien-hiep-phu-nu-thanh-pho-hue",
        "2024-recognition-decision", "2024-commendation-proposal"}
    assert sorted(p.name for p in out.glob("*.xlsx")) == [
        "2024-recognition-19798-phuong-phuoc-vinh.xlsx",
        "2024-recognition-CQ002-hoi-lien-hiep-phu-nu-thanh-pho-hue.xlsx"]
    for path in docx_files:
        assert check_docx(path) == [], path
    # The year's end is judged by an illustrative set, and both documents say so.
    for doc in ("recognition-decision", "commendation-proposal"):
        assert "Tài liệu minh họa" in _docx_text(out / f"2024-{doc}.docx")
        assert "minh-hoa-tt124" in (out / f"2024-{doc}.md").read_text(encoding="utf-8")
    recognition = cli.json("--db", out / "movement.db", "recognize", "--year", "2024")
    assert recognition["finalized"] is True
    assert {u["criteria_set"] for u in recognition["units"]} == {
        "minh-hoa-tt124-xa-phuong-thi-tran", "minh-hoa-tt124-co-quan-doanh-nghiep"}
    for path in md_files:
        golden = GOLDEN / path.name
        if os.environ.get("MOVEMENT_UPDATE_GOLDEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
        assert path.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), (
            f"{path.name} differs from {golden}; review and regenerate with "
            "MOVEMENT_UPDATE_GOLDEN=1")


def test_demo_refuses_a_folder_that_is_not_empty(cli, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("x")
    result = cli("demo", "--out", tmp_path / "busy", code=1)
    assert "not an empty folder" in result.stderr


def test_a_localitys_template_overrides_the_bundled_one_by_file_name(cli, selected_2024,
                                                                      tmp_path):
    cli("config", "load", AUTHORITY)
    local = tmp_path / "templates"
    local.mkdir()
    (local / "city-plan.md.j2").write_text(
        "KẾ HOẠCH {{ number_ref }} — {% for u in units %}{{ u.name }}; {% endfor %}\n",
        encoding="utf-8")
    cli("config", "set", "templates_dir", local)
    out = tmp_path / "out"
    out.mkdir()
    path = Path(cli.json("render-plan", "--year", "2024", "--format", "md", "--out", out)
                ["files"][0])
    assert path.read_text(encoding="utf-8") == (
        "KẾ HOẠCH 593/KH-UBND — Phường Phước Vĩnh; Hội Liên hiệp Phụ nữ thành phố Huế; ")


def test_a_template_asking_for_an_unknown_value_names_template_and_key(cli, selected_2024,
                                                                       tmp_path):
    cli("config", "load", AUTHORITY)
    local = tmp_path / "templates"
    local.mkdir()
    (local / "city-plan.md.j2").write_text("{{ authority.motto }}\n", encoding="utf-8")
    cli("config", "set", "templates_dir", local)
    out = tmp_path / "out"
    out.mkdir()
    result = cli("render-plan", "--year", "2024", "--format", "md", "--out", out, code=1)
    assert "city-plan.md.j2" in result.stderr and "authority.motto" in result.stderr
    assert list(out.iterdir()) == []


def test_year_end_documents_need_recognitions_and_say_so(cli, selected_2024, tmp_path):
    cli("config", "load", AUTHORITY)
    for doc in ("recognition-decision", "commendation-proposal"):
        result = cli("render-plan", "--year", "2024", "--doc", doc, "--out", tmp_path, code=1)
        assert "movement recognize --year 2024 --finalize" in result.stderr


def test_a_failed_rerender_keeps_every_document_rendered_before(cli, selected_2024, tmp_path):
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    out.mkdir()
    files = [Path(f) for f in cli.json("render-plan", "--year", "2024", "--doc", "unit-plan",
                                       "--format", "md", "--out", out)["files"]]
    before = {path: path.read_bytes() for path in files}
    assert len(before) == 2
    # A locality template that renders the first unit and fails on the second one.
    first_is_ward = "19798" in files[0].name
    local = tmp_path / "templates"
    local.mkdir()
    (local / "unit-plan.md.j2").write_text(
        f"{{% if ('Phước Vĩnh' in unit.name_text) == {first_is_ward} %}}{{{{ unit.name_text }}}}"
        "{% else %}{{ unit.no_such_value }}{% endif %}\n", encoding="utf-8")
    cli("config", "set", "templates_dir", local)
    result = cli("render-plan", "--year", "2024", "--doc", "unit-plan", "--format", "md",
                 "--out", out, code=1)
    assert "no_such_value" in result.stderr
    assert {path: path.read_bytes() for path in files} == before
    assert sorted(out.iterdir()) == sorted(files)  # no temporary file left


def test_a_folder_where_a_document_goes_is_an_error_that_leaves_the_others(cli, selected_2024,
                                                                            tmp_path):
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    out.mkdir()
    files = [Path(f) for f in cli.json("render-plan", "--year", "2024", "--doc", "unit-plan",
                                       "--format", "md", "--out", out)["files"]]
    files[0].unlink()
    files[0].mkdir()
    before = files[1].read_bytes()
    result = cli("render-plan", "--year", "2024", "--doc", "unit-plan", "--format", "md",
                 "--out", out, code=1)
    assert "a folder has that name" in result.stderr and files[0].name in result.stderr
    assert files[1].read_bytes() == before
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in files)


def test_out_creates_a_missing_folder_with_its_parents_but_not_on_error(cli, selected_2024,
                                                                       tmp_path):
    failed = tmp_path / "never" / "made"
    cli("render-plan", "--year", "2024", "--out", failed, code=1)  # no authority.name yet
    assert not failed.parent.exists()
    cli("config", "load", AUTHORITY)
    out = tmp_path / "plans" / "2024"
    files = cli.json("render-plan", "--year", "2024", "--out", out)["files"]
    assert files == [str(out / "2024-city-plan.docx")] and Path(files[0]).is_file()
    (tmp_path / "a-file").write_text("x")
    result = cli("render-plan", "--year", "2024", "--out", tmp_path / "a-file", code=1)
    assert "not a folder" in result.stderr


def test_a_document_edited_by_an_official_is_kept_unless_force(cli, selected_2024, tmp_path):
    cli("config", "load", AUTHORITY)
    out = tmp_path / "plans"
    path = Path(cli.json("render-plan", "--year", "2024", "--out", out)["files"][0])
    cli("render-plan", "--year", "2024", "--out", out)  # unchanged since written: re-rendered
    path.write_bytes(path.read_bytes() + b"edited")
    edited = path.read_bytes()
    result = cli("render-plan", "--year", "2024", "--out", out, code=1)
    assert str(path) in result.stderr and "--force" in result.stderr
    assert path.read_bytes() == edited
    cli("render-plan", "--year", "2024", "--out", out, "--force")
    assert path.read_bytes() != edited and check_docx(path) == []
    (out / "2024-unit-plan-19798-phuong-phuoc-vinh.docx").write_bytes(b"someone else's")
    cli("render-plan", "--year", "2024", "--doc", "unit-plan", "--out", out, code=1)
    assert sorted(p.name for p in out.iterdir()) == [  # CQ002's plan was not written either
        "2024-city-plan.docx", "2024-unit-plan-19798-phuong-phuoc-vinh.docx"]


def _local_criteria(cli, tmp_path, relative: str, edit) -> Path:
    """A locality's copy of a bundled criteria file, edited, in its criteria_dir."""
    import yaml

    from movement_cli.resources import bundled

    doc = yaml.safe_load((bundled("criteria") / relative).read_text(encoding="utf-8"))
    edit(doc)
    folder = tmp_path / "criteria"
    (folder / relative).parent.mkdir(parents=True, exist_ok=True)
    (folder / relative).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    cli("config", "set", "criteria_dir", folder)
    return folder / relative


def _city_plan_md(cli, tmp_path) -> str:
    out = tmp_path / "out"
    path = Path(cli.json("render-plan", "--year", "2024", "--format", "md", "--out", out)
                ["files"][0])
    return path.read_text(encoding="utf-8")


def test_the_city_plan_lists_groups_in_the_policys_order_under_its_labels(cli, selected_2024,
                                                                          tmp_path):
    cli("config", "load", AUTHORITY)

    def relabel(doc):
        by_name = {g["name"]: g for g in doc["groups"]}
        by_name["phuong"]["label"] = "Các phường"
        by_name["co_quan_dn_csgd"]["label"] = "Cơ quan, đoàn thể"
        doc["groups"] = [by_name["co_quan_dn_csgd"], by_name["xa"], by_name["phuong"],
                         by_name["thi_tran"], by_name["dac_khu"]]

    _local_criteria(cli, tmp_path, "selection/hue-593.yaml", relabel)
    text = _city_plan_md(cli, tmp_path)
    assert "a) Cơ quan, đoàn thể:\n\n- Hội Liên hiệp Phụ nữ thành phố Huế" in text
    assert "b) Các phường:\n\n- Phường Phước Vĩnh" in text


def test_the_city_plan_cites_the_legal_bases_of_the_localitys_file(cli, selected_2024,
                                                                   tmp_path):
    cli("config", "load", AUTHORITY)
    assert "Căn cứ Quyết định số 510/QĐ-BCA-V05" in _city_plan_md(cli, tmp_path)

    def own_bases(doc):
        doc["bases"] = [{"id": "nghi-quyet-hdnd", "text": "Nghị quyết số 01/NQ-HĐND",
                         "to_year": 2024},
                        {"id": "later", "text": "Kế hoạch số 9/KH-UBND", "from_year": 2025}]

    _local_criteria(cli, tmp_path, "legal-bases/default.yaml", own_bases)
    text = _city_plan_md(cli, tmp_path)
    assert "Căn cứ Nghị quyết số 01/NQ-HĐND;" in text
    assert "510/QĐ-BCA-V05" not in text and "9/KH-UBND" not in text


def test_criteria_check_finds_the_problems_of_a_legal_bases_file(cli, tmp_path):
    path = tmp_path / "legal-bases" / "mine.yaml"
    path.parent.mkdir()
    path.write_text(
        "id: mine\nkind: legal-bases\nversion: 1\ntitle: Căn cứ\nstatus: complete\n"
        "source: [Luật]\nbases:\n"
        "  - {id: a, text: Luật A, documents: [unit-plan]}\n"
        "  - {id: b, text: Luật B, from_year: 2026, to_year: 2025, issuer: chairman}\n",
        encoding="utf-8")
    result = cli("criteria", "check", path, code=1)
    assert f"{path}: bases[0].documents[0]: unknown document 'unit-plan'" in result.stderr
    assert f"{path}: bases[1].issuer: unknown issuer 'chairman'" in result.stderr
    assert f"{path}: bases[1].to_year: 2025 is before from_year 2026" in result.stderr


def test_render_plan_warns_when_the_localitys_template_breaks_decree_30(cli, selected_2024,
                                                                       tmp_path):
    from docx import Document
    from docx.shared import Inches

    from movement_cli.resources import bundled

    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    clean = cli("render-plan", "--year", "2024", "--out", out)
    assert "Nghị định 30" not in clean.stderr  # the bundled template follows it

    local = tmp_path / "templates"
    local.mkdir()
    template = Document(str(bundled("templates") / "city-plan.docx"))
    template.sections[0].page_width, template.sections[0].page_height = Inches(8.5), Inches(11)
    template.save(str(local / "city-plan.docx"))
    cli("config", "set", "templates_dir", local)
    result = cli("render-plan", "--year", "2024", "--out", out, "--force")
    warnings = [line for line in result.stderr.splitlines() if "Nghị định 30" in line]
    assert warnings == [
        "warning: 2024-city-plan.docx breaks Nghị định 30 (A4 page and margins): page is "
        f"215.9 × 279.4 mm, not A4 portrait (210 × 297 mm); template {local / 'city-plan.docx'}"]
    assert (out / "2024-city-plan.docx").is_file()  # a warning: the document is written
    assert cli("render-plan", "--year", "2024", "--out", out, "--force", "-q").stderr == ""


def test_a_template_that_breaks_decree_30_is_warned_about_once_for_all_its_documents(
        cli, selected_2024, tmp_path):
    from docx import Document
    from docx.shared import Inches

    from movement_cli.resources import bundled

    cli("config", "load", AUTHORITY)
    local = tmp_path / "templates"
    local.mkdir()
    template = Document(str(bundled("templates") / "unit-plan.docx"))
    template.sections[0].page_width, template.sections[0].page_height = Inches(8.5), Inches(11)
    template.save(str(local / "unit-plan.docx"))
    cli("config", "set", "templates_dir", local)
    out = tmp_path / "out"
    result = cli("render-plan", "--year", "2024", "--doc", "unit-plan", "--out", out)
    warnings = [line for line in result.stderr.splitlines() if "Nghị định 30" in line]
    first, second = sorted(p.name for p in out.iterdir())
    assert warnings == [
        f"warning: all 2 documents ({first}, {second}) break Nghị định 30 (A4 page and "
        "margins): page is 215.9 × 279.4 mm, not A4 portrait (210 × 297 mm); template "
        f"{local / 'unit-plan.docx'}"]


def test_a_document_whose_own_data_breaks_decree_30_is_named_alone(cli, hue_2024, tmp_path):
    """The bundled template follows Nghị định 30, but a commune whose name holds a comma
    gives its plan a place-and-date line the decree's form does not allow: that plan is
    named, once, and the other plan of the run is not."""
    roster = tmp_path / "u.csv"
    roster.write_text("code,name,kind,parent_code\n99001,\"Phường Thủy Xuân, Huế\",phuong,474\n",
                      encoding="utf-8")
    cli("units", "import", roster, "--as-of", "2021-07-01")
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n"
                       "99001,2023,dat,xuat_sac,93\n", encoding="utf-8")
    cli("assess", "import", results)
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "99001", "--confirm",
        code=None)
    cli("config", "load", AUTHORITY)
    out = tmp_path / "out"
    result = cli("render-plan", "--year", "2024", "--doc", "unit-plan", "--out", out,
                 "--date", "17/01/2024")
    warnings = [line for line in result.stderr.splitlines() if "Nghị định 30" in line]
    assert len(warnings) == 1, result.stderr
    (plan,) = [p.name for p in out.iterdir() if p.name.startswith("2024-unit-plan-99001")]
    assert warnings[0].startswith(
        f"warning: {plan} breaks Nghị định 30 (header: national name, motto, number and "
        "date): the date line “Thủy Xuân, Huế, ngày 17 tháng 01 năm 2024” is not like")
    assert "19798" not in warnings[0]
    assert len(list(out.iterdir())) == 2  # a warning: both plans are written


def test_rendering_reports_progress_through_a_callback_and_prints_nothing(
        cli, selected_2024, tmp_path, capfd):
    from movement_cli.store.db import Database
    from movement_cli.workflows.render import RenderRequest, render_plan

    cli("config", "load", AUTHORITY)
    calls = []
    database = Database.open(selected_2024, actor="test", command="test")
    try:
        capfd.readouterr()
        files = render_plan(database, RenderRequest(year=2024, doc="unit-plan", fmt="md",
                                                    out_dir=tmp_path),
                            progress=lambda done, total: calls.append((done, total)))
    finally:
        database.close()
    assert len(files) == 2
    assert calls == [(0, 2), (1, 2), (2, 2)]
    assert capfd.readouterr() == ("", "")


def test_a_hundred_documents_breaking_a_rule_give_one_line_that_counts_them(monkeypatch):
    from movement_cli.documents import checker
    from movement_cli.workflows.render import LayoutReport

    def problems(data: bytes):
        name = data.decode()
        found = [("A4 page and margins", "left margin is 20.0 mm, not 30–35 mm")]
        if name == "p7.docx":
            found.append(("page numbers", "the page number is not centred"))
        return found

    monkeypatch.setattr(checker, "rule_problems", problems)
    report = LayoutReport()
    for i in range(100):
        report.check(f"p{i}.docx", f"p{i}.docx".encode())
    assert report.warnings(Path("t.docx")) == [
        "all 100 documents (p0.docx, p1.docx, p2.docx and 97 more) break Nghị định 30 (A4 page "
        "and margins): left margin is 20.0 mm, not 30–35 mm; template t.docx",
        "p7.docx breaks Nghị định 30 (page numbers): the page number is not centred; "
        "template t.docx"]
