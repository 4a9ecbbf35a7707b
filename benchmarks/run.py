"""Benchmarks of quality.md: each row times the tool and its floor in the same run.

    python benchmarks/run.py                 # full size: 1,000,000 units; exits 1 on a miss
    python benchmarks/run.py --units 20000 --report-only   # what .ci/run does

Each figure is the best of ``--repeat`` runs of a fresh subprocess, so start-up is counted on
both sides. Peak memory is the child's maximum resident set size (``wait4``): at least this
runner's own, which is why the runner holds no data.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PYTHON = sys.executable
MOVEMENT = [PYTHON, "-m", "movement_cli"]


@dataclass
class Measure:
    seconds: float
    peak_mb: float


def timed(command: list[str], env: dict | None = None, cwd: Path | None = None,
          stdout: Path | None = None) -> Measure:
    """Run ``command`` once; its output goes to ``stdout`` (a file), else nowhere: a pipe,
    not a terminal, as a script would read it."""
    target = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    # Each run starts with nothing left to write from the one before (a thousand workbooks
    # just written, an 80 MB export): the system's write-back would share its cores.
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen(command, env={**os.environ, **(env or {})}, cwd=cwd,
                               stdout=target, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if stdout:
        target.close()
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
        memory_bar = (f" (bar {self.memory_bar_mb:.0f} MB)"
                      if self.memory_bar_mb is not None else "")
        verdict = "ok" if self.passed else "MISS"
        return (f"{self.name}: {self.tool.seconds:.3f} s vs baseline "
                f"{self.baseline.seconds:.3f} s = {self.ratio:.2f}x (bar {self.bar:g}x); "
                f"peak {self.tool.peak_mb:.0f} MB{memory_bar}, baseline "
                f"{self.baseline.peak_mb:.0f} MB [{verdict}]")


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


FLOORS = HERE / "floors"  # one script per floor; each says what it does and why


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


SAME_JSON = """
import json, sys
documents = [json.load(open(path, encoding="utf-8")) for path in sys.argv[1:]]
sys.exit(documents[0] != documents[1])
"""


def same_document(name: str, work: Path, tool: list[str], floor: list[str],
                  env: dict | None = None) -> None:
    """With --check: the floor must print the document the tool prints (as parsed JSON),
    or it is not the floor of the same work. Compared in a child process: this one stays
    small, because a child started from it inherits its peak memory figure."""
    paths = [work / "check-tool.json", work / "check-floor.json"]
    for command, path in zip((tool, floor), paths, strict=True):
        timed(command, env=env, stdout=path)
    differs = subprocess.run([PYTHON, "-c", SAME_JSON, *map(str, paths)]).returncode
    for path in paths:
        path.unlink()
    if differs:
        raise SystemExit(f"{name}: the floor's document differs from the tool's")
    print(f"{name}: the floor prints the tool's document", flush=True)


# The listing rows read the national database as of this day, when every unit is active.
TODAY = {"MOVEMENT_TODAY": "2026-01-15"}


def json_row(name: str, work: Path, data: Path, repeat: int, check: bool, args: list[str],
             floor: list[str], memory_bar_mb: float, bar: float = 2.0) -> Row:
    """A command's --json over the national database against its floor script."""
    national = _database_with_results(work, data)
    tool = [*MOVEMENT, "--db", str(national), *args]
    baseline = [PYTHON, str(FLOORS / floor[0]), str(national), *floor[1:]]
    if check:
        same_document(name, work, tool, baseline, env=TODAY)
    return Row(name, *paired(repeat, lambda: timed(tool, env=TODAY),
                             lambda: timed(baseline)), bar, memory_bar_mb)


def bench_select(work: Path, data: Path, repeat: int, check: bool) -> Row:
    return json_row("select --dry-run --json", work, data, repeat, check,
                    ["select", "--year", "2026", "--dry-run", "--json"], ["select.py"], 400.0)


