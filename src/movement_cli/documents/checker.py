"""The Nghị định 30/2020/NĐ-CP (Phụ lục I) conformance check of a rendered .docx.

``check_docx(path)`` returns a list of problems, empty when the document conforms: A4
portrait; margins in range; Times New Roman in the four font slots of the defaults and the
Normal style and on every run and style used; body text 13–14 pt; the Normal style
justified with a first-line indent, ≥ 6 pt after and line spacing 1–1.5; the borderless
two-column header table first, with the national name and motto in bold, a well-formed
"Số:" line and an italic, well-formed date line; a centred PAGE field in the header and no
page number on the first page.

``rule_problems`` says which rule each problem breaks, for a warning a user can act on.
"""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

from movement_cli.i18n import N_

FONT = "Times New Roman"
FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "cstheme", "eastAsiaTheme")
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"

# "Số: 05/KH-UBND", "Số: 593/QĐ-UBND", "Số: 12/TTr-UBND" or the blank "Số:      /KH-UBND".
NUMBER_LINE = re.compile(
    r"^Số:(?: (?:0[1-9]|[1-9]\d+)|\s{3,})/(?:KH|QĐ|TTr|BC|HD|TB)-[A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*$"
)
DATE_LINE = re.compile(
    r"^(?P<place>[^,]+), ngày (?P<day>0[1-9]|[12]\d|3[01]) tháng "
    r"(?P<month>0[12]|[3-9]|1[0-2]) năm (?P<year>\d{4})$"
)
BLANK_DATE_LINE = re.compile(r"^[^,]+, ngày\s{3,}tháng\s{3,}năm \d{4}$")

PAGE = (210.0, 297.0)
MARGINS = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}
BODY_SIZES = (13.0, 14.0)
TOLERANCE_MM = 0.1


def check_docx(document: str | Path | bytes) -> list[str]:
    """Problems that keep the document from the Nghị định 30 layout; [] when it conforms."""
    return [message for _, message in rule_problems(document)]


def rule_problems(document: str | Path | bytes) -> list[tuple[str, str]]:
    """``(rule, problem)`` for every problem of a .docx (a path or its bytes), the rules
    named as ``RULES`` names them; [] when it conforms."""
    from docx import Document

    doc = Document(io.BytesIO(document) if isinstance(document, bytes) else str(document))
    return [(rule, message) for rule, check in RULES.items() for message in check(doc)]


