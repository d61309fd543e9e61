"""Kokoro-82M: offline neural voices, the published cast's second host (`kokoro:am_puck`).

Clearer than Piper (an offline recogniser mishears it about half as often, acronyms included) and
much slower: about 2.4× real time on one core (1.9× on processors without exact byte products,
kokoro_graph), so a build speaks its sentences on every core and keeps each clip in the cache.
docs/voices.md has the measurements behind the choice of voices.

A voice's first letter says its language (`a` American English, `b` British English, `e` Spanish,
`f` French, …); the text becomes phonemes with that language's converter. English uses hibari's
own converter, whose alphabet and token numbers are exactly Kokoro's. The model's extra output
(frames per phoneme) times every word, as Piper's alignments do.
"""

from __future__ import annotations

import json
import re
import threading
import functools
from functools import lru_cache
from pathlib import Path
from typing import Callable, Sequence

from publish.engines import kokoro_files, kokoro_graph, kokoro_phonemes, pace
from publish.engines.kokoro_phonemes import check_language, language_of, phonemizer
from publish.engines.base import Clip, Engine
from publish.engines.hibari import render_sounds
from publish.errors import EngineError
from publish.places import package_folder

# Output samples per duration frame at 24 kHz (the decoder's hop).
SAMPLES_PER_FRAME = 600
# The model reads at most 510 phonemes at once; hibari's converter splits longer sentences at
# clause punctuation below this.
MAX_PHONEMES = 400
# The decoder stops this many frames after the start of a sentence's last sound (see
# kokoro_graph.stop_decoder_early; the option `last_sound_frames`, "all" to make the whole closing
# pause). That sound ends within 3.3 frames of its start (40 sentences), but the decoder's
# normalisation sees the shorter input: with 12 frames, 3 of 24 sentences ended 60–180 ms sooner.
LAST_SOUND_FRAMES = 12
# Voices (by first letter) whose lessons the recogniser heard as well with the early stop: English
# and Spanish. A French lesson was misheard on 10.6 % of words against 4.8 %; Italian and
# Portuguese are not measured. The others make the whole pause unless the setting says otherwise.
STOPS_EARLY = frozenset("abe")
EVERY_FRAME = 1 << 30
CLAUSE = re.compile(r"(?<=[,;:—])\s+")
# Kokoro's decoder starts quietly: the first sound after the start pad comes out barely voiced
# (the "If" of "If the chatter…" peaked at 0.02 against 0.4 for the words after it) and the
# recogniser missed sentences' first words ("Tower" heard as "our", "Build a" as "will do"). A
# silent "…" before each piece lets the voice start on the first word; the clip's trimming drops
# the silence. In the built lessons of five untuned guides, host 2 was misheard on 3.0 % of
# words without it and 1.3 % with it (docs/voices.md). Only for the voices (by first letter)
# measured with it, English and Spanish: the French test lesson lost words (10.6 % against 4.8 %).
LEAD_IN = ("…", " ")
LEADS_IN = frozenset("abe")
# Voices whose pieces start one frame before their first sound (`without_lead_in`): English. Cut so,
# the Spanish guide lost first words ("A las 9:00" heard "las 9"; 3.9 % of its words misheard
# against 1.6 %), so Spanish keeps what its lead-in makes.
CUTS_LEAD_IN = frozenset("ab")

# Words a minute within sentences at each speed, in built lessons: am_puck in guides/ (1,265 words
# of two lessons), the Spanish pair in guides/cocinero-profesional.md (67 and 187 words), each as
# the cast speaks it (em_alex through +low). Their rates follow about speed^0.65 (the fixed 12-frame
# stop and the pauses between a long sentence's pieces do not scale). am_puck's pieces lost the
# lead-in's sound since it was measured at 0.887–1.0 (182.5 at 0.891 since): its rates are those
# measured, times 182.5 / 177.6 (its rate at 0.891 before).
# French is not slowed: at its reference pace (137 words a minute; ff_siwis at 0.82, the blend at
# 0.77) the French test lesson was misheard on 6.7 % of its words, at 0.9 on 3.8 %, at its own
# speed on 1.9 %; it runs at its voices' own rate (about 150–165 words a minute), times the pace.
RATES: dict[str, pace.Curve] = {
    "am_puck": ((0.887, 181.9), (0.917, 186.5), (1.0, 197.4)),
    "ef_dora": ((0.955, 165.8), (0.962, 167.2), (1.0, 174.6)),
    "em_alex": ((0.914, 165.3), (0.935, 167.3), (1.0, 174.3)),
}


