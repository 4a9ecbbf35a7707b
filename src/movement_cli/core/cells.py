"""Spreadsheet cells that look like formulas.

A text cell that begins with one of ``FORMULA_STARTS`` is run as a formula by spreadsheet
programs (``=HYPERLINK(...)``, ``@SUM(...)``, ``-1+1``). Exports write such a cell behind one
apostrophe, which spreadsheet programs treat as "this is text"; importers remove exactly that
one apostrophe again, so an exported file read back holds the same text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def looks_like_formula(text: str) -> bool:
    return text[:1] in FORMULA_STARTS and text != ""


def guard(text: str) -> str:
    """``text`` as a CSV cell that spreadsheet programs show as text."""
    return GUARD + text if text[:1] in FORMULA_STARTS and text else text


def unguard(text: str) -> str:
    """The text an exported cell held: one leading apostrophe before a formula start
    removed, anything else untouched."""
    if text[:1] == GUARD and text[1:2] in FORMULA_STARTS and len(text) > 1:
        return text[1:]
    return text
