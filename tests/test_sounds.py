"""Exact sounds reach each engine in its own form, and the real voices' phonemisers say them as meant."""

from __future__ import annotations

import pytest

from publish.engines import hibari, piper
from publish.text import sounds
from publish.text.spoken import spoken


def test_each_engine_gets_its_own_form():
    text = spoken("An AI engineer.")
    assert piper.render_sounds(text) == "An [[ ˌeɪˈaɪ ]] engineer."
    assert hibari.render_sounds(text) == "An [AI](/ˌAˈI/) engineer."
    assert sounds.plain(text) == "An A.I. engineer."


HARD = [  # written, what Piper's espeak phonemes must contain, what hibari's must contain
    ("An AI engineer.", "ˌeɪˈaɪ", "ˌAˈI"),
    ("She works in the ICU.", "ˌaɪˌsiːˈjuː", "ˌIˌsiˈju"),
    ("Two RNs started.", "ˌɑːɹˈɛnz", "ˌɑɹˈɛnz"),
    ("It pays $39.50/hour.", "θˈɜːtinˈaɪn dˈɑːlɚz", "θˈɜɹTinˌIn dˈɑləɹz"),
    ("Shifts start at 7:00 a.m.", "sˈɛvən ˌeɪˈɛm", "sˈɛvən ˌAˈɛm"),
    ("They graduate in 2026.", "twˈɛnti twˈɛntisˈɪks", "twˈɛnti twˈɛntisˌɪks"),
    ("Take AP Computer Science.", "ˌeɪˈpiː", "ˌAˈpi"),
]


@pytest.mark.piper
@pytest.mark.parametrize("written, piper_phonemes, hibari_phonemes", HARD)
def test_the_real_voices_say_the_hard_items_as_intended(written, piper_phonemes, hibari_phonemes, voices):
    piper_voice, hibari_voice = voices
    text = spoken(written)
    said_by_piper = "".join("".join(sentence) for sentence in piper_voice.phonemize(piper.render_sounds(text)))
    assert piper_phonemes in said_by_piper
    assert "ɐ ˈeɪ" not in said_by_piper and "ə ˈeɪ" not in said_by_piper  # no article before a letter
    assert hibari_phonemes in " ".join(hibari_voice.phonemize(hibari.render_sounds(text)))


@pytest.fixture(scope="module")
def voices():
    from hibari import Hibari

    from publish.engines.piper import PiperEngine

    return PiperEngine({})._voice("joe"), Hibari()
