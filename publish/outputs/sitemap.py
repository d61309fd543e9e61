"""`sitemap.xml`: every page of the site for search engines, each with the language it is written
in (`hreflang`). A sitemap needs absolute addresses, so it is made only with `site.base_url`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.config import Config
from publish.outputs.files import File, SiteFiles
from publish.outputs.manifest import Manifest
from publish.outputs.site import Site, SiteOutput


@dataclass(frozen=True)
class Address:
    url: str
    language: str  # an hreflang value: a language tag, or `x-default` for the page of every language
    updated: str  # YYYY-MM-DD, or "" where the page has no date of its own


def addresses(config: Config, manifest: Manifest) -> list[Address]:
    """The index (for readers of every language: it lists them all), then every guide's page."""
    base, site = config.site.base_url or "", SiteFiles(config.output_dir)
    latest = max((e.guide.updated for e in manifest.entries), default=None)
    pages = [Address(base + site.index.url, "x-default", latest.isoformat() if latest else "")]
    return pages + [Address(entry.files.url(base, entry.files.page), entry.guide.language, entry.guide.updated.isoformat())
                    for entry in manifest.entries if entry.files.page in entry.made]


class SitemapOutput(SiteOutput):
    name = "sitemap"
    help = "the sitemap for search engines (with site.base_url)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.sitemap,) if where.config.site.base_url else ()

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        if not material.config.site.base_url:
            return {}
        return {material.files.sitemap.path: sitemap(material.config, material.manifest)}


def sitemap(config: Config, manifest: Manifest) -> bytes:
    from publish.outputs.templating import environment

    template = environment(config.templates_dir, config.site.language).get_template("sitemap.xml.j2")
    return template.render(pages=addresses(config, manifest)).encode("utf-8")
