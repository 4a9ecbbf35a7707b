""""Today": the system date, or MOVEMENT_TODAY (ISO) for tests and cron rehearsals."""

from __future__ import annotations

import os
from datetime import date

from movement_cli.errors import MovementError
from movement_cli.i18n import N_
from movement_cli.text import parse_date


def today() -> date:
    value = os.environ.get("MOVEMENT_TODAY", "").strip()
    if not value:
        return date.today()
    try:
        return parse_date(value)
    except ValueError:
        raise MovementError(
            N_("MOVEMENT_TODAY={value!r} is not an ISO date (write 2024-01-17)", value=value)
        ) from None
