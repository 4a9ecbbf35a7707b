"""`movement select` and `movement status` on the Huế 2024 case, through the CLI."""

from __future__ import annotations

import sqlite3

import pytest

RESULTS_2023 = """code,year,safety,class,score
19798,2023,dat,xuat_sac,95
CQ002,2023,dat,xuat_sac,92
19906,2023,dat,kha,78
19909,2023,dat,trung_binh,60
19924,2023,chua_dat,kha,75
CQ019,2023,dat,xuat_sac,99
CQ020,2023,dat,xuat_sac,98
19750,2023,dat,kha,80
"""


@pytest.fixture
def hue_results(cli, hue_2024, tmp_path):
    results = tmp_path / "results-2023.csv"
    results.write_text(RESULTS_2023, encoding="utf-8")
    cli("assess", "import", results)
    return hue_2024


def _selected(document):
    return {g["name"]: [u["code"] for u in g["selected"]] for g in document["groups"]}


def _stored(db):
    conn = sqlite3.connect(db)
    return (conn.execute("SELECT year, scope, status, decision, policy_id, policy_sha256 "
                         "FROM selections ORDER BY year, scope").fetchall(),
            conn.execute("SELECT * FROM selection_units ORDER BY code").fetchall())


def test_proposal_takes_the_best_ranked_unit_of_each_group(cli, hue_results):
    document = cli.json("select", "--year", "2024", code=None)
    assert _selected(document) == {"xa": ["19906"], "phuong": ["19798"],
                                   "co_quan_dn_csgd": ["CQ002"], "thi_tran": []}
    assert document["status"] == "proposed" and document["basis_year"] == 2023
    assert document["policy"] == "hue-593-2024" and document["scope"] is None
    ranks = {u["code"]: (u["group"], u["rank"]) for u in document["eligible"]}
    assert ranks["19798"] == ("phuong", 1) and ranks["19750"] == ("phuong", 2)


def test_hue_2024_picks_leave_the_xa_group_unmet_and_exit_3(cli, hue_results, db):
    result = cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--json",
                 code=3)
    import json

    document = json.loads(result.stdout)
    assert _selected(document) == {"xa": [], "phuong": ["19798"], "co_quan_dn_csgd": ["CQ002"],
                                   "thi_tran": []}
    assert [g["met"] for g in document["groups"]] == [False, True, True, True]
    assert "xa" in result.stderr
    _, units = _stored(db)
    assert [u[2] for u in units] == ["19798", "CQ002"]


def test_reasons_for_ineligible_units(cli, hue_results):
    document = cli.json("select", "--year", "2024", "--dry-run", code=None)
    reasons = {u["code"]: u["reasons"] for u in document["ineligible"]}
    assert reasons["CQ019"] == ["excluded_subtype"]  # Công an thành phố Huế
    assert reasons["CQ020"] == ["excluded_subtype"]  # Ban Chỉ huy Quân sự
    assert reasons["19909"] == ["class_below_minimum"]
    assert reasons["19924"] == ["safety_not_met"]
    assert reasons["19981"] == ["no_result"]
    assert "19798" not in reasons
    assert not any(u["code"] in ("46", "474") for u in document["ineligible"])