def rates(voice: str) -> pace.Curve | None:
    """The voice's measured rates, else those of the first measured voice of its language (None
    for a language not measured: the model's own rate, times the pace)."""
    return RATES.get(voice) or next((curve for name, curve in RATES.items() if name[:1] == voice[:1]), None)

def blend(voice: str) -> list[str]:
    """`ff_siwis*am_onyx` is the two voices' styles averaged: the first voice's language and
    accent, a pitch between theirs. A single voice is itself."""
    return voice.split("*")


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, int]:
    folder = package_folder("hibari")
    assert folder is not None, "hibari-tts is a dependency"
    return json.loads((folder / "assets" / "vocab.json").read_text(encoding="utf-8"))


def decoder_stop(phonemes: Sequence[str], last: bool, frames: int) -> dict[str, object]:
    """The model's inputs that end its decoder soon after the last sound: the closing pause of a
    sentence is not made (the clip's trimming would drop it), a pause between pieces of a long one is."""
    import numpy as np

    from publish.engines.alignment import NOT_SOUNDS

    sounding = [i for i, p in enumerate(phonemes, start=1) if p not in NOT_SOUNDS]  # 0 is the pad
    stop = last and bool(sounding)
    return {kokoro_graph.LAST_SOUND_INPUT: np.asarray([sounding[-1] if stop else 1], dtype=np.int64),
            kokoro_graph.KEEP_FRAMES_INPUT: np.asarray([frames if stop else EVERY_FRAME], dtype=np.int64)}


def parse_last_sound_frames(setting: str) -> int:
    if setting.strip().lower() == "all":
        return EVERY_FRAME
    if not setting.strip().isdigit() or int(setting) < 4:
        raise EngineError(f"[engines.kokoro] last_sound_frames is {setting!r} — use a number of frames (25 ms "
                          f"each) of at least 4, or \"all\" to make each sentence's closing pause (default: {LAST_SOUND_FRAMES} "
                          "for English and Spanish voices, \"all\" for others)")
    return int(setting)


def made(frames, samples: int) -> list[int]:
    """Each token's samples in the audio the decoder made (those after its stop have none)."""
    import numpy as np

    timed, left = [], samples
    for count in np.asarray(frames).reshape(-1):
        timed.append(min(int(count) * SAMPLES_PER_FRAME, left))
        left -= timed[-1]
    return timed


def without_lead_in(audio, frames: list[int], lead_in: int):
    """The piece from just before its first sound: what the start pad and the lead-in tokens made
    goes, but for one frame. Slowed (speed 0.89) the English lead-in's breath lasted 150 ms at −30 dB,
    loud enough to survive the clip's trimming, and the recogniser heard it as a word ("the", "you",
    "a") before a third of the second host's turns."""
    if not lead_in or len(frames) <= lead_in + 1:
        return audio, frames
    lead = sum(frames[:lead_in + 1])
    cut = max(0, lead - SAMPLES_PER_FRAME)
    return audio[cut:], [lead - cut, *([0] * lead_in), *frames[lead_in + 1:]]


def chunks(phonemes: str) -> list[str]:
    """A sentence's phonemes in pieces the model can read at once, split at clause punctuation."""
    if len(phonemes) <= MAX_PHONEMES:
        return [phonemes] if phonemes.strip() else []
    pieces: list[str] = []
    current = ""
    for part in CLAUSE.split(phonemes):
        if current and len(current) + len(part) + 1 > MAX_PHONEMES:
            pieces.append(current)
            current = part
        else:
            current = f"{current} {part}" if current else part
    return pieces + [current] if current else pieces


