"""Vietnamese text handling: the one normaliser every input passes through."""

from __future__ import annotations

import re
import unicodedata

# Zero-width characters that arrive from the web and Word: ZWSP, ZWNJ, ZWJ, LRM, RLM,
# word joiner, BOM used as ZWNBSP, soft hyphen.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad"))
# Non-breaking and other fixed-width spaces become ordinary spaces.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_CLEAN = {**_ZERO_WIDTH, **_SPACES}
_NEEDS_WORK = re.compile(r"[^\x20-\x7e]|\s\s|^\s|\s$|[\t\r\n\f\v]")


def normalize(value: str) -> str:
    """NFC, zero-width characters removed, NBSP to space, whitespace stripped and collapsed.

    Pure-ASCII values without odd whitespace (most codes, dates, numbers) skip the work.
    """
    if not _NEEDS_WORK.search(value):
        return value
    value = unicodedata.normalize("NFC", value.translate(_CLEAN))
    return " ".join(value.split())
