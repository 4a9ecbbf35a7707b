"""Build the bundled Word templates (``templates/*.docx``) with python-docx.

    python templates/build_docx_templates.py [--out DIR]

The templates are docxtpl templates: Jinja tags inside ordinary Word text, so officials can
open one in Word, change the wording and keep the tags. Their content mirrors the Markdown
templates (``*.md.j2``) and takes the same context (``movement_cli.documents.context``).

The layout is that of Nghị định 30/2020/NĐ-CP, Phụ lục I: A4 portrait; margins 20/20/30/15
mm; Times New Roman in every font slot; body 14 pt, justified, first-line indent 1.27 cm,
6 pt after; a borderless two-column header table (issuing authority and number on the left,
national name, motto and date on the right); the page number centred in the top margin and
not on the first page; the signature block on the right and "Nơi nhận" on the left.

The header table and the signature table are written by one function each and shared by
every template. Output is byte-for-byte reproducible (fixed zip timestamps and properties).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
FONT_SLOTS = ("ascii", "hAnsi", "cs", "eastAsia")
BODY_SIZE = 14
TEXT_WIDTH_MM = 210 - 30 - 15
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
MOVEMENT = "phong trào “Toàn dân bảo vệ an ninh Tổ quốc”"
# The motto set in Times New Roman Bold 14 pt is about 60 mm wide; its rule matches it.
MOTTO_RULE_MM = 60
SHORT_RULE_MM = 25
HEADER_WIDTHS_MM = (62, 103)
SIGNATURE_WIDTHS_MM = (75, 90)
CELL_MARGIN_MM = 1

CENTER = WD_ALIGN_PARAGRAPH.CENTER
JUSTIFY = WD_ALIGN_PARAGRAPH.JUSTIFY
LEFT = WD_ALIGN_PARAGRAPH.LEFT


# --- low-level helpers -------------------------------------------------------------------


def _set_fonts(rpr) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del fonts.attrib[attr]
    for slot in FONT_SLOTS:
        fonts.set(qn(f"w:{slot}"), FONT)


def run(paragraph, text: str, *, bold=False, italic=False, size=BODY_SIZE):
    r = paragraph.add_run(text)
    _set_fonts(r._r.get_or_add_rPr())
    r.font.bold = bold or None
    r.font.italic = italic or None
    r.font.size = Pt(size)
    return r


def paragraph(
    container,
    content="",
    *,
    align=JUSTIFY,
    indent=True,
    bold=False,
    italic=False,
    size=BODY_SIZE,
    before=0,
    after=6,
    single=False,
    keep_next=False,
    page_break_before=False,
):
    """A paragraph of runs; ``content`` is a text or a list of (text, {bold, italic}) runs."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(1.27) if indent else Cm(0)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if single:
        fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    if keep_next:
        fmt.keep_with_next = True
    if page_break_before:
        fmt.page_break_before = True
    runs = [(content, {})] if isinstance(content, str) else content
    for text, style in runs:
        if text:
            run(
                p,
                text,
                bold=style.get("bold", bold),
                italic=style.get("italic", italic),
                size=style.get("size", size),
            )
    return p


def body(container, text, **kw):
    """A body paragraph: 14 pt, justified, first-line indent, 6 pt after."""
    return paragraph(container, text, **kw)


def heading(container, text, **kw):
    return paragraph(container, text, bold=True, keep_next=True, **kw)


def control(container, tag: str):
    """A paragraph holding only a docxtpl block tag ({%p … %}); docxtpl removes it."""
    return paragraph(container, tag, indent=False, after=0)


def centered(container, text, **kw):
    kw.setdefault("after", 0)
    return paragraph(container, text, align=CENTER, indent=False, **kw)


