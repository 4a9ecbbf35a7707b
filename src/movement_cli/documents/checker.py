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
from functools import cache
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
# The sides as messages name them.
SIDES = {"top": N_("top"), "bottom": N_("bottom"), "left": N_("left"), "right": N_("right")}
BODY_SIZES = (13.0, 14.0)
TOLERANCE_MM = 0.1


def check_docx(document: str | Path | bytes) -> list[str]:
    """Problems that keep the document from the Nghị định 30 layout; [] when it conforms."""
    return [message for _, message in rule_problems(document)]


def rule_problems(document: str | Path | bytes) -> list[tuple[str, str]]:
    """``(rule, problem)`` for every problem of a .docx (a path or its bytes), the rules
    named as ``RULES`` names them; [] when it conforms."""
    doc = _Docx(document)
    return [(rule, message) for rule, check in RULES.items() for message in check(doc)]


# The checker runs on every document ``render-plan`` writes (a hundred unit plans in a run),
# so it reads the few parts it needs straight from the zip with lxml's plain parser, each
# once, instead of building a python-docx Document (about ten times slower). The styles
# part is the template's, the same for every document a template renders: it is parsed once
# per distinct part (known by its CRC and size in the zip's directory).

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                   "officeDocument")
_W = f"{{{W}}}"
_R_ID = f"{{{R}}}id"
_FALSE = ("0", "false", "off")


@cache
def _w(tag: str) -> str:
    """A WordprocessingML name in Clark notation: "w:tag" as lxml spells it."""
    return _W + tag


@cache
def _path(*tags: str) -> str:
    """A find() path of WordprocessingML names: ``_path("rPr", "sz")`` is w:rPr/w:sz."""
    return "/".join(_w(tag) for tag in tags)


def _parse(data: bytes):
    from lxml import etree

    return etree.fromstring(data, etree.XMLParser(resolve_entities=False, huge_tree=True))


_STYLES: dict[tuple, tuple] = {}  # a few distinct styles parts in a run: one per template


def _styles_part(key: tuple, read):
    """The styles root and its styles by id, parsed once per distinct part (``key``;
    ``read()`` gives its bytes)."""
    if key not in _STYLES:
        data = read()
        root = _parse(data) if data else _parse(f'<w:styles xmlns:w="{W}"/>'.encode())
        if len(_STYLES) >= 8:
            _STYLES.clear()
        _STYLES[key] = root, {s.get(_w("styleId")): s for s in root.iterfind(_w("style"))}
    return _STYLES[key]


def _twips_mm(value: str | None) -> float | None:
    """A twips measure ("1701", or with a unit: "3cm", "30mm", "1in", "85pt") in mm."""
    if value is None:
        return None
    match = _MEASURE.match(value.strip())
    if not match:
        return None
    number, unit = float(match[1]), match[2]
    return number * (_MM_PER_UNIT[unit] if unit else 25.4 / 1440)


_MEASURE = re.compile(r"^(-?\d+(?:\.\d+)?)(mm|cm|in|pt|pc|pi)?$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6,
                "pi": 25.4 / 6}


class _Section:
    """A section's properties (w:sectPr) and its header and footer parts."""

    def __init__(self, sect_pr, parts: dict):
        self.element = sect_pr
        self._parts = parts

    def size_mm(self, attr: str) -> float | None:
        size = self.element.find(_w("pgSz")) if self.element is not None else None
        return _twips_mm(size.get(_w(attr))) if size is not None else None

    def margin_mm(self, side: str) -> float | None:
        margins = self.element.find(_w("pgMar")) if self.element is not None else None
        return _twips_mm(margins.get(_w(side))) if margins is not None else None

    @property
    def title_page(self) -> bool:
        """Whether the first page has its own header and footer (w:titlePg)."""
        flag = self.element.find(_w("titlePg")) if self.element is not None else None
        return flag is not None and flag.get(_w("val"), "true") not in _FALSE

    def part(self, kind: str, type_: str):
        """``(name, root)`` of the "header" or "footer" part of ``type_`` ("default",
        "first", "even"), or None when the section links to the previous one's."""
        if self.element is None:
            return None
        for reference in self.element.iterfind(_w(f"{kind}Reference")):
            if reference.get(_w("type")) == type_:
                return self._parts.get(reference.get(_R_ID))
        return None


