"""The site's own files: the index of every guide with its search, the shared assets, the
catalog for reading apps (OPDS) and, with a base URL, the podcast feeds (one per language), their
drawn cover and the sitemap. Made as bytes from the manifest; the build writes them.

Pages and the catalog use relative links so the site works from any folder or server; the feeds
and the sitemap need absolute addresses and are left out, with a notice, when no base URL is
configured.
"""

from __future__ import annotations

import logging
from pathlib import Path

from publish.config import Config
from publish.outputs.files import SiteFiles
from publish.guide.fields import FIELDS
from publish.outputs.i18n import language_name, phrase, translator
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.page import Download
from publish.outputs.registry import PAGE
from publish.outputs.shown import duration_text

log = logging.getLogger(__name__)


def _assets(config: Config) -> list[Path]:
    source = config.templates_dir / "assets"
    return sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else []


def _draws_cover(config: Config) -> bool:
    # The feed and its drawn cover exist only with a base URL (a feed needs absolute addresses).
    return bool(config.site.base_url) and not config.site.image


def expected_files(config: Config, manifest: Manifest) -> list[Path]:
    """Every file of the site this configuration makes for these guides (their names only: a
    build with nothing to do checks they are in place without making any)."""
    from publish.outputs.feeds import channels
    from publish.outputs.opds import catalog_paths, thumbnail_paths

    site = SiteFiles(config.output_dir)
    wanted = [site.index, site.search_entry, *catalog_paths(config, manifest), *thumbnail_paths(config, manifest)]
    if config.site.base_url:
        wanted += [each.path for each in channels(config, manifest)] + [site.sitemap]
    wanted += [site.cover] if _draws_cover(config) else []
    return wanted + [site.assets / p.name for p in _assets(config)]


def owned_folders(config: Config) -> list[Path]:
    """Folders holding only what the site step makes: a file there it no longer makes is stale
    (the search index's parts are named by their contents, so every change leaves old ones)."""
    site = SiteFiles(config.output_dir)
    return [site.search, site.covers]


def site_files(config: Config, manifest: Manifest) -> dict[Path, bytes]:
    """The index page, the shared assets, the search index, the catalog (OPDS) and, with a base URL,
    the podcast feeds, their cover and the sitemap, for every guide."""
    from publish.outputs.opds import opds_files
    from publish.outputs.search import search_files

    site = SiteFiles(config.output_dir)
    made = {site.assets / path.name: path.read_bytes() for path in _assets(config)}
    made[site.index] = _index_page(config, manifest).encode("utf-8")
    made.update(opds_files(config, manifest))
    made.update(search_files(config, manifest))
    if not config.site.base_url:
        log.info("no site.base_url in publish.toml: feed.xml and sitemap.xml skipped (podcast apps and "
                 "search engines need absolute addresses)")
        return made
    return made | _addressed_files(config, manifest)


def _addressed_files(config: Config, manifest: Manifest) -> dict[Path, bytes]:
    """What needs the site's absolute address: the feeds with their cover, and the sitemap."""
    from publish.outputs.cover import title_cover
    from publish.outputs.feeds import feed_files
    from publish.outputs.sitemap import sitemap

    site, base = SiteFiles(config.output_dir), config.site.base_url or ""
    image = config.site.image or site.href(site.cover)
    made = feed_files(config, manifest, image if image.startswith(("http://", "https://")) else base + image)
    if _draws_cover(config):
        made[site.cover] = title_cover(config.site.title, (1400, 1400))
    made[site.sitemap] = sitemap(config, manifest)
    return made


def _index_page(config: Config, manifest: Manifest) -> str:
    from publish.outputs.feeds import channels, description, site_languages
    from publish.outputs.templating import environment

    language, site = config.site.language, SiteFiles(config.output_dir)
    feeds = channels(config, manifest) if config.site.base_url else []
    fields = sorted({e.guide.career_field for e in manifest.entries if e.guide.career_field})
    _ = translator(language)
    return environment(config.templates_dir, language).get_template("index.html.j2").render(
        site=config.site, description=description(config, language),
        entries=[_index_entry(e) for e in manifest.entries], language=language,
        feeds=[(each, language_name(each.language)) for each in feeds],
        languages=[(code, language_name(code)) for code in site_languages(config, manifest)],
        fields=[(key, _(FIELDS[key])) for key in fields], catalog=site.href(site.opds),
        search=site.href(site.search) + "/")


def _index_entry(entry: GuideEntry) -> dict:
    """A guide's card on the index, in the guide's own language."""
    files, guide, language = entry.files, entry.guide, entry.guide.language
    return {"guide": guide, "failed": entry.failed, "_": phrase(language),
            "page": files.site_href(files.page) if entry.has(PAGE) else None,
            "duration": duration_text(entry.timeline.duration, language) if entry.timeline else "",
            "field": translator(language)(FIELDS[guide.career_field]) if guide.career_field else "",
            "links": [Download(files.site_href(path), label, "")
                      for path, label in entry.downloads(translator(language))[:3]]}
