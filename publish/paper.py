"""Paper sizes: the one table that guides, `publish.toml`, `--paper` and the handouts read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Paper:
    name: str  # as written in guides, publish.toml and --paper
    css: str  # the CSS @page size
    label: str  # as shown to readers


PAPERS: dict[str, Paper] = {
    "a4": Paper("a4", "A4", "A4"),
    "letter": Paper("letter", "Letter", "US Letter"),
}
DEFAULT_PAPER = "a4"  # a guide's own size when it names none
