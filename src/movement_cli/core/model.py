"""The plain data the rules work on: what the criteria files say, once loaded and checked.

``movement_cli.criteria`` builds these from YAML; the rules in ``core`` only read them, so a
test can build one by hand. Instances are frozen; the mapping fields are ordinary dicts and so
the objects are not hashable.
"""

from __future__ import annotations

import calendar as _calendar
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True, slots=True)
class MonthDay:
    """A day of the year without the year (``01/11``), as the legal texts give deadlines."""

    month: int
    day: int

    def in_year(self, year: int) -> date:
        """The date in ``year``; 29 February becomes 28 February in a common year."""
        last = _calendar.monthrange(year, self.month)[1]
        return date(year, self.month, min(self.day, last))


@dataclass(frozen=True, slots=True)
class EvaluationWindow:
    """The period a year's result covers (kỳ đánh giá): from ``start`` of the year
    ``year + start_year_offset`` to ``end`` of the year itself."""

    start: MonthDay
    end: MonthDay
    start_year_offset: int = -1

    def dates(self, year: int) -> tuple[date, date]:
        return self.start.in_year(year + self.start_year_offset), self.end.in_year(year)


@dataclass(frozen=True, slots=True)
class ScoreBand:
    """``klass`` is given to a score of at least ``min_score`` (and below the band above)."""

    klass: str
    min_score: float


@dataclass(frozen=True)
class Classification:
    """Movement classes (phân loại phong trào), the ANTT result labels and the yearly calendar
    of results. ``classes`` runs from the best class to the worst."""

    id: str
    version: str
    title: str
    status: str
    sources: tuple[str, ...]
    classes: tuple[str, ...]
    labels: dict[str, str]
    aliases: dict[str, str]
    bands: tuple[ScoreBand, ...]
    below_bands: str
    safety_labels: dict[str, str]
    windows: dict[str, EvaluationWindow]
    deadlines: dict[str, MonthDay]
    note: str | None = None
    # The day by which the year's model units are recognised (None: the file does not say).
    recognition_deadline: MonthDay | None = None
    path: Path | None = None
    sha256: str | None = None

    def window_for(self, kind: str) -> EvaluationWindow:
        return self.windows.get(kind) or self.windows["default"]

    def deadline_for(self, kind: str) -> MonthDay:
        return self.deadlines.get(kind) or self.deadlines["default"]


@dataclass(frozen=True, slots=True)
class QuotaGroup:
    """A quota group of the selection policy (nhóm chỉ tiêu): at least ``min`` units of
    these kinds each year, for the years the group is valid in."""

    name: str
    kinds: tuple[str, ...]
    min: int
    valid_from: date | None = None
    valid_to: date | None = None
    label: str | None = None
    sources: tuple[str, ...] = ()

    def valid_in(self, year: int) -> bool:
        """A group counts for year Y when it is valid on 1 January of Y."""
        first = date(year, 1, 1)
        if self.valid_from is not None and first < self.valid_from:
            return False
        return self.valid_to is None or first <= self.valid_to


RANKING_KEYS = ("class", "score", "consecutive_safety_years", "code")


@dataclass(frozen=True)
class Policy:
    """A selection policy (the rule a locality uses to choose its model units each year).

    ``class_order`` comes from the classification file (best first), so that eligibility is
    a function of the policy alone. ``ranking`` always ends with ``code``: ties never depend on
    the order the units were read in.
    """

    id: str
    version: str
    title: str
    basis_year_offset: int
    required_safety: str
    minimum_class: str
    class_order: tuple[str, ...]
    excluded_subtypes: frozenset[str]
    groups: tuple[QuotaGroup, ...]
    ranking: tuple[str, ...] = RANKING_KEYS
    # Whether ``consecutive_safety_years`` counts, for a unit made by a merger, the years
    # before it existed through the units it was made from (default: its code's own years).
    follow_predecessors: bool = False
    window_months: tuple[int, ...] = (1, 2, 3)
    sources: tuple[str, ...] = ()
    status: str = "complete"
    note: str | None = None
    path: Path | None = None
    sha256: str | None = None
    class_rank: dict[str, int] = field(init=False, repr=False, compare=False)
    _groups_by_year: dict[int, dict[str, QuotaGroup]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "class_rank", {c: i for i, c in enumerate(self.class_order)})
        object.__setattr__(self, "_groups_by_year", {})

    def basis_year(self, year: int) -> int:
        return year + self.basis_year_offset

    def groups_in(self, year: int) -> tuple[QuotaGroup, ...]:
        return tuple(group for group in self.groups if group.valid_in(year))

    def group_of(self, kind: str, year: int) -> QuotaGroup | None:
        """The first group valid in ``year`` that selects ``kind`` (computed once a year:
        selection asks it for every unit)."""
        by_kind = self._groups_by_year.get(year)
        if by_kind is None:
            by_kind = {}
            for group in self.groups_in(year):
                for k in group.kinds:
                    by_kind.setdefault(k, group)
            self._groups_by_year[year] = by_kind
        return by_kind.get(kind)


