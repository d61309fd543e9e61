"""The audio lesson, piece by piece: laid out (`layout`), each voice levelled (`levels`), each piece
encoded on its own and kept (`store`), the pieces' frames joined into one MP3 (`frames`).

Only one piece's samples are held at a time, so finishing a lesson takes the same memory however
long it is; and an edit encodes again only the pieces whose clips or levels changed.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Mapping

import numpy as np

from publish.audio.frames import ENCODER, Joined, mp3_file, piece_frames
from publish.audio.layout import INTRO, OUTRO, Layout, Piece, Sound, lay_out
from publish.audio.levels import Level, Leveller, Stretch
from publish.audio.store import LessonStore, entry_key
from publish.config import AudioConfig
from publish.errors import AudioError
from publish.speech.plan import LessonPlan

if TYPE_CHECKING:
    from publish.audio.timeline import Timeline
    from publish.speech.clips import ClipShape

log = logging.getLogger(__name__)


def load_audio_file(path: Path, rate: int) -> np.ndarray:
    from publish.ffmpeg import decode

    try:
        return decode(path, rate)
    except AudioError as error:
        raise AudioError(f"{path} cannot be used as intro/outro audio ({error}) — give a WAV, MP3 or OGG file") from None


def music_of(config: AudioConfig) -> dict[str, np.ndarray]:
    """The intro's and outro's samples, by INTRO / OUTRO, for those the config names."""
    named = ((INTRO, config.intro), (OUTRO, config.outro))
    return {which: load_audio_file(path, config.sample_rate) for which, path in named if path is not None}


def lesson_layout(plan: LessonPlan, clips: Mapping[str, "ClipShape"], config: AudioConfig,
                  music: Mapping[str, np.ndarray]) -> Layout:
    from publish.digest import digest

    shapes = {which: (digest(which, samples.tobytes()), len(samples)) for which, samples in music.items()}
    return lay_out(plan, clips, config, shapes)


def lesson_timeline(plan: LessonPlan, clips: Mapping[str, "ClipShape"], config: AudioConfig) -> "Timeline":
    """Only where every sentence lies: levels do not move a sample."""
    return lesson_layout(plan, clips, config, music_of(config)).timeline


class Lesson:
    """A laid-out lesson's MP3, made from `clip(key)` (a clip's samples) and the music, with what
    `store` keeps of earlier builds."""

    def __init__(self, plan: LessonPlan, layout: Layout, config: AudioConfig, clip: Callable[[str], np.ndarray],
                 music: Mapping[str, np.ndarray], store: LessonStore):
        from publish.ffmpeg import ffmpeg_exe

        self.plan, self.layout, self.config, self.clip, self.music, self.store = plan, layout, config, clip, music, store
        self.version = f"{Path(ffmpeg_exe()).name} {ENCODER}"  # its filters and encoder make the kept entries
        self.leveller = Leveller(store, config.sample_rate, self._said, self._spread, self.version)
        self._levels: dict[str, Level] | None = None

    def _sound(self, sound: Sound) -> np.ndarray:
        return self.music[sound.voice] if sound.voice in (INTRO, OUTRO) else self.clip(sound.key)

    def _said(self, stretch: Stretch) -> np.ndarray:
        return np.concatenate([self._sound(sound) for sound in stretch.sounds])

    def _spread(self, stretch: Stretch) -> np.ndarray:
        samples = np.zeros(stretch.length, dtype=np.int16)
        for sound in stretch.sounds:
            samples[sound.at - stretch.start:sound.at - stretch.start + sound.length] = self._sound(sound)
        return samples

    def levels(self) -> dict[str, Level]:
        """Every voice's level in this lesson (measured once)."""
        if self._levels is None:
            lesson = entry_key("lesson", self.plan.guide.slug, self.config.sample_rate, *sorted(self.plan.voices))
            self._levels = self.leveller.levels(self.layout.pieces, self.config, lesson)
        return self._levels

    def mp3(self) -> bytes:
        """The lesson as an MP3 file, untagged: every piece's frames, kept or encoded now, joined."""
        pieces = self.layout.pieces
        frames = bytearray()
        for piece in pieces:
            frames += self._frames(piece, piece is pieces[-1])
        return mp3_file(Joined(bytes(frames), self.layout.timeline.total))

    def _frames(self, piece: Piece, last: bool) -> bytes:
        config, levels = self.config, self.levels()
        key = entry_key("frames", self.version, config.sample_rate, config.bitrate_kbps, piece.length, last,
                        *(f"{s.voice} {s.key} {s.at} {s.length}" for s in piece.sounds),
                        *(f"{voice} {levels[voice].limiter} {levels[voice].gain.db!r}" for voice in piece.voices()))
        kept = self.store.get("frames", key)
        if kept is not None:
            return kept
        frames = piece_frames(self.mastered(piece), last, config)
        self.store.put("frames", key, frames)
        return frames

    def mastered(self, piece: Piece) -> np.ndarray:
        """The piece's samples as the MP3 holds them: each voice's clips limited, at its gain, in place."""
        levels = self.levels()
        track = np.zeros(piece.length, dtype=np.int16)
        for voice in piece.voices():
            stretch = Stretch(voice, piece.said_by(voice))
            said = levels[voice].gain.apply(self.leveller.limited(stretch, levels[voice].limiter))
            for sound in stretch.sounds:  # its pauses are another voice's turns
                track[sound.at:sound.at + sound.length] = said[sound.at - stretch.start:][:sound.length]
        return track
