"""When a dated row is valid: the one SQL definition of "active on a day".

A unit version holds from ``active_from`` to ``active_to``, both days included, an empty
(NULL) bound being open. Every query that asks which version holds on a day builds its
condition here, so the rule is written once.
"""

from __future__ import annotations


def active_on(day: str = ":day", table: str = "") -> str:
    """The condition that the row of ``table`` (an alias, or "" for the only table) is valid
    on ``day``: a named parameter such as ":day", or any SQL expression giving an ISO date."""
    column = f"{table}." if table else ""
    return (f"(({column}active_from IS NULL OR {column}active_from <= {day}) "
            f"AND ({column}active_to IS NULL OR {column}active_to >= {day}))")


# The codes under :scope at any depth by parent_code as valid on :day (and :scope itself), as
# a recursive CTE named ``tree(code)``: put it after WITH RECURSIVE.
SCOPE_TREE = (
    "tree(code) AS (SELECT :scope UNION "
    "SELECT c.code FROM unit_versions c JOIN tree t ON c.parent_code = t.code "
    f"WHERE {active_on(':day', 'c')})"
)
