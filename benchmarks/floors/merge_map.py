"""Floor of `movement units merge-map MAP --date DAY`: the same links and end dates by one
insert and one update.

    python benchmarks/floors/merge_map.py MAP.csv DATABASE DAY DAY_BEFORE

The map read with ``csv.reader`` and inserted into ``unit_links`` with one ``executemany``,
then one ``INSERT ... SELECT`` writing the audit row the contract asks for each version it
ends (old and new version as JSON, built by SQLite) and one ``UPDATE`` ending, on the day
before, the version running past it of every old code that no row keeps under its own code;
one transaction. It checks no code (the tool checks every code against both sides of the
date): the least any tool must do to leave the same links, end dates and audit rows.
"""

import csv
import sqlite3
import sys

conn = sqlite3.connect(sys.argv[2], isolation_level=None)
day, before = sys.argv[3], sys.argv[4]
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany("INSERT INTO unit_links (old_code, new_code, date, note) "
                     "VALUES (?, ?, ?, NULLIF(?, ''))", ((o, n, day, note) for o, n, note in rows))
ENDING = ("code IN (SELECT old_code FROM unit_links WHERE date = :day EXCEPT"
          " SELECT old_code FROM unit_links WHERE date = :day AND old_code = new_code)"
          " AND (active_from IS NULL OR active_from <= :before)"
          " AND (active_to IS NULL OR active_to > :before)")
FIELDS = ("active_from", "active_to", "kind", "name", "parent_code", "subtype")


def version_json(active_to: str) -> str:
    return "json_object(" + ", ".join(
        f"'{f}', {active_to if f == 'active_to' else f}" for f in FIELDS) + ")"


conn.execute(
    "INSERT INTO audit (at, actor, command, action, entity, entity_key, old, new)"
    " SELECT strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'), 'floor', 'units merge-map',"
    f" 'version', 'unit', code, {version_json('active_to')}, {version_json(':before')}"
    f" FROM unit_versions WHERE {ENDING}", {"day": day, "before": before})
conn.execute(f"UPDATE unit_versions SET active_to = :before WHERE {ENDING}",
             {"day": day, "before": before})
conn.execute("COMMIT")
