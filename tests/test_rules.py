"""The rules as specifications: eligibility, ranking, quotas, picks, kinds, the calendar.
No database: units and results are plain data, the policy is the bundled Huế rule."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from movement_cli.core.calendar import (
    NextStep,
    YearState,
    assessment_active_on,
    classification_deadline,
    evaluation_window,
    in_selection_window,
    next_step,
    quarter,
    selection_due,
)
from movement_cli.core.eligibility import Result, UnitFacts, decide, group_for
from movement_cli.core.kinds import (
    AmbiguousKind,
    UnknownValue,
    class_for_score,
    parse_class,
    parse_kind,
    parse_safety,
    parse_subtype,
)
from movement_cli.core.model import Criterion, ModelUnitSet, MonthDay, ShareRule
from movement_cli.core.recognition import evaluate
from movement_cli.core.roster import (
    CORRECTION,
    IN_PLACE,
    NEW_PERIOD,
    SUCCESSION,
    UNCHANGED,
    version_change,
)
from movement_cli.core.safety import commune_rule_met
from movement_cli.core.selection import candidate, rank, select
from movement_cli.criteria import load_classification, load_commendation, load_policy

POLICY = load_policy()
CLASSIFICATION = load_classification()

KHA = Result("dat", "kha", 75)
XUAT_SAC = Result("dat", "xuat_sac", 92)


def unit(code: str, kind: str = "phuong", subtype: str | None = None, name: str = "") -> UnitFacts:
    return UnitFacts(code, name or f"Đơn vị {code}", kind, subtype)


def reasons(facts: UnitFacts, results: dict, year: int = 2024) -> tuple[str, ...]:
    return decide(facts, results, POLICY, year).reasons


# Eligibility


def test_unit_that_met_the_standard_and_was_classed_kha_is_eligible():
    decision = decide(unit("19798"), {2023: KHA}, POLICY, 2024)
    assert decision.eligible and decision.reasons == () and decision.group == "phuong"


def test_unit_classed_xuat_sac_is_eligible():
    assert decide(unit("19798"), {2023: XUAT_SAC}, POLICY, 2024).eligible


def test_unit_classed_trung_binh_is_not_eligible():
    decision = decide(unit("19798"), {2023: Result("dat", "trung_binh", 60)}, POLICY, 2024)
    assert not decision.eligible
    assert decision.reasons == ("class_below_minimum",)


def test_unit_that_did_not_meet_the_standard_is_not_eligible_whatever_its_class():
    assert reasons(unit("19798"), {2023: Result("chua_dat", "xuat_sac", 95)}) == ("safety_not_met",)


def test_armed_forces_unit_is_excluded_whatever_its_results():
    police = unit("CQ050", "co_quan", "luc_luong_vu_trang", "Công an thành phố Huế")
    decision = decide(police, {2023: XUAT_SAC, 2022: XUAT_SAC}, POLICY, 2024)
    assert not decision.eligible
    assert decision.reasons == ("excluded_subtype",)


@pytest.mark.parametrize(
    "subtype",
    [
        "luc_luong_vu_trang",
        "doanh_nghiep_nho",
        "doanh_nghiep_sieu_nho",
        "tieu_hoc",
        "mam_non",
        "nha_tre",
    ],
)
def test_every_subtype_outside_the_standard_is_excluded(subtype):
    assert "excluded_subtype" in reasons(unit("X1", "co_so_giao_duc", subtype), {2023: KHA})


def test_missing_basis_year_result_gives_no_result_only():
    # Results of other years do not stand in for the basis year.
    assert reasons(unit("19798"), {2022: KHA, 2024: KHA}) == ("no_result",)


def test_result_with_safety_but_no_class_gives_no_result():
    assert reasons(unit("19798"), {2023: Result("chua_dat", None, 80)}) == ("no_result",)


def test_every_reason_that_applies_is_listed_in_order():
    school = unit("T1", "co_so_giao_duc", "tieu_hoc")
    assert reasons(school, {2023: Result("chua_dat", "yeu", 30)}) == (
        "excluded_subtype",
        "safety_not_met",
        "class_below_minimum",
    )
    assert reasons(school, {}) == ("excluded_subtype", "no_result")


def test_consecutive_safety_years_count_back_from_the_year_before_the_basis_year():
    results = {2023: KHA, 2022: KHA, 2021: KHA, 2020: Result("chua_dat", "kha"), 2019: KHA}
    assert decide(unit("19798"), results, POLICY, 2024).consecutive_safety_years == 2
    assert decide(unit("19798"), {2023: KHA}, POLICY, 2024).consecutive_safety_years == 0


def test_khu_dan_cu_belongs_to_no_group_of_the_huế_rule():
    decision = decide(unit("TDP1", "khu_dan_cu"), {2023: XUAT_SAC}, POLICY, 2024)
    assert not decision.eligible and decision.group is None
    assert decision.reasons == ("no_group",)


# Quota groups and their validity


def test_thi_tran_group_exists_in_2025_not_2026():
    assert group_for("thi_tran", POLICY, 2025).name == "thi_tran"
    assert group_for("thi_tran", POLICY, 2026) is None
    assert [g.name for g in POLICY.groups_in(2026)] == [
        "xa",
        "phuong",
        "co_quan_dn_csgd",
        "dac_khu",
    ]


def test_dac_khu_group_from_2026():
    assert group_for("dac_khu", POLICY, 2025) is None
    assert group_for("dac_khu", POLICY, 2026).name == "dac_khu"
    assert group_for("dac_khu", POLICY, 2026).min == 0


def test_group_validity_is_judged_on_1_january():
    group = POLICY.groups[3]
    assert dataclasses.replace(group, valid_to=date(2025, 1, 1)).valid_in(2025)
    assert not dataclasses.replace(group, valid_to=date(2024, 12, 31)).valid_in(2025)
    assert not dataclasses.replace(group, valid_from=date(2025, 1, 2)).valid_in(2025)


def test_agencies_enterprises_and_schools_share_one_group():
    assert {
        group_for(k, POLICY, 2024).name for k in ("co_quan", "doanh_nghiep", "co_so_giao_duc")
    } == {"co_quan_dn_csgd"}


# Ranking


def ranked_codes(entries: list[tuple[UnitFacts, dict]], year: int = 2024) -> dict[str, list]:
    groups = rank([candidate(u, r, POLICY, year) for u, r in entries], POLICY)
    return {name: [c.unit.code for c in members] for name, members in groups.items()}


def test_xuat_sac_ranks_above_kha_whatever_the_score():
    entries = [
        (unit("A"), {2023: Result("dat", "kha", 89)}),
        (unit("B"), {2023: Result("dat", "xuat_sac", 40)}),
    ]
    assert ranked_codes(entries) == {"phuong": ["B", "A"]}


def test_missing_score_ranks_below_any_score():
    entries = [
        (unit("A"), {2023: Result("dat", "kha", None)}),
        (unit("B"), {2023: Result("dat", "kha", 0)}),
    ]
    assert ranked_codes(entries) == {"phuong": ["B", "A"]}


def test_tie_in_class_and_score_goes_to_more_consecutive_years_then_lower_code():
    two_years = {2023: KHA, 2022: KHA, 2021: KHA}
    entries = [
        (unit("19801"), {2023: KHA}),
        (unit("19800"), {2023: KHA}),
        (unit("19802"), two_years),
    ]
    assert ranked_codes(entries) == {"phuong": ["19802", "19800", "19801"]}


@given(st.permutations(list(range(8))))
def test_ranking_does_not_depend_on_input_order(order):
    base = [
        (unit(f"1980{i}"), {2023: Result("dat", ("kha", "xuat_sac")[i % 2], 70 + i % 3)})
        for i in range(8)
    ]
    assert ranked_codes([base[i] for i in order]) == ranked_codes(base)


def test_ineligible_units_are_not_ranked():
    entries = [(unit("A"), {2023: KHA}), (unit("B"), {2023: Result("dat", "yeu", 10)})]
    assert ranked_codes(entries) == {"phuong": ["A"]}


# Proposals and picks

HUE_2024 = [
    (UnitFacts("19798", "Phường Phước Vĩnh", "phuong"), {2023: Result("dat", "kha", 82)}),
    (UnitFacts("19774", "Phường Kim Long", "phuong"), {2023: Result("dat", "xuat_sac", 91)}),
    (UnitFacts("19753", "Phường Thuận Lộc", "phuong"), {2023: Result("chua_dat", "kha", 71)}),
    (UnitFacts("19771", "Xã Hương Phong", "xa"), {2023: Result("dat", "trung_binh", 62)}),
    (UnitFacts("19810", "Xã Thủy Bằng", "xa"), {}),
    (
        UnitFacts("CQ002", "Hội Liên hiệp Phụ nữ thành phố Huế", "co_quan"),
        {2023: Result("dat", "xuat_sac", 95)},
    ),
    (
        UnitFacts("CQ001", "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Huế", "co_quan"),
        {2023: Result("dat", "xuat_sac", 96)},
    ),
    (
        UnitFacts("CQ050", "Công an thành phố Huế", "co_quan", "luc_luong_vu_trang"),
        {2023: Result("dat", "xuat_sac", 99)},
    ),
    (UnitFacts("TDP01", "Tổ dân phố 1", "khu_dan_cu"), {2023: Result("dat", "kha", 80)}),
]


def hue_2024(picks=None, outside_scope=None):
    candidates = [candidate(u, r, POLICY, 2024) for u, r in HUE_2024]
    return select(candidates, POLICY, 2024, picks=picks, outside_scope=outside_scope)


def test_proposal_takes_each_groups_min_best_ranked_units():
    outcome = hue_2024()
    chosen = {g.group.name: [c.unit.code for c in g.selected] for g in outcome.groups}
    assert chosen == {"xa": [], "phuong": ["19774"], "co_quan_dn_csgd": ["CQ001"], "thi_tran": []}
    assert outcome.unmet_groups == ("xa",)
    assert outcome.problems == ()


def test_group_with_min_0_is_met_with_none_selected():
    thi_tran = next(g for g in hue_2024().groups if g.group.name == "thi_tran")
    assert thi_tran.met and thi_tran.selected == ()


def test_huế_2024_picks_leave_xa_group_unmet():
    outcome = hue_2024(picks=["19798", "CQ002"])
    assert outcome.problems == ()
    assert outcome.unmet_groups == ("xa",)
    doc = outcome.as_json(scope=None, status="confirmed")
    assert doc["year"] == 2024 and doc["basis_year"] == 2023
    assert doc["policy"] == "hue-593-2024" and doc["status"] == "confirmed"
    assert [
        (g["name"], g["min"], g["met"], [s["code"] for s in g["selected"]]) for g in doc["groups"]
    ] == [
        ("xa", 1, False, []),
        ("phuong", 1, True, ["19798"]),
        ("co_quan_dn_csgd", 1, True, ["CQ002"]),
        ("thi_tran", 0, True, []),
    ]
    assert doc["groups"][1]["selected"] == [
        {"code": "19798", "name": "Phường Phước Vĩnh", "kind": "phuong"}
    ]


def test_json_lists_eligible_with_rank_within_group_and_ineligible_with_reasons():
    doc = hue_2024().as_json(scope="46", status="dry_run")
    assert doc["scope"] == "46"
    assert [(e["code"], e["group"], e["rank"]) for e in doc["eligible"]] == [
        ("19774", "phuong", 1),
        ("19798", "phuong", 2),
        ("CQ001", "co_quan_dn_csgd", 1),
        ("CQ002", "co_quan_dn_csgd", 2),
    ]
    first = doc["eligible"][0]
    assert {k: first[k] for k in ("safety", "class", "score", "kind")} == {
        "safety": "dat",
        "class": "xuat_sac",
        "score": 91,
        "kind": "phuong",
    }
    # The residential area is of a kind no group selects: it is in neither list.
    assert {e["code"]: e["reasons"] for e in doc["ineligible"]} == {
        "19771": ["class_below_minimum"],
        "19810": ["no_result"],
        "19753": ["safety_not_met"],
        "CQ050": ["excluded_subtype"],
    }


def test_picks_must_be_eligible():
    outcome = hue_2024(picks=["19753", "CQ050"])
    assert [(p.code, p.kind, p.reasons) for p in outcome.problems] == [
        ("19753", "ineligible", ("safety_not_met",)),
        ("CQ050", "ineligible", ("excluded_subtype",)),
    ]
    # With an override the caller keeps them: they are still the picks, in their groups.
    chosen = {g.group.name: [c.unit.code for c in g.selected] for g in outcome.groups}
    assert chosen["phuong"] == ["19753"] and chosen["co_quan_dn_csgd"] == ["CQ050"]


def test_pick_of_unknown_code_or_outside_scope_is_a_problem():
    elsewhere = candidate(UnitFacts("19999", "Phường Khác", "phuong"), {2023: KHA}, POLICY, 2024)
    outcome = hue_2024(picks=["00000", "19999"], outside_scope={"19999": elsewhere})
    assert [(p.code, p.kind) for p in outcome.problems] == [
        ("00000", "unknown"),
        ("19999", "outside_scope"),
    ]
    phuong = next(g for g in outcome.groups if g.group.name == "phuong")
    assert [c.unit.code for c in phuong.selected] == ["19999"]


def test_pick_of_a_kind_no_group_selects_is_a_problem_and_kept_outside_groups():
    outcome = hue_2024(picks=["TDP01", "19798"])
    assert [(p.code, p.kind) for p in outcome.problems] == [("TDP01", "no_group")]
    assert [c.unit.code for c in outcome.outside_groups] == ["TDP01"]
    assert outcome.as_json(None, "proposed")["selected_outside_groups"][0]["code"] == "TDP01"


def test_picks_in_one_group_are_listed_by_rank_and_a_repeated_pick_counts_once():
    outcome = hue_2024(picks=["19798", "19774", "19798"])
    phuong = next(g for g in outcome.groups if g.group.name == "phuong")
    assert [c.unit.code for c in phuong.selected] == ["19774", "19798"]


def test_dac_khu_is_selectable_in_2026():
    special = UnitFacts("22000", "Đặc khu Côn Đảo", "dac_khu")
    outcome = select([candidate(special, {2025: KHA}, POLICY, 2026)], POLICY, 2026, picks=["22000"])
    assert outcome.problems == ()
    assert [g.group.name for g in outcome.groups if g.selected] == ["dac_khu"]


# Kinds, subtypes, classes and results as officials write them


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Xã", "xa"),
        ("PHƯỜNG", "phuong"),
        ("phuong", "phuong"),
        ("Thị trấn", "thi_tran"),
        ("thi tran", "thi_tran"),
        ("Đặc khu", "dac_khu"),
        ("dac khu", "dac_khu"),
        ("Cơ quan", "co_quan"),
        ("Doanh nghiệp", "doanh_nghiep"),
        ("Cơ sở giáo dục", "co_so_giao_duc"),
        ("Trường", "co_so_giao_duc"),
        ("truong", "co_so_giao_duc"),
        ("Tỉnh", "tinh"),
        ("Huyện", "huyen"),
        ("Quận", "huyen"),
        ("Thị xã", "huyen"),
        ("Khu dân cư", "khu_dan_cu"),
        ("Thôn", "khu_dan_cu"),
        ("Làng", "khu_dan_cu"),
        ("Bản", "khu_dan_cu"),
        ("Ấp", "khu_dan_cu"),
        ("ap", "khu_dan_cu"),
        ("Tổ dân phố", "khu_dan_cu"),
        ("Khu phố", "khu_dan_cu"),
        ("co_so_giao_duc", "co_so_giao_duc"),
        ("KHU_DAN_CU", "khu_dan_cu"),
        ("Phu\u031bo\u031b\u0300ng", "phuong"),
        ("  Thị   trấn ", "thi_tran"),
    ],
)
def test_kind_words_are_read_case_and_accent_insensitively(text, kind):
    assert parse_kind(text) == kind


def test_thanh_pho_alone_is_ambiguous_and_asks_for_tinh_or_huyen():
    for text in ("Thành phố", "thanh pho"):
        with pytest.raises(AmbiguousKind) as caught:
            parse_kind(text)
        assert caught.value.choices == ("tinh", "huyen")
        assert "tinh" in str(caught.value) and "huyen" in str(caught.value)


@pytest.mark.parametrize("text", ["Ban", "ban", "Bàn", "Quan", "Quân"])
def test_words_that_lose_their_meaning_without_accents_are_refused(text):
    with pytest.raises(UnknownValue):
        parse_kind(text)


def test_unknown_kind_says_what_to_write():
    with pytest.raises(UnknownValue, match="unknown kind 'Hợp tác xã'.*xa, phuong"):
        parse_kind("Hợp tác xã")


def test_subtypes_are_read_from_codes_and_labels():
    assert parse_subtype("Mầm non") == "mam_non"
    assert parse_subtype("luc luong vu trang") == "luc_luong_vu_trang"
    assert parse_subtype("Trường tiểu học") == "tieu_hoc"
    with pytest.raises(UnknownValue):
        parse_subtype("Doanh nghiệp vừa")


def test_classes_are_read_from_codes_labels_and_the_alias_of_the_classification():
    for text, klass in [
        ("Xuất sắc", "xuat_sac"),
        ("xuat sac", "xuat_sac"),
        ("Khá", "kha"),
        ("kha", "kha"),
        ("TRUNG BÌNH", "trung_binh"),
        ("Yếu", "yeu"),
        ("Tốt", "xuat_sac"),
        ("tot", "xuat_sac"),
    ]:
        assert parse_class(text, CLASSIFICATION) == klass
    with pytest.raises(UnknownValue):
        parse_class("Tốt")  # without a classification file there is no alias
    with pytest.raises(UnknownValue, match="unknown class 'good'"):
        parse_class("good", CLASSIFICATION)


def test_safety_results_are_read_from_codes_and_labels():
    assert [parse_safety(t) for t in ("Đạt", "dat", "Chưa đạt", "chua dat", "Không đạt")] == [
        "dat",
        "dat",
        "chua_dat",
        "chua_dat",
        "chua_dat",
    ]
    with pytest.raises(UnknownValue):
        parse_safety("Tốt")


@pytest.mark.parametrize(
    ("score", "klass"),
    [
        (100, "xuat_sac"),
        (90, "xuat_sac"),
        (89.9, "kha"),
        (70, "kha"),
        (50, "trung_binh"),
        (49.5, "yeu"),
        (0, "yeu"),
    ],
)
def test_class_follows_the_default_score_bands(score, klass):
    assert class_for_score(score, CLASSIFICATION) == klass


# Calendar


def test_quarters_and_the_selection_window():
    assert [quarter(date(2024, m, 1)) for m in (1, 3, 4, 6, 7, 10, 12)] == [1, 1, 2, 2, 3, 4, 4]
    assert in_selection_window(date(2024, 1, 17), 2024)
    assert not in_selection_window(date(2024, 4, 1), 2024)
    assert not in_selection_window(date(2023, 12, 20), 2024)
    assert selection_due(2024) == date(2024, 3, 31)


def test_assessments_of_a_year_look_at_the_units_active_on_15_november():
    assert assessment_active_on(2024) == date(2024, 11, 15)


def test_evaluation_windows_and_deadlines_follow_the_classification_file():
    assert evaluation_window("khu_dan_cu", 2024, CLASSIFICATION) == (
        date(2023, 11, 1),
        date(2024, 10, 31),
    )
    assert evaluation_window("phuong", 2024, CLASSIFICATION) == (
        date(2023, 11, 16),
        date(2024, 11, 15),
    )
    assert classification_deadline("khu_dan_cu", 2024, CLASSIFICATION) == date(2024, 11, 20)
    assert classification_deadline("co_quan", 2024, CLASSIFICATION) == date(2024, 11, 30)


def test_next_step_follows_the_yearly_cycle():
    today = date(2024, 1, 17)
    steps = [
        YearState(2024),
        YearState(2024, basis_results_recorded=11),
        YearState(2024, basis_results_recorded=11, selection="proposed"),
        YearState(2024, basis_results_recorded=11, selection="confirmed"),
        YearState(2024, 11, "confirmed", plan_rendered=True, year_results_missing=2),
        YearState(2024, 11, "confirmed", plan_rendered=True),
        YearState(2024, 11, "confirmed", plan_rendered=True, recognition_finalized=True),
    ]
    assert [next_step(today, s) for s in steps] == [
        NextStep("assess", date(2023, 11, 30), True),
        NextStep("select", date(2024, 3, 31), False),
        NextStep("select", date(2024, 3, 31), False),
        NextStep("render-plan", date(2024, 3, 31), False),
        NextStep("assess", date(2024, 11, 30), False),
        NextStep("recognize", date(2024, 12, 31), False),
        NextStep("done", None, False),
    ]
    assert next_step(date(2024, 4, 2), steps[1]).as_json() == {
        "step": "select",
        "due": "2024-03-31",
        "overdue": True,
    }


def test_from_q4_on_a_confirmed_selection_is_next_recognised_by_the_given_day():
    confirmed = YearState(2024, 11, "confirmed", plan_rendered=False, year_results_missing=2)
    assert next_step(date(2024, 9, 30), confirmed) == NextStep(
        "render-plan", date(2024, 3, 31), True)
    assert next_step(date(2024, 10, 1), confirmed) == NextStep(
        "recognize", date(2024, 12, 31), False)
    assert next_step(date(2024, 10, 1), confirmed, recognition_due=MonthDay(12, 20)) == \
        NextStep("recognize", date(2024, 12, 20), False)
    assert next_step(date(2025, 1, 5), confirmed) == NextStep(
        "recognize", date(2024, 12, 31), True)
    # Not before a confirmed selection, and not once recognised.
    assert next_step(date(2024, 10, 1), YearState(2024, 11, "proposed")).step == "select"
    done = YearState(2024, 11, "confirmed", plan_rendered=True, recognition_finalized=True)
    assert next_step(date(2024, 10, 1), done).step == "done"


# The commune rule of the ANTT standard, recognition, commendation

TOGETHER = ShareRule(
    0.7, 1.0, "together", ("khu_dan_cu", "co_quan", "doanh_nghiep", "co_so_giao_duc")
)


def test_commune_with_17_of_25_managed_units_met_fails_and_18_passes():
    managed = {"khu_dan_cu": 20, "co_quan": 5}
    assert not commune_rule_met(managed, managed, {"khu_dan_cu": 14, "co_quan": 3}, TOGETHER)
    assert commune_rule_met(managed, managed, {"khu_dan_cu": 15, "co_quan": 3}, TOGETHER)


def test_exactly_70_percent_meets_the_rule_and_an_unregistered_unit_fails_it():
    assert commune_rule_met({"co_quan": 10}, {"co_quan": 10}, {"co_quan": 7}, TOGETHER)
    assert not commune_rule_met({"co_quan": 10}, {"co_quan": 9}, {"co_quan": 9}, TOGETHER)


def test_per_kind_counting_needs_every_kind_to_reach_the_share():
    per_kind = dataclasses.replace(TOGETHER, counting="per_kind")
    managed = {"khu_dan_cu": 20, "co_quan": 5}
    met = {"khu_dan_cu": 20, "co_quan": 3}
    assert commune_rule_met(managed, managed, met, TOGETHER)
    assert not commune_rule_met(managed, managed, met, per_kind)


SET = ModelUnitSet(
    "set",
    "1",
    "Bộ tiêu chí",
    "complete",
    False,
    ("Q",),
    ("xa",),
    (Criterion("a", "A"), Criterion("b", "B"), Criterion("c", "C")),
)


def test_unit_meeting_every_criterion_is_recognized_and_one_unmet_is_not():
    assert evaluate(SET, {"a": True, "b": True, "c": True}).recognized
    outcome = evaluate(SET, {"a": True, "b": False, "c": True})
    assert (outcome.met, outcome.total, outcome.recognized) == (2, 3, False)


def test_unanswered_criteria_are_missing_and_at_least_n_sets_count_what_is_met():
    outcome = evaluate(dataclasses.replace(SET, at_least=2), {"a": True, "b": True})
    assert outcome.as_json() == {
        "criteria_set": "set",
        "met": 2,
        "total": 3,
        "missing": ["c"],
        "recognized": True,
    }


def test_recognised_units_are_proposed_a_form_by_kind():
    commendation = load_commendation()
    assert commendation.form_for("phuong").id == "bang_khen_chu_tich_tinh"
    assert commendation.form_for("co_so_giao_duc").id == "giay_khen_giam_doc_cong_an_tinh"


# Roster versions: how a roster row changes the unit version valid on its date

WARD = {"name": "Phường Thuận Lộc", "kind": "phuong", "parent_code": "474", "subtype": None,
        "active_from": "2021-07-01", "active_to": None}


def row(**changes) -> dict:
    """A roster row repeating the ward's identity and leaving the dates empty, changed."""
    return {**WARD, "active_from": None, "active_to": None, **changes}


