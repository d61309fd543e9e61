"""Word timings from phoneme timings (publish.engines.alignment)."""

import numpy as np
import pytest

from publish.engines.alignment import TimedPhoneme, word_spans


def timed(phonemes: str, samples: int = 100) -> list[TimedPhoneme]:
    return [TimedPhoneme(p, samples) for p in "^" + phonemes + "$"]


def test_words_the_phonemiser_joined_are_timed_one_by_one():
    # "for the job": the sentence says `fɚðə dʒɑːb`, the words alone are `fɔːɹ`, `ðə`, `dʒˈɑːb`
    spans = word_spans(timed("fɚðə dʒˈɑːb."), [list("fɔːɹ"), list("ðə"), list("dʒˈɑːb")])
    assert spans is not None and len(spans) == 3
    assert spans[0] == (100, 200)  # f (the reduced ɚ matches nothing of fɔːɹ)
    assert spans[1] == (300, 500)  # ðə
    assert spans[2] == (600, 1200)  # from d to b, the stress mark between them not a sound
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))


def test_a_word_with_no_matched_sounds_gets_the_time_between_its_neighbours():
    spans = word_spans(timed("ab xyz cd"), [list("ab"), list("q"), list("cd")])
    assert spans is not None
    assert spans[1] == (spans[0][1], spans[2][0])


def test_sounds_that_do_not_match_give_no_timings():
    assert word_spans(timed("abcdef"), [list("uvw"), list("xyz")]) is None
    assert word_spans(timed(""), [list("ab")]) is None


@pytest.mark.piper
def test_piper_times_every_word_without_changing_its_audio(monkeypatch):
    from publish.engines import piper
    from publish.text.spoken import spoken, spoken_words

    said = spoken("At 7:45 a.m. the crew checks the ICU logs, e.g. the pitch motors.")
    engine = piper.PiperEngine({}, threads=1)
    words = [engine.render(said[a:b]) for a, b in spoken_words(said)]
    clip = engine.synthesize_timed(engine.render(said), words, "joe")
    assert clip.words is not None and len(clip.words) == len(words)
    assert all(0 <= a < b <= len(clip.samples) for a, b in clip.words)
    assert all(one[1] <= two[0] for one, two in zip(clip.words, clip.words[1:]))
    speech = np.abs(clip.samples.astype(np.int32))
    for start, end in clip.words:  # a timed word is sound, not a pause
        assert speech[start:end].max() > 2000

    # The sum check the engine relies on: every phoneme's samples add up to the audio, chunk by chunk.
    chunks = list(engine._voice("joe").synthesize(engine.render(said), include_alignments=True))
    assert chunks and all(sum(a.num_samples for a in c.phoneme_alignments) == len(c.audio_float_array) for c in chunks)

    monkeypatch.setattr(piper, "_timed_model", lambda path: str(path))  # the model as shipped
    untimed = piper.PiperEngine({}, threads=1).synthesize(engine.render(said), "joe")
    assert np.array_equal(untimed.samples, clip.samples)
