"""InputProblem's one line, and the same line as one message (cron's report uses it)."""

from __future__ import annotations

import pytest

from movement_cli.errors import InputProblem
from movement_cli.i18n import N_


@pytest.mark.parametrize(
    ("row", "column", "expected"),
    [
        (4, "code", "roster.csv:4: code: missing value"),
        (0, "yaml", "roster.csv: yaml: missing value"),
        (0, "", "roster.csv: missing value"),
    ],
)
def test_line_and_message_agree(row: int, column: str, expected: str) -> None:
    problem = InputProblem("roster.csv", row, column, N_("missing value"))
    assert problem.line() == expected
    assert str(problem.as_message()) == expected
    assert problem.as_message().params["message"] is problem.message
