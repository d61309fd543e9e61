"""Level matching: every host of a lesson equally loud, whatever engine speaks for them.

Engines differ by several dB (hibari speaks quieter than Piper), so each voice's clips are
limited and measured together, the way a listener's ears (and a loudness meter) hear that host
over the whole lesson, and brought to the same integrated loudness with one gain per voice.
Mastering then sets the lesson's loudness as a whole.
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
    from publish.speech.clips import SpokenClip
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


@dataclass(frozen=True)
class VoiceLevel:
    """One voice's speech in the lesson, limited against its own level, and the gain that brings
    it to the loudness every voice of the lesson shares."""

    speech: np.ndarray  # every clip the voice says, in lesson order, as `voice_speech` joins them
    gain: Gain


# ebur128's integrated loudness of silence (its absolute gate).
SILENT_LUFS = -70.0


def level_voices(plan: "LessonPlan", clips: dict[str, "SpokenClip"], rate: int) -> dict[str, VoiceLevel]:
    """Every voice limited and given one gain, so that all are equally loud in the lesson.

    Each voice goes through its own limiter, set against that voice's speech level: engines differ
    by several dB and in how peaky they are, and one limiter for all would squeeze the loudest
    voice hardest (Kokoro lost 3.8 LU to it, hibari nothing). A limiter that is set from what it
    limits scales with it, so a gain after it moves the voice's loudness by exactly that gain: one
    measurement per voice, side by side, gives the gains; no rounds of trying.
    """
    from concurrent.futures import ThreadPoolExecutor

    from publish.ffmpeg import filter_and_measure

    speech = voice_speech(plan, clips)
    with ThreadPoolExecutor(max_workers=max(1, len(speech))) as pool:
        found = {voice: pool.submit(filter_and_measure, samples, rate, limiter_filter(samples, rate))
                 for voice, samples in speech.items()}
        done = {voice: future.result() for voice, future in found.items()}
    for voice, (samples, _) in done.items():
        if len(samples) != len(speech[voice]):  # the limiter keeps every sample in place (latency=true)
            raise AudioError(f"limiting the voice {voice} changed its length ({len(speech[voice])} → {len(samples)} samples)")
    # A voice too short or too quiet to measure (ebur128 gives its gate, or -inf) keeps its level.
    heard = {voice: measured.integrated_lufs for voice, (_, measured) in done.items()
             if SILENT_LUFS < measured.integrated_lufs < math.inf}
    target = sum(heard.values()) / len(heard) if heard else 0.0
    return {voice: VoiceLevel(samples, Gain(target - heard[voice] if voice in heard else 0.0))
            for voice, (samples, _) in done.items()}


# Speech may peak this far above its loudness once limited; podcasts allow about 15 dB (-16 LUFS, -1 dBTP).
LIMIT_ABOVE_LOUDNESS_DB = 8.0
TRUE_PEAK_MARGIN_DB = 0.5  # MP3 encoding adds a little to the true peak


def mastering_chain(samples: np.ndarray, rate: int, config: "AudioConfig") -> str:
    """The ffmpeg filter that brings the track to the loudness target without passing the peak
    ceiling: one gain change. Peaks were trimmed before, each voice by a limiter of its own
    (`level_voices`), intro and outro music by theirs (`limited`): a limiter over the whole track,
    set from speech that is already limited, would trim it again (by 1.6-3.3 LU, measured)."""
    from publish.ffmpeg import measure_pcm

    measured = measure_pcm(samples, rate)
    if not measured.integrated_lufs > SILENT_LUFS:
        raise AudioError("the lesson audio is silent — check the TTS engine and voices")
    gain = config.loudness_lufs - measured.integrated_lufs
    ceiling = config.true_peak_dbtp - TRUE_PEAK_MARGIN_DB
    if measured.true_peak_dbtp + gain > ceiling:
        log.info("loudness held %.1f dB under target to keep true peak under %.1f dBTP",
                 measured.true_peak_dbtp + gain - ceiling, config.true_peak_dbtp)
        gain = ceiling - measured.true_peak_dbtp
    return f"volume={gain:.2f}dB"


def limited(samples: np.ndarray, rate: int) -> np.ndarray:
    """Samples through a limiter set against their own level (the intro and outro)."""
    from publish.ffmpeg import filter_pcm

    return filter_pcm(samples, rate, limiter_filter(samples, rate), rate)


# ffmpeg's alimiter limits at -24 dBFS at the lowest, and lifts its input by up to 36 dB.
LOWEST_LIMIT_DB = -24.0
MOST_LIFT_DB = 36.0


def limiter_filter(samples: np.ndarray, rate: int) -> str:
    """A look-ahead limiter (its delay compensated, so no sample moves) at the samples' speech level
    plus LIMIT_ABOVE_LOUDNESS_DB. Quiet speech is lifted into the limiter's range and lowered again
    after it, so the limiter acts on a quiet voice as it does on a loud one."""
    limit_db = min(0.0, _speech_level_db(samples, rate) + LIMIT_ABOVE_LOUDNESS_DB)
    lift_db = min(MOST_LIFT_DB, max(0.0, LOWEST_LIMIT_DB - limit_db))
    lifted = f":level_in={10 ** (lift_db / 20):.4f}:level_out={10 ** (-lift_db / 20):.4f}" if lift_db else ""
    return (f"alimiter=limit={10 ** ((limit_db + lift_db) / 20):.4f}{lifted}"
            ":attack=2:release=80:level=false:latency=true")


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
    if not power.max() > 0:
        return -20.0
    # Voiced: within 40 dB of the loudest block, so that the level (and the limiter set from it)
    # moves with a voice's gain, however quiet the engine speaks.
    voiced = power[power > power.max() * 10 ** (-VOICED_WITHIN_DB / 10)]
    return float(10 * np.log10(voiced.mean()))


VOICED_WITHIN_DB = 40.0


