"""The site's own files, each an output made from the whole manifest: the index of every guide,
the shared assets and, with a base URL, the podcast feed and its drawn cover.

Pages use relative links so the site works from any folder or server; the feed needs absolute
addresses and is left out, with a notice, when no base URL is configured.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path

from publish.config import Config, SiteConfig
from publish.outputs.base import Output, keyed
from publish.outputs.files import Audience, File, SiteFiles
from publish.outputs.i18n import phrase
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.page import Download
from publish.outputs.shown import duration_text

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Site:
    """Where the site's files go, and all they are made from."""

    config: Config
    manifest: Manifest

    @property
    def files(self) -> SiteFiles:
        return SiteFiles(self.config.output_dir)


@dataclass(frozen=True)
class SiteInputs:
    """What the site's files show: every guide as its page shows it."""

    templates: str  # the templates folder's digest
    site: SiteConfig
    pages: tuple[tuple[str, bool, str], ...]  # each guide: its slug, whether its page is in place, the page's key


class SiteOutput(Output[Site, SiteInputs, Site]):
    """One of the site's own files, made from the manifest after every guide's page."""


class IndexOutput(SiteOutput):
    name = "index"
    help = "the site's index of every guide"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.index,)

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.templates, inputs.site, inputs.pages)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        from publish.outputs.templating import environment

        config, files = material.config, material.files
        env = environment(config.templates_dir, config.site.language)
        index = env.get_template("index.html.j2").render(
            site=config.site, entries=[_index_entry(e) for e in material.manifest.entries], language=config.site.language,
            feed_url=files.feed.url if config.site.base_url else None)
        return {files.index.path: index.encode("utf-8")}


class FeedOutput(SiteOutput):
    name = "feed"
    help = "the podcast feed (with site.base_url)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.feed,) if where.config.site.base_url else ()

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.templates, inputs.site, inputs.pages)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        from publish.outputs.templating import environment

        config, files = material.config, material.files
        if not config.site.base_url:
            log.info("no site.base_url in publish.toml: feed.xml skipped (a podcast feed needs absolute addresses)")
            return {}
        items = [item for entry in material.manifest.entries if (item := _feed_item(config, entry))]
        image = config.site.image or files.cover.url
        image_url = image if image.startswith(("http://", "https://")) else config.site.base_url + image
        feed = environment(config.templates_dir, config.site.language).get_template("feed.xml.j2").render(
            site=config.site, items=items, language=config.site.language, image_url=image_url)
        return {files.feed.path: feed.encode("utf-8")}


def _draws_cover(site: SiteConfig) -> bool:
    # The feed and its drawn cover exist only with a base URL (a feed needs absolute addresses).
    return bool(site.base_url) and not site.image


class CoverOutput(SiteOutput):
    name = "cover"
    help = "the feed's drawn cover (with site.base_url and no site.image)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.cover,) if _draws_cover(where.config.site) else ()

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.site.title, _draws_cover(inputs.site))

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        from publish.outputs.cover import title_cover

        if not _draws_cover(material.config.site):
            return {}
        return {material.files.cover.path: title_cover(material.config.site.title, (1400, 1400))}


class AssetsOutput(SiteOutput):
    name = "assets"
    help = "the pages' style sheet and script"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return tuple(where.files.asset(source.name) for source in _assets(where.config))

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.templates)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        return {material.files.asset(source.name).path: source.read_bytes() for source in _assets(material.config)}


def _assets(config: Config) -> list[Path]:
    source = config.templates_dir / "assets"
    return sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else []


def _index_entry(entry: GuideEntry) -> dict[str, object]:
    """A guide's card on the index, in the guide's own language: its page and its first downloads."""
    files, language = entry.files, entry.guide.language
    return {"guide": entry.guide, "failed": entry.failed, "_": phrase(language),
            "page": files.page.url if files.page in entry.made else None,
            "duration": duration_text(entry.timeline.duration, language) if entry.timeline else "",
            "links": [Download(file.url, file.label, "") for file in entry.offered(Audience.READERS)[:3]]}


def _feed_item(config: Config, entry: GuideEntry) -> dict[str, object] | None:
    """A guide's episode, when its MP3 and timeline are in place."""
    files, guide, base = entry.files, entry.guide, config.site.base_url or ""
    if files.mp3 not in entry.made or entry.timeline is None:
        return None
    published = datetime.combine(guide.updated, time(12, 0), tzinfo=timezone.utc)
    seconds = int(round(entry.timeline.duration))
    transcripts = [(file, rel) for file, rel in ((files.vtt, "captions"), (files.srt, "captions"),
                                                 (files.transcript_json, ""), (files.transcript_html, ""))
                   if file in entry.made]
    return {
        "guide": guide,
        "page_url": files.url(base),
        "mp3_url": files.url(base, files.mp3),
        "transcripts": [(files.url(base, file), file.media_type, rel) for file, rel in transcripts],
        "chapters_url": files.url(base, files.chapters_json) if files.chapters_json in entry.made else None,
        "mp3_bytes": files.mp3.size or 0,
        "guid": f"publish:{guide.slug}",
        "pub_date": format_datetime(published),
        "duration": f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}",
    }
