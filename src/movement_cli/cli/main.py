"""The `movement` command: root options, the command groups, and the one place where
errors become exit codes (0 done, 1 error, 2 usage, 3 needs attention, 75 lock timeout)."""

from __future__ import annotations

import copy
import sys
from typing import Annotated

import typer
from typer.core import TyperGroup

from movement_cli.cli import assess as assess_cli
from movement_cli.cli import backup as backup_cli
from movement_cli.cli import config as config_cli
from movement_cli.cli import criteria as criteria_cli
from movement_cli.cli import cron as cron_cli
from movement_cli.cli import demo as demo_cli
from movement_cli.cli import export as export_cli
from movement_cli.cli import recognize as recognize_cli
from movement_cli.cli import render as render_cli
from movement_cli.cli import select as select_cli
from movement_cli.cli import status as status_cli
from movement_cli.cli import units as units_cli
from movement_cli.cli.language import (
    LocalizedContext,
    localize,
    localize_message,
    show_usage_error,
)
from movement_cli.cli.options import decimal_number
from movement_cli.cli.output import degrade_unencodable_output, printable
from movement_cli.cli.state import command_path, invocation
from movement_cli.errors import BadInput, LockTimeout, MovementError, UsageProblem
from movement_cli.i18n import N_, Message, _, choose, message_of, system_words
from movement_cli.text.clean import UNPRINTABLE

# Click's usage error (bad option, missing value), reached through the one Typer exports.
UsageError = next(cls for cls in typer.BadParameter.__mro__ if cls.__name__ == "UsageError")

# The root options, which the contract accepts after the command too.
ROOT_OPTIONS = ("db", "by", "quiet", "wait")


def _root_option_after_command(ctx: typer.Context, param, value):
    """A root option given after the command (`movement units import f.csv -q`) overrides
    the one given before it; one not given leaves it alone. Every command's context passes
    here, so this is also where the run learns its command path for the audit log."""
    run = invocation(ctx)
    run.command = command_path(ctx)
    if ctx.get_parameter_source(param.name).name == "COMMANDLINE":
        if param.name == "quiet":
            run.out.quiet = value
        else:
            setattr(run, param.name, value)
    return value


def _below(group):
    """Every command and group under ``group``: a group such as `recognize` runs on its
    own too."""
    for command in group.commands.values():
        yield command
        if hasattr(command, "commands"):
            yield from _below(command)


def _error_document(message: str) -> dict:
    """What `--json` prints for an error that is not about a row of a file (a missing
    database, an unknown code, a lock held too long): the shape of file errors, with no
    place to point at."""
    return {"errors": [{"file": None, "row": None, "column": None, "message": message}]}


# A failing SQLite call that is about the file (not about the tool's SQL): its message is
# the answer, exit 1.
_SQLITE_FILE_ERRORS = {"SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_IOERR", "SQLITE_FULL",
                       "SQLITE_PERM", "SQLITE_CORRUPT", "SQLITE_NOTADB", "SQLITE_BUSY"}


def refuse_unprintable_arguments(ctx: typer.Context, args: list[str]) -> None:
    """Exit 2 on an argument holding bytes that are not UTF-8 (Python hands them over as
    lone surrogates, which no database or terminal can take) or a control character
    other than tab and line breaks: they would be stored, or printed raw to a terminal."""
    for position, arg in enumerate(args, 1):
        found = UNPRINTABLE.search(arg)
        if found is None:
            continue
        bad = found.group()
        if "\ud800" <= bad <= "\udfff":
            message = _("argument {position} ({value}) holds bytes that are not UTF-8 text; "
                        "type it again as plain text", position=position,
                        value=printable(arg)[:80])
        else:
            message = _("argument {position} ({value}) holds the control character {char}; "
                        "type it again as plain text", position=position,
                        value=printable(arg)[:80], char=f"U+{ord(bad):04X}")
        invocation(ctx).out.error(message)
        raise typer.Exit(2)


