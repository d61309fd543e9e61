"""This machine's speech: one process per engine for the whole build, each an `EngineHost` whose
model its threads share (`publish.speech.speaking`), watched by a dispatcher thread here.

The dispatcher sends no more sentences at once, over all engines, than there are cores, in the
order it is given them (the build gives the fastest engine's first, so that process ends early).

The dispatcher also keeps time: a sentence that takes longer than its engine's limit gets its
process stopped (a native call cannot be interrupted any other way) and is tried again in a fresh
one; so does every sentence a process that died was speaking.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import signal
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from multiprocessing.queues import Queue
from pathlib import Path

from publish.engines import EngineSpec
from publish.errors import EngineError
from publish.memory import give_back_large_blocks
from publish.speech.clips import ClipCache
from publish.speech.plan import SentenceJob, Spoken
from publish.speech.speaking import EngineHost, sentence_timeout

log = logging.getLogger(__name__)

# A process that has not begun a sentence this long after it was sent is stuck starting up.
START_TIMEOUT_SECONDS = 180.0
STARTED = "\x00started"  # an engine's process has begun speaking a sentence
LET_GO = "\x00let go"  # every sentence has been looked ahead at: what only that needed can go
# Memory the runs of one engine process may hold at once (MB, by each engine's `run_memory_mb`):
# two of Kokoro's longest sentences at once took its process from 300 to 1,050 MB. The build's
# sentences (the longest 128 characters, about 180 MB) still pair with shorter ones, so both cores
# stay busy: in a simulation of the reference project's 142 Kokoro sentences, none waited.
RUN_MEMORY_BUDGET_MB = 250.0


@dataclass(frozen=True)
class LookAhead:
    """A sentence the process will be sent: what it needs besides the model is worked out now."""

    job: SentenceJob


def run_memory(queued: "_Queued") -> float:
    """What speaking the sentence holds, about (MB): more at a slower pace, which makes more audio."""
    pace = float(dict(queued.spec.options).get("pace") or 1.0)
    return queued.spec.engine.run_memory_mb * len(queued.job.spoken) / pace


# --- the engine's process ---------------------------------------------------------------------------


def _serve(spec: EngineSpec, cache_folder: Path, rate: int, threads: int, inbox: Queue[Message],
           results: Connection) -> None:
    """Speak every job that comes in, `threads` at a time, with one engine; a voice's name loads it
    ahead, a `LookAhead` works out a coming sentence's needs (here, in order, so that LET_GO
    follows them all), and None ends it. Results go back over the `results` pipe, one message per
    sentence begun and per sentence done."""
    # Ctrl-C at the terminal reaches every process of the build: the build stops this one.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A neural engine's runs allocate and free blocks of megabytes: with malloc's threshold left to
    # rise, they come from the heap and stay (Kokoro's process, 60 of the reference lesson's
    # sentences on two threads: a peak of 714-733 MB, with the threshold fixed 584-588 MB, in the
    # same time within the runs' spread).
    give_back_large_blocks()
    sending = threading.Lock()

    def send(message: tuple[str, str | None, float]) -> None:
        with sending:  # one pipe, several threads
            results.send(message)

    host = EngineHost(spec)
    cache = ClipCache(cache_folder)

    def speak(job: SentenceJob) -> None:
        started = time.perf_counter()
        try:
            # The sentence's time limit runs from when the engine begins it.
            clip = host.clip(job, rate, 0, begun=lambda: send((job.key, STARTED, 0.0)))
            cache.put(job.key, clip, rate)
            send((job.key, None, time.perf_counter() - started))
        except EngineError as error:
            send((job.key, _reason(str(error)), time.perf_counter() - started))
        except Exception as error:  # an engine's own failure: reported for this sentence, tried again
            send((job.key, f"{type(error).__name__}: {error}", time.perf_counter() - started))

    with ThreadPoolExecutor(max_workers=threads) as pool:
        while (message := inbox.get()) is not None:
            if message == LET_GO:
                host.let_go()
            elif isinstance(message, str):
                pool.submit(host.prepare, message)
            elif isinstance(message, LookAhead):
                host.look_ahead(message.job)
            else:
                pool.submit(speak, message)


def _reason(message: str) -> str:
    """spoken_clip's message without its "could not speak … after 1 tries:" frame."""
    return message.split(" tries: ", 1)[1] if " tries: " in message else message


# --- the build's side -------------------------------------------------------------------------------


@dataclass
class _Queued:
    job: SentenceJob
    spec: EngineSpec
    tries: int = 0
    seconds: float = 0.0
    # It was being spoken when its process died, beside others: it is spoken alone next time, so
    # that the sentence that kills the process is the one that is told so.
    suspect: bool = False


