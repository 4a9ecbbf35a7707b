"""Help pages and command-line usage errors in the run's language.

Our own help texts (command docstrings, ``help=`` of options and arguments) are written in
English and translated when a run starts: :func:`localize` relabels the command tree from the
catalogue (``tools/catalog.py`` extracts them from the same tree). Click's own words — the
``Usage:`` line, the section headings, ``Show this message and exit.``, the usage errors —
are not marked for gettext in the Click that Typer bundles, so they are translated here: the
help formatter translates what it writes, and a usage error is shown through
:func:`show_usage_error`, which recognises Click's message by the English templates below and
fills in the Vietnamese ones.
"""

from __future__ import annotations

import re
import sys
from functools import lru_cache

import typer
from typer.models import Context

from movement_cli.i18n import N_, Message, _, current, recognise, template_pattern, translate

USAGE_PREFIX = N_("Usage: ")
HELP_HINT = N_("Try '{command} {option}' for help.")
ERROR_PREFIX = N_("Error: {message}")

# Click's and Typer's own messages, as they print them. A placeholder matches any text; the
# text it matched is translated in turn, so "Invalid value for '--year': <reason>" translates
# the reason too.
CLICK_MESSAGES = (
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("Show this message and exit."),
    N_("Install completion for the current shell."),
    N_("Show completion for the current shell, to copy it or customize the installation."),
    N_("Options"),
    N_("Arguments"),
    N_("Commands"),
    N_("required"),
    N_("default: {default}"),
    N_("env var: {var}"),
    N_("No such option: {name}"),
    N_("No such option: {name} (Possible options: {possibilities})"),
    N_("No such command {name}."),
    N_("No such command {name}. Did you mean {suggestions}?"),
    N_("Missing command."),
    N_("Missing option {name}."),
    N_("Missing argument {name}."),
    N_("Missing parameter {name}."),
    N_("Missing option {name}. {hint}"),
    N_("Invalid value for {name}: {reason}"),
    N_("Invalid value: {reason}"),
    N_("Option {name} requires an argument."),
    N_("Option {name} requires {count} arguments."),
    N_("Option {name} does not take a value."),
    N_("Got unexpected extra argument(s) ({arguments})"),
    N_("Got unexpected extra argument ({arguments})"),
    N_("Got unexpected extra arguments ({arguments})"),
    N_("{value} is not a valid integer."),
    N_("{value} is not a valid float."),
    N_("{value} is not one of {choices}."),
    N_("Path {path} does not exist."),
    N_("File {path} does not exist."),
    N_("Directory {path} does not exist."),
    N_("Aborted!"),
    # The ground text package speaks English only (it imports nothing of ours); its messages
    # reach users inside row errors.
    N_("'{text}' is not a date: write 2025-07-01 or 01/07/2025"),
)

# What the system says about a file (an OSError's strerror) or SQLite about a database, as
# Python gives them: shown after the path when a command cannot read or write a file.
SYSTEM_MESSAGES = (
    N_("No such file or directory"),
    N_("Permission denied"),
    N_("Is a directory"),
    N_("Not a directory"),
    N_("No space left on device"),
    N_("Read-only file system"),
    N_("File exists"),
    N_("Directory not empty"),
    N_("File name too long"),
    N_("Disk quota exceeded"),
    N_("database is locked"),
    N_("attempt to write a readonly database"),
    N_("unable to open database file"),
    N_("disk I/O error"),
    N_("database or disk is full"),
    N_("file is not a database"),
    N_("database disk image is malformed"),
)

@lru_cache(maxsize=1)
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    # Longest first, so that "No such command {name}. Did you mean …?" wins over its prefix.
    ordered = sorted(CLICK_MESSAGES, key=lambda message: -len(message.template))
    return tuple((template_pattern(m.template), m.template) for m in ordered)


def translate_click(message: str) -> str:
    """One of Click's or Typer's English messages in the run's language (unchanged when it
    is not one of :data:`CLICK_MESSAGES`)."""
    if current() == "en" or not message:
        return message
    for pattern, template in _patterns():
        match = pattern.fullmatch(message)
        if match:
            return _(template, **{name: translate_click(value)
                                  for name, value in match.groupdict().items()})
    return translate(message)


def recognised(text: str) -> str:
    """One of Click's or the text package's English messages as a :class:`Message` (its
    template and values), so that it is translated when printed inside another message;
    any other text as it is."""
    return text if isinstance(text, Message) else recognise(text, _patterns())


def localize_message(text: str) -> str:
    """Any message on its way to the terminal: one built with ``N_`` by its template, a
    plain one from the catalogue or as one of Click's (or the text package's) messages."""
    if isinstance(text, Message):
        return translate(text)
    return translate_click(str(text))


def _translate_help_cell(text: str) -> str:
    """An option's help as Click writes it: our (already translated) help, then Click's
    ``[default: 60.0; required]``."""
    body, bracket, extras = text.rpartition("  [") if text.endswith("]") else ("", "", text)
    if not bracket:
        return translate_click(text)
    parts = [translate_click(part) for part in extras[:-1].split("; ")]
    return f"{translate_click(body)}  [{'; '.join(parts)}]"


class LocalizedFormatter(Context.formatter_class):
    """Click's help formatter, writing Click's own words in the run's language."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, _(USAGE_PREFIX) if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(translate_click(heading))

    def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
        rows = [(first, _translate_help_cell(second)) for first, second in rows]
        super().write_dl(rows, col_max=col_max, col_spacing=col_spacing)


class LocalizedContext(Context):
    formatter_class = LocalizedFormatter


def help_texts(command):
    """Every help text of ``command`` and the commands under it, as (object, attribute,
    English text): what :func:`localize` translates and what the catalogue must hold."""
    for attribute in ("help", "short_help", "epilog", "options_metavar",
                      "subcommand_metavar"):
        text = getattr(command, "_english", {}).get(attribute, getattr(command, attribute, None))
        if text:
            yield command, attribute, text
    for param in command.params:
        text = getattr(param, "_english", {}).get("help", getattr(param, "help", None))
        if text:
            yield param, "help", text
    for sub in getattr(command, "commands", {}).values():
        yield from help_texts(sub)


def localize(command) -> None:
    """Relabel the command tree in the run's language, and give every command the formatter
    that writes Click's words in it."""
    for owner, attribute, english in list(help_texts(command)):
        owner.__dict__.setdefault("_english", {})[attribute] = english
        setattr(owner, attribute, translate(english))
    for sub in _commands(command):
        sub.context_class = LocalizedContext


def _commands(command):
    yield command
    for sub in getattr(command, "commands", {}).values():
        yield from _commands(sub)


def show_usage_error(error, file=None) -> None:
    """Print a Click usage error as Click does — usage line, hint, ``Error: …`` — in the run's
    language."""
    file = file or sys.stderr
    message = getattr(error, "message", None)
    if isinstance(message, Message):
        # Raised with N_ (the command line is read before the run's language is final): said
        # in the language the error is shown in.
        error.message = translate(message)
    ctx = error.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _(HELP_HINT, command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        typer.echo(f"{ctx.get_usage()}\n{hint}", file=file, color=ctx.color)
    typer.echo(_(ERROR_PREFIX, message=translate_click(error.format_message())), file=file,
               color=ctx.color if ctx is not None else None)
