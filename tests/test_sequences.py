"""Everyday build sequences, typed as an editor would, and the site they leave behind.

Each checks the final files: links present and resolving, the index listing every guide, both
paper sizes in place.
"""

from __future__ import annotations

import os
from pathlib import Path

import feedparser
import pytest
from pypdf import PdfReader

from conftest import GUIDES, assert_links_resolve, light_project
from publish.cli import main

SHORT = "wind-turbine-technician"
OTHER = "offshore-wind-technician"
TITLES = ("Cocinero profesional", "Offshore Wind Technician", "Wind Turbine Technician")


@pytest.fixture
def project(tmp_path):
    return light_project(tmp_path / "p")


@pytest.fixture
def inside(project):
    previous = os.getcwd()
    os.chdir(project)
    yield project
    os.chdir(previous)


def index_titles(project: Path) -> list[str]:
    text = (project / "output" / "index.html").read_text()
    return [title for title in TITLES if title in text]


def test_pdf_built_later_is_linked_from_the_page(inside):
    assert main(["build", "-q", "--only", "audio,transcript,web"]) == 0
    assert main(["build", "-q", "--only", "pdf"]) == 0
    assert main(["build", "-q"]) == 0
    for slug in (SHORT, OTHER):
        links = assert_links_resolve(inside / "output" / slug / "index.html")
        assert f"{slug}.pdf" in links and f"{slug}-large-print.pdf" in links
    index_links = assert_links_resolve(inside / "output" / "index.html")
    assert f"{SHORT}/index.html" in index_links and f"{SHORT}/{SHORT}.pdf" in index_links


def episodes(output) -> list:
    """Every episode of every language's feed (the Spanish guide is in feed-es.xml)."""
    return [entry for feed in sorted(output.glob("feed*.xml")) for entry in feedparser.parse(str(feed)).entries]


def test_building_one_guide_keeps_every_guide_on_the_index_and_feed(inside):
    assert main(["build", "-q"]) == 0
    assert main(["build", "-q", f"guides/{SHORT}.md"]) == 0
    assert index_titles(inside) == list(TITLES)
    assert len(episodes(inside / "output")) == len(TITLES)
    assert_links_resolve(inside / "output" / "index.html")


def test_a_failed_guide_keeps_its_last_good_files_and_its_entry(inside):
    assert main(["build", "-q"]) == 0
    mp3 = inside / "output" / SHORT / f"{SHORT}.mp3"
    before = mp3.read_bytes()
    guide = inside / "guides" / f"{SHORT}.md"
    guide.write_text(guide.read_text().replace("Theo: That's right", "Bob: That's right"))
    assert main(["build", "-q"]) == 1
    assert mp3.read_bytes() == before
    assert index_titles(inside) == list(TITLES)
    index = (inside / "output" / "index.html").read_text()
    assert index.count("could not be built") == 1
    assert_links_resolve(inside / "output" / "index.html")
    assert len(episodes(inside / "output")) == len(TITLES)


def test_a_guide_can_be_named_by_its_slug(inside, capsys):
    assert main(["build", "-q", SHORT]) == 0
    assert (inside / "output" / SHORT / f"{SHORT}.mp3").is_file()
    assert not (inside / "output" / OTHER / f"{OTHER}.mp3").exists()
    assert index_titles(inside) == list(TITLES), "the index lists the guide that was not built too"
    assert main(["build", "-q", "no-such-guide"]) == 1
    assert "no guide named `no-such-guide`" in capsys.readouterr().err


def test_check_of_every_markdown_file_skips_the_readme(inside, capsys):
    (inside / "guides" / "README.md").write_text((GUIDES / "README.md").read_text())
    (inside / "guides" / "notes.md").write_text("Ideas for next term's guides.\n")
    paths = sorted(str(p.relative_to(inside)) for p in (inside / "guides").glob("*.md"))
    assert main(["check", *paths]) == 0
    err = capsys.readouterr().err
    assert "README.md" not in err.replace("README.md is not a guide", "") and "built" not in err
    assert main(["build", "-q"]) == 0, "a build of the folder ignores them as well"


def page_width_points(pdf: Path) -> float:
    return float(PdfReader(pdf).pages[0].mediabox.width)


def test_another_paper_size_is_written_beside_the_guides_own(inside):
    assert main(["build", "-q"]) == 0
    assert main(["build", "-q", "--paper", "letter"]) == 0
    assert main(["build", "-q"]) == 0
    folder = inside / "output" / SHORT
    assert round(page_width_points(folder / f"{SHORT}.pdf")) == 595  # A4, the guide's own
    assert round(page_width_points(folder / f"{SHORT}-letter.pdf")) == 612
    assert round(page_width_points(folder / f"{SHORT}-letter-large-print.pdf")) == 612
    links = assert_links_resolve(folder / "index.html")
    assert f"{SHORT}.pdf" in links and f"{SHORT}-letter.pdf" in links


def test_only_pdf_into_a_new_output_folder(inside, tmp_path):
    assert main(["build", "-q", "--only", "audio"]) == 0  # speech is cached; the new folder has none
    elsewhere = tmp_path / "elsewhere"
    assert main(["build", "-q", "--only", "pdf", "--output", str(elsewhere)]) == 0
    pdf = elsewhere / SHORT / f"{SHORT}.pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "00:00" in text and "not been built" not in text, "the handout carries the transcript"
    links = assert_links_resolve(elsewhere / "index.html")
    assert f"{SHORT}/index.html" not in links, "no link to a page that was not built"
    assert not (elsewhere / SHORT / f"{SHORT}.mp3").exists()
