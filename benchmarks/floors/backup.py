"""Floor of `movement backup FILE`: SQLite's own online backup, and the integrity check the
tool's copy must pass before it is kept.

    python benchmarks/floors/backup.py DATABASE FILE

``sqlite3.Connection.backup`` in one step (one read transaction, as the tool does), then
``PRAGMA integrity_check`` on the copy: the tool reports "integrity": "ok" for every copy
it keeps, so a floor without the check would not produce the same result.
"""

import sqlite3
import sys

source = sqlite3.connect(sys.argv[1])
copy = sqlite3.connect(sys.argv[2])
source.backup(copy)
assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
copy.close()
