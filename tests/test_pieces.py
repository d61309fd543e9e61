"""The lesson in pieces (publish.audio.layout, frames, assemble): its MP3, joined from pieces each
encoded on its own, decodes to the same timeline, to the sample, as a whole-file encode of the same
track, and is as loud; an edit encodes again only the piece it touches."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
from mutagen.mp3 import MP3, BitrateMode

from conftest import SHORT_GUIDE, make_project, run_build
from publish.audio.assemble import Lesson, lesson_layout, music_of
from publish.audio.frames import SAMPLES_PER_FRAME, LAME_QUALITY, Joined, mp3_file, piece_frames
from publish.audio.store import LessonStore
from publish.audio.timeline import Timeline
from publish.builder.material import clip_reader, clip_shapes
from publish.config import AudioConfig, load_config
from publish.ffmpeg import decode, ffmpeg_exe, measure_pcm, pcm_bytes
from publish.guide.source import load_guide
from publish.speech.plan import plan_lesson

RATE = 44100


def lesson_of(project: Path, slug: str) -> Lesson:
    """The built lesson as finishing lays it out again, from the project's caches."""
    config = load_config(project)
    plan = plan_lesson(load_guide(project / "guides" / f"{slug}.md"), config.audio, project)
    music = music_of(config.audio)
    layout = lesson_layout(plan, clip_shapes(config, plan), config.audio, music)
    return Lesson(plan, layout, config.audio, clip_reader(config, plan), music, LessonStore(config.cache_dir))


def whole_file_encode(samples: np.ndarray, folder: Path) -> np.ndarray:
    """The track encoded in one go, as ffmpeg writes an MP3 file (its own gapless header), decoded."""
    target = folder / "whole.mp3"
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "s16le", "-ar", str(RATE),
                    "-ac", "1", "-i", "pipe:0", "-c:a", "libmp3lame", "-b:a", "128k", "-compression_level",
                    str(LAME_QUALITY), "-reservoir", "0", str(target)], input=pcm_bytes(samples), check=True)
    return decode(target, RATE)


def offset(ours: np.ndarray, theirs: np.ndarray, at: int, reach: int = 40, window: int = 8192) -> int:
    """The shift (samples) that best lines `theirs` up with `ours` around `at`."""
    part = ours[at:at + window].astype(np.float64)
    scores = [float(np.dot(part, theirs[at + lag:at + lag + window].astype(np.float64))) for lag in range(-reach, reach + 1)]
    return int(np.argmax(scores)) - reach


def onset(samples: np.ndarray, start: int, threshold: int = 600) -> int:
    """The first sample louder than `threshold` from a little before `start`."""
    begin = max(0, start - 2000)
    return begin + int(np.flatnonzero(np.abs(samples[begin:].astype(np.int32)) > threshold)[0])


def test_two_pieces_join_to_exactly_their_samples(tmp_path):
    """Unit: two pieces cut in a pause, each encoded alone, joined under one Info frame."""
    rng = np.random.default_rng(7)
    speech = [np.clip(rng.standard_normal(RATE * 2) * 4000, -32768, 32767).astype(np.int16) for _ in range(2)]
    pause = np.zeros(RATE // 3, np.int16)
    first = np.concatenate([speech[0], pause])
    first = np.concatenate([first, np.zeros(-len(first) % SAMPLES_PER_FRAME, np.int16)])
    second = np.concatenate([pause, speech[1], pause[:777]])
    config = AudioConfig()
    joined = Joined(piece_frames(first, False, config) + piece_frames(second, True, config), len(first) + len(second))
    path = tmp_path / "joined.mp3"
    path.write_bytes(mp3_file(joined))
    decoded = decode(path, RATE)
    assert len(decoded) == len(first) + len(second)
    track = np.concatenate([first, second])
    for at in (RATE // 2, len(first) + len(pause) + RATE // 2):
        assert offset(track, decoded, at) == 0
    info = MP3(path).info
    # Each piece's frames keep 128 kbit/s on average by their own padding bits: a byte short at most per piece.
    assert abs(info.bitrate - 128000) < 8 and info.bitrate_mode == BitrateMode.CBR and info.channels == 1
    assert abs(info.length - len(track) / RATE) < SAMPLES_PER_FRAME / RATE
    assert info.encoder_info.startswith("LAME 3.100"), "the LAME tag's checksum holds"


def compare_with_whole_file(project: Path, slug: str, tmp_path: Path) -> None:
    lesson = lesson_of(project, slug)
    timeline = Timeline.from_json((project / "output" / slug / f"{slug}.timeline.json").read_text())
    assert lesson.layout.timeline.total == timeline.total
    assert len(lesson.layout.pieces) > 2, "the lesson is made in pieces"
    track = np.concatenate([lesson.mastered(piece) for piece in lesson.layout.pieces])
    pieced = decode(project / "output" / slug / f"{slug}.mp3", RATE)
    whole = whole_file_encode(track, tmp_path)
    assert len(pieced) == len(whole) == len(track) == timeline.total
    for turn in timeline.turns:
        for sentence in turn.sentences:
            assert offset(whole, pieced, sentence.start) == 0, f"“{sentence.text}” lines up to the sample"
            assert abs(onset(pieced, sentence.start) - onset(whole, sentence.start)) <= 2, sentence.text
            assert abs(onset(pieced, sentence.start) - sentence.start) <= 0.03 * RATE, sentence.text
    ours, theirs = measure_pcm(pieced, RATE), measure_pcm(whole, RATE)
    assert abs(ours.integrated_lufs - theirs.integrated_lufs) <= 0.1
    assert ours.true_peak_dbtp <= -1.0 and theirs.true_peak_dbtp <= -1.0
    assert -17.0 <= ours.integrated_lufs <= -15.0


def test_a_pieced_lesson_decodes_as_its_whole_file_encode(tone_project, tmp_path):
    compare_with_whole_file(tone_project, "machine-learning-engineer", tmp_path)


@pytest.mark.piper
@pytest.mark.numerics
def test_a_pieced_lesson_of_real_voices_decodes_as_its_whole_file_encode(cast_project, tmp_path):
    compare_with_whole_file(cast_project, "wind-turbine-technician", tmp_path)


def frame_entries(project: Path) -> set[Path]:
    return set((project / ".publish-cache" / "lessons" / "frames").rglob("*"))


def test_an_edit_encodes_only_the_piece_it_touches(tmp_path):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    assert run_build(project).ok
    slug = SHORT_GUIDE.stem
    pieces = lesson_of(project, slug).layout.pieces
    before = frame_entries(project)
    guide = project / "guides" / SHORT_GUIDE.name
    guide.write_text(guide.read_text().replace("Is it really all about climbing?",
                                               "Is it really, truly, all about climbing?"))
    report = run_build(project)
    assert report.ok and report.speech.synthesized == 1
    made = frame_entries(project) - before
    assert len([path for path in made if path.is_file()]) == 1, f"one piece of {len(pieces)} encoded again"
    timeline = Timeline.from_json((project / "output" / slug / f"{slug}.timeline.json").read_text())
    assert len(decode(project / "output" / slug / f"{slug}.mp3", RATE)) == timeline.total
