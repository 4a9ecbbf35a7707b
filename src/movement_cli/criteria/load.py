"""Loading the criteria in use into the plain objects of ``core.model``.

Each loader checks the files it reads and raises ``BadInput`` with every problem in them.
Where several files of one kind are in use, a locality's file is preferred to a bundled one,
then the first in folder order and by name — unless an id is asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path

from movement_cli.core.model import (
    CITING_DOCUMENTS,
    RANKING_KEYS,
    Checklist,
    Classification,
    Commendation,
    CommendationForm,
    Criterion,
    EvaluationWindow,
    LegalBases,
    LegalBasis,
    ModelUnitSet,
    ModelUnitSets,
    MonthDay,
    Policy,
    QuotaGroup,
    SafetyStandard,
    ScoreBand,
    ShareRule,
)
from movement_cli.criteria.files import CriteriaFile, checked, discover
from movement_cli.criteria.schema import as_date
from movement_cli.errors import BadInput, InputProblem, MovementError
from movement_cli.i18n import N_

Dirs = Sequence[Path | str]


def _of_kind(dirs: Dirs, kind: str) -> list[CriteriaFile]:
    return discover(dirs, kinds=(kind,))


def _choose(files: list[CriteriaFile], kind: str, wanted: str | None = None) -> CriteriaFile:
    if wanted is not None:
        for f in files:
            if f.id == wanted:
                return f
        known = ", ".join(f.id or f.path.name for f in files) or N_("none")
        raise MovementError(N_("no {kind} file with id '{wanted}' (in use: {known})", kind=kind,
                               wanted=wanted, known=known))
    if not files:
        raise MovementError(N_("no {kind} criteria file found; add one under {kind}/ in "
                               "criteria_dir", kind=kind))
    local = [f for f in files if f.origin == "local"]
    return (local or files)[0]


def _document(file: CriteriaFile) -> tuple[dict, str]:
    parsed, problems = checked(file.path)
    if problems:
        raise BadInput(problems)
    return parsed.data, parsed.sha256


def _sources(value: str | list[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _month_day(value: dict) -> MonthDay:
    return MonthDay(value["month"], value["day"])


def _common(doc: dict, file: CriteriaFile, sha256: str) -> dict:
    return {
        "id": doc["id"],
        "version": str(doc["version"]),
        "title": doc["title"],
        "status": doc["status"],
        "sources": _sources(doc["source"]),
        "note": doc.get("note"),
        "path": file.path,
        "sha256": sha256,
    }


def _classification(file: CriteriaFile) -> Classification:
    doc, sha256 = _document(file)
    bands = doc["score_bands"]
    return Classification(
        **_common(doc, file, sha256),
        classes=tuple(c["code"] for c in doc["classes"]),
        labels={c["code"]: c["label"] for c in doc["classes"]},
        aliases=dict(doc.get("aliases") or {}),
        bands=tuple(ScoreBand(b["class"], float(b["min"])) for b in bands["bands"]),
        below_bands=bands["otherwise"],
        safety_labels=dict(doc["safety_labels"]),
        windows={
            kind: EvaluationWindow(
                _month_day(w["start"]), _month_day(w["end"]), w.get("start_year_offset", -1)
            )
            for kind, w in doc["evaluation_windows"].items()
        },
        deadlines={kind: _month_day(md) for kind, md in doc["classification_deadlines"].items()},
        recognition_deadline=_month_day(doc["recognition_deadline"])
        if doc.get("recognition_deadline") else None,
    )


def load_classification(criteria_dirs: Dirs = ()) -> Classification:
    """The classification in use (classes, labels, aliases, score bands, calendar)."""
    return _classification(_choose(_of_kind(criteria_dirs, "classification"), "classification"))


def _day(value: object) -> date | None:
    return as_date(value) if value is not None else None


def load_policy(criteria_dirs: Dirs = (), policy_id: str | None = None) -> Policy:
    """The selection policy with ``policy_id``, or by default the locality's first policy,
    else the bundled one. Its class order comes from the classification in use."""
    file = _choose(_of_kind(criteria_dirs, "selection"), "selection", policy_id)
    doc, sha256 = _document(file)
    classification = load_classification(criteria_dirs)
    ranking = list(doc.get("ranking") or RANKING_KEYS)
    if "code" not in ranking:
        ranking.append("code")
    return Policy(
        **_common(doc, file, sha256),
        basis_year_offset=doc["basis_year_offset"],
        required_safety=doc["required_safety"],
        minimum_class=doc["minimum_class"],
        class_order=classification.classes,
        excluded_subtypes=frozenset(doc.get("excluded_subtypes") or ()),
        groups=tuple(
            QuotaGroup(
                name=g["name"],
                kinds=tuple(g["kinds"]),
                min=g["min"],
                valid_from=_day(g.get("valid_from")),
                valid_to=_day(g.get("valid_to")),
                label=g.get("label"),
                sources=_sources(g.get("source") or []),
            )
            for g in doc["groups"]
        ),
        ranking=tuple(ranking),
        follow_predecessors=bool(doc.get("follow_predecessors", False)),
        window_months=tuple(sorted((doc.get("window") or {}).get("months", (1, 2, 3)))),
    )


def _items(items: list[dict]) -> tuple[Criterion, ...]:
    return tuple(
        Criterion(i["id"], i["title"], str(i["group"]) if "group" in i else None, i.get("note"))
        for i in items
    )


def load_safety_standard(criteria_dirs: Dirs = ()) -> SafetyStandard:
    """The ANTT standard's checklists, the commune rule and the decision deadlines."""
    file = _choose(_of_kind(criteria_dirs, "safety-standard"), "safety-standard")
    doc, sha256 = _document(file)
    rule = doc["commune_rule"]
    return SafetyStandard(
        **_common(doc, file, sha256),
        checklists=tuple(
            Checklist(tuple(c["kinds"]), _items(c["items"]), c.get("title"))
            for c in doc["checklists"]
        ),
        commune_rule=ShareRule(
            float(rule["threshold"]),
            float(rule.get("registered", 1.0)),
            rule["counting"],
            tuple(rule["managed_kinds"]),
        ),
        decision_deadlines={
            kind: _month_day(md) for kind, md in (doc.get("decision_deadlines") or {}).items()
        },
    )


