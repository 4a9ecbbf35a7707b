"""The one context every document template receives, in both formats (docx and Markdown).

``build_context`` is pure: it takes the configuration, the selection, the units and the
criteria as plain data (the CLI reads them from the database and the YAML files) and returns
a plain dict whose shape ``DocumentContext`` documents. Everything a template prints is
already formatted here (number and date lines, signer lines, recipients), so templates only
lay text out and officials can edit them in Word without knowing Python.

Nested mappings are ``Section`` dicts that remember their key path, so that a template asking
for a value that is not there fails with "missing value 'issuer.parent'" rather than
"'dict object' has no attribute 'parent'".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any, TypedDict

from movement_cli.core.kinds import CLASS_LABELS, COMMUNE_LEVEL_KINDS, KIND_LABELS
from movement_cli.core.model import LegalBasis
from movement_cli.documents.formatting import (
    count_text,
    date_line,
    date_phrase,
    number_line,
    number_ref,
    recipients_block,
    short_date,
    signer_lines,
)
from movement_cli.errors import MovementError
from movement_cli.i18n import N_
from movement_cli.text import parse_date, strip_marks

DOCS = ("city-plan", "unit-plan", "recognition-decision", "commendation-proposal")

# Document type per template: symbol (ký hiệu) and the title printed in capitals.
DOC_TYPES = {
    "city-plan": ("KH", "KẾ HOẠCH"),
    "unit-plan": ("KH", "KẾ HOẠCH"),
    "recognition-decision": ("QĐ", "QUYẾT ĐỊNH"),
    "commendation-proposal": ("TTr", "TỜ TRÌNH"),
}

MOVEMENT = "phong trào “Toàn dân bảo vệ an ninh Tổ quốc”"


REQUIRED_CONFIG = {
    "authority.name": "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ",
    "authority.symbol": "UBND",
    "authority.place": "Huế",
}

# Words that open the locality part of an authority's name, longest first.
_LOCALITY_WORDS = (
    "thành phố",
    "thị trấn",
    "thị xã",
    "đặc khu",
    "tỉnh",
    "quận",
    "huyện",
    "phường",
    "xã",
)
_LOCALITY_RE = re.compile(
    r"(?<!\w)(" + "|".join(re.escape(w) for w in _LOCALITY_WORDS) + r")(?!\w)"
)
# How the opening words of common authority names are written inside a sentence.
_AUTHORITY_PREFIXES = {
    "ủy ban nhân dân": "Ủy ban nhân dân",
    "uỷ ban nhân dân": "Ủy ban nhân dân",
    "hội đồng nhân dân": "Hội đồng nhân dân",
    "công an": "Công an",
}


class Section(dict):
    """A dict that knows its key path in the context, for error messages."""

    __slots__ = ("key_path",)

    def __init__(self, key_path: str, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_path = key_path

    def __reduce__(self):
        return (Section, (self.key_path, dict(self)))


class IssuerContext(TypedDict):
    """Who issues the document: the configured authority, or the unit for its own plan."""

    name: str  # UPPER: "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ"
    name_text: str  # inside a sentence: "Ủy ban nhân dân thành phố Huế"
    parent: str | None  # UPPER, printed above the name; None when not configured
    symbol: str  # "UBND"
    place: str  # "Huế"


class SignerContext(TypedDict):
    lines: list[str]  # ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    title: str  # "PHÓ CHỦ TỊCH" ("" when not configured)
    name: str  # "" on a draft


class AgenciesContext(TypedDict):
    """Names of the bodies tasked in section III of the city plan."""

    police: str  # "Công an thành phố Huế" — the standing body
    education: str  # "Phòng Giáo dục và Đào tạo" / "Sở Giáo dục và Đào tạo"
    industry: str  # "Phòng Kinh tế" / "Sở Công Thương"
    labour: str  # "Liên đoàn Lao động thành phố Huế"
    home_affairs: str  # "Phòng Nội vụ" / "Sở Nội vụ" (commendation)
    media: str
    front: str  # "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Huế"
    communes: str  # "Ủy ban nhân dân các xã, phường"


class UnitContext(TypedDict):
    index: int  # 1-based position (STT)
    code: str
    name: str  # as written: "Phường Phước Vĩnh"
    name_text: str  # inside a sentence: "phường Phước Vĩnh"
    kind: str
    kind_label: str  # "Phường"
    kind_text: str  # "phường"
    group: str | None
    class_label: str | None  # "Xuất sắc"
    score: float | None
    is_commune: bool
    is_school: bool
    people: str  # whom the plan is explained to
    police: str  # the unit's police, for a commune ("Công an phường Phước Vĩnh")


class UnitGroupContext(TypedDict):
    name: str
    label: str  # "Phường"
    letter: str  # "a", "b", …
    units: list[UnitContext]


class CriterionContext(TypedDict):
    index: int
    id: str
    title: str


class CriteriaSetContext(TypedDict):
    title: str
    source: str
    provisional: bool
    criteria: list[CriterionContext]  # the input's ``items`` (".items" is a dict method)


class CityPlanContext(TypedDict):
    number: str | None  # "593/KH-UBND", from the selection's decision
    date: str | None  # "17/01/2024"
    reference: str  # "Kế hoạch số 593/KH-UBND ngày 17/01/2024 của Ủy ban nhân dân …"


class RecognizedContext(TypedDict):
    index: int
    code: str
    name: str
    kind_label: str
    met: int | None
    total: int | None


class ProposalContext(TypedDict):
    index: int
    code: str
    name: str
    kind_label: str
    form: str  # "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"


class DocumentContext(TypedDict):
    """What every template receives. All keys are present for every document; the lists a
    document does not use are empty and ``unit``/``model_criteria`` may be None."""

    doc: str  # "city-plan", …
    year: int
    title: str  # "KẾ HOẠCH" / "QUYẾT ĐỊNH" / "TỜ TRÌNH"
    subject: str  # the trích yếu under the title
    doc_symbol: str  # "KH" / "QĐ" / "TTr"
    number_line: str  # "Số: 593/KH-UBND" or the blank "Số:      /KH-UBND"
    number_ref: str  # "593/KH-UBND"
    date_line: str  # "Huế, ngày 17 tháng 01 năm 2024" or the blank form
    date_ref: str  # "ngày 17 tháng 01 năm 2024"
    issuer: IssuerContext
    authority: IssuerContext  # the configured (city) authority, whoever issues
    locality: str  # "thành phố Huế"
    agencies: AgenciesContext
    signer: SignerContext
    recipients: list[str]  # ["- Như Điều 3;", …, "- Lưu: VT."]
    bases: list[str]  # legal bases, without final punctuation
    decision_authority: str  # the line above the bases of a decision
    addressee: str  # "Kính gửi" of a tờ trình
    selection: dict  # {"year", "basis_year", "status", "decision", "policy"}
    city_plan: CityPlanContext
    units: list[UnitContext]  # the selected units
    units_count: str  # "02 (hai)"
    unit_groups: list[UnitGroupContext]
    unit: UnitContext | None  # the unit of a unit plan
    safety_criteria: list[CriterionContext]
    model_criteria: CriteriaSetContext | None
    recognized: list[RecognizedContext]
    recognized_count: str
    proposals: list[ProposalContext]
    proposals_count: str
    illustrative_note: str  # year-end documents judged by an illustrative set say so ("" if not)


def _get(obj: Any, key: str, default: Any = None) -> Any:
    if isinstance(obj, Mapping):
        return obj.get(key, default)
    return getattr(obj, key, default)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _config_value(config: Mapping[str, Any], key: str) -> Any:
    """A dotted key from a flat mapping, or from a nested one."""
    if key in config:
        return config[key]
    node: Any = config
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _missing_error(doc: str, keys: list[str]) -> MovementError:
    quoted = ", ".join(f"'{k}'" for k in keys)
    hints = "; ".join(f'movement config set {k} "{REQUIRED_CONFIG.get(k, "...")}"' for k in keys)
    if len(keys) == 1:
        message = N_("template {doc}: missing value {quoted} (set it with: {hints})",
                     doc=doc, quoted=quoted, hints=hints)
    else:
        message = N_("template {doc}: missing values {quoted} (set them with: {hints})",
                     doc=doc, quoted=quoted, hints=hints)
    return MovementError(message)


def sentence_name(name: str) -> str:
    """An authority's UPPER name as written inside a sentence:
    "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ" → "Ủy ban nhân dân thành phố Huế".

    The words after the last locality word (tỉnh, thành phố, phường, …) are a proper name and
    keep a capital on every word; the words before it are lower case.
    """
    name = _text(name)
    if not name or name != name.upper():
        return name
    lower = name.lower()
    matches = list(_LOCALITY_RE.finditer(lower))
    if not matches:
        return _opening(lower)
    last = matches[-1]
    head = lower[: last.end()]
    proper = " ".join(w[:1].upper() + w[1:] for w in lower[last.end() :].split())
    return f"{_opening(head)} {proper}".strip()


def _opening(lower: str) -> str:
    for prefix, written in _AUTHORITY_PREFIXES.items():
        if lower.startswith(prefix):
            return written + lower[len(prefix) :]
    return lower[:1].upper() + lower[1:]


def locality_of(name: str) -> str | None:
    """ "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ" → "thành phố Huế"."""
    text = sentence_name(name)
    matches = list(_LOCALITY_RE.finditer(text))
    return text[matches[-1].start() :] if matches else None


def _acronym(name: str) -> str:
    """A draft document symbol for an agency: "Hội Liên hiệp Phụ nữ thành phố Huế" → "HLHPN"."""
    match = _LOCALITY_RE.search(name.lower())
    words = name[: match.start()].split() if match and match.start() else name.split()
    letters = []
    for word in words:
        first = word[:1].upper()
        if first == "Đ":
            letters.append("Đ")
            continue
        base = strip_marks(first)[:1]
        if base.isascii() and base.isalnum():
            letters.append(base)
    return "".join(letters)[:10] or "DV"


def _issuer(config: Mapping[str, Any]) -> Section:
    name = _text(_config_value(config, "authority.name")).upper()
    parent = _text(_config_value(config, "authority.parent")).upper() or None
    name_text = sentence_name(name)
    locality = _text(_config_value(config, "authority.locality"))
    matches = list(_LOCALITY_RE.finditer(name_text))
    if locality and matches:
        name_text = f"{name_text[: matches[-1].start()].strip()} {locality}".strip()
    return Section(
        "issuer",
        name=name,
        name_text=name_text,
        parent=parent,
        symbol=_text(_config_value(config, "authority.symbol")),
        place=_text(_config_value(config, "authority.place")),
    )


def _agencies(locality: str, level: str) -> Section:
    province = level == "province"
    return Section(
        "agencies",
        police=f"Công an {locality}",
        education="Sở Giáo dục và Đào tạo" if province else "Phòng Giáo dục và Đào tạo",
        industry="Sở Công Thương" if province else "Phòng Kinh tế",
        labour=f"Liên đoàn Lao động {locality}",
        home_affairs="Sở Nội vụ" if province else "Phòng Nội vụ",
        media=(
            "Các cơ quan báo chí, phát thanh, truyền hình"
            if province
            else "Phòng Văn hóa và Thông tin, các cơ quan báo chí"
        ),
        front=f"Ủy ban Mặt trận Tổ quốc Việt Nam {locality}",
        communes="Ủy ban nhân dân các xã, phường",
    )


def _unit_item(unit: Any, index: int, locality: str) -> Section:
    kind = _text(_get(unit, "kind"))
    name = _text(_get(unit, "name"))
    kind_label = _text(_get(unit, "kind_label")) or KIND_LABELS.get(kind, kind)
    is_commune = kind in COMMUNE_LEVEL_KINDS
    name_text = name
    if is_commune and name[:1].isupper() and name.lower().startswith(kind_label.lower() + " "):
        name_text = kind_label.lower() + name[len(kind_label) :]
    cls = _get(unit, "class")
    score = _get(unit, "score")
    if kind == "co_so_giao_duc":
        people = "cán bộ, giáo viên, nhân viên và người học"
    elif is_commune:
        people = "cán bộ, công chức và Nhân dân trên địa bàn"
    else:
        people = "cán bộ, công chức, viên chức và người lao động"
    return Section(
        f"units[{index - 1}]",
        index=index,
        code=_text(_get(unit, "code")),
        name=name,
        name_text=name_text,
        kind=kind,
        kind_label=kind_label,
        kind_text=kind_label.lower(),
        group=_get(unit, "group"),
        class_label=_text(_get(unit, "class_label")) or CLASS_LABELS.get(cls or "", None),
        score=score,
        is_commune=is_commune,
        is_school=kind == "co_so_giao_duc",
        people=people,
        police=f"Công an {name_text}" if is_commune else f"Công an {locality}",
    )


def _groups(units: list[Section], policy_groups: Sequence[Mapping[str, Any]]) -> list[Section]:
    """The selected units by quota group, in the policy's order and under its labels. A unit
    in no group of the policy (a pick the policy does not cover) comes after them, under a
    label made of its kind."""
    by_group: dict[str, list[Section]] = {}
    for unit in units:
        by_group.setdefault(unit["group"] or unit["kind"], []).append(unit)
    labels = {_text(_get(g, "name")): _text(_get(g, "label")) for g in policy_groups}
    order = [name for name in labels if name in by_group]
    order += [name for name in by_group if name not in labels]
    groups = []
    for position, name in enumerate(order):
        members = by_group[name]
        label = labels.get(name) or ", ".join(dict.fromkeys(m["kind_label"] for m in members))
        groups.append(
            Section(
                f"unit_groups[{position}]",
                name=name,
                label=label,
                letter="abcdefghiklmnopqrstuvxy"[position % 23],
                units=members,
            )
        )
    return groups


def _criteria(items: Iterable[Any] | None, path: str) -> list[Section]:
    result = []
    for position, item in enumerate(items or [], start=1):
        title = re.sub(r"[\s;,.]+$", "", _text(_get(item, "title")))
        result.append(
            Section(
                f"{path}[{position - 1}]", index=position, id=_text(_get(item, "id")), title=title
            )
        )
    return result


def _model_criteria(model: Any) -> Section | None:
    if model is None:
        return None
    items = _get(model, "items")
    if items is None:
        items = _get(model, "criteria")
    return Section(
        "model_criteria",
        title=_text(_get(model, "title")),
        source=_text(_get(model, "source")),
        provisional=bool(_get(model, "provisional", False)),
        criteria=_criteria(items, "model_criteria.criteria"),
    )


def _parse_day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value).strip())
    except ValueError:
        return None


def _bases(doc: str, year: int, issuer: Mapping, city_plan: Mapping, police: str,
           legal_bases: Sequence[LegalBasis], extra: Iterable[str]) -> list[str]:
    """The legal bases cited by a plan or a decision (domain.md, "Legal basis"): those of
    the legal-bases file that apply to this document and year, the locality's own (config
    ``bases``), and for a decision the city plan and whose proposal it follows."""
    if doc not in ("city-plan", "recognition-decision"):
        return []
    people_committee = issuer["name"].startswith("ỦY BAN NHÂN DÂN")
    bases = [f"Căn cứ {basis.text}" for basis in legal_bases
             if basis.applies(doc, year, people_committee=people_committee)]
    bases += [_text(b).rstrip(";.,") for b in extra if _text(b)]
    if doc == "recognition-decision":
        bases.append(f"Căn cứ {city_plan['reference']}")
        bases.append(f"Theo đề nghị của Trưởng {police}")
    return bases


def _unit_issuer(unit: Any, item: Mapping, config_issuer: Mapping) -> Section:
    """A unit issues its own plan: a commune through its People's Committee, an agency in
    its own name. ``unit["issuer"]`` (name, parent, symbol, place) overrides the guess."""
    given = _get(unit, "issuer") or {}
    if item["is_commune"]:
        name = f"ỦY BAN NHÂN DÂN {item['name'].upper()}"
        symbol = "UBND"
        # Nghị định 30: a commune's documents carry the commune's own name as the place.
        words = item["name"].split()
        label_words = len(item["kind_label"].split())
        place = " ".join(words[label_words:]) or item["name"]
    else:
        name = item["name"].upper()
        symbol = _acronym(item["name"])
        place = config_issuer["place"]
    name = _text(_get(given, "name")).upper() or name
    return Section(
        "issuer",
        name=name,
        name_text=sentence_name(name)
        if item["is_commune"] or _get(given, "name")
        else item["name"],
        parent=_text(_get(given, "parent")).upper() or None,
        symbol=_text(_get(given, "symbol")) or symbol,
        place=_text(_get(given, "place")) or place,
    )


def _unit_signer(unit: Any, item: Mapping) -> Section:
    given = _get(unit, "signer") or {}
    if item["is_commune"]:
        lines, title = ["TM. ỦY BAN NHÂN DÂN"], "CHỦ TỊCH"
    elif item["kind"] == "co_so_giao_duc":
        lines, title = [], "HIỆU TRƯỞNG"
    elif item["kind"] == "doanh_nghiep":
        lines, title = [], "GIÁM ĐỐC"
    else:
        lines, title = [], "THỦ TRƯỞNG CƠ QUAN"
    if _get(given, "authority") is not None:
        lines = signer_lines(_get(given, "authority"))
    return Section(
        "signer",
        lines=lines,
        title=_text(_get(given, "title")).upper() or title,
        name=_text(_get(given, "name")),
    )


def _listed_unit(path: str, index: int, unit, **more) -> Section:
    """A unit as a year-end document lists it: number, code, name, kind label, and ``more``."""
    kind = _text(_get(unit, "kind"))
    return Section(path, index=index, code=_text(_get(unit, "code")),
                   name=_text(_get(unit, "name")),
                   kind_label=_text(_get(unit, "kind_label")) or KIND_LABELS.get(kind, kind),
                   **more)


def build_context(
    doc: str,
    *,
    year: int,
    config: Mapping[str, Any],
    selection: Mapping[str, Any],
    units: list[Mapping[str, Any]],
    unit: Mapping[str, Any] | None = None,
    groups: Sequence[Mapping[str, Any]] = (),
    legal_bases: Sequence[LegalBasis] = (),
    safety_criteria: Iterable[Any] | None = None,
    model_criteria: Any = None,
    recognized: list[Mapping[str, Any]] | None = None,
    proposals: list[Mapping[str, Any]] | None = None,
    number: int | None = None,
    day: date | None = None,
) -> dict:
    """The template context for ``doc`` (one of ``DOCS``); see ``DocumentContext``.

    ``config`` is the flat (dotted) configuration: ``authority.name``, ``authority.symbol``
    and ``authority.place`` are required; ``authority.parent``, ``signer.authority`` (list or
    "/"-separated), ``signer.title``, ``signer.name``, ``recipients`` (list) are optional, and
    so are the overrides ``authority.locality`` ("thành phố Huế"), ``authority.level``
    ("province" or "district"; default district when a parent is configured),
    ``commendation.addressee`` and ``bases`` (extra legal bases, a list).
    ``selection`` may carry ``decision_date`` (date or ISO text) for citing the city plan.
    ``groups`` are the selection policy's quota groups (``name``, ``label``) in its order;
    ``legal_bases`` the legal-bases file's entries, of which the document cites those that
    apply to it.
    Raises MovementError naming the template and every missing key.
    """
    _check_request(doc, year, config, unit, recognized, proposals)
    selection = selection or {}
    authority, locality, agencies = _authority(config)
    items = [_unit_item(u, i, locality) for i, u in enumerate(units, start=1)]
    unit_item = None
    if unit is not None:
        unit_item = _unit_item(unit, 1, locality)
        unit_item.key_path = "unit"
    decision = _text(selection.get("decision")) or None
    city_plan = _city_plan(decision, _parse_day(selection.get("decision_date")), authority)
    issuer, signer, recipients = _sender_and_recipients(doc, config, authority, agencies,
                                                        unit, unit_item)
    extra_bases = _config_value(config, "bases") or []
    if isinstance(extra_bases, str):
        extra_bases = [extra_bases]
    recognized_items, proposal_items = _year_end(recognized, proposals)
    # A tờ trình counts the selected and the recognised units; when the caller passes only
    # the proposals, the proposed units stand for both.
    recognized_total = len(recognized_items) or len(proposal_items)
    selected_total = len(items) or recognized_total

    return {
        **_heading(doc, year, issuer, unit_item, number, day),
        "issuer": issuer,
        "authority": authority,
        "locality": locality,
        "agencies": agencies,
        "signer": signer,
        "recipients": recipients,
        "bases": _bases(doc, year, issuer, city_plan, agencies["police"], legal_bases,
                        extra_bases),
        "decision_authority": _decision_authority(issuer, signer),
        "addressee": _addressee(config, authority, locality),
        "selection": Section(
            "selection",
            year=selection.get("year", year),
            basis_year=selection.get("basis_year", year - 1),
            status=selection.get("status"),
            decision=decision,
            policy=selection.get("policy"),
        ),
        "city_plan": city_plan,
        "units": items,
        "units_count": count_text(selected_total),
        "unit_groups": _groups(items, groups),
        "unit": unit_item,
        "safety_criteria": _criteria(safety_criteria, "safety_criteria"),
        "model_criteria": _model_criteria(model_criteria),
        "recognized": recognized_items,
        "recognized_count": count_text(recognized_total),
        "proposals": proposal_items,
        "proposals_count": count_text(len(proposal_items)),
        "illustrative_note": "",  # set by documents.yearend for the year-end documents
    }


# The parts of a document, in the order build_context assembles them.


def _check_request(doc: str, year: int, config: Mapping[str, Any], unit: Any,
                   recognized: list | None, proposals: list | None) -> None:
    """What a document cannot be drafted without: the configured authority, the unit of a
    unit plan, the year-end outcomes of the year-end documents."""
    if doc not in DOCS:
        raise MovementError(N_("unknown document {doc!r}: use one of {value}", doc=doc,
                               value=', '.join(DOCS)))
    missing = [k for k in REQUIRED_CONFIG if not _text(_config_value(config, k))]
    if missing:
        raise _missing_error(doc, missing)
    if doc == "unit-plan" and unit is None:
        raise MovementError(N_("template {doc}: missing value 'unit' (name the unit with --unit)",
                               doc=doc))
    if doc == "recognition-decision" and not recognized:
        raise MovementError(
            N_("template {doc}: no recognised units for {year} (run: movement recognize --year "
               "{year} --finalize)", doc=doc, year=year)
        )
    if doc == "commendation-proposal" and not proposals:
        raise MovementError(
            N_("template {doc}: no commendation proposals for {year} (run: movement recognize "
               "--year {year} --finalize)", doc=doc, year=year)
        )


def _authority(config: Mapping[str, Any]) -> tuple[Section, str, Section]:
    """The configured authority, the locality it governs ("thành phố Huế") and the
    bodies its plan tasks."""
    authority = _issuer(config)
    authority.key_path = "authority"
    locality = (
        _text(_config_value(config, "authority.locality"))
        or locality_of(authority["name"])
        or authority["place"]
    )
    level = _text(_config_value(config, "authority.level")) or (
        "district" if authority["parent"] else "province"
    )
    return authority, locality, _agencies(locality, level)


def _city_plan(decision: str | None, decision_day: date | None, authority: Mapping) -> Section:
    """The city plan as the other documents cite it."""
    reference = "Kế hoạch"
    if decision:
        reference += f" số {decision}"
    if decision_day:
        reference += f" ngày {short_date(decision_day)}"
    reference += f" của {authority['name_text']}"
    return Section(
        "city_plan",
        number=decision,
        date=short_date(decision_day) if decision_day else None,
        reference=reference,
    )


def _sender_and_recipients(doc: str, config: Mapping[str, Any], authority: Section,
                           agencies: Section, unit: Any, unit_item: Section | None
                           ) -> tuple[Section, Section, list[str]]:
    """Who issues and signs the document, and the "Nơi nhận" block: a unit's own plan is
    the unit's and reports to the authority; every other document is the authority's."""
    if doc == "unit-plan":
        issuer = _unit_issuer(unit, unit_item, authority)
        signer = _unit_signer(unit, unit_item)
        recipients = recipients_block(
            [f"{authority['name_text']} (để báo cáo)", f"{agencies['police']} (để báo cáo)"]
        )
        return issuer, signer, recipients
    issuer = Section("issuer", authority)
    signer = Section(
        "signer",
        lines=signer_lines(_config_value(config, "signer.authority")),
        title=_text(_config_value(config, "signer.title")).upper(),
        name=_text(_config_value(config, "signer.name")),
    )
    configured = _config_value(config, "recipients") or []
    if isinstance(configured, str):
        configured = re.split(r"[\n;]", configured)
    lead = {"recognition-decision": ["Như Điều 3"], "commendation-proposal": ["Như trên"]}
    return issuer, signer, recipients_block(lead.get(doc, []) + list(configured))


def _heading(doc: str, year: int, issuer: Mapping, unit_item: Mapping | None,
             number: int | None, day: date | None) -> dict:
    """The document's type, number and date lines, and its subject (trích yếu)."""
    doc_symbol, title = DOC_TYPES[doc]
    subjects = {
        "city-plan": f"Xây dựng đơn vị điển hình về {MOVEMENT} năm {year}",
        "unit-plan": (
            f"Xây dựng {unit_item['kind_text']} điển hình về {MOVEMENT} năm {year}"
            if unit_item
            else ""
        ),
        "recognition-decision": (f"Về việc công nhận đơn vị điển hình về {MOVEMENT} năm {year}"),
        "commendation-proposal": (
            f"Về việc đề nghị khen thưởng đơn vị điển hình về {MOVEMENT} năm {year}"
        ),
    }
    return {
        "doc": doc,
        "year": year,
        "title": title,
        "subject": subjects[doc],
        "doc_symbol": doc_symbol,
        "number_line": number_line(number, doc_symbol, issuer["symbol"]),
        "number_ref": number_ref(number, doc_symbol, issuer["symbol"]),
        "date_line": date_line(issuer["place"], day, year),
        "date_ref": date_phrase(day, year),
    }


