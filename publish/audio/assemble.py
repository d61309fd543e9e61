"""The audio lesson: assemble the planned clips, master and encode the MP3.

`assemble` is the only place where positions in the audio are decided; it returns the timeline
together with the samples, so every later format reads real clip lengths.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from publish.config import AudioConfig
from publish.errors import AudioError
from publish.ffmpeg import audio_segment_class
from publish.audio.levels import VoiceLevel, level_voices, limited, mastering_chain
from publish.speech.plan import LessonPlan, PlannedSentence
from publish.text.spoken import plain_text, timed_words, traced_spoken, written_sources
from publish.audio.timeline import SENTENCE, WORD, ChapterSpan, SentenceSpan, Timeline, TurnSpan, WordSpan

if TYPE_CHECKING:
    from pydub import AudioSegment

    from publish.speech.clips import SpokenClip

log = logging.getLogger(__name__)


class _Track:
    """Pieces of audio in order, with the running position in samples; joined once at the end."""

    def __init__(self, rate: int):
        self.rate = rate
        self.pieces: list[np.ndarray | int] = []  # samples, or a pause length in samples
        self.position = 0

    def add(self, samples: np.ndarray) -> tuple[int, int]:
        start = self.position
        self.pieces.append(samples)
        self.position += len(samples)
        return start, self.position

    def pause(self, ms: int) -> None:
        if ms > 0:
            count = ms * self.rate // 1000
            self.pieces.append(count)
            self.position += count

    def join(self) -> "AudioSegment":
        # One buffer, filled once: `+=` in a loop would copy the whole track for every clip.
        track = np.zeros(self.position, dtype=np.int16)
        at = 0
        for piece in self.pieces:
            if isinstance(piece, int):
                at += piece
            else:
                track[at:at + len(piece)] = piece
                at += len(piece)
        return audio_segment_class()(data=track.tobytes(), sample_width=2, frame_rate=self.rate, channels=1)


def assemble(plan: LessonPlan, clips: dict[str, "SpokenClip"], config: AudioConfig) -> tuple["AudioSegment", Timeline]:
    """The lesson's audio, each voice at its matched level, and where every sentence lies in it."""
    track, timeline = _place(plan, clips, config, level_voices(plan, clips, config.sample_rate))
    return track.join(), timeline


def lesson_timeline(plan: LessonPlan, clips: dict[str, "SpokenClip"], config: AudioConfig) -> Timeline:
    """Only where every sentence lies: the same placement without the audio (levels do not move
    a sample, so the level match and the joining are left out)."""
    return _place(plan, clips, config, None)[1]


def _place(plan: LessonPlan, clips: dict[str, "SpokenClip"], config: AudioConfig,
           levels: dict[str, VoiceLevel] | None) -> tuple[_Track, Timeline]:
    """`levels` None: the clips as spoken, for a timeline without audio."""
    rate = config.sample_rate
    reached = {voice: 0 for voice in levels or {}}  # how far into each voice's leveled speech

    def leveled(voice: str, clip: "SpokenClip") -> np.ndarray:
        if levels is None:
            return clip.samples
        level, start = levels[voice], reached[voice]
        reached[voice] += len(clip.samples)
        return level.gain.apply(level.speech[start:reached[voice]])

    def music(path: Path) -> np.ndarray:
        samples = load_audio_file(path, rate)
        return samples if levels is None else limited(samples, rate)

    track = _Track(rate)
    track.pause(config.lead_in_ms)
    if config.intro:
        track.add(music(config.intro))
        track.pause(config.part_pause_ms)
    turns: list[TurnSpan] = []
    previous_part = None
    for index, planned in enumerate(plan.turns):
        if previous_part is not None:
            track.pause(config.part_pause_ms if planned.part != previous_part else config.turn_pause_ms)
        previous_part = planned.part
        spans = []
        for number, sentence in enumerate(planned.sentences):
            if number:
                track.pause(config.sentence_pause_ms)
            word_times: list[tuple[int, int]] | None = []
            start = track.position
            for count, job in enumerate(sentence.jobs):
                if count:
                    track.pause(config.clause_pause_ms)
                clip = clips[job.key]
                at, end = track.add(leveled(str(planned.voice), clip))
                word_times = None if word_times is None or clip.words is None else \
                    word_times + [(at + a, at + b) for a, b in clip.words]
            words = _written_words(plan, sentence, word_times) if word_times else ()
            spans.append(SentenceSpan(sentence.text, sentence.spoken, start, end, words))
        turn = planned.turn
        timing = WORD if all(span.words for span in spans) else SENTENCE
        turns.append(TurnSpan(index, planned.part, turn.speaker.id, turn.speaker.name, plain_text(turn.text),
                              turn.where.line, spans[0].start, spans[-1].end, tuple(spans),
                              planned.voice.engine, str(planned.voice), timing))
    track.pause(config.tail_ms)
    if config.outro:
        track.add(music(config.outro))
        track.pause(config.lead_in_ms)
    chapters = _chapters(plan, turns, track.position)
    timeline = Timeline(plan.guide.slug, plan.guide.title, rate, track.position, tuple(turns), chapters, plan.cast)
    return track, timeline


