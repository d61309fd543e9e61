"""Level matching and mastering (publish.audio.levels): each voice limited against its own level, so
one gain after the limiter moves its loudness by exactly that gain; each voice's gain to the
target, reckoned from the gating blocks of its stretches; levels held while an edit moves them
less than the hold."""

from __future__ import annotations

import numpy as np
import pytest

from publish.audio.levels import (HOLD_GAIN_DB, Gain, Leveller, Measured, Stretch, block_powers, integrated_lufs,
                                  limiter_filter, speech_level_db, voice_gains)
from publish.audio.layout import Piece, Sound
from publish.audio.store import LessonStore
from publish.config import AudioConfig
from publish.ffmpeg import filter_and_meter, measure_pcm

RATE = 44100


def speech_like(seconds: float = 20.0, seed: int = 3) -> np.ndarray:
    """Noise in syllable-long bursts with loud peaks here and there: enough for the limiter to act."""
    rng = np.random.default_rng(seed)
    count = int(seconds * RATE)
    envelope = np.repeat(rng.uniform(0.05, 1.0, count // 8820 + 1), 8820)[:count]
    envelope[rng.random(count) < 0.0005] *= 4  # clicks of peaks the limiter has to catch
    return np.clip(rng.standard_normal(count) * envelope * 2500, -32768, 32767).astype(np.int16)


def limiter_for(samples: np.ndarray) -> str:
    return limiter_filter(speech_level_db(block_powers(samples, RATE)))


@pytest.mark.parametrize("gain_db", [-20.0, -6.0, 4.0])  # -6 and -20: below the limiter's range, lifted into it
def test_a_limiter_set_from_its_input_scales_with_it(gain_db):
    quiet = speech_like()
    louder = Gain(gain_db).apply(quiet)
    measured_quiet = filter_and_meter(quiet, RATE, limiter_for(quiet)).loudness
    limited_louder = filter_and_meter(louder, RATE, limiter_for(louder))
    assert measured_quiet.integrated_lufs < measure_pcm(quiet, RATE).integrated_lufs - 0.2, "the limiter acted"
    assert limited_louder.loudness.integrated_lufs - measured_quiet.integrated_lufs == pytest.approx(gain_db, abs=0.15)
    assert len(limited_louder.samples) == len(louder)


def test_loudness_reckoned_from_the_blocks_of_several_passes_is_the_loudness_of_them_all():
    """Two stretches metered apart, their blocks gated together: the integrated loudness ffmpeg
    measures of the two as one (each ends in a pause, so no block of the whole spans both)."""
    pause = np.zeros(RATE // 2, np.int16)
    parts = [np.concatenate([speech_like(7.3, seed), pause]) for seed in (1, 2)]
    parts[1] = Gain(-7.0).apply(parts[1])
    parts[0] = parts[0][:len(parts[0]) // (RATE // 10) * (RATE // 10)]  # the second starts on the 100 ms grid
    blocks = np.concatenate([filter_and_meter(part, RATE, "anull").momentary for part in parts])
    whole = measure_pcm(np.concatenate(parts), RATE).integrated_lufs
    assert integrated_lufs(blocks) == pytest.approx(whole, abs=0.06)  # ffmpeg prints it to 0.1 LU
    # Only the three blocks that start in the first's pause and end in the second are in neither
    # pass (measured: 0.03 LU here).
    together = filter_and_meter(np.concatenate(parts), RATE, "anull").momentary
    assert integrated_lufs(blocks) == pytest.approx(integrated_lufs(together), abs=0.05)


def test_each_voice_is_brought_to_the_target_and_all_kept_under_the_peak_ceiling():
    config = AudioConfig()
    quiet, loud = (filter_and_meter(Gain(db).apply(speech_like()), RATE, "anull") for db in (-12.0, 3.0))
    measured = {voice: [Measured(metered.momentary, -30.0)] for voice, metered in (("quiet", quiet), ("loud", loud))}
    gains = voice_gains(measured, config)
    for voice, metered in (("quiet", quiet), ("loud", loud)):
        assert integrated_lufs(metered.momentary) + gains[voice] == pytest.approx(config.loudness_lufs, abs=0.01)
    peaky = {"loud": [Measured(loud.momentary, config.loudness_lufs + 20.0 - gains["loud"])], "quiet": measured["quiet"]}
    held_down = voice_gains(peaky, config)
    assert held_down["loud"] - gains["loud"] == pytest.approx(held_down["quiet"] - gains["quiet"], abs=0.002)
    assert held_down["loud"] + peaky["loud"][0].true_peak_db == pytest.approx(config.true_peak_dbtp - 0.5, abs=0.002)


def one_voice_lesson(clips: dict[str, np.ndarray]) -> tuple[Piece, ...]:
    """One piece: the clips one after another, a second apart, all said by one host."""
    sounds, at = [], RATE // 2
    for key, samples in clips.items():
        sounds.append(Sound("host", key, at, len(samples)))
        at += len(samples) + RATE
    return (Piece(0, at, tuple(sounds)),)


def leveller(tmp_path, clips: dict[str, np.ndarray]) -> Leveller:
    def said(stretch: Stretch) -> np.ndarray:
        return np.concatenate([clips[sound.key] for sound in stretch.sounds])

    def spread(stretch: Stretch) -> np.ndarray:
        samples = np.zeros(stretch.length, np.int16)
        for sound in stretch.sounds:
            samples[sound.at - stretch.start:][:sound.length] = clips[sound.key]
        return samples

    return Leveller(LessonStore(tmp_path), RATE, said, spread, "test")


def levels_of(tmp_path, clips: dict[str, np.ndarray], lesson: str = "lesson"):
    return leveller(tmp_path, clips).levels(one_voice_lesson(clips), AudioConfig(), lesson)


def replaced(clips: dict[str, np.ndarray], key: str, samples: np.ndarray) -> dict[str, np.ndarray]:
    """The lesson with one clip said anew (so under a new key), in its place."""
    return {(f"{name}-again" if name == key else name): (samples if name == key else said)
            for name, said in clips.items()}


def test_an_edit_that_barely_moves_a_voice_keeps_the_lessons_levels(tmp_path):
    clips = {f"clip{n}": speech_like(6.0, seed=n) for n in range(8)}
    first = levels_of(tmp_path, clips)
    edited = replaced(clips, "clip4", speech_like(6.0, seed=99))  # one sentence of eight said again
    assert levels_of(tmp_path, edited) == first, "a few hundredths of a dB: the levels hold"
    assert levels_of(tmp_path, edited, "another lesson") != first, "a lesson made afresh is levelled exactly"
    quieter = replaced(edited, "clip5", Gain(-6.0).apply(clips["clip5"]))
    assert levels_of(tmp_path, quieter)["host"].gain.db - first["host"].gain.db > HOLD_GAIN_DB
