"""The `movement` command's entry point, which runs before the command-line library is
loaded: importing Typer and the commands takes a tenth of a second, and a `recognize import`
of a thousand sheets starts reading them meanwhile (in other processes). The command line is
then parsed by ``cli.main`` as always; the reading is used only if the files it names are the
ones read, and stopped otherwise."""

from __future__ import annotations

import os
import sys

# The root options that take a value, as they may stand before or after a command's name.
ROOT_VALUE_OPTIONS = ("--db", "--by", "--wait")
_ROOT_FLAGS = ("-q", "--quiet")
# The options of `recognize import` besides the root ones.
_IMPORT_VALUE_OPTIONS = ("--year",)
_IMPORT_FLAGS = ("--dry-run", "--json")


def _next_word(args: list[str], start: int = 0) -> int | None:
    """The index of the first argument from ``start`` that is neither a root option nor its
    value; None when there is none, or another option comes first (``--help``, ``--version``:
    the root's to answer)."""
    expects_value = False
    for index in range(start, len(args)):
        arg = args[index]
        if expects_value:
            expects_value = False
        elif arg in ROOT_VALUE_OPTIONS:
            expects_value = True
        elif arg in _ROOT_FLAGS or arg.startswith(tuple(f"{o}=" for o in ROOT_VALUE_OPTIONS)):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return index
    return None


def invoked_command(args: list[str]) -> str | None:
    """The name of the command ``args`` run (what follows the root options), or None when
    they run none or ask the root for something (``--help``, ``--version``, completion)."""
    at = _next_word(args)
    return None if at is None else args[at]


def recognition_files(args: list[str]) -> list[str] | None:
    """The files of a `recognize import` command line, read as Click reads them; None for
    any other command line, or one with an option not known here (Click will say what)."""
    at = _next_word(args)
    if at is None or args[at] != "recognize":
        return None
    at = _next_word(args, at + 1)
    if at is None or args[at] != "import":
        return None
    files: list[str] = []
    expects_value = False
    rest = iter(args[at + 1:])
    for arg in rest:
        if expects_value:
            expects_value = False
        elif arg == "--":
            files.extend(rest)
        elif arg in ROOT_VALUE_OPTIONS or arg in _IMPORT_VALUE_OPTIONS:
            expects_value = True
        elif arg in _ROOT_FLAGS or arg in _IMPORT_FLAGS or arg.startswith(
                tuple(f"{o}=" for o in (*ROOT_VALUE_OPTIONS, *_IMPORT_VALUE_OPTIONS))):
            continue
        elif arg.startswith("-") and arg != "-":
            return None
        else:
            files.append(arg)
    return files


def run() -> None:
    """Console entry point."""
    args = sys.argv[1:]
    completing = any(key.startswith("_MOVEMENT_COMPLETE") for key in os.environ)
    files = None if completing else recognition_files(args)
    if files:
        from movement_cli.ingest import answer_files

        answer_files.start(files)
    from movement_cli.cli.main import run_command

    run_command(None if completing else invoked_command(args))
