"""Text-to-speech engines, found by name in one registry, and the default cast of voices.

A speaker names its voice with its engine (`hibari:heart`, `piper:joe`, `piper:../voices/x.onnx`,
`gtts:co.uk`); a lesson may mix engines. A build can also make one engine speak for everyone
(`--engine tone`), with each speaker's fallback voice for that engine.

Engines sit below the guide reader, which checks the voices a guide names against them: they may
import the foundation and `publish.text` (the exact-sound markup they render), nothing above.
"""

from __future__ import annotations

from publish.engines.base import Clip, Engine, EngineSpec, VoiceRef
from publish.engines.espeak import EspeakEngine
from publish.engines.gtts import GttsEngine
from publish.engines.hibari import HibariEngine
from publish.engines.kokoro import KokoroEngine
from publish.engines.piper import PiperEngine
from publish.engines.tone import ToneEngine
from publish.errors import EngineError

__all__ = ["Clip", "Engine", "EngineSpec", "VoiceRef", "REGISTRY", "CASTS", "DEFAULT_CAST", "register", "get", "parse_voice"]

REGISTRY: dict[str, type[Engine]] = {}

# The hosts' voices in a guide that names none, by the guide's language and host position: two
# different people (a woman, then a man), offline. A published lesson gets the voices a listener
# hears best (docs/voices.md has the measurements); a draft (`--draft`, the live preview) gets
# fast ones: Piper speaks about ten times faster than Kokoro, less clearly, and espeak-ng (robotic)
# about a hundred times faster.
CASTS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"published": ("hibari:heart", "kokoro:am_puck", "kokoro:am_fenrir"),
           "draft": ("hibari:heart", "piper:joe", "piper:joe+bright")},
    "es": {"published": ("kokoro:ef_dora", "kokoro:em_alex+low", "kokoro:em_santa"),
           "draft": ("espeak:es+f3", "espeak:es", "espeak:es+m3")},
    # Kokoro has one French voice, a woman's; host 2 is her style averaged with an American man's,
    # lowered: French phonemes, a man's pitch (docs/voices.md has the figures).
    "fr": {"published": ("kokoro:ff_siwis", "kokoro:ff_siwis*am_onyx+deep", "kokoro:ff_siwis+bright"),
           "draft": ("espeak:fr+f3", "espeak:fr", "espeak:fr+m3")},
    "it": {"published": ("kokoro:if_sara", "kokoro:im_nicola", "kokoro:im_nicola+bright"),
           "draft": ("espeak:it+f3", "espeak:it", "espeak:it+m3")},
    "pt-br": {"published": ("kokoro:pf_dora", "kokoro:pm_alex+low", "kokoro:pm_santa"),
              "draft": ("espeak:pt-br+f3", "espeak:pt-br", "espeak:pt-br+m3")},
    "en-gb": {"published": ("kokoro:bf_emma", "kokoro:bm_lewis", "kokoro:bm_george+low"),
              "draft": ("espeak:en-gb+f3", "espeak:en-gb", "espeak:en-gb+m3")},
    "zh": {"published": ("kokoro:zf_xiaobei", "kokoro:zm_yunjian", "kokoro:zm_yunxi"),
           "draft": ("espeak:cmn+f3", "espeak:cmn", "espeak:cmn+m3")},
    "ja": {"published": ("kokoro:jf_gongitsune", "kokoro:jm_kumo", "kokoro:jf_alpha"),
           "draft": ("kokoro:jf_gongitsune", "kokoro:jm_kumo", "kokoro:jf_alpha")},
    "hi": {"published": ("kokoro:hf_alpha", "kokoro:hm_omega", "kokoro:hm_psi"),
           "draft": ("espeak:hi+f3", "espeak:hi", "espeak:hi+m3")},
}
DEFAULT_CAST = CASTS["en"]["published"]


def cast_name(draft: bool) -> str:
    return "draft" if draft else "published"


def cast_for(language: str, draft: bool = False) -> tuple[str, ...]:
    """The cast for a guide's language (`es`, `pt-BR`); a language without neural voices here gets
    espeak-ng's (robotic, and the build says so)."""
    tag = language.lower()
    casts = CASTS.get(tag) or CASTS.get(tag.split("-")[0])
    if casts is None:
        espeak = tag if tag in ("pt-br", "en-gb", "en-us") else tag.split("-")[0]
        return (f"espeak:{espeak}+f3", f"espeak:{espeak}", f"espeak:{espeak}+m3")
    return casts[cast_name(draft)]
# Voice variants a voice name may carry after `+`: (pitch and formant factor, speed factor).
# Playing a clip at a higher rate raises pitch and formants together, as a smaller speaker's
# voice does; atempo then restores the speed.
VARIANTS: dict[str, tuple[float, float]] = {
    "": (1.0, 1.0),
    "bright": (1.2, 1.05),  # about three semitones up, a little quicker
    "deep": (0.88, 0.97),
    # Kokoro's Spanish and Portuguese men are only a third lower than its women (132–133 against
    # 175–177 Hz): this sets them clearly apart (ratio 1.6) and stays as clear to the recogniser.
    "low": (0.82, 0.97),
}


def register(engine: type[Engine]) -> type[Engine]:
    """Add an engine class (a plug-in's, or a test's); usable as a decorator."""
    REGISTRY[engine.name] = engine
    return engine


for _engine in (PiperEngine, HibariEngine, KokoroEngine, GttsEngine, EspeakEngine, ToneEngine):
    register(_engine)


def names() -> list[str]:
    return sorted(REGISTRY)


def get(name: str) -> type[Engine]:
    try:
        return REGISTRY[name]
    except KeyError:
        raise EngineError(f"unknown TTS engine `{name}` — use one of: {', '.join(names())}") from None


def parse_voice(text: str) -> VoiceRef:
    """`hibari:heart` → VoiceRef('hibari', 'heart'); `piper:joe+bright` keeps the variant."""
    engine, colon, rest = text.partition(":")
    if not colon or not rest.strip():
        raise EngineError(f"voice `{text}` does not name its engine — write `engine:voice`, "
                          f"e.g. `{DEFAULT_CAST[0]}` (engines: {', '.join(names())})")
    made_by = get(engine.strip())
    name, _, variant = rest.strip().rpartition("+") if "+" in rest else ("", "", rest.strip())
    name, variant = (name, variant) if name else (variant, "")
    if variant not in VARIANTS and made_by.plus_in_names:  # espeak-ng's own `en-us+f3`
        name, variant = rest.strip(), ""
    if variant not in VARIANTS:
        raise EngineError(f"voice variant `+{variant}` is not known — use one of: "
                          f"{', '.join('+' + v for v in VARIANTS if v)}, or none")
    return VoiceRef(engine.strip(), name.strip(), variant)


def default_voice(engine: str, host: int) -> str:
    voices = get(engine).default_voices
    return voices[host % len(voices)]
