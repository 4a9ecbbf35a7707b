"""Reading the answers files of `recognize import` in other processes, from the first moment
of the run.

Reading a workbook is most of an import's work. On two CPUs or more, two processes read
every other file each (``pipeline.in_children``) while this one gets ready to check and store
them. Run from the command line, they start before Typer and the commands are even loaded
(``launch`` calls ``start`` with the files it finds there); ``reading`` takes them over
once the parsed command line names the same files, and they are stopped otherwise, or at
exit. So that they start as soon as possible, this module imports little: what the readers
run is loaded once before they fork, and nothing else.
"""

from __future__ import annotations

import atexit
import functools
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from movement_cli.ingest.recognition import FileRows

READERS = 2
# Below this many files, starting processes costs more than it saves.
READ_HERE_BELOW = 4

# The files read since the start of the run, and what reads them.
_started: tuple[list[str], ExitStack, Iterable[FileRows]] | None = None


def read_dealt(files: list[str], index: int, count: int) -> Iterator[FileRows]:
    """``read_rows`` of ``files[index::count]`` (one reader's share)."""
    from pathlib import Path

    from movement_cli.ingest.recognition import read_rows

    for file in files[index::count]:
        yield read_rows(Path(file))


def in_readers(files: Sequence[str]) -> tuple[ExitStack, Iterable[FileRows]] | None:
    """Readers of ``files`` started now: the stack that stops them, and what they read in the
    files' order. None below ``READ_HERE_BELOW`` files."""
    if len(files) < READ_HERE_BELOW:
        return None
    # What the readers run is loaded once, here, rather than in each of them after the fork.
    import movement_cli.ingest.recognition  # noqa: F401
    from movement_cli.ingest.pipeline import in_children

    stack = ExitStack()
    read = stack.enter_context(in_children(functools.partial(read_dealt, list(files)),
                                           READERS))
    return stack, read


def start(files: Sequence[str]) -> None:
    """Start reading ``files`` for a later ``take`` (stopped at exit if nothing takes them:
    a usage error, a missing database)."""
    global _started
    files = [str(file) for file in files]
    readers = in_readers(files)
    if readers is not None:
        atexit.register(readers[0].close)
        _started = (files, *readers)


def take(files: Sequence[object]) -> tuple[ExitStack, Iterable[FileRows]] | None:
    """The readers started for exactly ``files`` (None when none were; readers started for
    other files are stopped)."""
    global _started
    started, _started = _started, None
    if started is None:
        return None
    names, stack, read = started
    if names == [str(file) for file in files]:
        return stack, read
    stack.close()  # started on other files than the command line turned out to name
    return None


@contextmanager
def reading(paths: Sequence[Path]) -> Iterator[Iterable[FileRows]]:
    """``read_rows`` of each of ``paths``, in their order, started now (or taken over from
    the start of the run): the files are read while the block runs, in other processes when
    there are enough of them."""
    readers = take(paths) or in_readers([str(path) for path in paths])
    if readers is None:
        from movement_cli.ingest.recognition import read_rows

        yield map(read_rows, paths)
        return
    stack, read = readers
    with stack:
        yield read