def _w(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(f"w:{tag}")


# --- page --------------------------------------------------------------------------------


def _page(doc) -> list[str]:
    problems = []
    for number, section in enumerate(doc.sections, start=1):
        where = f"section {number}: " if len(doc.sections) > 1 else ""
        width, height = section.page_width.mm, section.page_height.mm
        if abs(width - PAGE[0]) > 1 or abs(height - PAGE[1]) > 1:
            problems.append(
                N_("{where}page is {width:.1f} × {height:.1f} mm, not A4 portrait (210 × 297 mm)",
                   where=where, width=width, height=height)
            )
        for side, (low, high) in MARGINS.items():
            value = getattr(section, f"{side}_margin")
            mm = value.mm if value is not None else 0.0
            if not low - TOLERANCE_MM <= mm <= high + TOLERANCE_MM:
                problems.append(N_("{where}{side} margin is {mm:.1f} mm, not {low}–{high} mm",
                                   where=where, side=side, mm=mm, low=low, high=high))
    return problems


# --- fonts -------------------------------------------------------------------------------


def _font_problems(rfonts, where: str) -> list[str]:
    if rfonts is None:
        return []
    problems = []
    for attr in THEME_ATTRS:
        if rfonts.get(_w(attr)) is not None:
            problems.append(N_("{where} uses a theme font ({attr}) instead of {FONT}", where=where,
                               attr=attr, FONT=FONT))
    for slot in FONT_SLOTS:
        value = rfonts.get(_w(slot))
        if value is not None and value != FONT:
            problems.append(N_("{where} uses the font {value!r} ({slot})", where=where,
                               value=value, slot=slot))
    return problems


def _styles_by_id(doc) -> dict:
    return {s.get(_w("styleId")): s for s in doc.styles.element.findall(_w("style"))}


def _style_chain(styles: dict, style_id: str | None):
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        based = style.find(_w("basedOn"))
        style_id = based.get(_w("val")) if based is not None else None


def _parts(doc):
    """The document part and every header and footer part."""
    yield "body", doc.element
    seen = set()
    for section in doc.sections:
        for kind in (
            "header",
            "first_page_header",
            "even_page_header",
            "footer",
            "first_page_footer",
            "even_page_footer",
        ):
            part = getattr(section, kind)
            if part.is_linked_to_previous:
                continue
            element = part._element
            if id(element) not in seen:
                seen.add(id(element))
                yield kind.replace("_", " "), element


def _fonts(doc) -> list[str]:
    problems = []
    defaults = doc.styles.element.find(_w("docDefaults"))
    default_fonts = None
    if defaults is not None:
        default_fonts = defaults.find(f"{_w('rPrDefault')}/{_w('rPr')}/{_w('rFonts')}")
    styles = _styles_by_id(doc)
    normal = next(
        (
            s
            for s in styles.values()
            if s.get(_w("type")) == "paragraph" and s.get(_w("default")) in ("1", "true")
        ),
        styles.get("Normal"),
    )
    normal_fonts = normal.find(f"{_w('rPr')}/{_w('rFonts')}") if normal is not None else None
    for slot, theme in zip(FONT_SLOTS, THEME_ATTRS, strict=True):
        value = None
        for level, fonts in (("Normal style", normal_fonts), ("default", default_fonts)):
            if fonts is None:
                continue
            if fonts.get(_w(theme)) is not None:
                value = f"theme font at the {level} level"
                break
            if fonts.get(_w(slot)) is not None:
                value = fonts.get(_w(slot))
                break
        if value != FONT:
            problems.append(N_("the Normal style's {slot} font is {value}, not {FONT}", slot=slot,
                               value=value or 'not set', FONT=FONT))

    used: set[str] = set()
    for where, element in _parts(doc):
        for run_fonts in element.iter(_w("rFonts")):
            problems += _font_problems(run_fonts, f"a run in the {where}")
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used.update(el.get(_w("val")) for el in element.iter(_w(tag)))
    for style_id in sorted(s for s in used if s):
        for style in _style_chain(styles, style_id):
            fonts = style.find(f"{_w('rPr')}/{_w('rFonts')}")
            problems += _font_problems(fonts, f"the style {style.get(_w('styleId'))!r}")
    return sorted(set(problems), key=problems.index)


# --- paragraphs --------------------------------------------------------------------------


def _normal_paragraph(doc) -> list[str]:
    problems = []
    fmt = doc.styles["Normal"].paragraph_format
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING

    if fmt.alignment != WD_ALIGN_PARAGRAPH.JUSTIFY:
        problems.append(N_("body text (Normal style) is not justified"))
    indent = fmt.first_line_indent.cm if fmt.first_line_indent is not None else 0.0
    if not 0.99 <= indent <= 1.28:
        problems.append(N_("first-line indent is {indent:.2f} cm, not 1–1.27 cm", indent=indent))
    after = fmt.space_after.pt if fmt.space_after is not None else 0.0
    if after < 6:
        problems.append(N_("space after paragraphs is {after:g} pt, less than 6 pt", after=after))
    spacing = fmt.line_spacing
    if fmt.line_spacing_rule in (WD_LINE_SPACING.SINGLE, None) and spacing is None:
        spacing = 1.0
    if isinstance(spacing, float) and not 1.0 <= spacing <= 1.5:
        problems.append(N_("line spacing is {spacing:g}, not between single and 1.5 lines",
                           spacing=spacing))
    elif spacing is not None and not isinstance(spacing, float):
        problems.append(N_("line spacing is a fixed height, not single to 1.5 lines"))
    return problems


def _size_of(run_element, paragraph_element, styles, default_size) -> float | None:
    size = run_element.find(f"{_w('rPr')}/{_w('sz')}")
    if size is not None:
        return int(size.get(_w("val"))) / 2
    style = run_element.find(f"{_w('rPr')}/{_w('rStyle')}")
    ids = [style.get(_w("val"))] if style is not None else []
    pstyle = paragraph_element.find(f"{_w('pPr')}/{_w('pStyle')}")
    ids.append(pstyle.get(_w("val")) if pstyle is not None else "Normal")
    for style_id in ids:
        for style in _style_chain(styles, style_id):
            size = style.find(f"{_w('rPr')}/{_w('sz')}")
            if size is not None:
                return int(size.get(_w("val"))) / 2
    return default_size


def _body_sizes(doc) -> list[str]:
    """Text in body paragraphs (outside tables) is 13–14 pt."""
    styles = _styles_by_id(doc)
    defaults = doc.styles.element.find(
        f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('sz')}"
    )
    default_size = int(defaults.get(_w("val"))) / 2 if defaults is not None else 10.0
    problems = []
    for paragraph in doc.element.body.iterchildren(_w("p")):
        for run in paragraph.iter(_w("r")):
            text = "".join(t.text or "" for t in run.iter(_w("t")))
            if not text.strip():
                continue
            size = _size_of(run, paragraph, styles, default_size)
            if size is None or not BODY_SIZES[0] <= size <= BODY_SIZES[1]:
                problems.append(N_("body text {value!r} is {size:g} pt, not 13–14 pt",
                                   value=text.strip()[:40], size=size))
                break
    return problems


# --- the header table --------------------------------------------------------------------


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(_w("t")))


def _flag(run, paragraph, styles, tag: str) -> bool:
    """Whether bold (tag "b") or italic ("i") applies to a run, directly or by style."""
    own = run.find(f"{_w('rPr')}/{_w(tag)}")
    if own is not None:
        return own.get(_w("val"), "true") not in ("0", "false", "off")
    pstyle = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
    for style in _style_chain(styles, pstyle.get(_w("val")) if pstyle is not None else "Normal"):
        flag = style.find(f"{_w('rPr')}/{_w(tag)}")
        if flag is not None:
            return flag.get(_w("val"), "true") not in ("0", "false", "off")
    return False


