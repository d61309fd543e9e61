"""Where a build's work runs: this machine's processes, or a Dask cluster. One plan, two executors.

The build hands an executor the same things either way: sentence jobs to get into the clip cache,
and guides to finish (`GuideTask` parts), whose outputs come back as bytes for the build to
write. The local one uses process pools; the cluster one (`publish.builder.cluster`) sends tasks
to Dask, and is imported only when a scheduler is named.
"""

from __future__ import annotations

import multiprocessing
import queue
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterator, Protocol

from publish.builder.finish import GuideTask, finish_guide, get_ready
from publish.config import Config

if TYPE_CHECKING:
    from publish.engines import EngineSpec
    from publish.speech.plan import SentenceJob
    from publish.speech.synth import ClipCache, SynthesisReport


class Executor:
    """Speaks sentences into the clip cache and finishes guides, somewhere."""

    @property
    def where(self) -> str:
        """Where the work runs, for the build's summary."""
        raise NotImplementedError

    def speak(self, jobs: list["SentenceJob"], spec: "EngineSpec", cache: "ClipCache",
              on_clip: Callable[[int, int], None]) -> "SynthesisReport":
        """Every job's clip into `cache`, one engine's jobs at once; sentences that could not be
        spoken are in the report's `failed`. The default `speech` is made of it (the cluster's);
        an executor with a speech stream of its own (this machine's) need not have it."""
        raise NotImplementedError

    def finish_all(self, parts: list[GuideTask]) -> dict[Future, GuideTask]:
        """Start finishing every part; each future gives the part's `Finished`, its files as bytes."""
        raise NotImplementedError

    def get_ready(self, documents: bool) -> None:
        """Finishing will follow in seconds: start what it runs on now, beside the speech."""

    def speech(self, cache: "ClipCache", events: queue.Queue) -> "SpeechStream":
        """Where sentences go to be spoken into `cache`; each comes out of `events` as a `Spoken`
        when done, then None after the last (once the stream's input is closed)."""
        return BatchSpeech(self, cache, events)

    def close(self) -> None:
        pass


class SpeechStream(Protocol):
    def submit(self, job: "SentenceJob", spec: "EngineSpec") -> None: ...

    def close_input(self) -> None: ...

    def close(self) -> None: ...


class BatchSpeech:
    """A speech stream over an executor that speaks in batches (`Executor.speak`, one engine at a
    time): the sentences are spoken once the input is closed, and then come out one by one."""

    def __init__(self, work: Executor, cache: "ClipCache", events: queue.Queue):
        self.work, self.cache, self.events = work, cache, events
        self.jobs: dict["EngineSpec", list["SentenceJob"]] = {}
        self.thread: threading.Thread | None = None

    def submit(self, job, spec) -> None:
        self.jobs.setdefault(spec, []).append(job)

    def close_input(self) -> None:
        self.thread = threading.Thread(target=self._speak, daemon=True)
        self.thread.start()

    def _speak(self) -> None:
        from publish.speech.service import Spoken

        try:
            for spec, jobs in self.jobs.items():
                report = self.work.speak(jobs, spec, self.cache, lambda done, total: None)
                for job in jobs:
                    self.events.put(Spoken(job, report.failed.get(job.key), 0.0))
        except Exception as error:  # said at every sentence not spoken, as a failed engine is
            for jobs in self.jobs.values():
                for job in jobs:
                    self.events.put(Spoken(job, f"{type(error).__name__}: {error}", 0.0))
        finally:
            self.events.put(None)

    def close(self) -> None:
        if self.thread is not None:
            self.thread.join()


@dataclass
class LocalExecutor(Executor):
    config: Config
    _pool: ProcessPoolExecutor | None = None

    @property
    def where(self) -> str:
        return f"this machine ({self.config.jobs} processes)"

    def speech(self, cache, events):
        from publish.speech.service import SpeechService

        return SpeechService(cache.folder, self.config.audio.sample_rate, self.config.jobs, events=events)

    def finish_all(self, parts: list[GuideTask]) -> dict[Future, GuideTask]:
        if self.config.jobs <= 1:
            return {_run_here(finish_guide, part): part for part in parts}
        return {self._processes().submit(finish_guide, part): part for part in parts}

    def get_ready(self, documents: bool) -> None:
        if self.config.jobs > 1 and self._pool is None:
            pool = self._processes()
            for number in range(self.config.jobs):  # one each: a pool starts a process per waiting task
                pool.submit(get_ready, documents and number == 0)

    def _processes(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn, not fork: the parent holds threads (the speech dispatcher, a progress display)
            # that fork would copy mid-state. Its processes stay for every guide of the build.
            self._pool = ProcessPoolExecutor(max_workers=self.config.jobs, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)


@contextmanager
def executor(config: Config) -> Iterator[Executor]:
    """The cluster's executor when a scheduler is configured, else this machine's."""
    if config.scheduler:
        from publish.builder.cluster import ClusterExecutor, connect

        chosen: Executor = ClusterExecutor(config, connect(config.scheduler))
    else:
        chosen = LocalExecutor(config)
    try:
        yield chosen
    finally:
        chosen.close()


def _run_here(function: Callable, *args) -> Future:
    """`function` run in this process, its outcome in a future as a pool would give it: for --jobs 1,
    a single guide, and debugging."""
    future: Future = Future()
    try:
        future.set_result(function(*args))
    except BaseException as error:  # handed to the caller through the future, as a pool would
        future.set_exception(error)
    return future
