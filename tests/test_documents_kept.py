"""Documents are kept: two documents never share a file name (also where the file system
ignores case), and a document an official edited is never replaced without --force."""

from __future__ import annotations

from pathlib import Path

import pytest

AUTHORITY = Path(__file__).resolve().parents[1] / "examples" / "authority-hue.yaml"
# Codes whose file-name forms are alike: by sanitising, by case, or where code and slug meet.
ALIKE = [("DN/01", "Công ty Một"), ("DN-01", "Công ty Một"), (".", "Công ty Hai"),
         ("..", "Công ty Hai"), ("cq9", "Công ty Ba"), ("CQ9", "Công ty Ba"),
         ("A", "B C"), ("A-B", "C"), ("Đ-01", "Công ty Tư"), ("D-01", "Công ty Tư")]


def _select(cli, tmp_path, codes_and_names, year="2024"):
    roster = tmp_path / "alike.csv"
    roster.write_text("code,name,kind,parent_code\n" + "".join(
        f'"{code}","{name}",doanh_nghiep,474\n' for code, name in codes_and_names),
        encoding="utf-8")
    cli("units", "import", roster, "--as-of", "2021-07-01")
    results = tmp_path / "alike-results.csv"
    results.write_text("code,year,safety,class,score\n" + "".join(
        f'"{code}",2023,dat,kha,80\n' for code, _ in codes_and_names), encoding="utf-8")
    cli("assess", "import", results)
    picks = [arg for code, _ in codes_and_names for arg in ("--pick", code)]
    cli("select", "--year", year, *picks, code=None)
    cli("config", "load", AUTHORITY)


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    return folder


@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_units_whose_codes_look_alike_in_a_file_name_get_a_file_each(
        cli, hue_2024, tmp_path, out, fmt):
    _select(cli, tmp_path, ALIKE)
    files = cli.json("render-plan", "--year", "2024", "--doc", "unit-plan", "--format", fmt,
                     "--out", out)["files"]
    assert len(files) == len(ALIKE)
    assert len({name.casefold() for name in files}) == len(ALIKE)
    assert sorted(p.name for p in out.iterdir()) == sorted(Path(f).name for f in files)


def test_a_plain_code_keeps_the_contracts_file_name(cli, hue_2024, tmp_path, out):
    _select(cli, tmp_path, [("DN-01", "Công ty Một"), ("DN/01", "Công ty Một")])
    names = sorted(Path(f).name for f in cli.json(
        "render-plan", "--year", "2024", "--doc", "unit-plan", "--format", "md", "--out",
        out)["files"])
    assert "2024-unit-plan-DN-01-cong-ty-mot.md" in names
    assert any(n.startswith("2024-unit-plan-DN-01-") and n.endswith("-cong-ty-mot.md")
               and n != "2024-unit-plan-DN-01-cong-ty-mot.md" for n in names)


def test_units_rendered_one_at_a_time_still_get_a_file_each(cli, hue_2024, tmp_path, out):
    _select(cli, tmp_path, [("cq9", "Công ty Ba"), ("CQ9", "Công ty Ba"), ("A", "B C"),
                            ("A-B", "C")])
    files = []
    for code in ("cq9", "CQ9", "A", "A-B"):
        files += cli.json("render-plan", "--year", "2024", "--doc", "unit-plan", "--unit", code,
                          "--format", "md", "--out", out)["files"]
    assert len({name.casefold() for name in files}) == 4
    # Rendering again finds each unit's own file again.
    again = [cli.json("render-plan", "--year", "2024", "--doc", "unit-plan", "--unit", code,
                      "--format", "md", "--out", out)["files"][0]
             for code in ("cq9", "CQ9", "A", "A-B")]
    assert again == files


def test_a_scopes_city_plan_and_the_whole_databases_do_not_share_a_file(
        cli, hue_2024, tmp_path, out):
    _select(cli, tmp_path, [("DN-01", "Công ty Một")])
    cli("select", "--year", "2024", "--scope", "474", "--pick", "DN-01", code=3)
    whole = cli.json("render-plan", "--year", "2024", "--format", "md", "--out", out)["files"]
    scoped = cli.json("render-plan", "--year", "2024", "--scope", "474", "--format", "md",
                      "--out", out)["files"]
    assert Path(whole[0]).name == "2024-city-plan.md"
    assert Path(scoped[0]).name == "2024-city-plan-474-thanh-pho-hue.md"
    assert len(list(out.iterdir())) == 2


def test_an_edited_document_is_not_replaced_without_force(cli, hue_2024, tmp_path, out):
    _select(cli, tmp_path, [("DN-01", "Công ty Một"), ("DN-02", "Công ty Hai")])
    args = ("render-plan", "--year", "2024", "--doc", "unit-plan", "--out", out)
    files = [Path(f) for f in cli.json(*args)["files"]]
    cli(*args)  # unchanged since written: rendered again without a word
    files[0].write_bytes(files[0].read_bytes() + b"signed")
    edited = files[0].read_bytes()
    other = files[1].read_bytes()
    result = cli(*args, code=1)
    assert str(files[0]) in result.stderr and "--force" in result.stderr
    assert files[0].read_bytes() == edited and files[1].read_bytes() == other
    assert sorted(out.iterdir()) == sorted(files)  # no temporary file left
    cli(*args, "--force")
    assert files[0].read_bytes() != edited
    cli(*args)  # what --force wrote is what movement wrote: no --force needed again


def test_a_file_movement_never_wrote_is_not_replaced_without_force(cli, hue_2024, tmp_path,
                                                                      out):
    _select(cli, tmp_path, [("DN-01", "Công ty Một")])
    stranger = out / "2024-city-plan.md"
    stranger.write_text("a plan typed by hand\n", encoding="utf-8")
    result = cli("render-plan", "--year", "2024", "--format", "md", "--out", out, code=1)
    assert str(stranger) in result.stderr
    assert stranger.read_text(encoding="utf-8") == "a plan typed by hand\n"
    cli("render-plan", "--year", "2024", "--format", "md", "--out", out, "--force")
    assert "a plan typed by hand" not in stranger.read_text(encoding="utf-8")


def test_an_edited_markdown_document_is_kept_too(cli, hue_2024, tmp_path, out):
    _select(cli, tmp_path, [("DN-01", "Công ty Một")])
    path = Path(cli.json("render-plan", "--year", "2024", "--format", "md", "--out",
                         out)["files"][0])
    path.write_text("", encoding="utf-8")  # even an emptied file is an edit
    cli("render-plan", "--year", "2024", "--format", "md", "--out", out, code=1)
    assert path.read_text(encoding="utf-8") == ""


def test_the_last_record_of_each_file_is_found_whatever_its_case(tmp_path):
    from movement_cli.store import status
    from movement_cli.store.db import Database

    db, _ = Database.create(tmp_path / "m.db", actor="test", command="test")
    for year, file in ((2023, "/out/A.md"), (2024, "/out/a.md"), (2024, "/out/b.md")):
        status.record_document(db.conn, year, "", "unit-plan", "A", file, "now")
    found = status.documents_written(db.conn, ["/out/A.MD", "/out/c.md"])
    assert list(found) == ["/out/A.MD"]
    assert (found["/out/A.MD"]["year"], found["/out/A.MD"]["file"]) == (2024, "/out/a.md")
    db.close()
