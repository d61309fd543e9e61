"""The lesson as finishing reads it: the timeline and the MP3, each made once for every output of
a guide, from the clip cache or from files an earlier build left. Outputs see it only through
`publish.outputs.base.Material`.

Finishing never speaks, here or on a cluster worker: every clip it reads is in the cache by then
(the build speaks what is missing first), and a missing one is an `InternalError`, never a
reason to load an engine. Assembly, mastering, encoding and tagging run here, in the build's
finishing step; which of them a guide needs follows from what its steps read (`Reads`), and the
cluster packs exactly the files named here.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Callable, Iterable

from publish.config import Config
from publish.errors import InternalError
from publish.outputs.base import Reads, Step
from publish.outputs.files import GuideFiles

if TYPE_CHECKING:
    import numpy as np

    from publish.audio.timeline import Timeline
    from publish.speech.clips import ClipShape
    from publish.speech.plan import LessonPlan, SentenceJob


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
    wanted = [files.timeline.path] if timeline_current and _reading(steps, Reads.TIMELINE) else []
    return wanted + ([files.mp3.path] if _reading(steps, Reads.MP3) else [])


def _missing(job: "SentenceJob") -> InternalError:
    return InternalError(f"{job.where}: the clip of “{job.spoken[:60]}” is not in the speech cache when the guide "
                         "is finished (finishing never speaks) — build again; if it recurs, report it")


def clip_shapes(config: Config, plan: "LessonPlan") -> dict[str, "ClipShape"]:
    """Every clip's length and word times, from the cache (without their samples); a missing one is
    the build's fault."""
    from publish.speech.clips import ClipCache

    cache, rate = ClipCache(config.cache_dir), config.audio.sample_rate
    shapes: dict[str, ClipShape] = {}
    for job in plan.jobs:
        if job.key not in shapes:
            shape = cache.shape(job.key, rate)
            if shape is None:
                raise _missing(job)
            shapes[job.key] = shape
    return shapes


def clip_reader(config: Config, plan: "LessonPlan") -> Callable[[str], "np.ndarray"]:
    """A clip's samples by its key, read from the cache (checked) when the lesson needs them."""
    from publish.speech.clips import ClipCache

    cache, rate = ClipCache(config.cache_dir), config.audio.sample_rate
    jobs = {job.key: job for job in plan.jobs}

    def samples(key: str) -> "np.ndarray":
        clip = cache.get(key, rate)
        if clip is None:
            raise _missing(jobs[key])
        return clip.samples

    return samples


class LessonMaterial:
    """What a guide's outputs read, made on first use. Assembling the lesson starts its mastering,
    encoding and tagging in the background, so the documents are made while the MP3 is encoded."""

    def __init__(self, config: Config, plan: "LessonPlan", files: GuideFiles, steps: tuple[Step, ...],
                 timeline_current: bool):
        self.config, self.plan, self.files = config, plan, files
        self._assembles = assembles(steps)
        self._timeline_current = timeline_current
        self._timeline: Timeline | None = None
        self._mp3: Future[bytes] | None = None
        self._background = ThreadPoolExecutor(max_workers=1)

    def __enter__(self) -> LessonMaterial:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._background.shutdown(cancel_futures=True)

    def timeline(self) -> "Timeline":
        if self._timeline is None:
            self._timeline = self._assemble() if self._assembles else self._placed()
        return self._timeline

    def mp3(self) -> bytes:
        """The tagged MP3: encoded now, or the one an earlier build wrote (a book's audio)."""
        if not self._assembles:
            return self.files.mp3.path.read_bytes()
        self.timeline()
        if self._mp3 is None:
            raise InternalError("the lesson was assembled without its MP3 — report it")
        return self._mp3.result()

    def _placed(self) -> "Timeline":
        """The timeline without the audio: the saved one when it is current, else placed from the clips' lengths."""
        if self._timeline_current:
            from publish.audio.timeline import read_timeline

            saved = read_timeline(self.files.timeline.path)
            if saved is None:
                raise InternalError(f"{self.files.timeline.path} was current when the build was planned and cannot be "
                                    "read now — build again")
            return saved
        from publish.audio.assemble import lesson_timeline

        return lesson_timeline(self.plan, clip_shapes(self.config, self.plan), self.config.audio)

    def _assemble(self) -> "Timeline":
        """The lesson laid out now (from its clips' lengths); its MP3 made piece by piece in the background."""
        from publish.audio.assemble import Lesson, lesson_layout, music_of
        from publish.audio.store import LessonStore
        from publish.outputs.tags import tag_mp3

        config, plan = self.config, self.plan
        music = music_of(config.audio)
        layout = lesson_layout(plan, clip_shapes(config, plan), config.audio, music)
        lesson = Lesson(plan, layout, config.audio, clip_reader(config, plan), music, LessonStore(config.cache_dir))
        self._mp3 = self._background.submit(lambda: tag_mp3(lesson.mp3(), plan.guide, layout.timeline,
                                                            config.site.author))
        return layout.timeline
