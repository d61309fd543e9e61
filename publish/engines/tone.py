"""A speechless stand-in engine: one steady tone per sentence, its length set by the text.

For tests and quick previews of timing: it needs no model and no network, and its output is
fully deterministic. The voice names the pitch (`low`, `mid`, `high`).
"""

from __future__ import annotations

import numpy as np

from publish.engines import Clip, EngineSpec

RATE = 22050
PITCH = {"low": 220.0, "mid": 330.0, "high": 440.0}
SECONDS_PER_CHARACTER = 0.06


class ToneEngine:
    name = "tone"

    def __init__(self, fail_on: str | None, silent_on: str | None, hang_on: str | None):
        self.fail_on = fail_on
        self.hang_on = hang_on  # for tests: an engine that never answers
        self.silent_on = silent_on  # for tests: an engine that "succeeds" with no sound

    def identity(self, voice: str) -> str:
        return f"tone 1 {voice}"

    def synthesize(self, text: str, voice: str) -> Clip:
        if self.fail_on and self.fail_on in text:
            from publish.errors import EngineError

            raise EngineError(f"the tone engine was told to fail on sentences containing `{self.fail_on}`")
        if self.hang_on and self.hang_on in text:
            import time

            time.sleep(3600)
        count = max(int(len(text) * SECONDS_PER_CHARACTER * RATE), RATE // 10)
        if self.silent_on and self.silent_on in text:
            return Clip(np.zeros(count, dtype=np.int16), RATE)
        t = np.arange(count) / RATE
        frequency = PITCH.get(voice.split("+")[0], 330.0)
        envelope = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.01)  # 10 ms ramps, no clicks
        wave = 0.3 * np.sin(2 * np.pi * frequency * t) * envelope
        return Clip((wave * 32767).astype(np.int16), RATE)


def create(spec: EngineSpec) -> ToneEngine:
    return ToneEngine(spec.option("fail_on"), spec.option("silent_on"), spec.option("hang_on"))