class _Docx:
    """The parts of a .docx the rules read: the document, its styles, its sections with
    their header and footer parts."""

    def __init__(self, document: str | Path | bytes):
        import posixpath
        import zipfile

        source = io.BytesIO(document) if isinstance(document, bytes) else str(document)
        with zipfile.ZipFile(source) as package:
            names = set(package.namelist())
            main = "word/document.xml"
            if "_rels/.rels" in names:
                for rel in _parse(package.read("_rels/.rels")):
                    if rel.get("Type") == OFFICE_DOCUMENT:
                        main = rel.get("Target").lstrip("/")
            folder, base = posixpath.split(main)
            self.element = _parse(package.read(main))
            rels_name = posixpath.join(folder, "_rels", base + ".rels")
            targets = {}
            styles_name = None
            if rels_name in names:
                for rel in _parse(package.read(rels_name)):
                    if rel.get("TargetMode") == "External":
                        continue
                    target = rel.get("Target")
                    target = (target.lstrip("/") if target.startswith("/")
                              else posixpath.normpath(posixpath.join(folder, target)))
                    kind = rel.get("Type").rsplit("/", 1)[-1]
                    if kind in ("header", "footer"):
                        targets[rel.get("Id")] = target
                    elif kind == "styles":
                        styles_name = target
            parts = {rid: (name, _parse(package.read(name)))
                     for rid, name in targets.items() if name in names}
            if styles_name in names:
                info = package.getinfo(styles_name)
                key = (info.CRC, info.file_size)
                self.styles, self.styles_by_id = _styles_part(
                    key, lambda: package.read(styles_name))
            else:
                self.styles, self.styles_by_id = _styles_part((0, 0), lambda: b"")
        self.body = self.element.find(_w("body"))
        if self.body is None:
            self.body = self.element.makeelement(_w("body"))
        sect_prs = [p.find(_path("pPr", "sectPr")) for p in self.body.iterfind(_w("p"))]
        sect_prs = [s for s in sect_prs if s is not None]
        final = self.body.find(_w("sectPr"))
        if final is not None:
            sect_prs.append(final)
        self.sections = [_Section(s, parts) for s in sect_prs] or [_Section(None, parts)]

    def style_named(self, name: str):
        """The style whose name (w:name) is ``name``."""
        for style in self.styles.iterfind(_w("style")):
            label = style.find(_w("name"))
            if label is not None and label.get(_w("val")) == name:
                return style
        return None


# --- page --------------------------------------------------------------------------------


def _page(doc: _Docx) -> list[str]:
    problems = []
    for number, section in enumerate(doc.sections, start=1):
        where = N_("section {number}: ", number=number) if len(doc.sections) > 1 else ""
        width, height = section.size_mm("w") or 0.0, section.size_mm("h") or 0.0
        if abs(width - PAGE[0]) > 1 or abs(height - PAGE[1]) > 1:
            problems.append(
                N_("{where}page is {width:.1f} × {height:.1f} mm, not A4 portrait (210 × 297 mm)",
                   where=where, width=width, height=height)
            )
        for side, (low, high) in MARGINS.items():
            value = section.margin_mm(side)
            mm = value if value is not None else 0.0
            if not low - TOLERANCE_MM <= mm <= high + TOLERANCE_MM:
                problems.append(N_("{where}{side} margin is {mm:.1f} mm, not {low}–{high} mm",
                                   where=where, side=SIDES[side], mm=mm, low=low, high=high))
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


def _style_chain(styles: dict, style_id: str | None):
    seen = set()
    while style_id and style_id in styles and style_id not in seen:
        seen.add(style_id)
        style = styles[style_id]
        yield style
        based = style.find(_w("basedOn"))
        style_id = based.get(_w("val")) if based is not None else None


# The parts of a document as messages name them: (kind, type) -> name.
PART_NAMES = {
    ("header", "default"): N_("header"), ("header", "first"): N_("first page header"),
    ("header", "even"): N_("even page header"), ("footer", "default"): N_("footer"),
    ("footer", "first"): N_("first page footer"), ("footer", "even"): N_("even page footer"),
}


def _parts(doc: _Docx):
    """The document part and every header and footer part."""
    yield N_("body"), doc.element
    seen = set()
    for section in doc.sections:
        for kind in ("header", "footer"):
            for type_ in ("default", "first", "even"):
                label = PART_NAMES[kind, type_]
                part = section.part(kind, type_)
                if part is not None and part[0] not in seen:
                    seen.add(part[0])
                    yield label, part[1]


