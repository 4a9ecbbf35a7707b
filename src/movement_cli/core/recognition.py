"""Year-end recognition (công nhận đơn vị điển hình): a selected unit is recognised when it
meets its criteria set — every criterion, or at least N when the set says so."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from movement_cli.core.model import ModelUnitSet


@dataclass(frozen=True, slots=True)
class RecognitionOutcome:
    """A unit's standing against its set; ``missing`` are criteria with no answer."""

    criteria_set: str
    met: int
    total: int
    missing: tuple[str, ...]
    recognized: bool

    def as_json(self) -> dict:
        return {
            "criteria_set": self.criteria_set,
            "met": self.met,
            "total": self.total,
            "missing": list(self.missing),
            "recognized": self.recognized,
        }


def evaluate(criteria_set: ModelUnitSet, answers: Mapping[str, bool]) -> RecognitionOutcome:
    """Count the criteria met; answers to ids outside the set are not counted."""
    ids = [item.id for item in criteria_set.items]
    met = sum(1 for criterion in ids if answers.get(criterion) is True)
    missing = tuple(criterion for criterion in ids if criterion not in answers)
    return RecognitionOutcome(criteria_set.id, met, len(ids), missing, met >= criteria_set.required)
