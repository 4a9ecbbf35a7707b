"""Floor of `movement export units --format csv --as-of DAY --out FILE`: the same columns
from one SQL query through `csv.writer`.

    python benchmarks/floors/export_units.py DATABASE DAY FILE

The rows are handed from the cursor to ``csv.writer.writerows`` (a C loop), UTF-8 with a
BOM as the tool writes. It does no formula guard: on data with no formula-looking cell the
output is the same bytes, and a floor that skips the check the tool must make keeps the
tool honest about what the check costs.
"""

import csv
import sqlite3
import sys

conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(
    "SELECT code, name, kind, parent_code, subtype, active_from, active_to, note"
    " FROM unit_versions WHERE (active_from IS NULL OR active_from <= :day)"
    " AND (active_to IS NULL OR active_to >= :day) ORDER BY code", {"day": sys.argv[2]})
with open(sys.argv[3], "w", encoding="utf-8-sig", newline="") as handle:
    writer = csv.writer(handle)
    writer.writerow(["code", "name", "kind", "parent_code", "subtype", "active_from",
                     "active_to", "note"])
    writer.writerows(rows)
