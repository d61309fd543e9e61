"""One build's run: every missing sentence spoken, then each guide finished, its parts' outputs
written as they come back, in the order events arrive."""

from __future__ import annotations

import logging
import queue
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publish.builder.finish import Finished, GuideTask, parts_of
from publish.builder.observer import Advanced, GuideDone, Observer, Span, Started, Writing
from publish.builder.report import BuildReport, GuideResult
from publish.builder.state import BuildState
from publish.config import Config
from publish.errors import PublishError
from publish.speech.plan import FINISHING_ESTIMATE, work_estimate
from publish.writer import write_bytes_atomic

if TYPE_CHECKING:
    from publish.builder.executors import Executor
    from publish.speech.plan import SentenceJob

log = logging.getLogger(__name__)

# When the speech left is no longer than one guide's finishing (`work_estimate` units), the
# finishing processes start beside it, so an edit's finishing does not wait for their imports
# (0.3 s, 0.9 s with WeasyPrint). Not beside a longer speech: they would hold 100 MB while it runs
# (a one-minute lesson with Piper: 642 MB at the peak against 532 MB).
GET_READY_UNDER = FINISHING_ESTIMATE


@dataclass
class Outcome:
    """What the run did for one guide."""

    built: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0


def run(config: Config, tasks: list[GuideTask], state: BuildState, progress: Observer, report: BuildReport
        ) -> dict[str, Outcome]:
    """Speak what the tasks need, then finish every guide, writing each part's outputs as they
    come; `report` gets the speech figures."""
    from publish.builder.executors import executor

    with executor(config) as work:
        report.where = work.where
        return _Run(config, work, state, progress, report).run(tasks)


def finishing_weight(task: GuideTask) -> int:
    """How long a guide's finishing takes, roughly: its lesson's length and what it makes of it."""
    return len(task.plan.jobs) * (1 + len(task.steps)) + 1


@dataclass(frozen=True)
class _PartDone:
    """A finishing part's future has a result (or an error): an event of the build's loop."""

    part: GuideTask
    future: object
    started: float
    ended: float


