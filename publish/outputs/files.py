"""One object owns each file's facts: a `File` holds where it is written, its address on the site,
its media type, its label in the guide's language and whom it is for; its size is read from disk.

`GuideFiles` makes every file of one guide, `SiteFiles` the site's own; the formats
(`publish.outputs.registry`), the pages, the feeds and the tests all ask them. No file name,
address or media type is spelled anywhere else.
"""

from __future__ import annotations

import enum
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from publish.digest import file_digest
from publish.outputs.i18n import N_, translator
from publish.paper import DEFAULT_PAPER, PAPERS

# Media types by file ending: for the feeds, the book's manifest, the MP3's cover art and the
# preview server. EPUB 3 reading systems must show the image types listed here.
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html",
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
    ".brf": "text/plain",  # braille ASCII: what embossers and note-takers read
    ".pef": "application/x-pef+xml",
    ".xml": "application/xml",
    ".css": "text/css",
    ".js": "text/javascript",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
}
IMAGE_TYPES = {suffix: kind for suffix, kind in MEDIA_TYPES.items() if kind.startswith("image/")}


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


class Audience(enum.Enum):
    """Whom a file is for, which says where the guide's page offers it."""

    READERS = "readers"  # listed among the page's downloads
    PROGRAMS = "programs"  # captions and JSON for podcast apps and players: listed under their own heading
    SITE = "site"  # the site's own (the page, its images, the timeline): not offered for download


@dataclass(frozen=True)
class File:
    path: Path  # where it is written
    url: str  # its address from the site's root: `slug/slug.mp3`
    media_type: str
    # What the guide's page calls it, as catalog message ids (a name, then what follows it in
    # brackets: "Printable handout", "PDF", "US Letter"), and the language it is said in. Kept
    # untranslated until it is shown, so a build with nothing to do reads no catalog.
    names: tuple[str, ...] = ()
    language: str = "en"
    audience: Audience = Audience.SITE

    @property
    def label(self) -> str:
        """`Printable handout (PDF, US Letter)`, in the guide's language; "" for a file not offered."""
        if not self.names:
            return ""
        _ = translator(self.language)
        first, *rest = self.names
        return f"{_(first)} ({', '.join(map(_, rest))})" if rest else _(first)

    def href_from(self, folder: str) -> str:
        """A relative link to it from a page in `folder` (an address from the site's root: "" or `slug/`)."""
        return posixpath.relpath(self.url, folder or ".")

    @property
    def size(self) -> int | None:
        """Its size in bytes as it lies on disk now, or None when it is not there."""
        try:
            return self.path.stat().st_size
        except OSError:
            return None


@dataclass(frozen=True)
class Edition:
    """One edition of the handout: every paper size gets each."""

    name: str  # the handout's class, which its stylesheets style
    suffix: str  # added to the file name
    label: str  # as the page's downloads name it (a catalog message id)
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

    def _file(self, name: str) -> File:
        return File(self.output / name, name, media_type(Path(name)))

    @property
    def index(self) -> File:
        return self._file("index.html")

    @property
    def feed(self) -> File:
        return self._file("feed.xml")

    def feed_for(self, language: str, site_language: str) -> File:
        """The podcast feed of a language: `feed.xml` for the site's own, `feed-es.xml` for another."""
        if language.lower() == site_language.lower():
            return self.feed
        return self._file(f"feed-{language.lower()}.xml")

    @property
    def cover(self) -> File:
        return self._file("cover.png")

    def asset(self, name: str) -> File:
        return self._file(f"assets/{name}")

    @property
    def opds(self) -> File:
        """The catalog's root for reading apps: every guide's book, handouts and lesson."""
        return self._file("opds.xml")

    def opds_for(self, language: str, kind: str = "") -> File:
        """A language's catalog: its navigation feed (`opds-es.xml`), or one of its acquisition
        feeds (`kind`: `all`, by title; `new`, the latest updated first)."""
        return self._file(f"opds-{language.lower()}{'-' + kind if kind else ''}.xml")

    @property
    def sitemap(self) -> File:
        return self._file("sitemap.xml")

    @property
    def covers(self) -> Path:
        """The folder of each guide's thumbnail for the catalog; nothing else is kept there."""
        return self.output / "covers"

    def thumbnail(self, slug: str) -> File:
        return self._file(f"covers/{slug}.png")

    @property
    def search(self) -> Path:
        """The folder of the search index (Pagefind's bundle); nothing else is kept there."""
        return self.output / "pagefind"

    def search_file(self, name: str) -> File:
        """A file of Pagefind's bundle, by its name there."""
        return self._file(f"pagefind/{name}")

    @property
    def search_entry(self) -> File:
        """The file a search reads first: its languages and the index's version."""
        return self.search_file("pagefind-entry.json")