_PPR_AFTER_PBDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def rule(container, length_mm: float, available_mm: float, *, after=0):
    """A short centred horizontal rule: an empty paragraph, indented on both sides to the
    rule's length, with a bottom border. Word shows it as a line officials can adjust."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    side = max((available_mm - length_mm) / 2, 0)
    fmt.left_indent = Mm(side)
    fmt.right_indent = Mm(side)
    fmt.first_line_indent = Cm(0)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(3)
    fmt.alignment = CENTER
    ppr = p._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    border.append(bottom)
    successor = next(
        (ppr.find(qn(tag)) for tag in _PPR_AFTER_PBDR if ppr.find(qn(tag)) is not None), None
    )
    if successor is not None:
        successor.addprevious(border)
    else:
        ppr.append(border)
    mark = OxmlElement("w:rPr")
    _set_fonts(mark)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "4")
    mark.append(size)
    ppr.append(mark)
    return p


def _table_borders(table, value: str) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), value)
        if value != "none":
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        borders.append(el)
    successor = next(
        (
            tblpr.find(qn(t))
            for t in ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook")
            if tblpr.find(qn(t)) is not None
        ),
        None,
    )
    if successor is not None:
        successor.addprevious(borders)
    else:
        tblpr.append(borders)


def _cell_margins(table, mm: float) -> None:
    tblpr = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:w"), str(round(mm * 1440 / 25.4)))
        el.set(qn("w:type"), "dxa")
        margins.append(el)
    look = tblpr.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        tblpr.append(margins)


def table(container, rows: int, widths_mm: tuple[float, ...], *, borders: bool):
    """A fixed-width table whose cells start empty (no default paragraph)."""
    t = container.add_table(rows=rows, cols=len(widths_mm))
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    t.autofit = False
    width = t._tbl.tblPr.find(qn("w:tblW"))
    width.set(qn("w:type"), "dxa")
    width.set(qn("w:w"), str(round(sum(widths_mm) * 1440 / 25.4)))
    _table_borders(t, "single" if borders else "none")
    for col, width in zip(t.columns, widths_mm, strict=True):
        col.width = Mm(width)
    for row in t.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            for p in list(cell.paragraphs):
                p._p.getparent().remove(p._p)
    return t


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    trpr.append(OxmlElement("w:cantSplit"))


# --- the document skeleton ---------------------------------------------------------------


def new_document(title: str):
    """An empty A4 document with the Nghị định 30 page, fonts, styles and page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width = Mm(210)
    section.page_height = Mm(297)
    section.top_margin = Mm(20)
    section.bottom_margin = Mm(20)
    section.left_margin = Mm(30)
    section.right_margin = Mm(15)
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)

    styles = doc.styles.element
    defaults = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(defaults)
    defaults.find(qn("w:sz")).set(qn("w:val"), str(BODY_SIZE * 2))
    defaults.find(qn("w:szCs")).set(qn("w:val"), str(BODY_SIZE * 2))
    lang = defaults.find(qn("w:lang"))
    lang.set(qn("w:val"), "vi-VN")
    lang.set(qn("w:eastAsia"), "vi-VN")

    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr())
    normal.font.size = Pt(BODY_SIZE)
    fmt = normal.paragraph_format
    fmt.alignment = JUSTIFY
    fmt.first_line_indent = Cm(1.27)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.15
    fmt.widow_control = True

    _page_numbers(section)

    props = doc.core_properties
    props.title = title
    props.author = "movement"
    props.last_modified_by = "movement"
    props.comments = "Mẫu văn bản theo Nghị định 30/2020/NĐ-CP; các thẻ Jinja do docxtpl thay."
    props.created = dt.datetime(2024, 1, 1)
    props.modified = dt.datetime(2024, 1, 1)
    props.revision = 1
    return doc


def _field(paragraph, instruction: str, placeholder: str) -> None:
    def fld_char(kind):
        r = run(paragraph, "")
        el = OxmlElement("w:fldChar")
        el.set(qn("w:fldCharType"), kind)
        r._r.append(el)

    fld_char("begin")
    r = run(paragraph, "")
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    r._r.append(instr)
    fld_char("separate")
    run(paragraph, placeholder)
    fld_char("end")


def _page_numbers(section) -> None:
    """The page number centred in the top margin, not on the first page (titlePg with an
    empty first-page header)."""
    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    p.paragraph_format.first_line_indent = Cm(0)
    p.paragraph_format.space_after = Pt(0)
    _field(p, "PAGE", "2")
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].paragraph_format.first_line_indent = Cm(0)


