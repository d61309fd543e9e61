"""Engines that misbehave on purpose, for tests only: they fail, hang or stay silent on cue.

Registered from conftest.py. Worker processes import this module by name (the engine class
travels in the EngineSpec), which works because pytest puts tests/ on sys.path.
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np

from publish.engines import register
from publish.engines.base import Clip
from publish.engines.tone import ToneEngine
from publish.errors import EngineError


@register
class FaultyTone(ToneEngine):
    """The tone engine, except on sentences containing the `fail_on`, `hang_on`, `crash_on` or
    `silent_on` text; `slow_s` makes every sentence take that long (a stand-in for a real voice's
    pace); `log_to` names a file that gets a line per sentence spoken."""

    name = "faulty-tone"

    def synthesize(self, text: str, voice: str) -> Clip:
        started = time.time()
        try:
            return self._synthesize(text, voice)
        finally:
            if self.options.get("log_to"):  # who spoke what when: process, thread, start, end
                with open(self.options["log_to"], "a", encoding="utf-8") as log:
                    log.write(f"{os.getpid()} {threading.get_ident()} {started:.6f} {time.time():.6f} {text}\n")

    def _synthesize(self, text: str, voice: str) -> Clip:
        if self._cued("crash_on", text):
            os._exit(3)  # the engine's process dies, as a native crash would end it
        if self._cued("fail_on", text):
            raise EngineError(f"the test engine was told to fail on sentences containing `{self.options['fail_on']}`")
        if self._cued("hang_on", text):
            time.sleep(3600)
        time.sleep(float(self.options.get("slow_s", 0)))
        clip = super().synthesize(text, voice)
        if self._cued("silent_on", text):
            return Clip(np.zeros_like(clip.samples), clip.rate)
        return clip

    def _cued(self, option: str, text: str) -> bool:
        cue = self.options.get(option)
        return bool(cue) and cue in text


@register
class HeavyTone(FaultyTone):
    """FaultyTone whose runs count as heavy, 2 MB a character: two sentences of 100 characters at
    once are past an engine process's memory budget, one with a short one is not."""

    name = "heavy-tone"
    run_memory_mb = 2.0
