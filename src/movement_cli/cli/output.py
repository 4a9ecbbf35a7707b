"""Everything the CLI prints: JSON documents and tables on stdout, messages on stderr."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Sequence


class Output:
    """Set up once per run by the root callback; commands print through it."""

    quiet = False
    json_mode = False

    @staticmethod
    def _colour(stream) -> bool:
        return stream.isatty() and "NO_COLOR" not in os.environ

    def json(self, document) -> None:
        sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")

    def warn(self, message: str) -> None:
        if not self.quiet:
            print(f"warning: {message}", file=sys.stderr)

    def info(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr)

    def error(self, message: str) -> None:
        print(f"error: {message}", file=sys.stderr)

    def table(self, columns: Sequence[str], rows: Iterable[Sequence], title: str | None = None
              ) -> None:
        if self.quiet:
            return
        from rich.console import Console
        from rich.table import Table

        console = Console(no_color=not self._colour(sys.stdout),
                          highlight=False, soft_wrap=False,
                          width=None if sys.stdout.isatty() else 200)
        table = Table(*columns, title=title, show_lines=False, header_style="bold")
        for row in rows:
            table.add_row(*("" if cell is None else str(cell) for cell in row))
        console.print(table)


out = Output()
