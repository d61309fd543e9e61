"""Myths carry their truth: read from the guide, checked, and shown with translated labels as real
text in every output (handouts in both editions, the page, the book)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import replace

import pytest

from conftest import FIXTURES, REFERENCE_GUIDE, ROOT
from publish.errors import GuideError
from publish.guide.model import Myth, Myths
from publish.guide.source import load_guide, parse_guide
from publish.outputs.files import EDITIONS
from publish.outputs.handout import HandoutRequest, render_handout, render_html

GOOD = (FIXTURES / "good.md").read_text(encoding="utf-8")
SLUG = "machine-learning-engineer"
FIRST = "Myth: Knowing AI theory is enough. — In fact: Teams hire people who can ship."


def with_myths(entries: str) -> str:
    return GOOD.replace("# Audio lesson", f"```myths\n{entries}```\n\n# Audio lesson")


def myths_of(guide) -> tuple[Myth, ...]:
    return next(b for s in guide.sections for b in s.blocks if isinstance(b, Myths)).myths


def problems_of(text: str) -> list[str]:
    with pytest.raises(GuideError) as caught:
        parse_guide(text, "g.md")
    return [str(problem) for problem in caught.value.problems]


def flat(text: str) -> str:
    return " ".join(text.split())


def test_a_myth_and_its_truth_reach_the_model_with_their_line():
    text = with_myths("- myth: A certificate guarantees a job.\n  truth: Employers hire on projects: real ones.\n")
    guide = parse_guide(text, "g.md")
    (myth,) = myths_of(guide)
    assert (myth.myth, myth.truth) == ("A certificate guarantees a job.", "Employers hire on projects: real ones.")
    assert myth.where.line == text.split("\n").index("- myth: A certificate guarantees a job.") + 1
    assert guide.warnings == ()


def test_the_plain_form_still_builds_with_one_warning_for_all_its_entries():
    text = with_myths("- A plain myth.\n- Another: with a colon.\n- myth: One with its truth.\n  truth: Yes.\n")
    guide = parse_guide(text, "g.md")
    assert [(m.myth, m.truth) for m in myths_of(guide)] == [("A plain myth.", ""), ("Another: with a colon.", ""),
                                                            ("One with its truth.", "Yes.")]
    (warning,) = guide.warnings
    first = text.split("\n").index("- A plain myth.") + 1
    assert warning.warning and warning.lines == (first, first + 1)
    assert str(warning).startswith(f"g.md:{first}: warning: a myth without its truth on 2 entries")


@pytest.mark.parametrize("entries, said", [
    ("- myth: Pay is low.\n  truht: It is not.\n", "this myth has `truht:` — use `myth:` and `truth:`"),
    ("- myth: Pay is low.\n  truth:\n", "this myth's `truth:` is empty — write what is true instead after `truth:`"),
    ("- truth: It is not.\n", "this myth's `myth:` is missing — write the false belief after `myth:`"),
    ("- [a, b]\n", "this `myths` entry holds no myth — write `- myth: …` with `  truth: …` below it"),
])
def test_a_myth_written_wrong_is_named_at_its_line(entries, said):
    text = with_myths(entries)
    line = text.split("\n").index(entries.split("\n")[0]) + 1
    assert problems_of(text) == [f"g.md:{line}: {said}"]


def test_every_guide_gives_each_myth_its_truth():
    for path in sorted((ROOT / "guides").glob("*-*.md")):
        assert load_guide(path).warnings == (), path


def handout_text(guide, edition) -> str:
    pdf = render_handout(HandoutRequest(guide, None, edition, "a4", ROOT / "publish" / "outputs" / "templates",
                                        "Publisher", None))
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.mark.parametrize("edition", EDITIONS, ids=lambda e: e.name)
def test_both_handouts_print_each_myth_with_its_labels_and_truth(edition):
    text = flat(handout_text(load_guide(REFERENCE_GUIDE), edition))
    assert FIRST in text
    assert "Myth: A bootcamp certificate guarantees a job. — In fact: No certificate does." in text


@pytest.mark.parametrize("language, labels", [("es", ("Mito:", "En realidad:")),
                                              ("fr", ("Mythe\u00a0:", "En réalité\u00a0:"))])
def test_the_labels_are_in_the_guides_language(language, labels):
    guide = replace(load_guide(REFERENCE_GUIDE), language=language)
    html = render_html(HandoutRequest(guide, None, EDITIONS[0], "a4", ROOT / "publish" / "outputs" / "templates",
                                      "Publisher", None))
    myth, truth = labels
    assert f"{myth}</strong> Knowing AI theory is enough." in html
    assert f"{truth}</strong> Teams hire people" in html


@pytest.mark.browser
def test_the_page_reads_each_myth_with_its_labels_as_text(browser, served_site):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{served_site}/{SLUG}/index.html")
    items = page.locator(".myths li")
    assert items.count() == 3
    # innerText leaves out anything drawn by CSS alone: the labels are words of the page.
    assert flat(items.first.inner_text()).startswith(FIRST)
    assert "listitem" in items.first.aria_snapshot() and "Myth:" in items.first.aria_snapshot()
    page.close()


def test_the_book_reads_each_myth_with_its_labels_and_truth(tone_project):
    with zipfile.ZipFile(tone_project / "output" / SLUG / f"{SLUG}.epub") as book:
        guide = next(book.read(name).decode() for name in book.namelist() if name.endswith("guide.xhtml"))
    items = re.findall(r'<li class="myth">(.*?)</li>', guide, re.S)
    assert len(items) == 3
    assert flat(re.sub(r"<[^>]+>", "", items[0])).startswith(FIRST)