@dataclass(frozen=True)
class GuideFiles:
    """Every file of one guide, with its address on the site and its label in the guide's language.

    The guide's own paper size keeps the plain handout names; other sizes get a suffix
    (`slug-letter.pdf`), so a build for another size never writes over the usual files.
    """

    output: Path
    slug: str
    own_paper: str = DEFAULT_PAPER
    language: str = "en"

    @property
    def folder(self) -> Path:
        return self.output / self.slug

    def _file(self, name: str, names: tuple[str, ...] = (), audience: Audience = Audience.SITE) -> File:
        path = self.folder / name
        return File(path, f"{self.slug}/{name}", media_type(path), names, self.language, audience)

    def _named(self, suffix: str, label: str = "", audience: Audience = Audience.SITE) -> File:
        return self._file(f"{self.slug}{suffix}", (label,) if label else (), audience)

    @property
    def mp3(self) -> File:
        return self._named(".mp3", N_("Audio lesson (MP3)"), Audience.READERS)

    @property
    def timeline(self) -> File:
        return self._named(".timeline.json")

    @property
    def txt(self) -> File:
        return self._named(".txt", N_("Transcript (text)"), Audience.READERS)

    @property
    def md(self) -> File:
        return self._named(".md")

    @property
    def vtt(self) -> File:
        return self._named(".vtt", N_("Captions (WebVTT)"), Audience.PROGRAMS)

    @property
    def srt(self) -> File:
        return self._named(".srt", N_("Captions (SRT)"), Audience.PROGRAMS)

    @property
    def transcript_json(self) -> File:
        return self._named(".transcript.json", N_("Transcript (JSON)"), Audience.PROGRAMS)

    @property
    def chapters_json(self) -> File:
        return self._named(".chapters.json", N_("Chapters (JSON)"), Audience.PROGRAMS)

    @property
    def transcript_html(self) -> File:
        return self._named(".transcript.html")

    @property
    def epub(self) -> File:
        return self._named(".epub", N_("Read-along book (EPUB 3, text with narration)"), Audience.READERS)

    @property
    def brf(self) -> File:
        return self._named(".brf", N_("Braille (BRF)"), Audience.READERS)

    @property
    def pef(self) -> File:
        return self._named(".pef", N_("Braille (PEF)"), Audience.READERS)

    @property
    def page(self) -> File:
        return self._file("index.html")

    @property
    def images(self) -> Path:
        """The folder of the page's copies of the guide's images; nothing else is kept there."""
        return self.folder / "images"

    def image(self, source: Path) -> File:
        """The page's copy of one of the guide's images."""
        return self._file(f"images/{image_name(source)}")

    def handout(self, paper: str, edition: Edition = STANDARD) -> File:
        """A handout; one on another paper size than the guide's own says which in its label."""
        size = () if paper == self.own_paper else (PAPERS[paper].label,)
        return self._file(f"{self.slug}{self.paper_suffix(paper)}{edition.suffix}.pdf", (edition.label, "PDF", *size),
                          Audience.READERS)

    def paper_suffix(self, paper: str) -> str:
        """`""` for the guide's own paper size, `-letter` for another."""
        return "" if paper == self.own_paper else f"-{paper}"

    def url(self, base: str, file: File | None = None) -> str:
        """The absolute address of the guide's page (or one of its files) under the site's base URL."""
        return base + (file.url if file else f"{self.slug}/")
