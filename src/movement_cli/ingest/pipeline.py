"""Read and check an input file in a second process while this one writes to the database.

A national roster import is two kinds of work of about the same size: reading, normalising
and checking a million rows (Python) and inserting them (SQLite). On a machine with two
cores they can run side by side. ``in_child`` runs a generator in a forked child and hands
its items over a pipe, pickled, so the caller consumes them exactly as it would consume the
generator itself: the same items in the same order, the generator's return value as the
value of ``yield from``, and its exception raised here.

The child never touches the database: it closes every inherited file descriptor but the
pipe and the standard streams (so it holds neither the write lock nor SQLite's files), and
it dies as soon as the parent stops reading (a killed or failed parent closes the pipe).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager, suppress
from typing import TypeVar

from movement_cli.i18n import N_

# The errors module and traceback are imported where a reader fails: `recognize import`
# forks its readers at the very start of the run (see ``answer_files``), before loading
# anything it can do without.

Item = TypeVar("Item")
Result = TypeVar("Result")

_ITEM, _RETURN, _RAISE = 0, 1, 2
_PIPE_BUFFER = 1 << 20


def can_fork() -> bool:
    """Whether ``in_child`` uses a second process here. Only on Linux: fork is unsafe on
    macOS once system libraries have started threads, and absent on Windows. Only with a
    second CPU to run on: on one, the two processes take turns and the pickling between
    them is pure cost. Setting MOVEMENT_SINGLE_PROCESS=1 keeps everything in one process."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork")
            and os.environ.get("MOVEMENT_SINGLE_PROCESS", "0") in ("", "0")
            and _second_cpu())


def _second_cpu() -> bool:
    return len(os.sched_getaffinity(0)) > 1


def in_child(produce: Callable[[], Generator[Item, None, Result]],
             started: Callable[[], None] | None = None) -> Generator[Item, None, Result]:
    """``produce()``'s items, produced in a forked child; returns its return value and
    raises its exception (as raised in the child, when it can be pickled). ``started()`` is
    called in this process once the child runs, before its first item: the moment to start
    threads (a progress bar), which must not exist when the process forks."""
    if not can_fork():
        if started is not None:
            started()
        return (yield from produce())
    pid, read_end = _fork(produce)
    return (yield from _received(pid, read_end, started))


def _fork(produce: Callable[[], Generator]) -> tuple[int, int]:
    """Start a child that serves ``produce()``'s items; its pid and the pipe's read end."""
    read_end, write_end = os.pipe()
    _widen(write_end)
    # Ctrl-C is held back over the fork, so that the child is never interrupted before it
    # has set itself up to ignore it (else it would run this process's cleanup: roll back
    # the transaction, release the write lock).
    parent = os.getpid()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _serve(produce, parent, read_end, write_end)
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    os.close(write_end)
    return pid, read_end


def _received(pid: int, read_end: int, started: Callable[[], None] | None = None
              ) -> Generator:
    """What the child ``pid`` sends down ``read_end``: its items, then its return value (as
    this generator's) or its exception (raised here). Leaving early ends the child."""
    finished = False
    try:
        if started is not None:
            started()
        with os.fdopen(read_end, "rb", buffering=_PIPE_BUFFER) as pipe:
            while True:
                try:
                    kind, payload = pickle.load(pipe)
                except (EOFError, pickle.UnpicklingError) as exc:
                    from movement_cli.errors import MovementError

                    finished = True
                    how = _how_it_ended(pid, still_writing=not isinstance(exc, EOFError))
                    raise MovementError(N_("the process reading the file stopped unexpectedly "
                                           "({how})", how=how)) from None
                if kind == _ITEM:
                    yield payload
                elif kind == _RETURN:
                    finished = True
                    return payload
                else:
                    finished = True
                    raise payload
    finally:
        if not finished:
            # The caller stopped early (an error, Ctrl-C): the child is not needed.
            _end(pid)
        else:
            with suppress(ChildProcessError):  # already reaped by _how_it_ended
                os.waitpid(pid, 0)


def _end(pid: int) -> None:
    """Kill the child ``pid`` and reap it."""
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)


