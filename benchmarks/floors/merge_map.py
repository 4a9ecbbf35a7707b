"""Floor of `movement units merge-map MAP --date DAY`: the same links and end dates by one
insert and one update.

    python benchmarks/floors/merge_map.py MAP.csv DATABASE DAY DAY_BEFORE

The map read with ``csv.reader`` and inserted into ``unit_links`` with one ``executemany``,
then one ``UPDATE`` ending, on the day before, the version running past it of every old code
that no row keeps under its own code; one transaction. It checks no code and writes no audit
row (the tool checks every code against both sides of the date and audits each version it
closes): the least any tool must do to record the same links and end the same units.
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
conn.execute(
    "UPDATE unit_versions SET active_to = :before WHERE code IN ("
    " SELECT old_code FROM unit_links WHERE date = :day EXCEPT"
    " SELECT old_code FROM unit_links WHERE date = :day AND old_code = new_code)"
    " AND (active_from IS NULL OR active_from <= :before)"
    " AND (active_to IS NULL OR active_to > :before)", {"day": day, "before": before})
conn.execute("COMMIT")