def _fonts(doc) -> list[str]:
    problems = []
    default_fonts = doc.styles.find(_path("docDefaults", "rPrDefault", "rPr", "rFonts"))
    styles = doc.styles_by_id
    normal = next(
        (
            s
            for s in styles.values()
            if s.get(_w("type")) == "paragraph" and s.get(_w("default")) in ("1", "true")
        ),
        styles.get("Normal"),
    )
    normal_fonts = normal.find(_path("rPr", "rFonts")) if normal is not None else None
    for slot, theme in zip(FONT_SLOTS, THEME_ATTRS, strict=True):
        value = None
        for level, fonts in ((N_("the Normal style"), normal_fonts),
                             (N_("the document defaults"), default_fonts)):
            if fonts is None:
                continue
            if fonts.get(_w(theme)) is not None:
                value = N_("a theme font in {level}", level=level)
                break
            if fonts.get(_w(slot)) is not None:
                value = fonts.get(_w(slot))
                break
        if value != FONT:
            problems.append(N_("the Normal style's {slot} font is {value}, not {FONT}", slot=slot,
                               value=value or N_("not set"), FONT=FONT))

    used: set[str] = set()
    for where, element in _parts(doc):
        for run_fonts in element.iter(_w("rFonts")):
            problems += _font_problems(run_fonts, N_("a run in the {part}", part=where))
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used.update(el.get(_w("val")) for el in element.iter(_w(tag)))
    for style_id in sorted(s for s in used if s):
        for style in _style_chain(styles, style_id):
            fonts = style.find(_path("rPr", "rFonts"))
            problems += _font_problems(fonts, N_("the style '{name}'",
                                                 name=style.get(_w("styleId"))))
    return sorted(set(problems), key=problems.index)


# --- paragraphs --------------------------------------------------------------------------


def _normal_paragraph(doc: _Docx) -> list[str]:
    """The Normal style's own paragraph properties (not inherited ones, as Word shows them
    in the style's dialog)."""
    problems = []
    normal = doc.style_named("Normal")
    ppr = normal.find(_w("pPr")) if normal is not None else None
    ppr = ppr if ppr is not None else doc.styles.makeelement(_w("pPr"))

    jc = ppr.find(_w("jc"))
    if jc is None or jc.get(_w("val")) != "both":
        problems.append(N_("body text (Normal style) is not justified"))
    ind = ppr.find(_w("ind"))
    indent_mm = None
    if ind is not None:
        hanging = _twips_mm(ind.get(_w("hanging")))
        indent_mm = -hanging if hanging is not None else _twips_mm(ind.get(_w("firstLine")))
    indent = indent_mm / 10 if indent_mm is not None else 0.0
    if not 0.99 <= indent <= 1.28:
        problems.append(N_("first-line indent is {indent:.2f} cm, not 1–1.27 cm", indent=indent))
    spacing = ppr.find(_w("spacing"))
    spacing = spacing if spacing is not None else ppr.makeelement(_w("spacing"))
    after_mm = _twips_mm(spacing.get(_w("after")))
    after = after_mm * 72 / 25.4 if after_mm is not None else 0.0
    if after < 6:
        problems.append(N_("space after paragraphs is {after:g} pt, less than 6 pt", after=after))
    line, rule = _twips_mm(spacing.get(_w("line"))), spacing.get(_w("lineRule"))
    # No line height is single spacing; "auto" (or no rule) counts in 240ths of a line,
    # "exact" and "atLeast" are a fixed height.
    if line is not None and rule in (None, "auto"):
        lines = line / (25.4 / 6)  # 240 twips, a sixth of an inch, is one line
        if not 1.0 <= lines <= 1.5:
            problems.append(N_("line spacing is {spacing:g}, not between single and 1.5 lines",
                               spacing=lines))
    elif line is not None:
        problems.append(N_("line spacing is a fixed height, not single to 1.5 lines"))
    return problems


def _size_of(run_element, paragraph_element, styles, default_size) -> float | None:
    size = run_element.find(_path("rPr", "sz"))
    if size is not None:
        return int(size.get(_w("val"))) / 2
    style = run_element.find(_path("rPr", "rStyle"))
    ids = [style.get(_w("val"))] if style is not None else []
    pstyle = paragraph_element.find(_path("pPr", "pStyle"))
    ids.append(pstyle.get(_w("val")) if pstyle is not None else "Normal")
    for style_id in ids:
        for style in _style_chain(styles, style_id):
            size = style.find(_path("rPr", "sz"))
            if size is not None:
                return int(size.get(_w("val"))) / 2
    return default_size


