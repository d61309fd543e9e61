"""The guide's web page as an output: the whole guide, a player, the interactive transcript and
every download the manifest says is in place. Made after every guide is finished, from the
manifest, so its links are always true."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publish.outputs.base import Output, keyed
from publish.outputs.files import Audience, File, SiteFiles
from publish.outputs.manifest import GuideEntry

if TYPE_CHECKING:
    from publish.audio.timeline import SentenceSpan
    from publish.config import Config, SiteConfig


@dataclass(frozen=True)
class PageInputs:
    """What a page shows: the guide, its images, the templates and every other output it links."""

    source: bytes  # the guide file
    images: str  # the digest of the guide's images
    templates: str
    site: "SiteConfig"
    linked: tuple[tuple[str, str], ...]  # each other output in place, by state name, with its key
    failed: bool


@dataclass(frozen=True)
class PageMaterial:
    config: "Config"
    entry: GuideEntry
    # Its timeline places sentences not spoken yet at estimated lengths: the live preview's first
    # answer to an edit, never `publish build`'s; the page then says the audio is updating.
    provisional: bool = False


class PageOutput(Output[GuideEntry, PageInputs, PageMaterial]):
    name = "web"
    help = "the guide's web page"

    def files(self, where: GuideEntry, paper: str) -> tuple[File, ...]:
        return (where.files.page, *page_copies(where).keys())

    def key(self, inputs: PageInputs, paper: str) -> str:
        return keyed(inputs.source, inputs.images, inputs.templates, inputs.site, inputs.linked, inputs.failed)

    def make(self, material: PageMaterial, paper: str) -> dict[Path, bytes]:
        """The page's copies of the guide's images, then the page: once it is written,
        everything it shows is in place."""
        entry = material.entry
        made = {copy.path: source.read_bytes() for copy, source in page_copies(entry).items()}
        made[entry.files.page.path] = render_guide_page(material.config, entry, material.provisional).encode("utf-8")
        return made

    def leftovers(self, where: GuideEntry, made: dict[Path, bytes]) -> list[Path]:
        """Copies of images the guide no longer shows (the images folder holds the page's copies and nothing else)."""
        folder = where.files.images
        return [old for old in folder.iterdir() if old.is_file() and old not in made] if folder.is_dir() else []


def page_copies(entry: GuideEntry) -> dict[File, Path]:
    """The page's copy of every image, by where it goes: {copy: the guide's file}."""
    return {entry.files.image(figure.source): figure.source for figure in entry.guide.figures}


@dataclass(frozen=True)
class Download:
    href: str
    label: str
    size: str


@dataclass(frozen=True)
class Piece:
    """A run of a sentence's written text; a timed word where `start` is set (samples)."""

    text: str
    start: int | None = None
    end: int | None = None


def pieces(sentence: "SentenceSpan") -> list[Piece]:
    """A sentence as the page shows it: its timed words, and the text between them as it is."""
    found: list[Piece] = []
    at = 0
    for word in sentence.words:
        if word.first > at:
            found.append(Piece(sentence.text[at:word.first]))
        found.append(Piece(sentence.text[word.first:word.last], word.start, word.end))
        at = word.last
    if at < len(sentence.text):
        found.append(Piece(sentence.text[at:]))
    return found


def _downloads(entry: GuideEntry, audience: Audience) -> list[Download]:
    from publish.outputs.shown import human_size

    folder = f"{entry.guide.slug}/"
    return [Download(file.href_from(folder), file.label, human_size(size, entry.guide.language) if size is not None else "")
            for file in entry.offered(audience) for size in [file.size]]


def _feed_href(config: "Config", language: str) -> str | None:
    """The podcast feed of the guide's language, from its page; none without a base URL."""
    site = SiteFiles(config.output_dir)
    return "../" + site.feed_for(language, config.site.language).url if config.site.base_url else None


def render_guide_page(config: "Config", entry: GuideEntry, provisional: bool = False) -> str:
    """The page; `provisional`: its timeline places sentences not spoken yet at estimated lengths
    (the live preview, never `publish build`), and the page says the audio is updating."""
    from publish.outputs.shown import date_text, duration_text, voice_text
    from publish.outputs.templating import environment
    from publish.outputs.images import shown
    from publish.outputs.transcript import clock, heading, intro
    from publish.outputs.typography import for_language

    files, timeline, language = entry.files, entry.timeline, entry.guide.language
    folder = f"{entry.guide.slug}/"
    links = {name: file.href_from(folder) if file in entry.made else None
             for name, file in (("mp3", files.mp3), ("vtt", files.vtt))}
    template = environment(config.templates_dir, language).get_template("page.html.j2")
    return for_language(template.render(
        guide=entry.guide, timeline=timeline, site=config.site, files=links,
        downloads=_downloads(entry, Audience.READERS), machine_files=_downloads(entry, Audience.PROGRAMS),
        duration=duration_text(timeline.duration, language) if timeline else "", clock=clock, pieces=pieces,
        voices=[(speaker, voice_text(voice)) for speaker, voice in timeline.voices] if timeline else [],
        transcript_heading=heading(language), transcript_intro=intro(language),
        updated_text=date_text(entry.guide.updated, language),
        feed_url=_feed_href(config, language), provisional=provisional,
        image_of=lambda figure: shown(figure, files.image(figure.source).href_from(folder)),
    ), language)
