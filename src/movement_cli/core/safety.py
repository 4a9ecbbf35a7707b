"""The commune rule of the ANTT standard: every unit a commune manages registered, and at
least 70% of them met the standard (Thông tư 124/2021/TT-BCA; the share and how it is
counted come from the standard's criteria file)."""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction

from movement_cli.core.model import ShareRule


def _share_at_least(part: int, whole: int, threshold: float) -> bool:
    # Exact arithmetic: 7 of 10 is 70% and meets a 0.7 threshold.
    return whole == 0 or Fraction(part, whole) >= Fraction(str(threshold))


def commune_rule_met(
    managed: Mapping[str, int],
    registered: Mapping[str, int],
    met: Mapping[str, int],
    rule: ShareRule,
) -> bool:
    """Counts per managed kind (khu_dan_cu, co_quan, …). With ``counting: together`` the
    shares are over all managed units; with ``per_kind`` each kind must reach them. A commune
    that manages no unit of a kind has nothing to fail for it."""
    kinds = rule.managed_kinds
    if rule.counting == "together":
        buckets = [
            (
                sum(managed.get(k, 0) for k in kinds),
                sum(registered.get(k, 0) for k in kinds),
                sum(met.get(k, 0) for k in kinds),
            )
        ]
    else:
        buckets = [(managed.get(k, 0), registered.get(k, 0), met.get(k, 0)) for k in kinds]
    return all(
        _share_at_least(reg, total, rule.registered) and _share_at_least(ok, total, rule.threshold)
        for total, reg, ok in buckets
    )
