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

    @property
    def cover(self) -> Path:
        return self.output / "cover.png"

    @property
    def assets(self) -> Path:
        return self.output / "assets"

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
    def brf(self) -> Path:
        return self._named(".brf")

    @property
    def pef(self) -> Path:
        return self._named(".pef")

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
