"""Where a build's work runs: this machine's processes, or a Dask cluster. One plan, two executors.

The build hands an executor the same things either way: sentence jobs to get into the clip cache
(its speech stream), and guides to finish (`GuideTask` parts), whose outputs come back as bytes
for the build to write. The local one uses this machine's processes; the cluster one
(`publish.builder.cluster`) sends tasks to Dask, and is imported only when a scheduler is named.
Pages and the site's files are made in the build's own process on either: they read the
finished files' sizes, which lie here.
"""

from __future__ import annotations

import queue
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterator, Protocol, TypeVar

from publish.builder.finish import Finished, GuideTask, finish_guide, get_ready
from publish.builder.processes import FinishingProcesses
from publish.config import Config

if TYPE_CHECKING:
    from publish.engines import EngineSpec
    from publish.speech.clips import ClipCache
    from publish.speech.plan import SentenceJob

Result = TypeVar("Result")

# Parts a finishing process takes before a fresh one replaces it (about 15 guides: their memory
# grows with each, publish/builder/processes.py); starting one costs a second of imports.
PARTS_PER_PROCESS = 30


class SpeechStream(Protocol):
    """Where sentences go to be spoken into the clip cache; each comes out of the build's events
    as a `Spoken` when done, then None after the last (once the input is closed)."""

    def submit(self, job: "SentenceJob", spec: "EngineSpec") -> None: ...

    def close_input(self) -> None: ...

    def close(self) -> None: ...


class Executor(Protocol):
    """Speaks sentences into the clip cache and finishes guides, somewhere."""

    @property
    def where(self) -> str:
        """Where the work runs, for the build's summary."""

    def speech(self, cache: "ClipCache", events: "queue.Queue[object]") -> SpeechStream:
        """The stream that speaks into `cache`; its `Spoken` events go into `events`."""

    def finish_all(self, parts: list[GuideTask]) -> dict[Future[Finished], GuideTask]:
        """Start finishing every part; each future gives the part's `Finished`, its files as bytes."""

    def get_ready(self, documents: bool) -> None:
        """Finishing will follow in seconds: start what it runs on now, beside the speech."""

    def finishing_done(self) -> None:
        """Every guide is finished: let go of what finishing ran on before the pages and the site's
        files are made here."""

    def close(self, interrupted: bool) -> None:
        """Let go of what it runs on; `interrupted`: at once, dropping work under way."""


@dataclass
class LocalExecutor:
    config: Config
    _finishing: FinishingProcesses | None = field(default=None, init=False)

    @property
    def where(self) -> str:
        return f"this machine ({self.config.jobs} processes)"

    def speech(self, cache: "ClipCache", events: "queue.Queue[object]") -> SpeechStream:
        from publish.speech.service import SpeechService

        return SpeechService(cache.folder, self.config.audio.sample_rate, self.config.jobs, events=events)

    def finish_all(self, parts: list[GuideTask]) -> dict[Future[Finished], GuideTask]:
        if self.config.jobs <= 1:
            return {run_here(finish_guide, part): part for part in parts}
        return {self._processes().submit(finish_guide, part): part for part in parts}

    def get_ready(self, documents: bool) -> None:
        if self.config.jobs > 1 and self._finishing is None:
            self._processes().warm(get_ready, [documents and number == 0 for number in range(self.config.jobs)])

    def _processes(self) -> FinishingProcesses:
        if self._finishing is None:
            self._finishing = FinishingProcesses(self.config.jobs, PARTS_PER_PROCESS)
        return self._finishing

    def finishing_done(self) -> None:
        """The finishing processes end: idle, they held 350 MB while a library's pages were made."""
        self.close(interrupted=False)
        self._finishing = None

    def close(self, interrupted: bool) -> None:
        if self._finishing is not None:
            self._finishing.close(interrupted)


@contextmanager
def executor(config: Config) -> Iterator[Executor]:
    """The cluster's executor when a scheduler is configured, else this machine's."""
    chosen: Executor
    if config.scheduler:
        from publish.builder.cluster import ClusterExecutor, connect

        chosen = ClusterExecutor(config, connect(config.scheduler))
    else:
        chosen = LocalExecutor(config)
    try:
        yield chosen
    except BaseException:
        chosen.close(interrupted=True)
        raise
    chosen.close(interrupted=False)


def run_here(function: Callable[..., Result], *args: object) -> Future[Result]:
    """`function` run in this process, its outcome in a future as a pool would give it: for --jobs 1,
    a single guide, the pages and the site's files."""
    future: Future[Result] = Future()
    try:
        future.set_result(function(*args))
    except BaseException as error:  # handed to the caller through the future, as a pool would
        future.set_exception(error)
    return future
