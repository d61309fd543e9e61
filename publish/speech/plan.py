"""The plan of a lesson: every sentence as written and as spoken, in clause-sized synthesis jobs,
each keyed by everything that changes its audio, and the voice each host speaks with.

Planning needs no audio libraries, so a build with nothing to do stays quick.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from publish.speech.cast import cast_lesson
from publish.config import AudioConfig
from publish.engines import VARIANTS, EngineSpec, VoiceRef, cast_name
from publish.errors import EngineError
from publish.guide.model import Guide, Turn
from publish.speech.clips import CLIP_PROCESSING
from publish.speech.said import SpokenTexts
from publish.text.spoken import synthesis_chunks


@dataclass(frozen=True)
class SentenceJob:
    spoken: str
    engine: str  # the engine's name
    voice: str  # as the engine names it, without the variant
    variant: str
    key: str
    where: str = ""  # `file:line` of the turn, for messages; not part of the key


@dataclass(frozen=True)
class Spoken:
    """One sentence done: its clip is in the cache, or `error` says why it could not be spoken."""

    job: SentenceJob
    error: str | None
    seconds: float  # inside the engine, over every try
    began: float = 0.0  # when its last try began and when it ended (time.monotonic, here)
    ended: float = 0.0


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


def plan_preview(guide: Guide, config: AudioConfig, project: Path | None, said: SpokenTexts | None,
                 spoken: Callable[[str], bool]) -> LessonPlan:
    """The live preview's plan: each turn as the published cast says it where every clip of it is
    spoken already (`spoken(key)`), else as the fast draft cast says it. So a preview after
    `publish build` starts from the lesson as built and speaks only the turns that changed: whole
    turns, so that no host changes voice within one."""
    published = plan_lesson(guide, replace(config, draft=False), project, said)
    draft = plan_lesson(guide, replace(config, draft=True), project, said)

    def as_built(turn: PlannedTurn) -> bool:
        return all(spoken(job.key) for sentence in turn.sentences for job in sentence.jobs)

    turns = tuple(ours if ours.voice == fast.voice or as_built(ours) else fast
                  for ours, fast in zip(published.turns, draft.turns))
    engines_used = {turn.voice.engine for turn in turns}
    specs = {spec.name: spec for spec in (*published.specs, *draft.specs) if spec.name in engines_used}
    drafted = any(turn.voice != ours.voice for turn, ours in zip(turns, published.turns))
    return LessonPlan(guide, tuple(specs.values()), turns, cast_name(drafted))


def at_turn(job: SentenceJob, error: str) -> EngineError:
    """An engine's failure, named at the turn that says the sentence."""
    return EngineError(f"{job.where}: {error}" if job.where else error)