def _decision_authority(issuer: Mapping, signer: Mapping) -> str:
    """The line above a decision's bases: the committee when it decides collectively (the
    signer signs "TM."), else its chair; another issuer in its own name."""
    collective = any(line.startswith("TM.") for line in signer["lines"])
    if collective or not issuer["name"].startswith("ỦY BAN NHÂN DÂN"):
        return issuer["name"]
    return f"CHỦ TỊCH {issuer['name']}"


def _addressee(config: Mapping[str, Any], authority: Mapping, locality: str) -> str:
    """Whom a tờ trình is addressed to ("Kính gửi")."""
    addressee = _text(_config_value(config, "commendation.addressee"))
    if addressee:
        return addressee
    if authority["parent"]:
        return sentence_name(authority["parent"])
    return f"Hội đồng Thi đua - Khen thưởng {locality}"


def _year_end(recognized: list | None, proposals: list | None
              ) -> tuple[list[Section], list[Section]]:
    """The recognised units and the commendation proposals, as the year-end documents
    list them."""
    recognized_items = [
        _listed_unit(f"recognized[{i - 1}]", i, r, met=_get(r, "met"), total=_get(r, "total"))
        for i, r in enumerate(recognized or [], start=1)
    ]
    proposal_items = [
        _listed_unit(f"proposals[{i - 1}]", i, p,
                     form=_text(_get(p, "form_label")) or _text(_get(p, "form")))
        for i, p in enumerate(proposals or [], start=1)
    ]
    return recognized_items, proposal_items
