"""The podcast feeds, one per language: `feed.xml` in the site's language and `feed-<lang>.xml` for
each other language that has guides, each with its own channel title, description and episodes.

A podcast app needs absolute addresses (Apple refuses relative enclosures), so the feeds are made
only with `site.base_url`; the caller skips them, with a notice, without one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timezone
from email.utils import format_datetime
from pathlib import Path

from publish.config import DEFAULT_DESCRIPTION, Config
from publish.outputs.files import SiteFiles
from publish.outputs.i18n import language_name, same_language, translator
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.registry import AUDIO, TRANSCRIPT
from publish.outputs.shown import media_type


@dataclass(frozen=True)
class Channel:
    """One language's podcast channel: what it is called and where its feed lies."""

    language: str
    title: str
    description: str
    author: str
    path: Path
    href: str  # the feed's address from the site's root (the index links it so)


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
    site, files = config.site, SiteFiles(config.output_dir)
    path = files.feed_for(language, site.language)
    if same_language(language, site.language):
        return Channel(site.language, site.title, description(config, language), site.author, path, files.href(path))
    own = site.in_language(language)
    return Channel(language, own.title or f"{site.title} ({language_name(language)})",
                   own.description or description(config, language), own.author or site.author, path, files.href(path))


def description(config: Config, language: str) -> str:
    """The site's description in a language: as publish.toml gives it, or the stock one from
    that language's catalog where publish.toml gives none."""
    given = config.site.description
    return translator(language)(DEFAULT_DESCRIPTION) if given == DEFAULT_DESCRIPTION else given


def feed_files(config: Config, manifest: Manifest, image_url: str) -> dict[Path, bytes]:
    """Every language's feed, each listing the episodes of the guides written in it."""
    from publish.outputs.templating import environment

    made = {}
    for each in channels(config, manifest):
        entries = [e for e in manifest.entries if same_language(e.guide.language, each.language)]
        items = [_feed_item(config, entry) for entry in entries if entry.has(AUDIO) and entry.timeline]
        template = environment(config.templates_dir, each.language).get_template("feed.xml.j2")
        feed = template.render(site=config.site, channel=each, items=items, language=each.language,
                               image_url=image_url)
        made[each.path] = feed.encode("utf-8")
    return made


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
