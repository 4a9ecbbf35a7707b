"""`movement cron`: the quarter's steps, for crontab. One log line per step; on a
non-terminal only warnings and errors reach stderr."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from movement_cli.cli.options import Json
from movement_cli.cli.state import date_option, invocation
from movement_cli.i18n import N_

# The outcome of a step that went well, as a person at a terminal reads it (the log keeps the
# code; the other outcomes are said as a warning or an error).
OUTCOME_NAMES = {"done": N_("done"), "already_done": N_("already done")}


def log_line(at: str, year: int, quarter: int, scope: str | None, step: str, outcome: str,
             message: str) -> str:
    """``2024-01-02T07:00:03+07:00 year=2024 quarter=1 scope=474 step=select
    outcome=needs_attention message="group xa: 0 of 1"`` (scope ``*``: the whole database);
    the message is quoted, with its backslashes, quotes and line breaks escaped, so that one
    step is one line."""
    quoted = (message.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "\\r")
              .replace("\n", "\\n"))
    return (f"{at} year={year} quarter={quarter} scope={scope or '*'} step={step} "
            f"outcome={outcome} message=\"{quoted}\"")


def _now() -> str:
    from datetime import datetime

    return datetime.now().astimezone().isoformat(timespec="seconds")


def _append(log: Path | None, line: str) -> None:
    if log is None:
        return
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(line + "\n")


def cron(
    ctx: typer.Context,
    date_: Annotated[str | None, typer.Option(
        "--date", help="Run the steps of this day's quarter, ISO or dd/mm/yyyy "
        "(default: today).", show_default=False)] = None,
    force: Annotated[bool, typer.Option(
        "--force", help="Run steps already done this quarter again (a stored selection and "
        "documents officials edited are still kept).")] = False,
    log_file: Annotated[Path | None, typer.Option(
        "--log-file", help="Append one line per step to this file (default: $MOVEMENT_LOG, "
        "else no log).", show_default=False)] = None,
    json_: Json = False,
) -> None:
    """Run the quarter's steps unattended (from crontab at each quarter's start).

    Q1 proposes the selection (never replacing a stored one) and writes the draft city plan
    into documents_dir; Q2 and Q3 report progress; Q4 writes the recognition sheets and names
    the units whose results are due. A step runs once per quarter unless --force. Exit 0
    done, 3 a step needs a person (see the log), 75 the database was busy, 1 error.

    Example: 0 7 1 1,4,7,10 * movement --db /srv/movement.db cron --log-file /var/log/movement.log
    """
    from movement_cli.clock import today
    from movement_cli.core.cron import FAILED, NEEDS_ATTENTION
    from movement_cli.errors import LockTimeout, MovementError
    from movement_cli.workflows.cron import run_cron

    run = invocation(ctx)
    out = run.out
    log = log_file or (Path(os.environ["MOVEMENT_LOG"]) if os.environ.get("MOVEMENT_LOG")
                       else None)
    terminal = sys.stderr.isatty()
    day = date_option(date_, "--date") or today()

    def on_step(step) -> None:
        _append(log, log_line(_now(), step.year, step.quarter, step.scope, step.step,
                              step.outcome, step.message))
        where = f"{step.scope} " if step.scope else ""
        if step.outcome == FAILED:
            out.error(N_("{where}{step}: {message}", where=where, step=step.step,
                         message=step.message))
        elif step.outcome == NEEDS_ATTENTION:
            out.warn(N_("{where}{step}: {message}", where=where, step=step.step,
                        message=step.message))
        elif terminal and not json_:
            out.info(N_("{where}{step}: {value}: {message}", where=where, step=step.step,
                        value=OUTCOME_NAMES.get(step.outcome, step.outcome),
                        message=step.message))

    try:
        db = run.open_db()
    except (MovementError, LockTimeout) as exc:
        # Said in the log too: a cron line with a wrong --db must not look like a quiet night.
        from movement_cli.core.cron import steps_on

        number, _ = steps_on(day)
        _append(log, log_line(_now(), day.year, number, None, "open", FAILED, str(exc)))
        raise
    report = run_cron(db, day, force=force, on_step=on_step)
    if json_:
        out.json(report.as_json())
    if report.exit_code:
        raise typer.Exit(report.exit_code)
