"""Illustrative model-unit criteria sets, for the demo only.

The Ministry's model-unit lists are not in the public record (the bundled sets say so and are
incomplete), so the demo cannot finalise a year with them. It stands in the ANTT standard's
confirmed criteria of Thông tư 124/2021/TT-BCA for each kind — a fair stand-in, since a model
unit must first be ANTT-safe — under ids and titles that say "minh họa" (illustrative), and
marked ``illustrative: true`` so that every document they reach says so.
"""

from __future__ import annotations

from movement_cli.core.model import SafetyStandard

ID_PREFIX = "minh-hoa-tt124"


def illustrative_sets(standard: SafetyStandard) -> dict[str, dict]:
    """One model-unit criteria document per checklist of ``standard``, by file name."""
    sets: dict[str, dict] = {}
    for checklist in standard.checklists:
        name = "-".join(kind.replace("_", "-") for kind in checklist.kinds)
        label = checklist.title or ", ".join(checklist.kinds)
        sets[f"{ID_PREFIX}-{name}.yaml"] = {
            "id": f"{ID_PREFIX}-{name}",
            "kind": "model-unit",
            "version": 1,
            "title": f"Bộ tiêu chí MINH HỌA — {label} (tiêu chí tiêu chuẩn “An toàn về an "
                     "ninh, trật tự”, Thông tư 124/2021/TT-BCA; không phải Bộ tiêu chí "
                     "đơn vị điển hình của Bộ Công an)",
            "status": "provisional",
            "incomplete": False,
            "illustrative": True,
            "source": list(standard.sources),
            "note": "Bộ tiêu chí minh họa cho bản trình diễn (movement demo): dùng các tiêu "
                    "chí đã xác nhận của tiêu chuẩn “An toàn về an ninh, trật tự” thay cho "
                    "Bộ tiêu chí đơn vị điển hình chính thức, vốn không có trong nguồn công "
                    "khai. Không dùng để công nhận thật.",
            "applies_to": list(checklist.kinds),
            "pass_rule": "all",
            "items": [{"id": item.id, "title": item.title} for item in checklist.items],
        }
    return sets
