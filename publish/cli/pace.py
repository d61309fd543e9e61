"""The build summary's line on each lesson's pace, read back from the timelines it wrote."""

from __future__ import annotations

from pathlib import Path


def pace_line(slugs: list[str], output: Path) -> str | None:
    """`pace: slug 158 words a minute, …` for the guides whose lesson is built in `output`."""
    from publish.audio.timeline import read_timeline
    from publish.outputs.files import GuideFiles

    timelines = [(slug, read_timeline(GuideFiles(output, slug).timeline)) for slug in slugs]
    paces = [f"{slug} {timeline.words_per_minute:.0f}" for slug, timeline in timelines if timeline and timeline.turns]
    return f"pace (words a minute): {', '.join(paces)}" if paces else None
