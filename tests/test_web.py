"""Listener pages and the podcast feed: parsed by independent readers, driven in headless Chromium."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import feedparser
import pytest
from mutagen.mp3 import MP3

from conftest import BASE_URL
from publish.audio.timeline import Timeline

SLUG = "machine-learning-engineer"


class Page(HTMLParser):
    """Collects what the checks need, and fails on unbalanced tags."""

    VOID = {"meta", "link", "img", "br", "source", "track", "input", "hr"}

    def __init__(self, text: str):
        super().__init__()
        self.stack: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.title = ""
        self._in_title = False
        self.feed(text)
        assert not self.stack, f"unclosed: {self.stack}"

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()
        self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data

    def find(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def test_guide_page_structure(tone_project):
    page = Page((tone_project / "output" / SLUG / "index.html").read_text())
    assert page.find("html")[0]["lang"] == "en"
    assert "Machine Learning Engineer" in page.title
    audio = page.find("audio")[0]
    assert audio.get("aria-label") and "controls" in audio
    track = page.find("track")[0]
    assert track["kind"] == "captions" and track["src"] == f"{SLUG}.vtt"
    assert page.find("source")[0]["src"] == f"{SLUG}.mp3"
    seeks = [a for a in page.find("a") if "seek" in a.get("class", "")]
    timeline = Timeline.from_json((tone_project / "output" / SLUG / f"{SLUG}.timeline.json").read_text())
    assert len(seeks) == len(timeline.turns) + len(timeline.chapters)
    assert all(a.get("aria-label") for a in seeks), "every control is labelled"
    hrefs = {a["href"] for a in page.find("a")}
    for name in (f"{SLUG}.mp3", f"{SLUG}.pdf", f"{SLUG}-large-print.pdf", f"{SLUG}.txt", f"{SLUG}.vtt",
                 f"{SLUG}.srt", f"{SLUG}.transcript.json"):
        assert name in hrefs and (tone_project / "output" / SLUG / name).is_file()


def test_index_page(tone_project):
    page = Page((tone_project / "output" / "index.html").read_text())
    assert page.find("html")[0]["lang"] == "en" and page.title
    links = {a["href"] for a in page.find("a")}
    assert f"{SLUG}/index.html" in links and "wind-turbine-technician/index.html" in links
    index = (tone_project / "output" / "index.html").read_text()
    for slug in (SLUG, "wind-turbine-technician"):
        seconds = json.loads((tone_project / "output" / slug / f"{slug}.timeline.json").read_text())["duration_ms"] // 1000
        assert f"{seconds // 60} min {seconds % 60:02d} s" in index, slug  # each guide's lesson length, as players show it


def test_feed(tone_project):
    output = tone_project / "output"
    feed = feedparser.parse((output / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    channel = feed.feed
    assert channel.title == "Career Compass" and channel.link == BASE_URL and channel.language == "en"
    assert channel.image.href.startswith(BASE_URL)
    assert "itunes_explicit" in channel  # Apple's "false"; feedparser keeps only its presence
    assert channel.author_detail.name or channel.author
    assert channel.publisher_detail.email == "editor@example.org"
    assert channel.tags[0].term == "Education"
    assert len(feed.entries) == 2  # the English guides of guides/; the Spanish one has its own feed
    for entry in feed.entries:
        slug = entry.link.rstrip("/").rsplit("/", 1)[1]
        mp3 = output / slug / f"{slug}.mp3"
        enclosure = entry.enclosures[0]
        assert enclosure.type == "audio/mpeg"
        assert int(enclosure.length) == mp3.stat().st_size
        assert enclosure.href == f"{BASE_URL}{slug}/{slug}.mp3"
        assert entry.id == f"publish:{slug}" and entry.published_parsed
        hours, minutes, seconds = map(int, entry.itunes_duration.split(":"))
        assert abs(hours * 3600 + minutes * 60 + seconds - MP3(mp3).info.length) <= 1


def test_feed_podcasting_namespace(tone_project):
    root = ET.parse(tone_project / "output" / "feed.xml").getroot()
    ns = {"podcast": "https://podcastindex.org/namespace/1.0", "itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}
    item = root.find("channel/item")
    types = sorted(t.get("type") for t in item.findall("podcast:transcript", ns))
    assert types == ["application/json", "application/x-subrip", "text/html", "text/vtt"]
    chapters = item.find("podcast:chapters", ns)
    assert chapters.get("type") == "application/json+chapters" and chapters.get("url").endswith(".chapters.json")
    assert root.find("channel/itunes:owner/itunes:email", ns).text == "editor@example.org"
    assert root.find("channel/itunes:image", ns).get("href")
    assert root.find("channel/itunes:explicit", ns).text == "false"


def test_no_base_url_skips_the_feed(tmp_path):
    from conftest import SHORT_GUIDE, make_project, run_build

    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace(f'base_url = "{BASE_URL}"', ""))
    assert run_build(project, only=frozenset({"web"})).ok
    assert not (project / "output" / "feed.xml").exists()
    assert (project / "output" / "index.html").is_file()


def test_guide_text_cannot_inject_into_pages_or_feed(tmp_path):
    from conftest import FIXTURES, make_project, run_build

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"])
    guide = project / "guides" / "good.md"
    hostile = '<script>alert(1)</script> {{ 7*7 }} ]]></description><evil/>'
    guide.write_text(guide.read_text().replace("A short guide used by the tests.", f'"{hostile}"')
                     .replace("Ben: Hi, Ana.", "Ben: <img src=x onerror=alert(2)> {% raw %}"))
    assert run_build(project).ok
    page = (project / "output" / "good" / "index.html").read_text()
    assert "<script>alert" not in page and "<img src=x" not in page and "&lt;script&gt;" in page
    assert "49" not in page
    feed = feedparser.parse((project / "output" / "feed.xml").read_bytes())
    assert not feed.bozo
    # the feed carries the text exactly, as text: no element of it became XML
    root = ET.parse(project / "output" / "feed.xml").getroot()
    assert root.find("channel/item/description").text == hostile
    assert root.find(".//evil") is None


@pytest.mark.browser
def test_timestamp_seeks_and_marks_the_turn(browser, served_site, tone_project, tmp_path):
    timeline = Timeline.from_json((tone_project / "output" / SLUG / f"{SLUG}.timeline.json").read_text())
    turn = timeline.turns[12]
    page = browser.new_page(viewport={"width": 1000, "height": 900})
    page.goto(f"{served_site}/{SLUG}/index.html")
    page.wait_for_function("document.getElementById('player').readyState >= 1", timeout=15000)
    link = page.locator(f"#t{turn.index} a.seek")
    link.focus()
    page.keyboard.press("Enter")  # keyboard operable, not only by mouse
    page.wait_for_function(f"document.getElementById('t{turn.index}').classList.contains('current')",
                           timeout=10000)
    current = page.evaluate("document.getElementById('player').currentTime")
    assert abs(current - timeline.seconds(turn.start)) < 1.0
    assert page.get_attribute(f"#t{turn.index}", "aria-current") == "true"
    assert page.locator(".turn.current").count() == 1
    page.locator(f"#t{timeline.turns[3].index} a.seek").click()
    page.wait_for_function(f"document.getElementById('t{timeline.turns[3].index}').classList.contains('current')")
    page.close()


@pytest.mark.browser
def test_page_reads_without_javascript(browser, served_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{served_site}/{SLUG}/index.html")
    assert page.locator(".turn").count() == 39
    assert page.locator("a[download]").count() >= 7
    assert page.locator("#t5 a.seek").get_attribute("href").startswith(f"{SLUG}.mp3#t=")
    context.close()


def test_serve_answers_range_requests(served_site, tone_project):
    import urllib.request

    mp3 = tone_project / "output" / SLUG / f"{SLUG}.mp3"
    request = urllib.request.Request(f"{served_site}/{SLUG}/{SLUG}.mp3", headers={"Range": "bytes=100-199"})
    with urllib.request.urlopen(request) as response:
        assert response.status == 206
        assert response.headers["Content-Range"] == f"bytes 100-199/{mp3.stat().st_size}"
        assert response.read() == mp3.read_bytes()[100:200]
    with urllib.request.urlopen(f"{served_site}/{SLUG}/index.html") as response:
        assert response.status == 200 and response.headers["Accept-Ranges"] == "bytes"


def test_a_control_character_in_the_site_title_is_refused_with_its_line(tmp_path):
    from conftest import FIXTURES, make_project
    from publish.config import load_config
    from publish.errors import ConfigError

    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"], extra='title = "Career\\u0007 Compass"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(project)
    assert "publish.toml:6: site.title holds an invisible control character" in str(caught.value)