def bench_units_list(work: Path, data: Path, repeat: int, check: bool) -> Row:
    return json_row("units list --json", work, data, repeat, check,
                    ["units", "list", "--as-of", "2026-01-15", "--json"],
                    ["units_list.py", "2026-01-15"], 250.0)


def bench_units_table(work: Path, data: Path, repeat: int, check: bool) -> Row:
    """The same list as a table, against the tool's own --json of it."""
    national = _database_with_results(work, data)
    listing = [*MOVEMENT, "--db", str(national), "units", "list", "--as-of", "2026-01-15"]
    return Row("units list as a table", *paired(
        repeat, lambda: timed(listing, env=TODAY),
        lambda: timed([*listing, "--json"], env=TODAY)), 1.5, 250.0)


def bench_assess_list(work: Path, data: Path, repeat: int, check: bool) -> Row:
    return json_row("assess list --json", work, data, repeat, check,
                    ["assess", "list", "--year", "2025", "--json"],
                    ["assess_list.py", "2025"], 250.0)


def bench_status(work: Path, data: Path, repeat: int, check: bool) -> Row:
    return json_row("status --json", work, data, repeat, check,
                    ["status", "--year", "2026", "--json"],
                    ["status.py", "2026", "2026-01-15"], 250.0)


def bench_export(work: Path, data: Path, repeat: int) -> Row:
    """`export units --format csv` of the national roster against sqlite3 rows through
    csv.writer, both into a file."""
    national = _database_with_results(work, data)
    tool = [*MOVEMENT, "--db", str(national), "export", "units", "--format", "csv",
            "--as-of", "2026-01-15", "--out", str(work / "export-tool.csv")]
    floor = [PYTHON, str(FLOORS / "export_units.py"), str(national), "2026-01-15",
             str(work / "export-floor.csv")]
    row = Row("export units --format csv", *paired(repeat, lambda: timed(tool, env=TODAY),
                                                   lambda: timed(floor)), 1.5, 200.0)
    # Compared a block at a time: read whole, the two files would raise this process's
    # peak memory, which every later row's process starts with (see ``main``).
    same = filecmp.cmp(work / "export-tool.csv", work / "export-floor.csv", shallow=False)
    for name in ("export-tool.csv", "export-floor.csv"):
        (work / name).unlink()
    if not same:
        raise SystemExit("export units: the floor's file differs from the tool's")
    return row


def bench_backup(work: Path, data: Path, repeat: int) -> Row:
    """`backup` of the national database against sqlite3's Connection.backup plus the
    integrity check of the copy."""
    national = _database_with_results(work, data)
    copies = [work / "backup-tool.db", work / "backup-floor.db"]

    def fresh(path: Path) -> Path:
        path.unlink(missing_ok=True)
        return path

    tool = lambda: timed([*MOVEMENT, "--db", str(national), "-q", "backup",  # noqa: E731
                          str(fresh(copies[0]))])
    floor = lambda: timed([PYTHON, str(FLOORS / "backup.py"), str(national),  # noqa: E731
                           str(fresh(copies[1]))])
    row = Row("backup", *paired(repeat, tool, floor), 1.2)
    for path in copies:
        path.unlink(missing_ok=True)
    return row


MERGE_DAY = "2025-07-01"
# One row of the map per this many units: 100,000 rows over the national 1,000,000.
UNITS_PER_MAP_ROW = 10


def write_merge_map(units_csv: Path, target: Path, rows: int) -> int:
    """A map of ``rows`` rows over the roster's leaves that carry no dates (residential areas,
    agencies, enterprises, schools: units with no children, so the map links and closes and
    moves nothing — the work of the floor): in threes, the first keeps its code and the
    other two become part of it. Returns the rows written."""
    import csv

    written = 0
    with open(units_csv, newline="", encoding="utf-8") as source, \
            open(target, "w", newline="", encoding="utf-8") as out:
        units = csv.reader(source)
        next(units)
        lines = csv.writer(out)
        lines.writerow(["old_code", "new_code", "note"])
        keeper = None
        for code, _, kind, _, _, active_from, active_to, _ in units:
            if written >= rows:
                break
            if kind in ("tinh", "huyen", "xa", "phuong", "thi_tran", "dac_khu") or (
                    active_from or active_to):
                continue
            if written % 3 == 0:
                keeper = code
            lines.writerow([code, keeper, "sáp nhập" if written % 3 else ""])
            written += 1
    return written


