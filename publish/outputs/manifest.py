"""The manifest: every guide of the project and which of its outputs exist once this build is done.

The build gathers it before it writes any page, index or feed, from the guides, the state of
earlier builds and this build's results; pages, index and feed are rendered from it, never from
looking around `output/`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from publish.audio.timeline import Timeline
from publish.guide.model import Guide
from publish.outputs.base import Output, Step
from publish.outputs.files import Audience, File, GuideFiles


@dataclass(frozen=True)
class GuideEntry:
    guide: Guide
    files: GuideFiles
    steps: frozenset[Step]  # outputs in place, each on its paper size
    made: tuple[File, ...] = ()  # the files of those outputs, in the order the guide's page lists them
    failed: bool = False  # its current source did not build; what is listed is the last good build
    placed: Timeline | None = None  # a timeline made for this entry (the preview's provisional one)

    @cached_property
    def timeline(self) -> Timeline | None:
        """The lesson's timeline: the one placed for this entry, else the one in place, read when
        first asked (a build with nothing to do reads none)."""
        from publish.audio.timeline import read_timeline

        if self.placed is not None:
            return self.placed
        return read_timeline(self.files.timeline.path) if self.files.timeline in self.made else None

    def has(self, output: Output[Any, Any, Any]) -> bool:
        return any(step.output is output for step in self.steps)

    def offered(self, audience: Audience) -> tuple[File, ...]:
        """The files the page offers to `audience` (readers, or podcast apps and players)."""
        return tuple(file for file in self.made if file.audience is audience)


@dataclass(frozen=True)
class Manifest:
    entries: tuple[GuideEntry, ...]  # every guide of the project, by title

    def entry(self, slug: str) -> GuideEntry:
        return next(e for e in self.entries if e.guide.slug == slug)
