"""The manifest: every guide of the project and which of its outputs exist once this build is done.

The build gathers it before it writes any page, index or feed, from the guides, the state of
earlier builds and this build's results; pages, index and feed are rendered from it, never from
looking around `output/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from publish.audio.timeline import Timeline
from publish.guide.model import Guide
from publish.outputs.base import Output, Step
from publish.outputs.files import GuideFiles
from publish.outputs.registry import DOWNLOADS, PDF
from publish.paper import PAPERS


@dataclass(frozen=True)
class GuideEntry:
    guide: Guide
    files: GuideFiles
    steps: frozenset[Step]  # outputs in place, each on its paper size
    failed: bool = False  # its current source did not build; what is listed is the last good build
    timeline: Timeline | None = None

    def has(self, output: Output) -> bool:
        return any(step.output is output for step in self.steps)

    @property
    def papers(self) -> tuple[str, ...]:
        """Paper sizes that have handouts, the guide's own first."""
        others = [p for p in PAPERS if p != self.files.own_paper]
        return tuple(p for p in [self.files.own_paper, *others] if Step(PDF, p) in self.steps)

    def downloads(self, _: Callable[[str], str] = str) -> list[tuple[Path, str]]:
        """Every file of the guide that is in place, with its label (in the language `_`
        translates into), in the page's order."""
        found: list[tuple[Path, str]] = []
        for output in DOWNLOADS:
            papers = self.papers if output.per_paper else ((self.files.own_paper,) if self.has(output) else ())
            for paper in papers:
                found += output.downloads(self.files, paper, len(papers) > 1, _)
        return found


@dataclass(frozen=True)
class Manifest:
    entries: tuple[GuideEntry, ...]  # every guide of the project, by title

    def entry(self, slug: str) -> GuideEntry:
        return next(e for e in self.entries if e.guide.slug == slug)
