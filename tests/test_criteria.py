"""Criteria and policy files: the bundled ones are valid and honest about their sources; a
broken file is reported key by key; a locality's files override the bundled ones."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

from movement_cli.criteria import (
    check_file,
    check_paths,
    discover,
    load_classification,
    load_model_unit_sets,
    load_policy,
)
from movement_cli.errors import BadInput, MovementError
from movement_cli.resources import bundled

BUNDLED = bundled("criteria")
BUNDLED_FILES = sorted(BUNDLED.rglob("*.yaml"))
POLICY_FILE = BUNDLED / "selection" / "hue-593.yaml"


def lines(problems) -> list[str]:
    return [p.line() for p in problems]


def write(folder: Path, relative: str, doc: dict | str) -> Path:
    path = folder / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    text = doc if isinstance(doc, str) else yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def bundled_doc(relative: str) -> dict:
    return yaml.safe_load((BUNDLED / relative).read_text(encoding="utf-8"))


# The bundled files


def test_every_bundled_file_passes_check():
    assert len(BUNDLED_FILES) == 7  # six criteria and policy files, and the legal bases
    assert lines(check_paths([BUNDLED])) == []


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.name)
def test_every_bundled_file_names_its_sources_and_status(path):
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert doc["source"] and all(s.strip() for s in doc["source"])
    assert doc["status"] in ("complete", "provisional")
    assert doc["kind"] == path.parent.name


def test_bundled_model_unit_sets_are_provisional_incomplete_and_say_so():
    sets = load_model_unit_sets()
    for kind in ("xa", "phuong", "co_quan", "doanh_nghiep", "co_so_giao_duc"):
        found = sets.for_kind(kind)
        assert found.status == "provisional" and found.incomplete
        assert "criteria_dir" in found.note and "34" in sets.for_kind("xa").note
        assert found.required == len(found.items) == 2
    assert sets.for_kind("khu_dan_cu") is None


def test_default_policy_is_the_huế_rule_with_its_hash():
    policy = load_policy()
    assert policy.id == "hue-593-2024"
    assert policy.path == POLICY_FILE
    assert policy.sha256 == hashlib.sha256(POLICY_FILE.read_bytes()).hexdigest()
    assert (policy.basis_year_offset, policy.required_safety, policy.minimum_class) == (
        -1,
        "dat",
        "kha",
    )
    assert [(g.name, g.kinds, g.min) for g in policy.groups] == [
        ("xa", ("xa",), 1),
        ("phuong", ("phuong",), 1),
        ("co_quan_dn_csgd", ("co_quan", "doanh_nghiep", "co_so_giao_duc"), 1),
        ("thi_tran", ("thi_tran",), 0),
        ("dac_khu", ("dac_khu",), 0),
    ]
    assert policy.ranking == ("class", "score", "consecutive_safety_years", "code")


def test_discover_lists_the_bundled_files_with_their_ids():
    assert [(f.kind, f.id, f.origin, f.overrides) for f in discover([])] == [
        ("classification", "classification-default", "bundled", None),
        ("selection", "hue-593-2024", "bundled", None),
        ("safety-standard", "tt124-2021", "bundled", None),
        ("model-unit", "qd9745-co-quan-dn-csgd", "bundled", None),
        ("model-unit", "qd9745-xa-phuong", "bundled", None),
        ("commendation", "commendation-default", "bundled", None),
        ("legal-bases", "legal-bases-default", "bundled", None),
    ]


def test_loading_criteria_module_imports_no_yaml():
    probe = (
        "import sys, movement_cli.criteria, movement_cli.core.selection\n"
        "print('yaml' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


# Broken files are reported as FILE: key.path: message


def test_broken_policy_reports_every_problem_with_its_key_path(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["minimum_clas"] = doc.pop("minimum_class")
    doc["groups"][0]["min"] = -1
    doc["groups"][1]["kinds"] = ["phuong", "ward"]
    doc["groups"][3]["valid_to"] = "2025-13-01"
    doc["excluded_subtypes"].append("quan_doi")
    path = write(tmp_path, "selection/hue-593.yaml", doc)
    assert lines(check_file(path)) == [
        f"{path}: excluded_subtypes[6]: unknown subtype 'quan_doi'; expected one of: "
        "luc_luong_vu_trang, doanh_nghiep_nho, doanh_nghiep_sieu_nho, tieu_hoc, mam_non, "
        "nha_tre",
        f"{path}: groups[0].min: must be 0 or more, got -1",
        f"{path}: groups[1].kinds[1]: unknown kind 'ward'; expected one of: xa, phuong, "
        "thi_tran, dac_khu, khu_dan_cu, co_quan, doanh_nghiep, co_so_giao_duc",
        f"{path}: groups[3].valid_to: '2025-13-01' is not a date; write YYYY-MM-DD",
        f"{path}: minimum_clas: unknown key (did you mean 'minimum_class'?); expected one of: "
        "id, kind, version, title, status, source, note, provenance, basis_year_offset, "
        "required_safety, minimum_class, excluded_subtypes, groups, ranking, "
        "follow_predecessors, window",
        f"{path}: minimum_class: missing (required)",
    ]


def test_a_date_in_a_criteria_file_reads_as_every_other_date_does(tmp_path):
    # One date parser for the whole tool: the Vietnamese day-first form is the same day.
    doc = bundled_doc("selection/hue-593.yaml")
    doc["groups"][3]["valid_to"] = "30/06/2025"
    doc["groups"][4]["valid_from"] = "2026-01-01"
    path = write(tmp_path, "selection/hue-593.yaml", doc)
    assert lines(check_file(path)) == []
    groups = load_policy([tmp_path]).groups
    assert (groups[3].valid_to, groups[4].valid_from) == (date(2025, 6, 30), date(2026, 1, 1))


def test_minimum_class_must_be_a_known_class(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["minimum_class"] = "good"
    path = write(tmp_path, "selection/hue-593.yaml", doc)
    assert lines(check_file(path)) == [
        f"{path}: minimum_class: unknown class 'good'; expected one of: xuat_sac, kha, "
        "trung_binh, yeu"
    ]


def test_kind_in_two_groups_at_once_and_dates_out_of_order_are_errors(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["groups"][2]["kinds"].append("xa")
    doc["groups"][4]["valid_to"] = "2025-12-31"
    doc["ranking"] = ["score", "score"]
    path = write(tmp_path, "selection/x.yaml", doc)
    assert lines(check_file(path)) == [
        f"{path}: ranking[1]: 'score' is repeated (already at ranking[0])",
        f"{path}: groups[2].kinds[3]: xa is already in groups[0] for overlapping dates",
        f"{path}: groups[4].valid_to: 2025-12-31 is before valid_from 2026-01-01",
    ]


def test_yaml_syntax_error_reports_its_line(tmp_path):
    path = write(tmp_path, "selection/bad.yaml", "id: x\nkind: selection\ngroups: [xa\nmin: 1\n")
    [problem] = check_file(path)
    assert problem.row == 4 and problem.column == "yaml"
    assert problem.line().startswith(f"{path}:4: yaml: ")


def test_key_written_twice_is_an_error_on_its_line(tmp_path):
    text = POLICY_FILE.read_text(encoding="utf-8").replace(
        "minimum_class: kha\n", "minimum_class: kha\nminimum_class: trung_binh\n"
    )
    path = write(tmp_path, "selection/hue-593.yaml", text)
    [problem] = check_file(path)
    assert "written twice" in problem.message and problem.row > 1


def test_empty_file_and_non_mapping_are_reported(tmp_path):
    empty = write(tmp_path, "selection/empty.yaml", "")
    listed = write(tmp_path, "selection/list.yaml", "- a\n- b\n")
    assert lines(check_paths([empty, listed])) == [
        f"{empty}: the file is empty",
        f"{listed}: expected a mapping of keys (id:, kind:, …) at the top of the file",
    ]


def test_file_of_unknown_kind_checks_its_header_only(tmp_path):
    path = write(
        tmp_path,
        "x.yaml",
        {
            "id": "x",
            "kind": "policy",
            "version": 1,
            "title": "T",
            "status": "complete",
            "source": ["S"],
            "groups": [],
        },
    )
    assert lines(check_file(path)) == [
        f"{path}: kind: unknown file kind 'policy'; expected one of: classification, "
        "selection, safety-standard, model-unit, commendation, legal-bases"
    ]


def test_file_whose_kind_disagrees_with_its_folder_is_reported(tmp_path):
    path = write(tmp_path, "commendation/hue-593.yaml", bundled_doc("selection/hue-593.yaml"))
    assert lines(check_file(path)) == [
        f"{path}: kind: is selection but the file is in the folder commendation/"
    ]


def test_score_bands_must_run_down_from_the_best_class(tmp_path):
    doc = bundled_doc("classification/default.yaml")
    doc["score_bands"]["bands"][1]["min"] = 95
    doc["aliases"]["Khá"] = "kha"
    path = write(tmp_path, "classification/default.yaml", doc)
    assert lines(check_file(path)) == [
        f"{path}: aliases.Khá: is already a class code or label",
        f"{path}: score_bands.bands[1].min: must be below the band above (90): bands run from "
        "the highest score down",
    ]


def test_model_unit_set_problems(tmp_path):
    doc = bundled_doc("model-unit/xa-phuong-9745.yaml")
    doc["pass_rule"] = {"at_least": 5}
    doc["items"].append({"id": "xp-1.1", "title": "Lặp"})
    doc["status"] = "complete"
    path = write(tmp_path, "model-unit/x.yaml", doc)
    assert lines(check_file(path)) == [
        f"{path}: items[2].id: 'xp-1.1' is repeated (already at items[0])",
        f"{path}: status: must be provisional while the set is incomplete",
        f"{path}: pass_rule.at_least: is more than the 3 criteria listed",
    ]


def test_commendation_proposal_must_name_a_known_form(tmp_path):
    doc = bundled_doc("commendation/default.yaml")
    doc["proposals"][0]["form"] = "bang_khen_chu_tich"
    path = write(tmp_path, "commendation/default.yaml", doc)
    [line] = lines(check_file(path))
    assert line.startswith(
        f"{path}: proposals[0].form: unknown form 'bang_khen_chu_tich' "
        "(did you mean 'bang_khen_chu_tich_tinh'?)"
    )


def test_provenance_must_name_keys_of_the_file(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["provenance"]["rankings"] = {"confirmed": False}
    path = write(tmp_path, "selection/hue-593.yaml", doc)
    [line] = lines(check_file(path))
    assert line.startswith(
        f"{path}: provenance.rankings: names no key of this file (did you mean 'ranking'?)"
    )


def test_same_id_in_two_files_of_one_kind_is_reported_on_the_later(tmp_path):
    first = write(tmp_path, "selection/a.yaml", bundled_doc("selection/hue-593.yaml"))
    second = write(tmp_path, "selection/b.yaml", bundled_doc("selection/hue-593.yaml"))
    assert lines(check_paths([tmp_path])) == [
        f"{second}: id: 'hue-593-2024' is also the id of {first}"
    ]


# A locality's own files


def test_local_file_overrides_the_bundled_one_by_name(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["id"] = "da-nang-2025"
    doc["groups"][0]["min"] = 2
    local = write(tmp_path, "selection/hue-593.yaml", doc)
    selection = [f for f in discover([tmp_path]) if f.kind == "selection"]
    assert [(f.path, f.origin, f.overrides) for f in selection] == [(local, "local", POLICY_FILE)]
    policy = load_policy([tmp_path])
    assert (policy.id, policy.groups[0].min, policy.path) == ("da-nang-2025", 2, local)
    with pytest.raises(MovementError, match="no selection file with id 'hue-593-2024'"):
        load_policy([tmp_path], "hue-593-2024")


def test_local_policy_under_a_new_name_is_the_default_and_the_bundled_stays_available(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["id"] = "hue-2026"
    write(tmp_path, "selection/hue-2026.yml", doc)
    assert load_policy([tmp_path]).id == "hue-2026"
    assert load_policy([tmp_path], "hue-593-2024").id == "hue-593-2024"


def test_later_locality_folder_overrides_an_earlier_one(tmp_path):
    doc = bundled_doc("classification/default.yaml")
    first = write(tmp_path / "a", "classification/default.yaml", doc)
    doc["aliases"] = {"Tốt": "xuat_sac", "Hoàn thành tốt": "kha"}
    second = write(tmp_path / "b", "classification/default.yaml", doc)
    [found] = [f for f in discover([tmp_path / "a", tmp_path / "b"]) if f.kind == "classification"]
    assert (found.path, found.overrides) == (second, first)
    assert load_classification([tmp_path / "a", tmp_path / "b"]).aliases["Hoàn thành tốt"] == "kha"


def test_aliases_written_in_decomposed_unicode_are_normalised(tmp_path):
    doc = bundled_doc("classification/default.yaml")
    doc["aliases"] = {"To\u0302\u0301t": "xuat_sac"}  # "Tốt" as macOS writes it
    write(tmp_path, "classification/default.yaml", doc)
    assert load_classification([tmp_path]).aliases == {"Tốt": "xuat_sac"}


def test_local_model_unit_set_replaces_the_bundled_one_for_its_kinds(tmp_path):
    doc = bundled_doc("model-unit/xa-phuong-9745.yaml")
    doc.update(id="hue-xa-phuong", status="complete", incomplete=False, applies_to=["phuong"])
    doc.pop("official_size")  # two criteria are not the official 34
    write(tmp_path, "model-unit/hue-phuong.yaml", doc)
    sets = load_model_unit_sets([tmp_path])
    assert sets.for_kind("phuong").id == "hue-xa-phuong"
    assert sets.for_kind("xa").id == "qd9745-xa-phuong"


def test_two_local_sets_for_one_kind_are_an_error(tmp_path):
    doc = bundled_doc("model-unit/xa-phuong-9745.yaml")
    write(tmp_path, "model-unit/a.yaml", {**doc, "id": "a"})
    second = write(tmp_path, "model-unit/b.yaml", {**doc, "id": "b", "applies_to": ["xa"]})
    with pytest.raises(BadInput) as caught:
        load_model_unit_sets([tmp_path])
    assert lines(caught.value.problems) == [
        f"{second}: applies_to[0]: xa is already covered by {tmp_path / 'model-unit/a.yaml'}"
        " for overlapping dates"
    ]


def test_a_locality_may_have_one_set_per_period_for_a_kind(tmp_path):
    from datetime import date

    doc = bundled_doc("model-unit/xa-phuong-9745.yaml")
    doc.pop("official_size")
    write(tmp_path, "model-unit/a.yaml", {**doc, "id": "old", "valid_to": "2025-06-30"})
    write(tmp_path, "model-unit/b.yaml", {**doc, "id": "new", "valid_from": "2025-07-01"})
    sets = load_model_unit_sets([tmp_path])
    assert sets.for_kind("xa", date(2024, 11, 15)).id == "old"
    assert sets.for_kind("xa", date(2025, 11, 15)).id == "new"
    assert sets.for_kind("co_quan", date(2025, 11, 15)).id == "qd9745-co-quan-dn-csgd"
    assert sets.for_kind("xa", date(2022, 11, 15)) is None or \
        sets.for_kind("xa", date(2022, 11, 15)).id == "old"


@pytest.mark.parametrize(("change", "message"), [
    ({"official_size": 2}, "official_size: is 2, but the 2 criteria listed are all of them"),
    ({"incomplete": False, "status": "complete"},
     "incomplete: must be true: 2 of the official list's 34 criteria are listed"),
])
def test_the_official_size_and_incomplete_must_agree(tmp_path, change, message):
    doc = {**bundled_doc("model-unit/xa-phuong-9745.yaml"), **change}
    path = write(tmp_path, "model-unit/x.yaml", doc)
    assert any(line.startswith(f"{path}: {message}") for line in lines(check_file(path)))


def test_loading_an_invalid_local_file_raises_bad_input_with_every_problem(tmp_path):
    doc = bundled_doc("selection/hue-593.yaml")
    doc["minimum_class"] = "good"
    doc["basis_year_offset"] = 0
    write(tmp_path, "selection/hue-593.yaml", doc)
    with pytest.raises(BadInput) as caught:
        load_policy([tmp_path])
    assert [p.column for p in caught.value.problems] == ["basis_year_offset", "minimum_class"]


def test_yaml_outside_a_kind_folder_and_a_missing_folder_are_errors(tmp_path):
    stray = write(tmp_path, "policy.yaml", "id: x\n")
    missing = tmp_path / "nowhere"
    with pytest.raises(BadInput) as caught:
        discover([tmp_path, missing])
    assert [p.file for p in caught.value.problems] == [str(stray), str(missing)]
    assert "not in a criteria folder" in caught.value.problems[0].message
