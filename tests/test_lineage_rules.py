"""The pure rules of a merge map and of kinds valid by date (core.lineage, core.kinds)."""

from __future__ import annotations

from movement_cli.core.calendar import assessment_active_on
from movement_cli.core.kinds import kind_not_valid_on
from movement_cli.core.lineage import move_children, plan_merge, streak_through_predecessors


def test_units_that_keep_their_code_stay_and_the_others_close():
    plan = plan_merge([("19798", "19789"), ("19789", "19789"), ("19792", "19777"),
                       ("19792", "19789")])
    assert plan.closing == {"19798", "19792"}
    assert dict(plan.whole) == {"19798": "19789"}
    assert dict(plan.split) == {"19792": ("19777", "19789")}


def test_children_of_a_wholly_merged_parent_move_and_of_a_split_one_stay():
    plan = plan_merge([("19783", "19789"), ("19789", "19789"), ("19792", "19777"),
                       ("19792", "19789")])
    moves = move_children([("GD001", "19783"), ("GD003", "19789"), ("CQ007", "19792")], plan)
    assert moves.moves == (("GD001", "19789"),)
    assert moves.stay == (("CQ007", "19792", ("19777", "19789")),)


def _streak(code, met, links, as_of="2026-01-01", basis_year=2025):
    return streak_through_predecessors(code, basis_year, met, links, as_of, assessment_active_on)


def test_a_merged_unit_counts_a_year_when_every_unit_it_was_made_from_met_the_standard():
    links = {"N": [("A", "2025-07-01"), ("B", "2025-07-01")]}
    assert _streak("N", {"A": {2024, 2023}, "B": {2024, 2023, 2022}}, links) == 2
    assert _streak("N", {"A": {2024, 2023}, "B": {2023}}, links) == 0
    # A code that kept its number: its own earlier years count as one of its parts.
    links = {"A": [("A", "2025-07-01"), ("B", "2025-07-01")]}
    assert _streak("A", {"A": {2024}, "B": {2024}}, links) == 1


def test_years_after_the_merger_are_the_units_own_and_chains_go_back_further():
    # Made on 2024-07-01: 2024's result (15 November) is its own, 2023 its predecessors'.
    links = {"N": [("A", "2024-07-01")], "A": [("X", "2020-01-01"), ("Y", "2020-01-01")]}
    met = {"N": {2024}, "A": {2023, 2020}, "X": {2019}, "Y": {2019}}
    assert _streak("N", met, links) == 2
    met["A"] |= {2022, 2021}
    assert _streak("N", met, links) == 6


def test_thi_tran_ends_and_dac_khu_begins_on_1_july_2025():
    assert kind_not_valid_on("thi_tran", "2025-06-30") is None
    assert "thi_tran" in kind_not_valid_on("thi_tran", "2025-07-01")
    assert "dac_khu" in kind_not_valid_on("dac_khu", "2025-06-30")
    assert kind_not_valid_on("dac_khu", "2025-07-01") is None
    assert kind_not_valid_on("xa", "2030-01-01") is None
