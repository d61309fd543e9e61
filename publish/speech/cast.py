"""Who speaks with which voice: each host's voice from the guide, the default cast, or a forced engine.

A speaker's `voice` (`hibari:heart`) is used as it is. A guide that names no voice gets the
published cast, or the draft cast for a draft build, by host position. A build that makes one engine speak for everyone (`--engine`)
uses each speaker's fallback for that engine (`voices: {gtts: co.uk}`), then the speaker's own
voice if it is of that engine, then the engine's default for the host's position.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish import engines
from publish.engines import EngineSpec, VoiceRef, cast_for
from publish.errors import CastError, EngineError, Problem
from publish.guide.model import Guide, Speaker


@dataclass(frozen=True)
class Role:
    """One host and the voice they speak with, resolved to what every worker process can find."""

    speaker: Speaker
    voice: VoiceRef
    identity: str  # the engine's identity for this voice: what the clip cache is keyed on


def chosen_voice(speaker: Speaker, host: int, forced: str | None, draft: bool = False,
                 language: str = "en") -> VoiceRef:
    cast = cast_for(language, draft)
    if forced is None:
        return engines.parse_voice(speaker.voice or cast[host % len(cast)])
    fallback = speaker.voice_for(forced)
    if fallback:
        return engines.parse_voice(f"{forced}:{fallback}")
    if speaker.voice and engines.parse_voice(speaker.voice).engine == forced:
        return engines.parse_voice(speaker.voice)
    # The language's own voice of that engine (`--engine kokoro` for a Spanish guide: Spanish voices).
    own = [voice for voice in cast_for(language) if voice.startswith(f"{forced}:")]
    if own and language.split("-")[0].lower() != "en":
        return engines.parse_voice(own[host % len(own)])
    return engines.parse_voice(f"{forced}:{engines.default_voice(forced, host)}")


def engine_options(options: tuple[tuple[str, str], ...], engine: str, guide: Guide) -> tuple[tuple[str, str], ...]:
    """The `[engines.NAME]` settings of publish.toml for one engine, with the settings every engine
    reads (those without a dot: the pace) and the guide's language."""
    prefix = f"{engine}."
    chosen = {k: v for k, v in options if "." not in k}
    chosen.update((k[len(prefix):], v) for k, v in options if k.startswith(prefix))
    if engines.get(engine).uses_language:
        chosen["language"] = guide.language.split("-")[0]
    return tuple(sorted(chosen.items()))


def cast_lesson(guide: Guide, forced: str | None, options: tuple[tuple[str, str], ...],
                project: Path | None = None, draft: bool = False) -> tuple[dict[str, Role], dict[str, EngineSpec]]:
    """Every speaker's role (by speaker id) and the engines the lesson needs (by name).

    Voice files must lie inside `project` when it is given. Errors (CastError) name the guide
    line that declared the speaker.
    """
    if forced is not None:
        engines.get(forced)
    roles: dict[str, Role] = {}
    specs: dict[str, EngineSpec] = {}
    for host, speaker in enumerate(guide.lesson.speakers):
        try:
            chosen = chosen_voice(speaker, host, forced, draft, guide.language)
            if chosen.engine not in specs:
                specs[chosen.engine] = EngineSpec(engines.get(chosen.engine),
                                                  engine_options(options, chosen.engine, guide))
            engine = specs[chosen.engine].create()
            resolved = VoiceRef(chosen.engine, engine.resolve_voice(chosen.name, Path(guide.folder), project),
                                chosen.variant)
            roles[speaker.id] = Role(speaker, resolved, engine.identity(resolved.name))
        except EngineError as error:
            what, _, hint = str(error).partition(" — ")
            raise CastError(Problem(speaker.where.path, speaker.where.line, f"speaker {speaker.name}: {what}",
                                    hint or "choose another voice (see guides/README.md)")) from None
    return roles, specs
