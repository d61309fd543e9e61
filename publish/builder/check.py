"""Whether a guide can be built: it reads as a guide, and every voice it would speak with can be
used here. `publish check`, the live preview and the build ask the same questions, here."""

from __future__ import annotations

from pathlib import Path

from publish import engines
from publish.config import Config
from publish.errors import CastError, GuideError, Problem
from publish.guide.model import Guide
from publish.speech.cast import cast_lesson


def voice_problems(config: Config, guide: Guide) -> list[Problem]:
    """The voices of the build's cast, and every fallback voice that is a file (`--engine piper`
    would use it): a voice that cannot be used is a problem of the guide."""
    named = {engine for speaker in guide.lesson.speakers for engine, _ in speaker.voices}
    forced = [config.audio.engine] + sorted(e for e in named if e != config.audio.engine and engines.get(e).voice_files)
    problems: list[Problem] = []
    for engine in forced:
        try:
            cast_lesson(guide, engine, config.audio.engine_settings, config.root, config.audio.draft)
        except CastError as error:
            if error.problem not in problems:
                problems.append(error.problem)
    return problems


def guide_warnings(config: Config, guide: Guide) -> list[Problem]:
    """What is worth fixing though the guide builds: its own warnings (a myth without its truth),
    and what its braille edition cannot carry (asked of liblouis: `publish check` only)."""
    from publish.outputs.braille.characters import braille_problems

    return [*guide.warnings, *braille_problems(guide, config.braille.grade)]


def check_guides(config: Config, paths: list[Path]) -> list[Guide]:
    """The guides, if every one checks; else a GuideError with every problem, voices included, and
    the guides' warnings beside them."""
    from publish.guide.source import load_guides

    guides = load_guides(paths)
    problems = [problem for guide in guides for problem in voice_problems(config, guide)]
    if problems:
        raise GuideError(problems + [warning for guide in guides for warning in guide_warnings(config, guide)])
    return guides