def test_a_row_with_the_same_identity_and_nothing_new_changes_nothing():
    assert version_change(row(), None, WARD, "ghi chú", effective="2024-01-01").kind == UNCHANGED
    same_end = version_change(row(active_to="2025-06-30"), "ghi chú",
                              {**WARD, "active_to": "2025-06-30"}, "ghi chú",
                              effective="2024-01-01")
    assert same_end.kind == UNCHANGED


def test_a_row_with_the_same_identity_updates_the_end_or_note_in_place():
    ended = version_change(row(active_to="2025-06-30"), None, WARD, None, effective="2024-01-01")
    assert ended == (IN_PLACE, {**WARD, "active_to": "2025-06-30"}, None, None)
    noted = version_change(row(), "sáp nhập", WARD, None, effective="2024-01-01")
    assert noted == (IN_PLACE, WARD, "sáp nhập", None)


def test_a_new_identity_from_the_versions_own_start_is_a_correction():
    change = version_change(row(name="Phường Thuận Lợi", active_from="2021-07-01"), None,
                            WARD, "cũ", effective="2021-07-01")
    assert change == (CORRECTION, {**WARD, "name": "Phường Thuận Lợi"}, "cũ", None)


def test_a_new_identity_from_a_later_date_closes_the_version_and_opens_one():
    change = version_change(row(name="Phường Phú Xuân", parent_code="46"), None, WARD, None,
                            effective="2025-07-01")
    assert change == (SUCCESSION, {**WARD, "name": "Phường Phú Xuân", "parent_code": "46",
                                   "active_from": "2025-07-01"}, None, "2025-06-30")


