"""Root options shared by every command, and opening the database they name."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from movement_cli.store.db import Database


@dataclass
class RootOptions:
    db: str | None = None
    by: str | None = None
    quiet: bool = False
    wait: float = 60.0
    command: str = ""


root = RootOptions()


def db_path() -> Path:
    from movement_cli.store.db import resolve_path

    return resolve_path(root.db)


def open_db() -> Database:
    """The existing database (a missing one is an error that says to run `movement init`)."""
    from movement_cli.cli.output import out
    from movement_cli.store.db import Database, default_actor

    return Database.open(db_path(), actor=root.by or default_actor(), command=root.command,
                         wait=root.wait, on_wait=out.info)


def date_option(text: str | None, option: str) -> date | None:
    """A date given on the command line (ISO or dd/mm/yyyy), or None when not given."""
    from movement_cli.errors import MovementError
    from movement_cli.text import normalize, parse_date

    if not text:
        return None
    try:
        return parse_date(normalize(text))
    except ValueError as exc:
        raise MovementError(f"{option}: {exc}") from None