def header_table(doc) -> None:
    """The national-format header: a borderless two-column table.

    Left: parent authority (UPPER, regular, 13 pt; only when configured), issuing authority
    (UPPER, bold, 13 pt), a short rule, then "Số: …". Right: national name (UPPER, bold,
    13 pt), motto (bold, 14 pt) with a rule as long as the motto, then the italic
    place-and-date line. The number and the date share the second row, so they line up.
    """
    left_mm, right_mm = HEADER_WIDTHS_MM
    t = table(doc, 2, HEADER_WIDTHS_MM, borders=False)
    _cell_margins(t, CELL_MARGIN_MM)
    inner_left = left_mm - 2 * CELL_MARGIN_MM
    inner_right = right_mm - 2 * CELL_MARGIN_MM

    left, right = t.rows[0].cells
    control(left, "{%p if issuer.parent %}")
    centered(left, "{{ issuer.parent }}", size=13, single=True)
    control(left, "{%p endif %}")
    centered(left, "{{ issuer.name }}", bold=True, size=13, single=True)
    rule(left, SHORT_RULE_MM, inner_left)

    centered(right, NATIONAL_NAME, bold=True, size=13, single=True)
    centered(right, MOTTO, bold=True, size=14, single=True)
    rule(right, MOTTO_RULE_MM, inner_right)

    left, right = t.rows[1].cells
    centered(left, "{{ number_line }}", size=13, before=6, single=True)
    centered(right, "{{ date_line }}", italic=True, size=14, before=6, single=True)


def title_block(doc) -> None:
    """The document type (UPPER, bold, centred), the subject in bold and a short rule."""
    centered(doc, "{{ title }}", bold=True, before=18, keep_next=True)
    centered(doc, "{{ subject }}", bold=True, keep_next=True)
    rule(doc, SHORT_RULE_MM + 10, TEXT_WIDTH_MM, after=12)


def signature_table(doc) -> None:
    """Signature block at the right (authority lines and title UPPER bold, room to sign,
    the name bold) and "Nơi nhận" at the left (bold italic 12 pt, entries 11 pt)."""
    # The signature never stands alone on a page: the last paragraph goes with it.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    paragraph(doc, "", indent=False, after=0, keep_next=True)
    t = table(doc, 1, SIGNATURE_WIDTHS_MM, borders=False)
    _cell_margins(t, CELL_MARGIN_MM)
    _no_split(t.rows[0])
    left, right = t.rows[0].cells

    paragraph(
        left,
        "Nơi nhận:",
        bold=True,
        italic=True,
        size=12,
        align=LEFT,
        indent=False,
        after=0,
        single=True,
    )
    control(left, "{%p for line in recipients %}")
    paragraph(left, "{{ line }}", size=11, align=LEFT, indent=False, after=0, single=True)
    control(left, "{%p endfor %}")

    control(right, "{%p for line in signer.lines %}")
    centered(right, "{{ line }}", bold=True, single=True)
    control(right, "{%p endfor %}")
    centered(right, "{{ signer.title }}", bold=True, single=True)
    for _ in range(4):
        centered(right, "", single=True)
    centered(right, "{{ signer.name }}", bold=True, single=True)


def list_table(
    doc, headers: tuple[str, ...], cells: tuple[str, ...], loop: str, widths_mm: tuple[float, ...]
) -> None:
    """A bordered list (STT, name, …) with one row per item: {%tr for %} … {%tr endfor %}."""
    t = table(doc, 4, widths_mm, borders=True)
    header = t.rows[0]
    header._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, headers, strict=True):
        centered(cell, text, bold=True, size=13, before=3, after=3, single=True)
    for row, tag in ((t.rows[1], "{%tr for " + loop + " %}"), (t.rows[3], "{%tr endfor %}")):
        control(row.cells[0], tag)
        for cell in row.cells[1:]:
            control(cell, "")
    for position, (cell, text) in enumerate(zip(t.rows[2].cells, cells, strict=True)):
        align = LEFT if position == 1 else CENTER
        paragraph(cell, text, size=13, align=align, indent=False, before=3, after=3, single=True)


# --- the four documents ------------------------------------------------------------------


