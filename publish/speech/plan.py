"""The plan of a lesson: every sentence as written and as spoken, in clause-sized synthesis jobs,
each keyed by everything that changes its audio, and the voice each host speaks with.

Planning needs no audio libraries, so a build with nothing to do stays quick.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from publish.speech.cast import cast_lesson
from publish.config import AudioConfig
from publish.engines import VARIANTS, EngineSpec, VoiceRef, cast_name
from publish.guide.model import Guide, Turn
from publish.speech.said import SpokenTexts
from publish.text.spoken import synthesis_chunks

# Bump when the processing in `finish_clip` changes, so old cached clips are not reused.
CLIP_PROCESSING = "6"  # 6: word timings kept with the clip


@dataclass(frozen=True)
class SentenceJob:
    spoken: str
    engine: str  # the engine's name
    voice: str  # as the engine names it, without the variant
    variant: str
    key: str
    where: str = ""  # `file:line` of the turn, for messages; not part of the key


# Estimates for a build's progress bar, in hundredths of a second of one core: a voice says about
# 15 characters a second, and its engine makes `realtime` seconds of speech a second.
FINISHING_ESTIMATE = 300  # a guide's finishing


def work_estimate(job: SentenceJob) -> int:
    from publish import engines

    return max(1, round(100 * len(job.spoken) / (15 * engines.get(job.engine).realtime)))


def job_key(spoken: str, identity: str, variant: str, rate: int) -> str:
    material = "\x1f".join([spoken, identity, variant, repr(VARIANTS[variant]), str(rate), CLIP_PROCESSING])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PlannedSentence:
    text: str  # as written
    spoken: str  # as said
    jobs: tuple[SentenceJob, ...]  # one per clause-sized chunk of the spoken text


@dataclass(frozen=True)
class PlannedTurn:
    turn: Turn
    part: int
    voice: VoiceRef
    sentences: tuple[PlannedSentence, ...]


@dataclass(frozen=True)
class LessonPlan:
    guide: Guide
    specs: tuple[EngineSpec, ...]  # the engines this lesson speaks with
    turns: tuple[PlannedTurn, ...]
    cast: str = "published"  # the cast hosts without their own voice got: `published` or `draft`

    @property
    def jobs(self) -> list[SentenceJob]:
        return [job for t in self.turns for s in t.sentences for job in s.jobs]

    def jobs_by_spec(self) -> dict[EngineSpec, list[SentenceJob]]:
        by_name: dict[str, list[SentenceJob]] = {spec.name: [] for spec in self.specs}
        for job in self.jobs:
            by_name[job.engine].append(job)
        return {spec: by_name[spec.name] for spec in self.specs}

    @property
    def voices(self) -> tuple[tuple[str, str], ...]:
        """(speaker name, voice) for each host who speaks, in order of first turn."""
        seen: dict[str, str] = {}
        for planned in self.turns:
            seen.setdefault(planned.turn.speaker.name, str(planned.voice))
        return tuple(seen.items())


def plan_lesson(guide: Guide, config: AudioConfig, project: Path | None = None,
                said: SpokenTexts | None = None) -> LessonPlan:
    """Every sentence of the lesson as the jobs that speak it; voice files must lie inside `project`.
    `said`: the spoken texts a build keeps between runs (none: every sentence through the rules)."""
    said = said or SpokenTexts(None)
    roles, specs = cast_lesson(guide, config.engine, config.engine_settings, project, config.draft)
    planned: list[PlannedTurn] = []
    for part_index, part in enumerate(guide.lesson.parts):
        for turn in part.turns:
            role = roles[turn.speaker.id]
            voice = role.voice
            sentences = []
            for sentence in said.sentences(turn.text, guide.language):
                spoken_text = said.spoken(sentence, guide.lexicon, guide.language)
                jobs = tuple(SentenceJob(chunk, voice.engine, voice.name, voice.variant,
                                         job_key(chunk, role.identity, voice.variant, config.sample_rate), str(turn.where))
                             for chunk in synthesis_chunks(spoken_text))
                sentences.append(PlannedSentence(sentence, spoken_text, jobs))
            planned.append(PlannedTurn(turn, part_index, voice, tuple(sentences)))
    return LessonPlan(guide, tuple(specs.values()), tuple(planned), cast_name(config.draft))