def _written_words(plan: LessonPlan, sentence: PlannedSentence, times: list[tuple[int, int]]) -> tuple[WordSpan, ...]:
    """The written words of a sentence with the times their spoken words are said."""
    said = traced_spoken(sentence.text, plan.guide.lexicon, plan.guide.language)
    sources = written_sources(sentence.text, said)
    if said != sentence.spoken or len(sources) != len(times):
        log.debug("word timings of “%s” do not line up with its words; timed as a sentence", sentence.text)
        return ()
    return tuple(WordSpan(*timed) for timed in timed_words(sources, times))


def _chapters(plan: LessonPlan, turns: list[TurnSpan], total: int) -> tuple[ChapterSpan, ...]:
    starts: list[tuple[str, int]] = []
    for part_index, part in enumerate(plan.guide.lesson.parts):
        first = next(t for t in turns if t.part == part_index)
        starts.append((part.title, 0 if part_index == 0 else first.start))
    ends = [start for _, start in starts[1:]] + [total]
    return tuple(ChapterSpan(title, start, end) for (title, start), end in zip(starts, ends))


def load_audio_file(path: Path, rate: int) -> np.ndarray:
    from publish.ffmpeg import decode

    try:
        return decode(path, rate)
    except AudioError as error:
        raise AudioError(f"{path} cannot be used as intro/outro audio ({error}) — give a WAV, MP3 or OGG file") from None


# LAME's speed/quality setting (0 slowest … 9 fastest). At 128 kbit/s mono, speech is far from
# the bit-rate limit: measured on the reference lesson, -q 7 encodes 2.6x faster than LAME's
# default (-q 3) at the same signal-to-noise ratio against the source (26.0 vs 25.5 dB) and the
# same gapless length.
LAME_QUALITY = 7


def encode_mp3(track: "AudioSegment", config: AudioConfig) -> bytes:
    """Master to the loudness target and encode CBR MP3; returns the file's bytes (untagged)."""
    samples = np.frombuffer(track.raw_data, dtype=np.int16)
    chain = mastering_chain(samples, track.frame_rate, config)
    with tempfile.TemporaryDirectory(prefix="publish-mp3-") as folder:
        target = Path(folder) / "lesson.mp3"
        # A real file, not a pipe: LAME's gapless header (encoder delay, padding) is written by
        # seeking back, and it is what lets players decode exactly the samples the timeline counts.
        track.export(
            target, format="mp3", codec="libmp3lame", bitrate=f"{config.bitrate_kbps}k",
            parameters=["-af", chain, "-ar", str(config.sample_rate), "-ac", "1", "-write_xing", "1",
                        "-compression_level", str(LAME_QUALITY)],
        ).close()
        return target.read_bytes()
