"""Measure the live preview: from saving a one-sentence edit of the reference guide to the new text
on its page, and to the new audio, with the guides' own voices, in headless Chromium.

    .venv/bin/python bench/preview.py [--runs 3]
"""

from __future__ import annotations

import argparse
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "guides" / "machine-learning-engineer.md"
SLUG = "machine-learning-engineer"
SENTENCE = "So the model isn't the finish line."


def start(project: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-m", "publish", "serve", "--port", "0"], cwd=project,
                               stderr=subprocess.PIPE, text=True)
    for line in process.stderr:
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        if found:
            return process, found[0]
    raise SystemExit("publish serve did not start")


def main() -> None:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-preview-bench-") as scratch:
        project = Path(scratch)
        (project / "guides").mkdir()
        guide = project / "guides" / REFERENCE.name
        shutil.copy(REFERENCE, guide)
        process, address = start(project)
        texts, audios = [], []
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                                     args=["--no-sandbox", "--disable-gpu", "--mute-audio"])
                page = browser.new_page()
                page.goto(address + f"{SLUG}/")
                for run in range(1, args.runs + 1):
                    marker = f"edited for run {run}"
                    guide.write_text(REFERENCE.read_text().replace(SENTENCE, f"So the model, {marker}, isn't the end."))
                    saved = time.monotonic()
                    page.wait_for_function(f"() => document.querySelector('#transcript').innerText.includes('{marker}')",
                                           timeout=30_000)
                    texts.append(time.monotonic() - saved)
                    page.wait_for_function("() => !document.getElementById('audio-updating') && "
                                           f"document.querySelector('#transcript').innerText.includes('{marker}')",
                                           timeout=300_000)
                    audios.append(time.monotonic() - saved)
                    time.sleep(1)
                browser.close()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(timeout=30)
    print(f"one-sentence edit of {REFERENCE.name}, {args.runs} runs")
    print(f"save → new text on the page: median {statistics.median(texts):.2f} s ({', '.join(f'{t:.2f}' for t in texts)})")
    print(f"save → new audio on the page: median {statistics.median(audios):.2f} s ({', '.join(f'{t:.2f}' for t in audios)})")


if __name__ == "__main__":
    main()