class MovementGroup(TyperGroup):
    """The root group: the run's language is chosen here, and domain exceptions raised by
    any command become messages and exit codes here, so nothing below the CLI knows about
    exit codes."""

    context_class = LocalizedContext

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Each command also takes the root options, hidden from its help (the root's help
        # describes them), as copies of the root's own so that types and limits agree.
        after = []
        for param in self.params:
            if param.name in ROOT_OPTIONS:
                param = copy.copy(param)
                param.hidden, param.expose_value = True, False
                param.callback = _root_option_after_command
                after.append(param)
        for command in _below(self):
            command.params.extend(after)

    def main(self, *args, **kwargs):
        # Help comes before any database is open: it follows MOVEMENT_LANG and the locale.
        # Opening the database switches to its ui.language; an error before that (a usage
        # error) reads ui.language on its own, see speak_database_language.
        degrade_unencodable_output()
        choose()
        localize(self)
        return super().main(*args, **kwargs)

    def make_context(self, info_name, args, *more, **kwargs):
        arguments = tuple(args)  # the parser consumes the list it is given
        try:
            return super().make_context(info_name, args, *more, **kwargs)
        except UsageError as exc:
            speak_database_language(self, arguments)
            _localize_usage_error(exc)
            raise

    def parse_args(self, ctx, args):
        refuse_unprintable_arguments(ctx, args)
        ctx.meta[ARGUMENTS] = tuple(args)
        return super().parse_args(ctx, args)

    def invoke(self, ctx):
        import sqlite3

        # Created here, on the outermost context, before any command's context exists:
        # sub-contexts take the parent's object, so the whole run shares this one.
        run = invocation(ctx)
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            speak_database_language(self, ctx.meta.get(ARGUMENTS, ()), run)
            _localize_usage_error(exc)
            raise
        except (MovementError, OSError, sqlite3.OperationalError, LockTimeout) as exc:
            if isinstance(exc, sqlite3.OperationalError) and not _about_the_file(exc):
                raise
            speak_database_language(self, ctx.meta.get(ARGUMENTS, ()), run)
            raise typer.Exit(_report(exc, run)) from None


def _about_the_file(error) -> bool:
    return getattr(error, "sqlite_errorname", "SQLITE_IOERR") in _SQLITE_FILE_ERRORS


def _report(exc: BaseException, run) -> int:
    """Say what went wrong on stderr (and as the JSON error document with --json); the exit
    code: 2 for a usage problem, 75 for the write lock, else 1."""
    import sqlite3

    out = run.out
    if isinstance(exc, BadInput):
        for problem in exc.problems:
            print(printable(problem.line(localize_message)), file=sys.stderr)
        if out.json_mode:
            out.json({"errors": [p.as_json() for p in exc.problems]})
        out.error(_("{count} problem(s) found; nothing was written", count=len(exc.problems)))
        return 1
    if isinstance(exc, OSError):
        # A file the command reads or writes: missing, not allowed, a folder, a full disk; in
        # the system's words, in the run's language when the catalogue has them.
        where = f"{exc.filename}: " if exc.filename else ""
        shown = document = N_("{where}{value}", where=where,
                              value=system_words(exc))
    elif isinstance(exc, sqlite3.OperationalError):
        shown = document = N_("{where}{value}", where=f"{run.db_path()}: ",
                              value=Message(str(exc)))
    else:
        shown, document = message_of(exc), str(exc)
    if out.json_mode:
        out.json(_error_document(document))
    out.error(shown)
    if isinstance(exc, UsageProblem):
        print(_("Try 'movement {command} --help'.", command=run.command), file=sys.stderr)
        return 2
    return 75 if isinstance(exc, LockTimeout) else 1

# Where the root group keeps the run's arguments (on the context, shared by sub-contexts):
# a usage error looks for --db in them.
ARGUMENTS = "movement.arguments"


def _db_option(args) -> str | None:
    """The last --db among the arguments: a root option given after the command overrides
    the one before it."""
    found = None
    for index, arg in enumerate(args):
        if arg == "--db" and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith("--db="):
            found = arg[len("--db="):]
    return found


def speak_database_language(root, args, run=None) -> None:
    """Speak the database's ``ui.language`` for an error raised before the command opened
    its database (a usage error: the command line is read before any database is open; a
    file refused before the database is needed), as the contract orders the sources:
    MOVEMENT_LANG, then ui.language, then the locale.

    The database (--db among ``args``, else $MOVEMENT_DB, else ./movement.db) is read by one
    read-only query, only now that an error is to be shown: `movement --help` and every run
    without an error pay nothing. A missing or unreadable database changes nothing."""
    import os

    if (run is not None and run.language_known) or os.environ.get("MOVEMENT_LANG", "").strip():
        return
    from movement_cli.store.config import read_language
    from movement_cli.store.db import resolve_path

    language = read_language(resolve_path(_db_option(args) or (run.db if run else None)))
    if language in ("vi", "en"):
        choose(config_language=language)
        localize(root)  # the usage line's words ([OPTIONS], COMMAND [ARGS]...)


def _localize_usage_error(error) -> None:
    # A subclass's own show() (the help page of "no arguments is help") is already localized.
    if type(error).show is UsageError.show or type(error).show is typer.BadParameter.show:
        error.show = lambda file=None: show_usage_error(error, file)


app = typer.Typer(
    cls=MovementGroup,
    name="movement",
    help="Run the yearly programme of model units of the movement "
    "\"Toàn dân bảo vệ an ninh Tổ quốc\": rosters, results, Q1 selection, plans, "
    "recognition. --db, --by, -q and --wait may also follow the command "
    "(movement units import f.csv -q).",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from movement_cli import __version__

        print(f"movement {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option(
        "--db", help="Database file (default: $MOVEMENT_DB, else ./movement.db).",
        show_default=False)] = None,
    by: Annotated[str | None, typer.Option(
        "--by", help="Who is acting, for the audit log (default: the OS user).",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("-q", "--quiet", help="Print errors only.")] = False,
    wait: Annotated[float, typer.Option(
        "--wait", help="Seconds to wait for another process's write lock before exit 75.",
        parser=decimal_number(0), metavar="SECONDS")] = 60.0,
    version: Annotated[bool, typer.Option(
        "--version", help="Print the version and exit.", is_eager=True,
        callback=lambda value: _print_version(value))] = False,
) -> None:
    run = invocation(ctx)
    run.db, run.by, run.wait = db, by, wait
    run.out.quiet = quiet


@app.command()
def init(ctx: typer.Context) -> None:
    """Create the database (mode 0600), or migrate an existing one.

    Example: movement --db huế.db init
    """
    from movement_cli.store.db import Database

    run = invocation(ctx)
    out = run.out
    path = run.db_path()
    db, created = Database.create(path, actor=run.actor(), command="init", wait=run.wait,
                                  on_wait=out.info)
    db.close()
    if created:
        out.info(N_("created {path}", path=path))
    elif db.migrations_applied:
        out.info(N_("{path} exists; applied migrations {migrations_applied}", path=path,
                    migrations_applied=db.migrations_applied))
    else:
        out.info(N_("{path} exists and is up to date", path=path))


# In the order of the yearly cycle, as `movement --help` lists them.
app.add_typer(config_cli.app, name="config")
app.add_typer(units_cli.app, name="units")
app.add_typer(assess_cli.app, name="assess")
app.command("select")(select_cli.select)
app.command("render-plan")(render_cli.render_plan)
app.add_typer(recognize_cli.app, name="recognize")
app.command("status")(status_cli.status)
app.command("cron")(cron_cli.cron)
app.command("export")(export_cli.export)
app.command("backup")(backup_cli.backup)
app.add_typer(criteria_cli.app, name="criteria")
app.command("demo")(demo_cli.demo)


def only(name: str | None) -> typer.Typer:
    """``app`` with only the command ``name`` (all of them when it names none of them).
    Click parses a tree of commands Typer builds from the functions' signatures at every
    run: building the whole tree to run one command was a third of a short command's
    start-up. An unknown name gets the whole tree, and with it Click's suggestions."""
    commands = [info for info in app.registered_commands
                if (info.name or typer.main.get_command_name(info.callback.__name__)) == name]
    groups = [info for info in app.registered_groups if info.name == name]
    if not commands and not groups:
        return app
    pruned = copy.copy(app)
    pruned.registered_commands, pruned.registered_groups = commands, groups
    return pruned


def run_command(name: str | None) -> None:
    """Run the command line, ``name`` being the command it names (see ``launch``)."""
    only(name)()
