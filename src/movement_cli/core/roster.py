"""The roster's rules: what a row of a roster is, and how it changes a unit's dated versions.

Plain data and pure functions: the store applies them (set-based where it can), ingest
checks rows into this shape.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

# The fields of a unit version, and those that make a new version: a change of any of
# these is a new period of the unit.
VERSION_FIELDS = ("name", "kind", "parent_code", "subtype", "active_from", "active_to")
IDENTITY_FIELDS = ("name", "kind", "parent_code", "subtype")

# The fields of a roster row, in the order of a unit tuple. A batch of rows comes with its
# layout: where each field is in a row (-1: not in the file), so that rows read from a file
# whose columns are all roster fields go to SQLite as they are, without being rebuilt.
ROSTER_FIELDS = ("code", "name", "kind", "parent_code", "subtype", "active_from", "active_to",
                 "note")
UNIT_TUPLE = tuple(range(len(ROSTER_FIELDS)))


class EndConflict(NamedTuple):
    """A roster row's end date that cannot be applied: the date as the row gives it, and the
    start of the unit's version it would run into, or None when it falls before the row's
    own date (the roster's date, for a row without active_from)."""
    end: str
    next_from: str | None


def day_before(iso: str) -> str:
    return (date.fromisoformat(iso) - timedelta(days=1)).isoformat()