@lru_cache(maxsize=1)
def shrinking():
    """Run options that give the memory arena's free regions back after each run. A long sentence's
    activations (about 1.4 MB a character) otherwise stay with the process for the rest of the build,
    and the arena's high-water mark grows with whichever runs happened to overlap: 20 pairs of the
    lessons' longest and shortest sentences on two threads peaked at 523 MB without, 436 MB with
    (the samples are the same: only where memory comes from changes)."""
    import onnxruntime

    options = onnxruntime.RunOptions()
    options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
    return options


class KokoroEngine(Engine):
    name = "kokoro"
    summary = "Kokoro-82M, offline neural voices, clearest and slowest (e.g. am_puck, af_heart)"
    default_voices = ("af_heart", "am_puck", "am_fenrir")
    sample_rate = 24000
    # Seconds of speech a second on one thread (two threads each 2.2–2.6 with products, 1.7 without).
    realtime = 2.4 if kokoro_graph.exact_signed_products() else 1.9
    word_timings = True
    # Measured: a run of 79 characters held 98 MB more, one of 262 characters 365 MB (am_puck).
    run_memory_mb = 1.4

    def __init__(self, options, threads: int = 1):
        super().__init__(options, threads)
        self.pace = pace.parse_pace(self.option("pace", ""))
        speed = self.option("speed", "")
        self.speed_setting = float(speed) if speed else None
        setting = self.option("last_sound_frames", "")
        self.last_sound_setting = parse_last_sound_frames(setting) if setting else None
        self._session = None
        self._styles: dict[str, object] = {}
        self._loading = threading.Lock()
        self._phonemes: dict[tuple[str, str], str] = {}  # (converter, text) → phonemes, looked ahead

    def resolve_voice(self, voice: str, folder: Path, project: Path | None = None) -> str:
        for part in blend(voice):
            kokoro_files.voice_file(part)
        check_language(voice)
        kokoro_files.check_model_installed()
        return voice

    def render(self, spoken: str) -> str:
        return render_sounds(spoken)  # hibari's converter reads exact sounds as `[word](/phonemes/)`

    def identity(self, voice: str) -> str:
        from publish.digest import files_digest

        voices = " ".join(files_digest(kokoro_files.voice_file(part))[:16] for part in blend(voice))
        frames = self.last_sound_frames(voice)
        stop = "all" if frames == EVERY_FRAME else frames
        return (f"kokoro v1.0 int8 {kokoro_files.MODEL_SHA256[:16]} voice {voices} speed {self.speed(voice):.4f} "
                f"last sound {stop} lead-in {''.join(self.lead_in(voice))!r}" + (" cut" if voice[:1] in CUTS_LEAD_IN else ""))

    def speed(self, voice: str) -> float:
        """The model's speed for the lesson's pace: `speed` (at pace 1) if set, else the voice's
        measured rate brought to its language's reference pace."""
        if self.speed_setting is not None:
            return self.speed_setting * self.pace
        return pace.speed(rates(voice), language_of(voice) or "en", self.pace)

    def lead_in(self, voice: str) -> tuple[str, ...]:
        return LEAD_IN if voice[:1] in LEADS_IN else ()

    def last_sound_frames(self, voice: str) -> int:
        if self.last_sound_setting is not None:
            return self.last_sound_setting
        return LAST_SOUND_FRAMES if voice[:1] in STOPS_EARLY else EVERY_FRAME

    def _load(self, voice: str):
        with self._loading:  # several threads share one session; it and each voice load once
            if self._session is None:
                self._session = self._open_session()
            if voice not in self._styles:
                import numpy as np

                parts = [np.fromfile(kokoro_files.voice_file(part), dtype=np.float32) for part in blend(voice)]
                total = parts[0]
                for part in parts[1:]:  # in order, as sum() adds them: a blend's samples stay as they were
                    total = total + part
                self._styles[voice] = (total / len(parts)).reshape(-1, 1, 256)
                phonemizer(voice)
        return self._session, self._styles[voice]

    def phonemes(self, text: str, voice: str) -> str:
        """The text's phonemes: looked ahead, or from the voice's converter (loaded again if let go)."""
        found = self._phonemes.get((voice[:1], text))
        if found is not None:
            return found
        with self._loading:  # a converter loads once, not once per thread
            convert = phonemizer(voice)
        return convert(text)

    def look_ahead(self, text: str, words: Sequence[str], voice: str) -> None:
        for each in (text, *words):
            self._phonemes[(voice[:1], each)] = self.phonemes(each, voice)

    def let_go(self) -> None:
        """hibari's English converter holds about 100 MB (its lexicons and tagger) that the model's
        runs need more: gone once every sentence's phonemes are known; glibc gives most of it back."""
        import gc

        from publish.memory import give_back_freed

        kokoro_phonemes.let_go()
        gc.collect()
        give_back_freed()

    def _open_session(self):
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = self.threads  # 0: onnxruntime's choice, all cores
        options.inter_op_num_threads = 1
        options.log_severity_level = 3
        # Every sentence has its own length: per-shape memory plans only pile up (as for Piper).
        options.enable_mem_pattern = False
        optimized = kokoro_files.optimized_model_file()
        if optimized.is_file():
            options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_DISABLE_ALL
            try:
                return onnxruntime.InferenceSession(str(optimized), sess_options=options,
                                                    providers=["CPUExecutionProvider"])
            except Exception:  # damaged: optimized again below
                optimized.unlink(missing_ok=True)
                options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        return self._optimizing(options, optimized)

    @staticmethod
    def _optimizing(options, optimized: Path):
        """A session of the kept copy, whose optimized graph ONNX Runtime keeps for the next ones."""
        import os
        import onnxruntime

        path = kokoro_files.timed_model_file()
        keeping = optimized.with_name(f".{optimized.name}.{os.getpid()}.part")
        options.optimized_model_filepath = str(keeping)
        try:
            session = onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        except Exception:  # a damaged copy in the cache: make it again from the parts
            path.unlink(missing_ok=True)
            path = kokoro_files.timed_model_file()
            session = onnxruntime.InferenceSession(str(path), sess_options=options, providers=["CPUExecutionProvider"])
        try:
            os.replace(keeping, optimized)
        except OSError:  # not kept (a read-only cache): the next session optimizes again
            keeping.unlink(missing_ok=True)
        return session

    def prepare(self, voice: str) -> None:
        self._load(voice)

    def synthesize(self, text: str, voice: str) -> Clip:
        return self.synthesize_timed(text, (), voice)

    def synthesize_timed(self, text: str, words: Sequence[str], voice: str) -> Clip:
        import numpy as np

        from publish.engines.alignment import TimedPhoneme, end_at_sound, word_spans

        session, styles = self._load(voice)
        vocabulary_ids = vocabulary()
        pieces: list[np.ndarray] = []
        timed: list[TimedPhoneme] = []
        exact = True
        pieces_of_text = chunks(self.phonemes(text, voice))
        for number, piece in enumerate(pieces_of_text, start=1):
            kept = [p for p in piece if p in vocabulary_ids]
            if not kept:
                continue
            kept = [*self.lead_in(voice), *kept]
            ids = [0, *(vocabulary_ids[p] for p in kept), 0]
            audio, frames = session.run(None, {
                "tokens": np.asarray([ids], dtype=np.int64),
                "style": styles[min(len(kept), len(styles) - 1)],
                "speed": np.asarray([self.speed(voice)], dtype=np.float32),
                **decoder_stop(kept, number == len(pieces_of_text), self.last_sound_frames(voice))}, shrinking())
            frames = made(frames, len(audio))
            exact = exact and len(frames) == len(ids) and sum(frames) == len(audio)
            if voice[:1] in CUTS_LEAD_IN:
                audio, frames = without_lead_in(np.asarray(audio, dtype=np.float32), frames, len(self.lead_in(voice)))
            timed += [TimedPhoneme(p, n) for p, n in zip(["^", *kept, "$"], frames)]
            pieces.append(audio)
        samples = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)
        if not words or not exact or not timed:
            return Clip(samples, self.sample_rate)
        spans = word_spans(timed, [self.phonemes(word, voice) for word in words])
        if not spans:
            return Clip(samples, self.sample_rate)
        spans = end_at_sound(samples, spans, self.sample_rate)
        return Clip(samples, self.sample_rate, tuple((int(a), int(b)) for a, b in spans))
