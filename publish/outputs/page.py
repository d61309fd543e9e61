"""The guide's web page as a format: the whole guide, a player, the interactive transcript and
every download the manifest says is in place. Rendered after every guide is finished, from the
manifest, so its links are always true."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from publish.outputs.base import Output
from publish.outputs.files import GuideFiles, SiteFiles

if TYPE_CHECKING:
    from publish.audio.timeline import SentenceSpan
    from publish.config import Config
    from publish.outputs.manifest import GuideEntry


class PageOutput(Output):
    name = "web"
    help = "the guide's web page"
    finished_with_guide = False

    def files(self, files: GuideFiles, paper: str) -> tuple[Path, ...]:
        return (files.page,)


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


def _size(path: Path, language: str = "en") -> str:
    from publish.outputs.shown import human_size

    try:
        return human_size(path.stat().st_size, language)
    except OSError:
        return ""


def page_files(config: "Config", entry: "GuideEntry", provisional: bool = False) -> dict[Path, bytes]:
    """The page and its copies of the guide's images, by path; the page last, so that once it is
    written everything it shows is in place."""
    from publish.outputs.images import page_copies

    made = {copy: source.read_bytes() for copy, source in page_copies(entry.guide, entry.files).items()}
    made[entry.files.page] = render_guide_page(config, entry, provisional).encode("utf-8")
    return made


def _feed_href(config: "Config", language: str) -> str | None:
    """The podcast feed of the guide's language, from its page; none without a base URL."""
    site = SiteFiles(config.output_dir)
    return "../" + site.href(site.feed_for(language, config.site.language)) if config.site.base_url else None


def render_guide_page(config: "Config", entry: "GuideEntry", provisional: bool = False) -> str:
    """The page; `provisional`: its timeline places sentences not spoken yet at estimated lengths
    (the live preview, never `publish build`), and the page says the audio is updating."""
    from publish.outputs.registry import AUDIO, TRANSCRIPT
    from publish.outputs.shown import date_text, duration_text, voice_text
    from publish.outputs.templating import environment
    from publish.outputs.images import shown
    from publish.outputs.i18n import translator
    from publish.outputs.transcript import clock, heading, intro
    from publish.outputs.typography import for_language

    files, timeline, language = entry.files, entry.timeline, entry.guide.language
    links = {"mp3": files.href(files.mp3) if entry.has(AUDIO) else None,
             "vtt": files.href(files.vtt) if entry.has(TRANSCRIPT) else None}
    template = environment(config.templates_dir, language).get_template("page.html.j2")
    return for_language(template.render(
        guide=entry.guide, timeline=timeline, site=config.site, files=links,
        downloads=[Download(files.href(path), label, _size(path, language)) for path, label in entry.downloads(translator(language))],
        duration=duration_text(timeline.duration, language) if timeline else "", clock=clock, pieces=pieces,
        voices=[(speaker, voice_text(voice)) for speaker, voice in timeline.voices] if timeline else [],
        transcript_heading=heading(language), transcript_intro=intro(language),
        updated_text=date_text(entry.guide.updated, language),
        feed_url=_feed_href(config, language), provisional=provisional,
        image_of=lambda figure: shown(figure, files.href(files.image(figure.source))),
    ), language)
