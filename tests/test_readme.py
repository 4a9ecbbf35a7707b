"""The README's CLI reference is generated from the code and must not go stale."""

from __future__ import annotations

from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_cli_reference_in_readme_is_current():
    from movement_cli.cli.reference import BEGIN, END, block

    text = README.read_text(encoding="utf-8")
    current = text[text.index(BEGIN):text.index(END) + len(END)]
    assert current == block(), "run: python -m movement_cli.cli.reference README.md"


def test_readme_opens_with_the_demo_and_test_commands():
    opening = README.read_text(encoding="utf-8")[:1500]
    assert "movement demo" in opening
    assert 'pip install ".[test]" && pytest' in opening
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert 'pip install ".[test]" && pytest' in ci
