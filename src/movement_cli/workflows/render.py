"""`movement render-plan`: gather the year's selection, units, criteria and configuration,
build each document's context, and render them into the output folder — all or none."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from movement_cli.core.calendar import selection_active_on
from movement_cli.core.kinds import CLASS_LABELS, KIND_LABELS
from movement_cli.core.recognition import set_day
from movement_cli.documents.context import DOCS
from movement_cli.documents.render import FORMATS, output_path
from movement_cli.documents.yearend import YEAR_END_DOCS
from movement_cli.errors import MovementError, UsageProblem
from movement_cli.i18n import N_, joined
from movement_cli.store import config as config_store
from movement_cli.store import results as result_store
from movement_cli.store import selections, status
from movement_cli.store import units as unit_store
from movement_cli.store.audit import now_iso
from movement_cli.store.db import Database
from movement_cli.workflows.locality import (
    check_scope,
    criteria_dirs,
    selected_rows,
    template_dirs,
)


@dataclass
class RenderRequest:
    year: int
    scope: str | None = None
    doc: str = "city-plan"
    unit: str | None = None
    fmt: str = "docx"
    out_dir: Path = Path(".")
    number: int | None = None
    day: date | None = None
    force: bool = False  # replace documents an official edited since the tool wrote them


def _decision_number(decision: str | None) -> int | None:
    """593 from "593/KH-UBND": the confirmed plan's own number."""
    match = re.match(r"\s*(\d+)\s*/", decision or "")
    return int(match.group(1)) if match else None


def _selected_units(db: Database, stored: selections.StoredSelection, basis_year: int) -> list:
    day = selection_active_on(stored.year).isoformat()
    units = []
    rows = selected_rows(db, stored.picks, day)
    for code, (group, _override) in stored.picks.items():
        row = rows[code]
        result = result_store.result_of(db.conn, code, basis_year)
        klass = result["class"] if result else None
        units.append({
            "code": code, "name": row["name"], "kind": row["kind"],
            "kind_label": KIND_LABELS.get(row["kind"], row["kind"]), "group": group,
            "class": klass, "class_label": CLASS_LABELS.get(klass) if klass else None,
            "score": result["score"] if result else None,
        })
    return units


def _year_end(db: Database, request: RenderRequest, scope_key: str, units: list,
              dirs: list) -> dict:
    """The year-end documents' lists and note, from the finalised outcomes; exit 1 before
    the year is finalised or when it recognised no unit."""
    from dataclasses import asdict

    from movement_cli.criteria import load_model_unit_sets
    from movement_cli.documents.yearend import illustrative_note, outcome_lists
    from movement_cli.store import recognitions

    stored = recognitions.outcomes(db.conn, request.year, scope_key)
    where = f" --scope {request.scope}" if request.scope else ""
    if not stored:
        raise MovementError(
            N_("the {doc} needs the {year} recognition finalised; run: movement recognize "
               "--year {year}{where} --finalize", doc=request.doc, year=request.year, where=where))
    recognized, proposals = outcome_lists(
        [asdict(o) for o in stored.values()], {u["code"]: u for u in units})
    if not recognized:
        raise MovementError(
            N_("no unit was recognised in {year}{where}: there is no {doc} to render (movement "
               "recognize --year {year}{where} shows each unit's criteria)", year=request.year,
               where=where, doc=request.doc))
    sets = load_model_unit_sets(dirs)
    used = [{"id": o.criteria_set, "illustrative": bool(
        (found := sets.by_id(o.criteria_set)) and found.illustrative)} for o in stored.values()]
    return {"recognized": recognized, "proposals": proposals,
            "illustrative_note": illustrative_note(used)}


@dataclass
class Job:
    """One document to render: where it goes, its template context, the unit if any."""

    path: Path
    context: dict
    unit_code: str | None = None
    # The code and name the file name carries (the unit's, or the scope's for a city-wide
    # document), kept to rename the file when its name clashes with another document's.
    name_parts: tuple[str | None, str | None] = (None, None)


