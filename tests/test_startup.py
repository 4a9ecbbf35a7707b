"""`movement --help` must stay fast: it imports none of the heavy libraries."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

HEAVY = ("jinja2", "yaml", "docxtpl", "docx", "openpyxl", "python_calamine", "sqlite_utils")

PROBE = """
import sys
sys.argv = ["movement", *{args!r}]
try:
    from movement_cli.launch import run
    run()
except SystemExit:
    pass
print(sorted(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("args", [["--help"], ["units", "--help"], ["units", "import", "--help"]])
def test_help_imports_no_heavy_library(args, language):
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=HEAVY)],
                            capture_output=True, text=True, check=True,
                            env={**os.environ, "MOVEMENT_LANG": language})
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert ("Cách dùng:" in result.stdout) == (language == "vi")


# Ours, but large to load and not needed to parse a command line: the model's dataclasses,
# the legacy-font tables, the collation.
OWN_HEAVY = ("movement_cli.core.model", "movement_cli.text.legacy", "movement_cli.text.collation")


@pytest.mark.parametrize("args", [["--help"], ["recognize", "import", "--help"],
                                  ["select", "--year", "1800"]])
def test_parsing_a_command_line_loads_none_of_our_heavy_modules(args):
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=OWN_HEAVY)],
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "[]"