def load_model_unit_sets(criteria_dirs: Dirs = ()) -> ModelUnitSets:
    """Every model-unit criteria set in use, and the one that applies to each kind: a
    locality's set replaces a bundled one for the kinds it names; two sets of the same origin
    naming one kind are an error."""
    sets: list[ModelUnitSet] = []
    problems: list[InputProblem] = []
    for file in _of_kind(criteria_dirs, "model-unit"):
        try:
            doc, sha256 = _document(file)
        except BadInput as exc:
            problems += exc.problems
            continue
        rule = doc["pass_rule"]
        sets.append(
            ModelUnitSet(
                **_common(doc, file, sha256),
                incomplete=bool(doc.get("incomplete", False)),
                applies_to=tuple(doc["applies_to"]),
                items=_items(doc["items"]),
                at_least=rule["at_least"] if isinstance(rule, dict) else None,
                origin=file.origin,
                valid_from=_day(doc.get("valid_from")),
                valid_to=_day(doc.get("valid_to")),
                official_size=doc.get("official_size"),
                illustrative=bool(doc.get("illustrative", False)),
            )
        )
    by_kind: dict[str, ModelUnitSet] = {}
    for origin in ("bundled", "local"):
        claimed: dict[str, list[ModelUnitSet]] = {}
        for s in (s for s in sets if s.origin == origin):
            for i, kind in enumerate(s.applies_to):
                clash = next((other for other in claimed.get(kind, [])
                              if _overlap(s, other)), None)
                if clash is not None:
                    problems.append(
                        InputProblem(
                            str(s.path),
                            0,
                            f"applies_to[{i}]",
                            N_("{kind} is already covered by {path} for overlapping dates",
                               kind=kind, path=clash.path),
                        )
                    )
                claimed.setdefault(kind, []).append(s)
        # Without a day the set of each kind is the first one claiming it (undated use).
        by_kind.update({kind: found[0] for kind, found in claimed.items()})
    if problems:
        raise BadInput(problems)
    return ModelUnitSets(tuple(sets), by_kind)


def _overlap(a: ModelUnitSet, b: ModelUnitSet) -> bool:
    return ((a.valid_from is None or b.valid_to is None or a.valid_from <= b.valid_to)
            and (b.valid_from is None or a.valid_to is None or b.valid_from <= a.valid_to))


def load_commendation(criteria_dirs: Dirs = ()) -> Commendation:
    """The forms of commendation and the form proposed for each kind."""
    file = _choose(_of_kind(criteria_dirs, "commendation"), "commendation")
    doc, sha256 = _document(file)
    return Commendation(
        **_common(doc, file, sha256),
        forms=tuple(CommendationForm(f["id"], f["label"], f["authority"]) for f in doc["forms"]),
        proposals={kind: p["form"] for p in doc["proposals"] for kind in p["kinds"]},
    )


def load_legal_bases(criteria_dirs: Dirs = ()) -> LegalBases:
    """The legal bases plans and decisions cite, and when each applies."""
    file = _choose(_of_kind(criteria_dirs, "legal-bases"), "legal-bases")
    doc, sha256 = _document(file)
    return LegalBases(
        **_common(doc, file, sha256),
        bases=tuple(
            LegalBasis(b["id"], b["text"],
                       tuple(b.get("documents") or CITING_DOCUMENTS),
                       b.get("from_year"), b.get("to_year"), b.get("issuer"))
            for b in doc["bases"]),
    )
