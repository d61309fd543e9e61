"""The one error hierarchy: every error publish raises on purpose is defined here. Every message
says where, what is wrong, and what to do."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

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
    return re.sub(r"`([^`]{%d,})`" % (LONGEST_QUOTED + 1), lambda m: f"`{m[1][:40]}…{m[1][-12:]}`", text)


class PublishError(Exception):
    """Base of every error this tool raises on purpose; the CLI prints it without a traceback."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a guide, pointing at the line to fix."""

    path: str
    line: int
    what: str
    hint: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {shortened(visible(self.what))} — {self.hint}"


class GuideError(PublishError):
    """A guide (or several) cannot be read; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.path, p.line))
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


class BrailleError(PublishError):
    """A braille edition cannot be made: liblouis is missing, or the guide's language has no table."""
