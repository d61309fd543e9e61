"""What a build was asked and what it says back: its options, each guide's result, the report, and
the progress it tells whoever watches (the CLI supplies a real one)."""

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


class Progress:
    """What the build tells whoever watches it; the CLI supplies a real one."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, done: int, total: int) -> None: ...

    def guide_done(self, result: GuideResult) -> None: ...

    def writing(self) -> None:
        """Guides' outputs are about to be written (speech is done)."""

    def span(self, lane: str, kind: str, label: str, start: float, end: float) -> None:
        """Something took from `start` to `end` (time.monotonic) in `lane` (an engine, finishing,
        the pages): what `publish build --trace` draws."""

