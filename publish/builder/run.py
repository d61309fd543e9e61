"""One build's run: the one loop every output goes through — stale → make → write → record.

Stage by stage: every missing sentence is spoken, then each guide is finished (its formats made
in finishing processes or on a cluster), then the later stages the build gives (the guides'
pages, then the site's files, both from the manifest). Each piece of work is written and recorded
as its future comes back, in the order events arrive, by the same `_write`; a stage starts once
everything before it is written.
"""

from __future__ import annotations

import logging
import queue
import time
from collections import Counter
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from publish.builder.finish import Finished, GuideTask, parts_of
from publish.builder.observer import Advanced, GuideDone, Observer, Span, Started, Writing
from publish.builder.report import GuideResult, Speech
from publish.builder.state import SITE, BuildState
from publish.config import Config
from publish.errors import PublishError
from publish.outputs.base import Step
from publish.outputs.registry import PDF
from publish.speech.plan import Spoken
from publish.writer import Writer

if TYPE_CHECKING:
    from publish.builder.executors import Executor
    from publish.engines import EngineSpec
    from publish.speech.clips import ClipCache
    from publish.speech.plan import SentenceJob

log = logging.getLogger(__name__)

# Estimates for the progress display, in hundredths of a second of one core: a voice says about
# 15 characters a second, and its engine makes `realtime` seconds of speech a second.
FINISHING_ESTIMATE = 300  # a guide's finishing
# When the speech left is no longer than one guide's finishing, the finishing processes start
# beside it, so an edit's finishing does not wait for their imports (0.3 s, 0.9 s with
# WeasyPrint). Not beside a longer speech: they would hold 100 MB while it runs (a one-minute
# lesson with Piper: 642 MB at the peak against 532 MB).
GET_READY_UNDER = FINISHING_ESTIMATE


def work_estimate(job: "SentenceJob") -> int:
    from publish import engines

    return max(1, round(100 * len(job.spoken) / (15 * engines.get(job.engine).realtime)))


def finishing_weight(task: GuideTask) -> int:
    """How long a guide's finishing takes, roughly: its lesson's length and what it makes of it."""
    return len(task.plan.jobs) * (1 + len(task.steps)) + 1


@dataclass(frozen=True)
class Making:
    """A piece of work under way: some stale steps of one subject (a guide's finishing part, a
    guide's page, the site), made together, with the keys to record once they are written."""

    subject: str  # whose result it is: a guide's path as named for the build, or the site (SITE)
    slug: str  # what the state records it under
    where: object  # what its steps' files and state names are read from
    keys: tuple[tuple[Step, str], ...]
    lane: str  # for --trace: "finishing", "pages"
    started: float = field(default_factory=time.monotonic)


@dataclass(frozen=True)
class _Done:
    """A piece of work's future has its result (or error): an event of the loop."""

    making: Making
    future: Future[Finished]
    ended: float


# A later stage: given each guide's result so far, its work, started.
Stage = Callable[[dict[str, GuideResult]], list[tuple[Making, Future[Finished]]]]


@dataclass(frozen=True)
class RunResult:
    results: tuple[GuideResult, ...]  # what it did for each guide (built, problems, time)
    speech: Speech
    problems: tuple[str, ...]  # of the site's own files


def run(config: Config, tasks: list[GuideTask], state: BuildState, observer: Observer, writer: Writer,
        later: Iterable[Stage]) -> RunResult:
    """Speak what the tasks need, finish every guide, then run the `later` stages; every piece of
    work is written as it comes back."""
    from publish.builder.executors import executor

    runner = _Run(config, state, observer, writer)
    if not tasks:  # nothing to speak or finish: no process is started, no cluster is asked
        return runner.run(None, [], list(later))
    with executor(config) as work:
        return runner.run(work, tasks, list(later))


def from_cache(jobs: Iterable["SentenceJob"], cache: "ClipCache", rate: int) -> tuple[set[str], dict[str, "SentenceJob"]]:
    """The keys of the jobs whose clips are in the cache (checked, not kept), and the jobs still to
    speak, each key once however many guides share it."""
    found: set[str] = set()
    missing: dict[str, SentenceJob] = {}
    for job in jobs:
        if job.key not in found and job.key not in missing:
            if cache.has(job.key, rate):
                found.add(job.key)
            else:
                missing[job.key] = job
    return found, missing


