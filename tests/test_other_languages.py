"""Lessons in Spanish, French, Italian, Brazilian Portuguese, British English, Chinese, Japanese and
Hindi with their published casts (Kokoro's voices for the language), heard back by the recogniser:
two distinct voices, equally loud, numbers, money and times said the language's way and heard right
(Chinese and Japanese by character; Hindi heard, but by a judge that writes it in Urdu script).

This file holds the lessons in the languages of continental Europe; test_languages_uk_and_asia.py
runs the same tests on the others, so that two of the suite's processes share the listening
(pytest-xdist gives each file to one process)."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, listening_cache, make_project, run_build
from publish.audio.timeline import Timeline

pytestmark = pytest.mark.numerics

# fixture → (the hosts' voices, a sentence with money or a time, how it is said, what is heard)
LESSONS = {
    "es": ({"ana": "kokoro:ef_dora", "luis": "kokoro:em_alex+low"}, "1.500 euros",
           ("mil quinientos euros", "siete y media"), ("1500 euros", "7 y media")),
    "fr": ({"claire": "kokoro:ff_siwis", "hugo": "kokoro:ff_siwis*am_onyx+deep"}, "2 000 euros",
           ("deux mille euros",), ("2000 euros",)),
    # A French lesson written for listening and never tuned on (192 words).
    "electricienne": ({"camille": "kokoro:ff_siwis", "julien": "kokoro:ff_siwis*am_onyx+deep"}, "1 800 euros",
                      ("mille huit cents euros", "sept heures trente"), ("1800 euros",)),
    "it": ({"giulia": "kokoro:if_sara", "marco": "kokoro:im_nicola"}, "1.200 euro", ("milleduecento euro",),
           ("1200 euro",)),
    "pt-br": ({"ana": "kokoro:pf_dora", "rafael": "kokoro:pm_alex+low"}, "R$ 2.500",
              ("dois mil e quinhentos reais", "sete horas"), ("2500 reais",)),
    "en-gb": ({"hannah": "kokoro:bf_emma", "oliver": "kokoro:bm_lewis"}, "£14,000",
              ("fourteen thousand pounds", "half past seven"), ("14000",)),
    "zh": ({"lin": "kokoro:zf_xiaobei", "wang": "kokoro:zm_yunjian"}, "7:30", ("七点半", "五千元", "百分之二十"),
           ("7 点 半",)),
    "ja": ({"sato": "kokoro:jf_gongitsune", "kenta": "kokoro:jm_kumo"}, "7時30分", ("7時30分",), ("シ チ ジ",)),
    "hi": ({"meera": "kokoro:hf_alpha", "arjun": "kokoro:hm_omega"}, "8 बजे", ("आठ बजे", "एक लाख पचास हज़ार रुपये"),
           ()),
}
LANGUAGES = {"pt-br": "pt-BR", "en-gb": "en-GB", "zh": "zh-Hans", "electricienne": "fr"}


# The share of words the recogniser may mishear, from what it did natively (CTranslate2's AVX2 kernels
# on the AMD machine these were measured on; Kokoro with and without its VNNI products gave the very
# same MP3s) and with CT2_FORCE_CPU_ISA=AVX512 (what it picks on an Intel AVX-512 processor):
# Spanish 1 of 39 words (2.6 %) both ways, French 2 of 104 (1.9 %) natively and 9 (8.7 %) with
# AVX-512 (one sentence, "puis on prépare les soins", heard as "puis ils ont prépare soin"). Each
# allows the worst measured plus two words: in lessons this short one word is 1 to 2.6 %.
# Measured natively: Italian 3 of 50 words, Brazilian Portuguese 2 of 42, British English 1 of 87 (limit:
# the issue's 5 %, above that plus two), Chinese 4 and 6 of 134 characters in two casts, Japanese 5 of 214
# kana (limits: the issue's 10 % character error rate, above the worst plus two). Hindi is not held to a
# rate: Whisper base writes what it hears in Urdu script (the lesson: 99 % "misheard"). The untuned French
# lesson: 10 of 192 words (5.2 %) before French homophones counted as the same word, 6 (3.1 %) since;
# limit: the issue's 7 %, above the worst plus two.
MOST_MISHEARD = {"es": 3 / 39, "fr": 11 / 104, "electricienne": 13 / 192, "it": 5 / 50, "pt-br": 4 / 42, "en-gb": 4 / 87, "zh": 13 / 134,
                 "ja": 21 / 214}


UK_AND_ASIA = ("en-gb", "hi", "ja", "zh")


@pytest.fixture(scope="module", params=sorted(set(LESSONS) - set(UK_AND_ASIA)))
def lesson(request, tmp_path_factory):
    return built_lesson(request.param, tmp_path_factory)


def built_lesson(slug: str, tmp_path_factory):
    """The fixture lesson `slug` spoken by its hosts' published voices: its MP3, samples and timeline."""
    from publish.ffmpeg import decode

    project = make_project(tmp_path_factory.mktemp(slug), engine=None, guides=[FIXTURES / f"{slug}.md"],
                           cache=listening_cache())
    report = run_build(project, only=frozenset({"audio"}))
    assert report.ok, [r.problems for r in report.results]
    folder = project / "output" / slug
    timeline = Timeline.from_json((folder / f"{slug}.timeline.json").read_text(encoding="utf-8"))
    return slug, folder / f"{slug}.mp3", decode(folder / f"{slug}.mp3", 44100), timeline


def test_the_hosts_are_a_woman_and_a_man_of_the_language_equally_loud(lesson):
    from publish.ffmpeg import measure_pcm
    from test_audio import host_speech, median_pitch

    language, _, samples, timeline = lesson
    voices = LESSONS[language][0]
    assert {t.speaker_id: t.voice for t in timeline.turns} == voices
    first, second = voices
    pitch = {s: median_pitch(host_speech(samples, timeline, s)) for s in voices}
    assert pitch[first] / pitch[second] >= 1.5, pitch
    loudness = {s: measure_pcm(host_speech(samples, timeline, s), 44100).integrated_lufs for s in voices}
    assert abs(loudness[first] - loudness[second]) <= 0.5, loudness


def test_money_and_times_are_said_and_heard_in_the_language(lesson):
    from publish.audio.proof import proof

    slug, mp3, _, timeline = lesson
    _, written, said, heard_as = LESSONS[slug]
    [money] = [s for t in timeline.turns for s in t.sentences if written in s.text]
    spoken = " ".join(s.spoken for t in timeline.turns for s in t.sentences)
    assert all(words in spoken for words in said), spoken
    report = proof(mp3, timeline, LANGUAGES.get(slug, slug))
    hosts = {speaker: f"{100 * rate:.1f} % of {count}" for speaker, (_, rate, count) in report.by_host().items()}
    if slug == "hi":  # what the recogniser can say of Hindi: each host heard, in whatever script
        from publish.audio.multilingual import judge_note

        assert judge_note("hi") and len(hosts) == 2 and all(c.heard for c in report.checks[:3]), hosts
        return
    assert report.word_error_rate <= MOST_MISHEARD[slug], (hosts, [(c.written, c.heard) for c in report.flagged])
    [heard] = [c for c in report.checks if c.written == money.text]
    assert all(words in heard.heard for words in heard_as), heard.heard
