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


# How a roster row changes the unit version valid on the row's date (see ``version_change``).
UNCHANGED = "unchanged"  # nothing to write
IN_PLACE = "in_place"  # same name, kind, parent, subtype: the version's end or note changes
CORRECTION = "correction"  # different identity from the same start date: the version is fixed
SUCCESSION = "succession"  # different identity from a later date: close it, open a new one
NEW_PERIOD = "new_period"  # no version on that date: a new one, up to the next version
# What a new version would be, the unit's next version already is: that one starts earlier
# instead (two consecutive versions alike would say the unit changed when it did not).
EARLIER_START = "earlier_start"


class VersionChange(NamedTuple):
    """What to write for one roster row. ``version`` holds ``VERSION_FIELDS`` of the
    version as it will stand (None when unchanged), ``note`` its note; for a succession,
    ``closes_on`` is the last day of the version the row replaces."""
    kind: str
    version: dict | None = None
    note: str | None = None
    closes_on: str | None = None


def version_change(row: dict, note: str | None, current: dict | None, current_note: str | None,
                   *, effective: str, next_from: str | None = None,
                   following: dict | None = None, following_note: str | None = None
                   ) -> VersionChange:
    """The roster versioning rule for one row of a known code.

    ``row`` holds the row's ``VERSION_FIELDS`` (None for an empty cell), ``effective`` the
    date it describes (its ``active_from``, else the roster's date); ``current`` the fields
    of the unit's version valid on that date, or None when none is, ``next_from`` then the
    start of the unit's next version, if any. An empty end date or note keeps the stored one.

    - Same name, kind, parent and subtype: the version is updated in place (its end, its
      note), or nothing changes.
    - Otherwise, when the version starts on ``effective``: a correction of that version.
    - Otherwise the version is closed the day before ``effective`` and a new one opens.
    - No version on that date (a reused code, an older roster after a newer one): a new
      version from ``effective``, ending the day before the next one unless the row ends it.
    - Where that new version would have the name, kind, parent and subtype of the unit's
      next version (``following``, its ``VERSION_FIELDS``) and run up to it, the next version
      starts on ``effective`` instead (re-importing a roster with an earlier date).
    """
    if following is not None and _would_be_twin(row, current, effective, following):
        return VersionChange(
            EARLIER_START, {**following, "active_from": effective},
            note if note is not None else following_note,
            closes_on=None if current is None else day_before(effective))
    if current is None:
        opened = {**row, "active_from": effective}
        if opened["active_to"] is None and next_from is not None:
            opened["active_to"] = day_before(next_from)
        return VersionChange(NEW_PERIOD, opened, note)
    new_to = row["active_to"] if row["active_to"] is not None else current["active_to"]
    new_note = note if note is not None else current_note
    if all(row[field] == current[field] for field in IDENTITY_FIELDS):
        if new_to == current["active_to"] and new_note == current_note:
            return VersionChange(UNCHANGED)
        return VersionChange(IN_PLACE, {**current, "active_to": new_to}, new_note)
    if current["active_from"] == effective:
        return VersionChange(CORRECTION, {**row, "active_from": current["active_from"],
                                          "active_to": new_to}, new_note)
    return VersionChange(SUCCESSION, {**row, "active_from": effective, "active_to": new_to},
                         new_note, closes_on=day_before(effective))


def _would_be_twin(row: dict, current: dict | None, effective: str, following: dict) -> bool:
    """Whether the row would open a version like ``following`` running up to it: not where
    it only restates or corrects ``current`` (a version with its identity, or starting on
    ``effective``)."""
    if any(row[f] != following[f] for f in IDENTITY_FIELDS):
        return False
    if row["active_to"] is not None and row["active_to"] < day_before(following["active_from"]):
        return False
    return current is None or (current["active_from"] != effective
                               and any(row[f] != current[f] for f in IDENTITY_FIELDS))