def city_plan():
    doc = new_document("Kế hoạch xây dựng đơn vị điển hình")
    header_table(doc)
    title_block(doc)
    control(doc, "{%p for basis in bases %}")
    body(doc, "{{ basis }};")
    control(doc, "{%p endfor %}")
    body(
        doc,
        "Theo đề nghị của {{ agencies.police }}, {{ issuer.name_text }} ban hành Kế hoạch "
        f"xây dựng đơn vị điển hình về {MOVEMENT} năm {{{{ year }}}} như sau:",
    )

    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    heading(doc, "1. Mục đích")
    body(
        doc,
        "- Xây dựng các xã, phường, cơ quan, doanh nghiệp, cơ sở giáo dục điển hình về "
        f"{MOVEMENT} để rút kinh nghiệm, nhân rộng, góp phần nâng cao chất lượng, hiệu "
        "quả của phong trào trên địa bàn {{ locality }}.",
    )
    body(
        doc,
        "- Phát huy vai trò của cấp ủy, chính quyền, Mặt trận Tổ quốc và các tổ chức "
        "chính trị - xã hội; huy động sức mạnh của toàn dân tham gia bảo vệ an ninh, "
        "trật tự ở cơ sở.",
    )
    heading(doc, "2. Yêu cầu")
    body(
        doc,
        "- Việc lựa chọn đơn vị xây dựng điển hình bảo đảm đúng tiêu chí, công khai, "
        "khách quan, phù hợp với điều kiện thực tế của từng đơn vị.",
    )
    body(
        doc,
        "- Các cơ quan, đơn vị, địa phương xác định rõ nhiệm vụ, phối hợp chặt chẽ; "
        "thường xuyên kiểm tra, đôn đốc, kịp thời tháo gỡ khó khăn, vướng mắc.",
    )
    body(
        doc,
        "- Đơn vị được lựa chọn tiếp tục duy trì tiêu chuẩn “An toàn về an ninh, trật "
        "tự” và thực hiện đầy đủ các tiêu chí của Bộ tiêu chí đơn vị điển hình do Bộ "
        "Công an ban hành.",
    )

    heading(doc, "II. NỘI DUNG")
    heading(doc, "1. Tiêu chí lựa chọn")
    body(
        doc,
        "Đơn vị được lựa chọn xây dựng điển hình là đơn vị đạt tiêu chuẩn “An toàn về "
        f"an ninh, trật tự” và được xếp loại {MOVEMENT} từ loại Khá trở lên năm "
        "{{ selection.basis_year }}.",
    )
    heading(doc, "2. Đơn vị được lựa chọn")
    control(doc, "{%p if unit_groups %}")
    body(doc, "Năm {{ year }}, lựa chọn {{ units_count }} đơn vị xây dựng điển hình, gồm:")
    control(doc, "{%p for group in unit_groups %}")
    body(doc, "{{ group.letter }}) {{ group.label }}:", keep_next=True)
    control(doc, "{%p for u in group.units %}")
    body(doc, "- {{ u.name }} ({{ u.kind_text }}){{ '.' if loop.last else ';' }}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p else %}")
    body(doc, "Năm {{ year }} chưa có đơn vị được lựa chọn xây dựng điển hình.")
    control(doc, "{%p endif %}")
    heading(doc, "3. Nội dung thực hiện")
    body(
        doc,
        "- Các đơn vị được lựa chọn xây dựng kế hoạch riêng, xác định rõ nội dung, biện "
        "pháp, tiến độ và phân công thực hiện các tiêu chí của Bộ tiêu chí đơn vị điển "
        f"hình về {MOVEMENT} do Bộ Công an ban hành; tiếp tục duy trì các tiêu chí của "
        "tiêu chuẩn “An toàn về an ninh, trật tự”.",
    )
    body(
        doc,
        "- Đẩy mạnh công tác tuyên truyền trong các ngành, các cấp và trên các phương "
        "tiện thông tin đại chúng về mục đích, ý nghĩa của phong trào và việc xây dựng "
        "đơn vị điển hình.",
    )
    body(
        doc,
        "- Xây dựng, củng cố và nhân rộng các mô hình, điển hình tiên tiến về bảo vệ an "
        "ninh, trật tự tại các đơn vị được lựa chọn.",
    )
    heading(doc, "4. Tiến độ thực hiện")
    body(
        doc,
        "- Quý I/{{ year }}: ban hành Kế hoạch; các đơn vị được lựa chọn xây dựng kế "
        "hoạch, đăng ký xây dựng điển hình, gửi về {{ agencies.police }} trước ngày "
        "31/3/{{ year }}.",
    )
    body(
        doc,
        "- Quý II/{{ year }}: các đơn vị tổ chức thực hiện; {{ agencies.police }} hướng "
        "dẫn, kiểm tra; sơ kết 6 tháng.",
    )
    body(
        doc,
        "- Quý III/{{ year }}: tiếp tục thực hiện; kiểm tra, hướng dẫn khắc phục các "
        "tiêu chí chưa đạt.",
    )
    body(
        doc,
        "- Quý IV/{{ year }}: các đơn vị tự đánh giá kết quả theo Bộ tiêu chí trước "
        "ngày 15/11/{{ year }}; {{ agencies.police }} thẩm định, tham mưu công nhận đơn "
        "vị điển hình, đề xuất khen thưởng; tổng kết, rút kinh nghiệm.",
    )

    heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    heading(doc, "1. {{ agencies.police }}")
    body(
        doc,
        "Là cơ quan thường trực, chủ trì, phối hợp với các cơ quan, đơn vị liên quan "
        "hướng dẫn, theo dõi, kiểm tra, đôn đốc các đơn vị được lựa chọn thực hiện Kế "
        "hoạch; tổng hợp kết quả, thẩm định, tham mưu {{ issuer.name_text }} công nhận "
        "đơn vị điển hình và đề xuất khen thưởng theo quy định.",
    )
    heading(doc, "2. {{ agencies.education }}")
    body(
        doc,
        "Chỉ đạo các cơ sở giáo dục trên địa bàn tăng cường công tác bảo đảm an ninh, "
        "trật tự trường học; phối hợp hướng dẫn cơ sở giáo dục được lựa chọn (nếu có) "
        "thực hiện Kế hoạch.",
    )
    heading(doc, "3. {{ agencies.industry }}")
    body(
        doc,
        "Phối hợp tuyên truyền, vận động các doanh nghiệp trên địa bàn tham gia phong "
        "trào; phối hợp hướng dẫn doanh nghiệp được lựa chọn (nếu có) thực hiện Kế "
        "hoạch.",
    )
    heading(doc, "4. {{ agencies.labour }}")
    body(
        doc,
        "Đề nghị chỉ đạo các công đoàn cơ sở tuyên truyền, vận động công nhân, viên "
        "chức, người lao động tham gia phong trào; phối hợp xây dựng điển hình tại các "
        "cơ quan, doanh nghiệp.",
    )
    heading(doc, "5. {{ agencies.home_affairs }}")
    body(
        doc,
        "Phối hợp với {{ agencies.police }} thẩm định hồ sơ, tham mưu khen thưởng các "
        "tập thể, cá nhân có thành tích xuất sắc theo quy định của pháp luật về thi đua, "
        "khen thưởng.",
    )
    heading(doc, "6. {{ agencies.media }}")
    body(
        doc,
        f"Tăng cường thông tin, tuyên truyền về {MOVEMENT}; kịp thời phản ánh các cách "
        "làm hay, điển hình tiên tiến để nhân rộng.",
    )
    heading(doc, "7. {{ agencies.front }} và các tổ chức chính trị - xã hội")
    body(
        doc,
        "Đề nghị phối hợp tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tham "
        "gia phong trào; giám sát việc thực hiện Kế hoạch.",
    )
    heading(doc, "8. {{ agencies.communes }}")
    body(
        doc,
        f"Chỉ đạo đẩy mạnh {MOVEMENT} trên địa bàn; địa phương có đơn vị được lựa chọn "
        "chỉ đạo xây dựng kế hoạch, bố trí nguồn lực tổ chức thực hiện và định kỳ báo "
        "cáo kết quả về {{ agencies.police }}.",
    )
    heading(doc, "9. Các đơn vị được lựa chọn")
    body(
        doc,
        "Xây dựng kế hoạch thực hiện, gửi về {{ agencies.police }} trước ngày "
        "31/3/{{ year }}; tổ chức thực hiện, tự đánh giá kết quả theo Bộ tiêu chí và báo "
        "cáo trước ngày 15/11/{{ year }}.",
    )
    body(
        doc,
        f"Trên đây là Kế hoạch xây dựng đơn vị điển hình về {MOVEMENT} năm {{{{ year }}}} "
        "của {{ issuer.name_text }}. Yêu cầu các cơ quan, đơn vị, địa phương nghiêm túc "
        "triển khai thực hiện; trong quá trình thực hiện, nếu có khó khăn, vướng mắc, báo "
        "cáo về {{ issuer.name_text }} (qua {{ agencies.police }}) để chỉ đạo./.",
    )
    signature_table(doc)
    return doc


