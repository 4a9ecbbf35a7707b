"""One invocation's state: the root options and the output, kept on the Click context.

Nothing here is a module global: two commands run in one process (tests, a script that
imports the CLI) share nothing, so `units list --json` cannot make a later `config load`
answer in JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from movement_cli.cli.output import Output
from movement_cli.i18n import N_, message_of

if TYPE_CHECKING:
    from datetime import date

    import typer

    from movement_cli.store.db import Database


@dataclass
class Invocation:
    """The root options of this run (`--db`, `--by`, `--wait`; `-q` lives on the output)
    and the output every message and document of this run goes through."""

    db: str | None = None
    by: str | None = None
    wait: float = 60.0
    out: Output = field(default_factory=Output)
    # The command's path (`units import`), for the audit log: set by the root group once
    # Click has resolved the command, so no option value (a path, a name) ever reaches it.
    command: str = ""
    # Whether the run's language has taken the database's ui.language into account (once
    # the database is open).
    language_known: bool = False

    def db_path(self) -> Path:
        from movement_cli.store.db import resolve_path

        return resolve_path(self.db)

    def actor(self) -> str:
        from movement_cli.store.db import default_actor

        return self.by or default_actor()

    def open_db(self) -> Database:
        """The existing database (a missing one is an error that says to run
        `movement init`). From here on the run speaks the database's ``ui.language``
        (unless MOVEMENT_LANG says otherwise)."""
        from movement_cli.i18n import choose
        from movement_cli.store.config import get_value
        from movement_cli.store.db import Database

        # "waiting for the lock" is a message like any other: -q silences it.
        db = Database.open(self.db_path(), actor=self.actor(), command=self.command,
                           wait=self.wait, on_wait=self.out.info)
        choose(config_language=get_value(db, "ui.language"))
        self.language_known = True
        return db


def invocation(ctx: typer.Context) -> Invocation:
    """This run's state; the root group creates it on the outermost context, and every
    sub-context shares it."""
    return ctx.ensure_object(Invocation)


def command_path(ctx: typer.Context) -> str:
    """The names of the commands that lead to ``ctx`` without the program's own name:
    `units import`, `select`."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def date_option(text: str | None, option: str) -> date | None:
    """A date given on the command line (ISO or dd/mm/yyyy), or None when not given; one
    that does not parse or lies outside the years the tool takes is a usage error."""
    from movement_cli.core.calendar import FIRST_YEAR, LAST_YEAR, date_in_range
    from movement_cli.errors import UsageProblem
    from movement_cli.text import normalize, parse_date

    if not text:
        return None
    try:
        day = parse_date(normalize(text))
    except ValueError as exc:
        from movement_cli.cli.language import recognised

        raise UsageProblem(N_("{option}: {exc}", option=option,
                              exc=recognised(message_of(exc)))) from None
    if not date_in_range(day):
        raise UsageProblem(N_("{option}: {day} is outside the years {first}–{last}",
                              option=option, day=day.isoformat(), first=FIRST_YEAR,
                              last=LAST_YEAR))
    return day
