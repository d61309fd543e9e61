"""Text-to-speech engines behind one small interface, found by name in a registry.

An engine turns one sentence of spoken text into mono 16-bit samples. Everything after that
(pitch variants, resampling, trimming, caching, assembly) is engine-independent.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Protocol

import numpy as np

from publish.errors import EngineError


@dataclass(frozen=True)
class Clip:
    samples: np.ndarray  # int16, mono
    rate: int


class Engine(Protocol):
    name: str

    def identity(self, voice: str) -> str:
        """Everything about this engine and voice that changes the audio (version, model hash)."""

    def synthesize(self, text: str, voice: str) -> Clip:
        """Speak one sentence."""


@dataclass(frozen=True)
class EngineSpec:
    """What a worker process needs to build the same engine: picklable, hashable."""

    name: str
    options: tuple[tuple[str, str], ...] = ()

    def option(self, key: str, default: str | None = None) -> str | None:
        return dict(self.options).get(key, default)


# name → (module, default voices in speaker order, cores one engine process keeps busy)
REGISTRY: dict[str, tuple[str, tuple[str, ...], int]] = {
    # Piper keeps two cores busy on its own; one process with two threads is as fast as two
    # processes with one, at half the memory (each process holds the model and its buffers).
    "piper": ("publish.engines.piper", ("joe", "joe+bright", "joe+deep"), 2),
    "gtts": ("publish.engines.gtts", ("com", "co.uk", "com.au"), 1),
    "espeak": ("publish.engines.espeak", ("en-us", "en-gb", "en-us+f3"), 1),
    "tone": ("publish.engines.tone", ("low", "high", "mid"), 1),
}


def check_name(name: str) -> None:
    if name not in REGISTRY:
        raise EngineError(f"unknown TTS engine `{name}` — use one of: {', '.join(sorted(REGISTRY))}")


def create(spec: EngineSpec) -> Engine:
    check_name(spec.name)
    module = import_module(REGISTRY[spec.name][0])
    return module.create(spec)


def cores_per_process(engine: str) -> int:
    return REGISTRY[engine][2]


def default_voice(engine: str, speaker_index: int) -> str:
    voices = REGISTRY[engine][1]
    return voices[speaker_index % len(voices)]
