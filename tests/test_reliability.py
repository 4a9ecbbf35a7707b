"""All-or-nothing writes under SIGKILL, and a second writer during a long import."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import hue_file

ROWS = 200_000


def _movement(*args, db: Path, wait: float | None = None, **popen):
    command = [sys.executable, "-m", "movement_cli", "--db", str(db)]
    if wait is not None:
        command += ["--wait", str(wait)]
    env = {**os.environ, "MOVEMENT_TODAY": "2024-01-17"}
    return subprocess.Popen(command + [str(a) for a in args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **popen)


def _big_roster(path: Path, rows: int = ROWS) -> Path:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("code,name,kind,parent_code\n")
        for i in range(rows):
            handle.write(f"T{i:07d},Thôn Số {i},khu_dan_cu,19798\n")
    return path


def _snapshot(db: Path):
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return (conn.execute("SELECT COUNT(*) FROM unit_versions").fetchone()[0],
                conn.execute("SELECT COUNT(*) FROM audit").fetchone()[0],
                # and the schema: a killed import leaves every index as it was
                conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' "
                             "ORDER BY name").fetchall())
    finally:
        conn.close()


@pytest.fixture
def seeded(cli, hue_2024, tmp_path):
    return Path(os.environ["MOVEMENT_DB"])


@pytest.mark.slow
def test_sigkill_during_import_leaves_all_or_nothing(seeded, tmp_path):
    roster = _big_roster(tmp_path / "big.csv")
    pristine = tmp_path / "pristine.db"
    shutil.copy(seeded, pristine)
    before = _snapshot(pristine)
    rng = random.Random(20240117)
    outcomes = set()
    for attempt in range(5):
        db = tmp_path / f"kill{attempt}.db"
        shutil.copy(pristine, db)
        process = _movement("units", "import", roster, "--as-of", "2024-01-01", db=db)
        time.sleep(rng.uniform(0.1, 2.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        units, audits, indexes = _snapshot(db)
        assert indexes == before[2]
        if units == before[0]:
            assert audits == before[1]
            outcomes.add("before")
        else:
            assert (units, audits) == (before[0] + ROWS, before[1] + 1)
            outcomes.add("after")
        # and the database is still writable
        finished = _movement("units", "import", hue_file("hue-2025-authorities.csv"),
                             "--as-of", "2025-01-01", db=db)
        assert finished.wait() == 0, finished.stderr.read()
    assert outcomes  # at least one kill landed


@pytest.mark.slow
def test_second_writer_waits_for_a_long_import_or_exits_75(seeded, tmp_path):
    roster = _big_roster(tmp_path / "big.csv")
    first = _movement("units", "import", roster, "--as-of", "2024-01-01", db=seeded)
    holder = seeded.with_name(seeded.name + ".lock.holder")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if holder.exists() and "units import" in holder.read_text(encoding="utf-8") \
                and str(first.pid) in holder.read_text(encoding="utf-8"):
            break
        time.sleep(0.02)
    impatient = _movement("units", "import", hue_file("hue-2025-authorities.csv"),
                          "--as-of", "2025-01-01", db=seeded, wait=0)
    patient = _movement("units", "import", hue_file("hue-2025-authorities.csv"),
                        "--as-of", "2025-01-01", db=seeded, wait=60)
    impatient_err = impatient.communicate()[1]
    patient_out, patient_err = patient.communicate()
    assert first.wait() == 0
    assert patient.returncode == 0, patient_err
    assert "waiting" in patient_err or impatient.returncode == 0
    if impatient.returncode != 0:
        assert impatient.returncode == 75
        assert f"pid {first.pid}" in impatient_err
    for err in (impatient_err, patient_err):
        assert "database is locked" not in err and "Traceback" not in err


@pytest.mark.slow
def test_eight_concurrent_writers_never_see_database_is_locked(seeded, tmp_path):
    results = tmp_path / "r.csv"
    results.write_text("code,year,safety,class,score\n19798,2023,dat,xuat_sac,95\n"
                       "CQ002,2023,dat,xuat_sac,92\n19906,2023,dat,kha,80\n", encoding="utf-8")
    commands = [
        ("assess", "import", results),
        ("select", "--year", "2024"),
        ("units", "import", hue_file("hue-2025-authorities.csv"), "--as-of", "2025-01-01"),
        ("select", "--year", "2024", "--pick", "19798", "--override", "thử nghiệm"),
    ] * 2
    processes = [_movement(*args, db=seeded, wait=60) for args in commands]
    for process, args in zip(processes, commands, strict=True):
        out, err = process.communicate(timeout=120)
        assert process.returncode in (0, 1, 3), (args, err)
        assert "database is locked" not in err and "Traceback" not in err, (args, err)
    conn = sqlite3.connect(seeded)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT COUNT(*) FROM results WHERE year = 2023").fetchone()[0] == 3
    assert conn.execute("SELECT COUNT(*) FROM selections").fetchone()[0] == 1


@pytest.mark.slow
def test_backup_during_a_long_import_holds_the_before_or_the_after_state(seeded, tmp_path):
    roster = _big_roster(tmp_path / "big.csv")
    before = _snapshot(seeded)
    importing = _movement("units", "import", roster, "--as-of", "2024-01-01", db=seeded)
    holder = seeded.with_name(seeded.name + ".lock.holder")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not (
            holder.exists() and "units import" in holder.read_text(encoding="utf-8")):
        time.sleep(0.02)
    copies = []
    for i in range(3):  # during the import, and (likely) the last one after it
        copy = tmp_path / f"copy{i}.db"
        backup = _movement("backup", copy, db=seeded, wait=0)
        out, err = backup.communicate(timeout=120)
        assert backup.returncode == 0, err
        assert "Traceback" not in err and "database is locked" not in err
        copies.append(copy)
        time.sleep(0.3)
    assert importing.wait(timeout=300) == 0
    states = set()
    for copy in copies:
        units, audits, indexes = _snapshot(copy)  # integrity_check is ok
        assert indexes == before[2]
        assert (units, audits) in ((before[0], before[1]), (before[0] + ROWS, before[1] + 1))
        states.add(units)
    assert before[0] in states  # at least one copy was taken while the import ran
