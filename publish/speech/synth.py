"""Per-sentence synthesis: content-addressed clip cache, spoken by the warm engine processes of
`publish.speech.service` (or in this process).

A clip's key hashes everything that changes its samples: the spoken text, the engine and its
version, the voice (and its model file), the voice variant, the engine settings, and the clip
processing below. Editing one sentence therefore re-synthesizes only that sentence, and a changed
voice never reuses an old clip. Each cache entry carries a checksum; a damaged entry is
regenerated, never stitched into the audio.
"""

from __future__ import annotations

import hashlib
import logging
import os
import signal
import struct
import threading
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, ContextManager, Iterable, TypeVar

import numpy as np

from publish import engines
from publish.config import SAMPLE_RATE
from publish.engines import VARIANTS, EngineSpec
from publish.speech.plan import SentenceJob
from publish.errors import EngineError
from publish.text.spoken import spoken_words
from publish.writer import write_bytes_atomic

log = logging.getLogger(__name__)

MAGIC = b"PUBCLIP2"
# magic, sha256 of payload, sample rate, sample count, timed word count (0: not timed)
HEADER = struct.Struct("<8s32sIII")
TRIM_THRESHOLD = 330  # about -40 dBFS: quieter edges are breath and model noise, not speech
TRIM_KEEP_BEFORE = 0.015  # seconds kept before the first loud sample
TRIM_KEEP_AFTER = 0.040
def variant_filter(variant: str, rate: int) -> str:
    pitch, speed = VARIANTS[variant]
    return f"asetrate={round(rate * pitch)},aresample={rate},atempo={speed / pitch:.6f}"


@dataclass(frozen=True)
class SpokenClip:
    """One job's audio at the lesson's rate, and when each of its spoken words is said (in samples
    from the clip's start), where the engine could time them."""

    samples: np.ndarray  # int16
    words: tuple[tuple[int, int], ...] | None = None


class ClipCache:
    def __init__(self, folder: Path):
        self.folder = folder

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.clip"

    def get(self, key: str, rate: int) -> SpokenClip | None:
        try:
            data = self.path(key).read_bytes()
        except OSError:
            return None
        clip = parse_entry(data, rate)
        if clip is None:
            return self._damaged(key)
        return clip

    def has(self, key: str, rate: int) -> bool:
        return self.get(key, rate) is not None

    def put(self, key: str, clip: SpokenClip, rate: int) -> None:
        self.put_entry(key, entry_bytes(clip, rate))

    def put_entry(self, key: str, data: bytes) -> None:
        write_bytes_atomic(self.path(key), data, durable=False)

    def _damaged(self, key: str) -> None:
        log.warning("cached clip %s is damaged (bad header, truncated or checksum mismatch); synthesizing it again",
                    key[:12])
        try:
            self.path(key).unlink()
        except OSError:
            pass
        return None


def entry_bytes(clip: SpokenClip, rate: int) -> bytes:
    """A clip as its cache entry: header (with the payload's checksum), samples, word spans."""
    words = np.asarray(clip.words or (), dtype="<u4").reshape(-1, 2)
    payload = clip.samples.astype(np.int16).tobytes() + words.tobytes()
    return HEADER.pack(MAGIC, hashlib.sha256(payload).digest(), rate, len(clip.samples), len(words)) + payload


def parse_entry(data: bytes, rate: int) -> SpokenClip | None:
    """A cache entry's clip, or None when the entry is damaged or for another rate."""
    if len(data) < HEADER.size:
        return None
    magic, digest, stored_rate, count, word_count = HEADER.unpack_from(data)
    payload = data[HEADER.size:]
    if magic != MAGIC or stored_rate != rate or len(payload) != 2 * count + 8 * word_count:
        return None
    if hashlib.sha256(payload).digest() != digest:
        return None
    samples = np.frombuffer(payload, dtype=np.int16, count=count)
    if not word_count:
        return SpokenClip(samples)
    spans = np.frombuffer(payload, dtype="<u4", offset=2 * count).reshape(-1, 2)
    return SpokenClip(samples, tuple((int(a), int(b)) for a, b in spans))


def as_float(samples: np.ndarray) -> np.ndarray:
    if samples.dtype == np.int16:
        return samples.astype(np.float32) / 32768.0
    return samples.astype(np.float32, copy=False)


def to_int16(samples: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(samples * 32768.0), -32768, 32767).astype(np.int16)


