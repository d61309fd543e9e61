"""The one error hierarchy: every error publish raises on purpose is defined here. Every message
says where, what is wrong, and what to do."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

LONGEST_QUOTED = 60

# Characters no output format can carry safely: control characters (they end XML and split caption
# cues), lone surrogates, non-characters, and Unicode's own line and paragraph separators.
UNSAFE_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")


def visible(text: str) -> str:
    """Invisible and control characters written out (`The\\u200bo`), so an editor can find them."""
    return "".join(ch if ch == " " or ch == "\n" or unicodedata.category(ch)[0] not in "CZ" else f"\\u{ord(ch):04x}"
                   for ch in text)


def shortened(text: str) -> str:
    """Quoted values of more than a line's worth cut down to their start and end."""
    # Every pair of back-ticks is matched in turn, so the text between two quoted values is never
    # taken for a quoted value itself.
    return re.sub(r"`([^`]*)`", lambda m: f"`{m[1][:40]}…{m[1][-12:]}`" if len(m[1]) > LONGEST_QUOTED else m[0],
                  text)


class PublishError(Exception):
    """Base of every error this tool raises on purpose; the CLI prints it without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a guide, pointing at the line to fix (the first, when the same thing is
    wrong at several lines)."""

    path: str
    line: int
    what: str
    hint: str
    unit: str = "lines"  # what each place it is found at is, said when it is found at several: "turns"
    also: tuple[int, ...] = ()  # the other lines where the very same problem is found
    warning: bool = False  # worth fixing, but the guide builds as it is


    @property
    def lines(self) -> tuple[int, ...]:
        return (self.line, *self.also)

    def __str__(self) -> str:
        what = shortened(visible(self.what))
        if self.also:
            what += f" on {len(self.lines)} {self.unit} (lines {listed(self.lines)})"
        return f"{self.path}:{self.line}: {'warning: ' if self.warning else ''}{what} — {self.hint}"


LONGEST_LISTING = 6


def listed(lines: tuple[int, ...]) -> str:
    """`171, 175, 179`; past a handful, the first ones and `…`."""
    shown = lines if len(lines) <= LONGEST_LISTING else lines[:LONGEST_LISTING - 1]
    return ", ".join(map(str, shown)) + (", …" if len(shown) < len(lines) else "")


def grouped(problems: Iterable[Problem]) -> list[Problem]:
    """The problems, each said once: the same words and advice at several lines of a file (a
    deleted speaker's every turn) become one problem that lists its lines."""
    lines: dict[tuple[str, str, str, str, bool], set[int]] = {}
    for problem in problems:
        key = (problem.path, problem.what, problem.hint, problem.unit, problem.warning)
        lines.setdefault(key, set()).update(problem.lines)
    return [Problem(path, min(found), what, hint, unit, tuple(sorted(found))[1:], warning)
            for (path, what, hint, unit, warning), found in lines.items()]


class GuideError(PublishError):
    """A guide (or several) cannot be read; carries every problem found, not just the first, and
    the warnings of the guides that have problems."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(grouped(problems), key=lambda p: (p.path, p.line))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def single(cls, path: str | Path, line: int, what: str, hint: str) -> "GuideError":
        return cls([Problem(str(path), line, what, hint)])


class EngineError(PublishError):
    """A text-to-speech engine could not produce audio."""


class AudioError(PublishError):
    """Audio could not be decoded, assembled or encoded."""


class ConfigError(PublishError):
    """The project configuration (publish.toml) is wrong."""


class OutputError(PublishError):
    """Built files could not be written where they belong."""


class BuildLockedError(OutputError):
    """Another build is writing to the same output folder."""


class CastError(EngineError):
    """A host's voice cannot be used; names the guide line that declared the host."""

    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


class ClusterError(PublishError):
    """The Dask cluster cannot be reached, has no workers, or lost the work."""


class ProofError(PublishError):
    """The listen-back cannot run (the extra is missing, or the model is damaged)."""


class InternalError(PublishError):
    """The build broke a rule of its own (a clip missing when a guide is finished, two outputs
    claiming one file): never the guide's fault; the message says to build again and report it."""


class BuildInterrupted(KeyboardInterrupt):
    """Ctrl-C during a build: what was kept, in one line. A KeyboardInterrupt still, so that
    everything that lets go of resources on one does so."""


class BrailleError(PublishError):
    """A braille edition cannot be made: liblouis is missing, or the guide's language has no table."""
