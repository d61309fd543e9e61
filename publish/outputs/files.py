"""One owner for every output's file name: `GuideFiles` for a guide, `SiteFiles` for the site,
and the handout editions.

The formats (`publish.outputs.registry`), the pages, the feed and the tests all ask a guide's
`GuideFiles` where a file is and what its address is; no file name is spelled anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.paper import DEFAULT_PAPER


@dataclass(frozen=True)
class Edition:
    """One edition of the handout: every paper size gets each."""

    name: str  # the handout's class, which its stylesheets style
    suffix: str  # added to the file name
    label: str  # as the page's downloads name it
    stylesheet: str | None  # a template added after handout.css


STANDARD = Edition("standard", "", "Printable handout", None)
LARGE_PRINT = Edition("large-print", "-large-print", "Large-print handout", "large-print.css")
EDITIONS = (STANDARD, LARGE_PRINT)


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
    def page(self) -> Path:
        return self.folder / "index.html"

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
