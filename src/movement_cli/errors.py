"""The error types shared by every layer. Nothing below the CLI knows about exit codes;
the CLI maps these exceptions to them (see cli/main.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

from movement_cli.i18n import N_, Message


@dataclass(frozen=True)
class InputProblem:
    """One problem in an input file: where it is and what is wrong.

    ``row`` is the 1-based line or spreadsheet row as the user sees it (0 when the problem
    concerns the whole file). ``column`` is the canonical column name, or a YAML key path.
    """

    file: str
    row: int
    column: str
    message: str

    def line(self, translate: Callable[[str], str] = str) -> str:
        """``FILE:ROW: column: message``; ``translate`` gives the message in the run's
        language (the prefix never changes: scripts read it)."""
        return self.prefix() + translate(self.message)

    def prefix(self) -> str:
        """``FILE:ROW: column: `` (``FILE: column: `` or ``FILE: `` for the whole file)."""
        if self.row:
            return f"{self.file}:{self.row}: {self.column}: "
        if self.column:
            return f"{self.file}: {self.column}: "
        return f"{self.file}: "

    def as_message(self) -> Message:
        """The line as one message: the prefix as it is, the message in the run's language
        when printed."""
        return Message("{prefix}{message}", {"prefix": self.prefix(), "message": self.message})

    def as_json(self) -> dict:
        return asdict(self)


class MovementError(Exception):
    """A user-facing error: bad input, bad data, missing database, template error (exit 1)."""


class UsageProblem(MovementError):
    """An option or argument the command cannot take: a value out of range, a choice not
    offered (exit 2, like the command-line parser's own usage errors)."""


class BadInput(MovementError):
    """Problems found in an input file; all of them, collected before anything is written."""

    def __init__(self, problems: list[InputProblem]):
        self.problems = problems
        super().__init__(N_("{count} problem(s) in input", count=len(problems)))

    def __reduce__(self):
        # Raised in the process that reads a file and re-raised in the one that writes.
        return (type(self), (self.problems,))


class LockTimeout(Exception):
    """Another process held the database's write lock for longer than --wait (exit 75)."""

    def __init__(self, path: str, holder: str, waited: float):
        self.path = path
        self.holder = holder
        self.waited = waited
        super().__init__(N_(
            "another movement process ({holder}) held the write lock on {path} for more than "
            "{waited}; try again later", holder=holder, path=path, waited=seconds(waited)))


def seconds(value: float) -> str:
    """A time in seconds as people read it: "1 s", "60 s", "0.5 s" (not "1.00043 s")."""
    return f"{round(value) if value >= 1 else round(value, 1):g} s"
