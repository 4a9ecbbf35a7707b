"""Pure helpers for the lines of an administrative document (Nghị định 30/2020/NĐ-CP,
Phụ lục I) and for safe output file names. No I/O, no third-party imports."""

from __future__ import annotations

import re
from datetime import date

from movement_cli.errors import MovementError
from movement_cli.i18n import N_
from movement_cli.text import strip_marks

# The blank left on a draft where the number or the date is written by hand. Non-breaking
# spaces, so that neither Word nor a Markdown viewer collapses the gap or breaks the line
# inside it ("Số:      /KH-UBND", "Huế, ngày      tháng      năm 2024").
BLANK = "\u00a0" * 6

# Symbols of the document types (ký hiệu loại văn bản) this tool issues or cites.
DOC_SYMBOLS = {
    "KH": "Kế hoạch",
    "QĐ": "Quyết định",
    "TTr": "Tờ trình",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "TB": "Thông báo",
}

STORAGE_LINE = "Lưu: VT"


def day_month(day: date) -> tuple[str, str]:
    """Day and month as Nghị định 30 writes them: days below 10 and the months 1 and 2 take
    a leading zero, the other months do not."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{day.day:02d}", month


def date_phrase(day: date | None, year: int) -> str:
    """ "ngày 17 tháng 01 năm 2024"; without a day, the blank draft form for ``year``."""
    if day is None:
        return f"ngày{BLANK}tháng{BLANK}năm {year}"
    dd, mm = day_month(day)
    return f"ngày {dd} tháng {mm} năm {day.year}"


def date_line(place: str, day: date | None, year: int) -> str:
    """The place-and-date line: "Huế, ngày 17 tháng 01 năm 2024".

    With ``day=None`` it is the blank draft form "Huế, ngày      tháng      năm 2024". When a
    day is given its own year is printed (a plan for 2024 may be signed in December 2023).
    """
    return f"{place.strip()}, {date_phrase(day, year)}"


def short_date(day: date) -> str:
    """ "17/01/2024", as dates are cited inside a sentence."""
    dd, mm = day_month(day)
    return f"{dd}/{mm}/{day.year}"


def number_ref(number: int | None, doc_symbol: str, authority_symbol: str) -> str:
    """ "05/KH-UBND"; without a number the blank draft form "      /KH-UBND"."""
    if doc_symbol not in DOC_SYMBOLS:
        raise MovementError(
            N_("unknown document symbol {doc_symbol!r}: use one of {value}", doc_symbol=doc_symbol,
               value=', '.join(DOC_SYMBOLS))
        )
    symbol = authority_symbol.strip()
    if not symbol:
        raise MovementError(
            N_("the authority symbol is empty: set it with: movement config set "
               "authority.symbol UBND")
        )
    if number is None:
        return f"{BLANK}/{doc_symbol}-{symbol}"
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise MovementError(N_("a document number is a whole number from 1, not {number!r}",
                               number=number))
    return f"{number:02d}/{doc_symbol}-{symbol}"


_DOCUMENT_NUMBER = re.compile(
    r"(?:số\s*:?\s*)?0*(\d{1,7})\s*/\s*([A-ZĐ0-9]+(?:\s*-\s*[A-ZĐ0-9]+)*)", re.IGNORECASE)


def document_number(text: str) -> str:
    """A document's number and symbol as documents print it: "5/kh-ubnd" → "05/KH-UBND"
    (numbers below 10 take a leading zero), so a plan cites another exactly as that one
    prints itself. Anything else is a ValueError."""
    match = _DOCUMENT_NUMBER.fullmatch(text.strip())
    if not match or int(match.group(1)) < 1:
        raise ValueError(N_("'{text}' is not a document number; write it as number/symbol, "
                            "e.g. 593/KH-UBND", text=text))
    symbol = re.sub(r"\s*-\s*", "-", match.group(2)).upper()
    return f"{int(match.group(1)):02d}/{symbol}"


def number_line(number: int | None, doc_symbol: str, authority_symbol: str) -> str:
    """ "Số: 05/KH-UBND" (numbers below 10 take a leading zero); ``None`` gives the blank
    draft form "Số:      /KH-UBND"."""
    ref = number_ref(number, doc_symbol, authority_symbol)
    return f"Số:{ref}" if number is None else f"Số: {ref}"


def signer_lines(authority: list[str] | str | None) -> list[str]:
    """The lines above the signer's title, upper case: "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"
    gives ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]. A list is taken line by line (each item
    may itself contain "/")."""
    if authority is None:
        return []
    items = [authority] if isinstance(authority, str) else list(authority)
    lines: list[str] = []
    for item in items:
        lines.extend(part.strip().upper() for part in str(item).split("/") if part.strip())
    return lines


_TRAILING = re.compile(r"[\s;,.:]+$")
_LEADING = re.compile(r"^[\s\-–—•+*]+")


def _is_storage(entry: str) -> bool:
    return entry.casefold().startswith("lưu")


def recipients_block(recipients: list[str] | str | None) -> list[str]:
    """The "Nơi nhận" entries: "- X;" each, and "- Lưu: VT." always last and only once.

    Punctuation and dashes the user typed around an entry are dropped; empty and repeated
    entries are skipped. A storage line the user wrote ("Lưu: VT, CAT") replaces the default
    one and moves to the end.
    """
    if recipients is None:
        items: list[str] = []
    elif isinstance(recipients, str):
        items = re.split(r"[\n;]", recipients)
    else:
        items = [str(item) for item in recipients]
    entries: list[str] = []
    storage = STORAGE_LINE
    found_storage = False
    for item in items:
        entry = _TRAILING.sub("", _LEADING.sub("", " ".join(item.split())))
        if not entry:
            continue
        if _is_storage(entry):
            if not found_storage:
                storage = entry
                found_storage = True
            continue
        if entry not in entries:
            entries.append(entry)
    return [f"- {entry};" for entry in entries] + [f"- {storage}."]


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", "nghìn", "triệu", "tỷ"]


def _three_digits(n: int, full: bool) -> list[str]:
    hundreds, tens, units = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if words:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units:
            words.append({1: "mốt", 4: "tư", 5: "lăm"}.get(units, _DIGITS[units]))
    return words


def number_words(n: int) -> str:
    """A whole number in Vietnamese words: 2 → "hai", 21 → "hai mươi mốt",
    105 → "một trăm linh năm", 1000 → "một nghìn"."""
    if n < 0:
        return "âm " + number_words(-n)
    if n == 0:
        return _DIGITS[0]
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(_SCALES):
        raise ValueError(N_("number too large to write in words"))
    words: list[str] = []
    for position in range(len(groups) - 1, -1, -1):
        group = groups[position]
        if not group:
            continue
        words += _three_digits(group, full=bool(words))
        if _SCALES[position]:
            words.append(_SCALES[position])
    return " ".join(words)


def count_text(n: int) -> str:
    """A count as official documents write it: "02 (hai)"."""
    return f"{n:02d} ({number_words(n)})"


SLUG_MAX = 60


def slug(text: str, max_length: int = SLUG_MAX) -> str:
    """An ASCII slug for a file name: "Phường Phước Vĩnh" → "phuong-phuoc-vinh".

    Only ``a-z``, ``0-9`` and single inner hyphens: never empty, never "/" or "..".
    """
    folded = strip_marks(text or "").lower()
    result = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    if len(result) > max_length:
        cut = result[:max_length]
        if result[max_length] != "-" and "-" in cut:
            cut = cut.rsplit("-", 1)[0]
        result = cut.strip("-")
    return result or "x"


def _safe_code(code: str) -> str:
    folded = strip_marks(str(code))
    result = re.sub(r"[^A-Za-z0-9_]+", "-", folded).strip("-_")[:40].strip("-_")
    return result or "x"


def code_digest(code: str) -> str:
    """Eight hex digits that tell apart codes whose file-name forms are alike."""
    import hashlib

    return hashlib.sha256(str(code).encode("utf-8", "surrogatepass")).hexdigest()[:8]


def file_code(code: str, *, distinguish: bool = False) -> str:
    """The code as it appears in a file name. A code whose separators or odd characters the
    name cannot carry ("DN/01", "..", a code longer than 40 characters) gets a digest of
    the real code after it, so it never shares a file with a code that sanitises alike
    ("DN-01"); letters only lose their marks ("Đ-01" → "D-01"). ``distinguish`` adds the
    digest to any code: the caller asks for it where names still clash (by case, by marks,
    or where code and slug meet)."""
    safe = _safe_code(code)
    if distinguish or safe != strip_marks(str(code)):
        return f"{safe}-{code_digest(code)}"
    return safe


def output_name(
    year: int,
    doc: str,
    code: str | None = None,
    name: str | None = None,
    ext: str = "docx",
    *,
    distinguish: bool = False,
) -> str:
    """``{year}-{doc}[-{code}-{slug}].{ext}``: "2024-unit-plan-19798-phuong-phuoc-vinh.docx".

    Every part is sanitised, so the result is a plain file name: no separator, no "..",
    nothing that can put the file outside the output folder (see ``file_code`` for how two
    codes never share a name).
    """
    parts = [str(int(year)), slug(doc)]
    if code is not None and str(code).strip():
        parts.append(file_code(code, distinguish=distinguish))
        if name:
            parts.append(slug(name))
    elif name:
        parts.append(slug(name))
    extension = re.sub(r"[^a-z0-9]+", "", ext.lower()) or "txt"
    return f"{'-'.join(parts)}.{extension}"
