"""The locality's own folders (config ``criteria_dir``, ``templates_dir``) for a scope, and
its units as the roster holds them on a day."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from movement_cli.errors import MovementError
from movement_cli.i18n import N_

if TYPE_CHECKING:
    from movement_cli.store.db import Database


def _folder(config: dict, key: str) -> list[Path]:
    value = config.get(key)
    if not value:
        return []
    path = Path(value)
    if not path.is_dir():
        raise MovementError(N_("config {key} = {value} is not a folder; fix it with: movement "
                               "config set {key} PATH", key=key, value=value))
    return [path]


def criteria_dirs(db: Database, scope: str | None) -> list[Path]:
    from movement_cli.store import config

    return _folder(config.get_all(db, scope), "criteria_dir")


def template_dirs(db: Database, scope: str | None) -> list[Path]:
    """Where templates are looked up: the locality's folder first, then the bundled one."""
    from movement_cli.documents.render import template_dirs as search_path
    from movement_cli.store import config

    local = _folder(config.get_all(db, scope), "templates_dir")
    return search_path(local[0] if local else None)


def check_scope(db: Database, scope: str | None, day: str) -> str | None:
    """The normalised scope code, which must name a unit active on ``day``."""
    from movement_cli.store import units
    from movement_cli.text import normalize

    if scope is None:
        return None
    scope = normalize(scope)
    if units.unit_on(db.conn, scope, day) is None:
        raise MovementError(N_("--scope: no unit with code '{scope}' is active on {day}",
                               scope=scope, day=day))
    return scope


def selected_rows(db: Database, codes, day: str) -> dict:
    """The roster rows of a selection's units on ``day`` (ISO), by code; exit 1 naming the
    first that is not on the roster then. One query per 500 units, not one per unit."""
    from movement_cli.store import units

    rows = units.units_on(db.conn, codes, day)
    for code in codes:
        if code not in rows:
            raise MovementError(N_("selected unit {code} is not on the roster on {day}",
                                   code=code, day=day))
    return rows
