"""Measure a whole library: generated guides in three languages, built with the tone engine on this
machine and on a loopback Dask cluster; print a table and write it into docs/benchmarks.md.

    .venv/bin/python bench/library.py [--guides 200] [--small 50]

The guides (English, Spanish and French in turn) are of five lengths, and every sentence of every
guide is different: each guide has a made-up word of its own, which is also what the search is
timed on. Measured: the cold build (locally, and with two single-thread workers on 127.0.0.1), the
build with nothing to do, the peak memory of the build's processes (for `--small` guides and for
all of them: it must not grow with the library), the index page's and the search index's size,
and in Chromium the time from typing a guide's word to its first result.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from benchmark import build, loopback_cluster, no_op  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BEGIN, END = "<!-- bench/library.py: begin -->", "<!-- bench/library.py: end -->"
LANGUAGES = ("en", "es", "fr")
SYLLABLES = ("ka", "lo", "mi", "ru", "te", "vo", "zi", "ne", "pa", "su")
FIELDS = ("technology", "health", "energy", "hospitality", "construction", "education")
WORDS = {  # (section sentence, turn sentence, lesson heading, part heading) in each language
    "en": ("The {w} trade asks for care at stage {s}.", "At stage {s} the {w} crew checks the work again.",
           "Audio lesson", "Part {s}"),
    "es": ("El oficio {w} pide cuidado en la etapa {s}.", "En la etapa {s} el equipo {w} revisa el trabajo otra vez.",
           "Lección de audio", "Parte {s}"),
    "fr": ("Le métier {w} demande du soin à l'étape {s}.", "À l'étape {s}, l'équipe {w} vérifie encore le travail.",
           "Leçon audio", "Partie {s}"),
}


def word(number: int) -> str:
    """A made-up word for a number, unique to it: 0 → "kaka", 123 → "lomiru"."""
    digits = f"{number:02d}"
    return "".join(SYLLABLES[int(d)] for d in digits) + "x"


def guide(number: int) -> str:
    """Guide `number`: its language in turn, one of five lengths, every sentence its own."""
    language, size = LANGUAGES[number % 3], 1 + number % 5
    section, turn, lesson, part = WORDS[language]
    own = word(number)
    stage = iter(word(1000 + n) for n in range(1000))
    body = "".join(f"## Topic {s} | {own.title()} {s}\n\n" + " ".join(section.format(w=own, s=next(stage))
                                                                    for _ in range(3)) + "\n\n"
                   for s in range(1, size + 2))
    turns = "".join(f"{'Ana' if t % 2 else 'Ben'}: " + " ".join(turn.format(w=own, s=next(stage)) for _ in range(2))
                    + "\n\n" for t in range(4 * size))
    return (f"---\ntitle: {own.title()} {number}\nslug: guide-{number:03d}\nlanguage: {language}\n"
            f"field: {FIELDS[number % len(FIELDS)]}\nupdated: 2026-{1 + number % 12:02d}-{1 + number % 28:02d}\n"
            f"summary: {section.format(w=own, s=next(stage))}\nspeakers:\n  - id: ana\n    name: Ana\n"
            f"  - id: ben\n    name: Ben\n---\n\n{body}# {lesson}\n\n## {part.format(s=1)}\n\n{turns}")


def library(folder: Path, count: int) -> Path:
    return project_of(folder, range(count), 'jobs = 2\n[audio]\nengine = "tone"\n[site]\nbase_url = "https://example.org/"\n'
                                            '[site.languages.es]\ntitle = "Brújula"\n')


def project_of(folder: Path, numbers: Iterable[int], settings: str) -> Path:
    """A project of the generated guides `numbers`, the bundled templates and `settings` as its publish.toml."""
    (folder / "guides").mkdir(parents=True)
    for number in numbers:
        (folder / "guides" / f"guide-{number:03d}.md").write_text(guide(number), encoding="utf-8")
    shutil.copytree(ROOT / "publish" / "outputs" / "templates", folder / "templates")
    (folder / "publish.toml").write_text(settings, encoding="utf-8")
    return folder


def folder_bytes(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


FIRST_RESULT = """async word => {
  const input = document.getElementById('search-query');
  const list = document.querySelector('.result-list');
  input.value = '';
  input.dispatchEvent(new Event('input', {bubbles: true}));
  await new Promise(r => setTimeout(r, 50));
  list.replaceChildren();
  const started = performance.now();
  const found = new Promise(resolve => new MutationObserver((_, observer) => {
    if (list.children.length) { observer.disconnect(); resolve(performance.now() - started); }
  }).observe(list, {childList: true}));
  input.value = word;
  input.dispatchEvent(new Event('input', {bubbles: true}));
  return await found;
}"""


def first_result_ms(output: Path, words: list[str]) -> tuple[float, float]:
    """Chromium, the site served on 127.0.0.1: the first search (Pagefind loading as the page does)
    and the median of the others, from the typed word to its first result."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import CHROMIUM_FLAGS, serving

    with serving(output) as address, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), headless=True,
                                             args=CHROMIUM_FLAGS)
        page = browser.new_page()
        page.goto(f"{address}/index.html")
        page.wait_for_load_state("networkidle")
        times = [page.evaluate(FIRST_RESULT, w) for w in words]
        browser.close()
    return times[0], statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=200, help="guides in the library (default: 200)")
    parser.add_argument("--small", type=int, default=50, help="a smaller library, for peak memory (default: 50)")
    parser.add_argument("--cluster-guides", type=int, default=None,
                        help="guides built on the loopback cluster (default: as many as --guides)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="publish-library-bench-") as scratch:
        scratch = Path(scratch)
        small = build(library(scratch / "small", args.small))
        shutil.rmtree(scratch / "small")
        local = library(scratch / "local", args.guides)
        cold = build(local)
        idle, spread = no_op(local, runs=3)
        index_size = (local / "output" / "index.html").stat().st_size
        search_size, search_files = folder_bytes(local / "output" / "pagefind")
        first, warm = first_result_ms(local / "output", [word(n) for n in range(0, args.guides, args.guides // 6)])
        with loopback_cluster(scratch / "cluster", workers=2) as address:
            clustered = build(library(scratch / "dask", args.cluster_guides or args.guides), "--scheduler", address)
    rows = [
        (f"cold build of {args.guides} guides, this machine (2 processes)", f"{cold.seconds:.1f} s"),
        (f"cold build of {args.cluster_guides or args.guides} guides, loopback Dask cluster (2 single-thread "
         "workers on 127.0.0.1)", f"{clustered.seconds:.1f} s"),
        ("build with nothing to do", f"**{idle.seconds:.2f} s** ({spread}; goal ≤ 1 s)"),
        (f"peak memory of the build's processes (PSS), {args.small} → {args.guides} guides",
         f"**{small.peak_pss_mb:.0f} MB → {cold.peak_pss_mb:.0f} MB** (goal: no growth)"),
        (f"the same, resident memory summed over the processes, {args.small} → {args.guides} guides",
         f"{small.peak_mb:.0f} MB → {cold.peak_mb:.0f} MB"),
        ("peak memory, Dask build (the editor's side)", f"{clustered.peak_mb:.0f} MB"),
        ("index page (`index.html`)", f"{index_size / 1000:.0f} KB"),
        ("search index (`pagefind/`)", f"{search_size / 1e6:.2f} MB in {search_files} files"),
        ("Chromium: typed word → first result, first search (Pagefind loading)", f"{first:.0f} ms"),
        ("Chromium: typed word → first result, later searches (median)", f"**{warm:.0f} ms** (goal ≤ 150 ms)"),
    ]
    table = ["| measure | value |", "| --- | --- |"] + [f"| {name} | {value} |" for name, value in rows]
    text = (f"{BEGIN}\nMeasured by `bench/library.py`: {args.guides} generated guides (English, Spanish, French; five "
            f"lengths; every sentence different), `--engine tone`, on {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}. The machine was shared with other "
            f"work while it ran: times are upper bounds.\n\n" + "\n".join(table) + f"\n{END}")
    print(text)
    doc = ROOT / "docs" / "benchmarks.md"
    current = doc.read_text(encoding="utf-8")
    if BEGIN not in current:
        current += f"\n## A library of {args.guides} guides\n\n{BEGIN}\n{END}\n"
    doc.write_text(re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: text, current, flags=re.S),
                   encoding="utf-8")


if __name__ == "__main__":
    main()
