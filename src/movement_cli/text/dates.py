"""The one date parser for what people write: ISO or Vietnamese day-first."""

from __future__ import annotations

import re
from datetime import date

# Vietnamese writes the day first; spreadsheets and Word give "/" but "." and "-" occur too.
_VN_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def parse_date(text: str) -> date:
    """ISO (``2025-07-01``, a spreadsheet's ``2025-07-01 00:00:00``, and the other ISO 8601
    calendar forms such as ``20250701``) or Vietnamese day-first (``01/07/2025``,
    ``1.7.2025``, ``1-7-2025``); anything else is a ValueError that says what to write.

    Imports call it for every distinct date of a roster, so the usual ISO form is tried
    first and the regular expression only when that fails. The caller normalises the text
    (surrounding spaces are not a date).
    """
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        if len(text) == 19 and text[4] == "-" and text[10] in " T":  # spreadsheet datetimes
            return date.fromisoformat(text[:10])
        match = _VN_DATE.fullmatch(text)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return date(year, month, day)
        if text[:4].isdigit():  # ISO's basic and week forms ("20250701", "2025-W27-2")
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValueError(f"'{text}' is not a date: write 2025-07-01 or 01/07/2025")
