"""The podcast feeds, one per language: `feed.xml` in the site's language and `feed-<lang>.xml` for
each other language that has guides, each with its own channel title, description and episodes.

A podcast app needs absolute addresses (Apple refuses relative enclosures), so the feeds are made
only with `site.base_url`; without one there are none, with a notice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path

from publish.config import DEFAULT_DESCRIPTION, Config
from publish.outputs.files import File, SiteFiles
from publish.outputs.i18n import language_name, same_language, translator
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.site import Site, SiteOutput

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Channel:
    """One language's podcast channel: what it is called and where its feed lies."""

    language: str
    title: str
    description: str
    author: str
    file: File

    @property
    def href(self) -> str:
        """The feed's address from the site's root (the index links it so)."""
        return self.file.url


def site_languages(config: Config, manifest: Manifest) -> list[str]:
    """The site's language first, then every other language a guide is written in."""
    site = config.site.language
    others = {e.guide.language.lower(): e.guide.language for e in manifest.entries
              if not same_language(e.guide.language, site)}
    return [site] + [others[key] for key in sorted(others)]


def channels(config: Config, manifest: Manifest) -> list[Channel]:
    return [channel(config, language) for language in site_languages(config, manifest)]


def channel(config: Config, language: str) -> Channel:
    """A language's channel: `[site]` for the site's own language; for another, its
    `[site.languages.<lang>]` table, and where that leaves a key out, a default from `[site]`
    (its title with the language's name, the stock description in that language)."""
    site = config.site
    file = SiteFiles(config.output_dir).feed_for(language, site.language)
    if same_language(language, site.language):
        return Channel(site.language, site.title, description(config, language), site.author, file)
    own = site.in_language(language)
    return Channel(language, own.title or f"{site.title} ({language_name(language)})",
                   own.description or description(config, language), own.author or site.author, file)


def description(config: Config, language: str) -> str:
    """The site's description in a language: as publish.toml gives it, or the stock one from
    that language's catalog where publish.toml gives none."""
    given = config.site.description
    return translator(language)(DEFAULT_DESCRIPTION) if given == DEFAULT_DESCRIPTION else given


class FeedOutput(SiteOutput):
    name = "feeds"
    help = "a podcast feed per language (with site.base_url)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        site = where.config.site
        if not site.base_url:
            return ()
        # Only where the feeds lie: a build with nothing to do reads no catalog for their words.
        return tuple(where.files.feed_for(code, site.language) for code in site_languages(where.config, where.manifest))

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        config = material.config
        if not config.site.base_url:
            log.info("no site.base_url in publish.toml: feed.xml and sitemap.xml skipped (podcast apps and "
                     "search engines need absolute addresses)")
            return {}
        image = config.site.image or material.files.cover.url
        return feed_files(config, material.manifest, image if image.startswith(("http://", "https://"))
                          else config.site.base_url + image)


def feed_files(config: Config, manifest: Manifest, image_url: str) -> dict[Path, bytes]:
    """Every language's feed, each listing the episodes of the guides written in it."""
    from publish.outputs.templating import environment

    made = {}
    for each in channels(config, manifest):
        entries = [e for e in manifest.entries if same_language(e.guide.language, each.language)]
        items = [item for entry in entries if (item := _feed_item(config, entry))]
        template = environment(config.templates_dir, each.language).get_template("feed.xml.j2")
        feed = template.render(site=config.site, channel=each, items=items, language=each.language,
                               image_url=image_url)
        made[each.file.path] = feed.encode("utf-8")
    return made


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
