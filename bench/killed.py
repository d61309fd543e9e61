"""A library built with the published cast on a loopback Dask cluster whose workers are killed: one
while it speaks, another while it finishes a guide (each restarted by its nanny, as a cluster's
supervisor would). The outputs must be what a build on this machine makes: byte for byte for the
formats that are deterministic, and sample for sample for the lesson's audio.

    .venv/bin/python bench/killed.py [--guides 20]

Prints what it found and writes it into docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import loopback_cluster  # noqa: E402
from library import project_of  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench/killed.py: begin -->", "<!-- bench/killed.py: end -->"
# Formats whose bytes are the same wherever they are made (a PDF carries the time it was made).
SAME_BYTES = (".txt", ".md", ".vtt", ".srt", ".transcript.json", ".chapters.json", ".timeline.json", ".brf", ".pef",
              ".epub")


def short_library(folder: Path, count: int) -> Path:
    """`count` of the library benchmark's guides, each of its shortest length, with the published cast."""
    # Every fifteenth: English, and of the shortest length.
    return project_of(folder, range(0, 15 * count, 15), 'jobs = 2\n[site]\nbase_url = "https://example.org/"\n')


class KillWorkers:
    """Kills one worker once a third of the speech is done, and another as it finishes a guide."""

    def __init__(self, address: str):
        self.address = address
        self.killed: list[str] = []

    def on(self, event) -> None:
        from publish.builder.observer import Advanced, Writing

        if isinstance(event, Advanced) and not self.killed and event.done > event.total // 3:
            self._kill(lambda client, workers: next(iter(workers)), "while speaking")
        elif isinstance(event, Writing):
            threading.Thread(target=self._kill_finishing, daemon=True).start()

    def _kill_finishing(self) -> None:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and len(self.killed) < 2:
            self._kill(lambda client, workers: next((address for address, keys in client.processing().items()
                                                     if any(str(k).startswith("finish_on_worker") for k in keys)), None),
                       "while finishing")
            time.sleep(0.05)

    def _kill(self, choose, when: str) -> None:
        from distributed import Client

        with Client(self.address, timeout=10, set_as_default=False) as client:
            pids = client.run(os.getpid)
            chosen = choose(client, pids)
            if chosen in pids:
                os.kill(pids[chosen], signal.SIGKILL)
                self.killed.append(f"{chosen} {when}")


def build(project: Path, scheduler: str | None = None, observer=None):
    from publish.builder.pipeline import BuildOptions, build
    from publish.config import load_config
    from publish.guide.project import find_guides

    config = load_config(project)
    config = config.with_overrides(scheduler=scheduler) if scheduler else config
    started = time.perf_counter()
    report = build(config, find_guides(project / "guides"), BuildOptions(), observer)
    assert report.ok, [r.problems for r in report.results if r.problems] or report.problems
    return time.perf_counter() - started


def compare(ours: Path, theirs: Path) -> tuple[int, int]:
    """Files with the same bytes, and lessons with the same samples, in the two outputs."""
    from publish.ffmpeg import decode

    same = lessons = 0
    for folder in sorted(p for p in (ours / "output").iterdir() if (p / "index.html").is_file() and p.name.startswith("guide-")):
        other = theirs / "output" / folder.name
        for suffix in SAME_BYTES:
            name = f"{folder.name}{suffix}"
            assert (folder / name).read_bytes() == (other / name).read_bytes(), name
            same += 1
        mp3 = f"{folder.name}.mp3"
        assert (decode(folder / mp3, 44100) == decode(other / mp3, 44100)).all(), mp3
        lessons += 1
    return same, lessons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-cluster-") as scratch:
        here = short_library(Path(scratch) / "here", args.guides)
        there = short_library(Path(scratch) / "there", args.guides)
        local = build(here)
        with loopback_cluster(Path(scratch) / "dask", workers=2, nanny=True) as address:
            killer = KillWorkers(address)
            clustered = build(there, address, killer)
        same, lessons = compare(here, there)
    lines = [f"Measured by `bench/killed.py`: {args.guides} generated English guides (the library benchmark's shortest) "
             f"with the published cast, on {platform.machine()}, {os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}.",
             "", "| measurement | value |", "| --- | --- |",
             f"| build on this machine | {local:.1f} s |",
             f"| build on a loopback cluster of 2 workers (nannies), workers killed | {clustered:.1f} s |",
             f"| workers killed | {'; '.join(killer.killed) or 'none'} |",
             f"| files with the same bytes as this machine's | {same} of {same} |",
             f"| lessons with the same samples | {lessons} of {lessons} |"]
    print("\n".join(lines))
    assert len(killer.killed) == 2, "a worker was not killed: the run did not test anything"
    docs = ROOT / "docs" / "benchmarks.md"
    text = docs.read_text(encoding="utf-8")
    block = "\n".join([BEGIN, *lines, END])
    text = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S) if BEGIN in text else \
        text.rstrip() + "\n\n## The library on a cluster, workers killed\n\n" + block + "\n"
    docs.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