def finish_clip(clip: engines.Clip, variant: str, rate: int) -> SpokenClip:
    """Engine output → the project's rate, with the voice variant applied and silent edges trimmed;
    word timings follow the samples.

    Bump `publish.speech.plan.CLIP_PROCESSING` when this changes, so old cached clips are not reused.

    Every engine's own rate (22,050 Hz Piper, 24 kHz hibari, …) is brought to the lesson's here,
    by soxr. (The intro and outro files are decoded straight to the lesson's rate by ffmpeg.)
    """
    import soxr

    from publish.ffmpeg import filter_pcm

    if clip.samples.size == 0:
        raise EngineError("the engine returned no audio for a sentence")
    samples = as_float(clip.samples)
    if variant:
        samples = as_float(filter_pcm(to_int16(samples), clip.rate, variant_filter(variant, clip.rate), clip.rate))
    if clip.rate != rate:
        samples = soxr.resample(samples, clip.rate, rate, quality="HQ")
    pcm = to_int16(samples)
    loud = np.flatnonzero(np.abs(pcm.astype(np.int32)) > TRIM_THRESHOLD)
    if loud.size == 0:
        raise EngineError("the engine returned only silence for a sentence")
    first = max(0, loud[0] - int(TRIM_KEEP_BEFORE * rate))
    last = min(len(pcm), loud[-1] + int(TRIM_KEEP_AFTER * rate))
    samples = np.ascontiguousarray(pcm[first:last], dtype=np.int16)
    if clip.words is None:
        return SpokenClip(samples)
    # The variant plays the clip 1/speed as long; the rate change scales it by rate/clip.rate.
    scale = rate / clip.rate / VARIANTS[variant][1]

    def moved(at: int) -> int:
        return int(min(max(round(at * scale) - first, 0), len(samples)))

    return SpokenClip(samples, tuple((moved(start), moved(end)) for start, end in clip.words))


# --- worker side ---------------------------------------------------------------------------------

_engine: engines.Engine | None = None
_cache: ClipCache | None = None
_rate = SAMPLE_RATE
_retries = 2
_timeout = 60.0


class _Timeout(Exception):
    pass


@contextmanager
def _time_limit(seconds: float):
    """Raise _Timeout if the body runs longer than `seconds` (Unix, main thread of the process)."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise _Timeout(f"no audio after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# A sentence takes Piper well under a second; a minute means the engine hangs.
SENTENCE_TIMEOUT_SECONDS = 60.0


def sentence_timeout(spec: EngineSpec) -> float:
    """How long the engine may take over one sentence (`[engines.NAME] timeout_s`)."""
    return float(dict(spec.options).get("timeout_s") or SENTENCE_TIMEOUT_SECONDS)


def _init_worker(spec: EngineSpec, cache_folder: Path, rate: int, retries: int, threads: int) -> None:
    global _engine, _cache, _rate, _retries, _timeout
    # Share the cores out: N workers each get cores/N threads inside the engine.
    _engine, _cache, _rate, _retries = spec.create(threads), ClipCache(cache_folder), rate, retries
    _timeout = sentence_timeout(spec)


def speak(engine: engines.Engine, job: SentenceJob) -> engines.Clip:
    """One job's sentence from the engine, with word timings where the engine gives them."""
    if not engine.word_timings:
        return engine.synthesize(engine.render(job.spoken), job.voice)
    words = [engine.render(job.spoken[start:end]) for start, end in spoken_words(job.spoken)]
    clip = engine.synthesize_timed(engine.render(job.spoken), words, job.voice)
    if clip.words is not None and len(clip.words) != len(words):
        return engines.Clip(clip.samples, clip.rate)  # an engine's miscount: keep the audio, drop the timings
    return clip


def spoken_clip(engine: engines.Engine, job: SentenceJob, rate: int, retries: int,
                time_limit: Callable[[], ContextManager] = nullcontext, place: str = "") -> SpokenClip:
    """One job's finished clip, the engine tried `retries` more times on any fault, each try
    inside `time_limit()`; then one EngineError saying what could not be spoken (`place`: where)."""
    for attempt in range(retries + 1):
        try:
            with time_limit():
                clip = speak(engine, job)
            return finish_clip(clip, job.variant, rate)
        except Exception as error:  # any engine fault: retry, then one clear message
            if attempt == retries:
                raise EngineError(f"{engine.name} could not speak “{job.spoken[:60]}” after {retries + 1} tries"
                                  f"{place}: {error}") from None
            log.info("retrying a sentence after: %s", error)
    raise AssertionError("unreachable")


def _synthesize_job(job: SentenceJob) -> tuple[str, SpokenClip, float]:
    assert _engine is not None and _cache is not None
    started = time.perf_counter()
    finished = spoken_clip(_engine, job, _rate, _retries, lambda: _time_limit(_timeout))
    _cache.put(job.key, finished, _rate)
    return job.key, finished, time.perf_counter() - started


# --- main side -----------------------------------------------------------------------------------