def unit_plan():
    doc = new_document("Kế hoạch của đơn vị xây dựng điển hình")
    header_table(doc)
    title_block(doc)
    body(
        doc,
        "Thực hiện {{ city_plan.reference }} về xây dựng đơn vị điển hình về "
        f"{MOVEMENT} năm {{{{ year }}}}, {{{{ issuer.name_text }}}} xây dựng Kế hoạch "
        "thực hiện như sau:",
    )
    heading(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    body(
        doc,
        "- Xây dựng {{ unit.name_text }} trở thành đơn vị điển hình về "
        f"{MOVEMENT} năm {{{{ year }}}}, góp phần giữ vững an ninh, trật tự, tạo môi "
        "trường an toàn cho sự phát triển.",
    )
    body(
        doc,
        "- Quán triệt đến toàn thể {{ unit.people }}; xác định rõ trách nhiệm của từng "
        "bộ phận, cá nhân; bảo đảm thực hiện đầy đủ, đúng tiến độ các tiêu chí.",
    )

    heading(doc, "II. NỘI DUNG")
    heading(doc, "1. Duy trì tiêu chuẩn “An toàn về an ninh, trật tự”")
    basis = (
        "Tiếp tục thực hiện đầy đủ các tiêu chí của tiêu chuẩn “An toàn về an ninh, trật "
        "tự” đối với {{ unit.kind_text }} theo Thông tư số 124/2021/TT-BCA của Bộ trưởng "
        "Bộ Công an"
    )
    control(doc, "{%p if safety_criteria %}")
    body(doc, basis + ":")
    control(doc, "{%p for c in safety_criteria %}")
    body(doc, "- {{ c.title }}{{ '.' if loop.last else ';' }}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p else %}")
    body(doc, basis + ".")
    control(doc, "{%p endif %}")
    heading(doc, "2. Thực hiện Bộ tiêu chí đơn vị điển hình")
    control(doc, "{%p if model_criteria %}")
    body(
        doc,
        "Thực hiện các tiêu chí của {{ model_criteria.title }}{% if model_criteria.source "
        "%} ({{ model_criteria.source }}){% endif %}, gồm:",
    )
    control(doc, "{%p for c in model_criteria.criteria %}")
    body(doc, "- {{ c.title }}{{ '.' if loop.last else ';' }}")
    control(doc, "{%p endfor %}")
    control(doc, "{%p if model_criteria.provisional %}")
    body(
        doc,
        "Danh mục tiêu chí trên là tạm thời và chưa đầy đủ; đơn vị thực hiện đầy đủ các "
        "tiêu chí theo văn bản chính thức và hướng dẫn của {{ agencies.police }}.",
        italic=True,
    )
    control(doc, "{%p endif %}")
    control(doc, "{%p else %}")
    body(
        doc,
        "Chưa có Bộ tiêu chí đơn vị điển hình áp dụng cho {{ unit.kind_text }}; đơn vị "
        "thực hiện theo hướng dẫn của {{ agencies.police }}.",
    )
    control(doc, "{%p endif %}")
    heading(doc, "3. Tiến độ thực hiện")
    body(
        doc,
        "- Quý I/{{ year }}: ban hành Kế hoạch, quán triệt đến {{ unit.people }}; đăng "
        "ký xây dựng điển hình; gửi Kế hoạch về {{ agencies.police }} trước ngày "
        "31/3/{{ year }}.",
    )
    body(
        doc,
        "- Quý II/{{ year }}: tổ chức thực hiện các tiêu chí; sơ kết 6 tháng, báo cáo "
        "kết quả về {{ agencies.police }}.",
    )
    body(doc, "- Quý III/{{ year }}: tự kiểm tra, khắc phục các tiêu chí chưa đạt.")
    body(
        doc,
        "- Quý IV/{{ year }}: tự đánh giá kết quả theo Bộ tiêu chí, báo cáo về "
        "{{ agencies.police }} trước ngày 15/11/{{ year }}.",
    )

    heading(doc, "III. TỔ CHỨC THỰC HIỆN")
    control(doc, "{%p if unit.is_commune %}")
    heading(doc, "1. {{ unit.police }}")
    body(
        doc,
        "Là lực lượng nòng cốt, tham mưu {{ issuer.name_text }} triển khai thực hiện Kế "
        "hoạch; hướng dẫn, kiểm tra việc thực hiện các tiêu chí; tổng hợp, báo cáo kết "
        "quả theo quy định.",
    )
    heading(doc, "2. Các bộ phận chuyên môn thuộc {{ issuer.name_text }}")
    body(
        doc,
        "Theo chức năng, nhiệm vụ, phối hợp thực hiện các tiêu chí có liên quan; tuyên "
        "truyền về phong trào trên hệ thống thông tin cơ sở.",
    )
    heading(doc, "3. Trưởng thôn, tổ trưởng tổ dân phố")
    body(
        doc,
        "Quán triệt, vận động các hộ gia đình đăng ký và thực hiện tiêu chuẩn “An toàn "
        "về an ninh, trật tự”; phát huy vai trò của lực lượng tham gia bảo vệ an ninh, "
        "trật tự ở cơ sở.",
    )
    heading(
        doc,
        "4. Ủy ban Mặt trận Tổ quốc Việt Nam {{ unit.name_text }} và các tổ chức "
        "chính trị - xã hội",
    )
    body(
        doc,
        "Đề nghị phối hợp tuyên truyền, vận động đoàn viên, hội viên và Nhân dân tham "
        "gia phong trào; giám sát việc thực hiện Kế hoạch.",
    )
    control(doc, "{%p else %}")
    heading(doc, "1. Bộ phận phụ trách công tác bảo vệ an ninh, trật tự")
    body(
        doc,
        "Tham mưu {{ issuer.name_text }} triển khai thực hiện Kế hoạch; phối hợp với "
        "{{ agencies.police }} hướng dẫn, kiểm tra việc thực hiện các tiêu chí; tổng hợp, "
        "báo cáo kết quả.",
    )
    heading(doc, "2. Các phòng, bộ phận trực thuộc")
    body(
        doc,
        "Quán triệt, thực hiện nghiêm nội quy, quy chế về bảo vệ cơ quan, bảo vệ bí mật "
        "nhà nước, an toàn lao động, phòng cháy, chữa cháy và bảo vệ môi trường.",
    )
    heading(
        doc,
        "3. Công đoàn, Đoàn Thanh niên{{ ', Ban đại diện cha mẹ học sinh' if "
        "unit.is_school else '' }}",
    )
    body(doc, f"Phối hợp tuyên truyền, vận động {{{{ unit.people }}}} tham gia {MOVEMENT}.")
    control(doc, "{%p endif %}")
    body(
        doc,
        "Trên đây là Kế hoạch xây dựng {{ unit.kind_text }} điển hình về "
        f"{MOVEMENT} năm {{{{ year }}}} của {{{{ issuer.name_text }}}}; đề nghị các bộ "
        "phận, cá nhân liên quan nghiêm túc triển khai thực hiện./.",
    )
    signature_table(doc)
    return doc


def recognition_decision():
    doc = new_document("Quyết định công nhận đơn vị điển hình")
    header_table(doc)
    title_block(doc)
    control(doc, "{%p if illustrative_note %}")
    centered(doc, "({{ illustrative_note }})", italic=True, after=6)
    control(doc, "{%p endif %}")
    centered(doc, "{{ decision_authority }}", bold=True, after=6, keep_next=True)
    control(doc, "{%p for basis in bases %}")
    body(doc, "{{ basis }}{{ '.' if loop.last else ';' }}", italic=True)
    control(doc, "{%p endfor %}")
    centered(doc, "QUYẾT ĐỊNH:", bold=True, before=6, after=6, keep_next=True)
    body(
        doc,
        [
            ("Điều 1. ", {"bold": True}),
            (
                "Công nhận {{ recognized_count }} đơn vị điển hình về "
                f"{MOVEMENT} năm {{{{ year }}}} (có danh sách kèm theo).",
                {},
            ),
        ],
    )
    body(
        doc,
        [
            ("Điều 2. ", {"bold": True}),
            (
                "Các đơn vị được công nhận có trách nhiệm tiếp tục duy trì, phát huy kết quả "
                f"đạt được, góp phần nhân rộng điển hình về {MOVEMENT} trên địa bàn "
                "{{ locality }}. {{ agencies.police }} theo dõi, hướng dẫn các đơn vị duy trì "
                "các tiêu chí và đề xuất khen thưởng theo quy định.",
                {},
            ),
        ],
    )
    body(
        doc,
        [
            ("Điều 3. ", {"bold": True}),
            (
                "Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng "
                "{{ issuer.name_text }}, Trưởng {{ agencies.police }}, Thủ trưởng các cơ quan, "
                "đơn vị liên quan và các đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành "
                "Quyết định này./.",
                {},
            ),
        ],
    )
    signature_table(doc)

    centered(doc, "DANH SÁCH", bold=True, page_break_before=True, keep_next=True)
    centered(doc, f"Đơn vị điển hình về {MOVEMENT} năm {{{{ year }}}}", bold=True, keep_next=True)
    centered(
        doc,
        "(Kèm theo Quyết định số {{ number_ref }} {{ date_ref }} của {{ issuer.name_text }})",
        italic=True,
        keep_next=True,
    )
    control(doc, "{%p if illustrative_note %}")
    centered(doc, "({{ illustrative_note }})", italic=True, after=0, keep_next=True)
    control(doc, "{%p endif %}")
    rule(doc, SHORT_RULE_MM + 10, TEXT_WIDTH_MM, after=12)
    list_table(
        doc,
        ("STT", "Tên đơn vị", "Loại hình"),
        ("{{ r.index }}", "{{ r.name }}", "{{ r.kind_label }}"),
        "r in recognized",
        (15, 105, 45),
    )
    return doc


def commendation_proposal():
    doc = new_document("Tờ trình đề nghị khen thưởng")
    header_table(doc)
    title_block(doc)
    control(doc, "{%p if illustrative_note %}")
    centered(doc, "({{ illustrative_note }})", italic=True, after=6)
    control(doc, "{%p endif %}")
    centered(doc, "Kính gửi: {{ addressee }}", after=12)
    body(
        doc,
        "Thực hiện {{ city_plan.reference }} về xây dựng đơn vị điển hình về "
        f"{MOVEMENT} năm {{{{ year }}}}, {{{{ issuer.name_text }}}} báo cáo kết quả và "
        "đề nghị khen thưởng như sau:",
    )
    heading(doc, "1. Kết quả thực hiện")
    body(
        doc,
        "Năm {{ year }}, {{ issuer.name_text }} lựa chọn {{ units_count }} đơn vị xây "
        "dựng điển hình. Qua theo dõi, đánh giá theo Bộ tiêu chí đơn vị điển hình về "
        f"{MOVEMENT}, có {{{{ recognized_count }}}} đơn vị đạt đầy đủ các tiêu chí và "
        "được công nhận là đơn vị điển hình. Các đơn vị đã xây dựng kế hoạch và tổ chức "
        "thực hiện các tiêu chí theo quy định, góp phần bảo đảm an ninh, trật tự trên "
        "địa bàn.",
    )
    heading(doc, "2. Đề nghị khen thưởng")
    body(
        doc,
        "Căn cứ Luật Thi đua, khen thưởng và Nghị định số 98/2023/NĐ-CP của Chính phủ, "
        "{{ issuer.name_text }} kính đề nghị {{ addressee }} xem xét, khen thưởng "
        "{{ proposals_count }} tập thể có thành tích xuất sắc trong xây dựng đơn vị điển "
        f"hình về {MOVEMENT} năm {{{{ year }}}}, gồm:",
    )
    list_table(
        doc,
        ("STT", "Tên tập thể", "Hình thức khen thưởng"),
        ("{{ p.index }}", "{{ p.name }}", "{{ p.form }}"),
        "p in proposals",
        (15, 85, 65),
    )
    body(doc, "(Có hồ sơ đề nghị khen thưởng kèm theo).", before=6)
    body(doc, "Kính trình {{ addressee }} xem xét, quyết định./.")
    signature_table(doc)
    return doc


TEMPLATES = {
    "city-plan": city_plan,
    "unit-plan": unit_plan,
    "recognition-decision": recognition_decision,
    "commendation-proposal": commendation_proposal,
}


def _reproducible(data: bytes) -> bytes:
    """The same bytes on every build: fixed timestamps inside the zip."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2024, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def build(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in TEMPLATES.items():
        buffer = io.BytesIO()
        make().save(buffer)
        path = out_dir / f"{name}.docx"
        path.write_bytes(_reproducible(buffer.getvalue()))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder to write the .docx templates to (default: this folder)",
    )
    args = parser.parse_args(argv)
    for path in build(args.out):
        print(path)


if __name__ == "__main__":
    main()
