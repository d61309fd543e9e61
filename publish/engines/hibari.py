"""hibari: a tiny offline neural voice (Kokoro-distilled), about 100x real time on one core.

The package ships one voice, `heart` (US female). Its other voices download from the internet on
first use; publish never lets that happen. A guide that names one of them builds only when the
voice file is already on disk (in hibari's cache folder, or `HIBARI_HOME`), and otherwise gets an
error that says where to put the file.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from publish.engines import pace
from publish.engines.base import Clip, Engine
from publish.digest import files_digest
from publish.errors import EngineError
from publish.places import package_folder, package_version
from publish.text.sounds import SOUND

BUNDLED = "heart"
# Fixed, so the same sentence always gives the same clip (hibari adds a little noise to its voicing).
SEED = 20261122
# Words a minute within sentences at each speed: the first host's 236 words in
# guides/machine-learning-engineer.md, each clip from its first to its last sound (a lesson's
# timeline, with the pauses between a long sentence's pieces, gives 1–2 % less). Not proportional:
# the rate jumps between 0.80 and 0.81 and between 1.2 and 1.5. Other voices are not measured.
RATES: dict[str, pace.Curve] = {"heart": (
    (0.5, 108.6), (0.6, 131.8), (0.7, 152.5), (0.739, 156.3), (0.78, 160.2), (0.79, 161.7), (0.8, 175.1),
    (0.81, 193.0), (0.85, 199.0), (0.9, 211.4), (1.0, 219.1), (1.2, 240.7), (1.5, 355.1), (2.0, 401.1))}


@lru_cache(maxsize=1)
def _voices_module():
    """hibari's own voice registry (`hibari/voices.py`), loaded by itself: importing the `hibari`
    package loads its model runtime and NumPy, which a build that only plans does not need."""
    import importlib.util

    folder = package_folder("hibari")
    if folder is None:
        raise EngineError("hibari-tts is not installed — run `make build` (or pip install hibari-tts)")
    registry = importlib.util.spec_from_file_location("publish._hibari_voices", folder / "voices.py")
    module = importlib.util.module_from_spec(registry)
    registry.loader.exec_module(module)
    return module


@lru_cache(maxsize=1)
def _bundled_files() -> dict[str, Path]:
    """The voices inside the package, from the registry's own data file (`assets/voices.json`):
    the registry module imports `urllib.request` for its downloads, 25 ms of every build's start."""
    folder = package_folder("hibari")
    if folder is None:
        return {}
    try:
        entries = json.loads((folder / "assets" / "voices.json").read_text(encoding="utf-8"))
        return {name: folder / "assets" / entry["file"] for name, entry in entries.items() if entry.get("bundled")}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return {}  # a registry laid out otherwise: the module below knows it


def voice_file(voice: str) -> Path:
    """The voice's model file, never downloaded: bundled, or already in hibari's cache."""
    bundled = _bundled_files().get(voice)
    if bundled is not None and bundled.is_file():
        return bundled
    registry = _voices_module()
    VOICES, cache_dir, voice_path = registry.VOICES, registry.cache_dir, registry.voice_path
    if voice not in VOICES:
        raise EngineError(f"hibari has no voice `{voice}` — use one of: {', '.join(VOICES)}")
    try:
        return Path(voice_path(voice, download_missing=False))
    except FileNotFoundError:
        entry = VOICES[voice]
        raise EngineError(
            f"hibari voice `{voice}` is not on this machine: hibari fetches it from the internet on first "
            f"use, which publish never does — copy `{entry['file']}` ({entry['bytes'] / 1e6:.1f} MB, sha256 "
            f"{entry['sha256'][:12]}…) into {cache_dir()} (or the folder HIBARI_HOME names), or use "
            f"`hibari:{BUNDLED}`, the bundled voice") from None


def _file_digest(path: Path) -> str:
    return files_digest(path)[:16]



# IPA → the misaki alphabet hibari's model reads (diphthongs as single letters, no length marks).
MISAKI = (("eɪ", "A"), ("aɪ", "I"), ("aʊ", "W"), ("ɔɪ", "Y"), ("oʊ", "O"), ("dʒ", "ʤ"), ("tʃ", "ʧ"),
          ("ɚ", "əɹ"), ("ɝ", "ɜɹ"), ("ɜː", "ɜɹ"), ("r", "ɹ"), ("g", "ɡ"), ("ː", ""), ("ɐ", "ə"))


def to_misaki(ipa: str) -> str:
    for source, target in MISAKI:
        ipa = ipa.replace(source, target)
    return ipa


def render_sounds(text: str) -> str:
    """Exact sounds as hibari's own markup, `[word](/misaki/)`."""
    return SOUND.sub(lambda m: f"[{m[1].replace('.', '') or 'x'}](/{to_misaki(m[2])}/)", text)

class HibariEngine(Engine):
    name = "hibari"
    summary = "hibari, offline neural voice (bundled: heart, US female)"
    default_voices = (BUNDLED, f"{BUNDLED}+deep")
    sample_rate = 24000
    realtime = 130.0

    def __init__(self, options, threads: int = 1):
        super().__init__(options, threads)
        self.pace = pace.parse_pace(self.option("pace", ""))
        setting = self.option("speed", "")
        self.speed_setting = float(setting) if setting else None
        self._voices: dict[str, object] = {}

    def speed(self, voice: str) -> float:
        """hibari's speed for the lesson's pace: `speed` (at pace 1) if set, else the voice's measured
        rate brought to the reference pace (English: hibari speaks no other language)."""
        if self.speed_setting is not None:
            return self.speed_setting * self.pace
        return pace.speed(RATES.get(voice), "en", self.pace)

    def resolve_voice(self, voice: str, folder: Path, project: Path | None = None) -> str:
        voice_file(voice)
        return voice

    def render(self, spoken: str) -> str:
        return render_sounds(spoken)

    def identity(self, voice: str) -> str:
        return f"hibari-tts {package_version('hibari-tts')} model {_file_digest(voice_file(voice))} speed {self.speed(voice):.4f}"

    def _voice(self, voice: str):
        if voice not in self._voices:
            from hibari import Hibari

            # `model=` hands hibari the file we found, so it never looks for (or fetches) one itself.
            self._voices[voice] = Hibari(voice=voice, model=str(voice_file(voice)), threads=max(1, self.threads))
        return self._voices[voice]

    def prepare(self, voice: str) -> None:
        self._voice(voice)

    def synthesize(self, text: str, voice: str) -> Clip:
        import numpy as np

        samples = self._voice(voice)(text, speed=self.speed(voice), seed=SEED)
        return Clip(np.asarray(samples, dtype=np.float32), self.sample_rate)
