"""Speaking one sentence: an engine's clip made into a finished one, with its retries, and the
engine host that every process which speaks keeps (the build's engine processes, a cluster worker).

ONNX Runtime's `InferenceSession.run` is thread-safe and releases the GIL, so one process speaks
as many sentences at once as it has threads, with one copy of the model and its buffers (a second
process would hold a second copy: about 300 MB for Piper). `EngineHost` owns that rule: one engine
per process, each voice prepared once, the threads share it.
"""

from __future__ import annotations

import logging
import threading
from typing import Callable

from publish import engines
from publish.engines import EngineSpec
from publish.errors import EngineError
from publish.speech.clips import SpokenClip, finish_clip
from publish.speech.plan import SentenceJob
from publish.text.spoken import spoken_words

log = logging.getLogger(__name__)

# A sentence takes Piper well under a second; a minute means the engine hangs.
SENTENCE_TIMEOUT_SECONDS = 60.0


def sentence_timeout(spec: EngineSpec) -> float:
    """How long the engine may take over one sentence (`[engines.NAME] timeout_s`)."""
    return float(dict(spec.options).get("timeout_s") or SENTENCE_TIMEOUT_SECONDS)


def words_of(engine: engines.Engine, job: SentenceJob) -> list[str]:
    """The job's words in the engine's own input form, where the engine times words."""
    if not engine.word_timings:
        return []
    return [engine.render(job.spoken[start:end]) for start, end in spoken_words(job.spoken)]


def speak(engine: engines.Engine, job: SentenceJob) -> engines.Clip:
    """One job's sentence from the engine, with word timings where the engine gives them."""
    if not engine.word_timings:
        return engine.synthesize(engine.render(job.spoken), job.voice)
    words = words_of(engine, job)
    clip = engine.synthesize_timed(engine.render(job.spoken), words, job.voice)
    if clip.words is not None and len(clip.words) != len(words):
        return engines.Clip(clip.samples, clip.rate)  # an engine's miscount: keep the audio, drop the timings
    return clip


def spoken_clip(engine: engines.Engine, job: SentenceJob, rate: int, retries: int, place: str = "") -> SpokenClip:
    """One job's finished clip, the engine tried `retries` more times on any fault; then one
    EngineError saying what could not be spoken (`place`: where)."""
    for attempt in range(retries + 1):
        try:
            return finish_clip(speak(engine, job), job.variant, rate)
        except Exception as error:  # any engine fault: retry, then one clear message
            if attempt == retries:
                raise EngineError(f"{engine.name} could not speak “{job.spoken[:60]}” after {retries + 1} tries"
                                  f"{place}: {error}") from None
            log.info("retrying a sentence after: %s", error)
    raise AssertionError("unreachable")


class EngineHost:
    """One engine in this process, for as long as the process speaks: its model loads once, each
    voice is prepared once, and every thread speaks with it. Each sentence runs on one model
    thread, so the sentences themselves run side by side."""

    def __init__(self, spec: EngineSpec):
        self.engine = spec.create(threads=1)
        self._loading = threading.Lock()
        self._ready: set[str] = set()

    def prepare(self, voice: str) -> None:
        """Load the voice ahead of its first sentence; a voice that cannot load is said by that
        sentence, at its turn."""
        with self._loading:
            if voice in self._ready:
                return
            try:
                self.engine.prepare(voice)
            except Exception:  # said by the voice's first sentence
                return
            self._ready.add(voice)

    def look_ahead(self, job: SentenceJob) -> None:
        """What the job's sentence needs besides the model, worked out now; a failure is said when
        the sentence is spoken."""
        try:
            self.engine.look_ahead(self.engine.render(job.spoken), words_of(self.engine, job), job.voice)
        except Exception:  # said by the sentence itself, at its turn
            log.debug("looking ahead at “%s” failed", job.spoken[:40], exc_info=True)

    def let_go(self) -> None:
        self.engine.let_go()

    def clip(self, job: SentenceJob, rate: int, retries: int, place: str = "",
             begun: Callable[[], None] = lambda: None) -> SpokenClip:
        """The job's finished clip; `begun` is called as the engine starts on it."""
        if job.voice in self._ready:
            begun()
            return spoken_clip(self.engine, job, rate, retries, place)
        with self._loading:  # a voice's first sentence loads its model: once, not once per thread
            begun()
            clip = spoken_clip(self.engine, job, rate, retries, place)
            self._ready.add(job.voice)
        return clip
