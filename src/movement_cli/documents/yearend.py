"""The year-end documents' own context: the recognised units of the Quyết định's annex, the
proposals of the Tờ trình, and the note that names an illustrative criteria set.

``build_context`` (``documents.context``) lays out what every document shares; this module
adds what only the two year-end documents need, from the finalised outcomes as plain data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

YEAR_END_DOCS = ("recognition-decision", "commendation-proposal")


def illustrative_note(sets: Iterable[Mapping[str, Any]]) -> str:
    """The line every document judged by an illustrative set carries ("" when none was):
    such a set stands in for the Ministry's list in a demonstration and must never pass for
    it. ``sets`` are the criteria sets used, each with ``id``, ``title``, ``illustrative``."""
    shown = sorted({s["id"] for s in sets if s.get("illustrative")})
    if not shown:
        return ""
    return ("Tài liệu minh họa: các đơn vị được đánh giá theo bộ tiêu chí minh họa ("
            + ", ".join(shown) + "), không phải Bộ tiêu chí đơn vị điển hình của Bộ Công an; "
            "không dùng để ban hành")


def outcome_lists(outcomes: Iterable[Mapping[str, Any]], units: Mapping[str, Mapping[str, Any]]
                  ) -> tuple[list[dict], list[dict]]:
    """(recognised units, commendation proposals) from the finalised outcomes (each with
    ``code``, ``met``, ``total``, ``recognized``, ``proposal`` — the form's label), in the
    order of the selected ``units`` (code -> unit)."""
    order = {code: i for i, code in enumerate(units)}
    recognized, proposals = [], []
    for outcome in sorted(outcomes, key=lambda o: (order.get(o["code"], len(order)), o["code"])):
        unit = units.get(outcome["code"]) or {"code": outcome["code"], "name": outcome["code"],
                                              "kind": ""}
        if outcome["recognized"]:
            recognized.append({**unit, "met": outcome["met"], "total": outcome["total"]})
        if outcome.get("proposal"):
            proposals.append({**unit, "form": outcome["proposal"]})
    return recognized, proposals
