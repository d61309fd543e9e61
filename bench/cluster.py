"""Measure the build on a local Dask cluster against the local build; print a table and write it into docs/scaling.md.

    .venv/bin/python bench/cluster.py [--guides 10] [--engine piper]

Ten generated guides (the short example guide, each worded differently, so no sentence is shared)
are built cold: by the local build, then with `--scheduler` on a loopback cluster of 1 and of 2
single-thread workers started here. Throughput is seconds of speech per second of wall time.
Every build runs in its own scratch project with an empty clip cache.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import SHORT, build, copies_of, project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DASK = Path(sys.executable).parent / "dask"
BEGIN, END = "<!-- bench/cluster.py: begin -->", "<!-- bench/cluster.py: end -->"


def speech_seconds(folder: Path) -> tuple[float, int]:
    total, sentences = 0.0, 0
    for timeline in (folder / "output").glob("*/*.timeline.json"):
        data = json.loads(timeline.read_text())
        total += data["duration_ms"] / 1000
        sentences += sum(len(turn["sentences"]) for turn in data["turns"])
    return total, sentences


def start_cluster(folder: Path, workers: int) -> tuple[str, list[subprocess.Popen]]:
    scheduler_file = folder / "scheduler.json"
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                   "--scheduler-file", str(scheduler_file)], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, start_new_session=True)]
    while not scheduler_file.is_file():
        time.sleep(0.2)
    address = json.loads(scheduler_file.read_text())["address"]
    for n in range(workers):
        processes.append(subprocess.Popen(
            [str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-nanny",
             "--no-dashboard", "--host", "127.0.0.1", "--name", f"bench-{n}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True))
    from distributed import Client

    with Client(address, timeout=30, set_as_default=False) as client:
        client.wait_for_workers(workers, timeout=120)
    return address, processes


def stop(processes: list[subprocess.Popen]) -> None:
    import signal

    for process in reversed(processes):
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=10, help="how many generated guides (default: 10)")
    parser.add_argument("--engine", default=None, help="one engine for every host (default: the guides' own voices)")
    args = parser.parse_args()
    guides = copies_of(SHORT.read_text(encoding="utf-8"), args.guides)
    rows = []
    with tempfile.TemporaryDirectory(prefix="publish-cluster-bench-") as scratch:
        scratch = Path(scratch)
        local = project(scratch / "local", args.engine, guides)
        run = build(local)
        speech, sentences = speech_seconds(local)
        rows.append(("local build (2 processes)", run.seconds, speech, sentences, run.synthesized))
        for workers in (1, 2):
            folder = scratch / f"cluster{workers}"
            folder.mkdir()
            address, processes = start_cluster(folder, workers)
            try:
                built = project(folder / "project", args.engine, guides)
                run = build(built, "--scheduler", address)
                speech, sentences = speech_seconds(built)
                rows.append((f"Dask, {workers} single-thread worker{'s' if workers > 1 else ''}", run.seconds, speech,
                             sentences, run.synthesized))
            finally:
                stop(processes)
    table = ["| executor | cold build | speech | throughput | sentences synthesized |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {name} | {seconds:.1f} s | {speech / 60:.1f} min | **{speech / seconds:.1f} s of speech/s** | "
              f"{synthesized} |" for name, seconds, speech, _, synthesized in rows]
    voices = f"--engine {args.engine}" if args.engine else "the guides' own voices (hibari heart + Piper joe)"
    text = (f"{BEGIN}\nMeasured by `bench/cluster.py`: {args.guides} generated guides, {voices}, on "
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{time.strftime('%Y-%m-%d')}; scheduler, workers and build on this one machine.\n\n"
            + "\n".join(table) + f"\n{END}")
    print(text)
    doc = ROOT / "docs" / "scaling.md"
    current = doc.read_text(encoding="utf-8") if doc.is_file() else f"{BEGIN}\n{END}\n"
    doc.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: text, current, flags=re.S),
                   encoding="utf-8")


if __name__ == "__main__":
    main()
