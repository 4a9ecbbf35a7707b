"""JSON output: one document, compact through a pipe, indented on a terminal, the same data
either way; long lists streamed without changing a byte."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys

import pytest

from movement_cli.cli.jsonout import SLICE, write_json

RESULTS_2023 = """code,year,safety,class,score,decision
19798,2023,dat,xuat_sac,95,12/QĐ-UBND
CQ002,2023,dat,xuat_sac,92.5,
19906,2023,dat,kha,78,
19924,2023,chua_dat,kha,75,
"""


def _document(lazy: bool) -> dict:
    def rows(n):
        made = ({"code": f"{i:05d}", "name": "Phường Thuỷ Xuân \"Ấp\"", "score": i / 2,
                 "reasons": ["no_result"], "none": None} for i in range(n))
        return made if lazy else list(made)

    return {"year": 2024, "scope": None, "groups": [{"name": "xa", "selected": []}],
            "inner": {"empty": rows(0), "one": rows(1), "flag": True},
            "eligible": rows(2 * SLICE + 3), "ineligible": rows(SLICE), "end": {}}


@pytest.mark.parametrize("indent", [None, 2])
def test_streamed_lists_give_the_bytes_json_dumps_gives(indent):
    written: list[str] = []
    write_json(_document(lazy=True), written.append, indent=indent)
    expected = json.dumps(_document(lazy=False), ensure_ascii=False, indent=indent,
                          separators=(",", ":") if indent is None else None)
    assert "".join(written) == expected + "\n"


def test_a_streamed_document_is_written_in_slices_not_at_once():
    written: list[str] = []
    write_json({"units": iter([{"code": str(i)} for i in range(5 * SLICE)])}, written.append)
    assert len(written) > 5
    assert max(map(len, written)) < 30 * SLICE


@pytest.fixture
def hue_results(cli, hue_2024, tmp_path):
    results = tmp_path / "results-2023.csv"
    results.write_text(RESULTS_2023, encoding="utf-8")
    cli("assess", "import", results)
    return hue_2024


def _on_terminal(args: list[str]) -> tuple[str, int]:
    """Run movement with stdout on a pseudo-terminal, as a person at a shell would."""
    main, secondary = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "movement_cli", *args], stdout=secondary,
                               stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    os.close(secondary)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the terminal is gone once the process has exited
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(main)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n"), process.wait()


COMMANDS = [
    ["units", "list", "--as-of", "2024-01-01"],
    ["units", "show", "19798"],
    ["assess", "list", "--year", "2023"],
    ["select", "--year", "2024", "--dry-run"],
    ["status", "--year", "2024"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
def test_piped_json_is_compact_and_the_same_document_as_on_a_terminal(hue_results, command):
    piped = subprocess.run([sys.executable, "-m", "movement_cli", *command, "--json"],
                           capture_output=True, text=True, encoding="utf-8")
    assert piped.returncode in (0, 3), piped.stderr
    shown, code = _on_terminal([*command, "--json"])
    assert code == piped.returncode
    document = json.loads(piped.stdout)
    assert document
    assert piped.stdout == json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert "\n  " in shown
    assert json.loads(shown) == document


@pytest.mark.parametrize("command", [["units", "list", "--as-of", "2024-01-01"],
                                     ["assess", "list", "--year", "2023"]],
                         ids=["units list", "assess list"])
def test_a_long_listing_is_a_plain_aligned_table_in_the_order_of_the_json(
        cli, hue_results, monkeypatch, command):
    from movement_cli.cli import longtable

    listed = cli.json(*command)
    monkeypatch.setattr(longtable, "SHORT_ROWS", 3)
    lines = cli(*command).stdout.splitlines()
    header, rule, rows, footer = lines[0], lines[1], lines[2:-1], lines[-1]
    assert header.split()[:3] == ["code", "name", "kind"]
    assert set(rule) <= {"-", " "}
    assert footer.startswith(f"{len(listed)} ")
    assert [row.split()[0] for row in rows] == [item["code"] for item in listed]
    # Every kind (shown by its name) starts in the same column, after the widest name.
    from movement_cli.core.labels import kind_label

    kind_at = header.index("kind")
    assert all(row[kind_at:].startswith(kind_label(item["kind"]))
               for row, item in zip(rows, listed, strict=True))
    assert max(len(item["name"] or "") for item in listed) < kind_at


def test_a_short_listing_is_still_a_boxed_table(cli, hue_results):
    lines = cli("assess", "list", "--year", "2023").stdout.splitlines()
    assert "results for 2023" in lines[0] and "┏" in lines[1]
