"""The second process that reads and checks a file while the first one writes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from movement_cli.errors import BadInput, InputProblem, MovementError
from movement_cli.ingest import pipeline

# The mechanics are tested on any Linux machine, a one-CPU one included.
pytestmark = [pytest.mark.skipif(not sys.platform.startswith("linux"),
                                 reason="one process on this platform"),
              pytest.mark.usefixtures("two_cpus")]


def _counting(n: int):
    for i in range(n):
        yield i, os.getpid(), [f"Phường {i}"] * 3
    return "done", os.getpid()


def _drain(generator):
    items = []
    while True:
        try:
            items.append(next(generator))
        except StopIteration as stop:
            return items, stop.value


def test_items_and_return_value_come_from_another_process_in_order():
    items, (result, child_pid) = _drain(pipeline.in_child(lambda: _counting(5000)))
    assert [i for i, _, _ in items] == list(range(5000))
    assert items[1234][2] == ["Phường 1234"] * 3
    assert result == "done" and child_pid != os.getpid()
    assert {pid for _, pid, _ in items} == {child_pid}


def _failing():
    yield 1
    raise BadInput([InputProblem("r.csv", 7, "kind", "unknown kind 'lạ'")])


def test_an_exception_in_the_child_is_raised_here_with_its_details():
    generator = pipeline.in_child(_failing)
    assert next(generator) == 1
    with pytest.raises(BadInput) as raised:
        next(generator)
    assert raised.value.problems == [InputProblem("r.csv", 7, "kind", "unknown kind 'lạ'")]


class _Unpicklable(Exception):
    def __init__(self, a, b):
        super().__init__(a)


def _raising_unpicklable():
    yield 1
    raise _Unpicklable("kept as text", 2)


def test_an_exception_that_cannot_be_pickled_arrives_as_its_traceback():
    generator = pipeline.in_child(_raising_unpicklable)
    next(generator)
    with pytest.raises(RuntimeError, match="kept as text"):
        next(generator)


def _dying():
    yield 1
    os._exit(3)


def test_a_child_that_dies_is_an_error_not_a_hang_said_in_the_runs_language():
    from movement_cli import i18n
    from movement_cli.cli.language import localize_message

    generator = pipeline.in_child(_dying)
    next(generator)
    with pytest.raises(MovementError, match=r"stopped unexpectedly \(exit status 3\)") as raised:
        next(generator)
    i18n.use("vi")
    assert (localize_message(i18n.message_of(raised.value))
            == "tiến trình đọc tệp dừng bất thường (mã thoát 3)")


def _killed(number: int):
    yield 1
    os.kill(os.getpid(), number)


@pytest.mark.parametrize(("number", "said"), [(signal.SIGKILL, "killed: out of memory?"),
                                              (signal.SIGSEGV, "killed by SIGSEGV")])
def test_a_child_killed_by_a_signal_is_named(number, said):
    generator = pipeline.in_child(lambda: _killed(number))
    next(generator)
    with pytest.raises(MovementError) as raised:
        next(generator)
    assert f"({said})" in str(raised.value)


def test_a_dead_child_already_reaped_is_still_an_error():
    # With SIGCHLD ignored (inherited from a supervisor) the system reaps the child itself.
    previous = signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    try:
        generator = pipeline.in_child(_dying)
        next(generator)
        with pytest.raises(MovementError, match="stopped unexpectedly"):
            next(generator)
    finally:
        signal.signal(signal.SIGCHLD, previous)


def test_started_is_called_here_once_the_child_runs_and_before_its_items():
    events = []

    def produce():
        yield os.getpid()

    generator = pipeline.in_child(produce, started=lambda: events.append(("started",)))
    events.append(("item", next(generator)))
    assert events[0] == ("started",)
    assert events[1][1] != os.getpid()


_ORPHAN_SCRIPT = """
import sys, time
from movement_cli.ingest import pipeline
pipeline._second_cpu = lambda: True

def slow():
    print(__import__("os").getpid(), flush=True)  # the child's pid, on the shared stdout
    time.sleep(60)  # like parsing a large workbook before its first rows
    yield 1

next(pipeline.in_child(slow))
"""


def test_a_child_does_not_outlive_a_killed_parent():
    parent = subprocess.Popen([sys.executable, "-c", _ORPHAN_SCRIPT], stdout=subprocess.PIPE,
                              text=True)
    child = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 5
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    if _running(child):
        os.kill(child, 9)
        pytest.fail("the child kept running after its parent was killed")


def _running(pid: int) -> bool:
    """Alive and not a zombie waiting to be reaped by whoever adopted it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _endless():
    i = 0
    while True:
        yield os.getpid(), "x" * 10_000
        i += 1


