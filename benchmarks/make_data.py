#!/usr/bin/env python3
"""Generate a national-scale roster and yearly results for the benchmarks.

Standard library only, deterministic for a given seed, and streaming: rows go to the files as
they are made, so memory stays flat whatever ``--units`` is (only the ~1% of units that are
parents — provinces, districts, communes — are held in memory).

    python benchmarks/make_data.py --units 1000000 --years 3 --first-year 2023 --out DIR

writes ``DIR/units.csv`` (the ``movement units import`` columns) and ``DIR/results.csv`` (the
``movement assess import`` columns). ``generate()`` does the same for ``benchmarks/run.py``.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import sys
import time
import unicodedata
from bisect import bisect
from collections import Counter
from datetime import date
from itertools import accumulate
from pathlib import Path
from statistics import NormalDist

UNITS_HEADER = [
    "code",
    "name",
    "kind",
    "parent_code",
    "subtype",
    "active_from",
    "active_to",
    "note",
]
RESULTS_HEADER = ["code", "year", "safety", "class", "score", "decision", "note"]

KIND_ORDER = (
    "tinh",
    "huyen",
    "xa",
    "phuong",
    "thi_tran",
    "dac_khu",
    "khu_dan_cu",
    "co_quan",
    "doanh_nghiep",
    "co_so_giao_duc",
)

# Counts at the benchmark size of 1,000,000 units; everything scales with --units.
REFERENCE_UNITS = 1_000_000
REFERENCE_DISTRICTS = 705
REFERENCE_COMMUNES = 10_000
REFERENCE_RESIDENTIAL = 80_000
REFERENCE_AGENCIES = 120_000
REFERENCE_SCHOOLS = 50_000
MIN_UNITS = 300
SPECIAL_ZONES_FROM = "2025-07-01"

# Share of leaf units (residential areas, agencies, enterprises, schools) with any of a start
# date, an end date or a note, then with each of them.
SHARE_EXTRAS = 0.05
SHARE_ACTIVE_FROM = 0.03
SHARE_ACTIVE_TO = 0.01
SHARE_NOTE = 0.02
SHARE_NEW_TONE_STYLE = 0.12


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _words(text: str) -> list[str]:
    return [_nfc(w) for w in text.split()]


def _lines(text: str) -> list[str]:
    return [_nfc(line.strip()) for line in text.strip().splitlines() if line.strip()]


# The 63 provinces and centrally-run cities as they stood until 2025, with their official
# codes, the provincial capital (None for centrally-run cities) and a region that decides how
# residential areas are named. Both tone placements appear, as in official lists.
PROVINCES = [
    (code, _nfc(name), _nfc(capital) if capital else None, region)
    for code, name, capital, region in [
        ("01", "Thành phố Hà Nội", None, "north"),
        ("02", "Tỉnh Hà Giang", "Hà Giang", "mountain"),
        ("04", "Tỉnh Cao Bằng", "Cao Bằng", "mountain"),
        ("06", "Tỉnh Bắc Kạn", "Bắc Kạn", "mountain"),
        ("08", "Tỉnh Tuyên Quang", "Tuyên Quang", "mountain"),
        ("10", "Tỉnh Lào Cai", "Lào Cai", "mountain"),
        ("11", "Tỉnh Điện Biên", "Điện Biên Phủ", "mountain"),
        ("12", "Tỉnh Lai Châu", "Lai Châu", "mountain"),
        ("14", "Tỉnh Sơn La", "Sơn La", "mountain"),
        ("15", "Tỉnh Yên Bái", "Yên Bái", "mountain"),
        ("17", "Tỉnh Hoà Bình", "Hòa Bình", "mountain"),
        ("19", "Tỉnh Thái Nguyên", "Thái Nguyên", "north"),
        ("20", "Tỉnh Lạng Sơn", "Lạng Sơn", "mountain"),
        ("22", "Tỉnh Quảng Ninh", "Hạ Long", "north"),
        ("24", "Tỉnh Bắc Giang", "Bắc Giang", "north"),
        ("25", "Tỉnh Phú Thọ", "Việt Trì", "north"),
        ("26", "Tỉnh Vĩnh Phúc", "Vĩnh Yên", "north"),
        ("27", "Tỉnh Bắc Ninh", "Bắc Ninh", "north"),
        ("30", "Tỉnh Hải Dương", "Hải Dương", "north"),
        ("31", "Thành phố Hải Phòng", None, "north"),
        ("33", "Tỉnh Hưng Yên", "Hưng Yên", "north"),
        ("34", "Tỉnh Thái Bình", "Thái Bình", "north"),
        ("35", "Tỉnh Hà Nam", "Phủ Lý", "north"),
        ("36", "Tỉnh Nam Định", "Nam Định", "north"),
        ("37", "Tỉnh Ninh Bình", "Ninh Bình", "north"),
        ("38", "Tỉnh Thanh Hóa", "Thanh Hóa", "central"),
        ("40", "Tỉnh Nghệ An", "Vinh", "central"),
        ("42", "Tỉnh Hà Tĩnh", "Hà Tĩnh", "central"),
        ("44", "Tỉnh Quảng Bình", "Đồng Hới", "central"),
        ("45", "Tỉnh Quảng Trị", "Đông Hà", "central"),
        ("46", "Tỉnh Thừa Thiên Huế", "Huế", "central"),
        ("48", "Thành phố Đà Nẵng", None, "central"),
        ("49", "Tỉnh Quảng Nam", "Tam Kỳ", "central"),
        ("51", "Tỉnh Quảng Ngãi", "Quảng Ngãi", "central"),
        ("52", "Tỉnh Bình Định", "Quy Nhơn", "central"),
        ("54", "Tỉnh Phú Yên", "Tuy Hòa", "central"),
        ("56", "Tỉnh Khánh Hòa", "Nha Trang", "central"),
        ("58", "Tỉnh Ninh Thuận", "Phan Rang - Tháp Chàm", "central"),
        ("60", "Tỉnh Bình Thuận", "Phan Thiết", "central"),
        ("62", "Tỉnh Kon Tum", "Kon Tum", "highland"),
        ("64", "Tỉnh Gia Lai", "Pleiku", "highland"),
        ("66", "Tỉnh Đắk Lắk", "Buôn Ma Thuột", "highland"),
        ("67", "Tỉnh Đắk Nông", "Gia Nghĩa", "highland"),
        ("68", "Tỉnh Lâm Đồng", "Đà Lạt", "highland"),
        ("70", "Tỉnh Bình Phước", "Đồng Xoài", "south"),
        ("72", "Tỉnh Tây Ninh", "Tây Ninh", "south"),
        ("74", "Tỉnh Bình Dương", "Thủ Dầu Một", "south"),
        ("75", "Tỉnh Đồng Nai", "Biên Hòa", "south"),
        ("77", "Tỉnh Bà Rịa - Vũng Tàu", "Vũng Tàu", "south"),
        ("79", "Thành phố Hồ Chí Minh", None, "south"),
        ("80", "Tỉnh Long An", "Tân An", "south"),
        ("82", "Tỉnh Tiền Giang", "Mỹ Tho", "south"),
        ("83", "Tỉnh Bến Tre", "Bến Tre", "south"),
        ("84", "Tỉnh Trà Vinh", "Trà Vinh", "south"),
        ("86", "Tỉnh Vĩnh Long", "Vĩnh Long", "south"),
        ("87", "Tỉnh Đồng Tháp", "Cao Lãnh", "south"),
        ("89", "Tỉnh An Giang", "Long Xuyên", "south"),
        ("91", "Tỉnh Kiên Giang", "Rạch Giá", "south"),
        ("92", "Thành phố Cần Thơ", None, "south"),
        ("93", "Tỉnh Hậu Giang", "Vị Thanh", "south"),
        ("94", "Tỉnh Sóc Trăng", "Sóc Trăng", "south"),
        ("95", "Tỉnh Bạc Liêu", "Bạc Liêu", "south"),
        ("96", "Tỉnh Cà Mau", "Cà Mau", "south"),
    ]
]
DISTRICT_WEIGHT = {"01": 3.0, "79": 2.4, "31": 1.6, "48": 0.9, "92": 1.0}

# Syllables that make up most Vietnamese place names; any two make a plausible name.
PLACE = _words(
    """
    An Bình Hòa Phú Tân Long Thành Hưng Thịnh Phước Lộc Thọ Xuân Đông Tây Nam Bắc Trung Hải
    Sơn Thủy Lâm Minh Quang Vĩnh Hiệp Hội Thạnh Mỹ Lợi Thuận Đức Nghĩa Kim Ngọc Hồng Cẩm Gia
    Hoàng Lạc Khánh Phong Điền Yên Hà Giang Châu Thắng Lập Tiến Cường Quý Định Hương Thượng
    Hạ Đại Cát Thạch Văn Hậu Trường Thái Hợp Liên Đồng Tam Lương Phúc Tường Dương Nhân Trà
    Ninh Quảng Thiện Thới Mai Tú Diên Cam Hiền Kỳ Lĩnh Triệu Quỳnh Hoa Thiên Bảo Vạn Chánh
    Thanh Tuy Thúy Thụy Quế Hoằng Diễn Nghi Kiến Lai Vân Phương Vũ Việt Toàn Tịnh Hiếu Khê
    Hạnh Đoài Cao Triều Đạo Tín Hòe Lũy Xá Ân Đa Sa Tư Nga Lý
    """
)
HIGHLAND_FIRST = _words("Ia Ea Đắk Chư Krông Kon Buôn")
HIGHLAND_SECOND = _words(
    "Grai Sê Pắc Kar Rông Mil Song Hleo Bông Pơ Pao Rve Tô Plông Đrăng Băng Drăng Ktu Blang Mơr"
)
MOUNTAIN_FIRST = _words("Nà Pá Huổi Nậm Bó Khuổi Phiêng Co Hua Pác Nặm Mường Lũng Tà")
MOUNTAIN_SECOND = _words(
    "Phát Ngần Sản Lay Lếch Ten Nhàn Hin Ban Khoang Pe Mòn Ó Kè Tấu Muông Pục Chè Lìu Sáng"
)
ISLANDS = _words("Vân_Đồn Cô_Tô Cát_Hải Bạch_Long_Vĩ Cồn_Cỏ Lý_Sơn Phú_Quý Côn_Đảo Phú_Quốc")
ISLANDS = [w.replace("_", " ") for w in ISLANDS] + _lines("Kiên Hải\nThổ Châu")
DIRECTIONS = _words("Đông Tây Nam Bắc Trung Thượng Hạ Ngoài Trong Mới")

PERSONS = _lines(
    """
    Nguyễn Huệ
    Trần Hưng Đạo
    Lê Lợi
    Lê Quý Đôn
    Nguyễn Du
    Chu Văn An
    Phan Bội Châu
    Quang Trung
    Hai Bà Trưng
    Bùi Thị Xuân
    Nguyễn Trãi
    Lý Thường Kiệt
    Võ Thị Sáu
    Kim Đồng
    Trần Phú
    Lê Hồng Phong
    Nguyễn Thị Minh Khai
    Phan Châu Trinh
    Huỳnh Thúc Kháng
    Ngô Quyền
    Đinh Tiên Hoàng
    Lý Tự Trọng
    Hoàng Hoa Thám
    Nguyễn Văn Trỗi
    Trần Quốc Toản
    Tô Hiến Thành
    Nguyễn Bỉnh Khiêm
    Lương Thế Vinh
    Phạm Ngũ Lão
    Yết Kiêu
    Nguyễn Đình Chiểu
    Mạc Đĩnh Chi
    Nguyễn Khuyến
    Tôn Đức Thắng
    Nguyễn Trường Tộ
    Đặng Trần Côn
    Cao Thắng
    Phan Đình Phùng
    Trưng Vương
    Hàm Nghi
    Nguyễn Tri Phương
    Võ Trường Toản
    Lê Thánh Tông
    Trần Cao Vân
    Thủ Khoa Huân
    """
)
FLOWERS = _lines(
    """
    Hoa Sen
    Hoa Mai
    Hướng Dương
    Sơn Ca
    Họa Mi
    Hoa Hồng
    Tuổi Thơ
    Bình Minh
    Ánh Dương
    Măng Non
    Sao Mai
    Vành Khuyên
    Hoa Phượng
    Sen Hồng
    Hoa Lan
    Thỏ Ngọc
    Búp Măng
    Ngôi Sao Nhỏ
    Hoa Cúc
    Thủy Tiên
    """
)
BRAND = _words(
    """
    Hoàng Phát Minh Long Thành Đạt An Khang Phú Thịnh Hưng Vượng Tiến Lộc Tài Quang Việt
    Trường Sơn Gia Bảo Ngọc Kim Đại Nam Á Châu Tân Hồng Hà Thái Bình Hải Đăng Sao Phương Đông
    Thiên Ân Huy Nhật Quốc Tuấn Hùng Dũng Nguyên Khôi Anh Tú Hòa Thủy Lực Hiếu Trí Đức Tín
    Nghĩa Phúc Vinh Hạnh Toàn Thắng Hưng Thuận Mạnh Cường Sáng Duy Khoa Linh
    """
)
BUSINESS = _lines(
    """
    Thương mại
    Thương mại và Dịch vụ
    Thương mại, Dịch vụ và Vận tải
    Xây dựng
    Đầu tư Xây dựng
    Xây dựng - Thương mại
    Vận tải
    Du lịch
    Du lịch và Khách sạn
    Thủy sản
    Nông sản
    Chế biến Gỗ
    May mặc
    Cơ khí
    Điện - Điện lạnh
    Dược phẩm
    Thiết bị Y tế
    Công nghệ Thông tin
    Phần mềm
    Bất động sản
    Vật liệu Xây dựng
    Nội thất
    In ấn và Quảng cáo
    Thực phẩm
    Xuất nhập khẩu
    Môi trường
    Kỹ thuật
    Tư vấn, Thiết kế và Xây dựng
    Giáo dục
    Logistics
    Nhựa
    Cà phê
    Gạch ngói
    Nước giải khát
    Sản xuất, Thương mại và Dịch vụ
    Dịch vụ Bảo vệ
    Xăng dầu
    Điện tử - Viễn thông
    """
)
COOP_LINES = _lines(
    """
    Nông nghiệp
    Dịch vụ Nông nghiệp
    Thủy sản
    Rau an toàn
    Vận tải
    Môi trường
    Dịch vụ tổng hợp
    Chè
    """
)

# (template, subtype, weight). {loc}: "xã Tân Lập"; {bare}: "Tân Lập"; {p}: a place name.
COMMUNE_BODIES = [
    ("Ủy ban nhân dân {loc}", "", 3),
    ("Đảng ủy {loc}", "", 2),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam {loc}", "", 3),
    ("Hội Liên hiệp Phụ nữ {loc}", "", 3),
    ("Hội Cựu chiến binh {loc}", "", 2),
    ("Hội Nông dân {loc}", "", 2),
    ("Đoàn Thanh niên Cộng sản Hồ Chí Minh {loc}", "", 2),
    ("Công an {loc}", "luc_luong_vu_trang", 3),
    ("Ban Chỉ huy Quân sự {loc}", "luc_luong_vu_trang", 2),
    ("Trạm Y tế {loc}", "", 2),
    ("Hội Người cao tuổi {loc}", "", 1),
    ("Hội Chữ thập đỏ {loc}", "", 1),
]
COMMUNE_BODIES_MORE = [
    ("Tổ bảo vệ an ninh, trật tự số {n} ({loc})", "", 4),
    ("Đồn Công an {p}", "luc_luong_vu_trang", 1),
    ("Ban Quản lý chợ {p}", "", 1),
    ("Nhà Văn hóa {p}", "", 1),
]
DISTRICT_BODIES = [
    ("Ủy ban nhân dân {loc}", "", 1),
    ("Văn phòng HĐND và UBND {loc}", "", 1),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam {loc}", "", 1),
    ("Hội Liên hiệp Phụ nữ {loc}", "", 1),
    ("Hội Cựu chiến binh {loc}", "", 1),
    ("Hội Nông dân {loc}", "", 1),
    ("Liên đoàn Lao động {loc}", "", 1),
    ("Phòng Nội vụ {loc}", "", 1),
    ("Phòng Tư pháp {loc}", "", 1),
    ("Phòng Tài chính - Kế hoạch {loc}", "", 1),
    ("Phòng Tài nguyên và Môi trường {loc}", "", 1),
    ("Phòng Lao động - Thương binh và Xã hội {loc}", "", 1),
    ("Phòng Văn hóa và Thông tin {loc}", "", 1),
    ("Phòng Giáo dục và Đào tạo {loc}", "", 1),
    ("Phòng Y tế {loc}", "", 1),
    ("Phòng Kinh tế {loc}", "", 1),
    ("Thanh tra {loc}", "", 1),
    ("Công an {loc}", "luc_luong_vu_trang", 1),
    ("Ban Chỉ huy Quân sự {loc}", "luc_luong_vu_trang", 1),
    ("Trung tâm Y tế {loc}", "", 1),
    ("Bệnh viện Đa khoa {loc}", "", 1),
    ("Chi cục Thi hành án dân sự {loc}", "", 1),
    ("Tòa án nhân dân {loc}", "", 1),
    ("Viện Kiểm sát nhân dân {loc}", "", 1),
    ("Kho bạc Nhà nước {loc}", "", 1),
    ("Bảo hiểm xã hội {loc}", "", 1),
    ("Trung tâm Văn hóa - Thông tin và Thể thao {loc}", "", 1),
    ("Ban Quản lý dự án Đầu tư xây dựng {loc}", "", 1),
]
DISTRICT_BODIES_MORE = [
    ("Đội Quản lý thị trường số {n}", "", 2),
    ("Đồn Công an {p}", "luc_luong_vu_trang", 2),
    ("Đồn Biên phòng {p}", "luc_luong_vu_trang", 1),
    ("Hạt Kiểm lâm {p}", "", 1),
    ("Ban Quản lý chợ {p}", "", 2),
    ("Trạm Khuyến nông {p}", "", 1),
    ("Chi nhánh Văn phòng Đăng ký đất đai {loc}", "", 1),
    ("Phòng khám Đa khoa khu vực {p}", "", 2),
    ("Điện lực {p}", "", 1),
]
COMMUNE_SCHOOLS = [
    ("Trường Mầm non {bare}", "mam_non", 4),
    ("Trường Mầm non {flower}", "mam_non", 2),
    ("Nhà trẻ {flower}", "nha_tre", 1),
    ("Trường Tiểu học {bare}", "tieu_hoc", 4),
    ("Trường Tiểu học {person}", "tieu_hoc", 2),
    ("Trường Tiểu học số {n} {bare}", "tieu_hoc", 1),
    ("Trường Trung học cơ sở {bare}", "", 3),
    ("Trường THCS {person}", "", 1),
    ("Trường Trung học cơ sở {person}", "", 1),
]
DISTRICT_SCHOOLS = [
    ("Trường Trung học phổ thông {person}", "", 4),
    ("Trường THPT {person}", "", 2),
    ("Trường THPT chuyên {person}", "", 1),
    ("Trường Phổ thông Dân tộc Nội trú {bare}", "", 1),
    ("Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên {loc}", "", 1),
    ("Trường Mầm non tư thục {flower}", "mam_non", 2),
    ("Nhà trẻ tư thục {flower}", "nha_tre", 1),
    ("Trường Tiểu học {person}", "tieu_hoc", 2),
    ("Trường Cao đẳng Nghề {bare}", "", 1),
    ("Trường Đại học {field}, Đại học {region}", "", 1),
    ("Trường Tiểu học, Trung học cơ sở và Trung học phổ thông {person}", "", 1),
]
FIELDS = _words("Sư_phạm Kinh_tế Y_-_Dược Nông_Lâm Luật Ngoại_ngữ Khoa_học Nghệ_thuật")
FIELDS = [w.replace("_", " ") for w in FIELDS]
UNIVERSITIES = _lines("Huế\nĐà Nẵng\nThái Nguyên\nQuốc gia Hà Nội\nQuốc gia Thành phố Hồ Chí Minh")
# Enterprise name forms as functions of (business line, brand, managing unit, province,
# cooperative line): cheaper than str.format over 740,000 rows.
ENTERPRISE_FORMS = [
    (lambda b, n, bare, prov, coop: f"Công ty TNHH {b} {n}", 40),
    (lambda b, n, bare, prov, coop: f"Công ty TNHH MTV {b} {n}", 10),
    (lambda b, n, bare, prov, coop: f"Công ty TNHH Một thành viên {b} {n}", 3),
    (lambda b, n, bare, prov, coop: f"Công ty Cổ phần {b} {n}", 24),
    (lambda b, n, bare, prov, coop: f"Công ty Cổ phần {b} {n} ({_initials(b + ' ' + n)})", 4),
    (lambda b, n, bare, prov, coop: f"Doanh nghiệp tư nhân {n}", 6),
    (lambda b, n, bare, prov, coop: f"Hợp tác xã {coop} {bare}", 5),
    (lambda b, n, bare, prov, coop: f"Chi nhánh Công ty TNHH {b} {n} tại {prov}", 4),
    (lambda b, n, bare, prov, coop: f"Quỹ Tín dụng nhân dân {bare}", 1),
    (lambda b, n, bare, prov, coop: f"Khách sạn {n}", 2),
    (lambda b, n, bare, prov, coop: f"Nhà máy {b} {n}", 1),
]
# Cumulative shares: siêu nhỏ 30%, nhỏ 22%, the rest none.
ENTERPRISE_SUBTYPE_CUTS = (0.30, 0.52)

NOTES = _lines(
    """
    Địa bàn trọng điểm về an ninh, trật tự
    Thành lập theo Quyết định số {n}/QĐ-UBND ngày {d}
    Sáp nhập từ hai đơn vị cũ
    Đơn vị mới thành lập
    "Điển hình" năm trước; đề nghị theo dõi
    Chuyển địa điểm, cập nhật địa chỉ
    Đang giải thể
    Giải thể theo Quyết định {n}/QĐ-UBND
    """
)
RESULT_NOTES = _lines(
    """
    Có vụ việc phức tạp về an ninh, trật tự
    Hoàn thành xuất sắc nhiệm vụ
    Nộp hồ sơ chậm
    Đề nghị khen thưởng
    Có 01 vụ cháy, đã khắc phục
    Chưa đăng ký đầy đủ; bổ sung sau
    "Tốt" theo biên bản họp
    """
)
CLASS_LABELS = {"xuat_sac": "Xuất sắc", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"}
SAFETY_LABELS = {"dat": "Đạt", "chua_dat": "Chưa đạt"}


def _new_tone_style() -> tuple[re.Pattern[str], dict[str, str]]:
    """Map the old tone placement (Hòa, Thủy) to the new one (Hoà, Thuỷ) at a syllable end."""
    marks = ["\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
    mapping: dict[str, str] = {}
    for first, second in (("o", "a"), ("o", "e"), ("u", "y")):
        for mark in marks:
            for head in (first, first.upper()):
                old = _nfc(head + mark) + second
                mapping[old] = head + _nfc(second + mark)
    pattern = re.compile("(" + "|".join(map(re.escape, mapping)) + r")(?!\w)")
    return pattern, mapping


_TONE_PATTERN, _TONE_MAP = _new_tone_style()


def new_tone_style(text: str) -> str:
    return _TONE_PATTERN.sub(lambda m: _TONE_MAP[m.group(1)], text)


def _initials(text: str) -> str:
    letters = []
    for word in text.replace("-", " ").split():
        if not word[0].isupper():
            continue
        base = unicodedata.normalize("NFD", word[0].replace("Đ", "D").replace("đ", "d"))[0]
        letters.append(base.upper())
    return "".join(letters)[:6]


class Picker:
    """Weighted choice over (value, weight) pairs, fast enough for millions of draws."""

    def __init__(self, rng: random.Random, items: list[tuple]) -> None:
        self.values = [tuple(item[:-1]) for item in items]
        self.cumulative = list(accumulate(item[-1] for item in items))
        self.total = self.cumulative[-1]
        self.rng = rng

    def __call__(self) -> tuple:
        return self.values[bisect(self.cumulative, self.rng.random() * self.total)]


def allocate(total: int, weights: list[float], minimum: int = 0) -> list[int]:
    """Split total into len(weights) integer parts (each >= minimum) proportional to weights."""
    rest = total - minimum * len(weights)
    if rest < 0:
        raise ValueError("total too small for the minimum")
    whole = sum(weights)
    counts, previous, running = [], 0, 0.0
    for weight in weights:
        running += weight
        upto = round(rest * running / whole)
        counts.append(minimum + upto - previous)
        previous = upto
    return counts


def plan_counts(units: int) -> dict[str, int]:
    """How many parents and leaves of each family a roster of `units` rows holds."""
    if units < MIN_UNITS:
        raise ValueError(f"--units must be at least {MIN_UNITS}")
    scale = units / REFERENCE_UNITS
    provinces = min(len(PROVINCES), max(2, round(len(PROVINCES) * scale)))
    districts = max(provinces, 2, round(REFERENCE_DISTRICTS * scale))
    communes = max(6, 3 * districts, round(REFERENCE_COMMUNES * scale))
    residential = max(10, round(REFERENCE_RESIDENTIAL * scale))
    agencies = max(20, round(REFERENCE_AGENCIES * scale))
    schools = max(12, round(REFERENCE_SCHOOLS * scale))
    enterprises = units - provinces - districts - communes - residential - agencies - schools
    if enterprises < 10:
        raise ValueError(f"--units {units} is too small")
    return {
        "provinces": provinces,
        "districts": districts,
        "communes": communes,
        "khu_dan_cu": residential,
        "co_quan": agencies,
        "co_so_giao_duc": schools,
        "doanh_nghiep": enterprises,
    }


def _csv_field(text: str) -> str:
    if any(ch in text for ch in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


# Normal deviates through a fixed table: deterministic and much faster than random.gauss.
NORMAL = [NormalDist().inv_cdf((i + 0.5) / 1024) for i in range(1024)]


def _class_of(score: float) -> str:
    if score >= 90:
        return "xuat_sac"
    if score >= 70:
        return "kha"
    if score >= 50:
        return "trung_binh"
    return "yeu"


RESULT_LEVELS = 32
RESULT_POOL = 2048
CLASS_BY_HALF_POINT = [_class_of(half / 2) for half in range(201)]
SCORE_TEXT_BY_HALF_POINT = [f"{half / 2:g}" for half in range(201)]
RESULT_NOTES_CSV = [_csv_field(note) for note in RESULT_NOTES]


class Generator:
    """One run: holds the random streams, the parents in memory and the per-kind counters."""

    def __init__(self, units: int, years: int, first_year: int, seed: int) -> None:
        self.plan = plan_counts(units)
        self.first_year = first_year
        self.last_year = first_year + years - 1
        self.years = list(range(first_year, first_year + years))
        # Separate streams, so that units.csv is the same with or without results.
        self.rng = random.Random(seed)
        self.result_rng = random.Random(seed * 7919 + 104729)
        self.random = self.rng.random
        self.counts: Counter[str] = Counter()
        self.subtypes: Counter[str] = Counter()
        self.results = 0
        self.serial: Counter[str] = Counter()
        self.buffers: list[list[str]] = []
        self.pools: list[list[str]] = []
        self.pending = 0
        self.result_files: list = []
        self.unit_lines: list[str] = []
        self.units_file = None
        rng = self.rng
        self.pick_commune_more = Picker(rng, COMMUNE_BODIES_MORE)
        self.pick_district_more = Picker(rng, DISTRICT_BODIES_MORE)
        self.pick_commune_school = Picker(rng, COMMUNE_SCHOOLS)
        self.pick_district_school = Picker(rng, DISTRICT_SCHOOLS)
        self.pick_form = Picker(rng, ENTERPRISE_FORMS)
        # The first leaves of each family cover every subtype, so even a tiny roster has all.
        self.forced = {
            "co_quan": [("Công an {loc}", "luc_luong_vu_trang")],
            "co_so_giao_duc": [
                ("Trường Mầm non {flower}", "mam_non"),
                ("Nhà trẻ {flower}", "nha_tre"),
                ("Trường Tiểu học {person}", "tieu_hoc"),
                ("Trường Trung học phổ thông {person}", ""),
            ],
            "doanh_nghiep": ["doanh_nghiep_sieu_nho", "doanh_nghiep_nho", ""],
        }

    # --- names -------------------------------------------------------------------------

    def pick(self, items: list[str]) -> str:
        return items[int(self.random() * len(items))]

    def place(self, region: str = "") -> str:
        random_ = self.random
        if region == "highland" and random_() < 0.3:
            return f"{self.pick(HIGHLAND_FIRST)} {self.pick(HIGHLAND_SECOND)}"
        if region == "mountain" and random_() < 0.25:
            return f"{self.pick(MOUNTAIN_FIRST)} {self.pick(MOUNTAIN_SECOND)}"
        size = len(PLACE)
        first = int(random_() * size)
        second = (first + 1 + int(random_() * (size - 1))) % size
        return f"{PLACE[first]} {PLACE[second]}"

    def styled(self, text: str) -> str:
        if self.random() < SHARE_NEW_TONE_STYLE:
            return new_tone_style(text)
        return text

    @staticmethod
    def unique(name: str, used: set[str]) -> str:
        """Make a name unique among its siblings the way officials do: "… số 2"."""
        if name not in used:
            used.add(name)
            return name
        number = 2
        while f"{name} số {number}" in used:
            number += 1
        name = f"{name} số {number}"
        used.add(name)
        return name

    # --- rows --------------------------------------------------------------------------

    def code(self, prefix: str) -> str:
        self.serial[prefix] += 1
        return f"{prefix}{self.serial[prefix]:07d}"

    def a_date(self, low: int, high: int) -> date:
        start = date(low, 1, 1).toordinal()
        return date.fromordinal(start + self.rng.randrange(date(high, 12, 31).toordinal() - start))

    def date_text(self, value: date) -> str:
        return value.isoformat() if self.random() < 0.5 else value.strftime("%d/%m/%Y")

    def leaf_extras(self) -> tuple[str, str, str, int, int]:
        """active_from, active_to and note of one of the few leaves that have any of them,
        and the years it has results for (active on 15 November)."""
        random_ = self.random
        first, last = self.first_year, self.last_year
        active_from = active_to = note = ""
        start_year, end_year = first, last
        start = None
        if random_() < SHARE_ACTIVE_FROM / SHARE_EXTRAS:
            start = self.a_date(1995, last)
            active_from = self.date_text(start)
            start_year = start.year if start <= date(start.year, 11, 15) else start.year + 1
            start_year = max(start_year, first)
        if random_() < SHARE_ACTIVE_TO / SHARE_EXTRAS:
            if start is not None:
                end = date.fromordinal(start.toordinal() + self.rng.randrange(30, 3000))
            else:
                end = self.a_date(first, last + 1)
            active_to = self.date_text(end)
            end_year = end.year if end >= date(end.year, 11, 15) else end.year - 1
            end_year = min(end_year, last)
        if random_() < SHARE_NOTE / SHARE_EXTRAS:
            note = self.pick(NOTES)
            if "{" in note:
                founded = self.a_date(2010, first - 1).strftime("%d/%m/%Y")
                note = note.format(n=self.rng.randrange(1, 4000), d=founded)
        return active_from, active_to, note, start_year, end_year

    def parent_row(self, code: str, name: str, kind: str, parent: str) -> None:
        self.counts[kind] += 1
        if kind == "dac_khu":
            # Đặc khu exist from 1 July 2025 (a roster row dated earlier is refused), so
            # they start then and have results from 2025 on.
            self.write_unit(f"{code},{_csv_field(name)},{kind},{parent},,{SPECIAL_ZONES_FROM},,\n")
            self.emit_results(code, max(self.first_year, 2025), self.last_year)
            return
        self.write_unit(f"{code},{_csv_field(name)},{kind},{parent},,,,\n")
        if kind not in ("tinh", "huyen"):
            self.emit_results(code, self.first_year, self.last_year)

    def write_unit(self, line: str) -> None:
        lines = self.unit_lines
        lines.append(line)
        if len(lines) >= 8192:
            self.units_file.write("".join(lines))
            lines.clear()

    def leaf_row(self, code: str, name: str, kind: str, parent: str, subtype: str) -> None:
        # Rows are joined by hand: csv.writer is several times slower, and only a name or a
        # note can need quoting.
        if "," in name or '"' in name:
            name = _csv_field(name)
        if subtype:
            self.subtypes[subtype] += 1
        if self.random() < SHARE_EXTRAS:
            active_from, active_to, note, start_year, end_year = self.leaf_extras()
            note = _csv_field(note)
            self.write_unit(
                f"{code},{name},{kind},{parent},{subtype},{active_from},{active_to},{note}\n"
            )
            self.emit_results(code, start_year, end_year)
        else:
            self.write_unit(f"{code},{name},{kind},{parent},{subtype},,,\n")
            self.emit_results(code, self.first_year, self.last_year)

    def result_pools(self) -> list[list[str]]:
        """Pre-drawn result rows (all but code and year) for each of RESULT_LEVELS levels.

        A unit draws its level once and keeps it from year to year, so units differ in how
        many consecutive years they meet the standard; weak units miss it more often. Drawing
        each year's row from its level's pool is what makes three million rows cheap.
        """
        random_ = self.result_rng.random
        pools = []
        for level in range(RESULT_LEVELS):
            quality = 79.0 + 9.0 * NormalDist().inv_cdf((level + 0.5) / RESULT_LEVELS)
            risk = 0.03 + max(0.0, 72.0 - quality) * 0.012
            pool = []
            for _ in range(RESULT_POOL):
                safe = random_() >= risk
                score = quality + 4.0 * NORMAL[int(random_() * len(NORMAL))]
                if not safe:
                    score -= 12.0 + 10.0 * random_()
                score = min(100.0, max(0.0, score))
                if random_() < 0.04:
                    half = int(score * 2.0 + 0.5)
                else:
                    half = 2 * int(score + 0.5)
                klass = CLASS_BY_HALF_POINT[half]
                score_text = SCORE_TEXT_BY_HALF_POINT[half]
                safety = "dat" if safe else "chua_dat"
                roll = random_()
                if roll < 0.02:
                    klass = ""  # the importer derives it from the score
                elif roll < 0.10:
                    score_text = ""
                elif roll < 0.115:
                    klass = CLASS_LABELS[klass]
                    if roll < 0.1075:
                        safety = SAFETY_LABELS[safety]
                decision = ""
                roll = random_()
                if safe and roll < 0.18:
                    issuer = "QĐ-UBND" if roll < 0.144 else "QĐ-BCĐ" if roll < 0.162 else "QĐ-CAT"
                    decision = f"{int(random_() * 3999) + 1}/{issuer}"
                note = ""
                if random_() < 0.01:
                    note = RESULT_NOTES_CSV[int(random_() * len(RESULT_NOTES_CSV))]
                pool.append(f",{safety},{klass},{score_text},{decision},{note}\n")
            pools.append(pool)
        return pools

    def emit_results(self, code: str, start_year: int, end_year: int) -> None:
        """Results for the years the unit is active on 15 November."""
        buffers = self.buffers
        if not buffers:
            return
        random_ = self.result_rng.random
        pool = self.pools[int(random_() * RESULT_LEVELS)]
        first = self.first_year
        for year in range(start_year, end_year + 1):
            buffers[year - first].append(f"{code},{year}{pool[int(random_() * RESULT_POOL)]}")
        self.pending += 1
        if self.pending >= 8192:
            self.flush()

    def flush(self) -> None:
        for buffer, handle in zip(self.buffers, self.result_files, strict=True):
            self.results += len(buffer)
            handle.write("".join(buffer))
            buffer.clear()
        self.pending = 0

    # --- structure ---------------------------------------------------------------------

    def run(self, units_file, result_files: list) -> None:
        rng = self.rng
        plan = self.plan
        self.result_files = result_files
        self.buffers = [[] for _ in result_files]
        if result_files:
            self.pools = self.result_pools()
        self.units_file = units_file
        units_file.write(",".join(UNITS_HEADER) + "\n")

        # A smaller roster takes provinces spread evenly over the country.
        count = plan["provinces"]
        chosen = [PROVINCES[int((i + 0.5) * len(PROVINCES) / count)] for i in range(count)]
        for code, name, _capital, _region in chosen:
            self.parent_row(code, name, "tinh", "")

        districts = self.make_districts(chosen)
        width = max(3, len(str(len(districts))))
        for number, district in enumerate(districts, start=1):
            district["code"] = f"{number:0{width}d}"
            self.parent_row(district["code"], district["name"], "huyen", district["province"][0])

        communes = self.make_communes(districts)
        # Official commune codes are 5 digits and step by 3 ("00001", "00004", …).
        width = max(5, len(str(3 * len(communes))))
        for number, commune in enumerate(communes):
            commune["code"] = f"{1 + 3 * number:0{width}d}"
            self.parent_row(
                commune["code"], commune["name"], commune["kind"], commune["district"]["code"]
            )

        weights = [
            {"xa": 1.0, "thi_tran": 1.1, "phuong": 0.9, "dac_khu": 0.6}[c["kind"]]
            * rng.uniform(0.5, 1.5)
            for c in communes
        ]
        for commune, count in zip(communes, allocate(plan["khu_dan_cu"], weights), strict=True):
            self.residential_areas(commune, count)

        # Agencies, enterprises and schools, grouped by the district or commune managing them.
        parents = []
        for district in districts:
            parents.append(district)
            parents.extend(district["communes"])
        body_w, firm_w, school_w = [], [], []
        for parent in parents:
            jitter = rng.uniform(0.5, 1.5)
            if parent["kind"] == "huyen":
                body_w.append(6.0 * jitter)
                firm_w.append(3.0 * jitter)
                school_w.append(1.6 * jitter)
            else:
                body_w.append(1.0 * jitter)
                firm_w.append(
                    {"phuong": 5.0, "thi_tran": 3.0, "dac_khu": 2.0, "xa": 1.0}[parent["kind"]]
                    * rng.uniform(0.3, 1.7)
                )
                school_w.append((1.2 if parent["kind"] == "phuong" else 1.0) * jitter)
        bodies = allocate(plan["co_quan"], body_w)
        firms = allocate(plan["doanh_nghiep"], firm_w)
        schools = allocate(plan["co_so_giao_duc"], school_w)
        for index, parent in enumerate(parents):
            used: set[str] = set()
            self.agencies(parent, bodies[index], used)
            self.schools(parent, schools[index], used)
            self.enterprises(parent, firms[index], used)
        units_file.write("".join(self.unit_lines))
        self.unit_lines.clear()
        self.flush()

    def make_districts(self, provinces) -> list[dict]:
        rng = self.rng
        weights = [DISTRICT_WEIGHT.get(p[0], 1.0) * rng.uniform(0.6, 1.4) for p in provinces]
        districts = []
        for province, count in zip(
            provinces, allocate(self.plan["districts"], weights, 1), strict=True
        ):
            code, _name, capital, region = province
            used: set[str] = set()
            numbered = code == "79"
            for index in range(count):
                if capital is None:
                    roll = rng.random()
                    if numbered and index < 12:
                        kind, bare = "quan", str(index + 1)
                    elif index == count - 1 and count > 4:
                        kind = {"79": "thanh_pho", "01": "thi_xa"}.get(code, "quan")
                        bare = None
                    elif roll < 0.5:
                        kind, bare = "quan", None
                    else:
                        kind, bare = "huyen", None
                elif index == 0:
                    kind, bare = "thanh_pho", capital
                else:
                    roll = rng.random()
                    kind = "thi_xa" if roll < 0.10 else "thanh_pho" if roll < 0.15 else "huyen"
                    bare = None
                while bare is None or bare in used:
                    bare = self.styled(self.place(region))
                used.add(bare)
                districts.append(
                    {"province": province, "type": kind, "bare": bare, "region": region}
                )
        if "huyen" not in {d["type"] for d in districts}:
            last = districts[-1]
            last["type"] = "huyen"
            if last["bare"] == last["province"][2]:
                last["bare"] = self.styled(self.place(last["region"]))
        if not {"quan", "thanh_pho", "thi_xa"} & {d["type"] for d in districts}:
            districts[0]["type"] = "thanh_pho"
        prefixes = {
            "huyen": "Huyện",
            "quan": "Quận",
            "thi_xa": "Thị xã",
            "thanh_pho": "Thành phố",
        }
        for district in districts:
            prefix = prefixes[district["type"]]
            district["kind"] = "huyen"
            district["name"] = f"{prefix} {district['bare']}"
            district["loc"] = f"{prefix.lower()} {district['bare']}"
            if district["bare"].isdigit():
                district["bare"] = district["name"]
        return districts

    def make_communes(self, districts) -> list[dict]:
        rng = self.rng
        size = {"quan": 0.9, "thanh_pho": 1.2, "thi_xa": 1.0, "huyen": 1.3}
        weights = [size[d["type"]] * rng.uniform(0.6, 1.4) for d in districts]
        counts = allocate(self.plan["communes"], weights, 3)
        rural = [i for i, d in enumerate(districts) if d["type"] == "huyen"]
        islands = max(1, round(self.plan["communes"] * 0.003))
        islands = min(islands, len(rural))
        island_at = {rural[(2 * i + 1) * len(rural) // (2 * islands)] for i in range(islands)}
        island_names = iter(ISLANDS)
        communes = []
        for index, (district, count) in enumerate(zip(districts, counts, strict=True)):
            kinds = []
            if district["type"] == "quan":
                kinds = ["phuong"] * count
            elif district["type"] in ("thanh_pho", "thi_xa"):
                share = 0.75 if district["type"] == "thanh_pho" else 0.55
                kinds = ["phuong"] + [
                    "phuong" if rng.random() < share else "xa" for _ in range(count - 1)
                ]
            else:
                towns = 2 if count >= 8 and rng.random() < 0.15 else 1
                kinds = ["thi_tran"] * towns + ["xa"] * (count - towns)
                if index in island_at:
                    kinds[-1] = "dac_khu"
            numbered = district["province"][0] == "79" and district["type"] == "quan"
            used: set[str] = set()
            district["communes"] = []
            for position, kind in enumerate(kinds):
                if kind == "thi_tran" and position == 0:
                    bare = district["bare"]
                elif kind == "dac_khu":
                    bare = next(island_names, None)
                elif numbered and kind == "phuong":
                    bare = str(position + 1)
                else:
                    bare = None
                while bare is None or bare in used:
                    bare = self.styled(self.place(district["region"]))
                used.add(bare)
                prefix = {
                    "xa": "Xã",
                    "phuong": "Phường",
                    "thi_tran": "Thị trấn",
                    "dac_khu": "Đặc khu",
                }[kind]
                loc = f"{prefix.lower()} {bare}"
                if bare.isdigit():
                    loc = f"{loc}, {district['loc']}"
                commune = {
                    "kind": kind,
                    "name": f"{prefix} {bare}",
                    "bare": bare if not bare.isdigit() else f"Phường {bare}",
                    "loc": loc,
                    "district": district,
                    "region": district["region"],
                }
                district["communes"].append(commune)
                communes.append(commune)
        return communes

    def residential_areas(self, commune: dict, count: int) -> None:
        if not count:
            return
        self.counts["khu_dan_cu"] += count
        random_ = self.random
        region = commune["region"]
        if commune["kind"] in ("phuong", "thi_tran"):
            word = "Khu phố" if region == "south" else "Tổ dân phố"
        elif region == "south":
            word = "Ấp"
        elif region == "mountain" and random_() < 0.5:
            word = "Bản"
        elif random_() < 0.1:
            word = "Làng"
        else:
            word = "Thôn"
        numbered = random_() < 0.45
        used: set[str] = set()
        parent = commune["code"]
        for number in range(1, count + 1):
            if numbered:
                name = f"{word} {number}" if random_() < 0.8 else f"{word} số {number}"
            else:
                roll = random_()
                if roll < 0.08:
                    bare = f"{self.pick(PLACE)} {self.pick(DIRECTIONS)}"
                elif roll < 0.12:
                    bare = f"{self.place(region)} {int(random_() * 4) + 1}"
                else:
                    bare = self.place(region)
                name = self.styled(f"{word} {bare}")
            name = self.unique(name, used)
            self.leaf_row(self.code("KDC"), name, "khu_dan_cu", parent, "")

    @staticmethod
    def fields(parent: dict) -> dict[str, str]:
        """What templates may say of the managing unit: {loc} "xã Tân Lập", {bare} "Tân Lập"."""
        province = (
            parent["province"] if parent["kind"] == "huyen" else parent["district"]["province"]
        )
        province_bare = province[1].removeprefix("Tỉnh ").removeprefix("Thành phố ")
        return {"loc": parent["loc"], "bare": parent["bare"], "province": province_bare}

    def agencies(self, parent: dict, count: int, used: set[str]) -> None:
        """Cơ quan: the fixed bodies every district or commune has, in random order, then
        other bodies once those run out."""
        self.counts["co_quan"] += count
        is_district = parent["kind"] == "huyen"
        fields = self.fields(parent)
        fixed = DISTRICT_BODIES if is_district else COMMUNE_BODIES
        order = list(range(len(fixed)))
        self.rng.shuffle(order)
        more = self.pick_district_more if is_district else self.pick_commune_more
        for index in range(count):
            forced = self.forced["co_quan"]
            if forced:
                template, subtype = forced.pop(0)
                order = [i for i in order if fixed[i][0] != template]
                order.insert(0, -1)  # the forced body takes the first slot
            elif index < len(order):
                template, subtype = fixed[order[index]][:2]
            else:
                template, subtype = more()
            name = template.format(
                p=self.place(parent["region"]), n=int(self.random() * 29) + 1, **fields
            )
            name = self.unique(self.styled(name), used)
            self.leaf_row(self.code("CQ"), name, "co_quan", parent["code"], subtype)

    def schools(self, parent: dict, count: int, used: set[str]) -> None:
        self.counts["co_so_giao_duc"] += count
        fields = self.fields(parent)
        pick_school = (
            self.pick_district_school if parent["kind"] == "huyen" else self.pick_commune_school
        )
        pick = self.pick
        for _ in range(count):
            forced = self.forced["co_so_giao_duc"]
            template, subtype = forced.pop(0) if forced else pick_school()
            name = template.format(
                person=pick(PERSONS),
                flower=pick(FLOWERS),
                n=int(self.random() * 3) + 1,
                field=pick(FIELDS),
                region=pick(UNIVERSITIES),
                **fields,
            )
            name = self.unique(self.styled(name), used)
            self.leaf_row(self.code("GD"), name, "co_so_giao_duc", parent["code"], subtype)

    def enterprises(self, parent: dict, count: int, used: set[str]) -> None:
        """Doanh nghiệp: three rows in four of the roster, so this loop is inlined by hand."""
        self.counts["doanh_nghiep"] += count
        fields = self.fields(parent)
        bare, province, parent_code = fields["bare"], fields["province"], parent["code"]
        random_ = self.random
        forms, form_cuts = self.pick_form.values, self.pick_form.cumulative
        form_total = self.pick_form.total
        forced = self.forced["doanh_nghiep"]
        brands, businesses, coops = BRAND, BUSINESS, COOP_LINES
        n_brand, n_business, n_coop = len(brands), len(businesses), len(coops)
        tiny_cut, small_cut = ENTERPRISE_SUBTYPE_CUTS
        write_unit, extras, emit_results = self.write_unit, self.leaf_extras, self.emit_results
        first, last = self.first_year, self.last_year
        with_results = bool(self.buffers)
        serial = self.serial["DN"]
        tiny = small = 0
        for _ in range(count):
            roll = random_()
            if forced:
                subtype = forced.pop(0)
            elif roll < tiny_cut:
                subtype = "doanh_nghiep_sieu_nho"
            elif roll < small_cut:
                subtype = "doanh_nghiep_nho"
            else:
                subtype = ""
            if subtype:
                if subtype == "doanh_nghiep_nho":
                    small += 1
                else:
                    tiny += 1
            form = forms[bisect(form_cuts, random_() * form_total)][0]
            for _attempt in range(3):
                business = int(random_() * n_business)
                brand = f"{brands[int(random_() * n_brand)]} {brands[int(random_() * n_brand)]}"
                name = form(businesses[business], brand, bare, province, coops[business % n_coop])
                if name not in used:
                    break
            if random_() < SHARE_NEW_TONE_STYLE:
                name = new_tone_style(name)
            if name in used:
                name = self.unique(name, used)
            else:
                used.add(name)
            if "," in name:
                name = _csv_field(name)
            serial += 1
            code = f"DN{serial:07d}"
            if random_() < SHARE_EXTRAS:
                active_from, active_to, note, start_year, end_year = extras()
                note = _csv_field(note)
                write_unit(
                    f"{code},{name},doanh_nghiep,{parent_code},{subtype},"
                    f"{active_from},{active_to},{note}\n"
                )
                emit_results(code, start_year, end_year)
            else:
                write_unit(f"{code},{name},doanh_nghiep,{parent_code},{subtype},,,\n")
                if with_results:
                    emit_results(code, first, last)
        self.serial["DN"] = serial
        self.subtypes["doanh_nghiep_sieu_nho"] += tiny
        self.subtypes["doanh_nghiep_nho"] += small


def generate(
    out_dir: str | os.PathLike,
    units: int = REFERENCE_UNITS,
    years: int = 3,
    first_year: int = 2023,
    seed: int = 20240117,
    results: bool = True,
) -> dict:
    """Write units.csv (and results.csv) into out_dir; return counts and timing."""
    started = time.perf_counter()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    generator = Generator(units, years, first_year, seed)
    units_path = out / "units.csv"
    results_path = out / "results.csv"
    parts = {year: out / f".results-{year}.part" for year in generator.years} if results else {}
    handles = []
    try:
        handles = [
            open(path, "w", encoding="utf-8", newline="", buffering=1 << 20)
            for path in parts.values()
        ]
        with open(units_path, "w", encoding="utf-8", newline="", buffering=1 << 20) as handle:
            generator.run(handle, handles)
        for handle in handles:
            handle.close()
        if results:
            with open(results_path, "w", encoding="utf-8", newline="") as target:
                target.write(",".join(RESULTS_HEADER) + "\n")
                for path in parts.values():
                    with open(path, encoding="utf-8", newline="") as part:
                        while chunk := part.read(1 << 22):
                            target.write(chunk)
    finally:
        for handle in handles:
            handle.close()
        for path in parts.values():
            path.unlink(missing_ok=True)
    kinds = {kind: generator.counts[kind] for kind in KIND_ORDER}
    return {
        "units": sum(kinds.values()),
        "kinds": kinds,
        "subtypes": dict(sorted(generator.subtypes.items())),
        "results": generator.results if results else 0,
        "units_path": str(units_path),
        "results_path": str(results_path) if results else None,
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Generate a deterministic national roster (units.csv) and yearly results "
        "(results.csv) for the movement benchmarks.",
        epilog="example: python benchmarks/make_data.py --units 1000000 --out /tmp/bench",
    )
    parser.add_argument("--units", type=int, default=REFERENCE_UNITS, help="rows in units.csv")
    parser.add_argument("--years", type=int, default=3, help="years of results (default 3)")
    parser.add_argument("--first-year", type=int, default=2023, help="first result year")
    parser.add_argument("--seed", type=int, default=20240117, help="random seed")
    parser.add_argument("--out", required=True, help="output folder (created if missing)")
    parser.add_argument("--no-results", action="store_true", help="write units.csv only")
    args = parser.parse_args(argv)
    if args.years < 1:
        parser.error("--years must be at least 1")
    try:
        plan_counts(args.units)
    except ValueError as error:
        parser.error(str(error))
    summary = generate(
        args.out, args.units, args.years, args.first_year, args.seed, not args.no_results
    )
    kinds = " ".join(f"{kind}={count}" for kind, count in summary["kinds"].items())
    print(
        f"make_data: {summary['units']} units ({kinds}); {summary['results']} results; "
        f"{summary['seconds']:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
