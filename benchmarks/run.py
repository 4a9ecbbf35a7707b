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


def paired(repeat: int, tool: Callable[[], Measure], baseline: Callable[[], Measure]
           ) -> tuple[Measure, Measure]:
    """The best of ``repeat`` runs of each, the two taking turns: on a shared machine whose
    speed drifts, tool and floor then see the same conditions."""
    runs = [(tool(), baseline()) for _ in range(repeat)]
    tools, baselines = zip(*runs, strict=True)
    return (Measure(min(r.seconds for r in tools), max(r.peak_mb for r in tools)),
            Measure(min(r.seconds for r in baselines), max(r.peak_mb for r in baselines)))


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

    return Row("units import", *paired(repeat, tool, baseline), 2.0, 200.0)


BASELINE_RESULTS_IMPORT = """
import csv, sqlite3, sys
conn = sqlite3.connect(sys.argv[2])
conn.execute("CREATE TABLE IF NOT EXISTS results (code TEXT, year INTEGER, safety TEXT,"
             " class TEXT, score REAL, decision TEXT, note TEXT, PRIMARY KEY (code, year))")
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    next(rows)
    with conn:
        conn.executemany("INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
"""


def _database_with_units(work: Path, data: Path) -> Path:
    """Every unit of the roster (as of 2022) and no results, made once."""
    target = work / f"units-{data.name}.db"
    if target.exists():
        return target
    partial = work / "units.partial.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    for args in (["init"], ["units", "import", str(data / "units.csv"), "--as-of", "2022-01-01"]):
        subprocess.run([*MOVEMENT, "--db", str(partial), "-q", *args], check=True)
    partial.rename(target)
    return target


def bench_assess_import(work: Path, data: Path, repeat: int) -> Row:
    units_db = _database_with_units(work, data)
    environment = {"MOVEMENT_TODAY": "2026-01-15"}

    def tool() -> Measure:
        target = work / "assess.db"
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(units_db, target)
        return timed([*MOVEMENT, "--db", str(target), "-q", "assess", "import",
                      str(data / "results.csv")], env=environment)

    def baseline() -> Measure:
        target = work / "baseline-results.db"
        for suffix in ("", "-journal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        return timed([PYTHON, "-c", BASELINE_RESULTS_IMPORT, str(data / "results.csv"),
                      str(target)])

    return Row("assess import", *paired(repeat, tool, baseline), 2.0, 200.0)


BASELINE_SELECT = r'''
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
year, basis = 2026, 2025
day = f"{year}-01-01"
sql = """
WITH streak AS (
  SELECT code, SUM(year + n = :basis) AS years FROM (
    SELECT code, year, ROW_NUMBER() OVER (PARTITION BY code ORDER BY year DESC) AS n
    FROM results WHERE year < :basis AND safety = 'dat') GROUP BY code),
facts AS (
  SELECT v.code, v.name, v.kind, r.safety, r.class, r.score, COALESCE(s.years, 0) AS years,
    CASE WHEN v.kind = 'xa' THEN 'xa' WHEN v.kind = 'phuong' THEN 'phuong'
         WHEN v.kind = 'dac_khu' THEN 'dac_khu' ELSE 'co_quan_dn_csgd' END AS grp,
    COALESCE(v.subtype IN ('luc_luong_vu_trang', 'doanh_nghiep_nho', 'doanh_nghiep_sieu_nho',
                           'tieu_hoc', 'mam_non', 'nha_tre'), 0) AS excluded,
    (r.safety IS NULL OR r.class IS NULL) AS no_result,
    (r.safety IS NOT NULL AND r.class IS NOT NULL AND r.safety <> 'dat') AS safety_not_met,
    (r.safety IS NOT NULL AND r.class IS NOT NULL AND r.class NOT IN ('xuat_sac', 'kha'))
      AS class_below
  FROM unit_versions v
  LEFT JOIN results r ON r.code = v.code AND r.year = :basis
  LEFT JOIN streak s ON s.code = v.code
  WHERE (v.active_from IS NULL OR v.active_from <= :day)
    AND (v.active_to IS NULL OR v.active_to >= :day)
    AND v.kind IN ('xa', 'phuong', 'dac_khu', 'co_quan', 'doanh_nghiep', 'co_so_giao_duc'))
SELECT *, CASE WHEN NOT (excluded OR no_result OR safety_not_met OR class_below) THEN
  ROW_NUMBER() OVER (
    PARTITION BY grp, NOT (excluded OR no_result OR safety_not_met OR class_below)
    ORDER BY CASE class WHEN 'xuat_sac' THEN 0 ELSE 1 END, score IS NULL, score DESC,
             years DESC, code) END AS rank
FROM facts
"""
eligible, ineligible = [], []
for row in conn.execute(sql, {"basis": basis, "day": day}):
    code, name, kind, safety, klass, score, years, grp, exc, nores, unsafe, below, rank = row
    if rank is not None:
        eligible.append({"code": code, "name": name, "kind": kind, "group": grp,
                         "safety": safety, "class": klass, "score": score, "rank": rank})
    else:
        reasons = [r for r, on in (("excluded_subtype", exc), ("no_result", nores),
                   ("safety_not_met", unsafe), ("class_below_minimum", below)) if on]
        ineligible.append({"code": code, "name": name, "kind": kind, "reasons": reasons})
eligible.sort(key=lambda u: (u["group"], u["rank"]))
json.dump({"year": year, "basis_year": basis, "eligible": eligible, "ineligible": ineligible},
          sys.stdout, ensure_ascii=False, indent=2)
'''


