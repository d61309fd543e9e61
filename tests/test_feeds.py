"""The podcast feeds, one per language: read back by feedparser and ElementTree, linked from the index."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import feedparser
import pytest

from conftest import BASE_URL, FIXTURES, SHORT_GUIDE, GUIDES, make_project, run_build
from test_web import Page

NS = {"podcast": "https://podcastindex.org/namespace/1.0", "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
FEEDS = {"feed.xml": "en", "feed-es.xml": "es"}  # the guides of guides/: two in English, one in Spanish


@pytest.mark.parametrize("name", sorted(FEEDS))
def test_each_feed_parses_has_one_language_and_its_own_episodes(tone_project, name):
    output = tone_project / "output"
    feed = feedparser.parse((output / name).read_bytes())
    assert not feed.bozo, feed.bozo_exception
    language = FEEDS[name]
    assert feed.feed.language == language
    assert feed.entries, "every feed has the episodes of its language"
    for entry in feed.entries:
        slug = entry.link.rstrip("/").rsplit("/", 1)[1]
        page = Page((output / slug / "index.html").read_text())
        assert page.find("html")[0]["lang"] == language, f"{slug} is in {name} but not in its language"
        assert entry.enclosures[0].href == f"{BASE_URL}{slug}/{slug}.mp3"
        assert int(entry.enclosures[0].length) == (output / slug / f"{slug}.mp3").stat().st_size
    # Apple's and Podcasting 2.0's tags, as test_web checks them for the site's own feed
    root = ET.parse(output / name).getroot()
    assert root.find("channel/atom:link", {"atom": "http://www.w3.org/2005/Atom"}).get("href") == BASE_URL + name
    assert root.find("channel/itunes:owner/itunes:email", NS).text == "editor@example.org"
    assert root.find("channel/itunes:image", NS).get("href").startswith(BASE_URL)
    assert root.find("channel/itunes:explicit", NS).text == "false"
    assert root.find("channel/itunes:category", NS).get("text") == "Education"
    for item in root.findall("channel/item"):
        assert item.find("podcast:transcript", NS) is not None and item.find("podcast:chapters", NS) is not None
        assert item.find("itunes:duration", NS).text


def test_the_spanish_feed_speaks_spanish_by_default(tone_project):
    channel = feedparser.parse((tone_project / "output" / "feed-es.xml").read_bytes()).feed
    assert channel.title == "Career Compass (español)"
    assert channel.subtitle == "Guías profesionales y lecciones en audio para estudiantes."


def test_the_index_links_every_feed_with_its_language(tone_project):
    page = Page((tone_project / "output" / "index.html").read_text())
    alternates = {link["href"]: link for link in page.find("link") if link.get("type") == "application/rss+xml"}
    assert sorted(alternates) == sorted(FEEDS)
    for name, language in FEEDS.items():
        assert alternates[name]["rel"] == "alternate" and alternates[name]["hreflang"] == language
        assert (tone_project / "output" / name).is_file()
    spanish_page = Page((tone_project / "output" / "cocinero-profesional" / "index.html").read_text())
    assert [link["href"] for link in spanish_page.find("link") if link.get("type") == "application/rss+xml"] \
        == ["../feed-es.xml"], "a guide's page links its own language's feed"


def test_a_language_table_names_that_feed(tmp_path):
    extra = ('[site.languages.es]\ntitle = "Brújula Profesional"\ndescription = "Oficios explicados."\n'
             'author = "Equipo Brújula"\n')
    project = make_project(tmp_path / "p", guides=[GUIDES / "cocinero-profesional.md"], extra=extra)
    assert run_build(project, only=frozenset({"audio", "web"})).ok
    feed = feedparser.parse((project / "output" / "feed-es.xml").read_bytes())
    assert not feed.bozo
    assert (feed.feed.title, feed.feed.subtitle) == ("Brújula Profesional", "Oficios explicados.")
    author = ET.parse(project / "output" / "feed-es.xml").getroot().find("channel/itunes:author", NS)
    assert author.text == "Equipo Brújula"
    assert len(feed.entries) == 1
    english = feedparser.parse((project / "output" / "feed.xml").read_bytes())
    assert not english.bozo and english.feed.title == "Career Compass" and english.entries == []


@pytest.mark.parametrize("extra, said", [
    ('[site.languages.en]\ntitle = "X"\n', "publish.toml:6: [site.languages.en] is the site's own language"),
    ('[site.languages.es]\nslogan = "X"\n', "unknown setting `site.languages.es.slogan`"),
    ('[site.languages.Spanish]\ntitle = "X"\n', "publish.toml:6: [site.languages.Spanish] is not a table for a "
                                                "language code"),
])
def test_a_wrong_language_table_is_refused_with_its_line(tmp_path, extra, said):
    from publish.config import load_config
    from publish.errors import ConfigError

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"], extra=extra)
    with pytest.raises(ConfigError) as caught:
        load_config(project)
    assert said in str(caught.value) and " — " in str(caught.value)


def test_without_a_base_url_no_feed_is_made_for_any_language(tmp_path):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE, GUIDES / "cocinero-profesional.md"])
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace(f'base_url = "{BASE_URL}"', ""))
    assert run_build(project, only=frozenset({"web"})).ok
    assert not list((project / "output").glob("feed*.xml"))
    assert "application/rss+xml" not in (project / "output" / "index.html").read_text()
