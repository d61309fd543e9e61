"""The manifest: every guide of the project and which of its outputs exist once this build is done.

The build gathers it before it writes any page, index or feed, from the guides, the state of
earlier builds and this build's results; pages, index and feed are rendered from it, never from
looking around `output/`.
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.outputs.files import PAPERS, GuideFiles
from publish.guide.model import Guide
from publish.audio.timeline import Timeline


@dataclass(frozen=True)
class GuideEntry:
    guide: Guide
    files: GuideFiles
    steps: frozenset[str]  # outputs in place: audio, transcript, pdf, pdf-letter, web
    failed: bool = False  # its current source did not build; what is listed is the last good build
    timeline: Timeline | None = None

    def has(self, step: str) -> bool:
        return step in self.steps

    @property
    def papers(self) -> tuple[str, ...]:
        """Paper sizes that have handouts, the guide's own first."""
        others = [p for p in PAPERS if p != self.files.own_paper]
        return tuple(p for p in [self.files.own_paper, *others] if self.has(self.files.pdf_step(p)))

    @property
    def fingerprint(self) -> tuple:
        """What a page or index shows of this entry, for the build keys of pages that list it."""
        return (sorted(self.steps), self.failed)


@dataclass(frozen=True)
class Manifest:
    entries: tuple[GuideEntry, ...]  # every guide of the project, by title

    def entry(self, slug: str) -> GuideEntry:
        return next(e for e in self.entries if e.guide.slug == slug)
