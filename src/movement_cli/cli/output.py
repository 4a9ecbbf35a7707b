"""Everything the CLI prints: JSON documents and tables on stdout, messages on stderr."""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager

from movement_cli.cli.language import localize_message as translate
from movement_cli.i18n import N_, _

Progress = Callable[[int, "float | None"], None]

# What must never reach a terminal raw: C0 controls but tab and line feed (ESC starts the
# sequences that recolour, retitle or rewrite a terminal), DEL, C1 controls (0x9B is a
# one-byte ESC [ on some terminals) and lone surrogates (undecodable bytes of an argument).
_UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# The same beyond what json.dumps already escapes, for a JSON document.
_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\ud800-\udfff]")


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0xff else (
        f"\\x{ord(match.group()):02x}")


def printable(text: str) -> str:
    """``text`` with every control character shown as an escape ("\\x1b"), never raw."""
    return _UNPRINTABLE.sub(_escape, text) if _UNPRINTABLE.search(text) else text


def _utf8(stream) -> bool:
    return (getattr(stream, "encoding", None) or "").lower().replace("-", "") in ("utf8",
                                                                                 "utf8sig")


def degrade_unencodable_output() -> None:
    """On a stream that cannot carry all of Unicode (a Windows console in code page 1258, a
    redirect with PYTHONIOENCODING=ascii) a character it lacks prints as "?" instead of
    ending the run with an encoding error; JSON is written all-ASCII there, so it stays
    exact."""
    for stream in (sys.stdout, sys.stderr):
        if not _utf8(stream) and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to print on
                pass



def widened(widths: Iterable[int], labels: dict[int, dict[str, str]]) -> list[int]:
    """The column widths of a listing whose coded columns are shown by their labels: each
    such column (by index) at least as wide as its longest label."""
    found = list(widths)
    for index, names in labels.items():
        found[index] = max([found[index], *map(len, names.values())])
    return found

class Output:
    """One per invocation (on the Click context, see cli/state.py); commands print through
    it."""

    quiet = False
    json_mode = False

    @staticmethod
    def _colour(stream) -> bool:
        return stream.isatty() and "NO_COLOR" not in os.environ

    def json(self, document) -> None:
        """One JSON document on stdout: indented for a person at a terminal, compact for a
        script or a pipe (the C encoder; ``indent`` would select the pure-Python one). A
        long list may be given as an iterator: it is written as it comes (``jsonout``).
        All-ASCII on a stream that is not UTF-8. A document held whole gets its C1 controls
        escaped too (json escapes only C0); a streamed list comes from the database, which
        the importers keep free of them."""
        from movement_cli.cli.jsonout import _streams, write_json

        write = sys.stdout.write
        if not _streams(document):
            def write(text: str) -> None:
                if _UNPRINTABLE_IN_JSON.search(text):
                    text = _UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
                sys.stdout.write(text)
        write_json(document, write, indent=2 if sys.stdout.isatty() else None,
                   ensure_ascii=not _utf8(sys.stdout))

    # Messages are printed in the run's language: a message built with ``N_`` (below the
    # CLI) is translated here, one built with ``_`` (in the CLI) already is.
    def warn(self, message: str) -> None:
        if not self.quiet:
            print(_("warning: {message}", message=printable(translate(message))),
                  file=sys.stderr)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(printable(translate(message)), file=sys.stderr)

    def error(self, message: str) -> None:
        print(_("error: {message}", message=printable(translate(message))), file=sys.stderr)

    def line(self, text: str) -> None:
        """A line on stdout (a value asked for), control characters escaped."""
        print(printable(text))

    def imported(self, file, report, *, dry_run: bool) -> None:
        """What an import did (a ``workflows.imports.ImportReport``): its warnings, then the JSON
        document or one line of counts."""
        for warning in report.warnings:
            self.warn(warning)
        if self.json_mode:
            self.json(report.as_json())
        else:
            template = (N_("would import {file}: {added} added, {updated} updated, "
                           "{unchanged} unchanged") if dry_run else
                        N_("imported {file}: {added} added, {updated} updated, "
                           "{unchanged} unchanged"))
            self.info(_(template, file=file, added=report.added, updated=report.updated,
                        unchanged=report.unchanged))

    @contextmanager
    def progress(self, description: str, unit: str = N_("rows")) -> Iterator[Progress | None]:
        """A progress bar on stderr for long work, given ``(rows so far, fraction done or
        None)``; on a terminal only and not with -q, so scripts and cron see none."""
        if self.quiet or not sys.stderr.isatty():
            yield None
            return
        from rich.console import Console
        from rich.progress import BarColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as Bar

        columns = (TextColumn("{task.description}"), BarColumn(),
                   TextColumn("{task.fields[rows]} " + translate(unit)), TimeElapsedColumn())
        bar = Bar(*columns, console=Console(stderr=True), transient=True)
        task = bar.add_task(translate(description), total=None, rows="0")
        started = False

        def update(rows: int, fraction: float | None) -> None:
            # The bar (and its refresh thread) starts with the first update, which an import
            # makes once it has forked the process that reads the file: forking a process
            # that runs threads can leave the child waiting on a lock one of them held.
            nonlocal started
            if not started:
                bar.start()
                started = True
            bar.update(task, total=None if fraction is None else 1.0,
                       completed=fraction or 0, rows=f"{rows:,}")

        try:
            yield update
        finally:
            if started:
                bar.stop()

    def table(self, columns: Sequence[str], rows: Iterable[Sequence],
              title: str | Callable[[int], str] | None = None,
              widths: Callable[[], Sequence[int]] | None = None) -> None:
        """A table on stdout: a rich one for a short listing, the plain layout of
        ``longtable`` written as the rows come for a long one. ``title`` may be a function of
        the number of rows; a long listing gives it after the rows, once they are counted.
        ``widths``, asked only for a long listing, gives each column's widest cell."""
        if self.quiet:
            return
        import itertools

        from movement_cli.cli.longtable import SHORT_ROWS, write_plain

        # Headings and titles in the run's language; the cells are data, shown as they are.
        columns = [translate(column) for column in columns]
        if callable(title):
            make_title = title

            def title(count: int) -> str:
                return translate(make_title(count))
        elif title is not None:
            title = translate(title)
        rows = iter(rows)
        first = list(itertools.islice(rows, SHORT_ROWS + 1))
        if len(first) > SHORT_ROWS:
            if isinstance(title, str):
                sys.stdout.write(title + "\n")
            count = write_plain(columns, first, rows, sys.stdout.write,
                                widths() if widths else None)
            if callable(title):
                sys.stdout.write(title(count) + "\n")
            return
        from rich.console import Console
        from rich.table import Table

        console = Console(no_color=not self._colour(sys.stdout),
                          highlight=False, soft_wrap=False,
                          width=None if sys.stdout.isatty() else 200)
        table = Table(*columns, title=title(len(first)) if callable(title) else title,
                      show_lines=False, header_style="bold")
        for row in first:
            table.add_row(*("" if cell is None else printable(str(cell)) for cell in row))
        console.print(table)