class _Run:
    def __init__(self, config: Config, state: BuildState, observer: Observer, writer: Writer):
        self.config, self.state, self.observer, self.writer = config, state, observer, writer
        self.events: queue.Queue[object] = queue.Queue()
        self.results: dict[str, GuideResult] = {}
        self.tasks: dict[str, GuideTask] = {}
        self.sayers: dict[str, list[str]] = {}  # key of a sentence to speak → the guides that say it
        self.voices: dict[str, list[str]] = {}  # voice → the guides' hosts that speak with it
        self.parts_left: Counter[str] = Counter()
        self.under_way = 0
        self.spoken = 0
        self.cached = 0
        self.done = 0
        self.total = 0
        self.writing = False
        self.problems: list[str] = []  # of the site's own files

    def run(self, work: "Executor | None", tasks: list[GuideTask], later: list[Stage]) -> RunResult:
        self.tasks = {task.path: task for task in tasks}
        if work is None:
            self._loop(None, later)
        else:
            self._speak_and_finish(work, tasks, later)
        voices = tuple((voice, tuple(hosts)) for voice, hosts in self.voices.items())
        return RunResult(tuple(self.results.values()),
                         Speech(self.spoken, self.cached, voices, work.where if work else ""), tuple(self.problems))

    def _speak_and_finish(self, work: "Executor", tasks: list[GuideTask], later: list[Stage]) -> None:
        from publish.speech.clips import ClipCache

        cache = ClipCache(self.config.cache_dir)
        self.results = {task.path: GuideResult(task.files.slug, task.path) for task in tasks}
        speech = work.speech(cache, self.events)
        try:
            jobs = self._sentences(sorted(tasks, key=finishing_weight, reverse=True), cache)
            # The display counts estimated seconds of work, so its ETA holds when a slow voice follows a fast one.
            speaking = sum(work_estimate(job) for job, _ in jobs)
            self.total = speaking + FINISHING_ESTIMATE * len(tasks)
            self.observer.on(Started(self.total))
            if speaking <= GET_READY_UNDER:
                work.get_ready(documents=any(step.output is PDF for task in tasks for step in task.steps))
            for job, spec in jobs:
                speech.submit(job, spec)
            speech.close_input()  # the stream ends (None) once every sentence is spoken, at once if none is
            self._loop(work, later)
        finally:
            speech.close()

    def _sentences(self, ordered: list[GuideTask], cache: "ClipCache") -> list[tuple["SentenceJob", "EngineSpec"]]:
        """Every sentence to speak, each once: engine by engine (fastest first), and for each
        engine guide by guide (longest sentence first within a guide, so no thread is left with one
        long sentence at the end)."""
        cached: set[str] = set()
        missing: dict[str, SentenceJob] = {}
        wanted: list[tuple[SentenceJob, EngineSpec]] = []
        for task in ordered:
            if not task.needs_clips:
                continue
            for speaker, voice in task.plan.voices:
                self.voices.setdefault(voice, []).append(f"{task.plan.guide.slug} ({speaker})")
            for spec, jobs in task.plan.jobs_by_spec().items():
                unknown = [job for job in jobs if job.key not in cached and job.key not in missing]
                found, fresh = from_cache(unknown, cache, self.config.audio.sample_rate)
                cached.update(found)
                missing.update(fresh)
                wanted += [(job, spec) for job in sorted(fresh.values(), key=lambda job: -len(job.spoken))]
                # A sentence another guide also says fails both if it cannot be spoken.
                for key in dict.fromkeys(job.key for job in jobs if job.key in missing):
                    self.sayers.setdefault(key, []).append(task.path)
        self.cached = len(cached)
        # The fastest engine's sentences first: its process ends early and gives its memory back.
        wanted.sort(key=lambda spoken: -spoken[1].engine.realtime)
        return wanted

    def _loop(self, work: "Executor | None", later: list[Stage]) -> None:
        """Events as they come: sentences spoken (until None: speech is done, finishing starts),
        then each piece of work done; a later stage starts once nothing is under way."""
        speaking, finishing = work is not None, work  # `finishing`: what to let go of once it is over
        while speaking or self.under_way or later:
            if not speaking and not self.under_way:
                if finishing is not None:
                    finishing.finishing_done()
                    finishing = None
                self._start(later.pop(0)(dict(self.results)))
                continue
            event = self.events.get()
            if event is None and work is not None:
                speaking = False
                self._finish_every_guide(work)
            elif isinstance(event, _Done):
                self._write(event)
            elif isinstance(event, Spoken):
                self._spoken(event)

    def _start(self, work: list[tuple[Making, Future[Finished]]]) -> None:
        for making, future in work:
            self.under_way += 1
            future.add_done_callback(self._done_with(making))

    def _done_with(self, making: Making) -> Callable[[Future[Finished]], None]:
        """What a piece of work's future calls when it is done: the loop hears of it."""
        return lambda future: self.events.put(_Done(making, future, time.monotonic()))

    def _finish_every_guide(self, work: "Executor") -> None:
        """Finishing starts once speech is done. Started as each guide's own clips are ready, it
        made a cold build of the reference project no faster on 2 cores (speech keeps both busy:
        32.4–33.0 s against 33.4 s) and its processes beside the engines' cost 300 MB more
        (843–1086 MB against 528 MB; docs/performance.md)."""
        for task in sorted(self.tasks.values(), key=finishing_weight, reverse=True):
            self._finish(work, task)

    def _spoken(self, spoken: Spoken) -> None:
        from publish.speech.plan import at_turn

        self._advance(work_estimate(spoken.job))
        if spoken.error is None:
            self.spoken += 1
            self.observer.on(Span(f"speech: {spoken.job.engine}", "speech", spoken.job.spoken[:40], spoken.began,
                                  spoken.ended))
            return
        for path in self.sayers.get(spoken.job.key, []):  # named at each guide's own turn
            job = next(j for j in self.tasks[path].plan.jobs if j.key == spoken.job.key)
            self._add(path, self.tasks[path].files.slug, problems=(str(at_turn(job, spoken.error)),))

    def _finish(self, work: "Executor", task: GuideTask) -> None:
        if self.results[task.path].problems:  # a sentence could not be spoken: nothing to finish
            self._guide_done(task)
            return
        if not self.writing:
            self.observer.on(Writing())
            self.writing = True
        parts = parts_of(task)
        self.parts_left[task.path] = len(parts)
        futures = work.finish_all(parts)
        self._start([(Making(task.path, task.files.slug, task.files, task.keys, "finishing"), future)
                     for future in futures])

    def _write(self, done: _Done) -> None:
        """The one place work is written and recorded, whatever made it."""
        making = done.making
        self.under_way -= 1
        try:
            finished = done.future.result()
            # From when its process took it up (a part may wait for a free process), to its end.
            names = ", ".join(step.state_name(making.where) for step in finished.built)
            self.observer.on(Span(making.lane, making.lane, f"{making.slug}: {names}",
                                  max(making.started, done.ended - finished.seconds), done.ended))
            self.writer.write_all(finished.outputs)
            for step in finished.built:
                self.writer.remove_all(step.output.leftovers(making.where, finished.outputs))
        except PublishError as error:
            self._failed(making, str(error))
        except Exception as error:  # a bug or a library failure: report it, keep building the rest
            log.debug("%s failed", making.subject, exc_info=True)
            self._failed(making, f"{making.subject}: unexpected error: {type(error).__name__}: {error}")
        else:
            keys = dict(making.keys)
            self.state.record(making.slug, {step.state_name(making.where): keys[step] for step in finished.built})
            if making.subject != SITE:
                self._add(making.subject, making.slug, built=tuple(step.state_name(making.where) for step in finished.built),
                          seconds=finished.seconds)
        if making.subject in self.parts_left:
            self.parts_left[making.subject] -= 1
            if not self.parts_left[making.subject]:
                del self.parts_left[making.subject]
                self._guide_done(self.tasks[making.subject])

    def _failed(self, making: Making, problem: str) -> None:
        if making.subject == SITE:
            self.problems.append(problem)
        else:
            self._add(making.subject, making.slug, problems=(problem,))

    def _add(self, path: str, slug: str, built: tuple[str, ...] = (), problems: tuple[str, ...] = (),
             seconds: float = 0.0) -> None:
        found = GuideResult(slug, path, built, (), problems, seconds)
        self.results[path] = self.results[path] + found if path in self.results else found

    def _guide_done(self, task: GuideTask) -> None:
        result = self.results[task.path]
        order = [step.state_name(task.files) for step in task.steps]
        built = tuple(sorted(result.built, key=lambda name: order.index(name) if name in order else len(order)))
        self.results[task.path] = result = GuideResult(result.slug, result.path, built, result.fresh, result.problems,
                                                       result.seconds)
        self._advance(FINISHING_ESTIMATE)
        self.observer.on(GuideDone(result))

    def _advance(self, work: int) -> None:
        self.done += work
        self.observer.on(Advanced(self.done, self.total))
