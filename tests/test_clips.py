"""The clip cache, finishing an engine's clip, and speaking sentences into the cache, with the
deterministic tone engine."""

from __future__ import annotations

import numpy as np
import pytest

from fake_engines import FaultyTone
from publish import engines
from publish.engines import EngineSpec, VoiceRef
from publish.engines.espeak import EspeakEngine
from publish.engines.tone import ToneEngine
from publish.errors import EngineError
from conftest import speak_all
from publish.speech.clips import ClipCache, finish_clip
from publish.speech.plan import SentenceJob, job_key

TONE = EngineSpec(ToneEngine)


def faulty(**cues: str) -> EngineSpec:
    return EngineSpec(FaultyTone, tuple(sorted(cues.items())))


def jobs(texts, voice="low", variant="", engine="tone"):
    return [SentenceJob(t, engine, voice, variant, job_key(t, f"tone {voice}", variant, 44100)) for t in texts]


def spoken(texts_or_jobs, spec, cache, cores=1, **options):
    """The jobs spoken into `cache`: each key's clip (when spoken) and error (when not)."""
    work = texts_or_jobs if isinstance(texts_or_jobs[0], SentenceJob) else jobs(texts_or_jobs)
    errors = speak_all(work, spec, cache, cores, **options)
    clips = {key: cache.get(key, 44100) for key, error in errors.items() if error is None}
    return clips, {key: error for key, error in errors.items() if error is not None}


def test_key_changes_with_everything_that_changes_audio():
    base = job_key("Hello.", "piper model abc", "", 44100)
    assert job_key("Hello!", "piper model abc", "", 44100) != base
    assert job_key("Hello.", "piper model abd", "", 44100) != base
    assert job_key("Hello.", "piper model abc", "bright", 44100) != base
    assert job_key("Hello.", "piper model abc", "", 48000) != base
    assert job_key("Hello.", "piper model abc", "", 44100) == base


def test_voices_name_their_engine_and_variant():
    assert engines.parse_voice("piper:joe+bright") == VoiceRef("piper", "joe", "bright")
    assert engines.parse_voice("hibari:heart") == VoiceRef("hibari", "heart")
    # espeak-ng's own variants are part of its voice names; ours still come last.
    assert engines.parse_voice("espeak:en-us+f3") == VoiceRef("espeak", "en-us+f3")
    assert engines.parse_voice("espeak:en-us+f3+deep") == VoiceRef("espeak", "en-us+f3", "deep")
    assert engines.parse_voice("piper:../voices/x.onnx") == VoiceRef("piper", "../voices/x.onnx")
    with pytest.raises(EngineError, match="variant `\\+shiny`"):
        engines.parse_voice("piper:joe+shiny")
    with pytest.raises(EngineError, match="does not name its engine"):
        engines.parse_voice("heart")
    with pytest.raises(EngineError, match="unknown TTS engine `kokro`"):
        engines.parse_voice("kokro:heart")


def test_a_spoken_clip_is_read_back_from_the_cache_as_it_was(tmp_path):
    cache = ClipCache(tmp_path)
    first, errors = spoken(["One sentence.", "Another one here."], TONE, cache)
    assert len(first) == 2 and not errors
    for key, clip in first.items():
        again = ClipCache(tmp_path).get(key, 44100)
        assert again is not None and np.array_equal(clip.samples, again.samples)
    assert ClipCache(tmp_path).get(next(iter(first)), 48000) is None, "a clip made for another rate is not used"


def test_parallel_gives_the_same_samples_as_serial(tmp_path):
    texts = [f"Sentence number {n} is here." for n in range(8)]
    serial, _ = spoken(texts, TONE, ClipCache(tmp_path / "a"), 1)
    parallel, errors = spoken(texts, TONE, ClipCache(tmp_path / "b"), 2)
    assert len(parallel) == 8 and not errors
    assert all(np.array_equal(serial[k].samples, parallel[k].samples) for k in serial)


