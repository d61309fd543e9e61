"""The live preview's first answer to an edit: the guide's page with the new text, before the new
sentences are spoken.

Its timeline places every sentence whose clip is in the cache at its real length and every other
at an estimated one, and then the page says the audio is updating. Only `publish serve` writes
such a page, and the state records it as provisional, so the real build that follows always
replaces it; `publish build` never writes one.
"""

from __future__ import annotations

from pathlib import Path

from publish.builder.pipeline import guide_files, write_page_files
from publish.builder.state import BuildState, build_lock, state_folder
from publish.config import Config
from publish.guide.model import Guide
from publish.outputs.manifest import GuideEntry
from publish.outputs.registry import PAGE, steps_named

# About how fast our voices speak, for sentences not spoken yet: characters of spoken text a second.
SPOKEN_CHARACTERS_PER_SECOND = 14.0


PROVISIONAL = "provisional"  # the state's key for such a page: never the key of a real build


def estimated_clips(config: Config, plan) -> tuple[dict, bool]:
    """Every job's clip: from the cache, or silence of the estimated length (without word timings);
    and whether any was estimated."""
    import numpy as np

    from publish.speech.synth import ClipCache, SpokenClip

    cache, rate = ClipCache(config.cache_dir), config.audio.sample_rate
    clips, estimated = {}, False
    for job in plan.jobs:
        cached = cache.get(job.key, rate)
        length = int(len(job.spoken) / SPOKEN_CHARACTERS_PER_SECOND * rate)
        clips[job.key] = cached if cached is not None else SpokenClip(np.zeros(max(length, rate // 10), np.int16))
        estimated = estimated or cached is None
    return clips, estimated


def write_provisional_page(config: Config, guide: Guide) -> Path:
    """The guide's page with a provisional timeline, over the last one; returns its path."""
    from publish.audio.assemble import lesson_timeline
    from publish.outputs.page import page_files
    from publish.speech.plan import plan_lesson

    plan = plan_lesson(guide, config.audio, config.root)
    clips, estimated = estimated_clips(config, plan)
    timeline = lesson_timeline(plan, clips, config.audio)
    files = guide_files(config, guide)
    folder = state_folder(config.cache_dir, config.output_dir)
    with build_lock(folder, config.output_dir):
        state = BuildState(folder)
        entry = GuideEntry(guide, files, steps_named(state.steps(guide.slug) | {PAGE.name}, files), False, timeline)
        write_page_files(files, page_files(config, entry, provisional=estimated))
        state.record(guide.slug, {PAGE.name: PROVISIONAL})
    return files.page
