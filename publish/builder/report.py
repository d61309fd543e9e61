"""What a build was asked and what it says back: its options, each guide's result and the report
(what it tells whoever watches as it runs is in `observer`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from publish.outputs.base import Output
from publish.outputs.registry import FORMATS


@dataclass(frozen=True)
class BuildOptions:
    only: frozenset[Output] = frozenset(FORMATS)
    force: bool = False


@dataclass
class GuideResult:
    slug: str
    path: str
    built: list[str] = field(default_factory=list)  # steps by their state names (`pdf-letter`)
    fresh: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "built" if self.built else "up to date"


@dataclass
class BuildReport:
    results: list[GuideResult]
    clips_synthesized: int = 0
    clips_cached: int = 0
    seconds: float = 0.0
    voices: dict[str, list[str]] = field(default_factory=dict)  # voice → the guides' hosts that used it
    where: str = ""  # where synthesis and finishing ran, when anything did

    @property
    def ok(self) -> bool:
        return all(not r.problems for r in self.results)
