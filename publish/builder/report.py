"""What a build was asked and what it says back: its options, each guide's result and the report,
all immutable (what it tells whoever watches as it runs is in `observer`).

Each stage of a build says what it did as results of its own (gathering: problems; planning:
what is up to date; the run: what it built, the pages); `BuildReport.of` merges them, in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from publish.outputs.base import Output
from publish.outputs.registry import FORMATS


@dataclass(frozen=True)
class BuildOptions:
    only: frozenset[Output[Any, Any, Any]] = frozenset(FORMATS)
    force: bool = False
    # The live preview's build: each turn by the published cast where its clips exist, else by the
    # draft cast (`publish.speech.plan.plan_preview`).
    preview: bool = False


@dataclass(frozen=True)
class GuideResult:
    slug: str
    path: str
    built: tuple[str, ...] = ()  # steps by their state names (`pdf-letter`)
    fresh: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    seconds: float = 0.0
    warnings: tuple[str, ...] = ()  # worth fixing, though the guide built (a myth without its truth)

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "built" if self.built else "up to date"

    def __add__(self, other: GuideResult) -> GuideResult:
        """This result and another stage's result for the same guide, as one."""
        return replace(self, built=self.built + other.built, fresh=self.fresh + other.fresh,
                       problems=self.problems + other.problems, seconds=max(self.seconds, other.seconds),
                       warnings=self.warnings + other.warnings)


@dataclass(frozen=True)
class Speech:
    """What the build's speech did."""

    synthesized: int = 0
    cached: int = 0
    voices: tuple[tuple[str, tuple[str, ...]], ...] = ()  # each voice, with the guides' hosts that used it
    where: str = ""  # where synthesis and finishing ran, when anything did


@dataclass(frozen=True)
class BuildReport:
    results: tuple[GuideResult, ...]
    speech: Speech = Speech()
    seconds: float = 0.0
    written: frozenset[Path] = field(default_factory=frozenset)  # every file this build wrote or removed
    problems: tuple[str, ...] = ()  # of the site's own files (index, feed, cover)

    @classmethod
    def of(cls, order: Iterable[Path], parts: Iterable[GuideResult], speech: Speech, seconds: float,
           written: frozenset[Path], problems: tuple[str, ...]) -> BuildReport:
        """Every stage's results merged by guide, in the order the guides were named."""
        merged: dict[str, GuideResult] = {}
        for part in parts:
            merged[part.path] = merged[part.path] + part if part.path in merged else part
        return cls(tuple(merged[str(p)] for p in order if str(p) in merged), speech, seconds, written, problems)

    @property
    def ok(self) -> bool:
        return not self.problems and all(not r.problems for r in self.results)
