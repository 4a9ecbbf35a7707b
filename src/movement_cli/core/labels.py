"""The human names of codes — kinds, subtypes, quota groups, classes, ANTT results, reasons —
in the run's language, for tables and messages. JSON always carries the codes.

Vietnamese names come from the files where those give them (a quota group's ``label`` in the
selection policy, a class's ``label`` in the classification file), else from the vocabulary
of :mod:`movement_cli.core.kinds`; English names are ours. A code nobody named is shown as
it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from movement_cli.core.kinds import CLASS_LABELS, KIND_LABELS, SAFETY_LABELS, SUBTYPES
from movement_cli.i18n import N_, Message, current

KIND_NAMES = {
    "xa": "commune",
    "phuong": "ward",
    "thi_tran": "township",
    "dac_khu": "special zone",
    "khu_dan_cu": "residential area",
    "co_quan": "agency",
    "doanh_nghiep": "enterprise",
    "co_so_giao_duc": "educational institution",
    "tinh": "province level",
    "huyen": "district level",
}
SUBTYPE_NAMES = {
    "luc_luong_vu_trang": "armed forces",
    "doanh_nghiep_nho": "small enterprise",
    "doanh_nghiep_sieu_nho": "micro enterprise",
    "tieu_hoc": "primary school",
    "mam_non": "preschool",
    "nha_tre": "nursery",
}
CLASS_NAMES = {"xuat_sac": "Excellent", "kha": "Good", "trung_binh": "Average", "yeu": "Weak"}
SAFETY_NAMES = {"dat": "met", "chua_dat": "not met"}
# The bundled policy's groups; a locality's own groups are shown by their label.
GROUP_NAMES = {
    "xa": "communes",
    "phuong": "wards",
    "co_quan_dn_csgd": "agencies, enterprises, educational institutions",
    "thi_tran": "townships",
    "dac_khu": "special zones",
    "khu_dan_cu": "residential areas",
}
REASON_LABELS: dict[str, tuple[str, str]] = {
    "excluded_subtype": ("outside the ANTT standard (excluded subtype)",
                         "thuộc loại hình không áp dụng tiêu chuẩn ANTT"),
    "no_result": ("no result for the basis year", "chưa có kết quả năm căn cứ"),
    "safety_not_met": ("did not meet the ANTT standard", "chưa đạt tiêu chuẩn ANTT"),
    "class_below_minimum": ("movement class below the minimum",
                            "xếp loại phong trào dưới mức tối thiểu"),
    "no_group": ("no quota group selects this kind",
                 "loại đơn vị không thuộc nhóm chỉ tiêu nào"),
}


# A selection's status in a message or a table (the code, an English word, is what the log
# and JSON carry).
SELECTION_STATUS_NAMES = {"proposed": N_("proposed"), "confirmed": N_("confirmed")}


def _pick(code: str | None, english: Mapping[str, str], vietnamese: Mapping[str, str]) -> str:
    if code is None:
        return ""
    table = vietnamese if current() == "vi" else english
    return table.get(code) or vietnamese.get(code) or code


def kind_label(code: str | None) -> str:
    return _pick(code, KIND_NAMES, KIND_LABELS)


def subtype_label(code: str | None) -> str:
    return _pick(code, SUBTYPE_NAMES, SUBTYPES)


def class_label(code: str | None, labels: Mapping[str, str] | None = None) -> str:
    """``labels``: the classification file's own (code → Vietnamese label)."""
    return _pick(code, CLASS_NAMES, {**CLASS_LABELS, **(labels or {})})


def safety_label(code: str | None, labels: Mapping[str, str] | None = None) -> str:
    return _pick(code, SAFETY_NAMES, {**SAFETY_LABELS, **(labels or {})})


def group_label(name: str | None, label: str | None = None) -> str:
    """A quota group by its policy ``label`` (Vietnamese) or our English name."""
    return _pick(name, GROUP_NAMES, {name: label} if name and label else {})


def reason_label(code: str) -> str:
    english, vietnamese = REASON_LABELS.get(code, (code, code))
    return vietnamese if current() == "vi" else english


class Label(Message):
    """A code inside a message, shown by its name in the run's language when printed; as
    text (JSON, logs) it stays the code."""

    def __new__(cls, code: str, english: str, vietnamese: str) -> Label:
        self = super().__new__(cls, code.replace("{", "{{").replace("}", "}}"))
        self.names = (english, vietnamese)
        return self

    def translated(self) -> str:
        return self.names[1] if current() == "vi" else self.names[0]

    def __reduce__(self):
        return (Label, (str(self), *self.names))


def group_name(name: str, label: str | None = None) -> Label:
    """A quota group inside a message (see :class:`Label`): its ``name``, which the contract
    has warnings show, then its human name."""
    english = GROUP_NAMES.get(name) or label
    return Label(name, f"{name} ({english})" if english else name,
                 f"{name} ({label})" if label else name)
