"""Every output, listed once. Everything that deals with outputs loops over these lists: the CLI's
choices and help, `--only`, staleness, finishing, the page's downloads, the manifest, the site
and the cluster's packing. Adding a format is one module with an `Output` subclass and one line here.
"""

from __future__ import annotations

from typing import Any

from publish.errors import PublishError
from publish.outputs.base import GuideOutput, Output, Reads, Step
from publish.outputs.braille.output import BrailleOutput
from publish.outputs.epub import EpubOutput
from publish.outputs.files import File, GuideFiles
from publish.outputs.handout import PdfOutput
from publish.outputs.mp3 import AudioOutput
from publish.outputs.page import PageOutput
from publish.outputs.feeds import FeedOutput
from publish.outputs.index import IndexOutput
from publish.outputs.opds import CatalogOutput
from publish.outputs.search import SearchOutput
from publish.outputs.site import AssetsOutput, CoverOutput, SiteOutput
from publish.outputs.sitemap import SitemapOutput
from publish.outputs.transcript import TranscriptOutput
from publish.paper import PAPERS

AUDIO = AudioOutput()
TRANSCRIPT = TranscriptOutput()
PDF = PdfOutput()
EPUB = EpubOutput()
BRAILLE = BrailleOutput()
PAGE = PageOutput()

# A guide's formats, made when the guide is finished, in build order; then its page, from the manifest.
GUIDE_FORMATS: tuple[GuideOutput, ...] = (AUDIO, TRANSCRIPT, PDF, EPUB, BRAILLE)
FORMATS: tuple[Output[Any, Any, Any], ...] = (*GUIDE_FORMATS, PAGE)  # what --only chooses from
DOWNLOADS: tuple[GuideOutput, ...] = (AUDIO, PDF, EPUB, BRAILLE, TRANSCRIPT)  # in the order a page lists their files
# The site's own files, made from the manifest after the pages (`publish build` makes them every time it runs).
SITE: tuple[SiteOutput, ...] = (IndexOutput(), FeedOutput(), CoverOutput(), AssetsOutput(), CatalogOutput(),
                                SitemapOutput(), SearchOutput())

# Sub-commands that build a few formats: name → (formats, help).
SHORTCUTS: dict[str, tuple[tuple[Output[Any, Any, Any], ...], str]] = {
    "audio": ((AUDIO,), "narrate the audio lesson (MP3 and timeline)"),
    "transcript": ((AUDIO, TRANSCRIPT), "write transcripts and captions (building the audio first if needed)"),
    "handout": ((PDF,), "write the PDF handouts (standard and large print)"),
}


def names() -> list[str]:
    return [output.name for output in FORMATS]


def by_names(text: str) -> frozenset[Output[Any, Any, Any]]:
    """`--only audio,pdf` → those outputs; a clear error naming what is not a format."""
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = wanted - set(names())
    if unknown:
        raise PublishError(f"--only {','.join(sorted(unknown))}: not a format — use {', '.join(names())}")
    return frozenset(output for output in FORMATS if output.name in wanted)


def producer_of(made: Reads) -> GuideOutput:
    """The format that makes what others read (the MP3 a book carries)."""
    return next(output for output in GUIDE_FORMATS if made in output.makes)


def steps(outputs: frozenset[Output[Any, Any, Any]] | tuple[Output[Any, Any, Any], ...], own_paper: str,
          paper: str) -> list[Step]:
    """A guide's steps for these formats, in build order: per-paper ones on `paper`, the rest on
    the guide's own size."""
    return [Step(output, paper if output.per_paper else own_paper) for output in GUIDE_FORMATS if output in outputs]


def every_step(files: GuideFiles) -> list[Step]:
    """Every step a guide's formats can have: per-paper ones on every paper size."""
    return [Step(output, paper) for output in GUIDE_FORMATS
            for paper in (PAPERS if output.per_paper else [files.own_paper])]


def steps_named(state_names: frozenset[str] | set[str], files: GuideFiles) -> frozenset[Step]:
    """The steps the state file names for a guide (`pdf-letter` …); names it does not know are left out."""
    return frozenset(step for step in every_step(files) if step.state_name(files) in state_names)


def made_files(in_place: frozenset[Step], files: GuideFiles) -> tuple[File, ...]:
    """The files of a guide's formats in place, in the order its page lists them (handouts on the
    guide's own paper first)."""
    papers = [files.own_paper, *(p for p in PAPERS if p != files.own_paper)]
    ordered = [Step(output, paper) for output in DOWNLOADS for paper in papers]
    return tuple(file for step in ordered if step in in_place for file in step.files(files))
