"""The guide's web page, checked in headless Chromium: every section of the guide, a 360 px phone,
the keyboard, and reading with JavaScript off (axe-core, zoom and the accessibility tree:
test_accessibility.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import REFERENCE_GUIDE, SHORT_GUIDE, keep_screenshot, serving
from publish.guide.source import load_guide

pytestmark = pytest.mark.browser
PAGES = ["index.html", "machine-learning-engineer/index.html", "wind-turbine-technician/index.html"]


@pytest.mark.parametrize("guide", [REFERENCE_GUIDE, SHORT_GUIDE])
def test_every_section_reads_without_javascript(browser, served_site, guide):
    model = load_guide(guide)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served_site}/{model.slug}/index.html")
    headings = page.locator("main h2").all_inner_texts()
    for section in model.sections:
        assert any(section.title in heading for heading in headings), section.title
        text = page.locator(f"#{section.anchor}").inner_text()
        assert page.locator(f"#{section.anchor}").is_visible() and len(text) > len(section.title)
    assert page.locator("h1").count() == 1
    levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4')].map(h => +h.tagName[1])")
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), f"headings skip a level: {levels}"
    assert page.locator(".turn").count() == len(model.lesson.turns)
    toc = page.locator(".toc a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert toc == [f"#{s.anchor}" for s in model.sections] + ["#transcript"]
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_a_phone_never_scrolls_sideways(browser, served_site, path):
    page = browser.new_page(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True)
    page.goto(f"{served_site}/{path}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    keep_screenshot(page, path.replace("/", "-").replace(".html", "-phone.png"))
    page.close()


# Each header cell of the routes table: its words, and on how many lines they are drawn (one Range a word).
HEADER_LINES = """table => [...table.querySelectorAll('thead th')].map(cell => {
  const text = cell.firstChild, words = [...text.textContent.matchAll(/\\S+/g)];
  const tops = words.map(word => {
    const range = document.createRange();
    range.setStart(text, word.index);
    range.setEnd(text, word.index + word[0].length);
    return Math.round(range.getBoundingClientRect().top);
  });
  return [text.textContent, words.length, new Set(tops).size];
})"""


@pytest.mark.parametrize("slug", ["machine-learning-engineer", "wind-turbine-technician", "cocinero-profesional"])
def test_a_phone_wraps_no_table_header_into_a_column_of_single_words(browser, served_site, slug):
    page = browser.new_page(viewport={"width": 360, "height": 740}, is_mobile=True)
    page.goto(f"{served_site}/{slug}/index.html")
    headers = page.eval_on_selector("table.routes", HEADER_LINES)
    assert len(headers) == 4
    for text, words, lines in headers:
        assert lines <= (words + 1) // 2, f"the header {text!r} is drawn on {lines} lines"
    # Laid out for the phone, it is still a table to a screen reader: headers for columns and rows.
    tree = page.locator("table.routes").aria_snapshot()
    assert tree.count("columnheader") == 4 and tree.count("rowheader") == len(page.locator("tbody tr").all())
    assert page.eval_on_selector(".table-wrap", "wrap => wrap.scrollWidth <= wrap.clientWidth")
    page.close()


def test_tab_reaches_every_transcript_time_and_enter_seeks(browser, served_site):
    page = browser.new_page(viewport={"width": 1000, "height": 800})
    page.goto(f"{served_site}/{PAGES[1]}")
    page.wait_for_function("document.getElementById('player').readyState >= 1", timeout=15000)
    turns = page.locator(".turn").count()
    reached: set[str] = set()
    for _ in range(400):
        page.keyboard.press("Tab")
        turn = page.evaluate("(document.activeElement.closest('.turn') || {}).id || ''")
        if turn:
            reached.add(turn)
        if len(reached) == turns:
            break
    assert len(reached) == turns
    focused = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert focused != "none", "the focused control is visibly marked"
    start = float(page.evaluate("document.activeElement.dataset.start"))
    page.keyboard.press("Enter")
    page.wait_for_function("Math.abs(document.getElementById('player').currentTime - %f) < 1" % start, timeout=10000)
    assert float(page.evaluate("document.activeElement.dataset.start")) == start, "focus stays on the time chosen"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('.turn') !== null || "
                         "document.activeElement.closest('footer') !== null"), "Tab goes on from there"
    page.close()


def test_skip_link_moves_to_the_content(browser, served_site):
    page = browser.new_page()
    page.goto(f"{served_site}/{PAGES[1]}")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


def test_printing_the_page_hides_the_player_and_keeps_the_guide(browser, served_site, tmp_path):
    from pypdf import PdfReader

    page = browser.new_page()
    page.goto(f"{served_site}/{PAGES[2]}")
    page.emulate_media(media="print")
    assert not page.locator("audio").is_visible() and not page.locator(".toc").is_visible()
    assert page.locator("#s01").is_visible()
    pdf = tmp_path / "printed.pdf"
    page.pdf(path=str(pdf))
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Career snapshot" in text and "Transcript" in text
    page.close()


@pytest.mark.piper
def test_page_highlights_the_word_being_spoken(cast_project, browser):
    """Seek the page's player into a timed word: that word, its sentence and its turn are marked."""
    with serving(cast_project / "output") as site:
        page = browser.new_page(viewport={"width": 360, "height": 800})
        page.goto(f"{site}/wind-turbine-technician/")
        page.wait_for_function("document.getElementById('player').readyState >= 1")
        words = page.eval_on_selector_all(".word", "ns => ns.map(n => [n.textContent, parseFloat(n.dataset.start)])")
        assert len(words) > 100
        for text, start in (words[10], words[len(words) // 2], words[-3]):
            page.evaluate(f"document.getElementById('player').currentTime = {start + 0.02}")
            page.wait_for_function(f"(document.querySelector('.word.current') || {{}}).textContent === {text!r}")
            current = page.eval_on_selector(".word.current", "n => [n.closest('.sentence').classList.contains('current'),"
                                                              " n.closest('.turn').getAttribute('aria-current')]")
            assert current == [True, "true"]
        # Marks are classes, never live regions: a screen reader hears the audio, not a running commentary.
        assert page.eval_on_selector_all("[aria-live], [role=status], [role=alert]", "ns => ns.length") == 0
        hibari_turn = page.eval_on_selector_all(".turn", "ts => ts[0].querySelectorAll('.word').length")
        assert hibari_turn == 0  # hibari times sentences only
        assert re.search(r"\w", page.eval_on_selector(".turn", "t => t.textContent"))
