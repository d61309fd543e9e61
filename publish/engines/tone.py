"""A speechless stand-in engine: one steady tone per sentence, its length set by the text.

For quick previews of timing and for tests: it needs no model and no network, and its output is
fully deterministic. The voice names the pitch (`low`, `mid`, `high`).
"""

from __future__ import annotations


from publish.engines import pace
from publish.engines.base import Clip, Engine

RATE = 22050
PITCH = {"low": 220.0, "mid": 330.0, "high": 440.0}
SECONDS_PER_CHARACTER = 0.06


class ToneEngine(Engine):
    name = "tone"
    summary = "a tone per sentence, no speech: for previews of timing"
    realtime = 10000.0
    default_voices = ("low", "high", "mid")
    sample_rate = RATE

    def __init__(self, options, threads: int = 1):
        super().__init__(options, threads)
        self.pace = pace.parse_pace(self.option("pace", ""))

    def identity(self, voice: str) -> str:
        return f"tone 1 {voice}" + (f" pace {self.pace}" if self.pace != 1.0 else "")

    def synthesize(self, text: str, voice: str) -> Clip:
        import numpy as np

        count = max(int(len(text) * SECONDS_PER_CHARACTER / self.pace * RATE), RATE // 10)
        t = np.arange(count) / RATE
        frequency = PITCH.get(voice, 330.0)
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms ramps, no clicks
        wave = 0.3 * np.sin(2 * np.pi * frequency * t) * envelope
        return Clip((wave * 32767).astype(np.int16), RATE)
