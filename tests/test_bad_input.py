"""Property-based: random and malformed rosters never crash the importer, and a failed run
changes nothing."""

from __future__ import annotations

import sqlite3

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

CELLS = st.one_of(
    st.sampled_from(["", " ", "xa", "Phường", "Thôn", "Thành phố", "tinh", "huyen", "co_quan",
                     "=1+1", "@SUM(A1)", "-2", "01/07/2025", "2025-13-01", "31/02/2024",
                     "luc_luong_vu_trang", "rat_lon", "474", "46", "Ph\u00adêng", "Phöôøng",
                     "Thu\u0309y", "\u200bXã\u00a0Một", "x" * 5000, '"', ";", "\t"]),
    st.text(max_size=30),
)
ROW = st.lists(CELLS, min_size=0, max_size=8)
HEADERS = st.sampled_from([
    "code,name,kind,parent_code,subtype,active_from,active_to,note",
    "mã,tên,loại", "code,name", "name,kind,code,extra", ""])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"])


def _state(db):
    conn = sqlite3.connect(db)
    try:
        return (conn.execute("SELECT * FROM unit_versions ORDER BY code, version").fetchall(),
                conn.execute("SELECT COUNT(*) FROM audit").fetchone())
    finally:
        conn.close()


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(header=HEADERS, rows=st.lists(ROW, max_size=12), encoding=ENCODINGS,
       delimiter=st.sampled_from([",", ";", "\t"]))
def test_any_roster_ends_in_exit_0_or_1_and_a_failed_run_changes_nothing(
        cli, hue_2024, tmp_path, header, rows, encoding, delimiter):
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if header:
        writer.writerow(header.split(","))
    writer.writerows(rows)
    path = tmp_path / "random.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    before = _state(hue_2024)
    result = cli("units", "import", path, "--as-of", "2024-01-01", code=None)
    assert result.exit_code in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 1:
        assert _state(hue_2024) == before