class _Run:
    """One build's loop: sentences spoken, guides finished and written, in the order events come."""

    def __init__(self, config: Config, work: "Executor", state: BuildState, progress: Observer, report: BuildReport):
        self.config, self.work, self.state, self.progress, self.report = config, work, state, progress, report
        self.events: queue.Queue = queue.Queue()
        self.outcomes: dict[str, Outcome] = {}
        self.tasks: dict[str, GuideTask] = {}
        self.sayers: dict[str, list[str]] = {}  # key of a sentence to speak → the guides that say it
        self.parts_left: Counter[str] = Counter()
        self.done = 0
        self.total = 0
        self.writing = False

    def run(self, tasks: list[GuideTask]) -> dict[str, Outcome]:
        from publish.speech.synth import ClipCache

        cache = ClipCache(self.config.cache_dir)
        self.outcomes = {task.path: Outcome() for task in tasks}
        self.tasks = {task.path: task for task in tasks}
        speech = self.work.speech(cache, self.events)
        try:
            jobs = self._sentences(sorted(tasks, key=finishing_weight, reverse=True), cache)
            # Progress counts estimated seconds of work, so its ETA holds when a slow voice follows a fast one.
            speaking = sum(work_estimate(job) for job, _ in jobs)
            self.total = speaking + FINISHING_ESTIMATE * len(tasks)
            self.progress.on(Started(self.total))
            if speaking <= GET_READY_UNDER:
                self._get_ready(tasks)
            for job, spec in jobs:
                speech.submit(job, spec)
            speech.close_input()  # the stream ends (None) once every sentence is spoken, at once if none is
            self._loop()
        finally:
            speech.close()
        return self.outcomes

    def _get_ready(self, tasks: list[GuideTask]) -> None:
        from publish.outputs.registry import PDF

        if tasks:
            self.work.get_ready(documents=any(step.output is PDF for task in tasks for step in task.steps))

    def _sentences(self, ordered: list[GuideTask], cache) -> list[tuple]:
        """Every sentence to speak, each once: engine by engine (fastest first), and for each
        engine guide by guide (longest sentence first within a guide, so no thread is left with one
        long sentence at the end)."""
        from publish.speech.synth import from_cache

        cached: set[str] = set()
        missing: dict[str, SentenceJob] = {}
        wanted: list[tuple] = []
        for task in ordered:
            if not task.needs_clips:
                continue
            for speaker, voice in task.plan.voices:
                self.report.voices.setdefault(voice, []).append(f"{task.plan.guide.slug} ({speaker})")
            for spec, jobs in task.plan.jobs_by_spec().items():
                unknown = [job for job in jobs if job.key not in cached and job.key not in missing]
                found, fresh = from_cache(unknown, cache, self.config.audio.sample_rate, keep=False)
                cached.update(found)
                missing.update(fresh)
                wanted += [(job, spec) for job in sorted(fresh.values(), key=lambda job: -len(job.spoken))]
                # A sentence another guide also says fails both if it cannot be spoken.
                for key in dict.fromkeys(job.key for job in jobs if job.key in missing):
                    self.sayers.setdefault(key, []).append(task.path)
        self.report.clips_cached += len(cached)
        # The fastest engine's sentences first: its process ends early and gives its memory back.
        wanted.sort(key=lambda spoken: -spoken[1].engine.realtime)
        return wanted

    def _finish_every_guide(self) -> None:
        """Finishing starts once speech is done. Started as each guide's own clips are ready, it
        made a cold build of the reference project no faster on 2 cores (speech keeps both busy:
        32.4–33.0 s against 33.4 s) and its processes beside the engines' cost 300 MB more
        (843–1086 MB against 528 MB; docs/performance.md)."""
        for task in sorted(self.tasks.values(), key=finishing_weight, reverse=True):
            self._finish(task)

    def _loop(self) -> None:
        speaking = True
        while speaking or any(self.parts_left.values()):
            event = self.events.get()
            if event is None:
                speaking = False
                self._finish_every_guide()
            elif isinstance(event, _PartDone):
                self._write(event)
            else:
                self._spoken(event)

    def _spoken(self, spoken) -> None:
        from publish.speech.synth import at_turn

        if spoken.error is None:
            self.report.clips_synthesized += 1
            self.progress.on(Span(f"speech: {spoken.job.engine}", "speech", spoken.job.spoken[:40], spoken.began,
                                  spoken.ended))
        self._advance(work_estimate(spoken.job))
        if spoken.error is None:
            return
        for path in self.sayers.get(spoken.job.key, []):  # named at each guide's own turn
            job = next(j for j in self.tasks[path].plan.jobs if j.key == spoken.job.key)
            self.outcomes[path].problems.append(str(at_turn(job, Exception(spoken.error))))

    def _finish(self, task: GuideTask) -> None:
        if self.outcomes[task.path].problems:  # a sentence could not be spoken: nothing to finish
            self._guide_done(task)
            return
        if not self.writing:
            self.progress.on(Writing())
            self.writing = True
        parts = parts_of(task)
        self.parts_left[task.path] = len(parts)
        started = time.monotonic()
        for future, part in self.work.finish_all(parts).items():
            future.add_done_callback(lambda done, part=part: self.events.put(_PartDone(part, done, started,
                                                                                        time.monotonic())))

    def _write(self, done: _PartDone) -> None:
        part, outcome = done.part, self.outcomes[done.part.path]
        try:
            finished: Finished = done.future.result()  # type: ignore[attr-defined]
            # From when its process took it up (a part may wait for a free process), to its end.
            names = ", ".join(step.state_name(part.files) for step in part.steps)
            self.progress.on(Span("finishing", "finishing", f"{part.files.slug}: {names}",
                                  max(done.started, done.ended - finished.seconds), done.ended))
            write_outputs(finished.outputs)
        except PublishError as error:
            outcome.problems.append(str(error))
        except Exception as error:  # a bug or a library failure: report it, keep building the rest
            log.debug("guide %s failed", part.plan.guide.where.path, exc_info=True)
            outcome.problems.append(f"{part.plan.guide.where.path}: unexpected error: {type(error).__name__}: {error}")
        else:
            keys = dict(part.keys)
            self.state.record(part.files.slug, {step.state_name(part.files): keys[step] for step in finished.built})
            outcome.built += [step.state_name(part.files) for step in finished.built]
            outcome.seconds = max(outcome.seconds, finished.seconds)
        self.parts_left[part.path] -= 1
        if not self.parts_left[part.path]:
            self._guide_done(self.tasks[part.path])

    def _guide_done(self, task: GuideTask) -> None:
        outcome = self.outcomes[task.path]
        order = [step.state_name(task.files) for step in task.steps]
        outcome.built.sort(key=lambda name: order.index(name) if name in order else len(order))
        self._advance(FINISHING_ESTIMATE)
        self.progress.on(GuideDone(GuideResult(task.files.slug, task.path, outcome.built, problems=outcome.problems,
                                               seconds=outcome.seconds)))

    def _advance(self, work: int) -> None:
        self.done += work
        self.progress.on(Advanced(self.done, self.total))


def write_outputs(outputs: dict[Path, bytes]) -> None:
    """The one place outputs are written: each file atomically, in the order finishing gave them."""
    for path, data in outputs.items():
        write_bytes_atomic(path, data)
