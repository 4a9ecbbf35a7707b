"""What an import did, for the command to print: the same report for rosters and results."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ImportReport:
    file: str
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {"added": self.added, "updated": self.updated, "unchanged": self.unchanged,
                "file": self.file}
