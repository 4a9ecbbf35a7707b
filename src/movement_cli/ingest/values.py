"""Parsing of cell values shared by every importer: dates, years, numbers."""

from __future__ import annotations

import re
from datetime import date

_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_date(text: str) -> date:
    """ISO (``2025-07-01``) or Vietnamese day-first (``01/07/2025``, ``1.7.2025``) dates."""
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        if len(text) == 19 and text[4] == "-" and text[10] in " T":  # spreadsheet datetimes
            return date.fromisoformat(text[:10])
        match = _VN_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date: write 2025-07-01 or 01/07/2025")
