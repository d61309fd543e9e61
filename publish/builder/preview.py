"""The live preview's first answer to an edit: the guide's page with the new text, before the new
sentences are spoken.

Its timeline places every sentence whose clip is in the cache at its real length and every other
at an estimated one, and then the page says the audio is updating. Only `publish serve` writes
such a page, and the state records it as provisional, so the real build that follows always
replaces it; `publish build` never writes one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from publish.builder.pipeline import guide_files
from publish.builder.state import BuildState, build_lock, state_folder
from publish.config import Config
from publish.guide.model import Guide
from publish.outputs.base import Step
from publish.outputs.manifest import GuideEntry
from publish.outputs.page import PageMaterial
from publish.outputs.registry import PAGE, made_files, steps_named
from publish.writer import Writer

if TYPE_CHECKING:
    from publish.speech.clips import ClipShape
    from publish.speech.plan import LessonPlan

# About how fast our voices speak, for sentences not spoken yet: characters of spoken text a second.
SPOKEN_CHARACTERS_PER_SECOND = 14.0


PROVISIONAL = "provisional"  # the state's key for such a page: never the key of a real build


def estimated_clips(config: Config, plan: "LessonPlan") -> tuple[dict[str, "ClipShape"], bool]:
    """Every job's clip length and word times: from the cache, or the estimated length (without
    word timings); and whether any was estimated."""
    from publish.speech.clips import ClipCache, ClipShape

    cache, rate = ClipCache(config.cache_dir), config.audio.sample_rate
    clips, estimated = {}, False
    for job in plan.jobs:
        cached = cache.shape(job.key, rate)
        length = int(len(job.spoken) / SPOKEN_CHARACTERS_PER_SECOND * rate)
        clips[job.key] = cached if cached is not None else ClipShape(max(length, rate // 10))
        estimated = estimated or cached is None
    return clips, estimated


def write_provisional_page(config: Config, guide: Guide, writer: Writer) -> None:
    """The guide's page with a provisional timeline, over the last one, through `writer`."""
    from publish.audio.assemble import lesson_timeline
    from publish.speech.clips import ClipCache
    from publish.speech.plan import plan_preview

    cache = ClipCache(config.cache_dir)
    plan = plan_preview(guide, config.audio, config.root, None, lambda key: cache.path(key).is_file())
    clips, estimated = estimated_clips(config, plan)
    timeline = lesson_timeline(plan, clips, config.audio)
    files = guide_files(config, guide)
    folder = state_folder(config.cache_dir, config.output_dir)
    with build_lock(folder, config.output_dir):
        state = BuildState(folder)
        in_place = steps_named(state.steps(guide.slug), files)
        entry = GuideEntry(guide, files, in_place | {Step(PAGE, "")}, made_files(in_place, files) + (files.page,),
                           False, timeline)
        writer.write_all(PAGE.make(PageMaterial(config, entry, provisional=estimated), ""))
        state.record(guide.slug, {PAGE.name: PROVISIONAL})