def _database_with_results(work: Path, data: Path) -> Path:
    """The national database: every unit (as of 2022) and every result, made once."""
    target = work / f"national-{data.name}.db"
    if target.exists():
        return target
    partial = work / "national.partial.db"
    for suffix in ("", "-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    environment = {**os.environ, "MOVEMENT_TODAY": "2026-01-15"}
    for args in (["init"], ["units", "import", str(data / "units.csv"), "--as-of", "2022-01-01"],
                 ["assess", "import", str(data / "results.csv")]):
        subprocess.run([*MOVEMENT, "--db", str(partial), "-q", *args], check=True,
                       env=environment)
    partial.rename(target)
    return target


def bench_select(work: Path, data: Path, repeat: int) -> Row:
    national = _database_with_results(work, data)
    environment = {"MOVEMENT_TODAY": "2026-01-15"}
    def tool() -> Measure:
        return timed([*MOVEMENT, "--db", str(national), "select", "--year", "2026",
                      "--dry-run", "--json"], env=environment)

    def baseline() -> Measure:
        return timed([PYTHON, "-c", BASELINE_SELECT, str(national)])

    return Row("select --dry-run --json", *paired(repeat, tool, baseline), 3.0)


BASELINE_RENDER = """
import json, sys
from docxtpl import DocxTemplate
template, context_file, out = sys.argv[1], sys.argv[2], sys.argv[3]
context = json.load(open(context_file, encoding="utf-8"))
for i in range(100):
    document = DocxTemplate(template)
    document.render(context)
    document.save(f"{out}/plan-{i}.docx")
"""

CONTEXT_DUMP = """
import json, sys
from pathlib import Path
from movement_cli.store.db import Database
from movement_cli.workflows.render import RenderRequest, build_jobs
from movement_cli.resources import bundled
db = Database.open(Path(sys.argv[1]), actor="bench", command="bench")
context = dict(build_jobs(db, RenderRequest(year=2024, doc="unit-plan"))[0].context)
context["_template"] = str(bundled("templates") / "unit-plan.docx")
Path(sys.argv[2]).write_text(json.dumps(context, ensure_ascii=False, default=str),
                             encoding="utf-8")
"""


def bench_render(work: Path, repeat: int) -> Row:
    """100 unit plans: the tool against docxtpl rendering the same template 100 times."""
    import json

    folder = work / "render"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    roster, results = folder / "units.csv", folder / "results.csv"
    with open(roster, "w", encoding="utf-8") as units, \
            open(results, "w", encoding="utf-8") as marks:
        units.write("code,name,kind,parent_code\n01,Thành phố Huế,tinh,\n")
        marks.write("code,year,safety,class,score\n")
        for i in range(100):
            units.write(f"CQ{i:03d},Hội Cựu chiến binh phường số {i},co_quan,01\n")
            marks.write(f"CQ{i:03d},2023,dat,kha,{70 + i % 20}\n")
    db = folder / "render.db"
    env = {"MOVEMENT_TODAY": "2024-01-17"}
    picks = [arg for i in range(100) for arg in ("--pick", f"CQ{i:03d}")]
    for args in (["init"], ["units", "import", str(roster)], ["assess", "import", str(results)],
                 ["config", "load", str(HERE.parent / "examples" / "authority-hue.yaml")],
                 ["select", "--year", "2024", "--confirm", *picks]):
        subprocess.run([*MOVEMENT, "--db", str(db), "-q", *args], env={**os.environ, **env},
                       stdout=subprocess.DEVNULL)
    context_file = folder / "context.json"
    subprocess.run([PYTHON, "-c", CONTEXT_DUMP, str(db), str(context_file)], check=True,
                   env={**os.environ, **env})
    template = json.loads(context_file.read_text(encoding="utf-8"))["_template"]
    plans, bare = folder / "plans", folder / "bare"

    def tool() -> Measure:
        shutil.rmtree(plans, ignore_errors=True)
        plans.mkdir()
        return timed([*MOVEMENT, "--db", str(db), "-q", "render-plan", "--year", "2024",
                      "--doc", "unit-plan", "--out", str(plans)], env=env)

    def baseline() -> Measure:
        shutil.rmtree(bare, ignore_errors=True)
        bare.mkdir()
        return timed([PYTHON, "-c", BASELINE_RENDER, template, str(context_file), str(bare)])

    return Row("render-plan 100 unit plans", *paired(repeat, tool, baseline), 1.3)


def bench_help(work: Path, repeat: int) -> Row:
    script = work / "bare_typer.py"
    script.write_text(BARE_TYPER)
    return Row("movement --help", *paired(max(repeat, 5), lambda: timed([*MOVEMENT, "--help"]),
                                          lambda: timed([PYTHON, str(script), "--help"])), 1.3)


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
        "assess import": lambda: bench_assess_import(work, data, args.repeat),
        "select --dry-run --json": lambda: bench_select(work, data, args.repeat),
        "render-plan 100 unit plans": lambda: bench_render(work, args.repeat),
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
