"""Vietnamese text, the ground every other package stands on (standard library only).

- `normalize`: the one normaliser every input passes through (NFC, odd spaces, whitespace).
- `strip_marks` and `fold`: the one diacritic fold; `match_key` finds a unit by name and
  `loose_key` ranks "did you mean" suggestions.
- `collation_key`: Vietnamese dictionary order (ICU's `vi` collation without ICU).
- `legacy_encoding`, `find_legacy`, `fix_legacy`: text typed in the TCVN3 or VNI fonts.
- `parse_date`: ISO or Vietnamese day-first dates.

Everything here is pure and memoised where it runs per name, because imports, lookups and
sorts call it for every row (up to a million names).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from movement_cli.text.clean import normalize
    from movement_cli.text.collation import collation_key
    from movement_cli.text.dates import parse_date
    from movement_cli.text.keys import fold, loose_key, match_key, strip_marks
    from movement_cli.text.legacy import find_legacy, fix_legacy, legacy_encoding

# Each name's module, imported when the name is first asked for: every command imports
# `text.clean`, and loading the legacy-font tables and the collation with it cost every
# command's start-up a few milliseconds for nothing.
_HOMES = {
    "normalize": "clean", "collation_key": "collation", "parse_date": "dates",
    "fold": "keys", "loose_key": "keys", "match_key": "keys", "strip_marks": "keys",
    "find_legacy": "legacy", "fix_legacy": "legacy", "legacy_encoding": "legacy",
}


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "collation_key",
    "find_legacy",
    "fix_legacy",
    "fold",
    "legacy_encoding",
    "loose_key",
    "match_key",
    "normalize",
    "parse_date",
    "strip_marks",
]
