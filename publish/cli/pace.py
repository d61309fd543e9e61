"""The build summary's line on each lesson's pace, read back from the timelines it wrote."""

from __future__ import annotations

import json
from pathlib import Path


def pace_line(slugs: list[str], output: Path) -> str | None:
    """`pace (words a minute): slug 158, …` for the guides whose lesson is built in `output`. Only
    the timeline's `words_per_minute` is read: building the whole timeline would cost a build with
    nothing to do a tenth of its time."""
    from publish.outputs.files import GuideFiles

    paces = []
    for slug in slugs:
        try:
            pace = json.loads(GuideFiles(output, slug).timeline.path.read_text(encoding="utf-8")).get("words_per_minute")
        except (OSError, ValueError):
            continue
        if isinstance(pace, (int, float)) and pace > 0:
            paces.append(f"{slug} {pace:.0f}")
    return f"pace (words a minute): {', '.join(paces)}" if paces else None
