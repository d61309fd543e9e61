"""ffmpeg as publish drives it: samples in through a pipe, every one of them measured."""

from __future__ import annotations

import numpy as np

from publish.ffmpeg import filter_pcm, measure_pcm, pcm_bytes

RATE = 44100


def tone_between(start: int, end: int, total: int = RATE) -> np.ndarray:
    """Silence, with a full-scale 1 kHz tone from sample `start` to `end`."""
    samples = np.zeros(total, dtype=np.int16)
    at = np.arange(end - start)
    samples[start:end] = np.rint(32000 * np.sin(2 * np.pi * 1000 * at / RATE)).astype(np.int16)
    return samples


def test_the_loudness_meter_hears_every_sample():
    # Samples 4096-8191 are where a pipe fed by int16 items instead of bytes skipped ahead.
    for start in (0, 4096, 6000, RATE - 3000):
        measured = measure_pcm(tone_between(start, start + 3000), RATE)
        assert measured.true_peak_dbtp > -1.0, (start, measured)


def test_the_samples_reach_ffmpeg_as_they_are():
    samples = np.random.default_rng(7).integers(-20000, 20000, 3 * RATE).astype(np.int16)
    assert bytes(pcm_bytes(samples)) == samples.tobytes()
    assert np.array_equal(filter_pcm(samples, RATE, "anull", RATE), samples)
