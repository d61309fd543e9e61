"""Measure publish's build speed and memory on the reference guides; print a table and write docs/benchmarks.md.

    .venv/bin/python bench/benchmark.py [--engine piper] [--quick]

Ratios are the contract (docs/performance.md): cold build against the floor (serial synthesis of
the same sentences with the same voices), edits against the cold build.

Every build runs as its own `publish build` process in a scratch project, and its peak memory is
the largest sum of resident memory over the process and all its children (sampled every 20 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ROOT / "guides"
REFERENCE = GUIDES / "machine-learning-engineer.md"
SHORT = GUIDES / "wind-turbine-technician.md"
PUBLISH = [sys.executable, "-m", "publish"]


@dataclass
class Run:
    seconds: float
    peak_mb: float  # resident memory, summed over the processes
    synthesized: int
    # Proportional set size, summed: a page shared by n processes counts 1/n in each. The resident sum
    # counts the libraries every process maps once per process, and the short-lived helpers a
    # process forks (WeasyPrint's library lookup runs `gcc`) at their full size.
    peak_pss_mb: float = 0.0


def tree(pid: int) -> list[int]:
    """A process and all its descendants, from each process's parent in /proc/*/stat (a thread's
    children too: /proc/PID/task/PID/children lists only the main thread's, and a process pool
    starts its processes from a thread of its own)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                parent = int(handle.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(children.get(current, []))
    return found


def memory(pid: int) -> tuple[int, int]:
    """Resident bytes and proportional set size of one process, from /proc/PID/smaps_rollup; 0 for a
    process that is gone."""
    rss = pss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
                elif line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return rss, pss


def tree_memory(pid: int) -> tuple[int, int]:
    """Resident bytes and proportional set size, each summed over a process and its descendants."""
    sizes = [memory(each) for each in tree(pid)]
    return sum(rss for rss, _ in sizes), sum(pss for _, pss in sizes)


def build(project: Path, *extra: str) -> Run:
    started = time.perf_counter()
    # Python as installed keeps compiled modules (.pyc); a sandbox that turns that off would have
    # every build compile publish again, 60 ms that no user's no-op pays.
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    process = subprocess.Popen([*PUBLISH, "build", "-v", *extra], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, env=environment)
    peak = peak_pss = 0
    done = threading.Event()

    def sample():
        nonlocal peak, peak_pss
        while not done.is_set():
            rss, pss = tree_memory(process.pid)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
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
    return Run(seconds, peak / 1e6, int(match.group(1)) if match else 0, peak_pss / 1e6)


def no_op(project: Path, runs: int = 5) -> tuple[Run, str]:
    """A build with nothing to do, `runs` times: the median run, and the range. One run of a
    0.3 s process moves by a tenth of a second with whatever else the machine does."""
    times = sorted((build(project) for _ in range(runs)), key=lambda run: run.seconds)
    return times[runs // 2], f"median of {runs}, {times[0].seconds:.2f}–{times[-1].seconds:.2f} s"


@contextmanager
def loopback_cluster(folder: Path, workers: int = 2, nanny: bool = False):
    """A Dask scheduler and `workers` single-thread workers on 127.0.0.1 (each under a nanny that
    restarts it when it dies, with `nanny`); their address."""
    dask = Path(sys.executable).with_name("dask")
    scheduler_file = folder / "scheduler.json"
    folder.mkdir(parents=True, exist_ok=True)

    def start(*args: str) -> subprocess.Popen:
        return subprocess.Popen([str(dask), *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)

    processes = [start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file))]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        processes += [start("worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                            "--nanny" if nanny else "--no-nanny", "--no-dashboard", "--host", "127.0.0.1")
                      for _ in range(workers)]
        from distributed import Client

        with Client(address, timeout=30, set_as_default=False) as client:
            client.wait_for_workers(workers, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)


def project(folder: Path, engine: str | None, guides: dict[str, str], draft: bool = True) -> Path:
    (folder / "guides").mkdir(parents=True)
    for name, text in guides.items():
        (folder / "guides" / name).write_text(text, encoding="utf-8")
    shutil.copytree(ROOT / "publish" / "outputs" / "templates", folder / "templates")
    engine_line = (f'engine = "{engine}"' if engine else "") + ("\ndraft = true" if draft else "")
    (folder / "publish.toml").write_text(f'[audio]\n{engine_line}\n[site]\nbase_url = "https://example.org/"\n')
    return folder


def raw_serial_synthesis(engine: str | None, texts: list[str], draft: bool = True, threads: int = 0,
                         only: str | None = None) -> tuple[float, float, int]:
    """The floor: exactly the build's sentences, each with its speaker's voice, one after another in
    one process, each engine with its own default threading (`threads` 0), nothing else: seconds,
    seconds of speech, sentences. `only` keeps one engine's sentences (by its name)."""
    from publish.speech.plan import plan_lesson
    from publish.config import AudioConfig
    from publish.guide.source import parse_guide

    seconds, audio, count = 0.0, 0.0, 0
    made: dict = {}
    seen: set[str] = set()
    for text in texts:
        plan = plan_lesson(parse_guide(text, "bench.md", folder=GUIDES), AudioConfig(engine=engine, draft=draft))
        for spec, jobs in plan.jobs_by_spec().items():
            if only is not None and spec.engine.name != only:
                continue
            if spec not in made:
                made[spec] = spec.create(threads=threads)  # 0: the engine's own default
                made[spec].synthesize(made[spec].render("Warm up."), jobs[0].voice)
            for job in jobs:
                if job.key in seen:
                    continue  # the build speaks a repeated sentence once
                seen.add(job.key)
                started = time.perf_counter()
                clip = made[spec].synthesize(made[spec].render(job.spoken), job.voice)
                seconds += time.perf_counter() - started
                audio += len(clip.samples) / clip.rate
                count += 1
    return seconds, audio, count


def varied(text: str, number: int) -> str:
    """The guide with every lesson sentence worded a little differently, so no clip can be shared."""
    head, _, lesson = text.partition("# Audio lesson\n")
    if number:
        lesson = re.sub(r"^(## )(.+)$", rf"\g<1>\g<2> (round {number})", lesson, flags=re.M)
        lesson = re.sub(r"([.!?])(\s|$)", rf", round {number}\1\2", lesson)
    return head + "# Audio lesson\n" + lesson


def longer(text: str, times: int) -> str:
    """The guide with its dialogue repeated `times` times, each repeat worded a little differently."""
    head, _, lesson = text.partition("# Audio lesson\n")
    copies = [lesson] + [varied(text, n).partition("# Audio lesson\n")[2] for n in range(2, times + 1)]
    return head + "# Audio lesson\n" + "\n".join(copies)


def copies_of(text: str, count: int) -> dict[str, str]:
    slug = re.search(r"^slug: *(\S+)", text, re.M)
    return {f"guide-{n:02d}.md": (varied(text, n).replace(f"slug: {slug.group(1)}", f"slug: guide-{n:02d}")
                                  if slug else varied(text, n)) for n in range(count)}


def lesson_minutes(folder: Path, slug: str) -> float:
    import json

    data = json.loads((folder / "output" / slug / f"{slug}.timeline.json").read_text())
    return data["duration_ms"] / 60000


def pace_rows(folder: Path, cast: str) -> list[tuple[str, str, str, str]]:
    """Each built lesson's pace (words a minute overall) and each host's within sentences."""
    from publish.audio.timeline import read_timeline
    from publish.engines.pace import band
    from publish.guide.project import find_guides
    from publish.guide.source import load_guide

    languages = {guide.slug: guide.language for guide in map(load_guide, find_guides(folder / "guides"))}
    rows = []
    for path in sorted((folder / "output").glob("*/*.timeline.json")):
        timeline = read_timeline(path)
        if timeline is None or not timeline.turns:
            continue
        hosts = ", ".join(f"{speaker} {wpm:.0f}" for speaker, wpm in timeline.hosts_per_minute().items())
        low, high = band(languages.get(timeline.slug, "en"))
        rows.append((f"{cast}: pace of {timeline.slug}", f"{timeline.per_minute:.0f} {timeline.pace_unit}/min",
                     f"within sentences: {hosts} (goal: {low:.0f}–{high:.0f} in its language)", ""))
    return rows


# The edits both casts are timed on: a sentence of host 2 (whom Kokoro speaks in the published cast),
# a turn's sentence, and the handouts' stylesheet.
SENTENCE_EDIT = ("It's closer to the starting line.", "It's much closer to the starting line.")
TURN_EDIT = ("So the model isn't the finish line.", "So the model isn't the finish line at all.")


def edit_rows(folder: Path, cold: Run, cast: str, goals: dict[str, str]) -> list[tuple[str, str, str, str]]:
    """A one-sentence edit, a one-turn edit and a template edit of `folder`'s reference guide, each
    built and timed against the cold build; then the no-op."""
    rows = []
    guide = folder / "guides" / REFERENCE.name
    for label, (before, after) in (("one-sentence edit (host 2)", SENTENCE_EDIT), ("one-turn edit", TURN_EDIT)):
        guide.write_text(guide.read_text().replace(before, after))
        edit = build(folder)
        rows.append((f"{cast}: {label} rebuild", f"{edit.seconds:.1f} s",
                     f"{100 * edit.seconds / cold.seconds:.0f}% of cold{goals.get(label, '')}, "
                     f"{edit.synthesized} synthesized", f"{edit.peak_mb:.0f} MB"))
    css = folder / "templates" / "handout.css"
    css.write_text(css.read_text() + "\n/* benchmark edit */\n")
    template = build(folder)
    rows.append((f"{cast}: one-template edit rebuild", f"{template.seconds:.1f} s",
                 f"{100 * template.seconds / cold.seconds:.0f}% of cold{goals.get('template', '')}, "
                 f"{template.synthesized} synthesized", f"{template.peak_mb:.0f} MB"))
    noop, spread = no_op(folder)
    rows.append((f"{cast}: no-op rebuild", f"{noop.seconds:.2f} s",
                 f"{spread}, {noop.synthesized} synthesized (goal ≤ 0.3 s)", f"{noop.peak_mb:.0f} MB"))
    return rows


def length_rows(scratch: Path, engine: str | None, cast: str, draft: bool, times: tuple[int, ...]) -> list[tuple[str, str, str, str]]:
    """The reference lesson 1x, 2x and 4x as long, each built cold: its peak against 1x's (goal: at 4x
    ≤ 1.2x the peak at 1x)."""
    rows, first = [], None
    for each in times:
        text = longer(REFERENCE.read_text(encoding="utf-8"), each)
        folder = project(scratch / f"{cast.split()[0]}-long{each}", engine, {REFERENCE.name: text}, draft=draft)
        run = build(folder)
        first = first or run
        minutes = lesson_minutes(folder, "machine-learning-engineer")
        rows.append((f"{cast}: lesson {each}x ({minutes:.1f} min), cold", f"{run.seconds:.1f} s",
                     f"{run.synthesized} synthesized; peak **{run.peak_mb / first.peak_mb:.2f}x** 1x's (goal at 4x ≤ 1.2x)",
                     f"{run.peak_mb:.0f} MB"))
    return rows


def published_rows(guides: dict[str, str], engine: str | None, quick: bool) -> list[tuple[str, str, str, str]]:
    """The published cast (Kokoro for host 2): the floor, the cold build, the edits, the no-op, the
    lesson at three lengths, and Kokoro's speech per second on one thread."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="publish-bench-published-") as scratch:
        floor, audio_seconds, sentences = raw_serial_synthesis(engine, list(guides.values()), draft=False)
        rows.append(("**published cast** floor: raw serial synthesis", f"{floor:.1f} s",
                     f"{sentences} pieces, {audio_seconds / 60:.1f} min of speech", ""))
        folder = project(Path(scratch) / "published", engine, guides, draft=False)
        cold = build(folder)
        rows.append(("published cast: cold build, all formats, every guide", f"{cold.seconds:.1f} s",
                     f"**{cold.seconds / floor:.2f}x** floor (goal ≤ 0.75x)",
                     f"{cold.peak_mb:.0f} MB (goal ≤ 600 MB)"))
        rows += pace_rows(folder, "published cast")
        rows += edit_rows(folder, cold, "published cast", {"one-sentence edit (host 2)": " (goal ≤ 3.5 s)"})
        rows += length_rows(Path(scratch), engine, "published cast", False, (1, 2) if quick else (1, 2, 4))
        if engine is None:
            seconds, speech, count = raw_serial_synthesis(None, [REFERENCE.read_text(encoding="utf-8")], draft=False,
                                                          threads=1, only="kokoro")
            rows.append(("published cast: Kokoro on one thread", f"{speech / seconds:.2f}x real time",
                         f"{count} sentences, {speech / 60:.1f} min of speech in {seconds:.1f} s (goal ≥ 3.5x)", ""))
    return rows


def draft_rows(guides: dict[str, str], engine: str | None, quick: bool) -> list[tuple[str, str, str, str]]:
    """The draft cast (Piper for host 2): kept as checks against regressions."""
    rows: list[tuple[str, str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as scratch_name:
        scratch = Path(scratch_name)
        floor, audio_seconds, sentences = raw_serial_synthesis(engine, list(guides.values()))
        rows.append(("**draft cast** (checks against regressions) floor: raw serial synthesis", f"{floor:.1f} s",
                     f"{sentences} pieces, {audio_seconds / 60:.1f} min of speech", ""))
        main_project = project(scratch / "main", engine, guides)
        trace = scratch / "trace.json"
        cold = build(main_project, "--trace", str(trace))
        rows.append(("draft cast: cold build, all formats, every guide", f"{cold.seconds:.1f} s",
                     f"**{cold.seconds / floor:.2f}x** floor (goal ≤ 1.1x)", f"{cold.peak_mb:.0f} MB (goal ≤ 500 MB)"))
        rows += pace_rows(main_project, "draft cast")
        subprocess.run([sys.executable, str(ROOT / "bench" / "timeline.py"), str(trace),
                        str(ROOT / "docs" / "build-timeline.png")], check=False)
        with loopback_cluster(scratch / "dask") as address:
            on_cluster = build(project(scratch / "cluster", engine, guides), "--scheduler", address)
        rows.append(("draft cast: the same cold build on a loopback Dask cluster (2 single-thread workers)",
                     f"{on_cluster.seconds:.1f} s", f"**{on_cluster.seconds / cold.seconds:.2f}x** the local "
                     "cold build (goal ≤ 1.2x)", "(the workers are not in the tree)"))
        rows += edit_rows(main_project, cold, "draft cast", {"one-turn edit": " (goal ≤ 10%)",
                                                             "one-sentence edit (host 2)": " (goal ≤ 10%)",
                                                             "template": " (goal ≤ 15%)"})
        rows += length_rows(scratch, engine, "draft cast", True, (1, 2) if quick else (1, 2, 4))
        short = SHORT.read_text(encoding="utf-8")
        one = None
        for count in (1, 5) if quick else (1, 5, 20):
            folder = project(scratch / f"count{count}", engine, copies_of(short, count))
            run = build(folder)
            one = one or run.seconds
            again = build(folder)
            rows.append((f"draft cast: {count} guides, cold (every sentence different)", f"{run.seconds:.1f} s",
                         f"{run.seconds / one:.1f}x one guide; no-op {again.seconds:.2f} s", f"{run.peak_mb:.0f} MB"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", default=None, help="one engine for every host (default: the guides' own voices)")
    parser.add_argument("--quick", action="store_true", help="skip the 4x lessons and the 20-guide run")
    parser.add_argument("--published-only", action="store_true", help="skip the draft cast's rows")
    args = parser.parse_args()
    guides = {p.name: p.read_text(encoding="utf-8") for p in sorted(GUIDES.glob("*.md")) if p.name != "README.md"}
    rows = published_rows(guides, args.engine, args.quick)
    if not args.published_only:
        rows += draft_rows(guides, args.engine, args.quick)

    table = ["| measurement | time | ratio / notes | peak memory (process tree) |", "| --- | --- | --- | --- |"]
    table += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows]
    voices = (f"--engine {args.engine}" if args.engine else
              "the published cast (hibari heart + Kokoro am_puck), then the draft cast (hibari heart + Piper joe)")
    header = (f"# Benchmarks\n\nMeasured by `bench/benchmark.py` with {voices} on "
              f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
              f"{time.strftime('%Y-%m-%d')}.\nPeak memory is the whole process tree's resident memory, "
              "all processes summed at the same instant.\n\n")
    if args.quick:
        header += "`--quick`: without the 4x lessons and the 20-guide run.\n\n"
    text = header + "\n".join(table) + "\n"
    print(text)
    docs = ROOT / "docs" / "benchmarks.md"
    docs.parent.mkdir(exist_ok=True)
    # The sections after this table are other benchmarks' (bench/library.py, bench/killed.py): kept.
    before = docs.read_text(encoding="utf-8") if docs.is_file() else ""
    later = before[before.index("\n## ") + 1:] if "\n## " in before else ""
    docs.write_text(text + ("\n" + later if later else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
