"""The lesson as finishing reads it: the timeline and the MP3, each made once for every output of
a guide, from the clip cache or from files an earlier build left.

Which of those a guide's finishing needs follows from what its steps read (`Reads`): the cluster
packs exactly the files named here, and finishing reads exactly those.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from publish.config import Config
from publish.outputs.base import Reads, Step
from publish.outputs.files import GuideFiles

if TYPE_CHECKING:
    from publish.audio.timeline import Timeline
    from publish.speech.plan import LessonPlan


def _reading(steps: Iterable[Step], needed: Reads) -> bool:
    return any(needed in step.output.reads for step in steps)


def assembles(steps: Iterable[Step]) -> bool:
    """The steps make the lesson's audio from its clips (and so its timeline)."""
    return _reading(steps, Reads.CLIPS)


def needs_clips(steps: tuple[Step, ...], timeline_current: bool) -> bool:
    return assembles(steps) or (not timeline_current and _reading(steps, Reads.TIMELINE))


def earlier_files(steps: tuple[Step, ...], files: GuideFiles, timeline_current: bool) -> list[Path]:
    """Outputs of earlier builds that finishing these steps reads: the timeline, and the MP3 a book carries."""
    if assembles(steps):
        return []
    wanted = [files.timeline] if timeline_current and _reading(steps, Reads.TIMELINE) else []
    return wanted + ([files.mp3] if _reading(steps, Reads.MP3) else [])


class LessonMaterial:
    """What a guide's outputs read, made on first use. Assembling the lesson starts its mastering
    and encoding in the background, so the documents are made while the MP3 is encoded."""

    def __init__(self, config: Config, plan: "LessonPlan", files: GuideFiles, steps: tuple[Step, ...],
                 timeline_current: bool):
        self.config, self.plan, self.files = config, plan, files
        self._assembles = assembles(steps)
        self._timeline_current = timeline_current
        self._timeline: Timeline | None = None
        self._mp3: Future | None = None
        self._background = ThreadPoolExecutor(max_workers=1)

    def __enter__(self) -> "LessonMaterial":
        return self

    def __exit__(self, *exc) -> None:
        self._background.shutdown(cancel_futures=True)

    def timeline(self) -> "Timeline":
        if self._timeline is None:
            if self._assembles:
                self._assemble()
            elif self._timeline_current:
                from publish.audio.timeline import read_timeline

                self._timeline = read_timeline(self.files.timeline)
            else:
                from publish.audio.assemble import lesson_timeline

                self._timeline = lesson_timeline(self.plan, self._clips(), self.config.audio)
        assert self._timeline is not None
        return self._timeline

    def mp3(self) -> bytes:
        """The tagged MP3: encoded now, or the one an earlier build wrote (a book's audio)."""
        if not self._assembles:
            return self.files.mp3.read_bytes()
        self.timeline()
        assert self._mp3 is not None
        return self._mp3.result()

    def _assemble(self) -> None:
        from publish.audio.assemble import assemble, encode_mp3
        from publish.outputs.tags import tag_mp3

        audio, guide = self.config.audio, self.plan.guide
        track, timeline = assemble(self.plan, self._clips(), audio)
        self._timeline = timeline
        self._mp3 = self._background.submit(
            lambda: tag_mp3(encode_mp3(track, audio), guide, timeline, self.config.site.author))

    def _clips(self) -> dict:
        from publish.speech.synth import ClipCache, synthesize

        clips: dict = {}
        # Every clip is in the cache by now; a damaged one is detected and made again here.
        for spec, jobs in self.plan.jobs_by_spec().items():
            clips.update(synthesize(jobs, spec, ClipCache(self.config.cache_dir), 1, self.config.audio.sample_rate,
                                    in_process=True).clips)
        return clips
