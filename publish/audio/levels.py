"""Level matching and mastering, as one gain per voice: every host, and the intro and outro music,
brought to the lesson's loudness target, each through a limiter set against its own level first.

Engines differ by several dB (hibari speaks quieter than Piper) and in how peaky they are. Each
voice goes through its own limiter, set from that voice's speech level: one limiter for all would
squeeze the loudest voice hardest (Kokoro lost 3.8 LU to it, hibari nothing). A limiter that is set
from what it limits scales with it, so a gain after it moves the voice's loudness by exactly that
gain: one measurement per voice gives its gain. Voices that each measure the target make a lesson
that measures it (their blocks are gated together); no pass over the whole lesson is needed.

Everything is measured a `Stretch` at a time (a voice's clips in one piece of the lesson), and
kept (`publish.audio.store`): a voice's level is reckoned from its stretches' figures, so an edit
measures only the stretch it changes. And levels are held: while a lesson's new levels lie within
`HOLD_SPEECH_DB` and `HOLD_GAIN_DB` of those it was last made at, it keeps them, so that an edit
does not move every piece by a hundredth of a dB and make each of them again.
"""

from __future__ import annotations

import logging
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

from publish.audio.store import LessonStore, entry_key
from publish.errors import AudioError

if TYPE_CHECKING:
    from publish.audio.layout import Piece, Sound
    from publish.config import AudioConfig

log = logging.getLogger(__name__)

# Speech may peak this far above its level once limited; podcasts allow about 15 dB (-16 LUFS, -1 dBTP).
LIMIT_ABOVE_LOUDNESS_DB = 8.0
TRUE_PEAK_MARGIN_DB = 0.5  # MP3 encoding adds a little to the true peak
SILENT_LUFS = -70.0  # EBU R128's absolute gate
RELATIVE_GATE_LU = 10.0
# ffmpeg's alimiter limits at -24 dBFS at the lowest, and lifts its input by up to 36 dB.
LOWEST_LIMIT_DB = -24.0
MOST_LIFT_DB = 36.0
VOICED_WITHIN_DB = 40.0
EDGE_BLOCKS = 3  # of 100 ms: a gating block of 400 ms reaches 300 ms past the last one it starts in
# How far a lesson's levels may drift from those it was last made at before it is made at new ones:
# a sentence of seventy moves its voice's loudness by about 0.03 dB.
HOLD_SPEECH_DB = 0.5
HOLD_GAIN_DB = 0.1


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


@dataclass(frozen=True)
class Level:
    """How one voice is levelled: its speech level (which sets its limiter) and its gain after it."""

    speech_db: float
    gain: Gain

    @property
    def limiter(self) -> str:
        return limiter_filter(self.speech_db)


@dataclass(frozen=True)
class Stretch:
    """One voice's clips in one piece of the lesson, from its first to its last, with the pauses
    between them (silence where another voice speaks): what is measured and kept. Measured so, a
    voice's loudness counts the blocks that reach into its pauses, as the lesson's does."""

    voice: str
    sounds: tuple["Sound", ...]

    @property
    def start(self) -> int:
        return self.sounds[0].at

    @property
    def length(self) -> int:
        return self.sounds[-1].at + self.sounds[-1].length - self.start

    def key(self, kind: str, *settings: object) -> str:
        return entry_key(kind, self.voice, *settings,
                         *(f"{sound.key} {sound.at - self.start} {sound.length}" for sound in self.sounds))


def stretches(pieces: tuple["Piece", ...]) -> dict[str, list[Stretch]]:
    """Each voice's stretches, in lesson order."""
    found: dict[str, list[Stretch]] = {}
    for piece in pieces:
        for voice in piece.voices():
            found.setdefault(voice, []).append(Stretch(voice, piece.said_by(voice)))
    return found