def test_ties_go_to_more_consecutive_years_then_lower_code(cli, hue_2024, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text(
        "code,year,safety,class,score\n"
        "19909,2021,dat,kha,70\n19909,2022,dat,kha,70\n19909,2023,dat,kha,80\n"
        "19906,2022,dat,kha,70\n19906,2023,dat,kha,80\n"
        "19924,2022,dat,kha,70\n19924,2023,dat,kha,80\n"
        "19981,2023,dat,kha,80\n", encoding="utf-8")
    cli("assess", "import", results)
    document = cli.json("select", "--year", "2024", "--dry-run", code=None)
    xa = [u["code"] for u in document["eligible"] if u["group"] == "xa"]
    assert xa == ["19909", "19906", "19924", "19981"]


def test_ineligible_pick_is_refused_and_nothing_is_stored(cli, hue_results, db):
    result = cli("select", "--year", "2024", "--pick", "19909", code=1)
    assert "19909" in result.stderr and "--override" in result.stderr
    assert _stored(db) == ([], [])


def test_override_stores_the_pick_with_its_reason_in_the_audit(cli, hue_results, db):
    cli("select", "--year", "2024", "--pick", "19909", "--pick", "19798", "--pick", "CQ002",
        "--override", "Chỉ đạo của Ban Chỉ đạo thành phố")
    _, units = _stored(db)
    assert {u[2]: u[4] for u in units} == {
        "19909": "Chỉ đạo của Ban Chỉ đạo thành phố", "19798": None, "CQ002": None}
    audit = sqlite3.connect(db).execute(
        "SELECT new FROM audit WHERE action = 'selection'").fetchall()
    assert "Chỉ đạo của Ban Chỉ đạo thành phố" in audit[-1][0]


def test_running_select_twice_leaves_the_same_state(cli, hue_results, db):
    cli("select", "--year", "2024", code=None)
    first = _stored(db)
    audits = sqlite3.connect(db).execute("SELECT COUNT(*) FROM audit").fetchone()
    cli("select", "--year", "2024", code=None)
    assert _stored(db) == first
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM audit").fetchone() == audits


def test_dry_run_stores_nothing(cli, hue_results, db):
    document = cli.json("select", "--year", "2024", "--dry-run", code=None)
    assert document["status"] == "dry_run"
    assert _stored(db) == ([], [])


def test_confirm_alone_confirms_the_stored_proposal(cli, hue_results, db):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", code=3)
    document = cli.json("select", "--year", "2024", "--confirm", "--decision", "593/KH-UBND",
                        code=3)
    assert document["status"] == "confirmed"
    assert _selected(document)["phuong"] == ["19798"]
    rows, units = _stored(db)
    assert rows[0][2:4] == ("confirmed", "593/KH-UBND")
    assert [u[2] for u in units] == ["19798", "CQ002"]


def test_confirmed_selection_changes_only_with_replace_and_reason(cli, hue_results, db):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm", code=3)
    confirmed = _stored(db)
    result = cli("select", "--year", "2024", code=1)  # the proposal would differ
    assert "--replace" in result.stderr
    assert _stored(db) == confirmed
    # confirming the identical selection again is not an error
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm", code=3)
    assert _stored(db) == confirmed
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--pick", "19906",
        "--confirm", "--replace", code=2)
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--pick", "19906",
        "--confirm", "--replace", "--reason", "Bổ sung xã Phú Dương")
    _, units = _stored(db)
    assert [u[2] for u in units] == ["19798", "19906", "CQ002"]


def test_select_outside_q1_warns_but_keeps_the_exit_code(cli, hue_results, monkeypatch):
    monkeypatch.setenv("MOVEMENT_TODAY", "2024-06-01")
    result = cli("select", "--year", "2024", "--dry-run", code=0)
    assert "Q1" in result.stderr


def test_status_reports_the_year(cli, hue_results):
    cli("select", "--year", "2024", "--pick", "19798", "--pick", "CQ002", "--confirm",
        "--decision", "593/KH-UBND", code=3)
    status = cli.json("status", "--year", "2024")
    assert status["selection"] == {"status": "confirmed", "decision": "593/KH-UBND",
                                   "selected": ["19798", "CQ002"]}
    assert status["results"]["basis_year"] == 2023 and status["results"]["recorded"] == 8
    assert "19981" in status["results"]["missing"]
    assert status["units"]["phuong"] == 29
    assert status["next"]["step"] == "render-plan"


TWO_CITIES = """code,name,kind,parent_code,subtype
01,Thành phố Alpha,tinh,,
02,Thành phố Beta,tinh,,
00101,Xã Một,xa,01,
00102,Phường Hai,phuong,01,
A1,Trường Trung học phổ thông Alpha,co_so_giao_duc,00102,
00201,Xã Ba,xa,02,
00202,Phường Bốn,phuong,02,
B1,Hội Nông dân Beta,co_quan,02,
"""


def test_scopes_keep_each_citys_selection_to_its_own_units(cli, db, tmp_path):
    roster = tmp_path / "cities.csv"
    roster.write_text(TWO_CITIES, encoding="utf-8")
    cli("units", "import", roster)
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n" + "".join(
        f"{code},2023,dat,kha,80\n" for code in ("00101", "00102", "A1", "00201", "00202", "B1")),
        encoding="utf-8")
    cli("assess", "import", results)
    alpha = cli.json("select", "--year", "2024", "--scope", "01", "--confirm")
    assert _selected(alpha) == {"xa": ["00101"], "phuong": ["00102"], "co_quan_dn_csgd": ["A1"],
                                "thi_tran": []}
    assert {u["code"] for u in alpha["eligible"]} == {"00101", "00102", "A1"}
    beta = cli.json("select", "--year", "2024", "--scope", "02")
    assert _selected(beta)["co_quan_dn_csgd"] == ["B1"]
    cli("select", "--year", "2024", "--scope", "02", "--pick", "B1", "--pick", "00201",
        "--pick", "00202", "--confirm")
    assert cli.json("status", "--year", "2024", "--scope", "01")["selection"]["selected"] == [
        "00101", "00102", "A1"]
    result = cli("select", "--year", "2024", "--scope", "02", "--pick", "A1", code=1)
    assert "outside the scope" in result.stderr