@contextmanager
def in_children(produce: Callable[[int, int], Generator[Item, None, None]], count: int
                ) -> Iterator[Iterator[Item]]:
    """The items of ``produce(0, count)`` … ``produce(count - 1, count)``, each generator run
    in a forked child of its own, interleaved: one from the first, one from the second …, and
    round again. Made for work dealt out as ``items[index::count]``, which this gives back in
    its first order. The children start at once, so that this process can do other work
    while they read; leaving the block ends the children still running. Without a second
    CPU (see ``can_fork``), it is ``produce(0, 1)`` run here."""
    if count < 2 or not can_fork():
        yield produce(0, 1)
        return
    children: list[tuple[int, int]] = []
    streams: list[Generator] = []
    asked = [False] * count  # whether a child's stream has been asked for an item
    try:
        # Every child is started before any is waited on; what each sends meanwhile waits
        # in its pipe (widened by ``_widen``).
        for index in range(count):
            children.append(_fork(lambda index=index: produce(index, count)))
        streams = [_received(pid, read_end, lambda index=index: asked.__setitem__(index, True))
                   for index, (pid, read_end) in enumerate(children)]
        yield _interleaved(streams)
    finally:
        for index, (pid, read_end) in enumerate(children):
            if asked[index]:
                streams[index].close()  # ends and reaps the child
            else:  # never asked for an item (an earlier child failed first)
                _end(pid)
                os.close(read_end)


_NOTHING = object()


def _interleaved(streams: list[Generator]) -> Iterator:
    """One item from each stream in turn, until one has none left (dealt
    ``items[index::count]``, the streams after it are then empty too)."""
    while True:
        for stream in streams:
            item = next(stream, _NOTHING)
            if item is _NOTHING:
                return
            yield item


def _widen(fd: int) -> None:
    """Let the pipe hold up to a megabyte (Linux's default limit for anyone), not 64 KiB: a
    child then reads ahead while this process is busy with other work before it reads."""
    import fcntl

    with suppress(AttributeError, OSError):
        fcntl.fcntl(fd, fcntl.F_SETPIPE_SZ, 1 << 20)


def _how_it_ended(pid: int, still_writing: bool) -> str:
    """Wait for the child that stopped without a word, and say how it ended. A child whose
    output could not be read may still be writing: it is ended first."""
    if still_writing:
        _end(pid)
        return N_("what it sent could not be read")
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:
        # SIGCHLD ignored (inherited from whatever started this process): the system has
        # already reaped it, and with it its exit status.
        return N_("how is not known")
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        if number == signal.SIGKILL:
            return N_("killed: out of memory?")
        try:
            return N_("killed by {signal}", signal=signal.Signals(number).name)
        except ValueError:
            return N_("killed by signal {number}", number=number)
    if os.WIFEXITED(status) and os.WEXITSTATUS(status):
        return N_("exit status {status}", status=os.WEXITSTATUS(status))
    return N_("its output was cut short")


def _serve(produce: Callable[[], Generator], parent: int, read_end: int, write_end: int
           ) -> None:
    """The child's whole life: run the generator, send what it yields, returns or raises."""
    status = 0
    try:
        # Ctrl-C reaches the whole process group: the parent handles it and ends the child.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        _die_with_parent(parent)
        # Short-lived, and everything it makes is freed by reference counting.
        gc.disable()
        os.close(read_end)
        os.closerange(3, write_end)
        os.closerange(write_end + 1, _max_fd())
        with os.fdopen(write_end, "wb", buffering=_PIPE_BUFFER) as pipe:
            items = produce()
            while True:
                try:
                    item = next(items)
                except StopIteration as stop:
                    message = (_RETURN, stop.value)
                except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
                    message = (_RAISE, _picklable(exc))
                else:
                    message = (_ITEM, item)
                pickle.dump(message, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pipe.flush()
                if message[0] != _ITEM:
                    break
    except BrokenPipeError:
        status = 1  # the parent has gone: nobody to tell
    except BaseException:  # noqa: BLE001 - the child must never run the parent's code
        status = 2
        import traceback

        # Straight to the descriptor: a thread of the parent (a progress bar) may have held
        # sys.stderr's lock when the child was forked.
        os.write(2, traceback.format_exc().encode("utf-8", "replace"))
    finally:
        os._exit(status)


def _die_with_parent(parent: int) -> None:
    """Be killed when the parent dies: a spreadsheet or a YAML file is parsed whole before
    its first rows are sent, and a killed parent would otherwise leave the child parsing on
    (holding the terminal's streams) until then."""
    try:
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (ImportError, OSError, AttributeError):
        pass  # the pipe still ends the child at its next write
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def _picklable(exc: BaseException) -> BaseException:
    """The exception itself when it survives pickling, else a RuntimeError with its
    traceback (so that nothing is lost)."""
    try:
        pickle.loads(pickle.dumps(exc))
    except Exception:  # noqa: BLE001 - any failure to pickle means "send it as text"
        import traceback

        text = "".join(traceback.format_exception(exc))
        return RuntimeError(N_("the process reading the file failed:\n{text}", text=text))
    return exc


def _max_fd() -> int:
    try:
        return os.sysconf("SC_OPEN_MAX")
    except (ValueError, OSError):
        return 1024
