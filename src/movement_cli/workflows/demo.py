"""`movement demo`: the whole job on the bundled Huế sample, in a folder of its own.

Huế's real 2024 roster and its real picks (Kế hoạch 593/KH-UBND, 17/01/2024: Phường Phước
Vĩnh and Hội Liên hiệp Phụ nữ thành phố Huế); the 2023 results are illustrative.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from movement_cli.errors import MovementError
from movement_cli.i18n import N_
from movement_cli.resources import bundled

YEAR = 2024
PLAN_DAY = date(2024, 1, 17)
PICKS = ["19798", "CQ002"]
DECISION = "593/KH-UBND"


@dataclass
class DemoReport:
    database: Path
    selection: dict
    warnings: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    recognition: dict | None = None


def _year_end(db, out_dir: Path, report: DemoReport) -> list[Path]:
    """The year's end with an illustrative criteria set (the Ministry's model-unit lists are
    not public): the sheets, answers filled in them and imported, the finalised recognition,
    and the Quyết định công nhận and the Tờ trình as drafts."""
    import yaml

    from movement_cli.criteria import load_model_unit_sets, load_safety_standard
    from movement_cli.criteria.illustrative import illustrative_sets
    from movement_cli.ingest.recognition import fill_sheet
    from movement_cli.store import config as config_store
    from movement_cli.workflows import recognize
    from movement_cli.workflows.import_answers import import_answers
    from movement_cli.workflows.render import RenderRequest, render_plan

    folder = out_dir / "criteria-minh-hoa"
    (folder / "model-unit").mkdir(parents=True)
    for name, document in illustrative_sets(load_safety_standard()).items():
        (folder / "model-unit" / name).write_text(
            "# MINH HỌA — written by movement demo; not the Ministry's model-unit list.\n"
            + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100),
            encoding="utf-8")
    with db.write():
        config_store.set_values(db, None, {"criteria_dir": str(folder)})
    sheets = recognize.write_sheets(db, YEAR, None, out_dir)
    sets = load_model_unit_sets([folder])
    for path, unit in zip(sheets, recognize.load_year(db, YEAR, None).units, strict=True):
        # Every criterion met: an illustration of the flow, not a judgement of the unit.
        fill_sheet(path, dict.fromkeys(sets.for_kind(unit.kind).item_ids(), True))
    import_answers(lambda: db, sheets, YEAR)
    finalized = recognize.finalize(db, YEAR)
    report.recognition = finalized.document
    files = list(sheets)
    for doc in ("recognition-decision", "commendation-proposal"):
        for fmt in ("docx", "md"):
            files += render_plan(db, RenderRequest(year=YEAR, doc=doc, fmt=fmt,
                                                   out_dir=out_dir))
    return files


def run_demo(out_dir: Path, actor: str) -> DemoReport:
    from movement_cli.config_keys import read_config_file
    from movement_cli.criteria import load_classification
    from movement_cli.store import config as config_store
    from movement_cli.store.db import Database
    from movement_cli.workflows.import_results import import_results
    from movement_cli.workflows.import_units import import_units
    from movement_cli.workflows.render import RenderRequest, render_plan
    from movement_cli.workflows.select import SelectRequest, run_select

    out_dir = out_dir.absolute()
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise MovementError(N_("{out_dir} is not an empty folder; give another with --out DIR",
                               out_dir=out_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = bundled("examples") / "hue"
    db, _ = Database.create(out_dir / "movement.db", actor=actor, command="demo")
    try:
        # Parents first; the 2024 state held from 01/07/2021 (Nghị quyết 1264/NQ-UBTVQH14).
        import_units(db, sample / "hue-2024-authorities.csv", as_of=date(2021, 7, 1))
        for name in ("hue-2024-communes.csv", "hue-2024-agencies.csv"):
            import_units(db, sample / name, as_of=date(2021, 7, 1))
        import_results(db, sample / "results-2023-illustrative.csv",
                       classification=load_classification(), today=PLAN_DAY)
        with db.write():
            config_store.set_values(db, None, read_config_file(
                bundled("examples") / "authority-hue.yaml"))
        selected = run_select(db, SelectRequest(year=YEAR, picks=PICKS, confirm=True,
                                                decision=DECISION), today=PLAN_DAY)
        report = DemoReport(db.path, selected.document, selected.warnings)
        for doc in ("city-plan", "unit-plan"):
            for fmt in ("docx", "md"):
                report.files += render_plan(db, RenderRequest(
                    year=YEAR, doc=doc, fmt=fmt, out_dir=out_dir, day=PLAN_DAY))
        report.files += _year_end(db, out_dir, report)
        return report
    finally:
        db.close()
