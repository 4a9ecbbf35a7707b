"""The vocabulary of the rules: kinds of unit, subtypes, movement classes and ANTT results,
and how the words officials write in a spreadsheet map to their codes.

Matching is case-insensitive and, where that cannot mistake one word for another,
accent-insensitive: "phuong", "PHƯỜNG" and "Thi tran" are understood. Two kind words are
not: without its accent "Bản" (a village, ``khu_dan_cu``) reads as "Ban" (a board — an
agency), and "Quận" (``huyen``) as "Quân" or "Quan"; for those the accented word or the code
is required. A word written with wrong accents ("Bàn") is never read as another word.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from movement_cli.i18n import N_
from movement_cli.text import fold, normalize

if TYPE_CHECKING:
    from movement_cli.core.model import Classification

UNIT_KINDS: tuple[str, ...] = (
    "xa",
    "phuong",
    "thi_tran",
    "dac_khu",
    "khu_dan_cu",
    "co_quan",
    "doanh_nghiep",
    "co_so_giao_duc",
)
# Parents and selection scopes only: a province or centrally-run city, and a district-level
# unit (huyện, quận, thị xã, city under a province) before the district level was abolished.
SCOPE_KINDS: tuple[str, ...] = ("tinh", "huyen")
KINDS: tuple[str, ...] = UNIT_KINDS + SCOPE_KINDS
COMMUNE_LEVEL_KINDS: frozenset[str] = frozenset({"xa", "phuong", "thi_tran", "dac_khu"})
# On this day the district level was abolished and communes merged: thị trấn ceased to
# exist and đặc khu (special zones) began (Nghị quyết 1675/NQ-UBTVQH15 and the 2025 laws).
COMMUNE_REFORM_DAY = "2025-07-01"
# Kinds that exist only before, or only from, that day; ISO dates compare as text.
_KINDS_BEFORE_REFORM = frozenset({"thi_tran"})
_KINDS_FROM_REFORM = frozenset({"dac_khu"})
DATED_KINDS = _KINDS_BEFORE_REFORM | _KINDS_FROM_REFORM

KIND_LABELS: dict[str, str] = {
    "xa": "Xã",
    "phuong": "Phường",
    "thi_tran": "Thị trấn",
    "dac_khu": "Đặc khu",
    "khu_dan_cu": "Khu dân cư",
    "co_quan": "Cơ quan",
    "doanh_nghiep": "Doanh nghiệp",
    "co_so_giao_duc": "Cơ sở giáo dục",
    "tinh": "Cấp tỉnh",
    "huyen": "Cấp huyện",
}

# Units outside the ANTT standard (Thông tư 124/2021/TT-BCA), which a policy may exclude.
SUBTYPES: dict[str, str] = {
    "luc_luong_vu_trang": "Lực lượng vũ trang",
    "doanh_nghiep_nho": "Doanh nghiệp nhỏ",
    "doanh_nghiep_sieu_nho": "Doanh nghiệp siêu nhỏ",
    "tieu_hoc": "Tiểu học",
    "mam_non": "Mầm non",
    "nha_tre": "Nhà trẻ",
}

CLASSES: tuple[str, ...] = ("xuat_sac", "kha", "trung_binh", "yeu")
CLASS_LABELS: dict[str, str] = {
    "xuat_sac": "Xuất sắc",
    "kha": "Khá",
    "trung_binh": "Trung bình",
    "yeu": "Yếu",
}
SAFETY_MET = "dat"
SAFETY_RESULTS: tuple[str, ...] = ("dat", "chua_dat")
SAFETY_LABELS: dict[str, str] = {"dat": "Đạt", "chua_dat": "Chưa đạt"}

_KIND_WORDS: dict[str, str] = {
    **{label.casefold(): code for code, label in KIND_LABELS.items() if code in UNIT_KINDS},
    "trường": "co_so_giao_duc",
    "tỉnh": "tinh",
    "huyện": "huyen",
    "quận": "huyen",
    "thị xã": "huyen",
    "thôn": "khu_dan_cu",
    "làng": "khu_dan_cu",
    "bản": "khu_dan_cu",
    "ấp": "khu_dan_cu",
    "tổ dân phố": "khu_dan_cu",
    "khu phố": "khu_dan_cu",
}
# Accent-free spellings that are other Vietnamese words: accepted only with their accents.
_UNFOLDABLE: dict[str, str] = {
    "ban": N_("'Bản' (khu_dan_cu) needs its accent — 'Ban' is a board; write 'Bản' or "
              "khu_dan_cu"),
    "quan": N_("'Quận' (huyen) needs its accent; write 'Quận', 'Cơ quan' or the code"),
}
_AMBIGUOUS_KINDS: dict[str, tuple[str, ...]] = {"thành phố": ("tinh", "huyen")}
_SUBTYPE_WORDS: dict[str, str] = {
    **{label.casefold(): code for code, label in SUBTYPES.items()},
    "trường tiểu học": "tieu_hoc",
    "trường mầm non": "mam_non",
}
_SAFETY_WORDS: dict[str, str] = {
    **{label.casefold(): code for code, label in SAFETY_LABELS.items()},
    "không đạt": "chua_dat",
}


class UnknownValue(ValueError):
    """A word the tool does not know, or cannot tell apart; the message says what to write."""


class AmbiguousKind(UnknownValue):
    """A kind word that names more than one kind ("Thành phố"): ``choices`` are the codes."""

    def __init__(self, message: str, choices: tuple[str, ...]):
        super().__init__(message)
        self.choices = choices


def _key(text: str) -> str:
    return normalize(text).casefold().replace("_", " ").replace("-", " ")


class _Vocabulary:
    """Codes and words to codes: exact (case-insensitive) first, then accent-insensitive
    where the accent-free spelling names only one code and is not in ``unfoldable``."""

    def __init__(
        self,
        codes: Iterable[str],
        words: Mapping[str, str],
        unfoldable: Mapping[str, str] | None = None,
    ):
        self.exact = {code.replace("_", " "): code for code in codes}
        self.exact.update({_key(word): code for word, code in words.items()})
        folded: dict[str, set[str]] = {}
        for word, code in self.exact.items():
            folded.setdefault(fold(word), set()).add(code)
        self.unfoldable = dict(unfoldable or {})
        self.folded = {
            word: next(iter(codes))
            for word, codes in folded.items()
            if len(codes) == 1 and word not in self.unfoldable
        }

    def lookup(self, text: str) -> str | None:
        key = _key(text)
        code = self.exact.get(key)
        if code is None:
            code = self.folded.get(fold(key))
        return code


_KINDS = _Vocabulary(KINDS, _KIND_WORDS, _UNFOLDABLE)
_SUBTYPES = _Vocabulary(SUBTYPES, _SUBTYPE_WORDS)
_SAFETY = _Vocabulary(SAFETY_RESULTS, _SAFETY_WORDS)
_AMBIGUOUS = {fold(word): codes for word, codes in _AMBIGUOUS_KINDS.items()}


def parse_kind(text: str) -> str:
    """The kind code for a code or a Vietnamese kind word ("Phường", "Thôn", "Quận")."""
    code = _KINDS.lookup(text)
    if code is not None:
        return code
    key = fold(_key(text))
    if key in _AMBIGUOUS:
        raise AmbiguousKind(
            N_("'{text}' is ambiguous: write tinh for a province or centrally-run city, or "
               "huyen for a city under a province (district level, before 2025-07-01)", text=text),
            _AMBIGUOUS[key],
        )
    if key in _UNFOLDABLE:
        raise UnknownValue(N_("'{text}': {value}", text=text, value=_UNFOLDABLE[key]))
    raise UnknownValue(
        N_("unknown kind '{text}': write one of {value} or a Vietnamese word such as Xã, "
           "Phường, Thôn, Cơ quan, Trường", text=text, value=', '.join(KINDS))
    )


def kind_not_valid_on(kind: str, day: str) -> str | None:
    """Why a unit of ``kind`` cannot exist on ``day`` (ISO), or None when it can: thị trấn
    ended and đặc khu began on 2025-07-01."""
    if kind in _KINDS_BEFORE_REFORM and day >= COMMUNE_REFORM_DAY:
        return N_("kind {kind} ({label}) no longer exists on {day}: thị trấn ended when the "
                  "district level was abolished on {reform}; write xa or phuong, or date the "
                  "row earlier with active_from", kind=kind, label=KIND_LABELS[kind], day=day,
                  reform=COMMUNE_REFORM_DAY)
    if kind in _KINDS_FROM_REFORM and day < COMMUNE_REFORM_DAY:
        return N_("kind {kind} ({label}) does not exist yet on {day}: đặc khu began on "
                  "{reform}; give the row an active_from on or after it", kind=kind,
                  label=KIND_LABELS[kind], day=day, reform=COMMUNE_REFORM_DAY)
    return None


def parse_subtype(text: str) -> str:
    """The subtype code for a code or its Vietnamese label ("Mầm non")."""
    code = _SUBTYPES.lookup(text)
    if code is None:
        raise UnknownValue(N_("unknown subtype '{text}': write one of {value}", text=text,
                              value=', '.join(SUBTYPES)))
    return code


def parse_safety(text: str) -> str:
    """``dat`` or ``chua_dat`` from a code or "Đạt" / "Chưa đạt" / "Không đạt"."""
    code = _SAFETY.lookup(text)
    if code is None:
        raise UnknownValue(N_("unknown ANTT result '{text}': write dat (Đạt) or chua_dat (Chưa "
                              "đạt)", text=text))
    return code


_last_classes: list[tuple[Classification, _Vocabulary]] = []


def _classes_of(classification: Classification | None) -> _Vocabulary:
    """The words of a classification, built once for the last classification asked for
    (an import parses every row with the same one)."""
    if classification is None:
        return _DEFAULT_CLASSES
    if not _last_classes or _last_classes[0][0] is not classification:
        words = {label: code for code, label in classification.labels.items()}
        words.update(classification.aliases)
        _last_classes[:] = [(classification, _Vocabulary(classification.classes, words))]
    return _last_classes[0][1]


_DEFAULT_CLASSES = _Vocabulary(CLASSES, {label: code for code, label in CLASS_LABELS.items()})


def parse_class(text: str, classification: Classification | None = None) -> str:
    """The class code for a code, a label ("Khá") or an alias of the classification file
    ("Tốt"); without a classification, the four confirmed classes and their labels."""
    code = _classes_of(classification).lookup(text)
    if code is None:
        known = classification.classes if classification else CLASSES
        raise UnknownValue(
            N_("unknown class '{text}': write one of {value} (Xuất sắc, Khá, Trung bình, Yếu)",
               text=text, value=', '.join(known))
        )
    return code


def class_for_score(score: float, classification: Classification) -> str:
    """The class the score bands give a score (bands are checked to run from the highest)."""
    for band in classification.bands:
        if score >= band.min_score:
            return band.klass
    return classification.below_bands
