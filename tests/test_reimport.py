"""Re-importing a roster with an earlier date: a unit that did not change gets no second,
identical version — its version starts earlier instead."""

from __future__ import annotations

import pytest

from movement_cli.core.roster import EARLIER_START, NEW_PERIOD, SUCCESSION, version_change


def _versions(cli, code):
    return [(v["name"], v["active_from"], v["active_to"])
            for v in cli.json("units", "show", code)["versions"]]


@pytest.fixture
def rosters(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("code,name,kind\n46,Tỉnh A,tinh\nX1,Hội X,co_quan\n", encoding="utf-8")
    new = tmp_path / "new.csv"
    new.write_text("code,name,kind\n46,Tỉnh A,tinh\nX1,Hội X mới,co_quan\n", encoding="utf-8")
    return old, new


def test_a_renamed_units_new_name_given_again_earlier_moves_its_start(cli, db, rosters):
    old, new = rosters
    cli("units", "import", old, "--as-of", "2020-01-01")
    cli("units", "import", new, "--as-of", "2023-01-01")
    cli("units", "import", new, "--as-of", "2022-06-01")
    assert _versions(cli, "X1") == [("Hội X", None, "2022-05-31"),
                                    ("Hội X mới", "2022-06-01", None)]
    assert cli.json("units", "import", new, "--as-of", "2022-06-01")["unchanged"] == 2


def test_a_unit_given_again_before_it_started_starts_earlier(cli, db, rosters, tmp_path):
    old, _ = rosters
    cli("units", "import", old, "--as-of", "2020-01-01")
    later = tmp_path / "later.csv"
    later.write_text("code,name,kind\nY1,Hội Y,co_quan\n", encoding="utf-8")
    cli("units", "import", later, "--as-of", "2023-03-01")
    cli("units", "import", later, "--as-of", "2022-03-01")
    assert _versions(cli, "Y1") == [("Hội Y", "2022-03-01", None)]


def test_a_different_unit_before_the_next_version_is_still_a_version_of_its_own(cli, db,
                                                                              rosters):
    old, new = rosters
    cli("units", "import", new, "--as-of", "2020-01-01")  # first roster: open start
    cli("units", "import", old, "--as-of", "2023-01-01")
    cli("units", "import", new, "--as-of", "2024-01-01")
    assert [v[0] for v in _versions(cli, "X1")] == ["Hội X mới", "Hội X", "Hội X mới"]


WARD = {"name": "Phường A", "kind": "phuong", "parent_code": "474", "subtype": None,
        "active_from": "2023-01-01", "active_to": None}


def test_the_rule_starts_the_next_version_earlier_instead_of_a_twin():
    row = {**WARD, "active_from": None}
    change = version_change(row, None, None, None, effective="2022-01-01",
                            next_from="2023-01-01", following=WARD, following_note=None)
    assert change.kind == EARLIER_START
    assert change.version["active_from"] == "2022-01-01" and change.closes_on is None
    older = {**WARD, "name": "Phường Cũ", "active_from": None, "active_to": None}
    change = version_change(row, None, older, None, effective="2022-06-01",
                            next_from="2023-01-01", following=WARD)
    assert (change.kind, change.closes_on) == (EARLIER_START, "2022-05-31")
    other = {**row, "name": "Phường B"}
    assert version_change(other, None, None, None, effective="2022-01-01",
                          next_from="2023-01-01", following=WARD).kind == NEW_PERIOD
    assert version_change(other, None, older, None, effective="2022-06-01",
                          next_from="2023-01-01", following=WARD).kind == SUCCESSION
    ends_early = {**row, "active_to": "2022-03-31"}
    assert version_change(ends_early, None, None, None, effective="2022-01-01",
                          next_from="2023-01-01", following=WARD).kind == NEW_PERIOD


def test_a_different_unit_before_a_codes_first_version_ends_the_day_before_it(cli, db, rosters,
                                                                              tmp_path):
    old, _ = rosters
    cli("units", "import", old, "--as-of", "2020-01-01")
    later = tmp_path / "later.csv"
    later.write_text("code,name,kind\nY1,Hội Y,co_quan\n", encoding="utf-8")
    cli("units", "import", later, "--as-of", "2023-03-01")
    earlier = tmp_path / "earlier.csv"
    earlier.write_text("code,name,kind\nY1,Hội Z,co_quan\n", encoding="utf-8")
    cli("units", "import", earlier, "--as-of", "2021-01-01")
    assert sorted(_versions(cli, "Y1"), key=lambda v: v[1]) == [
        ("Hội Z", "2021-01-01", "2023-02-28"), ("Hội Y", "2023-03-01", None)]
