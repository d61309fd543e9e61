"""Level matching: every host of a lesson equally loud, whatever engine speaks for them.

Engines differ by several dB (hibari speaks quieter than Piper), so each voice's clips are
measured together, the way a listener's ears (and a loudness meter) hear that host over the whole
lesson, and brought to the same integrated loudness with one gain per voice. Mastering then sets
the lesson's loudness as a whole.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from publish.errors import AudioError

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan
    from publish.speech.synth import SpokenClip
    from publish.config import AudioConfig

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Gain:
    db: float

    def apply(self, samples: np.ndarray) -> np.ndarray:
        if abs(self.db) < 0.01:
            return samples
        # In place, in float32 with float32 bounds: np.clip with Python ints takes a slow path
        # (measured: 0.6 s of a 2.7 s lesson assembly).
        scaled = samples.astype(np.float32)
        scaled *= np.float32(10 ** (self.db / 20))
        np.rint(scaled, out=scaled)
        np.clip(scaled, np.float32(-32768), np.float32(32767), out=scaled)
        return scaled.astype(np.int16)


def voice_speech(plan: "LessonPlan", clips: dict[str, "SpokenClip"]) -> dict[str, np.ndarray]:
    """Each voice's speech in the lesson, each sentence counted once per time it is spoken."""
    speech: dict[str, list[np.ndarray]] = {}
    for planned in plan.turns:
        pieces = speech.setdefault(str(planned.voice), [])
        pieces.extend(clips[job.key].samples for sentence in planned.sentences for job in sentence.jobs)
    return {voice: np.concatenate(pieces) for voice, pieces in speech.items()}


MATCH_ROUNDS = 3
MATCH_TOLERANCE_LU = 0.2


def voice_gains(plan: "LessonPlan", clips: dict[str, "SpokenClip"], rate: int) -> dict[str, Gain]:
    """One gain per voice that makes every voice equally loud in the mastered lesson.

    Measured through the same limiter the mastering applies: voices differ in how peaky they are
    (Piper's joe loses about 2 LU more to it than hibari's heart), so matching before it is not enough.
    """
    speech = voice_speech(plan, clips)
    gains = {voice: 0.0 for voice in speech}
    if len(speech) < 2:
        return {voice: Gain(0.0) for voice in speech}
    for _ in range(MATCH_ROUNDS):
        gained = {voice: Gain(gains[voice]).apply(samples) for voice, samples in speech.items()}
        limiter = limiter_filter(np.concatenate(list(gained.values())), rate)
        loudness = _measure_each(gained, rate, limiter)
        measured = [value for value in loudness.values() if math.isfinite(value)]
        if len(measured) < 2 or max(measured) - min(measured) <= MATCH_TOLERANCE_LU:
            break
        target = sum(measured) / len(measured)
        for voice, value in loudness.items():
            if math.isfinite(value):
                gains[voice] += target - value
    return {voice: Gain(db) for voice, db in gains.items()}


def _measure_each(speech: dict[str, np.ndarray], rate: int, limiter: str) -> dict[str, float]:
    """Each voice's loudness through the limiter; one ffmpeg process per voice, side by side."""
    from concurrent.futures import ThreadPoolExecutor

    from publish.ffmpeg import measure_pcm

    with ThreadPoolExecutor(max_workers=len(speech)) as pool:
        found = {voice: pool.submit(measure_pcm, samples, rate, limiter, False) for voice, samples in speech.items()}
        return {voice: future.result().integrated_lufs for voice, future in found.items()}


# Speech may peak this far above its loudness once limited; podcasts allow about 15 dB (-16 LUFS, -1 dBTP).
LIMIT_ABOVE_LOUDNESS_DB = 8.0
TRUE_PEAK_MARGIN_DB = 0.5  # MP3 encoding adds a little to the true peak


def mastering_chain(samples: np.ndarray, rate: int, config: "AudioConfig") -> str:
    """The ffmpeg filters that bring the track to the loudness target without passing the peak ceiling.

    A look-ahead limiter (with its delay compensated, so no sample moves) trims the few sentence
    peaks that would otherwise stop a plain gain from reaching the target; then one gain change.
    """
    from publish.ffmpeg import measure_pcm

    limiter = limiter_filter(samples, rate)
    measured = measure_pcm(samples, rate, limiter)
    if measured.integrated_lufs == float("-inf"):
        raise AudioError("the lesson audio is silent — check the TTS engine and voices")
    gain = config.loudness_lufs - measured.integrated_lufs
    ceiling = config.true_peak_dbtp - TRUE_PEAK_MARGIN_DB
    if measured.true_peak_dbtp + gain > ceiling:
        log.info("loudness held %.1f dB under target to keep true peak under %.1f dBTP",
                    measured.true_peak_dbtp + gain - ceiling, config.true_peak_dbtp)
        gain = ceiling - measured.true_peak_dbtp
    return f"{limiter},volume={gain:.2f}dB"


def limiter_filter(samples: np.ndarray, rate: int) -> str:
    limit_db = min(0.0, _speech_level_db(samples, rate) + LIMIT_ABOVE_LOUDNESS_DB)
    return f"alimiter=limit={10 ** (limit_db / 20):.4f}:attack=2:release=80:level=false:latency=true"


def _speech_level_db(samples: np.ndarray, rate: int) -> float:
    """A quick RMS level of the voiced 100 ms blocks (dBFS), to place the limiter.

    Ten seconds at a time, in float32: a float64 copy of a whole lesson would be the largest
    thing in memory.
    """
    block = rate // 10
    powers = []
    for start in range(0, len(samples) - block + 1, block * 100):
        chunk = samples[start:start + block * 100]
        chunk = chunk[: len(chunk) // block * block].astype(np.float32) / 32768.0
        powers.append(np.square(chunk).reshape(-1, block).mean(axis=1))
    if not powers:
        return -20.0
    power = np.concatenate(powers)
    voiced = power[power > 10 ** (-50 / 10)]
    if voiced.size == 0:
        return -20.0
    return float(10 * np.log10(voiced.mean()))