def build_jobs(db: Database, request: RenderRequest) -> list[Job]:
    """Every document the request asks for, with its context; nothing is written."""
    from movement_cli.criteria import (
        load_legal_bases,
        load_model_unit_sets,
        load_policy,
        load_safety_standard,
    )
    from movement_cli.documents.context import build_context

    if request.doc not in DOCS:
        raise UsageProblem(N_("--doc: unknown document '{doc}'; use one of {value}",
                              doc=request.doc, value=', '.join(DOCS)))
    if request.fmt not in FORMATS:
        raise UsageProblem(N_("--format: use docx or md, not '{fmt}'", fmt=request.fmt))
    day = selection_active_on(request.year).isoformat()
    scope = request.scope = check_scope(db, request.scope, day)
    stored = selections.load(db, request.year, scope)
    if stored is None:
        where = f" --scope {scope}" if scope else ""
        raise MovementError(N_("no selection for {year}{where}; run: movement select --year "
                               "{year}{where}", year=request.year, where=where))
    dirs = criteria_dirs(db, scope)
    policy = load_policy(dirs)
    basis_year = policy.basis_year(request.year)
    config = config_store.get_all(db, scope)
    units = _selected_units(db, stored, basis_year)
    selection = {"year": request.year, "basis_year": basis_year, "status": stored.status,
                 "decision": stored.decision, "policy": stored.policy_id}
    # What every document of the request shares: the policy's groups (labels, order) and
    # the legal bases a plan or decision cites.
    shared = {"groups": [{"name": g.name, "label": g.label} for g in policy.groups],
              "legal_bases": load_legal_bases(dirs).bases}
    number = request.number
    if number is None and request.doc == "city-plan":
        number = _decision_number(stored.decision)

    jobs: list[Job] = []
    out_dir = request.out_dir
    if request.doc == "unit-plan":
        chosen = units
        if request.unit:
            chosen = [u for u in units if u["code"] == request.unit]
            if not chosen:
                raise MovementError(N_("--unit {unit} is not among the {year} selected units: "
                                       "{value}", unit=request.unit, year=request.year,
                                       value=', '.join(u['code'] for u in units)))
        standard = load_safety_standard(dirs)
        model_sets = load_model_unit_sets(dirs)
        for unit in chosen:
            checklist = standard.checklist_for(unit["kind"])
            model = model_sets.for_kind(unit["kind"], set_day(request.year))
            context = build_context(
                "unit-plan", year=request.year, config=config, selection=selection,
                units=units, unit=unit, **shared,
                safety_criteria=checklist.items if checklist else [],
                model_criteria=None if model is None else {
                    "title": model.title, "source": "; ".join(model.sources),
                    "provisional": model.status == "provisional" or model.incomplete,
                    "items": model.items},
                number=number, day=request.day)
            path = output_path(out_dir, request.year, "unit-plan", request.fmt, unit["code"],
                               unit["name"])
            jobs.append(Job(path, context, unit["code"], (unit["code"], unit["name"])))
    else:
        year_end = {"recognized": None, "proposals": None, "illustrative_note": ""}
        if request.doc in YEAR_END_DOCS:
            year_end = _year_end(db, request, scope or selections.WHOLE_DATABASE, units, dirs)
        context = build_context(
            request.doc, year=request.year, config=config, selection=selection, units=units,
            recognized=year_end["recognized"], proposals=year_end["proposals"], number=number,
            day=request.day, **shared)
        context["illustrative_note"] = year_end["illustrative_note"]
        # A scope's document names the scope, so it never takes the whole database's file.
        parts = (None, None)
        if scope:
            parts = (scope, unit_store.unit_on(db.conn, scope, day)["name"])
        jobs.append(Job(output_path(out_dir, request.year, request.doc, request.fmt, *parts),
                        context, None, parts))
    _distinct_files(db, request, jobs)
    return jobs


def _distinct_files(db: Database, request: RenderRequest, jobs: list[Job]) -> None:
    """Give every document its own file, also where the file system ignores case: a job
    whose file name another job of this run has, or that the database remembers writing
    for another document, takes the name with its code's digest (``file_code``)."""
    scope_key = request.scope or selections.WHOLE_DATABASE
    seen = Counter(str(job.path).casefold() for job in jobs)
    remembered = status.documents_written(
        db.conn, [str(job.path) for job in jobs if seen[str(job.path).casefold()] == 1])
    for job in jobs:
        clash = seen[str(job.path).casefold()] > 1
        if not clash:
            written = remembered.get(str(job.path))
            clash = written is not None and (
                (written["year"], written["scope"], written["doc"], written["unit_code"])
                != (request.year, scope_key, request.doc, job.unit_code))
        if clash:
            code, name = job.name_parts
            job.path = output_path(request.out_dir, request.year, request.doc, request.fmt,
                                   code, name, distinguish=True)


