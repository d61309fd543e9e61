"""One owner for every output's name: the tables of formats and paper sizes, and `GuideFiles`.

The build, the pages, the feed and the tests all ask a guide's `GuideFiles` where a file is and
what its address is; no file name is spelled anywhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# A slug names the guide's folder and files: lowercase words joined by hyphens, and not a name the
# site itself uses (or that Windows cannot store).
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"index", "feed", "assets", "con", "prn", "aux", "nul"}


@dataclass(frozen=True)
class Paper:
    name: str  # as written in guides, publish.toml and --paper
    css: str  # the CSS @page size
    label: str  # as shown to readers


PAPERS: dict[str, Paper] = {
    "a4": Paper("a4", "A4", "A4"),
    "letter": Paper("letter", "Letter", "US Letter"),
}

# Output formats, in build order, with what each makes (for --only and its help).
FORMATS: dict[str, str] = {
    "audio": "the narrated MP3 and its timeline",
    "transcript": "transcripts and captions",
    "pdf": "the handouts, standard and large print",
    "epub": "the read-along book: EPUB 3 with the lesson's narration synchronised to its transcript",
    "web": "the guide's web page",
}

EDITIONS: dict[str, str] = {"standard": "", "large-print": "-large-print"}  # edition → file name suffix


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
    own_paper: str = "a4"

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

    def handout(self, paper: str, edition: str = "standard") -> Path:
        size = "" if paper == self.own_paper else f"-{paper}"
        return self._named(f"{size}{EDITIONS[edition]}.pdf")

    def pdf_step(self, paper: str) -> str:
        """The state's name for one paper size's handouts: `pdf`, or `pdf-letter` for another size."""
        return "pdf" if paper == self.own_paper else f"pdf-{paper}"

    def for_step(self, step: str) -> tuple[Path, ...]:
        """The files one build step writes."""
        if step == "audio":
            return (self.mp3, self.timeline)
        if step == "transcript":
            return (self.txt, self.md, self.vtt, self.srt, self.transcript_json, self.chapters_json,
                    self.transcript_html)
        if step == "web":
            return (self.page,)
        if step == "epub":
            return (self.epub,)
        paper = self.own_paper if step == "pdf" else step.removeprefix("pdf-")
        return tuple(self.handout(paper, edition) for edition in EDITIONS)

    def href(self, path: Path) -> str:
        """A link to one of this guide's files from its own page."""
        return path.relative_to(self.folder).as_posix()

    def site_href(self, path: Path) -> str:
        """A link from the site's index page."""
        return path.relative_to(self.output).as_posix()

    def url(self, base: str, path: Path | None = None) -> str:
        """The absolute address of the guide's page (or one of its files) under the site's base URL."""
        return base + (self.site_href(path) if path else f"{self.slug}/")
