"""The audio lesson, checked as a listener's tools would: decode, measure, read the tags."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from mutagen.id3 import ID3

from conftest import ebur128, silences
from publish.ffmpeg import decode
from publish.audio.timeline import Timeline


def lesson(project: Path, slug: str):
    folder = project / "output" / slug
    timeline = Timeline.from_json((folder / f"{slug}.timeline.json").read_text())
    return folder / f"{slug}.mp3", timeline


def onsets(mp3: Path) -> list[float]:
    return [end for _, end in silences(mp3, noise_db=-45, min_seconds=0.15)]


def check_onsets(mp3: Path, timeline: Timeline, tolerance: float = 0.1) -> float:
    """Every turn's speech starts within `tolerance` after its timeline start; returns the worst gap."""
    found = onsets(mp3)
    worst = 0.0
    for turn in timeline.turns:
        start = timeline.seconds(turn.start)
        nearest = min(found, key=lambda t: abs(t - start)) if turn.start else 0.0
        gap = nearest - start
        assert -0.02 <= gap <= tolerance, f"turn {turn.index} at {start:.3f}s, speech at {nearest:.3f}s"
        worst = max(worst, abs(gap))
    return worst


def check_file(mp3: Path, timeline: Timeline) -> None:
    samples = decode(mp3, 44100)
    assert abs(len(samples) - timeline.total) / 44100 <= 0.05, "duration matches the timeline within 50 ms"
    loudness = ebur128(mp3)
    assert -17.0 <= loudness.integrated_lufs <= -15.0
    assert loudness.true_peak_dbtp <= -1.0
    header = mp3.read_bytes()[:4096]
    assert header.startswith(b"ID3")


def test_tone_lesson_file(tone_project):
    mp3, timeline = lesson(tone_project, "machine-learning-engineer")
    check_file(mp3, timeline)
    check_onsets(mp3, timeline)


def test_mp3_format_is_44k_mono_cbr(tone_project):
    from mutagen.mp3 import MP3, BitrateMode

    mp3, _ = lesson(tone_project, "machine-learning-engineer")
    info = MP3(mp3).info
    assert info.sample_rate == 44100 and info.channels == 1
    assert info.bitrate == 128000
    assert info.bitrate_mode == BitrateMode.CBR


def test_tags_chapters_and_transcript(tone_project):
    mp3, timeline = lesson(tone_project, "machine-learning-engineer")
    tags = ID3(mp3)
    assert tags.version[:2] == (2, 4)
    assert str(tags["TIT2"]) == "Machine Learning Engineer"
    assert str(tags["TALB"]) == "Career Compass"
    assert str(tags["TLAN"]) == "eng"
    transcript = tags.getall("USLT")[0].text
    assert transcript.splitlines()[3].startswith("00:00  Hello and welcome")
    chapters = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [str(c.sub_frames["TIT2"]) for c in chapters] == [c.title for c in timeline.chapters]
    assert chapters[0].start_time == 0
    assert chapters[1].start_time == timeline.ms(timeline.chapters[1].start)
    assert chapters[-1].end_time == timeline.ms(timeline.total)
    assert tags.getall("CTOC")[0].child_element_ids == [c.element_id for c in chapters]


def test_timeline_is_ordered_and_inside_the_audio(tone_project):
    _, timeline = lesson(tone_project, "machine-learning-engineer")
    previous_end = 0
    for turn in timeline.turns:
        assert turn.sentences[0].start == turn.start and turn.sentences[-1].end == turn.end
        for sentence in turn.sentences:
            assert previous_end <= sentence.start < sentence.end <= timeline.total
            previous_end = sentence.end
    assert len(timeline.turns) == 39


@pytest.mark.piper
@pytest.mark.numerics
def test_real_piper_voice(cast_project):
    mp3, timeline = lesson(cast_project, "wind-turbine-technician")
    check_file(mp3, timeline)
    worst = check_onsets(mp3, timeline)
    assert worst < 0.1


def median_pitch(samples: np.ndarray, rate: int = 44100) -> float:
    found = []
    for i in range(0, len(samples) - 2048, 1024):
        window = samples[i:i + 2048].astype(float)
        if np.sqrt((window ** 2).mean()) < 1000:
            continue
        corr = np.correlate(window, window, "full")[2047:]
        low, high = rate // 400, rate // 70
        lag = low + int(np.argmax(corr[low:high]))
        if corr[lag] > 0.3 * corr[0]:
            found.append(rate / lag)
    return float(np.median(found))


def host_speech(samples: np.ndarray, timeline: Timeline, speaker: str) -> np.ndarray:
    """Everything one host says, from the decoded lesson, sentence by sentence as the timeline places it."""
    return np.concatenate([samples[s.start:s.end] for t in timeline.turns if t.speaker_id == speaker
                           for s in t.sentences])


