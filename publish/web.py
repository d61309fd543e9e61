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
from publish.model import Guide
from publish.templating import environment
from publish.timeline import Timeline, read_timeline
from publish.transcript import HEADING, INTRO, clock
from publish.writer import write_bytes_atomic, write_text_atomic

log = logging.getLogger(__name__)

DOWNLOADS = (
    ("mp3", "{slug}.mp3", "Audio lesson (MP3)"),
    ("pdf", "{slug}.pdf", "Printable handout (PDF)"),
    ("large", "{slug}-large-print.pdf", "Large-print handout (PDF)"),
    ("txt", "{slug}.txt", "Transcript (text)"),
    ("vtt", "{slug}.vtt", "Captions (WebVTT)"),
    ("srt", "{slug}.srt", "Captions (SRT)"),
    ("json", "{slug}.transcript.json", "Transcript (JSON)"),
    ("chapters", "{slug}.chapters.json", "Chapters (JSON)"),
)


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    size: str


def human_size(count: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "bytes" else f"{count:.1f} {unit}"
        count /= 1000
    return ""


def duration_text(seconds: float) -> str:
    minutes, secs = divmod(int(round(seconds)), 60)
    return f"{minutes} min {secs:02d} s"


def _files(folder: Path, slug: str) -> dict[str, str | None]:
    return {key: (name.format(slug=slug) if (folder / name.format(slug=slug)).is_file() else None)
            for key, name, _ in DOWNLOADS}


def render_guide_page(config: Config, guide: Guide, timeline: Timeline | None, outputs: dict[str, list[Path]]) -> str:
    folder = outputs["web"][0].parent
    files = _files(folder, guide.slug)
    if timeline is not None and not files["mp3"]:
        files["mp3"] = f"{guide.slug}.mp3"  # a timeline without its MP3: link where the build writes it
    downloads = [Download(files[key], label, human_size((folder / files[key]).stat().st_size))
                 for key, _, label in DOWNLOADS if files[key]]
    template = environment(config.templates_dir).get_template("page.html.j2")
    return template.render(
        guide=guide, timeline=timeline, site=config.site, files=files, downloads=downloads,
        duration=duration_text(timeline.duration) if timeline else "", clock=clock,
        transcript_heading=HEADING, transcript_intro=INTRO,
        updated_text=f"{guide.updated.day} {guide.updated:%B %Y}",
        feed_url="../feed.xml" if config.site.base_url else None,
    )


def write_site(config: Config, guides: list[Guide]) -> None:
    """The index page, shared assets and (with a base URL) the feed; unchanged files are not rewritten."""
    guides = sorted(guides, key=lambda g: g.title.lower())
    _copy_assets(config)
    entries = []
    for guide in guides:
        folder = config.output_dir / guide.slug
        timeline = read_timeline(folder / f"{guide.slug}.timeline.json")
        files = _files(folder, guide.slug)
        links = [Download(f"{guide.slug}/{files[key]}", label, "") for key, _, label in DOWNLOADS[:3] if files[key]]
        entries.append({"guide": guide, "duration": duration_text(timeline.duration) if timeline else "",
                        "links": links, "timeline": timeline})
    env = environment(config.templates_dir)
    language = guides[0].language if guides else "en"
    feed_url = "feed.xml" if config.site.base_url else None
    _write_if_changed(config.output_dir / "index.html",
                      env.get_template("index.html.j2").render(site=config.site, entries=entries, language=language,
                                                               feed_url=feed_url))
    if not config.site.base_url:
        log.info("no site.base_url in publish.toml: feed.xml skipped (a podcast feed needs absolute addresses)")
        return
    items = [_feed_item(config, e["guide"], e["timeline"]) for e in entries if e["timeline"]]
    image = config.site.image or "cover.png"
    image_url = image if image.startswith(("http://", "https://")) else config.site.base_url + image
    if not config.site.image:
        _write_default_cover(config)
    feed = env.get_template("feed.xml.j2").render(site=config.site, items=[i for i in items if i], language=language,
                                                  image_url=image_url)
    _write_if_changed(config.output_dir / "feed.xml", feed)


def _feed_item(config: Config, guide: Guide, timeline: Timeline) -> dict | None:
    mp3 = config.output_dir / guide.slug / f"{guide.slug}.mp3"
    if not mp3.is_file():
        return None
    base = f"{config.site.base_url}{guide.slug}/{guide.slug}"
    published = datetime.combine(guide.updated, time(12, 0), tzinfo=timezone.utc)
    seconds = int(round(timeline.duration))
    return {
        "guide": guide,
        "base": base,
        "page_url": f"{config.site.base_url}{guide.slug}/",
        "mp3_url": f"{base}.mp3",
        "mp3_bytes": mp3.stat().st_size,
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
            target = config.output_dir / "assets" / path.name
            if not target.is_file() or target.read_bytes() != path.read_bytes():
                write_bytes_atomic(target, path.read_bytes())


def _write_if_changed(target: Path, text: str) -> None:
    if target.is_file() and target.read_text(encoding="utf-8") == text:
        return
    write_text_atomic(target, text)


def _write_default_cover(config: Config) -> None:
    """Podcast apps require square artwork; without site.image, draw a plain one with the title."""
    target = config.output_dir / "cover.png"
    if target.is_file():
        return
    import io

    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (1400, 1400), "#1b4d7a")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=120)
    draw.multiline_text((120, 560), config.site.title.replace(" ", "\n", 1), fill="#ffffff", font=font, spacing=30)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    write_bytes_atomic(target, buffer.getvalue())