@dataclass(frozen=True, slots=True)
class Criterion:
    """One pass/fail criterion of a checklist or a criteria set."""

    id: str
    title: str
    group: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Checklist:
    """The criteria of the ANTT standard for some kinds of unit."""

    kinds: tuple[str, ...]
    items: tuple[Criterion, ...]
    title: str | None = None


@dataclass(frozen=True, slots=True)
class ShareRule:
    """The commune rule: every managed unit registered and at least ``threshold`` of them
    met the standard; counted over all ``managed_kinds`` together or per kind."""

    threshold: float
    registered: float
    counting: str
    managed_kinds: tuple[str, ...]


@dataclass(frozen=True)
class SafetyStandard:
    """The standard "An toàn về an ninh, trật tự" (Thông tư 124/2021/TT-BCA)."""

    id: str
    version: str
    title: str
    status: str
    sources: tuple[str, ...]
    checklists: tuple[Checklist, ...]
    commune_rule: ShareRule
    decision_deadlines: dict[str, MonthDay]
    note: str | None = None
    path: Path | None = None
    sha256: str | None = None

    def checklist_for(self, kind: str) -> Checklist | None:
        for checklist in self.checklists:
            if kind in checklist.kinds:
                return checklist
        return None


@dataclass(frozen=True)
class ModelUnitSet:
    """A criteria set for model units (bộ tiêu chí đơn vị điển hình). ``at_least`` is None
    when every criterion must be met. ``official_size`` is how many criteria the official list
    has, when known (34 for the commune set of Quyết định 9745) — an incomplete set lists
    fewer. ``illustrative`` marks a stand-in set (the demo's), which every document it
    reaches must name as such."""

    id: str
    version: str
    title: str
    status: str
    incomplete: bool
    sources: tuple[str, ...]
    applies_to: tuple[str, ...]
    items: tuple[Criterion, ...]
    at_least: int | None = None
    note: str | None = None
    origin: str = "bundled"
    path: Path | None = None
    sha256: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    official_size: int | None = None
    illustrative: bool = False

    @property
    def required(self) -> int:
        """How many criteria a unit must meet to be recognised."""
        return len(self.items) if self.at_least is None else self.at_least

    @property
    def complete(self) -> bool:
        return not self.incomplete

    def valid_on(self, day: date | None) -> bool:
        if day is None:
            return True
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_to is None or day <= self.valid_to

    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)


@dataclass(frozen=True)
class ModelUnitSets:
    """The criteria sets in use, and which one applies to each kind: a locality's set before
    a bundled one, among those valid on the day asked about."""

    sets: tuple[ModelUnitSet, ...]
    by_kind: dict[str, ModelUnitSet]

    def for_kind(self, kind: str, on: date | None = None) -> ModelUnitSet | None:
        if on is None and kind in self.by_kind:
            return self.by_kind[kind]
        for origin in ("local", "bundled"):
            for candidate in self.sets:
                if (candidate.origin == origin and kind in candidate.applies_to
                        and candidate.valid_on(on)):
                    return candidate
        return None

    def by_id(self, ident: str) -> ModelUnitSet | None:
        return next((s for s in self.sets if s.id == ident), None)


@dataclass(frozen=True, slots=True)
class CommendationForm:
    """A form of commendation for a collective (hình thức khen thưởng)."""

    id: str
    label: str
    authority: str


@dataclass(frozen=True)
class Commendation:
    """Which form of commendation to propose for a recognised unit, by kind. A proposal is
    only a candidate for the authority to decide on, never an award."""

    id: str
    version: str
    title: str
    status: str
    sources: tuple[str, ...]
    forms: tuple[CommendationForm, ...]
    proposals: dict[str, str]
    note: str | None = None
    path: Path | None = None
    sha256: str | None = None

    def form_for(self, kind: str) -> CommendationForm | None:
        form_id = self.proposals.get(kind)
        return next((form for form in self.forms if form.id == form_id), None)


# The documents that cite legal bases, and the issuer condition a basis may carry.
CITING_DOCUMENTS = ("city-plan", "recognition-decision")
ISSUER_CONDITIONS = ("people_committee",)


@dataclass(frozen=True, slots=True)
class LegalBasis:
    """One text a plan or decision cites ("Căn cứ …"), and when it applies: to which
    documents, in which years, and (``issuer``) only when a People's Committee issues."""

    id: str
    text: str
    documents: tuple[str, ...] = CITING_DOCUMENTS
    from_year: int | None = None
    to_year: int | None = None
    issuer: str | None = None

    def applies(self, doc: str, year: int, *, people_committee: bool) -> bool:
        return (doc in self.documents
                and (self.from_year is None or year >= self.from_year)
                and (self.to_year is None or year <= self.to_year)
                and (self.issuer != "people_committee" or people_committee))


@dataclass(frozen=True)
class LegalBases:
    """The legal bases documents cite, in the order they cite them."""

    id: str
    version: str
    title: str
    status: str
    sources: tuple[str, ...]
    bases: tuple[LegalBasis, ...]
    note: str | None = None
    path: Path | None = None
    sha256: str | None = None

    def cited(self, doc: str, year: int, *, people_committee: bool) -> list[str]:
        """The texts ``doc`` of ``year`` cites, without "Căn cứ" and final punctuation."""
        return [b.text for b in self.bases if b.applies(doc, year,
                                                         people_committee=people_committee)]
