"""The formats, listed once. Everything that deals with formats loops over `FORMATS`: the CLI's
choices and help, `--only`, staleness, finishing, the page's downloads, the manifest and the
cluster's packing. Adding a format is one module with an `Output` subclass and one line here.
"""

from __future__ import annotations

from publish.errors import PublishError
from publish.outputs.base import Output, Reads, Step
from publish.outputs.braille.output import BrailleOutput
from publish.outputs.epub import EpubOutput
from publish.outputs.files import GuideFiles
from publish.outputs.handout import PdfOutput
from publish.outputs.mp3 import AudioOutput
from publish.outputs.page import PageOutput
from publish.outputs.transcript import TranscriptOutput
from publish.paper import PAPERS

AUDIO = AudioOutput()
TRANSCRIPT = TranscriptOutput()
PDF = PdfOutput()
EPUB = EpubOutput()
BRAILLE = BrailleOutput()
PAGE = PageOutput()

FORMATS: tuple[Output, ...] = (AUDIO, TRANSCRIPT, PDF, EPUB, BRAILLE, PAGE)  # in build order
DOWNLOADS: tuple[Output, ...] = (AUDIO, PDF, EPUB, BRAILLE, TRANSCRIPT)  # in the order a page lists them

# Sub-commands that build a few formats: name → (formats, help).
SHORTCUTS: dict[str, tuple[tuple[Output, ...], str]] = {
    "audio": ((AUDIO,), "narrate the audio lesson (MP3 and timeline)"),
    "transcript": ((AUDIO, TRANSCRIPT), "write transcripts and captions (building the audio first if needed)"),
    "handout": ((PDF,), "write the PDF handouts (standard and large print)"),
}


def names() -> list[str]:
    return [output.name for output in FORMATS]


def by_names(text: str) -> frozenset[Output]:
    """`--only audio,pdf` → those outputs; a clear error naming what is not a format."""
    wanted = {name.strip() for name in text.split(",") if name.strip()}
    unknown = wanted - set(names())
    if unknown:
        raise PublishError(f"--only {','.join(sorted(unknown))}: not a format — use {', '.join(names())}")
    return frozenset(output for output in FORMATS if output.name in wanted)


def producer_of(made: Reads) -> Output:
    """The output that makes what others read (the MP3 a book carries)."""
    return next(output for output in FORMATS if made in output.makes)


def steps(outputs: frozenset[Output] | tuple[Output, ...], own_paper: str, paper: str) -> list[Step]:
    """The build's steps for these outputs, in build order: per-paper outputs on `paper`, the rest
    on the guide's own size."""
    return [Step(output, paper if output.per_paper else own_paper) for output in FORMATS if output in outputs]


def every_step(files: GuideFiles) -> list[Step]:
    """Every step a guide can have: each output, per-paper ones on every paper size."""
    return [Step(output, paper) for output in FORMATS
            for paper in (PAPERS if output.per_paper else [files.own_paper])]


def steps_named(state_names: frozenset[str] | set[str], files: GuideFiles) -> frozenset[Step]:
    """The steps the state file names for a guide (`pdf-letter` …); names it does not know are left out."""
    return frozenset(step for step in every_step(files) if step.state_name(files) in state_names)
