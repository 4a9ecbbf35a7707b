"""Benchmarks of quality.md: each row times the tool and its floor in the same run.

    python benchmarks/run.py                 # full size: 1,000,000 units; exits 1 on a miss
    python benchmarks/run.py --units 20000 --report-only   # what .ci/run does

Each figure is the best of ``--repeat`` runs of a fresh subprocess, so start-up is counted on
both sides. Peak memory is the child's maximum resident set size (``wait4``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PYTHON = sys.executable
MOVEMENT = [PYTHON, "-m", "movement_cli"]


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def timed(command: list[str], env: dict | None = None, cwd: Path | None = None) -> Measure:
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=cwd,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) not in (0, 3):
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{stderr}")
    return Measure(elapsed, usage.ru_maxrss / 1024)


def best(repeat: int, run: Callable[[], Measure]) -> Measure:
    runs = [run() for _ in range(repeat)]
    return Measure(min(r.seconds for r in runs), max(r.peak_mb for r in runs))


@dataclass
class Row:
    name: str
    tool: Measure
    baseline: Measure
    bar: float
    memory_bar_mb: float | None = None

    @property
    def ratio(self) -> float:
        return self.tool.seconds / self.baseline.seconds

    @property
    def passed(self) -> bool:
        ok = self.ratio <= self.bar
        if self.memory_bar_mb is not None:
            ok = ok and self.tool.peak_mb <= self.memory_bar_mb
        return ok

    def line(self) -> str:
        memory = (f"; peak {self.tool.peak_mb:.0f} MB (bar {self.memory_bar_mb:.0f} MB)"
                  if self.memory_bar_mb is not None else "")
        verdict = "ok" if self.passed else "MISS"
        return (f"{self.name}: {self.tool.seconds:.3f} s vs baseline "
                f"{self.baseline.seconds:.3f} s = {self.ratio:.2f}x (bar {self.bar:g}x)"
                f"{memory} [{verdict}]")


BASELINE_IMPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE IF NOT EXISTS units (code TEXT PRIMARY KEY, name TEXT, kind TEXT,"
             " parent_code TEXT, subtype TEXT, active_from TEXT, active_to TEXT, note TEXT)")
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    with conn:
        conn.executemany("INSERT OR REPLACE INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
"""

BARE_TYPER = """
import typer
app = typer.Typer()
@app.command()
def one(): pass
@app.command()
def two(): pass
app()
"""


def take_units(source: Path, target: Path, count: int) -> None:
    """The first ``count`` units of a roster (parents come first, so they stand alone)."""
    with open(source, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as dst:
        for index, line in enumerate(src):
            if index > count:
                break
            dst.write(line)


def bench_units_import(work: Path, data: Path, repeat: int) -> Row:
    seed_csv = work / "seed-units.csv"
    take_units(data / "units.csv", seed_csv, 1000)
    seeded = work / "seeded.db"
    subprocess.run([*MOVEMENT, "--db", str(seeded), "init"], check=True,
                   stderr=subprocess.DEVNULL)
    subprocess.run([*MOVEMENT, "--db", str(seeded), "-q", "units", "import", str(seed_csv),
                    "--as-of", "2020-01-01"], check=True)
    baseline_seed = work / "baseline-seed.db"
    subprocess.run([PYTHON, "-c", BASELINE_IMPORT, str(seed_csv), str(baseline_seed)],
                   check=True)

    def tool() -> Measure:
        target = work / "tool.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(seeded, target)
        return timed([*MOVEMENT, "--db", str(target), "-q", "units", "import",
                      str(data / "units.csv"), "--as-of", "2022-01-01"])

    def baseline() -> Measure:
        target = work / "baseline.db"
        shutil.copy(baseline_seed, target)
        return timed([PYTHON, "-c", BASELINE_IMPORT, str(data / "units.csv"), str(target)])

    return Row("units import", best(repeat, tool), best(repeat, baseline), 2.0, 200.0)


def bench_help(work: Path, repeat: int) -> Row:
    script = work / "bare_typer.py"
    script.write_text(BARE_TYPER)
    tool = best(max(repeat, 5), lambda: timed([*MOVEMENT, "--help"]))
    baseline = best(max(repeat, 5), lambda: timed([PYTHON, str(script), "--help"]))
    return Row("movement --help", tool, baseline, 1.3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--report-only", action="store_true",
                        help="print the rows but exit 0 even when a ratio misses its bar")
    parser.add_argument("--work", type=Path, help="keep generated data here (default: temp)")
    parser.add_argument("--only", action="append", help="run only rows whose name contains this")
    args = parser.parse_args(argv)

    from make_data import generate

    work = args.work or Path(tempfile.mkdtemp(prefix="movement-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"data-{args.units}"
    if not (data / "units.csv").exists():
        generate(data, units=args.units, years=3, first_year=2023, seed=20240117)

    benches = {
        "units import": lambda: bench_units_import(work, data, args.repeat),
        "movement --help": lambda: bench_help(work, args.repeat),
    }
    rows = []
    for name, bench in benches.items():
        if args.only and not any(part in name for part in args.only):
            continue
        row = bench()
        print(row.line(), flush=True)
        rows.append(row)
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    full_size = args.units >= 1_000_000
    if full_size and not args.report_only and not all(row.passed for row in rows):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
