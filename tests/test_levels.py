"""Level matching (publish.audio.levels): each voice limited against its own level, so one gain
after the limiter moves its loudness by exactly that gain."""

from __future__ import annotations

import numpy as np
import pytest

from publish.audio.levels import Gain, limiter_filter, mastering_chain
from publish.config import AudioConfig
from publish.ffmpeg import filter_and_measure, measure_pcm

RATE = 44100


def speech_like(seconds: float = 20.0, seed: int = 3) -> np.ndarray:
    """Noise in syllable-long bursts with loud peaks here and there: enough for the limiter to act."""
    rng = np.random.default_rng(seed)
    count = int(seconds * RATE)
    envelope = np.repeat(rng.uniform(0.05, 1.0, count // 8820 + 1), 8820)[:count]
    envelope[rng.random(count) < 0.0005] *= 4  # clicks of peaks the limiter has to catch
    return np.clip(rng.standard_normal(count) * envelope * 2500, -32768, 32767).astype(np.int16)


@pytest.mark.parametrize("gain_db", [-20.0, -6.0, 4.0])  # -6 and -20: below the limiter's range, lifted into it
def test_a_limiter_set_from_its_input_scales_with_it(gain_db):
    quiet = speech_like()
    louder = Gain(gain_db).apply(quiet)
    _, measured_quiet = filter_and_measure(quiet, RATE, limiter_filter(quiet, RATE))
    limited_louder, measured_louder = filter_and_measure(louder, RATE, limiter_filter(louder, RATE))
    assert measured_quiet.integrated_lufs < measure_pcm(quiet, RATE).integrated_lufs - 0.2, "the limiter acted"
    assert measured_louder.integrated_lufs - measured_quiet.integrated_lufs == pytest.approx(gain_db, abs=0.15)
    assert len(limited_louder) == len(louder)


def test_mastering_is_one_gain_to_the_target_under_the_peak_ceiling():
    samples = speech_like()
    chain = mastering_chain(samples, RATE, AudioConfig())
    assert chain.startswith("volume=") and "alimiter" not in chain
    mastered = Gain(float(chain.removeprefix("volume=").removesuffix("dB"))).apply(samples)
    measured = measure_pcm(mastered, RATE)
    config = AudioConfig()
    assert measured.true_peak_dbtp <= config.true_peak_dbtp
    assert measured.integrated_lufs == pytest.approx(config.loudness_lufs, abs=0.2) or \
        measured.true_peak_dbtp == pytest.approx(config.true_peak_dbtp - 0.5, abs=0.3)
