"""Listener pages (one per guide, plus an index) and the podcast feed, from templates.

Pages use relative links so the site works from any folder or server; the feed needs absolute
addresses and is skipped, with a notice, when no base URL is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path

from publish.config import Config
from publish.outputs.files import PAPERS, SiteFiles
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.templating import environment
from publish.audio.timeline import SentenceSpan
from publish.outputs.transcript import HEADING, INTRO, clock
from publish.writer import write_bytes_atomic, write_text_atomic

log = logging.getLogger(__name__)

@dataclass(frozen=True)
class Download:
    href: str
    label: str
    size: str


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's written text; a timed word where `start` is set (samples)."""

    text: str
    start: int | None = None
    end: int | None = None


def pieces(sentence: SentenceSpan) -> list[Piece]:
    """A sentence as the page shows it: its timed words, and the text between them as it is."""
    found: list[Piece] = []
    at = 0
    for word in sentence.words:
        if word.first > at:
            found.append(Piece(sentence.text[at:word.first]))
        found.append(Piece(sentence.text[word.first:word.last], word.start, word.end))
        at = word.last
    if at < len(sentence.text):
        found.append(Piece(sentence.text[at:]))
    return found


def human_size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return ""


def duration_text(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)  # as players show it: whole seconds, not rounded
    return f"{minutes} min {secs:02d} s"


def _size(path: Path) -> str:
    try:
        return human_size(path.stat().st_size)
    except OSError:
        return ""


def downloads(entry: GuideEntry) -> list[tuple[Path, str]]:
    """Every file of the guide that the manifest says is in place, with its label."""
    files, found = entry.files, []
    if entry.has("audio"):
        found.append((files.mp3, "Audio lesson (MP3)"))
    for paper in entry.papers:
        size = "" if len(entry.papers) == 1 else f", {PAPERS[paper].label}"
        found.append((files.handout(paper), f"Printable handout (PDF{size})"))
        found.append((files.handout(paper, "large-print"), f"Large-print handout (PDF{size})"))
    if entry.has("epub"):
        found.append((files.epub, "Read-along book (EPUB 3, text with narration)"))
    if entry.has("transcript"):
        found += [(files.txt, "Transcript (text)"), (files.vtt, "Captions (WebVTT)"), (files.srt, "Captions (SRT)"),
                  (files.transcript_json, "Transcript (JSON)"), (files.chapters_json, "Chapters (JSON)")]
    return found


def render_guide_page(config: Config, entry: GuideEntry) -> str:
    files, timeline = entry.files, entry.timeline
    links = {"mp3": files.href(files.mp3) if entry.has("audio") else None,
             "vtt": files.href(files.vtt) if entry.has("transcript") else None}
    template = environment(config.templates_dir).get_template("page.html.j2")
    return template.render(
        guide=entry.guide, timeline=timeline, site=config.site, files=links,
        downloads=[Download(files.href(path), label, _size(path)) for path, label in downloads(entry)],
        duration=duration_text(timeline.duration) if timeline else "", clock=clock, pieces=pieces,
        transcript_heading=HEADING, transcript_intro=INTRO,
        updated_text=f"{entry.guide.updated.day} {entry.guide.updated:%B %Y}",
        feed_url="../feed.xml" if config.site.base_url else None,
    )


def write_site(config: Config, manifest: Manifest) -> None:
    """The index page, shared assets and (with a base URL) the feed, for every guide of the project;
    unchanged files are not rewritten."""
    _copy_assets(config)
    entries = []
    for entry in manifest.entries:
        files = entry.files
        links = [Download(files.site_href(path), label, "") for path, label in downloads(entry)[:3]]
        entries.append({"guide": entry.guide, "failed": entry.failed,
                        "page": files.site_href(files.page) if entry.has("web") else None,
                        "duration": duration_text(entry.timeline.duration) if entry.timeline else "",
                        "links": links})
    env = environment(config.templates_dir)
    language = manifest.entries[0].guide.language if manifest.entries else "en"
    site = SiteFiles(config.output_dir)
    feed_url = site.href(site.feed) if config.site.base_url else None
    _write_if_changed(site.index,
                      env.get_template("index.html.j2").render(site=config.site, entries=entries, language=language,
                                                               feed_url=feed_url))
    if not config.site.base_url:
        log.info("no site.base_url in publish.toml: feed.xml skipped (a podcast feed needs absolute addresses)")
        return
    items = [_feed_item(config, entry) for entry in manifest.entries if entry.has("audio") and entry.timeline]
    image = config.site.image or site.href(site.cover)
    image_url = image if image.startswith(("http://", "https://")) else config.site.base_url + image
    if not config.site.image:
        _write_default_cover(config)
    feed = env.get_template("feed.xml.j2").render(site=config.site, items=items, language=language,
                                                  image_url=image_url)
    _write_if_changed(site.feed, feed)


def _feed_item(config: Config, entry: GuideEntry) -> dict:
    files, guide, base = entry.files, entry.guide, config.site.base_url or ""
    published = datetime.combine(guide.updated, time(12, 0), tzinfo=timezone.utc)
    seconds = int(round(entry.timeline.duration)) if entry.timeline else 0
    return {
        "guide": guide,
        "page_url": files.url(base),
        "mp3_url": files.url(base, files.mp3),
        "transcripts": [(files.url(base, path), kind, rel) for path, kind, rel in (
            (files.vtt, "text/vtt", "captions"), (files.srt, "application/x-subrip", "captions"),
            (files.transcript_json, "application/json", ""), (files.transcript_html, "text/html", ""),
        )] if entry.has("transcript") else [],
        "chapters_url": files.url(base, files.chapters_json) if entry.has("transcript") else None,
        "mp3_bytes": files.mp3.stat().st_size if files.mp3.is_file() else 0,
        "guid": f"publish:{guide.slug}",
        "pub_date": format_datetime(published),
        "duration": f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
    }


def _copy_assets(config: Config) -> None:
    source = config.templates_dir / "assets"
    if not source.is_dir():
        return
    for path in sorted(source.iterdir()):
        if path.is_file():
            target = SiteFiles(config.output_dir).assets / path.name
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                write_bytes_atomic(target, path.read_bytes())


def _write_if_changed(target: Path, text: str) -> None:
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return
    write_text_atomic(target, text)


def _write_default_cover(config: Config) -> None:
    """Podcast apps require square artwork; without site.image, draw a plain one with the title."""
    target = SiteFiles(config.output_dir).cover
    if target.is_file():
        return
    write_bytes_atomic(target, title_cover(config.site.title, (1400, 1400)))


def title_cover(title: str, size: tuple[int, int]) -> bytes:
    """A plain PNG cover: the title in white on the site's blue, two words on the first line."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, "#1b4d7a")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=width * 120 // 1400)
    lines = _cover_lines(title, draw, font, width - 240)
    draw.multiline_text((120, height * 2 // 5), "\n".join(lines), fill="#ffffff", font=font, spacing=width // 45)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _cover_lines(title: str, draw, font, width: int) -> list[str]:
    """The title in lines that fit the cover's width, broken between words."""
    lines: list[str] = []
    for word in title.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines
