"""Captions parse with independent readers and keep the limits."""

from __future__ import annotations

import pytest
import srt as srt_reader
import webvtt

from publish.outputs.captions import MAX_SECONDS, cues, split_text, wrap
from test_audio import lesson


def test_wrap_balances_two_lines():
    lines = wrap("Hello and welcome to Career Compass, the show where we explore one job at a time.")
    assert len(lines) == 2 and all(len(line) <= 42 for line in lines)
    assert abs(len(lines[0]) - len(lines[1])) < 12


def test_split_text_respects_length_and_duration():
    text = " ".join(["word"] * 60)
    pieces = split_text(text, duration=20.0)
    assert all(len(wrap(p)) <= 2 for p in pieces)
    assert all(20.0 * len(p) / len(text) <= MAX_SECONDS for p in pieces)
    assert " ".join(pieces) == text


def seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def built(tone_project):
    mp3, timeline = lesson(tone_project, "machine-learning-engineer")
    return mp3.with_suffix(".vtt"), mp3.with_suffix(".srt"), timeline


def test_vtt_and_srt_parse_and_agree(tone_project):
    vtt_path, srt_path, timeline = built(tone_project)
    vtt_cues = list(webvtt.read(str(vtt_path)))
    srt_cues = list(srt_reader.parse(srt_path.read_text()))
    assert len(vtt_cues) == len(srt_cues) == len(cues(timeline))
    assert vtt_cues[0].voice == "Maya"
    for vtt_cue, srt_cue in zip(vtt_cues, srt_cues):
        assert seconds(vtt_cue.start) == pytest.approx(srt_cue.start.total_seconds(), abs=0.0005)
        assert seconds(vtt_cue.end) == pytest.approx(srt_cue.end.total_seconds(), abs=0.0005)
        assert vtt_cue.text == srt_cue.content


def test_caption_limits(tone_project):
    _, srt_path, timeline = built(tone_project)
    parsed = list(srt_reader.parse(srt_path.read_text()))
    for previous, cue in zip(parsed, parsed[1:]):
        assert previous.end <= cue.start, "cues never overlap"
    for cue in parsed:
        lines = cue.content.split("\n")
        duration = (cue.end - cue.start).total_seconds()
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines)
        assert 1.0 - 0.001 <= duration <= 7.0 + 0.001, (duration, cue.content)


def test_new_cue_when_speaker_changes(tone_project):
    vtt_path, _, timeline = built(tone_project)
    voices = [c.voice for c in webvtt.read(str(vtt_path))]
    changes = sum(1 for a, b in zip(voices, voices[1:]) if a != b)
    turn_changes = sum(1 for a, b in zip(timeline.turns, timeline.turns[1:]) if a.speaker_id != b.speaker_id)
    assert changes == turn_changes


def test_cues_follow_sentence_boundaries(tone_project):
    _, _, timeline = built(tone_project)
    found = cues(timeline)
    for cue in found:
        text = " ".join(" ".join(cue.lines).split())
        # The turn it starts in: its words are that turn's words, whole sentences or a piece of one.
        [turn] = [t for t in timeline.turns if timeline.seconds(t.start) - 0.001 <= cue.start < timeline.seconds(t.end)]
        assert cue.speaker == turn.speaker and text in " ".join(turn.text.split()), (cue, turn.text)
        starts_a_sentence = any(abs(timeline.seconds(s.start) - cue.start) < 0.001 for s in turn.sentences)
        inside = [s for s in turn.sentences if timeline.seconds(s.start) < cue.start < timeline.seconds(s.end)]
        assert starts_a_sentence or (inside and text in " ".join(inside[0].text.split())), cue
    first_sentences = {round(timeline.seconds(t.sentences[0].start), 3) for t in timeline.turns}
    assert first_sentences <= {round(c.start, 3) for c in found}, "every turn starts a cue"


def test_reading_speed_limit_where_the_audio_allows(tone_project):
    _, _, timeline = built(tone_project)
    for limit in (17.0, 13.0):
        found = cues(timeline, max_cps=limit)
        for cue, following in zip(found, found[1:] + [None]):
            room = (following.start if following else timeline.duration) - cue.start
            if cue.cps > limit + 0.01:
                assert cue.end - cue.start >= min(room, 7.0) - 0.01, "lengthened as far as the audio allows"


def test_arrows_in_the_text_cannot_start_a_cue(tmp_path):
    from publish.outputs.captions import Cue, srt as to_srt, webvtt as to_vtt

    found = [Cue(0.0, 2.0, "Ana <b> & co", ("so x --> y", "00:00:01.000 --> 00:00:09.000")),
             Cue(2.0, 4.0, "Ben", ("fine",))]
    (tmp_path / "c.vtt").write_text(to_vtt(found, "en"))
    vtt_cues = list(webvtt.read(str(tmp_path / "c.vtt")))
    srt_cues = list(srt_reader.parse(to_srt(found)))
    assert len(vtt_cues) == len(srt_cues) == 2
    assert vtt_cues[0].voice == "Ana &lt;b&gt; &amp; co" and "so x → y" in vtt_cues[0].text
    assert [c.end.total_seconds() for c in srt_cues] == [2.0, 4.0]
