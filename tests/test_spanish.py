"""A Spanish lesson with its published cast (Kokoro's Spanish woman and man), heard back by the
multilingual recogniser: two distinct voices, equally loud, numbers, money and times heard right."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, make_project, run_build
from publish.audio.timeline import Timeline

SLUG = "es"


@pytest.fixture(scope="module")
def spanish_lesson(tmp_path_factory):
    from publish.ffmpeg import decode

    project = make_project(tmp_path_factory.mktemp("es"), engine=None, guides=[FIXTURES / "es.md"])
    report = run_build(project, only=frozenset({"audio"}))
    assert report.ok, [r.problems for r in report.results]
    folder = project / "output" / SLUG
    timeline = Timeline.from_json((folder / f"{SLUG}.timeline.json").read_text(encoding="utf-8"))
    return folder / f"{SLUG}.mp3", decode(folder / f"{SLUG}.mp3", 44100), timeline


def test_the_hosts_are_a_spanish_woman_and_man_equally_loud(spanish_lesson):
    from publish.ffmpeg import measure_pcm
    from test_audio import host_speech, median_pitch

    _, samples, timeline = spanish_lesson
    assert {t.speaker_id: t.voice for t in timeline.turns} == {"ana": "kokoro:ef_dora", "luis": "kokoro:em_alex+low"}
    pitch = {s: median_pitch(host_speech(samples, timeline, s)) for s in ("ana", "luis")}
    assert pitch["ana"] / pitch["luis"] >= 1.5, pitch
    loudness = {s: measure_pcm(host_speech(samples, timeline, s), 44100).integrated_lufs for s in ("ana", "luis")}
    assert abs(loudness["ana"] - loudness["luis"]) <= 1.0, loudness


def test_money_and_times_are_said_and_heard_in_spanish(spanish_lesson):
    from publish.audio.proof import proof

    mp3, _, timeline = spanish_lesson
    [money] = [s for t in timeline.turns for s in t.sentences if "1.500 euros" in s.text]
    assert "mil quinientos euros" in money.spoken and "siete y media" in money.spoken
    report = proof(mp3, timeline, "es")
    assert report.word_error_rate <= 0.05, [(c.written, c.heard) for c in report.flagged]
    [heard] = [c for c in report.checks if c.written == money.text]
    assert heard.errors <= 1, heard.heard
    assert "1500 euros" in heard.heard and "7 y media" in heard.heard
