"""The site's own files: the index of every guide, the shared assets and, with a base URL, the
podcast feed and its drawn cover. Made as bytes from the manifest; the build writes them.

Pages use relative links so the site works from any folder or server; the feed needs absolute
addresses and is left out, with a notice, when no base URL is configured.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path

from publish.config import Config
from publish.outputs.files import SiteFiles
from publish.outputs.i18n import phrase, translator
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.page import Download
from publish.outputs.registry import AUDIO, PAGE, TRANSCRIPT
from publish.outputs.shown import duration_text, media_type

log = logging.getLogger(__name__)


def _assets(config: Config) -> list[Path]:
    source = config.templates_dir / "assets"
    return sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else []


def _draws_cover(config: Config) -> bool:
    # The feed and its drawn cover exist only with a base URL (a feed needs absolute addresses).
    return bool(config.site.base_url) and not config.site.image


def expected_files(config: Config) -> list[Path]:
    """Every file of the site this configuration makes, whatever the guides."""
    site = SiteFiles(config.output_dir)
    wanted = [site.index] + ([site.feed] if config.site.base_url else []) + ([site.cover] if _draws_cover(config) else [])
    return wanted + [site.assets / p.name for p in _assets(config)]


def site_files(config: Config, manifest: Manifest) -> dict[Path, bytes]:
    """The index page, the shared assets and (with a base URL) the feed and cover, for every guide."""
    from publish.outputs.cover import title_cover
    from publish.outputs.templating import environment

    site = SiteFiles(config.output_dir)
    made = {site.assets / path.name: path.read_bytes() for path in _assets(config)}
    language = config.site.language
    env = environment(config.templates_dir, language)
    feed_url = site.href(site.feed) if config.site.base_url else None
    index = env.get_template("index.html.j2").render(site=config.site, entries=[_index_entry(e) for e in manifest.entries],
                                                     language=language, feed_url=feed_url)
    made[site.index] = index.encode("utf-8")
    if not config.site.base_url:
        log.info("no site.base_url in publish.toml: feed.xml skipped (a podcast feed needs absolute addresses)")
        return made
    items = [_feed_item(config, entry) for entry in manifest.entries if entry.has(AUDIO) and entry.timeline]
    image = config.site.image or site.href(site.cover)
    image_url = image if image.startswith(("http://", "https://")) else config.site.base_url + image
    if _draws_cover(config):
        made[site.cover] = title_cover(config.site.title, (1400, 1400))
    feed = env.get_template("feed.xml.j2").render(site=config.site, items=items, language=language, image_url=image_url)
    made[site.feed] = feed.encode("utf-8")
    return made


def _index_entry(entry: GuideEntry) -> dict:
    """A guide's card on the index, in the guide's own language."""
    files, language = entry.files, entry.guide.language
    return {"guide": entry.guide, "failed": entry.failed, "_": phrase(language),
            "page": files.site_href(files.page) if entry.has(PAGE) else None,
            "duration": duration_text(entry.timeline.duration, language) if entry.timeline else "",
            "links": [Download(files.site_href(path), label, "")
                      for path, label in entry.downloads(translator(language))[:3]]}


def _feed_item(config: Config, entry: GuideEntry) -> dict:
    files, guide, base = entry.files, entry.guide, config.site.base_url or ""
    published = datetime.combine(guide.updated, time(12, 0), tzinfo=timezone.utc)
    seconds = int(round(entry.timeline.duration)) if entry.timeline else 0
    transcripts = TRANSCRIPT.feed_transcripts(files) if entry.has(TRANSCRIPT) else []
    return {
        "guide": guide,
        "page_url": files.url(base),
        "mp3_url": files.url(base, files.mp3),
        "transcripts": [(files.url(base, path), media_type(path), rel) for path, rel in transcripts],
        "chapters_url": files.url(base, files.chapters_json) if entry.has(TRANSCRIPT) else None,
        "mp3_bytes": files.mp3.stat().st_size if files.mp3.is_file() else 0,
        "guid": f"publish:{guide.slug}",
        "pub_date": format_datetime(published),
        "duration": f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
    }
