"""The shape of each kind of criteria file, as plain Python data, and the checks across keys.

A spec checks a value at a key path (``groups[2].min``) and appends ``(path, message)`` to a
list: every problem in a file is found in one pass. Unknown keys are errors, so that a typo
in a policy never passes silently.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from movement_cli.core.kinds import CLASSES, SAFETY_RESULTS, SUBTYPES, UNIT_KINDS
from movement_cli.core.model import CITING_DOCUMENTS, ISSUER_CONDITIONS, RANKING_KEYS
from movement_cli.i18n import N_
from movement_cli.text import parse_date

Problems = list[tuple[str, str]]

FILE_KINDS: tuple[str, ...] = (
    "classification",
    "selection",
    "safety-standard",
    "model-unit",
    "commendation",
    "legal-bases",
)
STATUSES = ("complete", "provisional")
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


def _at(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _suggest(value: object, choices: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.6)
    return N_(" (did you mean '{name}'?)", name=close[0]) if close else ""


def _shown(value: object) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 60 else text[:57] + "..."


class Spec:
    """Checks a value; ``describe`` is how messages name what was expected."""

    describe = N_("a value")

    def check(self, value: object, path: str, out: Problems) -> None:
        raise NotImplementedError


class Text(Spec):
    def __init__(self, pattern: re.Pattern[str] | None = None, hint: str = ""):
        self.pattern = pattern
        self.hint = hint
        self.describe = N_("text")

    def check(self, value, path, out):
        if not isinstance(value, str):
            out.append((path, N_("expected text, got {value}", value=_shown(value))))
        elif not value.strip():
            out.append((path, N_("must not be empty")))
        elif self.pattern is not None and not self.pattern.fullmatch(value):
            out.append((path, N_("{value} is not valid: {hint}", value=_shown(value),
                                 hint=self.hint)))


class Integer(Spec):
    describe = N_("a whole number")

    def __init__(self, minimum: int | None = None, maximum: int | None = None, hint: str = ""):
        self.minimum, self.maximum, self.hint = minimum, maximum, hint

    def check(self, value, path, out):
        if isinstance(value, bool) or not isinstance(value, int):
            out.append((path, N_("expected a whole number, got {value}", value=_shown(value))))
        elif self.minimum is not None and value < self.minimum:
            out.append((path, N_("must be {minimum} or more, got {value}{hint}",
                                 minimum=self.minimum, value=value, hint=self.hint)))
        elif self.maximum is not None and value > self.maximum:
            out.append((path, N_("must be {maximum} or less, got {value}{hint}",
                                 maximum=self.maximum, value=value, hint=self.hint)))


class Number(Spec):
    describe = N_("a number")

    def __init__(self, minimum: float, maximum: float):
        self.minimum, self.maximum = minimum, maximum

    def check(self, value, path, out):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append((path, N_("expected a number, got {value}", value=_shown(value))))
        elif not self.minimum <= value <= self.maximum:
            out.append(
                (path, N_("must be between {minimum:g} and {maximum:g}, got {value:g}",
                          minimum=self.minimum, maximum=self.maximum, value=value))
            )


class Boolean(Spec):
    describe = N_("true or false")

    def check(self, value, path, out):
        if not isinstance(value, bool):
            out.append((path, N_("expected true or false, got {value}", value=_shown(value))))


class Const(Spec):
    def __init__(self, value: object, why: str):
        self.value, self.why = value, why
        self.describe = _shown(value)

    def check(self, value, path, out):
        if value != self.value or type(value) is not type(self.value):
            out.append((path, N_("must be {value}: {why}", value=_shown(self.value), why=self.why)))


class OneOf(Spec):
    def __init__(self, choices: Sequence[str], what: str):
        self.choices, self.what = tuple(choices), what
        self.describe = N_("a {what}", what=what)

    def check(self, value, path, out):
        if value not in self.choices or not isinstance(value, str):
            out.append(
                (
                    path,
                    N_("unknown {what} {value}; expected one of: {value2}{value3}", what=self.what,
                       value=_shown(value), value2=', '.join(self.choices),
                       value3=_suggest(value, self.choices)),
                )
            )


class Day(Spec):
    describe = N_("a date")

    def check(self, value, path, out):
        if isinstance(value, datetime) or not isinstance(value, (date, str)):
            out.append((path, N_("expected a date written YYYY-MM-DD, got {value}",
                                 value=_shown(value))))
        elif isinstance(value, str):
            try:
                parse_date(value)
            except ValueError:
                out.append((path, N_("{value} is not a date; write YYYY-MM-DD",
                                     value=_shown(value))))


def as_date(value: object) -> date:
    return value if isinstance(value, date) else parse_date(str(value))


@dataclass(frozen=True)
class Field:
    spec: Spec
    required: bool = True


class Record(Spec):
    """A mapping with known keys; unknown keys and missing required keys are errors."""

    describe = N_("a mapping (key: value)")

    def __init__(self, fields: dict[str, Field]):
        self.fields = fields

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append((path, N_("expected a mapping (key: value), got {value}",
                                 value=_shown(value))))
            return
        for key, item in value.items():
            field = self.fields.get(key) if isinstance(key, str) else None
            if field is None:
                out.append(
                    (
                        _at(path, key),
                        N_("unknown key{value}; expected one of: {value2}",
                           value=_suggest(key, list(self.fields)), value2=', '.join(self.fields)),
                    )
                )
            else:
                field.spec.check(item, _at(path, key), out)
        for key, field in self.fields.items():
            if field.required and key not in value:
                out.append((_at(path, key), N_("missing (required)")))


class MappingOf(Spec):
    """A mapping whose keys and values follow one spec each."""

    describe = N_("a mapping (key: value)")

    def __init__(self, key: Spec, value: Spec, required_keys: Sequence[str] = ()):
        self.key, self.value, self.required_keys = key, value, tuple(required_keys)

    def check(self, value, path, out):
        if not isinstance(value, dict):
            out.append((path, N_("expected a mapping (key: value), got {value}",
                                 value=_shown(value))))
            return
        for key, item in value.items():
            self.key.check(key, _at(path, key), out)
            self.value.check(item, _at(path, key), out)
        for key in self.required_keys:
            if key not in value:
                out.append((_at(path, key), N_("missing (required)")))


class ListOf(Spec):
    """A list; ``unique`` compares the items, ``unique_by`` one key of mapping items."""

    describe = N_("a list")

    def __init__(
        self, item: Spec, min_items: int = 0, unique: bool = False, unique_by: str | None = None
    ):
        self.item, self.min_items = item, min_items
        self.unique, self.unique_by = unique, unique_by

    def check(self, value, path, out):
        if not isinstance(value, list):
            out.append((path, N_("expected a list, got {value}", value=_shown(value))))
            return
        if len(value) < self.min_items:
            out.append((path, N_("must list at least {min_items}", min_items=self.min_items)))
        seen: dict[object, int] = {}
        for i, item in enumerate(value):
            here = f"{path}[{i}]"
            self.item.check(item, here, out)
            if self.unique_by is not None:
                marker = item.get(self.unique_by) if isinstance(item, dict) else None
                here = _at(here, self.unique_by)
            else:
                marker = item if self.unique else None
            if marker is None or not isinstance(marker, (str, int)):
                continue
            if marker in seen:
                out.append(
                    (here, N_("{value} is repeated (already at {path}[{value2}])",
                              value=_shown(marker), path=path, value2=seen[marker]))
                )
            else:
                seen[marker] = i


class Either(Spec):
    """The first alternative whose type fits checks the value."""

    def __init__(self, *alternatives: Spec, fits: Sequence[Callable[[object], bool]]):
        self.alternatives, self.fits = alternatives, fits
        first, second = (a.describe for a in alternatives)
        self.describe = N_("{first} or {second}", first=first, second=second)

    def check(self, value, path, out):
        for spec, fits in zip(self.alternatives, self.fits, strict=True):
            if fits(value):
                spec.check(value, path, out)
                return
        out.append((path, N_("expected {describe}, got {value}", describe=self.describe,
                             value=_shown(value))))


def _is_text(value: object) -> bool:
    return isinstance(value, str)


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


ID = Text(_ID, N_("use lower-case letters, digits, '.', '-' and '_'"))
SOURCES = Either(Text(), ListOf(Text(), min_items=1), fits=(_is_text, lambda v: True))
SOURCES.describe = N_("the documents it comes from (a list)")
# What a OneOf names in its messages.
KIND_WORD = N_("kind")
CLASS_WORD = N_("class")
KIND = OneOf(UNIT_KINDS, KIND_WORD)
KIND_LIST = ListOf(KIND, min_items=1, unique=True)
MONTH_DAY = Record({"month": Field(Integer(1, 12)), "day": Field(Integer(1, 31))})
PROVENANCE = Record(
    {
        "confirmed": Field(Boolean()),
        "configurable": Field(Boolean(), required=False),
        "note": Field(Text(), required=False),
        "source": Field(SOURCES, required=False),
    }
)
ITEM = Record(
    {
        "id": Field(ID),
        "title": Field(Text()),
        "group": Field(Either(Text(), Integer(), fits=(_is_text, _is_whole)), required=False),
        "note": Field(Text(), required=False),
    }
)

HEADER: dict[str, Field] = {
    "id": Field(ID),
    "kind": Field(OneOf(FILE_KINDS, N_("file kind"))),
    "version": Field(Either(Integer(1), Text(), fits=(_is_whole, _is_text))),
    "title": Field(Text()),
    "status": Field(OneOf(STATUSES, N_("status"))),
    "source": Field(SOURCES),
    "note": Field(Text(), required=False),
    "provenance": Field(MappingOf(Text(), PROVENANCE), required=False),
}

_WINDOW = Record(
    {
        "start": Field(MONTH_DAY),
        "start_year_offset": Field(Integer(-1, 0), required=False),
        "end": Field(MONTH_DAY),
    }
)
_KIND_OR_DEFAULT = OneOf((*UNIT_KINDS, "default"), KIND_WORD)

BODIES: dict[str, dict[str, Field]] = {
    "classification": {
        "classes": Field(
            ListOf(
                Record({"code": Field(OneOf(CLASSES, CLASS_WORD)), "label": Field(Text())}),
                min_items=1,
                unique_by="code",
            )
        ),
        "aliases": Field(MappingOf(Text(), OneOf(CLASSES, CLASS_WORD)), required=False),
        "score_bands": Field(
            Record(
                {
                    "bands": Field(
                        ListOf(
                            Record(
                                {
                                    "class": Field(OneOf(CLASSES, CLASS_WORD)),
                                    "min": Field(Number(0, 100)),
                                }
                            ),
                            min_items=1,
                            unique_by="class",
                        )
                    ),
                    "otherwise": Field(OneOf(CLASSES, CLASS_WORD)),
                }
            )
        ),
        "safety_labels": Field(Record({code: Field(Text()) for code in SAFETY_RESULTS})),
        "evaluation_windows": Field(MappingOf(_KIND_OR_DEFAULT, _WINDOW, ["default"])),
        "classification_deadlines": Field(MappingOf(_KIND_OR_DEFAULT, MONTH_DAY, ["default"])),
        "recognition_deadline": Field(MONTH_DAY, required=False),
    },
    "selection": {
        "basis_year_offset": Field(
            Integer(maximum=-1, hint=N_(" (the basis year is a completed year: -1 is the year "
                                        "before)"))
        ),
        "required_safety": Field(OneOf(SAFETY_RESULTS, N_("ANTT result"))),
        "minimum_class": Field(OneOf(CLASSES, CLASS_WORD)),
        "excluded_subtypes": Field(ListOf(OneOf(tuple(SUBTYPES), N_("subtype")), unique=True)),
        "groups": Field(
            ListOf(
                Record(
                    {
                        "name": Field(ID),
                        "label": Field(Text(), required=False),
                        "kinds": Field(KIND_LIST),
                        "min": Field(Integer(0)),
                        "valid_from": Field(Day(), required=False),
                        "valid_to": Field(Day(), required=False),
                        "source": Field(SOURCES, required=False),
                        "note": Field(Text(), required=False),
                    }
                ),
                min_items=1,
                unique_by="name",
            )
        ),
        "ranking": Field(
            ListOf(OneOf(RANKING_KEYS, N_("ranking key")), min_items=1, unique=True),
            required=False
        ),
        "follow_predecessors": Field(Boolean(), required=False),
        "window": Field(
            Record(
                {
                    "months": Field(ListOf(Integer(1, 12), min_items=1, unique=True)),
                }
            ),
            required=False,
        ),
    },
    "safety-standard": {
        "checklists": Field(
            ListOf(
                Record(
                    {
                        "title": Field(Text(), required=False),
                        "kinds": Field(KIND_LIST),
                        "items": Field(ListOf(ITEM, min_items=1)),
                    }
                ),
                min_items=1,
            )
        ),
        "commune_rule": Field(
            Record(
                {
                    "threshold": Field(Number(0, 1)),
                    "registered": Field(Number(0, 1), required=False),
                    "counting": Field(OneOf(("together", "per_kind"), N_("counting"))),
                    "managed_kinds": Field(KIND_LIST),
                }
            )
        ),
        "decision_deadlines": Field(
            MappingOf(_KIND_OR_DEFAULT, MONTH_DAY, ["default"]), required=False
        ),
    },
    "model-unit": {
        "incomplete": Field(Boolean(), required=False),
        "official_size": Field(Integer(1), required=False),
        "illustrative": Field(Boolean(), required=False),
        "applies_to": Field(KIND_LIST),
        "valid_from": Field(Day(), required=False),
        "valid_to": Field(Day(), required=False),
        "pass_rule": Field(
            Either(
                Const("all", N_("write all, or at_least: N")),
                Record({"at_least": Field(Integer(1))}),
                fits=(_is_text, lambda v: isinstance(v, dict)),
            )
        ),
        "items": Field(ListOf(ITEM, min_items=1, unique_by="id")),
    },
    "commendation": {
        "proposals_only": Field(
            Const(
                True, N_("recognised units are proposed for commendation, never awarded "
                         "automatically")
            ),
            required=False,
        ),
        "forms": Field(
            ListOf(
                Record(
                    {
                        "id": Field(ID),
                        "label": Field(Text()),
                        "authority": Field(Text()),
                    }
                ),
                min_items=1,
                unique_by="id",
            )
        ),
        "proposals": Field(
            ListOf(
                Record(
                    {
                        "kinds": Field(KIND_LIST),
                        "form": Field(Text()),
                    }
                )
            )
        ),
    },
    "legal-bases": {
        "bases": Field(
            ListOf(
                Record(
                    {
                        "id": Field(ID),
                        # As cited after "Căn cứ", without the final punctuation.
                        "text": Field(Text()),
                        "documents": Field(
                            ListOf(OneOf(CITING_DOCUMENTS, N_("document")), min_items=1,
                                   unique=True),
                            required=False,
                        ),
                        "from_year": Field(Integer(1945, 2200), required=False),
                        "to_year": Field(Integer(1945, 2200), required=False),
                        "issuer": Field(OneOf(ISSUER_CONDITIONS, N_("issuer")),
                                        required=False),
                        "source": Field(SOURCES, required=False),
                        "note": Field(Text(), required=False),
                    }
                ),
                min_items=1,
                unique_by="id",
            )
        ),
    },
}


# Checks across keys, run on the parsed document whatever its shape: each guards its types.


def _list(value: object) -> list:
    return value if isinstance(value, list) else []


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _check_header(doc: dict, kind: str, out: Problems) -> None:
    if doc.get("status") == "provisional" and "note" not in doc:
        out.append(("note", N_("required when status is provisional: say what is missing")))
    known = list(BODIES.get(kind, {}))
    for key in _dict(doc.get("provenance")):
        if key not in known:
            out.append(
                (
                    _at("provenance", key),
                    N_("names no key of this file{value}; expected one of: {value2}",
                       value=_suggest(key, known), value2=', '.join(known)),
                )
            )


def _check_classification(doc: dict, out: Problems) -> None:
    classes = [c.get("code") for c in _list(doc.get("classes")) if isinstance(c, dict)]
    if classes and classes != list(CLASSES) and set(classes) <= set(CLASSES):
        missing = [c for c in CLASSES if c not in classes]
        out.append(
            (
                "classes",
                N_("must list {classes}, best first; missing: {missing}",
                   classes=', '.join(CLASSES), missing=', '.join(missing)) if missing else
                N_("must list {classes}, best first", classes=', '.join(CLASSES)),
            )
        )
    labels = {}
    for i, entry in enumerate(_list(doc.get("classes"))):
        label = entry.get("label") if isinstance(entry, dict) else None
        if isinstance(label, str):
            if label.casefold() in labels:
                out.append((f"classes[{i}].label", N_("'{label}' is repeated", label=label)))
            labels[label.casefold()] = i
    taken = set(labels) | {c.replace("_", " ") for c in CLASSES} | set(CLASSES)
    for alias in _dict(doc.get("aliases")):
        if isinstance(alias, str) and alias.casefold() in taken:
            out.append((_at("aliases", alias), N_("is already a class code or label")))
    bands = _dict(doc.get("score_bands"))
    order = {c: i for i, c in enumerate(CLASSES)}
    previous = None
    for i, band in enumerate(_list(bands.get("bands"))):
        if not isinstance(band, dict):
            continue
        klass, low = band.get("class"), band.get("min")
        if (
            previous is not None
            and isinstance(low, (int, float))
            and isinstance(previous[1], (int, float))
            and low >= previous[1]
        ):
            out.append(
                (
                    f"score_bands.bands[{i}].min",
                    N_("must be below the band above ({value:g}): bands run from the highest "
                       "score down", value=previous[1]),
                )
            )
        if (
            previous is not None
            and klass in order
            and previous[0] in order
            and (order[klass] <= order[previous[0]])
        ):
            out.append((f"score_bands.bands[{i}].class", N_("bands must run from the best class "
                                                            "down")))
        previous = (klass, low)
    otherwise = bands.get("otherwise")
    banded = [b.get("class") for b in _list(bands.get("bands")) if isinstance(b, dict)]
    if otherwise in order and any(k in order and order[k] >= order[otherwise] for k in banded):
        out.append(("score_bands.otherwise", N_("must be worse than every band's class")))


def _check_selection(doc: dict, out: Problems) -> None:
    seen: dict[str, list[tuple[int, date | None, date | None]]] = {}
    for i, group in enumerate(_list(doc.get("groups"))):
        if not isinstance(group, dict):
            continue
        start, end = _valid_date(group.get("valid_from")), _valid_date(group.get("valid_to"))
        if start and end and end < start:
            out.append((f"groups[{i}].valid_to", N_("{end} is before valid_from {start}", end=end,
                                                    start=start)))
        for j, kind in enumerate(_list(group.get("kinds"))):
            if not isinstance(kind, str):
                continue
            for other, other_start, other_end in seen.get(kind, []):
                if _overlap(start, end, other_start, other_end):
                    out.append(
                        (
                            f"groups[{i}].kinds[{j}]",
                            N_("{kind} is already in groups[{other}] for overlapping dates",
                               kind=kind, other=other),
                        )
                    )
                    break
            seen.setdefault(kind, []).append((i, start, end))


def _valid_date(value: object) -> date | None:
    try:
        return as_date(value) if value is not None else None
    except ValueError:
        return None


def _overlap(a0: date | None, a1: date | None, b0: date | None, b1: date | None) -> bool:
    return (a0 is None or b1 is None or a0 <= b1) and (b0 is None or a1 is None or b0 <= a1)


def _check_items_unique(items: list[tuple[str, object]], out: Problems) -> None:
    seen: dict[str, str] = {}
    for path, item in items:
        ident = item.get("id") if isinstance(item, dict) else None
        if not isinstance(ident, str):
            continue
        if ident in seen:
            out.append((f"{path}.id", N_("'{ident}' is repeated (already at {value})", ident=ident,
                                         value=seen[ident])))
        else:
            seen[ident] = path


def _check_kind_once(entry: dict, key: str, i: int, what: str, kinds: dict[str, int],
                     out: Problems) -> None:
    """Each kind in at most one entry of the list ``key``: ``kinds`` maps a kind to the entry
    that has it."""
    for j, kind in enumerate(_list(entry.get("kinds"))):
        if not isinstance(kind, str):
            continue
        if kind in kinds:
            out.append((f"{key}[{i}].kinds[{j}]",
                        N_("{kind} already has {what} ({key}[{value}])", kind=kind, what=what,
                           key=key, value=kinds[kind])))
        else:
            kinds[kind] = i


def _check_safety_standard(doc: dict, out: Problems) -> None:
    items: list = []
    kinds: dict[str, int] = {}
    for i, checklist in enumerate(_list(doc.get("checklists"))):
        checklist = _dict(checklist)
        items += [
            (f"checklists[{i}].items[{j}]", item)
            for j, item in enumerate(_list(checklist.get("items")))
        ]
        _check_kind_once(checklist, "checklists", i, N_("a checklist"), kinds, out)
    _check_items_unique(items, out)


def _check_model_unit(doc: dict, out: Problems) -> None:
    if doc.get("incomplete") is True and doc.get("status") != "provisional":
        out.append(("status", N_("must be provisional while the set is incomplete")))
    if doc.get("incomplete") is True and "note" not in doc:
        out.append(("note", N_("required when incomplete: say what is missing")))
    rule = doc.get("pass_rule")
    items = _list(doc.get("items"))
    if (
        isinstance(rule, dict)
        and isinstance(rule.get("at_least"), int)
        and items
        and (rule["at_least"] > len(items))
    ):
        out.append(("pass_rule.at_least", N_("is more than the {items_count} criteria listed",
                                             items_count=len(items))))
    size = doc.get("official_size")
    if isinstance(size, int) and not isinstance(size, bool) and items:
        if doc.get("incomplete") is True and len(items) >= size:
            out.append(("official_size", N_("is {size}, but the {items_count} criteria listed "
                                            "are all of them: set incomplete: false", size=size,
                                            items_count=len(items))))
        elif doc.get("incomplete") is not True and len(items) < size:
            out.append(("incomplete", N_("must be true: {items_count} of the official list's "
                                         "{size} criteria are listed", items_count=len(items),
                                         size=size)))
    start, end = _valid_date(doc.get("valid_from")), _valid_date(doc.get("valid_to"))
    if start and end and end < start:
        out.append(("valid_to", N_("{end} is before valid_from {start}", end=end, start=start)))


def _check_commendation(doc: dict, out: Problems) -> None:
    forms = [f.get("id") for f in _list(doc.get("forms")) if isinstance(f, dict)]
    forms = [f for f in forms if isinstance(f, str)]
    kinds: dict[str, int] = {}
    for i, proposal in enumerate(_list(doc.get("proposals"))):
        proposal = _dict(proposal)
        form = proposal.get("form")
        if isinstance(form, str) and form.strip() and form not in forms:
            out.append(
                (
                    f"proposals[{i}].form",
                    N_("unknown form '{form}'{value}; expected one of: {value2}", form=form,
                       value=_suggest(form, forms), value2=', '.join(forms)),
                )
            )
        _check_kind_once(proposal, "proposals", i, N_("a proposal"), kinds, out)


def _check_legal_bases(doc: dict, out: Problems) -> None:
    for i, basis in enumerate(_list(doc.get("bases"))):
        basis = _dict(basis)
        first, last = basis.get("from_year"), basis.get("to_year")
        if _is_whole(first) and _is_whole(last) and last < first:
            out.append((f"bases[{i}].to_year", N_("{last} is before from_year {first}", last=last,
                                                  first=first)))


CROSS_CHECKS: dict[str, Callable[[dict, Problems], None]] = {
    "classification": _check_classification,
    "selection": _check_selection,
    "safety-standard": _check_safety_standard,
    "model-unit": _check_model_unit,
    "commendation": _check_commendation,
    "legal-bases": _check_legal_bases,
}


def check_document(doc: object) -> Problems:
    """Every problem in a parsed criteria file, as ``(key path, message)``: the keys in the
    order of the file (then missing keys), then the checks across keys."""
    out: Problems = []
    if doc is None:
        return [("", N_("the file is empty"))]
    if not isinstance(doc, dict):
        return [("", N_("expected a mapping of keys (id:, kind:, …) at the top of the file"))]
    kind = doc.get("kind")
    body = BODIES.get(kind) if isinstance(kind, str) else None
    fields = {**HEADER, **(body or {})}
    if body is None:
        # Without a known kind only the header can be checked.
        header_only = {key: value for key, value in doc.items() if key in HEADER}
        Record(HEADER).check(header_only, "", out)
        return out
    Record(fields).check(doc, "", out)
    _check_header(doc, kind, out)
    CROSS_CHECKS[kind](doc, out)
    return out