def from_cache(jobs: Iterable[SentenceJob], cache: ClipCache, rate: int, keep: bool = True
               ) -> tuple[dict[str, SpokenClip | None], dict[str, SentenceJob]]:
    """The jobs' clips found in the cache, and the jobs still to speak, each key once however many
    guides share it. With `keep=False` a cached clip is only checked, and its samples not kept (None)."""
    found: dict[str, SpokenClip | None] = {}
    missing: dict[str, SentenceJob] = {}
    for job in jobs:
        if job.key in found or job.key in missing:
            continue
        cached = cache.get(job.key, rate)
        if cached is None:
            missing[job.key] = job
        else:
            found[job.key] = cached if keep else None
    return found, missing


def at_turn(job: SentenceJob, error: Exception) -> EngineError:
    """An engine failure, named at the turn that says the sentence."""
    return EngineError(f"{job.where}: {error}" if job.where else str(error))


@dataclass
class SynthesisReport:
    cached: int = 0
    synthesized: int = 0
    seconds: float = 0.0  # summed time inside the engine workers
    failed: dict[str, str] = field(default_factory=dict)  # job key → why it could not be spoken (keep_going)
    clips: dict[str, SpokenClip] = field(default_factory=dict)  # every job's clip, with keep=True


Outcome = TypeVar("Outcome")


def gather(outcomes: Iterable[tuple[SentenceJob, Callable[[], Outcome]]], total: int, report: SynthesisReport,
           accept: Callable[[SentenceJob, Outcome], float], keep_going: bool,
           on_clip: Callable[[int, int], None] | None) -> None:
    """The one loop over spoken sentences, wherever they were spoken: each outcome is accepted
    (`accept` returns the engine's seconds), or its failure is named at its turn, or, with
    `keep_going`, kept in `report.failed` while the other sentences go on."""
    for done, (job, outcome) in enumerate(outcomes, start=1):
        try:
            seconds = accept(job, outcome())
        except EngineError as error:
            if not keep_going:
                raise at_turn(job, error) from None
            report.failed[job.key] = str(error)
        else:
            report.seconds += seconds
            report.synthesized += 1
        if on_clip:
            on_clip(done, total)


def synthesize(jobs: Iterable[SentenceJob], spec: EngineSpec, cache: ClipCache, workers: int, rate: int,
               on_clip: Callable[[int, int], None] | None = None, retries: int = 2,
               keep_going: bool = False, in_process: bool = False, keep: bool = True) -> SynthesisReport:
    """Clips for all jobs, from the cache where possible; the rest in parallel.

    A sentence that still fails after its retries raises EngineError (naming the job's turn),
    unless `keep_going`: then the report keeps its message under the job's key and the other
    sentences go on (and are cached), so one bad guide does not stop the others. The engine runs
    in worker processes (`in_process` runs it here), so its memory is returned when synthesis ends.
    With `keep=False` it only makes sure every clip is in the cache and returns no samples, so
    a build of many guides does not hold all their audio at once.
    """
    found, missing = from_cache(jobs, cache, rate, keep)
    report = SynthesisReport(cached=len(found), clips={key: clip for key, clip in found.items() if clip is not None})
    total = len(missing)
    if not missing:
        return report
    workers = max(1, min(workers, total))
    log.debug("synthesizing %d sentences, %d at a time", total, workers)

    def accept(job: SentenceJob, spoken: tuple[str, SpokenClip, float]) -> float:
        key, clip, seconds = spoken
        if keep:
            report.clips[key] = clip
        return seconds

    if in_process:
        _init_worker(spec, cache.folder, rate, retries, threads_per_worker(1))
        gather(((job, lambda job=job: _synthesize_job(job)) for job in missing.values()), total, report, accept,
               keep_going, on_clip)
        return report
    from publish.speech.service import SpeechService

    def spoken_outcome(spoken) -> tuple[str, SpokenClip, float]:
        if spoken.error is not None:
            raise EngineError(spoken.error)
        clip = cache.get(spoken.job.key, rate) if keep else None
        return spoken.job.key, clip, spoken.seconds

    with SpeechService(cache.folder, rate, workers, retries) as service:
        for job in _longest_first(missing.values()):
            service.submit(job, spec)
        service.close_input()
        gather(((spoken.job, lambda spoken=spoken: spoken_outcome(spoken)) for spoken in iter(service.events.get, None)),
               total, report, accept, keep_going, on_clip)
    return report


def _longest_first(jobs: Iterable[SentenceJob]) -> list[SentenceJob]:
    # long sentences first, so no worker is left with one long job at the end
    return sorted(jobs, key=lambda job: -len(job.spoken))


def threads_per_worker(workers: int) -> int:
    return max(1, (os.cpu_count() or 1) // workers)