def bench_merge_map(work: Path, data: Path, units: int, repeat: int) -> Row:
    units_db = _database_with_units(work, data)
    merge_map = work / "merge-map.csv"
    rows = write_merge_map(data / "units.csv", merge_map, max(units // UNITS_PER_MAP_ROW, 3))
    before = (date.fromisoformat(MERGE_DAY) - timedelta(days=1)).isoformat()

    def fresh(name: str) -> Path:
        target = work / name
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(units_db, target)
        return target

    def tool() -> Measure:
        return timed([*MOVEMENT, "--db", str(fresh("merge.db")), "-q", "units", "merge-map",
                      str(merge_map), "--date", MERGE_DAY])

    def baseline() -> Measure:
        return timed([PYTHON, str(FLOORS / "merge_map.py"), str(merge_map),
                      str(fresh("baseline-merge.db")), MERGE_DAY, before])

    return Row(f"units merge-map ({rows:,} rows)", *paired(repeat, tool, baseline), 2.0)


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

RECOGNITION_UNITS = 1000
RECOGNITION_CRITERIA = 34  # the size of the commune set of Quyết định 9745

# Dumps what the sheets need (file name, unit, set, criteria) so that the floor writes the same
# workbooks without a database; and writes the filled sheets `recognize import` reads.
RECOGNITION_DUMP = """
import json, sys
from pathlib import Path
from movement_cli.store.db import Database
from movement_cli.workflows.recognize import load_year, sheet_path
from movement_cli.ingest.recognition import SheetUnit, write_sheet
db = Database.open(Path(sys.argv[1]), actor="bench", command="bench")
state = load_year(db, 2024, None)
units = [{"file": sheet_path(Path(sys.argv[3]), 2024, u.code, u.name).name, "code": u.code,
          "name": u.name, "set_id": u.criteria_set.id, "set_title": u.criteria_set.title,
          "criteria": [[i.id, i.group, i.title] for i in u.criteria_set.items]}
         for u in state.units]
Path(sys.argv[2]).write_text(json.dumps(units, ensure_ascii=False), encoding="utf-8")
filled = Path(sys.argv[3])
filled.mkdir(exist_ok=True)
for n, u in enumerate(units):
    answers = {c[0]: ((n + i) % 17 != 0, None) for i, c in enumerate(u["criteria"])}
    write_sheet(filled / u["file"], SheetUnit(2024, u["code"], u["name"], u["set_id"],
                u["set_title"], [tuple(c) for c in u["criteria"]], answers))
"""

# The floor of `recognize sheet`: openpyxl alone writing the same workbooks the cheapest way
# it can (write-only, rows streamed): the same title rows, merges, header, criterion rows,
# drop-down, column widths, frozen header and A4 page setup.
BASELINE_SHEETS = """
import json, sys
from pathlib import Path
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
out = Path(sys.argv[2])
wrap = Alignment(wrap_text=True, vertical="top")
for u in json.loads(Path(sys.argv[1]).read_text(encoding="utf-8")):
    book = Workbook(write_only=True)
    ws = book.create_sheet("Đánh giá")
    for letter, width in zip("ABCDEF", (9, 9, 7, 58, 12, 24)):
        ws.column_dimensions[letter].width = width
    for row in range(1, 5):
        ws.merged_cells.add(f"A{row}:F{row}")
        ws.row_dimensions[row].height = 30
    for row, criterion in enumerate(u["criteria"], start=7):
        ws.row_dimensions[row].height = 15 * max(1, -(-len(criterion[2]) // 56))
    last = 6 + len(u["criteria"])
    dv = DataValidation(type="list", formula1='"Đạt,Không đạt"', allow_blank=True,
                        showErrorMessage=True)
    dv.add(f"E7:E{last}")
    ws.data_validations.append(dv)
    ws.freeze_panes = "A7"
    ws.print_title_rows = "6:6"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    def cell(value, font=None):
        c = WriteOnlyCell(ws, value=value)
        c.alignment = wrap
        if font is not None:
            c.font = font
        return c
    ws.append([cell("PHIẾU ĐÁNH GIÁ ĐƠN VỊ ĐIỂN HÌNH NĂM 2024", Font(bold=True, size=13))])
    ws.append([cell(f"Đơn vị: {u['name']} (mã {u['code']}) — năm 2024")])
    ws.append([cell(f"Bộ tiêu chí: {u['set_title']} [{u['set_id']}]")])
    ws.append([cell("Cột met: chọn Đạt hoặc Không đạt; để trống khi chưa đánh giá.")])
    ws.append([])
    bold = Font(bold=True)
    header = []
    for name in ("code", "criterion", "group", "title", "met", "note"):
        c = WriteOnlyCell(ws, value=name)
        c.font = bold
        header.append(c)
    ws.append(header)
    for ident, group, title in u["criteria"]:
        ws.append([u["code"], ident, group, cell(title)])
    book.save(out / u["file"])
"""

# The floor of `recognize import`: python-calamine alone reading every cell of the sheets.
BASELINE_READ_SHEETS = """
import sys
from pathlib import Path
from python_calamine import CalamineWorkbook
rows = 0
for path in sorted(Path(sys.argv[1]).glob("*.xlsx")):
    book = CalamineWorkbook.from_path(str(path))
    rows += len(book.get_sheet_by_name(book.sheet_names[0]).to_python())
    book.close()
print(rows)
"""


def _recognition_setup(work: Path) -> tuple[Path, Path, Path]:
    """A database with 1,000 confirmed selected units judged by a complete set of 34
    criteria; the sheets' description for the floor; the same sheets filled in."""
    folder = work / "recognize"
    db, units_json, filled = folder / "recognize.db", folder / "units.json", folder / "filled"
    if db.exists() and units_json.exists():
        return db, units_json, filled
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "criteria" / "model-unit").mkdir(parents=True)
    items = "".join(f"  - {{id: b-{i}, group: \"{1 + i // 10}\", title: Tiêu chí đo hiệu năng "
                    f"số {i} về tổ chức thực hiện phong trào ở cơ sở}}\n"
                    for i in range(1, RECOGNITION_CRITERIA + 1))
    (folder / "criteria" / "model-unit" / "bench.yaml").write_text(
        "id: bench-co-quan\nkind: model-unit\nversion: 1\ntitle: Bộ tiêu chí đo hiệu năng\n"
        "status: complete\nincomplete: false\nsource: [benchmark]\n"
        "applies_to: [co_quan, doanh_nghiep, co_so_giao_duc]\npass_rule: all\nitems:\n"
        + items, encoding="utf-8")
    roster, results = folder / "units.csv", folder / "results.csv"
    with open(roster, "w", encoding="utf-8") as units, \
            open(results, "w", encoding="utf-8") as marks:
        units.write("code,name,kind,parent_code\n01,Thành phố Huế,tinh,\n")
        marks.write("code,year,safety,class,score\n")
        for i in range(RECOGNITION_UNITS):
            units.write(f"CQ{i:04d},Hội Liên hiệp Phụ nữ phường số {i},co_quan,01\n")
            marks.write(f"CQ{i:04d},2023,dat,kha,{70 + i % 20}\n")
    env = {**os.environ, "MOVEMENT_TODAY": "2024-01-17"}
    picks = [arg for i in range(RECOGNITION_UNITS) for arg in ("--pick", f"CQ{i:04d}")]
    for args in (["init"], ["units", "import", str(roster)], ["assess", "import", str(results)],
                 ["config", "set", "criteria_dir", str(folder / "criteria")],
                 ["select", "--year", "2024", "--confirm", *picks]):
        subprocess.run([*MOVEMENT, "--db", str(db), "-q", *args], env=env,
                       stdout=subprocess.DEVNULL, check=args[0] != "select")
    subprocess.run([PYTHON, "-c", RECOGNITION_DUMP, str(db), str(units_json), str(filled)],
                   check=True, env=env)
    return db, units_json, filled


def bench_recognize_sheet(work: Path, repeat: int) -> Row:
    """Sheets for 1,000 selected units: the tool against openpyxl writing the same
    workbooks."""
    db, units_json, _ = _recognition_setup(work)
    tool_out, bare_out = work / "recognize" / "sheets", work / "recognize" / "bare-sheets"

    def tool() -> Measure:
        shutil.rmtree(tool_out, ignore_errors=True)
        return timed([*MOVEMENT, "--db", str(db), "-q", "recognize", "sheet", "--year", "2024",
                      "--out", str(tool_out)])

    def baseline() -> Measure:
        shutil.rmtree(bare_out, ignore_errors=True)
        bare_out.mkdir()
        return timed([PYTHON, "-c", BASELINE_SHEETS, str(units_json), str(bare_out)])

    return Row("recognize sheet 1,000 units", *paired(repeat, tool, baseline), 1.5)


def bench_recognize_import(work: Path, repeat: int) -> Row:
    """The 1,000 filled sheets imported (34,000 answers, each audited) against
    python-calamine reading them."""
    db, _, filled = _recognition_setup(work)
    files = sorted(str(p) for p in filled.glob("*.xlsx"))
    target = work / "recognize" / "import.db"

    def tool() -> Measure:
        for suffix in ("", "-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)
        shutil.copy(db, target)
        return timed([*MOVEMENT, "--db", str(target), "-q", "recognize", "import", *files,
                      "--year", "2024"])

    def baseline() -> Measure:
        return timed([PYTHON, "-c", BASELINE_READ_SHEETS, str(filled)])

    return Row("recognize import 1,000 sheets", *paired(repeat, tool, baseline), 2.0)



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
    parser.add_argument("--check", action="store_true",
                        help="first check that each floor prints the tool's document")
    args = parser.parse_args(argv)

    # The tool as pip installs it, with its bytecode compiled: a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module at every start.
    subprocess.run([PYTHON, "-c", "import compileall, movement_cli, os; compileall.compile_dir("
                    "os.path.dirname(movement_cli.__file__), quiet=1)"], check=True)
    work = args.work or Path(tempfile.mkdtemp(prefix="movement-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / f"data-{args.units}"
    if not (data / "units.csv").exists():
        # In a child process: a process started from this one begins with this one's peak
        # memory as its own (Linux keeps the high-water mark across exec), so this one stays
        # small for every row's peak to be the command's.
        subprocess.run([PYTHON, str(HERE / "make_data.py"), "--units", str(args.units),
                        "--years", "3", "--first-year", "2023", "--seed", "20240117",
                        "--out", str(data)], check=True)

    benches = {
        "units import": lambda: bench_units_import(work, data, args.repeat),
        "assess import": lambda: bench_assess_import(work, data, args.repeat),
        "select --dry-run --json": lambda: bench_select(work, data, args.repeat, args.check),
        "units list --json": lambda: bench_units_list(work, data, args.repeat, args.check),
        "units list as a table": lambda: bench_units_table(work, data, args.repeat, args.check),
        "assess list --json": lambda: bench_assess_list(work, data, args.repeat, args.check),
        "status --json": lambda: bench_status(work, data, args.repeat, args.check),
        "export units --format csv": lambda: bench_export(work, data, args.repeat),
        "backup": lambda: bench_backup(work, data, args.repeat),
        "units merge-map": lambda: bench_merge_map(work, data, args.units, args.repeat),
        "render-plan 100 unit plans": lambda: bench_render(work, args.repeat),
        "recognize sheet 1,000 units": lambda: bench_recognize_sheet(work, args.repeat),
        "recognize import 1,000 sheets": lambda: bench_recognize_import(work, args.repeat),
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
