"""What every text-to-speech engine is: a class that declares what it can do, and speaks sentences.

An engine turns one sentence of spoken text into mono samples at its own rate. Everything after
that (voice variants, resampling, trimming, level matching, caching, assembly) is the same for
every engine, so the build never asks which engine it is talking to.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar, Mapping, Sequence

if TYPE_CHECKING:  # the engines load NumPy when they speak, not when a build only plans
    import numpy as np



@dataclass(frozen=True)
class Clip:
    samples: np.ndarray  # mono: int16, or float32 in [-1, 1]
    rate: int
    # (start, end) in samples of each word asked for, from engines that can time words; else None.
    words: tuple[tuple[int, int], ...] | None = None


class Engine(ABC):
    """One engine. Instances are cheap to make; models load on first use, once per process."""

    name: ClassVar[str]
    summary: ClassVar[str]  # one line for `--help` and error messages
    # Voices given to the hosts, in order, when a build makes this engine speak for everyone
    # (`--engine NAME`) and a speaker names no voice for it.
    default_voices: ClassVar[tuple[str, ...]]
    sample_rate: ClassVar[int]  # of what `synthesize` returns
    # Seconds of speech one core makes in a second, roughly. A build speaks the fastest engines'
    # sentences first, so their processes end (and give their memory back) early.
    realtime: ClassVar[float] = 10.0
    word_timings: ClassVar[bool] = False  # can report when each word starts
    # Voices can be files the guide names (which must lie inside the project).
    voice_files: ClassVar[bool] = False
    # Reads the guide's language (the `language` option): gTTS does. The others know it from the
    # voice, so guides in several languages share one engine process.
    uses_language: ClassVar[bool] = False
    # Its voice names may hold a `+` of their own (espeak-ng's `en-us+f3`), besides our variants.
    plus_in_names: ClassVar[bool] = False
    # Memory one run holds per character of spoken text (MB, at the reference pace): a process runs
    # no more sentences at once than fit its budget (publish/speech/service.py).
    run_memory_mb: ClassVar[float] = 0.0

    def __init__(self, options: Mapping[str, str], threads: int = 1):
        self.options = dict(options)
        self.threads = threads

    def option(self, key: str, default: str) -> str:
        return self.options.get(key, default)

    def resolve_voice(self, voice: str, folder: Path, project: Path | None = None) -> str:
        """The voice as every process will name it (a file voice becomes an absolute path, which
        must lie inside `project` when one is given).

        Raises EngineError, saying what to do, when the voice cannot be used here; never downloads.
        """
        return voice

    def render(self, spoken: str) -> str:
        """Spoken text in this engine's own input form; exact sounds as their shown text by default."""
        from publish.text import sounds

        return sounds.plain(spoken)

    def prepare(self, voice: str) -> None:
        """Load what speaking with `voice` needs (a model), ahead of the first sentence."""

    def look_ahead(self, text: str, words: Sequence[str], voice: str) -> None:
        """Work out ahead what speaking `text` (and timing `words`) needs besides the model, so that
        what does it can be let go (`let_go`) before the sentences are spoken."""

    def let_go(self) -> None:
        """Free what only looking ahead needed; a sentence not looked ahead loads it again."""

    @abstractmethod
    def identity(self, voice: str) -> str:
        """Everything about this engine and voice that changes the audio (version, model hash)."""

    @abstractmethod
    def synthesize(self, text: str, voice: str) -> Clip:
        """Speak one sentence."""

    def synthesize_timed(self, text: str, words: Sequence[str], voice: str) -> Clip:
        """Speak one sentence and say when each of `words` (its words, in this engine's input form)
        is said. Engines that cannot (`word_timings` False) return the clip without timings."""
        return self.synthesize(text, voice)


@dataclass(frozen=True)
class EngineSpec:
    """What a worker process needs to make the same engine: picklable (the class travels by its
    import path, so engines registered by plug-ins and tests work in worker processes too)."""

    engine: type[Engine]
    options: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        return self.engine.name

    def create(self, threads: int = 1) -> Engine:
        return self.engine(dict(self.options), threads)


@dataclass(frozen=True, order=True)
class VoiceRef:
    """A voice of one engine, as a speaker names it: `hibari:heart`, `piper:joe+bright`."""

    engine: str
    name: str
    variant: str = ""

    def __str__(self) -> str:
        return f"{self.engine}:{self.name}" + (f"+{self.variant}" if self.variant else "")
