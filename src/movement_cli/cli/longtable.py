"""Long human listings: rows written as they come, in a plain aligned layout.

A rich table measures every cell of every row before it prints the first line and keeps them
all: fine for a city's units, minutes and gigabytes for a national roster. Past ``SHORT_ROWS``
rows a listing is written plainly instead: the columns as wide as their widest cell (as the
caller measures it over the whole listing, else among the first rows: a longer cell further
down then pushes the rest of its own line right and is never cut), two spaces between them,
a line per row, written in slices as the rows arrive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

SHORT_ROWS = 500  # up to this many rows, a listing is a rich table
_SLICE = 1000  # lines per write


def _text(cell) -> str:
    return "" if cell is None else str(cell)


def write_plain(columns: Sequence[str], first: Sequence[Sequence], rest: Iterator[Sequence],
                write: Callable[[str], object], widths: Sequence[int] | None = None) -> int:
    """Write the header, the ``first`` rows and then ``rest``; return how many rows.
    ``widths``, the widest cell of each column over the whole listing when the caller can
    tell it cheaply, align every line; else the widest among the ``first`` rows do."""
    if widths is None:
        widths = [max((len(_text(row[i])) for row in first), default=0)
                  for i in range(len(columns))]
    widths = [max(len(column), width) for column, width in zip(columns, widths, strict=True)]
    # The last column is not padded: no line ends in spaces.
    layout = "  ".join([f"{{:<{width}}}" for width in widths[:-1]] + ["{}"])

    def line(row: Sequence) -> str:
        return layout.format(*["" if cell is None else cell for cell in row]).rstrip()

    write(line(columns) + "\n")
    write(line(["-" * width for width in widths]) + "\n")
    count = 0
    lines: list[str] = []
    for rows in (first, rest):
        for row in rows:
            lines.append(line(row))
            count += 1
            if len(lines) == _SLICE:
                write("\n".join(lines) + "\n")
                lines = []
    if lines:
        write("\n".join(lines) + "\n")
    return count