def test_stopping_early_ends_the_child():
    generator = pipeline.in_child(_endless)
    child_pid, _ = next(generator)
    generator.close()
    with pytest.raises(ProcessLookupError):
        os.kill(child_pid, 0)  # reaped: no such process


def _open_files():
    # Beyond the standard streams (which pytest points at files of its own).
    yield [os.readlink(f"/proc/self/fd/{fd}") for fd in os.listdir("/proc/self/fd")
           if int(fd) > 2 and os.path.exists(f"/proc/self/fd/{fd}")]


def test_the_child_holds_no_file_of_the_parent(tmp_path):
    # The parent holds the database's write lock and SQLite's files: a child that kept them
    # open would keep the lock after the parent died.
    lock = tmp_path / "movement.db.lock"
    with open(lock, "w"):
        ((files,), _) = _drain(pipeline.in_child(_open_files))
    assert str(lock) not in files
    assert not [f for f in files if f.startswith("/") and not f.startswith("/dev/")
                and not f.startswith("/proc/")]


def test_single_process_when_asked(monkeypatch):
    monkeypatch.setenv("MOVEMENT_SINGLE_PROCESS", "1")
    items, (_, pid) = _drain(pipeline.in_child(lambda: _counting(3)))
    assert pid == os.getpid() and len(items) == 3


def test_importing_a_roster_leaves_no_process_behind(cli, db, tmp_path):
    roster = tmp_path / "r.csv"
    roster.write_text("code,name,kind\n1,Xã Một,xa\n1,Xã Hai,xa\n", encoding="utf-8")
    cli("units", "import", roster, code=1)
    roster.write_text("code,name,kind\n1,Xã Một,xa\n", encoding="utf-8")
    cli("units", "import", roster)
    if sys.platform.startswith("linux"):
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)


def test_one_process_on_one_cpu(monkeypatch):
    monkeypatch.setattr(pipeline, "_second_cpu", lambda: False)
    items, (_, pid) = _drain(pipeline.in_child(lambda: _counting(3)))
    assert pid == os.getpid() and len(items) == 3


def _dealt(items: list[str]):
    def produce(index: int, count: int):
        for item in items[index::count]:
            yield item, os.getpid()
    return produce


@pytest.mark.parametrize("n", [0, 1, 2, 3, 7, 100])
def test_work_dealt_to_two_children_comes_back_in_its_first_order(n):
    items = [f"tệp {i}.xlsx" for i in range(n)]
    with pipeline.in_children(_dealt(items), 2) as produced:
        got = list(produced)
    assert [item for item, _ in got] == items
    pids = {pid for _, pid in got}
    assert os.getpid() not in pids and len(pids) == min(n, 2)


def _second_fails(index: int, count: int):
    yield index
    if index == 1:
        raise BadInput([InputProblem("b.xlsx", 4, "met", "'có lẽ' is not an answer")])
    yield index + count


def test_a_childs_exception_is_raised_where_its_item_would_have_come():
    with pipeline.in_children(_second_fails, 2) as produced:
        got = []
        with pytest.raises(BadInput) as raised:
            for item in produced:
                got.append(item)
    assert got == [0, 1, 2]
    assert raised.value.problems[0].file == "b.xlsx"


def test_leaving_early_ends_the_children():
    def endless(index: int, count: int):
        while True:
            yield os.getpid()

    with pipeline.in_children(endless, 2) as produced:
        pids = {next(iter(produced)), next(iter(produced))}
    assert len(pids) == 2
    for pid in pids:  # reaped, not only killed
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_in_this_process_without_a_second_cpu(monkeypatch):
    monkeypatch.setattr(pipeline, "_second_cpu", lambda: False)
    with pipeline.in_children(_dealt(["a", "b", "c"]), 2) as produced:
        assert list(produced) == [("a", os.getpid()), ("b", os.getpid()), ("c", os.getpid())]


def test_every_child_starts_before_any_is_waited_on(tmp_path):
    # The first child's first file may take a while: the second reads meanwhile.
    started = tmp_path / "second-started"

    def produce(index: int, count: int):
        if index == 1:
            started.touch()
        else:
            deadline = time.monotonic() + 10
            while not started.exists() and time.monotonic() < deadline:
                time.sleep(0.01)
        yield index, started.exists()

    with pipeline.in_children(produce, 2) as produced:
        assert list(produced) == [(0, True), (1, True)]


def test_a_child_failing_before_the_others_were_asked_leaves_none_behind():
    def produce(index: int, count: int):
        if index == 0:
            raise BadInput([InputProblem("a.xlsx", 0, "", "not a workbook")])
        while True:
            yield index

    with pytest.raises(BadInput):
        with pipeline.in_children(produce, 3) as produced:
            list(produced)
    with pytest.raises(ChildProcessError):  # every child killed and reaped
        os.waitpid(-1, os.WNOHANG)
