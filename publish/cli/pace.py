"""The build summary's lines on each lesson's pace, read back from the timelines it wrote."""

from __future__ import annotations

import json
from pathlib import Path


def pace_lines(slugs: list[str], output: Path) -> list[str]:
    """`pace (words a minute): slug 158, …`, and `pace (characters a minute): …` for lessons in
    Chinese or Japanese, for the guides whose lesson is built in `output`. Only the timeline's
    `pace` is read: building the whole timeline would cost a build with nothing to do a tenth of
    its time."""
    from publish.outputs.files import GuideFiles

    by_unit: dict[str, list[str]] = {}
    for slug in slugs:
        try:
            pace = json.loads(GuideFiles(output, slug).timeline.path.read_text(encoding="utf-8")).get("pace", {})
            per_minute, unit = pace["per_minute"], pace["unit"]
        except (OSError, ValueError, TypeError, KeyError):
            continue
        if isinstance(per_minute, (int, float)) and per_minute > 0 and isinstance(unit, str):
            by_unit.setdefault(unit, []).append(f"{slug} {per_minute:.0f}")
    return [f"pace ({unit} a minute): {', '.join(paces)}" for unit, paces in by_unit.items()]
