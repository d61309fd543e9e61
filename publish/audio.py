"""The audio lesson: plan the sentences, assemble the clips, master and encode the MP3.

`assemble` is the only place where positions in the audio are decided; it returns the timeline
together with the samples, so every later format reads real clip lengths.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from publish import engines
from publish.config import AudioConfig
from publish.engines import EngineSpec
from publish.errors import AudioError, EngineError
from publish.ffmpeg import audio_segment_class
from publish.model import Guide, Speaker, Turn
from publish.speech import plain_text, split_sentences, spoken, synthesis_chunks
from publish.synth import SentenceJob, job_key, split_voice
from publish.timeline import ChapterSpan, SentenceSpan, Timeline, TurnSpan

if TYPE_CHECKING:
    from pydub import AudioSegment

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlannedSentence:
    text: str  # as written
    spoken: str  # as said
    jobs: tuple[SentenceJob, ...]  # one per clause-sized chunk of the spoken text


@dataclass(frozen=True)
class PlannedTurn:
    turn: Turn
    part: int
    sentences: tuple[PlannedSentence, ...]


@dataclass(frozen=True)
class LessonPlan:
    guide: Guide
    spec: EngineSpec
    turns: tuple[PlannedTurn, ...]

    @property
    def jobs(self) -> list[SentenceJob]:
        return [job for t in self.turns for s in t.sentences for job in s.jobs]


def engine_spec(config: AudioConfig, guide: Guide) -> EngineSpec:
    engines.check_name(config.engine)
    prefix = f"{config.engine}."
    options = [(k[len(prefix):], v) for k, v in config.engine_options if k.startswith(prefix)]
    options.append(("language", guide.language.split("-")[0]))
    return EngineSpec(config.engine, tuple(sorted(options)))


def speaker_voice(guide: Guide, speaker: Speaker, engine: str) -> str:
    voice = speaker.voice_for(engine) or engines.default_voice(engine, guide.lesson.speakers.index(speaker))
    base, variant = split_voice(voice)
    if engine == "piper" and base != "joe":
        path = Path(base) if Path(base).is_absolute() else (guide.folder / base)
        base = str(path.resolve())
    return f"{base}+{variant}" if variant else base


def plan_lesson(guide: Guide, config: AudioConfig) -> LessonPlan:
    spec = engine_spec(config, guide)
    engine = engines.create(spec)
    identities: dict[str, str] = {}
    planned: list[PlannedTurn] = []
    for part_index, part in enumerate(guide.lesson.parts):
        for turn in part.turns:
            try:
                voice, variant = split_voice(speaker_voice(guide, turn.speaker, spec.name))
                if voice not in identities:
                    identities[voice] = engine.identity(voice)
            except EngineError as error:
                raise EngineError(f"{turn.speaker.where}: speaker {turn.speaker.name}: {error}") from None
            sentences = []
            for sentence in split_sentences(plain_text(turn.text)):
                said = spoken(sentence, guide.lexicon)
                jobs = tuple(SentenceJob(chunk, voice, variant, job_key(chunk, identities[voice], variant,
                                                                         config.sample_rate))
                             for chunk in synthesis_chunks(said))
                sentences.append(PlannedSentence(sentence, said, jobs))
            planned.append(PlannedTurn(turn, part_index, tuple(sentences)))
    return LessonPlan(guide, spec, tuple(planned))


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


def assemble(plan: LessonPlan, clips: dict[str, np.ndarray], config: AudioConfig) -> tuple["AudioSegment", Timeline]:
    rate = config.sample_rate
    track = _Track(rate)
    track.pause(config.lead_in_ms)
    if config.intro:
        track.add(load_audio_file(config.intro, rate))
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
            start, end = track.add(clips[sentence.jobs[0].key])
            for job in sentence.jobs[1:]:
                track.pause(config.clause_pause_ms)
                _, end = track.add(clips[job.key])
            spans.append(SentenceSpan(sentence.text, sentence.spoken, start, end))
        turn = planned.turn
        turns.append(TurnSpan(index, planned.part, turn.speaker.id, turn.speaker.name, plain_text(turn.text),
                              turn.where.line, spans[0].start, spans[-1].end, tuple(spans)))
    track.pause(config.tail_ms)
    if config.outro:
        track.add(load_audio_file(config.outro, rate))
        track.pause(config.lead_in_ms)
    chapters = _chapters(plan, turns, track.position)
    timeline = Timeline(plan.guide.slug, plan.guide.title, rate, track.position, tuple(turns), chapters)
    return track.join(), timeline


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


# Speech may peak this far above its loudness once limited; podcasts allow about 15 dB (-16 LUFS, -1 dBTP).
LIMIT_ABOVE_LOUDNESS_DB = 8.0
TRUE_PEAK_MARGIN_DB = 0.5  # MP3 encoding adds a little to the true peak


def mastering_chain(samples: np.ndarray, rate: int, config: AudioConfig) -> str:
    """The ffmpeg filters that bring the track to the loudness target without passing the peak ceiling.

    A look-ahead limiter (with its delay compensated, so no sample moves) trims the few sentence
    peaks that would otherwise stop a plain gain from reaching the target; then one gain change.
    """
    from publish.ffmpeg import measure_pcm

    limit_db = min(0.0, _speech_level_db(samples) + LIMIT_ABOVE_LOUDNESS_DB)
    limiter = f"alimiter=limit={10 ** (limit_db / 20):.4f}:attack=2:release=80:level=false:latency=true"
    measured = measure_pcm(samples, rate, limiter)
    if measured.integrated_lufs == float("-inf"):
        raise AudioError("the lesson audio is silent — check the TTS engine and voices")
    gain = config.loudness_lufs - measured.integrated_lufs
    ceiling = config.true_peak_dbtp - TRUE_PEAK_MARGIN_DB
    if measured.true_peak_dbtp + gain > ceiling:
        log.info("loudness held %.1f dB under target to keep true peak under %.1f dBTP",
                    measured.true_peak_dbtp + gain - ceiling, config.true_peak_dbtp)
        gain = ceiling - measured.true_peak_dbtp
    return f"{limiter},volume={gain:.2f}dB"


def _speech_level_db(samples: np.ndarray) -> float:
    """A quick RMS level of the voiced 100 ms blocks (dBFS), to place the limiter.

    Ten seconds at a time, in float32: a float64 copy of a whole lesson would be the largest
    thing in memory.
    """
    block = 4410
    powers = []
    for start in range(0, len(samples) - block + 1, block * 100):
        chunk = samples[start:start + block * 100]
        chunk = chunk[: len(chunk) // block * block].astype(np.float32) / 32768.0
        powers.append(np.square(chunk).reshape(-1, block).mean(axis=1))
    if not powers:
        return -20.0
    power = np.concatenate(powers)
    voiced = power[power > 10 ** (-50 / 10)]
    if voiced.size == 0:
        return -20.0
    return float(10 * np.log10(voiced.mean()))


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
            parameters=["-af", chain, "-ar", str(config.sample_rate), "-ac", "1", "-write_xing", "1"],
        ).close()
        return target.read_bytes()