@pytest.mark.parametrize("damage", ["truncate", "flip", "empty"])
def test_damaged_cache_entry_is_detected_and_regenerated(tmp_path, damage):
    cache = ClipCache(tmp_path)
    [job] = jobs(["A sentence to damage."])
    clips, _ = spoken([job], TONE, cache)
    path = cache.path(job.key)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[: len(data) // 2]
    elif damage == "flip":
        data[-100] ^= 0xFF
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    assert cache.get(job.key, 44100) is None
    assert not cache.path(job.key).exists(), "a damaged entry is removed, so the build speaks it again"
    again, _ = spoken([job], TONE, cache)
    assert np.array_equal(again[job.key].samples, clips[job.key].samples)


def test_engine_failure_is_retried_then_reported_and_others_are_kept(tmp_path):
    cache = ClipCache(tmp_path)
    failing = faulty(fail_on="BROKEN")
    clips, errors = spoken(jobs(["Fine one.", "A BROKEN one.", "Fine two."], engine="faulty-tone"), failing, cache, 2)
    assert len(clips) == 2 and len(errors) == 1
    assert "could not speak" in next(iter(errors.values())) and "after 3 tries" in next(iter(errors.values()))
    assert cache.get(jobs(["Fine one."])[0].key, 44100) is not None, "finished sentences stay cached"


def test_trimmed_clip_starts_with_speech(tmp_path):
    clips, _ = spoken(["Some words."], TONE, ClipCache(tmp_path))
    samples = next(iter(clips.values())).samples
    assert np.abs(samples[: int(0.03 * 44100)]).max() > 330


def test_resampling_to_the_lesson_rate_is_accurate():
    """Piper's 22,050 Hz and hibari's 24 kHz both come out at 44.1 kHz with a clean sine."""
    from publish.engines.base import Clip

    for rate in (22050, 24000, 16000):
        frequency = 1000
        t = np.arange(rate) / rate
        source = np.sin(2 * np.pi * frequency * t).astype(np.float32) * 0.5
        result = finish_clip(Clip(source, rate), "", 44100).samples.astype(np.float64) / 32768
        assert abs(len(result) - 44100) < 0.05 * 44100
        middle = result[4410:-4410]
        spectrum = np.abs(np.fft.rfft(middle * np.hanning(len(middle))))
        peak_hz = np.argmax(spectrum) * 44100 / len(middle)
        assert abs(peak_hz - frequency) < 2, rate
        assert abs(np.sqrt(np.mean(middle ** 2)) - 0.5 / np.sqrt(2)) < 0.01


def test_silent_engine_output_is_an_error_not_a_gap(tmp_path):
    silent = faulty(silent_on="quiet")
    clips, errors = spoken(jobs(["A quiet one.", "A loud one."], engine="faulty-tone"), silent, ClipCache(tmp_path))
    assert len(clips) == 1
    assert "only silence" in next(iter(errors.values()))


def test_espeak_engine_speaks(tmp_path):
    spec = EngineSpec(EspeakEngine)  # espeak-ng is installed by `make test`; missing, this fails
    [job] = [SentenceJob("Hello from espeak.", "espeak", "en-us", "", job_key("Hello from espeak.", "espeak", "", 44100))]
    clips, errors = spoken([job], spec, ClipCache(tmp_path))
    samples = clips[job.key].samples
    assert not errors and 0.5 < len(samples) / 44100 < 3.0
    assert np.abs(samples).max() > 3000


@pytest.mark.parametrize("cores", [1, 2], ids=["one core", "two cores"])
def test_hanging_engine_times_out_and_is_retried_then_reported(tmp_path, cores):
    import time

    hanging = faulty(hang_on="stuck", timeout_s="0.5")
    started = time.monotonic()
    clips, errors = spoken(jobs(["A stuck one.", "A fine one.", "Another fine one."], engine="faulty-tone"), hanging,
                           ClipCache(tmp_path), cores, retries=1)
    assert time.monotonic() - started < 10
    assert len(clips) == 2
    assert "after 2 tries" in next(iter(errors.values())) and "no audio after 0.5 s" in next(iter(errors.values()))


def test_a_sentence_shared_by_guides_is_looked_up_once_and_its_samples_not_kept(tmp_path):
    from publish.builder.run import from_cache

    cache = ClipCache(tmp_path)
    spoken(["Shared by two guides."], TONE, cache)
    found, missing = from_cache(jobs(["Shared by two guides.", "Not spoken yet."]) * 2, cache, 44100)
    assert found == {jobs(["Shared by two guides."])[0].key} and list(missing) == [jobs(["Not spoken yet."])[0].key]