@dataclass
class _Running:
    queued: _Queued
    worker: "_Worker"
    since: float  # when it was sent, then when its process began it
    begun: bool = False

    @property
    def job(self) -> SentenceJob:
        return self.queued.job


# What an engine's process is sent: a sentence to speak, a voice to load, a sentence to look ahead
# at, LET_GO, or None: the end.
Message = SentenceJob | str | LookAhead | None


@dataclass
class _Worker:
    spec: EngineSpec
    process: BaseProcess
    inbox: Queue[Message]
    results: Connection  # the receiving end of a pipe of (key, error or STARTED, seconds)
    running: set[str] = field(default_factory=set)
    voices: set[str] = field(default_factory=set)  # asked to load


class SpeechService:
    """Speaks sentences into the clip cache with one warm process per engine; `Spoken` events come
    out of `events` in the order sentences finish, then None once `close_input` was called and
    every sentence is done."""

    def __init__(self, cache_folder: Path, rate: int, cores: int, retries: int = 2, events: queue.Queue | None = None):
        self.cache_folder, self.rate, self.cores, self.retries = cache_folder, rate, max(1, cores), retries
        self.events: queue.Queue = events if events is not None else queue.Queue()
        self._pending: deque[_Queued] = deque()
        self._running: dict[str, _Running] = {}
        self._workers: dict[EngineSpec, _Worker] = {}
        self._lock = threading.Condition()
        self._input_closed = False
        self._leaving: list[_Worker] = []  # engines asked to end (nothing left for them), joined by `close`
        self._stopping = False
        self._context = multiprocessing.get_context("spawn")
        self._thread = threading.Thread(target=self._dispatch, name="speech-dispatcher", daemon=True)
        self._thread.start()

    def submit(self, job: SentenceJob, spec: EngineSpec) -> None:
        with self._lock:
            self._pending.append(_Queued(job, spec))
            if spec not in self._workers or job.voice not in self._workers[spec].voices:
                # Started and loaded now, while the sentences before it are spoken: a voice's
                # first sentence does not wait for a process to start and a model to load.
                worker = self._worker(spec)
                worker.voices.add(job.voice)
                worker.inbox.put(job.voice)
            self._workers[spec].inbox.put(LookAhead(job))
            self._lock.notify()

    def close_input(self) -> None:
        """No more sentences will come; `events` ends with None when the last one is done."""
        with self._lock:
            self._input_closed = True
            for worker in self._workers.values():
                worker.inbox.put(LET_GO)
            self._lock.notify()

    def close(self) -> None:
        """Stop every engine's process (at the end of the build, or when it is interrupted)."""
        with self._lock:
            self._stopping = True
            self._lock.notify()
        self._thread.join(timeout=5)
        for worker in list(self._workers.values()) + self._leaving:
            self._stop(worker, wait=True)

    # --- the dispatcher thread ---

    def _dispatch(self) -> None:
        try:
            while True:
                with self._lock:
                    if self._stopping:
                        return
                    self._send_what_fits()
                    if self._input_closed and not self._pending and not self._running:
                        break
                    if not self._running:
                        self._lock.wait(timeout=0.5)
                        continue
                self._collect(timeout=0.05)
                self._check_time_and_health()
                self._stop_idle_engines()
            # Every sentence is spoken: the engines end (their memory goes back) while the guides
            # are finished; `close` waits for them.
            for worker in self._workers.values():
                self._let_go(worker)
            self._leaving += self._workers.values()
            self._workers.clear()
            self.events.put(None)
        except BaseException as error:  # never leave the build waiting for events that cannot come
            log.debug("speech dispatcher failed", exc_info=True)
            with self._lock:
                left = [running.job for running in self._running.values()] + [queued.job for queued in self._pending]
                self._running.clear()
                self._pending.clear()
            for job in left:
                self.events.put(Spoken(job, f"speech stopped: {type(error).__name__}: {error}", 0.0))
            self.events.put(None)

    def _send_what_fits(self) -> None:
        while len(self._running) < self.cores and (queued := self._next()) is not None:
            worker = self._worker(queued.spec)
            worker.inbox.put(queued.job)
            worker.running.add(queued.job.key)
            self._running[queued.job.key] = _Running(queued, worker, time.monotonic())

    def _next(self) -> _Queued | None:
        """The first sentence in order that may start now, taken off the queue: a suspect only alone
        in its process (nothing more goes to a process that one waits for), and none beside others
        past its process's memory budget (a shorter one after it may fit)."""
        waiting: set[EngineSpec] = set()
        for index, queued in enumerate(self._pending):
            if queued.spec in waiting:
                continue
            worker = self._workers.get(queued.spec)
            running = [self._running[key].queued for key in worker.running] if worker is not None else []
            if running and (queued.suspect or any(other.suspect for other in running)):
                waiting.add(queued.spec)
                continue
            if running and sum(map(run_memory, running)) + run_memory(queued) > RUN_MEMORY_BUDGET_MB:
                continue
            del self._pending[index]
            return queued
        return None

    def _worker(self, spec: EngineSpec) -> _Worker:
        worker = self._workers.get(spec)
        if worker is None or not worker.process.is_alive():
            inbox = self._context.Queue()
            receiving, sending = self._context.Pipe(duplex=False)
            process = self._context.Process(target=_serve, name=f"publish-speech-{spec.name}",
                                            args=(spec, self.cache_folder, self.rate, self.cores, inbox, sending),
                                            daemon=True)
            process.start()
            sending.close()  # the child's end: once it dies, reading says so
            worker = self._workers[spec] = _Worker(spec, process, inbox, receiving)
        return worker

    def _collect(self, timeout: float) -> None:
        """Results from every engine's process, as soon as one comes (or a process dies), or after
        `timeout` with none."""
        from multiprocessing.connection import wait

        workers = {worker.results: worker for worker in self._workers.values()}
        for ready in wait(list(workers) + [w.process.sentinel for w in workers.values()], timeout):
            worker = workers.get(ready)  # type: ignore[call-overload]
            while worker is not None:
                try:
                    if not worker.results.poll():
                        break
                    key, error, seconds = worker.results.recv()
                except (EOFError, OSError):  # the process ended: `_check_time_and_health` sees to it
                    break
                self._done(worker, key, error, seconds)

    def _done(self, worker: _Worker, key: str, error: str | None, seconds: float) -> None:
        with self._lock:
            if error == STARTED:
                if key in self._running:
                    self._running[key].since, self._running[key].begun = time.monotonic(), True
                return
            running = self._running.pop(key, None)
            worker.running.discard(key)
            if running is None:
                return
            running.queued.seconds += seconds
            if error is None:
                self.events.put(Spoken(running.job, None, running.queued.seconds, running.since, time.monotonic()))
            else:
                self._try_again_or_fail(running, error)

    def _try_again_or_fail(self, running: _Running, error: str) -> None:
        queued = running.queued
        queued.tries += 1
        if queued.tries <= self.retries:
            log.info("retrying a sentence after: %s", error)
            self._pending.appendleft(queued)
            return
        message = (f"{queued.spec.name} could not speak “{queued.job.spoken[:60]}” after {queued.tries} tries: "
                   f"{error}")
        self.events.put(Spoken(queued.job, message, queued.seconds))

    def _check_time_and_health(self) -> None:
        now = time.monotonic()
        with self._lock:
            for worker in list(self._workers.values()):
                if not worker.running:
                    continue
                limit = sentence_timeout(worker.spec)
                overdue = [key for key in worker.running
                           if now - self._running[key].since > (limit if self._running[key].begun else
                                                                START_TIMEOUT_SECONDS)]
                alive = worker.process.is_alive()
                if not overdue and alive:
                    continue
                # A hung sentence, or a process that died: stop it; its sentences go again elsewhere.
                self._stop(worker, wait=False)
                alone = len(worker.running) == 1
                for key in list(worker.running):
                    running = self._running.pop(key)
                    if key in overdue:
                        self._try_again_or_fail(running, f"no audio after {limit:g} s")
                    elif not alive and (alone or running.queued.suspect):
                        self._try_again_or_fail(running, f"the {worker.spec.name} process stopped "
                                                         f"(exit code {worker.process.exitcode})")
                    else:  # caught in a stopped process, maybe through no fault of its own: again, alone
                        running.queued.suspect = running.queued.suspect or not alive
                        self._pending.appendleft(running.queued)
                worker.running.clear()
                self._workers.pop(worker.spec, None)

    @staticmethod
    def _let_go(worker: _Worker) -> None:
        """Ask an idle engine's process to end, without waiting for it."""
        try:
            worker.inbox.put(None)
        except (OSError, ValueError):
            pass

    def _stop_idle_engines(self) -> None:
        """An engine with nothing left to say gives its memory back now, not at the end of speech."""
        with self._lock:
            if not self._input_closed:
                return
            wanted = {queued.spec for queued in self._pending}
            for spec, worker in list(self._workers.items()):
                if not worker.running and spec not in wanted:
                    self._let_go(worker)
                    # Out of the dispatcher's sight: an ended process's sentinel is always ready.
                    self._leaving.append(self._workers.pop(spec))

    def _stop(self, worker: _Worker, wait: bool) -> None:
        if worker.process.is_alive():
            try:
                if wait and not worker.running:
                    worker.inbox.put(None)
                    worker.process.join(timeout=5)
            except (OSError, ValueError):
                pass
            if worker.process.is_alive():
                worker.process.kill()
        worker.process.join(timeout=5)
        worker.inbox.cancel_join_thread()
        worker.inbox.close()
        worker.results.close()
