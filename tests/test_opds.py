"""The catalog for reading apps (OPDS 1.2) and the sitemap, read back as Atom by feedparser and
lxml: every element OPDS requires, and every link resolving to a file that exists and is what its
media type says."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from lxml import etree

from conftest import BASE_URL, GUIDES, SHORT_GUIDE, make_project, run_build

NS = {"atom": "http://www.w3.org/2005/Atom", "dc": "http://purl.org/dc/terms/",
      "opds": "http://opds-spec.org/2010/catalog"}
ACQUISITION = "http://opds-spec.org/acquisition"
KINDS = {"acquisition": "application/atom+xml;profile=opds-catalog;kind=acquisition",
         "navigation": "application/atom+xml;profile=opds-catalog;kind=navigation"}
MAGIC = {"application/epub+zip": b"PK", "application/pdf": b"%PDF", "audio/mpeg": b"ID3", "image/png": b"\x89PNG",
         "text/html": b"<!DOCTYPE html>"}


def resolved(output: Path, base: str, href: str) -> Path:
    """The file a link names: resolved as Atom resolves it (against xml:base), then found in output/."""
    address = urljoin(base, href)
    assert address.startswith(base), f"{href} leaves the site"
    return output / address[len(base):]


def catalog(output: Path, name: str):
    root = etree.parse(str(output / name)).getroot()
    parsed = feedparser.parse((output / name).read_bytes())
    assert not parsed.bozo, (name, parsed.bozo_exception)
    return root, parsed


def assert_feed_elements(root, kind: str, name: str) -> None:
    for element in ("atom:id", "atom:title", "atom:updated", "atom:author/atom:name"):
        assert root.findtext(element, namespaces=NS), f"{name} has no {element}"
    links = {link.get("rel"): link for link in root.findall("atom:link", NS)}
    assert links["self"].get("href") == name and links["self"].get("type") == KINDS[kind]
    assert links["start"].get("href") == "opds.xml"


def test_the_catalog_lists_every_guide_with_what_opds_requires(tone_project):
    output = tone_project / "output"
    root, parsed = catalog(output, "opds.xml")
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") == BASE_URL
    assert_feed_elements(root, "acquisition", "opds.xml")
    slugs = sorted(p.parent.name for p in output.glob("*/*.epub"))
    assert len(parsed.entries) == len(slugs) == 3
    for entry in root.findall("atom:entry", NS):
        for element in ("atom:id", "atom:title", "atom:updated", "atom:summary", "dc:language"):
            assert entry.findtext(element, namespaces=NS), element
        assert entry.findtext("atom:id", namespaces=NS).startswith("urn:uuid:")
        links = entry.findall("atom:link", NS)
        rels = [link.get("rel") for link in links]
        assert "http://opds-spec.org/image/thumbnail" in rels
        acquisitions = [link for link in links if link.get("rel").startswith(ACQUISITION)]
        assert [link.get("type") for link in acquisitions][0] == "application/epub+zip", "the book comes first"
        assert {link.get("type") for link in acquisitions} == {"application/epub+zip", "application/pdf", "audio/mpeg"}
        assert entry.findtext("dc:language", namespaces=NS) == entry.get("{http://www.w3.org/XML/1998/namespace}lang")


def test_every_link_of_every_catalog_feed_resolves_to_a_file_of_its_media_type(tone_project):
    output = tone_project / "output"
    names = sorted(p.name for p in output.glob("opds*.xml"))
    assert names == ["opds-en-all.xml", "opds-en-new.xml", "opds-en.xml", "opds-es-all.xml", "opds-es-new.xml",
                     "opds-es.xml", "opds.xml"]
    checked = 0
    for name in names:
        root, _ = catalog(output, name)
        for link in root.iter("{http://www.w3.org/2005/Atom}link"):
            target = resolved(output, BASE_URL, link.get("href"))
            assert target.is_file(), f"{name}: {link.get('href')} does not exist"
            kind = link.get("type")
            if kind in KINDS.values():
                assert etree.parse(str(target)).getroot().tag == "{http://www.w3.org/2005/Atom}feed"
            else:
                assert target.read_bytes().startswith(MAGIC[kind]), (name, link.get("href"), kind)
            if kind == "application/epub+zip":
                with zipfile.ZipFile(target) as book:
                    assert book.read("mimetype") == b"application/epub+zip"
            checked += 1
    assert checked > 40


def test_each_language_has_a_navigation_feed_to_its_guides(tone_project):
    output = tone_project / "output"
    for language, count in (("en", 2), ("es", 1)):
        root, parsed = catalog(output, f"opds-{language}.xml")
        assert_feed_elements(root, "navigation", f"opds-{language}.xml")
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
        targets = {link.get("rel"): link.get("href") for link in root.iterfind("atom:entry/atom:link", NS)}
        assert targets == {"subsection": f"opds-{language}-all.xml",
                           "http://opds-spec.org/sort/new": f"opds-{language}-new.xml"}
        for entry in parsed.entries:
            assert entry.title and entry.id and entry.updated
        by_title, latest = (feedparser.parse((output / f"opds-{language}-{kind}.xml").read_bytes())
                            for kind in ("all", "new"))
        assert [e.title for e in by_title.entries] == sorted((e.title for e in by_title.entries), key=str.lower)
        assert len(by_title.entries) == len(latest.entries) == count
        assert [e.updated for e in latest.entries] == sorted((e.updated for e in latest.entries), reverse=True)
        languages = etree.parse(str(output / f"opds-{language}-all.xml")).getroot().iterfind("atom:entry/dc:language", NS)
        assert {element.text for element in languages} == {language}
    spanish = catalog(output, "opds-es.xml")[1].feed
    assert spanish.title == "Career Compass (español)"
    assert [e.title for e in catalog(output, "opds-es.xml")[1].entries] == ["Todas las guías", "Actualizadas recientemente"]


def test_the_sitemap_lists_every_page_with_its_language(tone_project):
    output = tone_project / "output"
    root = etree.parse(str(output / "sitemap.xml")).getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    listed = {url.findtext("s:loc", namespaces=ns): url.find("x:link", ns) for url in root.findall("s:url", ns)}
    pages = {BASE_URL + p.relative_to(output).as_posix() for p in output.glob("**/index.html")}
    assert set(listed) == pages and len(pages) == 4
    for url, alternate in listed.items():
        assert alternate.get("rel") == "alternate" and alternate.get("href") == url
        if url != BASE_URL + "index.html":
            page = etree.parse(str(output / url[len(BASE_URL):]), etree.HTMLParser()).getroot()
            assert alternate.get("hreflang") == page.get("lang")
    assert listed[BASE_URL + "index.html"].get("hreflang") == "x-default"


def test_without_a_base_url_the_catalog_links_relatively_and_says_so(tmp_path, caplog):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE, GUIDES / "cocinero-profesional.md"])
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace(f'base_url = "{BASE_URL}"', ""))
    with caplog.at_level(logging.INFO, logger="publish.outputs.opds"):
        assert run_build(project, only=frozenset({"audio", "epub", "web"})).ok
    assert "opds.xml links relative to its own address" in caplog.text
    output = project / "output"
    root, parsed = catalog(output, "opds.xml")
    assert root.get("{http://www.w3.org/XML/1998/namespace}base") is None
    assert not (output / "sitemap.xml").exists()
    hosted = "https://anywhere.example/site/"  # wherever output/ is copied, links resolve beside the catalog
    for entry in root.findall("atom:entry", NS):
        for link in entry.findall("atom:link", NS):
            assert resolved(output, hosted, link.get("href")).is_file(), link.get("href")
    assert {e.title for e in parsed.entries} == {"Wind Turbine Technician", "Cocinero profesional"}


@pytest.mark.parametrize("folder", ["pagefind", "covers"])
def test_a_rebuild_leaves_no_stale_file_in_the_site_s_own_folders(tone_project, folder):
    stale = tone_project / "output" / folder / "fragment" / "en_stale.pf_fragment"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"old")
    assert run_build(tone_project, only=frozenset({"web"}), force=True).ok
    assert not stale.exists()
