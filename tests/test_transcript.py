"""Transcripts in the reference format and the Podcasting 2.0 JSON files."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest

from publish.audio.timeline import SentenceSpan, Timeline, TurnSpan
from publish.outputs.transcript import (chapters_json, clock, podcast_transcript_json, transcript_html, transcript_md,
                                transcript_txt)
from test_audio import lesson


@pytest.mark.parametrize("seconds, shown", [
    (0, "00:00"), (19.8, "00:19"), (59.9, "00:59"), (60.0, "01:00"), (599.99, "09:59"),
    (3599.9, "59:59"), (3600.0, "1:00:00"), (3725.5, "1:02:05"),
])
def test_clock_truncates(seconds, shown):
    assert clock(seconds) == shown


def small_timeline() -> Timeline:
    rate = 1000
    turns = (
        TurnSpan(0, 0, "ana", "Ana", "Hello <there> & welcome.", 5, 0, 19_800,
                 (SentenceSpan("Hello <there> & welcome.", "Hello there and welcome.", 0, 19_800),), "tone", "tone:low"),
        TurnSpan(1, 0, "ben", "Ben", "Thanks. Glad to be here.", 7, 20_500, 59_900,
                 (SentenceSpan("Thanks.", "Thanks.", 20_500, 21_000), SentenceSpan("Glad to be here.", "Glad to be here.", 21_300, 59_900)), "tone", "tone:high"),
        TurnSpan(2, 1, "ana", "Ana", "Bye.", 11, 3_600_200, 3_601_000,
                 (SentenceSpan("Bye.", "Bye.", 3_600_200, 3_601_000),), "tone", "tone:low"),
    )
    from publish.audio.timeline import ChapterSpan
    chapters = (ChapterSpan("Start", 0, 3_600_000), ChapterSpan("End", 3_600_000, 3_602_000))
    return Timeline("t", "T", rate, 3_602_000, turns, chapters)


def test_txt_reference_format():
    lines = transcript_txt(small_timeline()).splitlines()
    assert lines[0] == "Audio guide transcript"
    assert lines[3] == "00:00  Hello <there> & welcome."
    assert lines[4] == "00:20  Thanks. Glad to be here."
    assert lines[5] == "1:00:00  Bye."


def test_txt_with_speaker_names():
    assert transcript_txt(small_timeline(), speaker_names=True).splitlines()[4] == "00:20  Ben: Thanks. Glad to be here."


def test_markdown_escapes_markup_characters():
    text = transcript_md(small_timeline())
    assert "`00:00`  Hello \\<there\\> & welcome." in text


def test_html_fragment_escapes_and_carries_times():
    html = str(transcript_html(small_timeline()))
    assert "&lt;there&gt; &amp; welcome" in html and "<there>" not in html

    class Collect(HTMLParser):
        times: list = []

        def handle_starttag(self, tag, attrs):
            if tag == "time":
                self.times.append(dict(attrs)["datetime"])

    parser = Collect()
    parser.feed(html)
    assert parser.times == ["PT0.000S", "PT20.500S", "PT3600.200S"]


def test_podcasting_json():
    data = json.loads(podcast_transcript_json(small_timeline()))
    assert data["version"] == "1.0.0"
    assert [s["startTime"] for s in data["segments"]] == [0.0, 20.5, 21.3, 3600.2]
    assert data["segments"][1] == {"speaker": "Ben", "startTime": 20.5, "endTime": 21.0, "body": "Thanks."}
    chapters = json.loads(chapters_json(small_timeline()))
    assert chapters["version"] == "1.2.0"
    assert [(c["startTime"], c["title"]) for c in chapters["chapters"]] == [(0.0, "Start"), (3600.0, "End")]


def test_built_transcript_times_match_the_timeline(tone_project):
    mp3, timeline = lesson(tone_project, "machine-learning-engineer")
    lines = mp3.with_suffix(".txt").read_text().splitlines()[3:]
    assert len(lines) == len(timeline.turns)
    for line, turn in zip(lines, timeline.turns):
        whole = turn.start // timeline.sample_rate  # truncated to the second, counted here, not by clock()
        assert line == f"{whole // 60:02d}:{whole % 60:02d}  {turn.text}"


@pytest.mark.piper
def test_printed_times_agree_with_measured_speech_onsets(cast_project):
    from test_audio import onsets

    mp3, timeline = lesson(cast_project, "wind-turbine-technician")
    found = onsets(mp3)
    lines = mp3.with_suffix(".txt").read_text().splitlines()[3:]
    for line, turn in zip(lines, timeline.turns):
        printed = line.split("  ")[0]
        minutes, seconds = printed.split(":")
        shown = int(minutes) * 60 + int(seconds)
        onset = min(found, key=lambda t: abs(t - timeline.seconds(turn.start))) if turn.start else 0.0
        assert shown <= onset + 0.1 and onset - shown < 1.0 + 0.1, (printed, onset)