def test_a_row_on_a_date_without_a_version_opens_one_up_to_the_next():
    change = version_change(row(), "cũ", None, None, effective="2019-01-01",
                            next_from="2021-07-01")
    assert change == (NEW_PERIOD, {**WARD, "active_from": "2019-01-01",
                                   "active_to": "2021-06-30"}, "cũ", None)
    ended = version_change(row(active_to="2019-12-31"), None, None, None,
                           effective="2019-01-01", next_from="2021-07-01")
    assert ended.version["active_to"] == "2019-12-31"


# Legal bases: which a document cites


def test_a_legal_basis_applies_to_its_documents_years_and_issuer():
    from movement_cli.core.model import LegalBasis

    law = LegalBasis("law", "Luật", ("recognition-decision",), issuer="people_committee")
    assert law.applies("recognition-decision", 2024, people_committee=True)
    assert not law.applies("recognition-decision", 2024, people_committee=False)
    assert not law.applies("city-plan", 2024, people_committee=True)
    amended = LegalBasis("tt", "Thông tư", from_year=2026)
    assert not amended.applies("city-plan", 2025, people_committee=False)
    assert amended.applies("city-plan", 2026, people_committee=False)
    old = LegalBasis("old", "Cũ", to_year=2025)
    assert old.applies("city-plan", 2025, people_committee=False)
    assert not old.applies("city-plan", 2026, people_committee=False)
