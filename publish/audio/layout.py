"""The lesson laid out: where every clip sits, and the pieces it is cut into.

This is the only place where positions in the audio are decided; the timeline comes out of it
with the pieces, so every later format reads real clip lengths.

A piece is a stretch of turns, masterable and encodable on its own (`publish.audio.frames`): a
lesson part starts one, and so does every `TURNS_PER_PIECE`-th turn within a part. Each cut lies
in the middle of the pause between two turns, and the piece before it is lengthened to a whole
number of MP3 frames (at most 26 ms more pause), so a piece's samples depend only on its own
clips, wherever it lies: an edit that lengthens one turn moves the pieces after it without
changing them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Mapping

from publish.audio.frames import SAMPLES_PER_FRAME
from publish.audio.timeline import SENTENCE, WORD, ChapterSpan, SentenceSpan, Timeline, TurnSpan, WordSpan
from publish.config import AudioConfig
from publish.speech.plan import LessonPlan, PlannedSentence
from publish.text.spoken import plain_text, timed_words, traced_spoken, written_sources

if TYPE_CHECKING:
    from publish.speech.clips import ClipShape

log = logging.getLogger(__name__)

# Turns in a piece, at most: an edit re-makes the piece it falls in (about 40 s of the reference
# lesson), and finishing holds one piece's samples at a time.
TURNS_PER_PIECE = 3
# A shorter pause is not cut: each side of a cut keeps at least half of it, and the encoder's
# transform reaches about 1,700 samples (38 ms) past a frame.
SHORTEST_CUT_MS = 200
INTRO, OUTRO = "intro", "outro"  # music is levelled as a voice of its own


@dataclass(frozen=True)
class Sound:
    """A clip (or the intro or outro music) in a piece: who says it, which, and where."""

    voice: str  # `engine:voice`, or INTRO / OUTRO
    key: str  # the clip's key in the cache, or the music's digest
    at: int  # samples from the piece's start
    length: int


@dataclass(frozen=True)
class Piece:
    start: int  # in the lesson, in samples: a whole number of MP3 frames
    length: int  # a whole number of MP3 frames, but for the last piece
    sounds: tuple[Sound, ...]

    def voices(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(sound.voice for sound in self.sounds))

    def said_by(self, voice: str) -> tuple[Sound, ...]:
        return tuple(sound for sound in self.sounds if sound.voice == voice)


@dataclass(frozen=True)
class Layout:
    pieces: tuple[Piece, ...]
    timeline: Timeline


class _Track:
    """The running position in samples, and the pieces cut so far."""

    def __init__(self, rate: int):
        self.rate = rate
        self.position = 0
        self.start = 0
        self.sounds: list[Sound] = []
        self.pieces: list[Piece] = []

    def add(self, voice: str, key: str, length: int) -> tuple[int, int]:
        start = self.position
        self.sounds.append(Sound(voice, key, start - self.start, length))
        self.position += length
        return start, self.position

    def pause(self, ms: int) -> None:
        self.position += max(0, ms) * self.rate // 1000

    def cut(self, ms: int) -> None:
        """A pause of `ms` with a cut in its middle: the piece before it ends on the frame grid."""
        count = max(0, ms) * self.rate // 1000
        self.position += count // 2
        self.position += -(self.position - self.start) % SAMPLES_PER_FRAME
        self.close()
        self.position += count - count // 2

    def close(self) -> None:
        self.pieces.append(Piece(self.start, self.position - self.start, tuple(self.sounds)))
        self.start, self.sounds = self.position, []


def lay_out(plan: LessonPlan, clips: Mapping[str, "ClipShape"], config: AudioConfig,
            music: Mapping[str, tuple[str, int]]) -> Layout:
    """The lesson's pieces and timeline from its clips' lengths and word times; `music`: the intro's
    and outro's digest and length, by INTRO / OUTRO, for those the config names."""
    track = _Track(config.sample_rate)
    track.pause(config.lead_in_ms)
    if INTRO in music:
        track.add(INTRO, *music[INTRO])
        track.pause(config.part_pause_ms)
    turns: list[TurnSpan] = []
    previous_part, in_piece = None, 0
    for index, planned in enumerate(plan.turns):
        if previous_part is not None:
            new_part = planned.part != previous_part
            pause = config.part_pause_ms if new_part else config.turn_pause_ms
            if (new_part or in_piece >= TURNS_PER_PIECE) and pause >= SHORTEST_CUT_MS:
                track.cut(pause)
                in_piece = 0
            else:
                track.pause(pause)
        previous_part, in_piece = planned.part, in_piece + 1
        turns.append(_turn(plan, index, track, clips, config))
    track.pause(config.tail_ms)
    if OUTRO in music:
        track.add(OUTRO, *music[OUTRO])
        track.pause(config.lead_in_ms)
    track.close()
    chapters = _chapters(plan, turns, track.position)
    timeline = Timeline(plan.guide.slug, plan.guide.title, config.sample_rate, track.position, tuple(turns), chapters,
                        plan.cast)
    return Layout(tuple(track.pieces), timeline)


def _turn(plan: LessonPlan, index: int, track: _Track, clips: Mapping[str, "ClipShape"],
          config: AudioConfig) -> TurnSpan:
    planned = plan.turns[index]
    spans = []
    for number, sentence in enumerate(planned.sentences):
        if number:
            track.pause(config.sentence_pause_ms)
        word_times: list[tuple[int, int]] | None = []
        start = end = track.position
        for count, job in enumerate(sentence.jobs):
            if count:
                track.pause(config.clause_pause_ms)
            clip = clips[job.key]
            at, end = track.add(str(planned.voice), job.key, clip.length)
            word_times = None if word_times is None or clip.words is None else \
                word_times + [(at + a, at + b) for a, b in clip.words]
        words = _written_words(plan, sentence, word_times) if word_times else ()
        spans.append(SentenceSpan(sentence.text, sentence.spoken, start, end, words))
    turn = planned.turn
    timing = WORD if all(span.words for span in spans) else SENTENCE
    return TurnSpan(index, planned.part, turn.speaker.id, turn.speaker.name, plain_text(turn.text), turn.where.line,
                    spans[0].start, spans[-1].end, tuple(spans), planned.voice.engine, str(planned.voice), timing)


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
