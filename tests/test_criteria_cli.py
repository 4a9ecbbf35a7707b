"""`movement criteria list | show | check` through the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

BUNDLED = Path(__file__).resolve().parents[1] / "criteria"


def test_check_passes_the_bundled_files_without_a_database(cli):
    result = cli("criteria", "check")
    assert "ok" in result.stderr


def test_check_reports_file_and_key_path(cli, tmp_path):
    policy = tmp_path / "selection" / "local.yaml"
    policy.parent.mkdir()
    text = (BUNDLED / "selection" / "hue-593.yaml").read_text(encoding="utf-8")
    policy.write_text(text.replace("minimum_class: kha", "minimum_class: good")
                      .replace("    min: 1\n", "    min: -1\n", 1), encoding="utf-8")
    result = cli("criteria", "check", policy, code=1)
    assert f"{policy}: minimum_class:" in result.stderr
    assert f"{policy}: groups[0].min:" in result.stderr


def test_a_local_policy_overrides_the_bundled_one_and_is_used_by_select(cli, hue_2024,
                                                                        tmp_path):
    local = tmp_path / "criteria"
    (local / "selection").mkdir(parents=True)
    text = (BUNDLED / "selection" / "hue-593.yaml").read_text(encoding="utf-8")
    (local / "selection" / "hue-593.yaml").write_text(
        text.replace("id: hue-593-2024", "id: local-2024"), encoding="utf-8")
    cli("config", "set", "criteria_dir", local)
    listed = {f["kind"]: f for f in cli.json("criteria", "list")}
    assert listed["selection"]["origin"] == "local"
    assert listed["selection"]["overrides"].endswith("hue-593.yaml")
    assert cli.json("select", "--year", "2024", "--dry-run", code=None)["policy"] == "local-2024"
    assert "local-2024" in cli("criteria", "show", "local-2024").stdout


@pytest.mark.parametrize(("bundled", "changed", "key"), [
    ("commendation/default.yaml", ("- kinds: [khu_dan_cu]", "- kinds: [khu_dan_cu, xa]"),
     "proposals[2].kinds[1]: xa already has a proposal (proposals[0])"),
    ("safety-standard/tt124-2021.yaml", ("kinds: [co_so_giao_duc]", "kinds: [co_so_giao_duc, xa]"),
     "checklists[3].kinds[1]: xa already has a checklist (checklists[1])"),
])
def test_check_refuses_a_kind_in_two_entries(cli, tmp_path, bundled, changed, key):
    source = BUNDLED / bundled
    text = source.read_text(encoding="utf-8")
    assert changed[0] in text
    copy = tmp_path / source.name
    copy.write_text(text.replace(changed[0], changed[1], 1), encoding="utf-8")
    result = cli("criteria", "check", copy, code=1)
    assert f"{copy}: {key}" in result.stderr, result.stderr


def test_list_shows_which_set_applies_to_which_kind_and_whether_it_is_complete(cli, tmp_path):
    listed = {f["id"]: f for f in cli.json("criteria", "list")}
    commune = listed["qd9745-xa-phuong"]
    assert commune["applies_to"] == ["xa", "phuong", "thi_tran"]
    assert (commune["complete"], commune["listed"], commune["official_size"]) == (False, 2, 34)
    assert listed["qd9745-co-quan-dn-csgd"]["complete"] is False
    assert listed["hue-593-2024"]["applies_to"] is None
    table = cli("criteria", "list").stdout
    assert "no (2 of 34 listed)" in table and "xa, phuong, thi_tran" in table