# The consecutive-safe-years count: the store counts it for every unit in one query, the
# rules take the count; both follow core.eligibility.consecutive_safety_years.
_HISTORIES = {  # code -> {year: safety}, counted before the basis year 2023
    "A": {2022: "dat", 2021: "dat", 2020: "dat"},
    "B": {2022: "dat", 2021: "chua_dat", 2020: "dat"},
    "C": {2021: "dat", 2020: "dat"},  # 2022 missing: the run is broken at once
    "D": {2023: "dat", 2022: "chua_dat"},  # the basis year itself does not count
    "E": {2022: "dat", 2021: None, 2020: "dat"},  # a result without its ANTT value
    "F": {2024: "dat", 2022: "dat", 2019: "dat"},
    "G": {},
}


def test_the_stores_count_of_safe_years_follows_the_rule(db):
    from pathlib import Path

    from movement_cli.core.eligibility import Result, consecutive_safety_years
    from movement_cli.store.db import Database
    from movement_cli.store.selections import consecutive_safety_years as counted

    database = Database.open(Path(db), actor="test", command="test")
    try:
        with database.write(commit=False) as conn:
            conn.executemany("INSERT INTO results (code, year, safety, class) VALUES (?, ?, ?, ?)",
                             [(code, year, safety, "kha") for code, years in _HISTORIES.items()
                              for year, safety in years.items()])
            stored = counted(conn, 2023)
    finally:
        database.close()
    expected = {code: consecutive_safety_years(
        {year: Result(safety, "kha") for year, safety in years.items()}, 2023)
        for code, years in _HISTORIES.items()}
    assert expected == {"A": 3, "B": 1, "C": 0, "D": 0, "E": 1, "F": 1, "G": 0}
    assert {code: stored.get(code, 0) for code in _HISTORIES} == expected


def test_eligibility_takes_the_count_of_safe_years_as_given(cli, hue_results, db):
    # The years before the basis year reach the rules only as the store's count.
    conn = sqlite3.connect(db)
    conn.executemany("INSERT INTO results (code, year, safety, class) "
                     "VALUES (?, ?, 'dat', 'kha')",
                     [("19798", 2022), ("19798", 2021), ("CQ002", 2022), ("19906", 2021)])
    conn.commit()
    conn.close()
    document = cli.json("select", "--year", "2024", "--dry-run")
    years = {u["code"]: u["consecutive_safety_years"] for u in document["eligible"]}
    assert (years["19798"], years["CQ002"], years["19906"]) == (2, 1, 0)


@pytest.mark.parametrize("keys", [("class", "score", "consecutive_safety_years"),
                                  ("score", "consecutive_safety_years", "class"),
                                  ("consecutive_safety_years", "code", "score"),
                                  ()])
def test_sql_ranking_of_staged_units_is_the_rules_ranking(keys):
    """A national selection ranks in SQLite by the facts of core.selection.ranking: for
    every order of the ranking keys it must agree with rank_key, ties and missing scores
    included."""
    import dataclasses
    import itertools

    from movement_cli.core.eligibility import Result, UnitFacts
    from movement_cli.core.selection import candidate, class_rank, rank, ranking
    from movement_cli.criteria import load_policy
    from movement_cli.store import selections as store

    policy = dataclasses.replace(load_policy(), ranking=keys)
    facts = itertools.product(("xuat_sac", "kha"), (None, 70.0, 70.5, 95.0), (0, 1, 2),
                              ("19798", "19750", "CQ002"))
    units = [(f"{code}-{i}", klass, score, years)
             for i, (klass, score, years, code) in enumerate(facts)]
    candidates = [candidate(UnitFacts(code, code, "phuong"), {2023: Result("dat", klass, score)},
                            policy, 2024, safe_years=years)
                  for code, klass, score, years in units]
    conn = sqlite3.connect(":memory:")
    store.stage_decisions(conn, [(code, code, "phuong", 1, None, "dat", klass, score, years,
                                  class_rank(policy, klass))
                                 for code, klass, score, years in units])
    in_sql = [row[0] for row in store.ranked_decisions(conn, ranking(policy))]
    assert in_sql == [c.unit.code for c in rank(candidates, policy)["phuong"]]
