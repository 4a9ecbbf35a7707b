"""The one normaliser every input passes through, and the per-word memo the name keys share."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

# Zero-width characters that arrive from the web and Word: ZWSP, ZWNJ, ZWJ, LRM, RLM,
# word joiner, BOM used as ZWNBSP. The soft hyphen (U+00AD) stays: it is how TCVN3 "ư"
# shows in a Unicode font, and legacy_encoding() needs it to recognise such text.
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
# Non-breaking and other fixed-width spaces become ordinary spaces.
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u202f\u3000"), " ")
_CLEAN = {**_ZERO_WIDTH, **_SPACES}
_NEEDS_WORK = re.compile(r"[^\x20-\x7e]|\s\s|^\s|\s$|[\t\r\n\f\v]")
_NEEDS_CLEAN = re.compile("[" + "".join(map(chr, _CLEAN)) + "]")

# What no stored text, argument or hand-written file may hold: C0 controls but tab, line
# feed and carriage return; DEL and the C1 controls; lone surrogates (bytes that were not
# UTF-8, as Python hands them over).
UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def normalize(value: str) -> str:
    """NFC, zero-width characters removed, NBSP to space, whitespace stripped and collapsed.

    Pure-ASCII values without odd whitespace (most codes, dates, numbers) skip the work;
    the translate and NFC steps run only when a fast check says they would change something
    (names arrive by the million and nearly all are already clean).
    """
    if not _NEEDS_WORK.search(value):
        return value
    if _NEEDS_CLEAN.search(value):
        value = value.translate(_CLEAN)
    if not unicodedata.is_normalized("NFC", value):
        value = unicodedata.normalize("NFC", value)
    return " ".join(value.split())


# Per-word memo tables: a roster of a million names has only some thousands of distinct
# words, so each word is worked out once. Cleared when they grow past the limit.
_CACHE_LIMIT = 1 << 17
_T = TypeVar("_T")


def per_word(cache: dict[str, _T], compute: Callable[[str], _T], words: list[str]) -> list[_T]:
    """`compute` of each word, memoised in `cache`."""
    try:
        return [cache[w] for w in words]
    except KeyError:
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        for w in words:
            if w not in cache:
                cache[w] = compute(w)
        return [cache[w] for w in words]


