"""The site's own files, each an output made from the whole manifest after every guide's page: what
they are made from (`Site`, `SiteInputs`), and the simplest of them, the shared assets and the
feeds' drawn cover. The index (`index.py`), the podcast feeds (`feeds.py`), the catalog for reading
apps (`opds.py`), the sitemap (`sitemap.py`) and the search index (`search.py`) are outputs of the
same kind, each in its own module.

Pages and the catalog use relative links so the site works from any folder or server; the feeds
and the sitemap need absolute addresses and are left out, with a notice, without a base URL.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.config import Config, SiteConfig
from publish.outputs.base import Output, keyed
from publish.outputs.files import File, SiteFiles
from publish.outputs.manifest import Manifest


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
    """One of the site's own files (or sets of files), made from the manifest after every page."""

    def key(self, inputs: SiteInputs, paper: str) -> str:
        """What every guide's page shows, and the site's settings and templates: most site files list them all."""
        return keyed(inputs.templates, inputs.site, inputs.pages)


def leftovers_in(folder: Path, made: dict[Path, bytes]) -> list[Path]:
    """Files in a folder only one output writes that it no longer makes."""
    return [old for old in folder.rglob("*") if old.is_file() and old not in made] if folder.is_dir() else []


def draws_cover(site: SiteConfig) -> bool:
    # The feed and its drawn cover exist only with a base URL (a feed needs absolute addresses).
    return bool(site.base_url) and not site.image


class CoverOutput(SiteOutput):
    name = "cover"
    help = "the feeds' drawn cover (with site.base_url and no site.image)"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return (where.files.cover,) if draws_cover(where.config.site) else ()

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.site.title, draws_cover(inputs.site))

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        from publish.outputs.cover import title_cover

        if not draws_cover(material.config.site):
            return {}
        return {material.files.cover.path: title_cover(material.config.site.title, (1400, 1400))}


class AssetsOutput(SiteOutput):
    name = "assets"
    help = "the pages' style sheet and scripts"

    def files(self, where: Site, paper: str) -> tuple[File, ...]:
        return tuple(where.files.asset(source.name) for source in _assets(where.config))

    def key(self, inputs: SiteInputs, paper: str) -> str:
        return keyed(inputs.templates)

    def make(self, material: Site, paper: str) -> dict[Path, bytes]:
        return {material.files.asset(source.name).path: source.read_bytes() for source in _assets(material.config)}


def _assets(config: Config) -> list[Path]:
    source = config.templates_dir / "assets"
    return sorted(p for p in source.iterdir() if p.is_file()) if source.is_dir() else []
