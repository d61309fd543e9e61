"""Which voice should the second host have? Speak the second host's sentences of our guides with
each candidate voice, and measure what a listener gets: how often an offline recogniser (Whisper
tiny.en, the one `publish proof` uses) mishears a word, the voice's median pitch beside host 1's,
how fast one thread speaks it, and the engine process's peak memory.

    python bench/voices.py [--every N] [VOICE ...]     # e.g. kokoro:am_michael piper:joe

Each voice runs in a process of its own (for a clean peak memory); the table goes to stdout and,
with --write, to docs/voices.md between its markers.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = [ROOT / "guides" / "wind-turbine-technician.md", ROOT / "guides" / "machine-learning-engineer.md",
          ROOT / "bench" / "guides" / "electrician.md"]
CANDIDATES = ["kokoro:am_michael", "kokoro:am_puck", "kokoro:am_onyx", "kokoro:am_fenrir", "kokoro:am_liam",
              "kokoro:am_eric", "kokoro:am_echo", "kokoro:am_adam", "piper:joe", "hibari:heart"]
MARKERS = ("<!-- survey:start -->", "<!-- survey:end -->")
sys.path.insert(0, str(ROOT / "tests"))  # the hosts' pitch as the tests measure it


def host_sentences(guide: Path, host: int, every: int) -> list[tuple[str, str]]:
    """One host's sentences, every Nth: (as written, as the build speaks them)."""
    from publish.config import AudioConfig
    from publish.guide.source import load_guide
    from publish.speech.plan import plan_lesson

    plan = plan_lesson(load_guide(guide), AudioConfig(engine="tone"), ROOT)
    speaker = plan.guide.lesson.speakers[host].id
    spoken = [s for t in plan.turns if t.turn.speaker.id == speaker for s in t.sentences]
    return [(s.text, s.spoken) for s in spoken][::every]


def measure(voice: str, sentences: list[tuple[str, str]]) -> dict:
    """In this process: speak every sentence, time it, hear it back."""
    import resource
    import time

    import numpy as np

    from publish import engines
    from publish.audio.proof import align, normalise
    from publish.speech.clips import to_int16
    from test_audio import median_pitch

    ref = engines.parse_voice(voice)
    engine = engines.get(ref.engine)({}, 1)
    name = engine.resolve_voice(ref.name, ROOT, ROOT)
    engine.prepare(name)
    pieces, seconds_speaking = [], 0.0
    for _, text in sentences:
        started = time.perf_counter()
        clip = engine.synthesize(engine.render(text), name)
        seconds_speaking += time.perf_counter() - started
        samples = np.asarray(clip.samples, dtype=np.float32)
        if clip.samples.dtype == np.int16:
            samples = samples / 32768.0
        pieces.append((samples, clip.rate))
    rate = pieces[0][1]
    joined = np.concatenate([np.concatenate([p, np.zeros(rate // 3, np.float32)]) for p, _ in pieces])
    audio_seconds = len(joined) / rate
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    heard = hear(joined, rate)
    expected = [w for written, _ in sentences for w in normalise(written)]
    errors = align([expected], normalise(heard))[0][0]
    return {"voice": voice, "words": len(expected), "errors": errors, "wer": 100 * errors / len(expected),
            "pitch": median_pitch(to_int16(joined), rate), "realtime": audio_seconds / seconds_speaking,
            "audio_seconds": audio_seconds, "peak_mb": peak_mb, "heard": heard}


def hear(samples, rate: int) -> str:
    import numpy as np
    from faster_whisper import WhisperModel

    from publish.audio.proof import model_folder

    if rate != 16000:
        import soxr

        samples = soxr.resample(samples, rate, 16000)
    model = WhisperModel(str(model_folder()), device="cpu", compute_type="int8", cpu_threads=1)
    segments, _ = model.transcribe(np.asarray(samples, dtype=np.float32), language="en", beam_size=5,
                                   condition_on_previous_text=False)
    return " ".join(segment.text.strip() for segment in segments)


def table(rows: list[dict], host_one_pitch: float) -> str:
    lines = ["| voice | words misheard | median pitch | host 1 ÷ this | speed, one thread | peak memory |",
             "|---|---|---|---|---|---|"]
    for row in rows:
        ratio = host_one_pitch / row["pitch"] if row["pitch"] else 0
        lines.append(f"| `{row['voice']}` | {row['wer']:.1f} % ({row['errors']}/{row['words']}) | {row['pitch']:.0f} Hz | "
                     f"{ratio:.2f} | {row['realtime']:.1f}× real time | {row['peak_mb']:.0f} MB |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("voices", nargs="*", default=CANDIDATES)
    parser.add_argument("--every", type=int, default=2, help="take every Nth sentence (default: 2)")
    parser.add_argument("--host", type=int, default=1, help="whose sentences: 0 host 1, 1 host 2 (default)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--write", action="store_true", help="put the table into docs/voices.md")
    args = parser.parse_args()
    sentences = [s for guide in GUIDES if guide.is_file() for s in host_sentences(guide, args.host, args.every)]
    if args.one:
        print(json.dumps(measure(args.one, sentences)))
        return 0
    rows = []
    for voice in args.voices:
        result = subprocess.run([sys.executable, __file__, "--one", voice, "--every", str(args.every),
                                 "--host", str(args.host)], capture_output=True, text=True, check=True)
        rows.append(json.loads(result.stdout.strip().splitlines()[-1]))
        print(json.dumps({k: v for k, v in rows[-1].items() if k != "heard"}), file=sys.stderr)
    host_one = next((r["pitch"] for r in rows if r["voice"] == "hibari:heart"), 196.0)
    text = table(rows, host_one)
    print(f"{len(sentences)} sentences\n{text}")
    if args.write:
        from markers import write_between

        write_between(ROOT / "docs" / "voices.md", MARKERS, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
