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

from movement_cli.text.clean import normalize
from movement_cli.text.collation import collation_key
from movement_cli.text.dates import parse_date
from movement_cli.text.keys import fold, loose_key, match_key, strip_marks
from movement_cli.text.legacy import find_legacy, fix_legacy, legacy_encoding

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
