"""The typed guide model: what a guide *is*, independent of how it was written or will be shown.

Every object carries `where` (file and line) so that any later stage can point back at the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Union

from publish.errors import Problem
from publish.paper import DEFAULT_PAPER

# A slug names the guide's folder and files: lowercase words joined by hyphens, and not a name the
# site itself uses (or that Windows cannot store).
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
RESERVED_SLUGS = {"index", "feed", "assets", "con", "prn", "aux", "nul"}


@dataclass(frozen=True)
class Where:
    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


# --- blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    where: Where
    text: str  # inline Markdown, rendered by the renderers


@dataclass(frozen=True)
class BulletList:
    where: Where
    items: tuple[str, ...]


@dataclass(frozen=True)
class Fact:
    where: Where
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Facts:
    where: Where
    facts: tuple[Fact, ...]


@dataclass(frozen=True)
class DayEntry:
    where: Where
    time: str
    activity: str


@dataclass(frozen=True)
class Day:
    where: Where
    entries: tuple[DayEntry, ...]


@dataclass(frozen=True)
class PathwayStep:
    where: Where
    stage: str
    duration: str


@dataclass(frozen=True)
class Pathway:
    where: Where
    steps: tuple[PathwayStep, ...]


@dataclass(frozen=True)
class Skill:
    where: Where
    name: str
    rating: int  # 0..100


@dataclass(frozen=True)
class Skills:
    where: Where
    skills: tuple[Skill, ...]


@dataclass(frozen=True)
class Route:
    where: Where
    name: str
    share: int  # percent of people who take this route
    duration: str
    cost: int  # 1 (low) .. 3 (high)


@dataclass(frozen=True)
class Routes:
    where: Where
    routes: tuple[Route, ...]


@dataclass(frozen=True)
class ItemList:
    """Pros, cons and the fit checklist: a titled list of short statements."""

    where: Where
    kind: str  # "pros" | "cons" | "checklist"
    items: tuple[str, ...]


@dataclass(frozen=True)
class Myth:
    where: Where
    myth: str  # what many believe, and is false
    truth: str  # what is true instead; "" where a guide gives none (`publish check` warns)


@dataclass(frozen=True)
class Myths:
    """False beliefs about the career, each shown with its correction so that nobody skimming takes
    one for advice."""

    where: Where
    myths: tuple[Myth, ...]


@dataclass(frozen=True)
class Question:
    where: Where
    question: str
    answer: str


@dataclass(frozen=True)
class Faq:
    where: Where
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class SourceRef:
    where: Where
    publisher: str
    title: str
    category: str
    url: str | None


@dataclass(frozen=True)
class Sources:
    where: Where
    sources: tuple[SourceRef, ...]


@dataclass(frozen=True)
class Figure:
    """An image on a line of its own: a file inside the guide's folder, with its alt text."""

    where: Where
    name: str  # as the guide names it, relative to the guide's folder (`images/tower.jpg`)
    source: Path  # that file, resolved
    alt: str  # "" for an image marked decorative
    caption: str = ""  # inline Markdown, from the image's title

    @property
    def decorative(self) -> bool:
        return not self.alt


Block = Union[Paragraph, BulletList, Facts, Day, Pathway, Skills, Routes, ItemList, Myths, Faq, Sources, Figure]


@dataclass(frozen=True)
class Section:
    where: Where
    number: int
    label: str  # short, e.g. "Snapshot"
    title: str  # e.g. "Career snapshot"
    blocks: tuple[Block, ...]

    @property
    def anchor(self) -> str:
        return f"s{self.number:02d}"


# --- the audio lesson ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    where: Where
    id: str
    name: str
    voices: tuple[tuple[str, str], ...]  # fallbacks when one engine speaks for all: (engine, voice)
    voice: str | None = None  # `engine:voice`, e.g. `hibari:heart`; None: the default cast's

    def voice_for(self, engine: str) -> str | None:
        return dict(self.voices).get(engine)


@dataclass(frozen=True)
class Turn:
    where: Where
    speaker: Speaker
    text: str  # the written text; what the transcript shows


@dataclass(frozen=True)
class Part:
    where: Where
    title: str
    turns: tuple[Turn, ...]


@dataclass(frozen=True)
class Lesson:
    where: Where
    speakers: tuple[Speaker, ...]
    parts: tuple[Part, ...]

    @property
    def turns(self) -> tuple[Turn, ...]:
        return tuple(turn for part in self.parts for turn in part.turns)


@dataclass(frozen=True)
class Settings:
    """Per-guide presentation settings from the front matter."""

    transcript_speaker_names: bool = False
    caption_max_cps: float = 17.0
    paper: str = DEFAULT_PAPER


@dataclass(frozen=True)
class Guide:
    where: Where
    title: str
    subtitle: str
    series: str
    slug: str
    language: str
    updated: date
    summary: str
    cover: Path | None
    cover_alt: str
    sections: tuple[Section, ...]
    lesson: Lesson
    lexicon: tuple[tuple[str, str], ...] = ()
    settings: Settings = field(default_factory=Settings)
    warnings: tuple[Problem, ...] = ()  # what `publish check` advises changing; none stops a build
    career_field: str = ""  # `field:`, a key of `fields.FIELDS`; "" when the guide names none

    @property
    def folder(self) -> Path:
        return Path(self.where.path).parent

    @property
    def figures(self) -> tuple[Figure, ...]:
        return tuple(block for section in self.sections for block in section.blocks if isinstance(block, Figure))

    def with_images_in(self, folder: Path) -> "Guide":
        """The guide with its images read from `folder`, by the names the guide gives them (where a
        worker unpacked them)."""
        def moved(block: Block) -> Block:
            return replace(block, source=folder / block.name) if isinstance(block, Figure) else block

        sections = tuple(replace(s, blocks=tuple(moved(b) for b in s.blocks)) for s in self.sections)
        return replace(self, sections=sections)
