"""Floor of `movement status --year YEAR --json` (today TODAY): the same document from one SQL
query per part.

    python benchmarks/floors/status.py DATABASE YEAR TODAY > status.json

Units counted by kind with GROUP BY; the basis year's results counted and the missing codes
listed by SQLite (only those codes come into Python); the selection, documents and
recognitions read from their small tables; the next step from the project's own calendar rule
(a pure function, nothing per unit). The default policy's facts are written in, as a one-off
script would: basis year Y-1, the selectable kinds, selection in Q1.
"""

import json
import sqlite3
import sys
from datetime import date

from movement_cli.core.calendar import YearState, next_step

conn = sqlite3.connect(sys.argv[1])
year, today = int(sys.argv[2]), date.fromisoformat(sys.argv[3])
basis = year - 1
params = {"day": f"{year}-01-01", "basis": basis, "year": year}
ACTIVE = ("(v.active_from IS NULL OR v.active_from <= :day)"
          " AND (v.active_to IS NULL OR v.active_to >= :day)")
units = dict(conn.execute(
    f"SELECT kind, COUNT(*) FROM unit_versions v WHERE {ACTIVE} GROUP BY kind ORDER BY kind",
    params))
COVERAGE = (
    "SELECT v.code, EXISTS (SELECT 1 FROM results r WHERE r.code = v.code AND r.year = :basis"
    " AND r.safety IS NOT NULL AND r.class IS NOT NULL) AS recorded FROM unit_versions v"
    f" WHERE {ACTIVE} AND v.kind IN ('co_quan', 'co_so_giao_duc', 'dac_khu', 'doanh_nghiep',"
    " 'phuong', 'xa')")
recorded = conn.execute(f"SELECT SUM(recorded) FROM ({COVERAGE})", params).fetchone()[0] or 0
missing = [code for (code,) in conn.execute(
    f"SELECT code FROM ({COVERAGE}) WHERE NOT recorded ORDER BY code", params)]
stored = conn.execute("SELECT status, decision FROM selections WHERE year = :year AND scope = ''",
                      params).fetchone()
selection = None if stored is None else {
    "status": stored[0], "decision": stored[1],
    "selected": [code for (code,) in conn.execute(
        "SELECT code FROM selection_units WHERE year = :year AND scope = '' ORDER BY code",
        params)]}
documents = [{"doc": doc, "file": file, "rendered_at": at} for doc, file, at in conn.execute(
    "SELECT doc, file, rendered_at FROM documents WHERE year = :year AND scope = ''"
    " ORDER BY rendered_at, file", params)]
marks = conn.execute("SELECT code, recognized, finalized_at FROM recognitions"
                     " WHERE year = :year AND scope = '' ORDER BY code", params).fetchall()
recognitions = None if not marks else {
    "finalized": all(m[2] for m in marks), "recognized": [m[0] for m in marks if m[1]]}
missing_this_year = 0 if selection is None else conn.execute(
    "SELECT COUNT(*) FROM selection_units s WHERE s.year = :year AND s.scope = '' AND NOT"
    " EXISTS (SELECT 1 FROM results r WHERE r.code = s.code AND r.year = :year"
    " AND r.safety IS NOT NULL)", params).fetchone()[0]
state = YearState(year, recorded, stored[0] if stored else None,
                  any(d["doc"] == "city-plan" for d in documents), missing_this_year,
                  bool(recognitions and recognitions["finalized"]))
document = {"year": year, "scope": None, "units": units,
            "results": {"basis_year": basis, "recorded": recorded, "missing": missing},
            "selection": selection, "documents": documents, "recognitions": recognitions,
            "next": next_step(today, state).as_json()}
sys.stdout.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
