"""Floor of `movement assess list --year YEAR --json`: the same list from one SQL query.

    python benchmarks/floors/assess_list.py DATABASE YEAR > results.json

Each result with its unit's name and kind as of 15 November of the year, ordered by SQLite
by the Vietnamese sort key (as the units list floor), fetched at once and written compact
with the C encoder in one call. A whole-number score is written as an integer, as the
command does.
"""

import json
import sqlite3
import sys

try:
    from movement_cli.text import collation_key
except ImportError:  # before the text package was split out of ingest
    from movement_cli.ingest.text import collation_key

FIELDS = ("code", "name", "kind", "year", "safety", "class", "score", "decision")

conn = sqlite3.connect(sys.argv[1])
conn.create_function("vi_order", 1, lambda name: collation_key(name or "")[0].encode(),
                     deterministic=True)
year = int(sys.argv[2])
rows = conn.execute(
    "SELECT r.code, v.name, v.kind, r.year, r.safety, r.class,"
    " CASE WHEN r.score = CAST(r.score AS INTEGER) THEN CAST(r.score AS INTEGER)"
    " ELSE r.score END, r.decision"
    " FROM results r LEFT JOIN unit_versions v ON v.code = r.code"
    " AND (v.active_from IS NULL OR v.active_from <= :day)"
    " AND (v.active_to IS NULL OR v.active_to >= :day)"
    " WHERE r.year = :year ORDER BY vi_order(v.name), r.code",
    {"year": year, "day": f"{year}-11-15"}).fetchall()
listed = [dict(zip(FIELDS, row, strict=True)) for row in rows]
sys.stdout.write(json.dumps(listed, ensure_ascii=False, separators=(",", ":")) + "\n")