def limiter_filter(speech_db: float) -> str:
    """A look-ahead limiter (its delay compensated, so no sample moves) at the speech level plus
    LIMIT_ABOVE_LOUDNESS_DB. Quiet speech is lifted into the limiter's range and lowered again
    after it, so the limiter acts on a quiet voice as it does on a loud one."""
    limit_db = min(0.0, speech_db + LIMIT_ABOVE_LOUDNESS_DB)
    lift_db = min(MOST_LIFT_DB, max(0.0, LOWEST_LIMIT_DB - limit_db))
    lifted = f":level_in={10 ** (lift_db / 20):.4f}:level_out={10 ** (-lift_db / 20):.4f}" if lift_db else ""
    return (f"alimiter=limit={10 ** ((limit_db + lift_db) / 20):.4f}{lifted}"
            ":attack=2:release=80:level=false:latency=true")


def block_powers(samples: np.ndarray, rate: int) -> np.ndarray:
    """The mean square of every whole 100 ms block, in float32 (a float64 copy of a long stretch
    would be the largest thing in memory), ten seconds at a time."""
    block = rate // 10
    powers = []
    for start in range(0, len(samples) - block + 1, block * 100):
        chunk = samples[start:start + block * 100]
        chunk = chunk[: len(chunk) // block * block].astype(np.float32) / 32768.0
        powers.append(np.square(chunk).reshape(-1, block).mean(axis=1))
    return np.concatenate(powers) if powers else np.zeros(0, np.float32)


def speech_level_db(powers: np.ndarray) -> float:
    """A quick RMS level of the voiced 100 ms blocks (dBFS), to place the limiter. Voiced: within
    VOICED_WITHIN_DB of the loudest block, so that the level moves with a voice's gain, however
    quietly the engine speaks."""
    if not powers.size or not powers.max() > 0:
        return -20.0
    voiced = powers[powers > powers.max() * 10 ** (-VOICED_WITHIN_DB / 10)]
    return float(10 * np.log10(voiced.mean()))


def integrated_lufs(momentary: np.ndarray) -> float:
    """EBU R128 integrated loudness of gating blocks given as their momentary loudness: the blocks
    above the absolute gate, then those within RELATIVE_GATE_LU of their mean."""
    blocks = momentary[momentary > SILENT_LUFS]
    if not blocks.size:
        return -math.inf
    energy = 10 ** (blocks / 10)
    gate = 10 * math.log10(energy.mean()) - RELATIVE_GATE_LU
    return float(10 * math.log10(energy[blocks > gate].mean()))


@dataclass(frozen=True)
class Measured:
    """A stretch after its voice's limiter: its gating blocks' loudness, and its true peak."""

    momentary: np.ndarray
    true_peak_db: float

    def to_bytes(self) -> bytes:
        return np.float64(self.true_peak_db).tobytes() + self.momentary.astype("<f8").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> "Measured":
        values = np.frombuffer(data, dtype="<f8")
        return cls(values[1:], float(values[0]))


class Leveller:
    """A lesson's voices levelled from its stretches, with what is kept in `store`. `said` gives a
    stretch's clips back to back (its speech level, which sets the limiter, is of speech alone),
    `spread` the stretch as laid out (what is limited and measured)."""

    def __init__(self, store: LessonStore, rate: int, said: Callable[[Stretch], np.ndarray],
                 spread: Callable[[Stretch], np.ndarray], version: str):
        self.store, self.rate, self.said, self.spread, self.version = store, rate, said, spread, version

    def powers(self, stretch: Stretch) -> np.ndarray:
        key = stretch.key("powers", self.rate)
        kept = self.store.get("powers", key)
        if kept is not None:
            return np.frombuffer(kept, dtype="<f4")
        powers = block_powers(self.said(stretch), self.rate).astype("<f4")
        self.store.put("powers", key, powers.tobytes())
        return powers

    def measured(self, stretch: Stretch, limiter: str) -> Measured:
        key = stretch.key("measured", self.rate, self.version, limiter)
        kept = self.store.get("measured", key)
        if kept is not None:
            return Measured.from_bytes(kept)
        return self._limit(stretch, limiter)[1]

    def limited(self, stretch: Stretch, limiter: str) -> np.ndarray:
        """The stretch through its voice's limiter: kept when it was measured, else limited again."""
        kept = self.store.get("limited", stretch.key("limited", self.rate, self.version, limiter))
        return np.frombuffer(kept, dtype="<i2") if kept is not None else self._limit(stretch, limiter)[0]

    def _limit(self, stretch: Stretch, limiter: str) -> tuple[np.ndarray, Measured]:
        """Limited and measured between EDGE of silence on either side, as a pause has it in the
        lesson: the blocks that reach from its sounds into silence count, as they do in the lesson's."""
        from publish.ffmpeg import filter_and_meter

        edge = np.zeros(EDGE_BLOCKS * (self.rate // 10), np.int16)
        raw = np.concatenate([edge, self.spread(stretch), edge])
        metered = filter_and_meter(raw, self.rate, limiter)
        if len(metered.samples) != len(raw):  # the limiter keeps every sample in place (latency=true)
            raise AudioError(f"limiting the voice {stretch.voice} changed its length ({len(raw)} → "
                             f"{len(metered.samples)} samples)")
        measured = Measured(metered.momentary, metered.loudness.true_peak_dbtp)
        limited = metered.samples[len(edge):len(edge) + stretch.length]
        self.store.put("limited", stretch.key("limited", self.rate, self.version, limiter),
                       limited.astype("<i2").tobytes())
        self.store.put("measured", stretch.key("measured", self.rate, self.version, limiter), measured.to_bytes())
        return limited, measured

    def levels(self, pieces: tuple["Piece", ...], config: "AudioConfig", lesson: str) -> dict[str, Level]:
        """Every voice's level; the lesson's held levels where the new ones lie close to them."""
        by_voice = stretches(pieces)
        held = self.store.held(lesson)
        exact = {voice: speech_level_db(np.concatenate([self.powers(s) for s in found]))
                 for voice, found in by_voice.items()}
        speech = _held(exact, {voice: values[0] for voice, values in held.items()}, HOLD_SPEECH_DB)
        with ThreadPoolExecutor(max_workers=2) as pool:  # each missing measurement is an ffmpeg process
            measured = {voice: list(pool.map(lambda s: self.measured(s, limiter_filter(speech[s.voice])), found))
                        for voice, found in by_voice.items()}
        gains = voice_gains(measured, config)
        if speech is not exact:  # the same limiters as last time: its gains may hold too
            gains = _held(gains, {voice: values[1] for voice, values in held.items()}, HOLD_GAIN_DB)
        self.store.hold(lesson, {voice: [speech[voice], gains[voice]] for voice in speech})
        return {voice: Level(speech[voice], Gain(gains[voice])) for voice in speech}


def _held(new: dict[str, float], held: dict[str, float], within: float) -> dict[str, float]:
    """`held` when it has a value for every voice and each lies within `within` of the new one; else `new`."""
    if set(held) == set(new) and all(abs(new[voice] - held[voice]) <= within for voice in new):
        return held
    return new


def voice_gains(measured: dict[str, list[Measured]], config: "AudioConfig") -> dict[str, float]:
    """Each voice's gain: all voices equally loud, the lesson (their blocks gated together) at the
    loudness target, and all lowered together where one would pass the true-peak ceiling. A voice
    too short or too quiet to measure keeps its level."""
    blocks = {voice: np.concatenate([m.momentary for m in found]) for voice, found in measured.items()}
    loudness = {voice: integrated_lufs(found) for voice, found in blocks.items()}
    matched = {voice: config.loudness_lufs - lufs if SILENT_LUFS < lufs < math.inf else 0.0
               for voice, lufs in loudness.items()}
    lesson = integrated_lufs(np.concatenate([found + matched[voice] for voice, found in blocks.items()]))
    if not SILENT_LUFS < lesson < math.inf:
        raise AudioError("the lesson audio is silent — check the TTS engine and voices")
    gains = {voice: gain + config.loudness_lufs - lesson for voice, gain in matched.items()}
    ceiling = config.true_peak_dbtp - TRUE_PEAK_MARGIN_DB
    over = max(max(m.true_peak_db for m in found) + gains[voice] for voice, found in measured.items()) - ceiling
    if over > 0:
        log.info("loudness held %.1f dB under target to keep true peak under %.1f dBTP", over, config.true_peak_dbtp)
        gains = {voice: gain - over for voice, gain in gains.items()}
    return {voice: round(gain, 3) for voice, gain in gains.items()}
