"""Documents: Nghị định 30 formatting helpers, the template context, rendering to Word and
Markdown, and the conformance check every rendered .docx must pass."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from movement_cli.documents.checker import check_docx
from movement_cli.documents.context import DOCS, build_context, sentence_name
from movement_cli.documents.formatting import (
    BLANK,
    count_text,
    date_line,
    number_line,
    number_words,
    output_name,
    recipients_block,
    signer_lines,
    slug,
)
from movement_cli.documents.render import output_path, render, render_text, template_dirs
from movement_cli.errors import MovementError
from movement_cli.resources import bundled

GOLDEN = Path(__file__).parent / "golden"
TEMPLATES = bundled("templates")

HUE_CONFIG = {
    "authority.name": "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ",
    "authority.parent": "ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ",
    "authority.symbol": "UBND",
    "authority.place": "Huế",
    "signer.authority": "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH",
    "signer.title": "PHÓ CHỦ TỊCH",
    "signer.name": "",
    "recipients": [
        "UBND tỉnh Thừa Thiên Huế (để b/c);",
        "Công an tỉnh Thừa Thiên Huế;",
        "CT, các PCT UBND thành phố",
        "Các cơ quan, đơn vị tại mục III.",
        "UBND các xã, phường",
        "Lưu: VT",
    ],
}
HUE_SELECTION = {
    "year": 2024,
    "basis_year": 2023,
    "status": "confirmed",
    "decision": "593/KH-UBND",
    "decision_date": "2024-01-17",
    "policy": "hue-593-kh-ubnd",
}
PHUOC_VINH = {
    "code": "19798",
    "name": "Phường Phước Vĩnh",
    "kind": "phuong",
    "kind_label": "Phường",
    "group": "phuong",
    "class": "xuat_sac",
    "class_label": "Xuất sắc",
    "score": 96,
}
WOMENS_UNION = {
    "code": "CQ002",
    "name": "Hội Liên hiệp Phụ nữ thành phố Huế",
    "kind": "co_quan",
    "kind_label": "Cơ quan",
    "group": "co_quan_dn_csgd",
    "class": "xuat_sac",
    "class_label": "Xuất sắc",
    "score": 92,
}
HUE_UNITS = [PHUOC_VINH, WOMENS_UNION]
COMMUNE_SAFETY = [
    {
        "id": "xa.1",
        "title": "Có Nghị quyết, kế hoạch về công tác bảo đảm an ninh, trật tự ban "
        "hành trong quý I; đăng ký xây dựng và có ít nhất một mô hình phong "
        "trào hoạt động hiệu quả",
    },
    {"id": "xa.2", "title": "Thực hiện đạt các tiêu chí 2, 3 và 4 đối với khu dân cư"},
    {
        "id": "xa.3",
        "title": "Công an xã, phường làm tốt công tác tham mưu; không có cán bộ bị kỷ luật",
    },
    {
        "id": "xa.4",
        "title": "100% khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc phạm "
        "vi quản lý đăng ký và ít nhất 70% được công nhận đạt tiêu chuẩn.",
    },
]
COMMUNE_MODEL = {
    "title": "Bộ tiêu chí xã, phường, thị trấn điển hình về phong trào “Toàn dân bảo vệ an "
    "ninh Tổ quốc”",
    "source": "Quyết định số 9745/QĐ-BCA-V05 ngày 28/12/2022 của Bộ Công an",
    "provisional": True,
    "items": [
        {
            "id": "1.1",
            "title": "Tuyên truyền, phổ biến, quán triệt và tổ chức thực hiện chủ "
            "trương, chính sách, pháp luật về bảo vệ an ninh Tổ quốc",
        },
        {
            "id": "1.2",
            "title": "Có Nghị quyết, kế hoạch, chương trình chỉ đạo về công tác bảo "
            "đảm an ninh, trật tự ban hành trong quý I",
        },
    ],
}
RECOGNIZED = [dict(unit, met=2, total=2) for unit in HUE_UNITS]
PROPOSALS = [
    dict(PHUOC_VINH, form="Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh"),
    dict(WOMENS_UNION, form="Giấy khen của Giám đốc Công an tỉnh"),
]

# The golden documents: the city plan as signed (number and date), the others as drafts.
GOLDEN_ARGS = {
    "city-plan": {"number": 593, "day": date(2024, 1, 17)},
    "unit-plan": {"number": None, "day": None},
    "recognition-decision": {"number": 12, "day": date(2024, 12, 20)},
    "commendation-proposal": {"number": None, "day": None},
}


def _bundled_policy_and_bases():
    from movement_cli.criteria import load_legal_bases, load_policy

    policy = load_policy()
    return ([{"name": g.name, "label": g.label} for g in policy.groups],
            load_legal_bases().bases)


def hue_context(doc: str, **overrides) -> dict:
    groups, legal_bases = _bundled_policy_and_bases()
    args = {
        "groups": groups,
        "legal_bases": legal_bases,
        "year": 2024,
        "config": HUE_CONFIG,
        "selection": HUE_SELECTION,
        "units": HUE_UNITS,
        "unit": PHUOC_VINH if doc == "unit-plan" else None,
        "safety_criteria": COMMUNE_SAFETY,
        "model_criteria": COMMUNE_MODEL,
        "recognized": RECOGNIZED,
        "proposals": PROPOSALS,
        **GOLDEN_ARGS[doc],
    }
    args.update(overrides)
    return build_context(doc, **args)


def docx_text(path: Path) -> str:
    """Every paragraph of the body, tables included, in document order."""
    from docx import Document
    from docx.oxml.ns import qn

    doc = Document(str(path))
    lines = []
    for child in doc.element.body.iterchildren():
        for p in child.iter(qn("w:p")):
            lines.append("".join(t.text or "" for t in p.iter(qn("w:t"))))
    return "\n".join(lines)


def words_of_markdown(text: str) -> Counter:
    kept = []
    for line in text.splitlines():
        if re.fullmatch(r"[\s|:\-]*", line) and "-" in line:
            continue  # table separator or thematic break
        line = re.sub(r"^#+ ", "", line).replace("*", "").replace("|", " ")
        kept.append(line.rstrip("\\"))
    return Counter(" ".join(kept).split())


# --- formatting --------------------------------------------------------------------------


def test_date_line_pads_days_below_ten_and_months_one_and_two():
    assert date_line("Huế", date(2024, 1, 17), 2024) == "Huế, ngày 17 tháng 01 năm 2024"
    assert date_line("Huế", date(2024, 3, 5), 2024) == "Huế, ngày 05 tháng 3 năm 2024"
    assert date_line("Huế", date(2024, 2, 9), 2024) == "Huế, ngày 09 tháng 02 năm 2024"
    assert date_line("Huế", date(2024, 12, 20), 2024) == "Huế, ngày 20 tháng 12 năm 2024"


def test_date_line_without_a_day_is_the_blank_draft_form():
    line = date_line("Huế", None, 2024)
    assert line == f"Huế, ngày{BLANK}tháng{BLANK}năm 2024"
    assert line.replace("\u00a0", " ") == "Huế, ngày      tháng      năm 2024"


def test_date_line_prints_the_year_of_the_day_it_is_given():
    assert date_line("Huế", date(2023, 12, 28), 2024) == "Huế, ngày 28 tháng 12 năm 2023"


def test_number_line_pads_numbers_below_ten():
    assert number_line(5, "KH", "UBND") == "Số: 05/KH-UBND"
    assert number_line(593, "KH", "UBND") == "Số: 593/KH-UBND"
    assert number_line(10, "QĐ", "UBND") == "Số: 10/QĐ-UBND"
    for symbol in ("KH", "QĐ", "TTr", "BC", "HD", "TB"):
        assert number_line(1, symbol, "UBND") == f"Số: 01/{symbol}-UBND"


def test_number_line_without_a_number_is_the_blank_draft_form():
    assert number_line(None, "KH", "UBND") == f"Số:{BLANK}/KH-UBND"
    assert number_line(None, "KH", "UBND").replace("\u00a0", " ") == "Số:      /KH-UBND"


@pytest.mark.parametrize("bad", [0, -3, True, "5"])
def test_number_line_refuses_what_is_not_a_document_number(bad):
    with pytest.raises(MovementError):
        number_line(bad, "KH", "UBND")


def test_number_line_refuses_an_unknown_document_symbol():
    with pytest.raises(MovementError, match="KH, QĐ, TTr"):
        number_line(1, "XX", "UBND")


def test_signer_lines_split_on_slashes_and_are_upper_case():
    assert signer_lines("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH") == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
    ]
    assert signer_lines(["TM. Ủy ban nhân dân", "KT. Chủ tịch"]) == [
        "TM. ỦY BAN NHÂN DÂN",
        "KT. CHỦ TỊCH",
    ]
    assert signer_lines(None) == []
    assert signer_lines(" / ") == []


def test_recipients_end_with_luu_vt_once():
    lines = recipients_block(["UBND tỉnh (để b/c);", "- Công an tỉnh.", "Lưu: VT", "  ", "x,"])
    assert lines == ["- UBND tỉnh (để b/c);", "- Công an tỉnh;", "- x;", "- Lưu: VT."]
    assert recipients_block([]) == ["- Lưu: VT."]
    assert recipients_block(None) == ["- Lưu: VT."]


def test_recipients_keep_a_storage_line_the_user_wrote_and_move_it_last():
    lines = recipients_block(["Lưu: VT, CAT.", "Như trên", "lưu: vt"])
    assert lines == ["- Như trên;", "- Lưu: VT, CAT."]
    assert sum(line.startswith("- Lưu") for line in lines) == 1


def test_recipients_skip_repeated_entries():
    assert recipients_block(["Như trên", "Như trên;"]) == ["- Như trên;", "- Lưu: VT."]


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (1, "một"),
        (2, "hai"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
    ],
)
def test_number_words(n, words):
    assert number_words(n) == words


def test_count_text_is_padded_with_words():
    assert count_text(2) == "02 (hai)"
    assert count_text(12) == "12 (mười hai)"


def test_slug_folds_vietnamese_to_ascii():
    assert slug("Phường Phước Vĩnh") == "phuong-phuoc-vinh"
    assert slug("Đoàn TNCS Hồ Chí Minh") == "doan-tncs-ho-chi-minh"
    assert slug("Trường Đại học Sư phạm, Đại học Huế") == "truong-dai-hoc-su-pham-dai-hoc-hue"


@pytest.mark.parametrize("text", ["", "   ", "../..", "/", "…", "<>&", "\u0301"])
def test_slug_is_never_empty(text):
    assert slug(text)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug(text))


def test_slug_is_at_most_sixty_characters():
    long = slug("Công ty Trách nhiệm hữu hạn Một thành viên Xây dựng và Thương mại " * 3)
    assert 0 < len(long) <= 60
    assert not long.endswith("-")


def test_output_name_for_the_city_plan_and_a_unit_plan():
    assert output_name(2024, "city-plan", ext="docx") == "2024-city-plan.docx"
    assert (
        output_name(2024, "unit-plan", "19798", "Phường Phước Vĩnh", "md")
        == "2024-unit-plan-19798-phuong-phuoc-vinh.md"
    )
    assert (
        output_name(2024, "unit-plan", "CQ002", "Hội Liên hiệp Phụ nữ thành phố Huế", "docx")
        == "2024-unit-plan-CQ002-hoi-lien-hiep-phu-nu-thanh-pho-hue.docx"
    )


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("../../etc", "passwd"),
        ("a/b", "c/d"),
        ("..", ".."),
        ("/", "/etc/passwd"),
        ("CQ\\..\\x", "..\\..\\y"),
        ("", "../../x"),
        ("\x00", "a\x00b"),
    ],
)
def test_output_name_never_escapes_the_output_folder(tmp_path, code, name):
    file_name = output_name(2024, "unit-plan", code, name, "docx")
    assert "/" not in file_name and "\\" not in file_name and "\x00" not in file_name
    assert ".." not in file_name
    assert file_name.endswith(".docx")
    path = output_path(tmp_path, 2024, "unit-plan", "docx", code, name)
    assert path.parent == tmp_path.resolve()


# --- context -----------------------------------------------------------------------------


def test_sentence_name_writes_an_authority_inside_a_sentence():
    assert sentence_name("ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ") == "Ủy ban nhân dân thành phố Huế"
    assert (
        sentence_name("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ")
        == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"
    )
    assert sentence_name("CÔNG AN PHƯỜNG PHƯỚC VĨNH") == "Công an phường Phước Vĩnh"


def test_missing_required_configuration_names_the_template_and_every_key():
    config = {k: v for k, v in HUE_CONFIG.items() if k not in ("authority.name", "authority.place")}
    with pytest.raises(MovementError) as raised:
        hue_context("city-plan", config=config)
    message = str(raised.value)
    assert "city-plan" in message
    assert "'authority.name'" in message and "'authority.place'" in message
    assert "movement config set authority.name" in message


def test_context_for_the_city_plan_groups_the_selected_units():
    context = hue_context("city-plan")
    groups = [(g["label"], [u["name"] for u in g["units"]]) for g in context["unit_groups"]]
    assert groups == [
        ("Phường", ["Phường Phước Vĩnh"]),
        ("Cơ quan, doanh nghiệp, cơ sở giáo dục", ["Hội Liên hiệp Phụ nữ thành phố Huế"]),
    ]
    assert context["number_line"] == "Số: 593/KH-UBND"
    assert context["city_plan"]["reference"] == (
        "Kế hoạch số 593/KH-UBND ngày 17/01/2024 của Ủy ban nhân dân thành phố Huế"
    )
    assert context["agencies"]["police"] == "Công an thành phố Huế"
    assert context["recipients"][-1] == "- Lưu: VT."


@pytest.mark.parametrize("written", ["2024-01-17", "17/01/2024", "17.1.2024", date(2024, 1, 17)])
def test_the_city_plans_decision_date_is_read_in_any_form_a_date_is_written(written):
    context = hue_context("city-plan", selection={**HUE_SELECTION, "decision_date": written})
    assert context["city_plan"]["date"] == "17/01/2024"


def test_a_decision_date_that_is_not_a_date_is_left_out_of_the_reference():
    context = hue_context("city-plan", selection={**HUE_SELECTION, "decision_date": "17/13/2024"})
    assert context["city_plan"]["date"] is None
    assert context["city_plan"]["reference"] == (
        "Kế hoạch số 593/KH-UBND của Ủy ban nhân dân thành phố Huế"
    )


def test_a_commune_issues_its_own_plan_through_its_peoples_committee():
    context = hue_context("unit-plan")
    assert context["issuer"]["name"] == "ỦY BAN NHÂN DÂN PHƯỜNG PHƯỚC VĨNH"
    assert context["issuer"]["place"] == "Phước Vĩnh"
    assert context["signer"]["lines"] == ["TM. ỦY BAN NHÂN DÂN"]


def test_an_agency_issues_its_own_plan_in_its_own_name():
    context = hue_context("unit-plan", unit=WOMENS_UNION, model_criteria=None)
    assert context["issuer"]["name"] == "HỘI LIÊN HIỆP PHỤ NỮ THÀNH PHỐ HUẾ"
    assert context["issuer"]["symbol"] == "HLHPN"
    assert context["number_line"] == f"Số:{BLANK}/KH-HLHPN"
    assert context["issuer"]["place"] == "Huế"


@pytest.mark.parametrize(("name", "symbol"), [
    ("Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Huế", "UBMTTQVN"),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh thành phố Huế", "ĐTNCSHCM"),
    ("Ｘí nghiệp Ánh Dương", "XNAD"),
])
def test_an_agencys_draft_symbol_takes_each_words_first_letter_without_its_accent(name, symbol):
    agency = {**WOMENS_UNION, "name": name}
    context = hue_context("unit-plan", unit=agency, model_criteria=None)
    assert context["issuer"]["symbol"] == symbol


def test_a_unit_plan_needs_a_unit():
    with pytest.raises(MovementError, match="'unit'"):
        hue_context("unit-plan", unit=None)


def test_a_decision_needs_recognised_units():
    with pytest.raises(MovementError, match="movement recognize"):
        hue_context("recognition-decision", recognized=[])


def test_decision_bases_end_with_the_police_proposal():
    bases = hue_context("recognition-decision")["bases"]
    assert bases[0] == "Căn cứ Luật Tổ chức chính quyền địa phương"
    assert bases[-1] == "Theo đề nghị của Trưởng Công an thành phố Huế"
    assert any("9745/QĐ-BCA-V05" in b for b in bases)
    assert not any("612/KH-BCA" in b for b in bases)


def test_a_proposal_given_only_its_proposals_counts_them():
    context = hue_context("commendation-proposal", units=[], recognized=None)
    assert context["units_count"] == context["recognized_count"] == "02 (hai)"
    assert context["addressee"] == "Ủy ban nhân dân tỉnh Thừa Thiên Huế"


def test_configured_locality_and_nested_configuration_are_honoured():
    config = {
        "authority": {"name": "ỦY BAN NHÂN DÂN THÀNH PHỐ HUẾ", "symbol": "UBND", "place": "Huế"},
        "authority.locality": "thành phố Huế, tỉnh Thừa Thiên Huế",
    }
    context = hue_context("city-plan", config=config)
    assert context["issuer"]["name_text"] == ("Ủy ban nhân dân thành phố Huế, tỉnh Thừa Thiên Huế")
    assert context["issuer"]["parent"] is None
    assert context["agencies"]["education"] == "Sở Giáo dục và Đào tạo"
    assert context["recipients"] == ["- Lưu: VT."]


def test_from_2026_the_plan_cites_ke_hoach_612():
    context = hue_context("city-plan", year=2026, selection={**HUE_SELECTION, "year": 2026})
    assert any("612/KH-BCA" in basis for basis in context["bases"])


# --- rendering ---------------------------------------------------------------------------


@pytest.mark.parametrize("doc", DOCS)
def test_every_document_renders_to_a_conforming_docx(tmp_path, doc):
    path = render(doc, hue_context(doc), "docx", tmp_path / f"{doc}.docx", template_dirs())
    assert check_docx(path) == []
    text = docx_text(path)
    if doc == "unit-plan":
        # Inside a sentence the generic noun of an administrative unit is lower case
        # (Nghị định 30/2020/NĐ-CP, Phụ lục II): "Ủy ban nhân dân phường Phước Vĩnh".
        assert "ỦY BAN NHÂN DÂN PHƯỜNG PHƯỚC VĨNH" in text
        assert "Ủy ban nhân dân phường Phước Vĩnh" in text
    else:
        assert "Phường Phước Vĩnh" in text
        assert "Hội Liên hiệp Phụ nữ thành phố Huế" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "- Lưu: VT." in text


@pytest.mark.parametrize("doc", DOCS)
def test_drafts_with_blank_number_and_date_conform_too(tmp_path, doc):
    context = hue_context(doc, number=None, day=None)
    path = render(doc, context, "docx", tmp_path / f"{doc}.docx", template_dirs())
    assert check_docx(path) == []
    text = docx_text(path)
    assert f"ngày{BLANK}tháng{BLANK}năm 2024" in text
    assert f"Số:{BLANK}/" in text


def test_the_city_plan_carries_its_number_and_date(tmp_path):
    path = render(
        "city-plan", hue_context("city-plan"), "docx", tmp_path / "p.docx", template_dirs()
    )
    text = docx_text(path)
    assert "Số: 593/KH-UBND" in text
    assert "Huế, ngày 17 tháng 01 năm 2024" in text
    assert "- Hội Liên hiệp Phụ nữ thành phố Huế (cơ quan)." in text


def test_the_recognition_annex_starts_a_new_page(tmp_path):
    from docx import Document

    path = render(
        "recognition-decision",
        hue_context("recognition-decision"),
        "docx",
        tmp_path / "d.docx",
        template_dirs(),
    )
    doc = Document(str(path))
    annex = next(p for p in doc.paragraphs if p.text == "DANH SÁCH")
    assert annex.paragraph_format.page_break_before
    rows = [[c.text for c in row.cells] for row in doc.tables[-1].rows]
    assert rows == [
        ["STT", "Tên đơn vị", "Loại hình"],
        ["1", "Phường Phước Vĩnh", "Phường"],
        ["2", "Hội Liên hiệp Phụ nữ thành phố Huế", "Cơ quan"],
    ]


def test_an_agency_without_a_model_criteria_set_says_so(tmp_path):
    context = hue_context("unit-plan", unit=WOMENS_UNION, model_criteria=None, safety_criteria=[])
    path = render("unit-plan", context, "docx", tmp_path / "u.docx", template_dirs())
    assert check_docx(path) == []
    assert "Chưa có Bộ tiêu chí đơn vị điển hình áp dụng cho cơ quan" in docx_text(path)
    assert "Chưa có Bộ tiêu chí đơn vị điển hình áp dụng cho cơ quan" in render_text(
        "unit-plan", context, template_dirs()
    )


ODD_NAME = "Công ty TNHH A & B <Huế> \"Sông Hương\" 'số 1'"


@pytest.mark.parametrize("doc", DOCS)
def test_names_with_markup_characters_render_intact(tmp_path, doc):
    odd = {
        **WOMENS_UNION,
        "code": "DN009",
        "name": ODD_NAME,
        "kind": "doanh_nghiep",
        "kind_label": "Doanh nghiệp",
    }
    units = [PHUOC_VINH, odd]
    context = hue_context(
        doc,
        units=units,
        unit=odd if doc == "unit-plan" else None,
        recognized=[dict(u, met=2, total=2) for u in units],
        proposals=[dict(u, form='Giấy khen <Công an> & "tỉnh"') for u in units],
    )
    path = render(doc, context, "docx", tmp_path / f"{doc}.docx", template_dirs())
    assert check_docx(path) == []
    text = docx_text(path)
    assert ODD_NAME in text
    if doc == "commendation-proposal":
        assert 'Giấy khen <Công an> & "tỉnh"' in text
    markdown = render(doc, context, "md", tmp_path / f"{doc}.md", template_dirs()).read_text()
    assert ODD_NAME in markdown
    assert "&amp;" not in markdown and "&lt;" not in markdown


@pytest.mark.parametrize("doc", DOCS)
def test_docx_and_markdown_carry_the_same_words(tmp_path, doc):
    context = hue_context(doc)
    path = render(doc, context, "docx", tmp_path / f"{doc}.docx", template_dirs())
    markdown = render_text(doc, context, template_dirs())
    assert Counter(docx_text(path).split()) == words_of_markdown(markdown)


@pytest.mark.parametrize("doc", DOCS)
def test_markdown_matches_the_golden_file(doc):
    markdown = render_text(doc, hue_context(doc), template_dirs())
    golden = GOLDEN / f"{doc}.md"
    if os.environ.get("MOVEMENT_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(markdown, encoding="utf-8")
    assert markdown == golden.read_text(encoding="utf-8"), (
        f"{golden.name} changed; review the new rendering, then rewrite it with "
        "MOVEMENT_UPDATE_GOLDEN=1 pytest tests/test_documents.py"
    )


@pytest.mark.parametrize("fmt", ["docx", "md"])
def test_a_value_the_template_lacks_is_an_error_naming_template_and_key(tmp_path, fmt):
    out = tmp_path / "out"
    out.mkdir()
    context = hue_context("city-plan")
    del context["issuer"]["name"]
    with pytest.raises(MovementError) as raised:
        render("city-plan", context, fmt, out / f"2024-city-plan.{fmt}", template_dirs())
    message = str(raised.value)
    assert message.startswith("template city-plan.")
    assert "missing value 'issuer.name'" in message
    assert "movement config set authority.name" in message
    assert list(out.iterdir()) == []


def test_missing_authority_name_leaves_no_file_in_the_output_folder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    config = {k: v for k, v in HUE_CONFIG.items() if k != "authority.name"}
    with pytest.raises(MovementError, match=r"template city-plan.*'authority\.name'"):
        context = hue_context("city-plan", config=config)
        render("city-plan", context, "docx", out / "2024-city-plan.docx", template_dirs())
    assert list(out.iterdir()) == []


def test_a_failed_render_keeps_the_previous_file(tmp_path):
    target = tmp_path / "2024-city-plan.md"
    target.write_text("previous", encoding="utf-8")
    context = hue_context("city-plan")
    del context["agencies"]
    with pytest.raises(MovementError, match="missing value 'agencies'"):
        render("city-plan", context, "md", target, template_dirs())
    assert target.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def test_a_localitys_template_overrides_the_bundled_one_by_file_name(tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    (local / "_header.md.j2").write_text("HEADER OF {{ issuer.place }}\n\n", encoding="utf-8")
    markdown = render_text("city-plan", hue_context("city-plan"), template_dirs(local))
    assert markdown.startswith("HEADER OF Huế\n")
    assert "## I. MỤC ĐÍCH, YÊU CẦU" in markdown


def test_a_template_syntax_error_names_the_template(tmp_path):
    local = tmp_path / "local"
    local.mkdir()
    (local / "city-plan.md.j2").write_text("{% if %}", encoding="utf-8")
    with pytest.raises(MovementError, match="template city-plan.md.j2: syntax error"):
        render_text("city-plan", hue_context("city-plan"), template_dirs(local))


def test_a_missing_template_names_the_folders_searched(tmp_path):
    with pytest.raises(MovementError, match="not found in"):
        render("city-plan", hue_context("city-plan"), "docx", tmp_path / "x.docx", [tmp_path])


def test_importing_the_documents_package_imports_no_heavy_library():
    probe = (
        "import sys\n"
        "import movement_cli.documents.render, movement_cli.documents.context\n"
        "import movement_cli.documents.checker, movement_cli.documents.formatting\n"
        "print(sorted(m for m in ('jinja2', 'docxtpl', 'docx', 'lxml') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# --- the checker -------------------------------------------------------------------------


def _rendered(tmp_path) -> Path:
    return render(
        "city-plan", hue_context("city-plan"), "docx", tmp_path / "plan.docx", template_dirs()
    )


def _edit(path: Path, change) -> Path:
    from docx import Document

    doc = Document(str(path))
    change(doc)
    doc.save(str(path))
    return path


def test_checker_rejects_a_plain_word_document(tmp_path):
    from docx import Document

    path = tmp_path / "plain.docx"
    doc = Document()
    doc.add_paragraph("Văn bản")
    doc.save(str(path))
    problems = "\n".join(check_docx(path))
    assert "not A4" in problems
    assert "top margin is 25.4 mm" in problems
    assert "theme font" in problems
    assert "header table" in problems
    assert "PAGE field" in problems or "page number" in problems


def test_checker_flags_a_run_in_another_font(tmp_path):
    def arial(doc):
        doc.paragraphs[3].runs[0].font.name = "Arial"

    problems = check_docx(_edit(_rendered(tmp_path), arial))
    assert any("'Arial'" in p for p in problems)


def test_checker_flags_a_date_without_leading_zeros(tmp_path):
    def bad_date(doc):
        cell = doc.tables[0].rows[1].cells[1]
        cell.paragraphs[0].runs[0].text = "Huế, ngày 5 tháng 01 năm 2024"

    problems = check_docx(_edit(_rendered(tmp_path), bad_date))
    assert any("date line" in p for p in problems)


def test_checker_flags_a_padded_march(tmp_path):
    def bad_month(doc):
        cell = doc.tables[0].rows[1].cells[1]
        cell.paragraphs[0].runs[0].text = "Huế, ngày 05 tháng 03 năm 2024"

    assert any("date line" in p for p in check_docx(_edit(_rendered(tmp_path), bad_month)))


def test_checker_flags_a_number_without_its_leading_zero(tmp_path):
    def bad_number(doc):
        doc.tables[0].rows[1].cells[0].paragraphs[0].runs[0].text = "Số: 5/KH-UBND"

    assert any("number line" in p for p in check_docx(_edit(_rendered(tmp_path), bad_number)))


def test_checker_flags_a_page_number_on_the_first_page(tmp_path):
    def show_on_first_page(doc):
        doc.sections[0].different_first_page_header_footer = False

    problems = check_docx(_edit(_rendered(tmp_path), show_on_first_page))
    assert any("titlePg" in p for p in problems)


def test_checker_flags_wrong_margins_and_letter_paper(tmp_path):
    from docx.shared import Inches, Mm

    def letter(doc):
        doc.sections[0].page_width = Inches(8.5)
        doc.sections[0].page_height = Inches(11)
        doc.sections[0].left_margin = Mm(20)

    problems = check_docx(_edit(_rendered(tmp_path), letter))
    assert any("not A4" in p for p in problems)
    assert any("left margin is 20.0 mm" in p for p in problems)


def test_checker_flags_a_motto_that_is_not_bold(tmp_path):
    def plain(doc):
        for p in doc.tables[0].rows[0].cells[1].paragraphs:
            for r in p.runs:
                r.font.bold = False

    problems = check_docx(_edit(_rendered(tmp_path), plain))
    assert any("motto" in p and "not bold" in p for p in problems)
    assert any("national name" in p and "not bold" in p for p in problems)


# --- the templates themselves ------------------------------------------------------------


def _load_builder():
    spec = importlib.util.spec_from_file_location(
        "build_docx_templates", TEMPLATES / "build_docx_templates.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_bundled_docx_templates_are_what_the_build_script_makes(tmp_path):
    builder = _load_builder()
    for built in builder.build(tmp_path):
        bundled_file = TEMPLATES / built.name
        with zipfile.ZipFile(built) as new, zipfile.ZipFile(bundled_file) as old:
            assert new.namelist() == old.namelist()
            for name in new.namelist():
                assert new.read(name) == old.read(name), (
                    f"{bundled_file.name}:{name} is stale: run "
                    "python templates/build_docx_templates.py"
                )


def test_every_docx_template_has_one_shared_header_and_signature_table():
    from docx import Document

    for doc in DOCS:
        document = Document(str(TEMPLATES / f"{doc}.docx"))
        header = [c.text for c in document.tables[0].rows[0].cells]
        assert "{{ issuer.name }}" in header[0]
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1]
        signature = [t for t in document.tables if "Nơi nhận:" in t.rows[0].cells[0].text]
        assert len(signature) == 1


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_converts_the_city_plan(tmp_path):
    path = _rendered(tmp_path)
    result = subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / "plan.pdf"
    assert pdf.is_file(), result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")