def render_plan(db: Database, request: RenderRequest,
                progress: Callable[[int, int], None] | None = None,
                warn: Callable[[str], None] | None = None) -> list[Path]:
    """Render the requested documents, all or none (a file rendered before keeps its content
    when any document fails); return their absolute paths. ``progress(done, total)`` is
    called before the first document and after each one; ``warn(message)``, once the
    documents are written, for each rule of Nghị định 30 the Word documents break (see
    ``LayoutReport``)."""
    from movement_cli.documents.render import all_or_none, render_bytes

    if request.out_dir.exists() and not request.out_dir.is_dir():
        raise MovementError(N_("--out: {out_dir} is a file, not a folder", out_dir=request.out_dir))
    jobs = build_jobs(db, request)
    if not request.force:
        edited = edited_documents(db, [job.path for job in jobs])
        if edited:
            raise DocumentsEdited(edited)
    request.out_dir.mkdir(parents=True, exist_ok=True)  # only once there is something to write
    scope = request.scope
    search = template_dirs(db, scope)
    written: list[str] = []
    layout = LayoutReport() if warn is not None and request.fmt == "docx" else None
    with all_or_none() as write:
        for done, job in enumerate(jobs):
            if progress is not None:
                progress(done, len(jobs))
            data = render_bytes(request.doc, job.context, request.fmt, search)
            if layout is not None:
                layout.check(job.path.name, data)
            written.append(hashlib.sha256(data).hexdigest())
            write(job.path, data)
        if progress is not None:
            progress(len(jobs), len(jobs))
    if layout is not None:
        from movement_cli.documents.render import find_template, template_file_name

        template = find_template(template_file_name(request.doc, "docx"), search)
        for message in layout.warnings(template):
            warn(message)
    at = now_iso()
    with db.write():
        for job, sha256 in zip(jobs, written, strict=True):
            status.record_document(db.conn, request.year, scope or selections.WHOLE_DATABASE,
                                   request.doc, job.unit_code, str(job.path), at, sha256)
    return [job.path for job in jobs]


class LayoutReport:
    """The rules of Nghị định 30 the Word documents of one run break, gathered so that each
    rule is warned about once, naming the documents: every document a run writes is
    checked (about 4 ms each). A locality's own template (templates_dir) that breaks a rule
    breaks it in every document; a rule broken by one document's data (its place in the date
    line, its symbol in the number line) names that document beside its problem."""

    SHOWN = 3  # file names listed before "and N more"

    def __init__(self) -> None:
        self.documents = 0
        # rule -> problem -> the documents with that problem, in the order met (the rules
        # and problems are messages: the first one met is kept as the key)
        self.broken: dict[str, dict[str, list[str]]] = {}

    def check(self, name: str, data: bytes) -> None:
        from movement_cli.documents.checker import rule_problems

        self.documents += 1
        for rule, problem in rule_problems(data):
            files = self.broken.setdefault(rule, {}).setdefault(problem, [])
            if not files or files[-1] != name:
                files.append(name)

    def warnings(self, template: Path) -> list[str]:
        """One line per rule broken, the documents and the template named."""
        lines = []
        for rule, problems in self.broken.items():
            files = list(dict.fromkeys(f for names in problems.values() for f in names))
            if all(len(names) == len(files) for names in problems.values()):
                what = joined(problems)  # the same problems in every document
            else:
                shown = [N_("{files}: {problem}", files=self._names(names), problem=problem)
                         for problem, names in list(problems.items())[:self.SHOWN + 1]]
                if len(problems) > self.SHOWN + 1:
                    shown[-1] = N_("and {count} more problems", count=len(problems) - self.SHOWN)
                what = joined(shown)
            if len(files) == 1:
                line = N_("{file} breaks Nghị định 30 ({rule}): {what}; template {template}",
                          file=files[0], rule=rule, what=what, template=template)
            elif len(files) == self.documents:
                line = N_("all {count} documents ({files}) break Nghị định 30 ({rule}): {what}; "
                          "template {template}", count=len(files), files=self._names(files),
                          rule=rule, what=what, template=template)
            else:
                line = N_("{files} break Nghị định 30 ({rule}): {what}; template {template}",
                          files=self._names(files), rule=rule, what=what, template=template)
            lines.append(line)
        return lines

    def _names(self, files: list[str]) -> str:
        if len(files) <= self.SHOWN + 1:
            return ", ".join(files)
        return N_("{files} and {count} more", files=", ".join(files[:self.SHOWN]),
                  count=len(files) - self.SHOWN)


class DocumentsEdited(MovementError):
    """Documents that are there and differ from what the tool last wrote to them: an
    official edited them (or the tool never wrote them). They are kept."""

    def __init__(self, files: list[Path]):
        self.files = files
        names = ", ".join(str(path) for path in files)
        super().__init__(N_("kept {files}: changed since movement wrote it (edited by hand?); "
                            "nothing was written. Move it aside, or add --force to replace it",
                            files=names))


def edited_documents(db: Database, paths: list[Path]) -> list[Path]:
    """The files among ``paths`` that exist and differ from what the tool last wrote."""
    edited = []
    for path in paths:
        if not path.is_file():
            continue
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != status.written_sha256(db.conn, str(path)):
            edited.append(path)
    return edited

