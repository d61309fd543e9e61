"""espeak-ng (the Debian package) for languages that have no Piper voice here. Optional."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from publish.digest import file_fact
from publish.engines import pace
from publish.engines.base import Clip, Engine
from publish.errors import EngineError


class EspeakEngine(Engine):
    name = "espeak"
    summary = "espeak-ng, robotic but many languages (apt-get install espeak-ng)"
    realtime = 200.0
    default_voices = ("en-us", "en-gb", "en-us+f3")
    sample_rate = 22050
    plus_in_names = True  # `en-us+f3`: espeak-ng's voice variants

    def __init__(self, options, threads: int = 1):
        super().__init__(options, threads)
        self.exe = shutil.which("espeak-ng")
        self.pace = pace.parse_pace(self.option("pace", ""))
        setting = self.option("words_per_minute", "")
        self.words_setting = int(setting) if setting else None

    def words_per_minute(self, voice: str) -> int:
        """espeak-ng's rate (its own words a minute, within sentences) for the lesson's pace:
        `words_per_minute` (at pace 1) if set, else the reference pace of the voice's language."""
        if self.words_setting is not None:
            return round(self.words_setting * self.pace)
        return round(pace.lesson_wpm(voice.split("+")[0], self.pace) * pace.IN_SENTENCES)

    def identity(self, voice: str) -> str:
        return f"espeak-ng {self._version()} voice {voice} wpm {self.words_per_minute(voice)}"

    def _version(self) -> str:
        # Part of every clip's key, so every build (a no-op too) needs it: running the program
        # twice took 20 ms of a 0.3 s no-op.
        exe = self._exe()
        return file_fact(Path(exe), "espeak-ng --version",
                         lambda: subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip())

    def _exe(self) -> str:
        if not self.exe:
            raise EngineError("espeak-ng is not installed — install it with `apt-get install espeak-ng`, "
                              "or use `--engine piper`")
        return self.exe

    def synthesize(self, text: str, voice: str) -> Clip:
        from publish.ffmpeg import decode

        result = subprocess.run([self._exe(), "-v", voice, "-s", str(self.words_per_minute(voice)), "--stdout", text],
                                capture_output=True)
        if result.returncode != 0 or not result.stdout:
            raise EngineError(f"espeak-ng failed for voice `{voice}`: {result.stderr.decode(errors='replace').strip()}")
        return Clip(decode(result.stdout, self.sample_rate), self.sample_rate)