@pytest.mark.piper
@pytest.mark.numerics
def test_the_two_hosts_are_two_different_voices(cast_project):
    """Default cast: Maya is hibari's heart (a woman), Theo is Piper's joe (a man), equally loud."""
    from publish.ffmpeg import measure_pcm

    mp3, timeline = lesson(cast_project, "wind-turbine-technician")
    samples = decode(mp3, 44100)
    voices = {t.speaker_id: t.voice for t in timeline.turns}
    assert voices == {"maya": "hibari:heart", "theo": "piper:joe"}
    assert {t.engine for t in timeline.turns} == {"hibari", "piper"}
    pitch = {s: median_pitch(host_speech(samples, timeline, s)) for s in ("maya", "theo")}
    assert pitch["maya"] / pitch["theo"] >= 1.5, pitch
    loudness = {s: measure_pcm(host_speech(samples, timeline, s), 44100).integrated_lufs for s in ("maya", "theo")}
    assert abs(loudness["maya"] - loudness["theo"]) <= 0.5, loudness


def test_intro_outro_and_cover_art(tmp_path):
    from conftest import dressed_project, run_build

    project = dressed_project(tmp_path / "p")
    assert run_build(project, only=frozenset({"audio"})).ok
    mp3, timeline = lesson(project, "good")
    check_file(mp3, timeline)
    # lead-in 0.4 s + intro 2.0 s + part pause 1.2 s before the first word
    assert abs(timeline.seconds(timeline.turns[0].start) - 3.6) < 0.001
    assert timeline.duration > timeline.seconds(timeline.turns[-1].end) + 1.0 + 1.5
    cover = ID3(mp3).getall("APIC")[0]
    assert cover.mime == "image/png" and cover.data == (project / "guides" / "cover.png").read_bytes()


def test_a_speaker_can_name_a_local_piper_voice_file(tmp_path):
    from conftest import FIXTURES
    from publish.speech.plan import plan_lesson
    from publish.config import AudioConfig
    from publish.engines.piper import bundled_model
    from publish.errors import EngineError
    from publish.guide.source import load_guide

    voices = tmp_path / "voices"
    voices.mkdir()
    (voices / "other.onnx").symlink_to(bundled_model())
    (voices / "other.onnx.json").symlink_to(Path(f"{bundled_model()}.json"))
    text = (FIXTURES / "good.md").read_text().replace("    name: Ben", "    name: Ben\n    voice: piper:voices/other.onnx+deep")
    (tmp_path / "g.md").write_text(text)
    plan = plan_lesson(load_guide(tmp_path / "g.md"), AudioConfig())
    ben = [job for turn in plan.turns if turn.turn.speaker.id == "ben" for s in turn.sentences for job in s.jobs]
    assert ben[0].voice == str((voices / "other.onnx").resolve()) and ben[0].variant == "deep"

    (tmp_path / "g.md").write_text(text.replace("voices/other.onnx", "voices/missing.onnx"))
    with pytest.raises(EngineError) as caught:
        plan_lesson(load_guide(tmp_path / "g.md"), AudioConfig())
    assert "g.md:8: speaker Ben" in str(caught.value) and "missing.onnx does not exist" in str(caught.value)


def test_intro_outside_the_project_is_refused_with_its_line(tmp_path):
    from conftest import FIXTURES, make_project
    from publish.config import load_config
    from publish.errors import ConfigError
    from publish.ffmpeg import run

    outside = tmp_path / "outside.wav"
    run(["-f", "lavfi", "-i", "sine=frequency=500:duration=1", str(outside)])
    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"])
    (project / "audio").mkdir()
    (project / "audio" / "linked.wav").symlink_to(outside)
    toml = project / "publish.toml"
    original = toml.read_text()
    for value in ("../outside.wav", str(outside), "audio/linked.wav"):
        toml.write_text(original.replace('engine = "tone"', f'engine = "tone"\noutro = "{value}"'))
        with pytest.raises(ConfigError) as caught:
            load_config(project)
        assert f"publish.toml:4: audio.outro = \"{value}\" is outside the project folder" in str(caught.value)


@pytest.mark.piper
@pytest.mark.numerics
def test_piper_turns_are_timed_word_by_word_and_hibari_turns_by_sentence(cast_project):
    import re

    mp3, timeline = lesson(cast_project, "wind-turbine-technician")
    samples = decode(mp3, 44100).astype(np.float64)
    timed = 0
    for turn in timeline.turns:
        assert turn.timing == ("word" if turn.engine == "piper" else "sentence"), turn.voice
        for sentence in turn.sentences:
            if turn.timing == "sentence":
                assert sentence.words == ()
                continue
            previous = sentence.start
            for word in sentence.words:
                assert previous <= word.start < word.end <= sentence.end
                previous = word.end
                loud = np.sqrt(np.mean(samples[word.start:word.end] ** 2))
                assert loud > 300, (sentence.text[word.first:word.last], loud)  # speech, not a pause
            shown = " ".join(sentence.text[w.first:w.last] for w in sentence.words)
            assert re.findall(r"\w+", shown) == re.findall(r"\w+", sentence.text)
            timed += len(sentence.words)
    assert timed > 100
