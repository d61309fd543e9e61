"""One owner for every output's file name: `GuideFiles` for a guide, `SiteFiles` for the site,
and the handout editions.

The formats (`publish.outputs.registry`), the pages, the feed and the tests all ask a guide's
`GuideFiles` where a file is and what its address is; no file name is spelled anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from publish.digest import file_digest
from publish.outputs.i18n import N_
from publish.paper import DEFAULT_PAPER


@dataclass(frozen=True)
class Edition:
    """One edition of the handout: every paper size gets each."""

    name: str  # the handout's class, which its stylesheets style
    suffix: str  # added to the file name
    label: str  # as the page's downloads name it
    stylesheet: str | None  # a template added after handout.css


STANDARD = Edition("standard", "", N_("Printable handout"), None)
LARGE_PRINT = Edition("large-print", "-large-print", N_("Large-print handout"), "large-print.css")
EDITIONS = (STANDARD, LARGE_PRINT)


def image_name(source: Path) -> str:
    """An image's name in the site and the book, made from its bytes: a changed image gets a new
    address, so no browser or proxy shows the old one from its cache."""
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")[:40] or "image"
    return f"{stem}-{file_digest(source)[:12]}{source.suffix.lower()}"


@dataclass(frozen=True)
class SiteFiles:
    """The site's own files, beside the guides' folders."""

    output: Path

    @property
    def index(self) -> Path:
        return self.output / "index.html"

    @property
    def feed(self) -> Path:
        return self.output / "feed.xml"

    def feed_for(self, language: str, site_language: str) -> Path:
        """The podcast feed of a language: `feed.xml` for the site's own, `feed-es.xml` for another."""
        if language.lower() == site_language.lower():
            return self.feed
        return self.output / f"feed-{language.lower()}.xml"

    @property
    def cover(self) -> Path:
        return self.output / "cover.png"

    @property
    def assets(self) -> Path:
        return self.output / "assets"

    @property
    def opds(self) -> Path:
        """The catalog's root for reading apps: every guide's book, handouts and lesson."""
        return self.output / "opds.xml"

    def opds_for(self, language: str, kind: str = "") -> Path:
        """A language's catalog: its navigation feed (`opds-es.xml`), or one of its acquisition
        feeds (`kind`: `all`, by title; `new`, the latest updated first)."""
        return self.output / f"opds-{language.lower()}{'-' + kind if kind else ''}.xml"

    @property
    def sitemap(self) -> Path:
        return self.output / "sitemap.xml"

    @property
    def covers(self) -> Path:
        """Each guide's thumbnail for the catalog; nothing else is kept there."""
        return self.output / "covers"

    def thumbnail(self, slug: str) -> Path:
        return self.covers / f"{slug}.png"

    @property
    def search(self) -> Path:
        """The search index (Pagefind's bundle); nothing else is kept there."""
        return self.output / "pagefind"

    @property
    def search_entry(self) -> Path:
        """The file a search reads first: its languages and the index's version."""
        return self.search / "pagefind-entry.json"

    def href(self, path: Path) -> str:
        return path.relative_to(self.output).as_posix()


@dataclass(frozen=True)
class GuideFiles:
    """Where each output of one guide lives, and its address on the site.

    The guide's own paper size keeps the plain handout names; other sizes get a suffix
    (`slug-letter.pdf`), so a build for another size never writes over the usual files.
    """

    output: Path
    slug: str
    own_paper: str = DEFAULT_PAPER

    @property
    def folder(self) -> Path:
        return self.output / self.slug

    def _named(self, suffix: str) -> Path:
        return self.folder / f"{self.slug}{suffix}"

    @property
    def mp3(self) -> Path:
        return self._named(".mp3")

    @property
    def timeline(self) -> Path:
        return self._named(".timeline.json")

    @property
    def txt(self) -> Path:
        return self._named(".txt")

    @property
    def md(self) -> Path:
        return self._named(".md")

    @property
    def vtt(self) -> Path:
        return self._named(".vtt")

    @property
    def srt(self) -> Path:
        return self._named(".srt")

    @property
    def transcript_json(self) -> Path:
        return self._named(".transcript.json")

    @property
    def chapters_json(self) -> Path:
        return self._named(".chapters.json")

    @property
    def transcript_html(self) -> Path:
        return self._named(".transcript.html")

    @property
    def epub(self) -> Path:
        return self._named(".epub")

    @property
    def page(self) -> Path:
        return self.folder / "index.html"

    @property
    def images(self) -> Path:
        """The page's copies of the guide's images; nothing else is kept there."""
        return self.folder / "images"

    def image(self, source: Path) -> Path:
        """The page's copy of one of the guide's images."""
        return self.images / image_name(source)

    def handout(self, paper: str, edition: Edition = STANDARD) -> Path:
        return self._named(f"{self.paper_suffix(paper)}{edition.suffix}.pdf")

    def paper_suffix(self, paper: str) -> str:
        """`""` for the guide's own paper size, `-letter` for another."""
        return "" if paper == self.own_paper else f"-{paper}"

    def href(self, path: Path) -> str:
        """A link to one of this guide's files from its own page."""
        return path.relative_to(self.folder).as_posix()

    def site_href(self, path: Path) -> str:
        """A link from the site's index page."""
        return path.relative_to(self.output).as_posix()

    def url(self, base: str, path: Path | None = None) -> str:
        """The absolute address of the guide's page (or one of its files) under the site's base URL."""
        return base + (self.site_href(path) if path else f"{self.slug}/")
