"""The index's search, in headless Chromium: Pagefind's index of the pages' full text, filtered by
language and career field, sorted, offline, and checked by axe; without JavaScript the plain list."""

from __future__ import annotations

import pytest

from conftest import AXE, make_project, run_build, serving

pytestmark = pytest.mark.browser
SLUG = "machine-learning-engineer"
# A word that only the reference guide's FAQ holds: the test writes it into one answer.
FAQ_WORD = "Antarctica"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    project = make_project(tmp_path_factory.mktemp("search"))
    guide = project / "guides" / f"{SLUG}.md"
    text = guide.read_text(encoding="utf-8")
    answer = "less common than many students expect."
    assert text.count(answer) == 1
    guide.write_text(text.replace(answer, f"less common than many students expect; one even worked from {FAQ_WORD}."),
                     encoding="utf-8")
    assert run_build(project).ok
    with serving(project / "output") as address:
        yield project, address


def searched(browser, address, query: str, width: int = 1280, **choices: str):
    """The index with a query typed (and filters chosen): the page, its results' links, its status."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{address}/index.html")
    page.wait_for_selector("#library-search:not([hidden])")
    for name, value in choices.items():
        page.select_option(f"#search-{name}", value)
    page.locator("#search-query").press_sequentially(query)
    page.wait_for_function("q => document.querySelector('.result-list').children.length > 0 "
                           "&& document.getElementById('search-status').textContent.includes(': ')", arg=query)
    page.wait_for_timeout(200)  # a later keystroke's search may still replace the list
    links = [a.get_attribute("href") for a in page.locator(".result-list h3 a").all()]
    return page, links, asked


def test_a_word_only_in_a_faq_finds_that_guide_and_shows_its_lesson_length(browser, library):
    """Among the English guides (Pagefind 1.5's Spanish index answers a word it does not hold with
    loose matches, such as `a`; see docs/library.md)."""
    project, address = library
    page, links, _ = searched(browser, address, FAQ_WORD.lower())
    assert any(link.endswith(f"/{SLUG}/index.html") for link in links), links
    page.close()
    page, links, asked = searched(browser, address, FAQ_WORD.lower(), language="en")
    assert [link.rsplit("/", 2)[-2] for link in links] == [SLUG]
    result = page.locator(".result-list li").first
    assert result.get_attribute("lang") == "en"
    assert "<mark>" in result.locator(".excerpt").inner_html()
    index = (project / "output" / "index.html").read_text()
    length = page.locator(".result-list .meta").first.inner_text()
    assert length.startswith("Audio lesson ") and length in index, "the lesson's length, as the card shows it"
    page.locator(".result-list h3 a").first.click()
    page.wait_for_url(f"**/{SLUG}/index.html")
    assert not [url for url in asked if not url.startswith(address)], "nothing is fetched from another host"
    page.close()


def test_the_language_filter_narrows_the_results(browser, library):
    _, address = library
    page, every, _ = searched(browser, address, "compass")
    assert len(every) == 3, every  # the series name is on every page, English and Spanish
    page.close()
    page, spanish, _ = searched(browser, address, "compass", language="es")
    assert [link.rsplit("/", 2)[-2] for link in spanish] == ["cocinero-profesional"]
    page.close()
    page, energy, _ = searched(browser, address, "compass", field="energy")
    assert [link.rsplit("/", 2)[-2] for link in energy] == ["wind-turbine-technician"]
    page.close()


def test_filters_and_sorting_rearrange_the_plain_list(browser, library):
    _, address = library
    page = browser.new_page()
    page.goto(f"{address}/index.html")
    page.wait_for_selector("#library-search:not([hidden])")
    titles = lambda: page.locator(".guide-list .guide-card h2").all_inner_texts()  # noqa: E731
    assert titles() == ["Cocinero profesional", "Machine Learning Engineer", "Wind Turbine Technician"]
    page.select_option("#search-sort", "updated")
    assert titles() == ["Cocinero profesional", "Machine Learning Engineer", "Wind Turbine Technician"]
    page.select_option("#search-language", "en")
    assert titles() == ["Machine Learning Engineer", "Wind Turbine Technician"]
    assert page.locator("#search-status").inner_text() == "Guides found: 2"
    page.close()


def test_without_javascript_the_index_is_the_complete_list(browser, library):
    project, address = library
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{address}/index.html")
    assert page.locator(".guide-card").count() == 3 and page.locator(".guide-card h2 a").count() == 3
    assert not page.locator("#library-search").is_visible() and not page.locator("#search-results").is_visible()
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_finds_nothing_in_the_index_with_results_shown(browser, library, width):
    assert AXE.is_file(), f"axe-core is missing at {AXE} — run `make test`"
    _, address = library
    page, links, _ = searched(browser, address, "compass", width=width)
    assert links
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_AA)
    assert [f"{v['id']}: {v['help']} {v['nodes'][0]['target']}" for v in result["violations"]] == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.close()


def test_the_search_index_is_made_from_the_pages_with_only_what_the_index_loads(library):
    project, _ = library
    bundle = project / "output" / "pagefind"
    names = sorted(p.name for p in bundle.iterdir())
    assert "pagefind.js" in names and "pagefind-entry.json" in names and "wasm.es.pagefind" in names
    assert not [name for name in names if "-ui" in name or "highlight" in name]
    assert 'data-pagefind-filter="field[content]" content="technology"' in (
        project / "output" / SLUG / "index.html").read_text()