def _body_sizes(doc) -> list[str]:
    """Text in body paragraphs (outside tables) is 13–14 pt."""
    styles = doc.styles_by_id
    defaults = doc.styles.find(_path("docDefaults", "rPrDefault", "rPr", "sz"))
    default_size = int(defaults.get(_w("val"))) / 2 if defaults is not None else 10.0
    problems = []
    for paragraph in doc.body.iterchildren(_w("p")):
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
    own = run.find(_path("rPr", tag))
    if own is not None:
        return own.get(_w("val"), "true") not in _FALSE
    pstyle = paragraph.find(_path("pPr", "pStyle"))
    for style in _style_chain(styles, pstyle.get(_w("val")) if pstyle is not None else "Normal"):
        flag = style.find(_path("rPr", tag))
        if flag is not None:
            return flag.get(_w("val"), "true") not in _FALSE
    return False


def _all_runs(paragraph, styles, tag: str) -> bool:
    runs = [
        r for r in paragraph.iter(_w("r")) if "".join(t.text or "" for t in r.iter(_w("t"))).strip()
    ]
    return bool(runs) and all(_flag(r, paragraph, styles, tag) for r in runs)


def _has_borders(tbl, styles) -> bool:
    holders = [tbl.find(_path("tblPr", "tblBorders"))]
    style = tbl.find(_path("tblPr", "tblStyle"))
    if style is not None:
        for s in _style_chain(styles, style.get(_w("val"))):
            holders.append(s.find(_path("tblPr", "tblBorders")))
    holders += list(tbl.iter(_w("tcBorders")))
    for holder in holders:
        if holder is None:
            continue
        for edge in holder:
            if edge.get(_w("val")) not in (None, "none", "nil"):
                return True
    return False


def _header_table(doc) -> list[str]:
    body = doc.body
    first = next(
        (child for child in body.iterchildren() if child.tag in (_w("p"), _w("tbl"))), None
    )
    if first is None or first.tag != _w("tbl"):
        return [N_("the document does not open with the two-column header table")]
    problems = []
    styles = doc.styles_by_id
    grid = first.findall(_path("tblGrid", "gridCol"))
    rows = first.findall(_w("tr"))
    if len(grid) != 2 or any(len(row.findall(_w("tc"))) != 2 for row in rows):
        problems.append(N_("the header table does not have two columns"))
    if _has_borders(first, styles):
        problems.append(N_("the header table has borders"))

    paragraphs = list(first.iter(_w("p")))
    texts = [(p, _paragraph_text(p).strip()) for p in paragraphs]
    for wanted, label in ((NATIONAL_NAME, N_("national name")), (MOTTO, N_("motto"))):
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
        return [N_("the date line “{text}” is not like “Huế, ngày 05 tháng 3 năm 2024” "
                   "(days below 10 and months 1–2 with a leading zero)", text=text)]
    try:
        date(int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return [N_("the date line “{text}” names a day that does not exist", text=text)]
    return []


# --- page numbers ------------------------------------------------------------------------


def _has_page_field(element) -> bool:
    for instr in element.iter(_w("instrText")):
        if (instr.text or "").split()[:1] == ["PAGE"]:
            return True
    return any(
        (f.get(_w("instr")) or "").split()[:1] == ["PAGE"] for f in element.iter(_w("fldSimple"))
    )


def _page_numbers(doc: _Docx) -> list[str]:
    problems = []
    section = doc.sections[0]
    if not section.title_page:
        problems.append(N_("the first page is not set apart (titlePg): it would show a page "
                           "number"))
    header = section.part("header", "default")
    if header is None:
        problems.append(N_("there is no page header with the page number"))
    else:
        holders = [p for p in header[1].iter(_w("p")) if _has_page_field(p)]
        if not holders:
            problems.append(N_("the page header has no PAGE field"))
        else:
            jc = holders[0].find(_path("pPr", "jc"))
            if jc is None or jc.get(_w("val")) != "center":
                problems.append(N_("the page number is not centred"))
    first = section.part("header", "first")
    if first is not None:
        element = first[1]
        if _paragraph_text(element).strip() or _has_page_field(element):
            problems.append(N_("the first-page header is not empty: page 1 shows a page number"))
    return problems


# The rules of Nghị định 30/2020/NĐ-CP, Phụ lục I, that the checker holds a document to,
# named as warnings name them.
RULES = {
    N_("A4 page and margins"): _page,
    N_("Times New Roman font"): _fonts,
    N_("body paragraphs"): _normal_paragraph,
    N_("13–14 pt body text"): _body_sizes,
    N_("header: national name, motto, number and date"): _header_table,
    N_("page numbers"): _page_numbers,
}