def _all_runs(paragraph, styles, tag: str) -> bool:
    runs = [
        r for r in paragraph.iter(_w("r")) if "".join(t.text or "" for t in r.iter(_w("t"))).strip()
    ]
    return bool(runs) and all(_flag(r, paragraph, styles, tag) for r in runs)


def _has_borders(tbl, styles) -> bool:
    holders = [tbl.find(f"{_w('tblPr')}/{_w('tblBorders')}")]
    style = tbl.find(f"{_w('tblPr')}/{_w('tblStyle')}")
    if style is not None:
        for s in _style_chain(styles, style.get(_w("val"))):
            holders.append(s.find(f"{_w('tblPr')}/{_w('tblBorders')}"))
    holders += list(tbl.iter(_w("tcBorders")))
    for holder in holders:
        if holder is None:
            continue
        for edge in holder:
            if edge.get(_w("val")) not in (None, "none", "nil"):
                return True
    return False


def _header_table(doc) -> list[str]:
    body = doc.element.body
    first = next(
        (child for child in body.iterchildren() if child.tag in (_w("p"), _w("tbl"))), None
    )
    if first is None or first.tag != _w("tbl"):
        return ["the document does not open with the two-column header table"]
    problems = []
    styles = _styles_by_id(doc)
    grid = first.findall(f"{_w('tblGrid')}/{_w('gridCol')}")
    rows = first.findall(_w("tr"))
    if len(grid) != 2 or any(len(row.findall(_w("tc"))) != 2 for row in rows):
        problems.append(N_("the header table does not have two columns"))
    if _has_borders(first, styles):
        problems.append(N_("the header table has borders"))

    paragraphs = list(first.iter(_w("p")))
    texts = [(p, _paragraph_text(p).strip()) for p in paragraphs]
    for wanted, label in ((NATIONAL_NAME, "national name"), (MOTTO, "motto")):
        found = [p for p, text in texts if text == wanted]
        if not found:
            problems.append(N_("the header lacks the {label} “{wanted}”", label=label,
                               wanted=wanted))
        elif not _all_runs(found[0], styles, "b"):
            problems.append(N_("the {label} “{wanted}” is not bold", label=label, wanted=wanted))

    numbers = [text for _, text in texts if text.startswith("Số")]
    if not numbers:
        problems.append(N_("the header lacks the “Số:” line"))
    elif not NUMBER_LINE.match(numbers[0]):
        problems.append(N_("the number line “{value}” is not like “Số: 05/KH-UBND”",
                           value=numbers[0]))

    dates = [(p, text) for p, text in texts if ", ngày" in text]
    if not dates:
        problems.append(N_("the header lacks the place-and-date line"))
    else:
        paragraph, text = dates[0]
        problems += _date_problems(text)
        if not _all_runs(paragraph, styles, "i"):
            problems.append(N_("the date line “{text}” is not italic", text=text))
    return problems


def _date_problems(text: str) -> list[str]:
    if BLANK_DATE_LINE.match(text):
        return []
    match = DATE_LINE.match(text)
    if not match:
        return [
            f"the date line “{text}” is not like “Huế, ngày 05 tháng 3 năm 2024” "
            "(days below 10 and months 1–2 with a leading zero)"
        ]
    try:
        date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return [f"the date line “{text}” names a day that does not exist"]
    return []


# --- page numbers ------------------------------------------------------------------------


def _has_page_field(element) -> bool:
    for instr in element.iter(_w("instrText")):
        if (instr.text or "").split()[:1] == ["PAGE"]:
            return True
    return any(
        (f.get(_w("instr")) or "").split()[:1] == ["PAGE"] for f in element.iter(_w("fldSimple"))
    )


def _page_numbers(doc) -> list[str]:
    problems = []
    section = doc.sections[0]
    if not section.different_first_page_header_footer:
        problems.append(N_("the first page is not set apart (titlePg): it would show a page "
                           "number"))
    header = section.header
    if header.is_linked_to_previous:
        problems.append(N_("there is no page header with the page number"))
    else:
        holders = [p for p in header._element.iter(_w("p")) if _has_page_field(p)]
        if not holders:
            problems.append(N_("the page header has no PAGE field"))
        else:
            jc = holders[0].find(f"{_w('pPr')}/{_w('jc')}")
            if jc is None or jc.get(_w("val")) != "center":
                problems.append(N_("the page number is not centred"))
    first = section.first_page_header
    if not first.is_linked_to_previous:
        element = first._element
        if _paragraph_text(element).strip() or _has_page_field(element):
            problems.append(N_("the first-page header is not empty: page 1 shows a page number"))
    return problems


# The rules of Nghị định 30/2020/NĐ-CP, Phụ lục I, that the checker holds a document to,
# named as warnings name them.
RULES = {
    "A4 page and margins": _page,
    "Times New Roman font": _fonts,
    "body paragraphs": _normal_paragraph,
    "13–14 pt body text": _body_sizes,
    "header: national name, motto, number and date": _header_table,
    "page numbers": _page_numbers,
}
