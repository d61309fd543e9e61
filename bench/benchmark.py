"""Measure publish's build speed and memory on the reference guides; print a table and write docs/benchmarks.md.

    .venv/bin/python bench/benchmark.py [--engine piper] [--quick]

Every build runs as its own `publish build` process in a scratch project, and its peak memory is
the largest sum of resident memory over the process and all its children (sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "guides"
REFERENCE = GUIDES / "machine-learning-engineer.md"
PUBLISH = [sys.executable, "-m", "publish"]


@dataclass
class Run:
    seconds: float
    peak_mb: float
    synthesized: int


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and all its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, IndexError, ValueError):
            continue
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += rss.get(current, 0)
        stack.extend(children.get(current, []))
    return total


def build(project: Path, *extra: str) -> Run:
    started = time.perf_counter()
    process = subprocess.Popen([*PUBLISH, "build", "-v", *extra], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    output, _ = process.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{output}")
    match = re.search(r"speech: (\d+) sentences synthesized", output)
    return Run(seconds, peak / 1e6, int(match.group(1)) if match else 0)


def project(folder: Path, engine: str, guides: dict[str, str]) -> Path:
    (folder / "guides").mkdir(parents=True)
    for name, text in guides.items():
        (folder / "guides" / name).write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "publish" / "templates", folder / "templates")
    (folder / "publish.toml").write_text(f'[audio]\nengine = "{engine}"\n[site]\nbase_url = "https://example.org/"\n')
    return folder


def raw_serial_synthesis(engine: str) -> tuple[float, float, int]:
    """The floor: the same sentences through the same engine, one after another, nothing else."""
    from publish import engines
    from publish.audio import plan_lesson
    from publish.config import AudioConfig
    from publish.source import load_guide

    seconds, audio, count = 0.0, 0.0, 0
    for path in sorted(GUIDES.glob("*.md")):
        if path.name == "README.md":
            continue
        plan = plan_lesson(load_guide(path), AudioConfig(engine=engine))
        engine_object = engines.create(plan.spec)
        engine_object.synthesize("Warm up.", plan.jobs[0].voice)
        for job in plan.jobs:
            started = time.perf_counter()
            clip = engine_object.synthesize(job.spoken, job.voice)
            seconds += time.perf_counter() - started
            audio += len(clip.samples) / clip.rate
            count += 1
    return seconds, audio, count


def longer(text: str, times: int) -> str:
    """The guide with its dialogue repeated `times` times, each repeat worded a little differently."""
    head, _, lesson = text.partition("# Audio lesson\n")
    copies = [lesson]
    for number in range(2, times + 1):
        copy = re.sub(r"^(## )(.+)$", rf"\g<1>\g<2> (round {number})", lesson, flags=re.M)
        # every sentence changes, so none of them can come from the speech cache
        copy = re.sub(r"([.!?])(\s|$)", rf", round {number}\1\2", copy)
        copies.append(copy)
    return head + "# Audio lesson\n" + "\n".join(copies)


def lesson_minutes(folder: Path, slug: str) -> float:
    import json

    data = json.loads((folder / "output" / slug / f"{slug}.timeline.json").read_text())
    return data["duration_ms"] / 60000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default="piper")
    parser.add_argument("--quick", action="store_true", help="skip the 4x lesson and the 20-guide run")
    args = parser.parse_args()
    rows: list[tuple[str, str, str, str]] = []
    guides = {p.name: p.read_text(encoding="utf-8") for p in sorted(GUIDES.glob("*.md")) if p.name != "README.md"}
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch:
        scratch = Path(scratch)
        floor, audio_seconds, sentences = raw_serial_synthesis(args.engine)
        rows.append(("raw serial synthesis (the floor)", f"{floor:.1f} s",
                     f"{sentences} sentences, {audio_seconds / 60:.1f} min of speech", ""))
        main_project = project(scratch / "main", args.engine, guides)
        cold = build(main_project)
        rows.append(("cold build, all formats, both guides", f"{cold.seconds:.1f} s", f"{cold.seconds / floor:.2f}x floor",
                     f"{cold.peak_mb:.0f} MB"))
        noop = build(main_project)
        rows.append(("no-op rebuild", f"{noop.seconds:.2f} s", f"{noop.synthesized} synthesized", f"{noop.peak_mb:.0f} MB"))
        guide = main_project / "guides" / REFERENCE.name
        guide.write_text(guide.read_text().replace("So the model isn't the finish line.",
                                                   "So the model isn't the finish line at all."))
        edit = build(main_project)
        rows.append(("one-turn edit rebuild", f"{edit.seconds:.1f} s",
                     f"{100 * edit.seconds / cold.seconds:.0f}% of cold, {edit.synthesized} synthesized",
                     f"{edit.peak_mb:.0f} MB"))
        css = main_project / "templates" / "handout.css"
        css.write_text(css.read_text() + "\n/* benchmark edit */\n")
        template = build(main_project)
        rows.append(("one-template edit rebuild", f"{template.seconds:.1f} s",
                     f"{template.synthesized} synthesized", f"{template.peak_mb:.0f} MB"))

        for times in (1, 2) if args.quick else (1, 2, 4):
            text = longer(REFERENCE.read_text(encoding="utf-8"), times)
            folder = project(scratch / f"long{times}", args.engine, {REFERENCE.name: text})
            run = build(folder)
            minutes = lesson_minutes(folder, "machine-learning-engineer")
            rows.append((f"lesson {times}x ({minutes:.1f} min), cold", f"{run.seconds:.1f} s",
                         f"{run.synthesized} synthesized", f"{run.peak_mb:.0f} MB"))

        warm_cache = main_project / ".publish-cache"
        for count in (1, 5) if args.quick else (1, 5, 20):
            copies = {f"guide-{n:02d}.md": REFERENCE.read_text(encoding="utf-8").replace(
                "slug: machine-learning-engineer", f"slug: guide-{n:02d}") for n in range(count)}
            folder = project(scratch / f"count{count}", args.engine, copies)
            shutil.copytree(warm_cache, folder / ".publish-cache")
            run = build(folder)
            rows.append((f"{count} guides, speech cached", f"{run.seconds:.1f} s",
                         f"{run.seconds / count:.1f} s a guide", f"{run.peak_mb:.0f} MB"))

    table = ["| measurement | time | notes | peak memory |", "| --- | --- | --- | --- |"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    header = (f"# Benchmarks\n\nMeasured by `bench/benchmark.py --engine {args.engine}` on "
              f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}.\nPeak memory is the whole process tree's resident memory.\n\n")
    text = header + "\n".join(table) + "\n"
    print(text)
    (ROOT / "docs").mkdir(exist_ok=True)
    (ROOT / "docs" / "benchmarks.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
