"""Floor of `movement select --year 2026 --dry-run --json`: the same document from one SQL query.

    python benchmarks/floors/select.py DATABASE > select.json

Eligibility, reason codes and rank come from CASE expressions and a window function in
SQLite; Python turns each row into its dict and writes the document once, compact, with the
C encoder. The policy (Huế's, the default) is written into the query, as a one-off script
would: that costs the tool a YAML file read, nothing per unit.
"""

import json
import sqlite3
import sys

YEAR, BASIS = 2026, 2025
DAY = f"{YEAR}-01-01"
# The 2026 groups in the policy's order (name, label, kinds, minimum); the group of a kind is
# its position here.
GROUPS = [("xa", "Xã", ["xa"], 1), ("phuong", "Phường", ["phuong"], 1),
          ("co_quan_dn_csgd", "Cơ quan, doanh nghiệp, cơ sở giáo dục",
           ["co_quan", "doanh_nghiep", "co_so_giao_duc"], 1),
          ("dac_khu", "Đặc khu", ["dac_khu"], 0)]

SQL = """
WITH streak AS (
  SELECT code, SUM(year + n = :basis) AS years FROM (
    SELECT code, year, ROW_NUMBER() OVER (PARTITION BY code ORDER BY year DESC) AS n
    FROM results WHERE year < :basis AND safety = 'dat') GROUP BY code),
facts AS (
  SELECT v.code, v.name, v.kind, r.safety, r.class, r.score, COALESCE(s.years, 0) AS years,
    CASE v.kind WHEN 'xa' THEN 0 WHEN 'phuong' THEN 1 WHEN 'dac_khu' THEN 3 ELSE 2 END AS g,
    COALESCE(v.subtype IN ('luc_luong_vu_trang', 'doanh_nghiep_nho', 'doanh_nghiep_sieu_nho',
                           'tieu_hoc', 'mam_non', 'nha_tre'), 0) AS excluded,
    (r.safety IS NULL OR r.class IS NULL) AS no_result,
    (r.safety IS NOT NULL AND r.class IS NOT NULL AND r.safety <> 'dat') AS unsafe,
    (r.safety IS NOT NULL AND r.class IS NOT NULL AND r.class NOT IN ('xuat_sac', 'kha'))
      AS below
  FROM unit_versions v
  LEFT JOIN results r ON r.code = v.code AND r.year = :basis
  LEFT JOIN streak s ON s.code = v.code
  WHERE (v.active_from IS NULL OR v.active_from <= :day)
    AND (v.active_to IS NULL OR v.active_to >= :day)
    AND v.kind IN ('xa', 'phuong', 'dac_khu', 'co_quan', 'doanh_nghiep', 'co_so_giao_duc')),
judged AS (SELECT *, NOT (excluded OR no_result OR unsafe OR below) AS ok FROM facts)
SELECT code, name, kind, g, safety, class, score, years, excluded, no_result, unsafe, below,
  CASE WHEN ok THEN ROW_NUMBER() OVER (
    PARTITION BY g, ok
    ORDER BY class <> 'xuat_sac', score IS NULL, score DESC, years DESC, code) END AS rank
FROM judged
ORDER BY ok DESC, g, rank, code
"""


def reasons(excluded, no_result, unsafe, below):
    names = ("excluded_subtype", "no_result", "safety_not_met", "class_below_minimum")
    flags = (excluded, no_result, unsafe, below)
    return [name for name, on in zip(names, flags, strict=True) if on]


REASONS = {flags: reasons(*flags) for flags in
           ((a, b, c, d) for a in (0, 1) for b in (0, 1) for c in (0, 1) for d in (0, 1))}

conn = sqlite3.connect(sys.argv[1])
eligible, ineligible = [], []
selected = [[] for _ in GROUPS]
for (code, name, kind, g, safety, klass, score, years, excluded, no_result, unsafe, below,
     rank) in conn.execute(SQL, {"basis": BASIS, "day": DAY}):
    if rank is None:
        ineligible.append({"code": code, "name": name, "kind": kind,
                           "reasons": REASONS[excluded, no_result, unsafe, below]})
        continue
    eligible.append({"code": code, "name": name, "kind": kind, "group": GROUPS[g][0],
                     "safety": safety, "class": klass, "score": score, "rank": rank,
                     "consecutive_safety_years": years})
    if rank <= GROUPS[g][3]:
        selected[g].append({"code": code, "name": name, "kind": kind})
document = {
    "year": YEAR, "basis_year": BASIS, "scope": None, "policy": "hue-593-2024",
    "status": "dry_run",
    "groups": [{"name": name, "label": label, "kinds": kinds, "min": least,
                "met": len(chosen) >= least, "selected": chosen}
               for (name, label, kinds, least), chosen in zip(GROUPS, selected, strict=True)],
    "eligible": eligible, "ineligible": ineligible, "decision": None}
sys.stdout.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n")
