"""Each language's published cast, measured on a short lesson: the hosts' median pitch and their
ratio, their loudness difference, how often the recogniser mishears each host, and how fast the
cast speaks (seconds of speech per second of one engine thread).

    python bench/casts.py [--write]      # --write puts the table into docs/voices.md
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LESSONS = {"en": ROOT / "guides" / "wind-turbine-technician.md", "es": ROOT / "tests" / "fixtures" / "es.md",
           "fr": ROOT / "tests" / "fixtures" / "fr.md", "it": ROOT / "bench" / "guides" / "it.md",
           "pt-BR": ROOT / "bench" / "guides" / "pt-br.md"}
MARKERS = ("<!-- languages:start -->", "<!-- languages:end -->")
sys.path.insert(0, str(ROOT / "tests"))


def measure(language: str, guide: Path, folder: Path) -> dict:
    from publish.audio.proof import proof
    from publish.audio.timeline import Timeline
    from publish.ffmpeg import decode, measure_pcm
    from test_audio import host_speech, median_pitch

    (folder / "guides").mkdir(parents=True)
    (folder / "guides" / guide.name).write_text(guide.read_text(encoding="utf-8"), encoding="utf-8")
    trace = folder / "trace.json"
    subprocess.run([sys.executable, "-m", "publish", "build", "-q", "--only", "audio", "--trace", str(trace)],
                   cwd=folder, check=True)
    [timeline_file] = (folder / "output").glob("*/*.timeline.json")
    timeline = Timeline.from_json(timeline_file.read_text(encoding="utf-8"))
    mp3 = timeline_file.with_name(timeline_file.name.replace(".timeline.json", ".mp3"))
    samples = decode(mp3, 44100)
    hosts = list(dict.fromkeys(t.speaker_id for t in timeline.turns))
    pitch = {h: median_pitch(host_speech(samples, timeline, h)) for h in hosts}
    loudness = {h: measure_pcm(host_speech(samples, timeline, h), 44100).integrated_lufs for h in hosts}
    heard = proof(mp3, timeline, language)
    spans = [s for s in json.loads(trace.read_text())["spans"] if s["kind"] == "speech"]
    spoken = sum(timeline.seconds(s.end - s.start) for t in timeline.turns for s in t.sentences)
    busy = sum(s["end"] - s["start"] for s in spans)
    return {"language": language, "voices": [t.voice for t in timeline.turns][:2], "hosts": hosts,
            "pitch": pitch, "ratio": pitch[hosts[0]] / pitch[hosts[1]],
            "lu": abs(loudness[hosts[0]] - loudness[hosts[1]]), "wer": heard.word_error_rate,
            "by_host": heard.by_host(), "speed": spoken / busy if busy else 0.0}


def table(rows: list[dict]) -> str:
    lines = ["| language | host 1 | host 2 | pitch (Hz) | ratio | loudness apart | misheard: lesson (host 1 / host 2) | speed, one thread |",
             "|---|---|---|---|---|---|---|---|"]
    for row in rows:
        first, second = row["hosts"]
        hosts = list(row["by_host"].values())
        lines.append(
            f"| {row['language']} | `{row['voices'][0]}` | `{next(t for t in row['voices'] if t != row['voices'][0])}` | "
            f"{row['pitch'][first]:.0f} / {row['pitch'][second]:.0f} | {row['ratio']:.2f} | {row['lu']:.1f} LU | "
            f"{100 * row['wer']:.1f} % ({100 * hosts[0][1]:.1f} / {100 * hosts[1][1]:.1f} %) | {row['speed']:.1f}× |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="publish-casts-") as scratch:
        for language, guide in LESSONS.items():
            rows.append(measure(language, guide, Path(scratch) / language))
            print(language, {k: v for k, v in rows[-1].items() if k != "by_host"}, file=sys.stderr)
    text = table(rows)
    print(text)
    if args.write:
        from markers import write_between

        write_between(ROOT / "docs" / "voices.md", MARKERS, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
