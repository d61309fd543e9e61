"""The one seam between a build and whoever watches it: the build tells an `Observer` each event
of its run loop, and nothing else.

Every display (the terminal's progress bar, plain lines, `--trace`, the live preview) implements
`on`, and handles each kind of event by name: the type checker (`make test` runs it) refuses a
display that misses one, so a display never learns at a person's terminal that the build called
something it does not have.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, TypeAlias

from publish.builder.report import GuideResult


@dataclass(frozen=True)
class Started:
    """The run begins: `total` units of estimated work (hundredths of a core-second)."""

    total: int


@dataclass(frozen=True)
class Advanced:
    """`done` of `total` units are done (the total may grow as work is found)."""

    done: int
    total: int


@dataclass(frozen=True)
class Writing:
    """Speech is done and the guides' files are about to be written."""


@dataclass(frozen=True)
class GuideDone:
    """A guide's outputs are written, or it failed."""

    result: GuideResult


@dataclass(frozen=True)
class Span:
    """Something took from `start` to `end` (time.monotonic) in `lane` (an engine, finishing, the
    pages): what `publish build --trace` draws."""

    lane: str
    kind: str
    label: str
    start: float
    end: float


Event: TypeAlias = Started | Advanced | Writing | GuideDone | Span


class Observer(Protocol):
    def on(self, event: Event) -> None: ...


class Unobserved:
    """No one watches: tests, `-q`, a build run from code."""

    def on(self, event: Event) -> None:
        pass
