"""Text that remembers where each of its characters came from, through the speech steps.

The speech steps rewrite what is written (`$120K` → `one hundred twenty thousand dollars`). To
time the written words from the spoken ones, each step's substitutions are recorded: every
character of a result knows the span of the original text it stands for. The steps call `sub`,
`cut`, `join` and `strip` from here; on a plain `str` these are the ordinary string operations
(planning a build stays as quick as before), on a `Traced` they carry the spans along.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable, Union

Span = tuple[int, int]
Replacement = Union[str, Callable[[re.Match], str]]


class Traced(str):
    """A string whose character i stands for `origins[i]` of the text it was made from."""

    origins: list[Span]

    def __new__(cls, text: str, origins: list[Span] | None = None) -> "Traced":
        made = super().__new__(cls, text)
        made.origins = origins if origins is not None else [(i, i + 1) for i in range(len(text))]
        if len(made.origins) != len(text):
            raise ValueError("a traced text needs one origin per character")
        return made

    def source_span(self, start: int, end: int) -> Span | None:
        """The part of the original text that characters start…end stand for (None: nothing)."""
        spans = self.origins[start:end]
        if not spans:
            return None
        return min(s for s, _ in spans), max(e for _, e in spans)


def _span_for_match(text: Traced, start: int, end: int) -> Span:
    found = text.source_span(start, end)
    if found is not None:
        return found
    # An empty match inserts text: it stands for the character before it (or after, at the start).
    if start > 0:
        return text.origins[start - 1]
    return text.origins[0] if text.origins else (0, 0)


def sub(pattern: str | re.Pattern, replacement: Replacement, text: str, flags: int = 0) -> str:
    """`re.sub`, which on a Traced text keeps every character's origin: unchanged characters
    keep theirs, and the whole replacement of a match stands for the whole match."""
    if not isinstance(text, Traced):
        return re.sub(pattern, replacement, text, flags=flags)
    regex = re.compile(pattern, flags) if isinstance(pattern, str) else pattern
    pieces: list[str] = []
    origins: list[Span] = []
    at = 0
    for match in regex.finditer(text):
        pieces.append(str.__getitem__(text, slice(at, match.start())))
        origins.extend(text.origins[at:match.start()])
        said = replacement(match) if callable(replacement) else match.expand(replacement)
        pieces.append(said)
        origins.extend([_span_for_match(text, match.start(), match.end())] * len(said))
        at = match.end()
    pieces.append(str.__getitem__(text, slice(at, None)))
    origins.extend(text.origins[at:])
    return Traced("".join(pieces), origins)


def replace(text: str, old: str, new: str) -> str:
    if not isinstance(text, Traced):
        return text.replace(old, new)
    return sub(re.escape(old), lambda _: new, text)


def cut(text: str, start: int, end: int | None = None) -> str:
    """text[start:end], keeping the origins of a Traced text."""
    piece = str.__getitem__(text, slice(start, end))
    if isinstance(text, Traced):
        return Traced(piece, text.origins[start:end])
    return piece


def join(pieces: Iterable[str]) -> str:
    pieces = list(pieces)
    if not any(isinstance(piece, Traced) for piece in pieces):
        return "".join(pieces)
    origins: list[Span] = []
    for piece in pieces:
        origins.extend(piece.origins if isinstance(piece, Traced) else [(0, 0)] * len(piece))
    return Traced("".join(pieces), origins)


def strip(text: str) -> str:
    """text.strip(), keeping the origins of a Traced text."""
    stripped = str.strip(text)
    if not isinstance(text, Traced) or stripped == text:
        return stripped if not isinstance(text, Traced) else text
    start = len(text) - len(str.lstrip(text))
    return cut(text, start, start + len(stripped))
