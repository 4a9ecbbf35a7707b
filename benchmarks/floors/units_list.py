"""Floor of `movement units list --as-of DAY --json`: the same list from one SQL query.

    python benchmarks/floors/units_list.py DATABASE DAY > units.json

SQLite orders the rows by the Vietnamese sort key (the project's own ``collation_key``,
the one rule the order needs and which has no faster implementation here), which measured
faster than sorting the fetched rows in Python; the rows are fetched at once and the list
is written compact with the C encoder in one call.
"""

import json
import sqlite3
import sys

try:
    from movement_cli.text import collation_key
except ImportError:  # before the text package was split out of ingest
    from movement_cli.ingest.text import collation_key

FIELDS = ("code", "name", "kind", "parent_code", "subtype", "active_from", "active_to")

conn = sqlite3.connect(sys.argv[1])
conn.create_function("vi_order", 1, lambda name: collation_key(name)[0].encode(),
                     deterministic=True)
rows = conn.execute(
    "SELECT code, name, kind, parent_code, subtype, active_from, active_to FROM unit_versions"
    " WHERE (active_from IS NULL OR active_from <= :day)"
    " AND (active_to IS NULL OR active_to >= :day)"
    " ORDER BY vi_order(name), code", {"day": sys.argv[2]}).fetchall()
listed = [dict(zip(FIELDS, row, strict=True)) for row in rows]
sys.stdout.write(json.dumps(listed, ensure_ascii=False, separators=(",", ":")) + "\n")
