"""What every format is: an `Output` declares its name, its files, what it reads and the key it is
built from, and `make`s its files as bytes. The build writes them; an output never writes.

Format modules subclass `Output` and import only this module and the layers below; the registry
(`publish.outputs.registry`) lists one instance of each.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ClassVar, Protocol, TYPE_CHECKING

from publish import __version__
from publish.digest import digest
from publish.outputs.files import GuideFiles

if TYPE_CHECKING:
    from publish.audio.timeline import Timeline
    from publish.config import BrailleConfig, Config, SiteConfig
    from publish.guide.model import Guide, Settings
    from publish.speech.plan import LessonPlan


class Reads(enum.Enum):
    """What making an output reads, besides the guide itself."""

    CLIPS = "the lesson's spoken clips"
    TIMELINE = "the lesson's timeline"
    MP3 = "the lesson's encoded, tagged MP3"
    TEMPLATES = "the project's templates"


class Material(Protocol):
    """The lesson as finishing has it: made once, read by every output of the guide."""

    config: "Config"
    plan: "LessonPlan"
    files: GuideFiles

    def timeline(self) -> "Timeline": ...

    def mp3(self) -> bytes: ...


@dataclass(frozen=True)
class KeyInputs:
    """Everything output keys are made of, for one guide; a changed key means rebuild."""

    audio: str  # the lesson's sound and its tags: plan, audio settings, intro, outro, metadata
    source: bytes  # the guide file
    images: str  # the digest of the cover and of every image the guide shows
    templates: str  # the templates folder's digest
    site: "SiteConfig"
    settings: "Settings"
    braille: "BrailleConfig"  # the braille edition's page size and grade


class Output:
    """One format of a guide."""

    name: ClassVar[str]  # in --only, in the state file, in the build summary
    help: ClassVar[str]  # what it makes, for --only's help
    reads: ClassVar[frozenset[Reads]] = frozenset()
    makes: ClassVar[frozenset[Reads]] = frozenset()  # what it makes that other outputs read
    per_paper: ClassVar[bool] = False  # one set of files per paper size
    # False for outputs rendered from the manifest after every guide is finished (the page)
    finished_with_guide: ClassVar[bool] = True

    def files(self, files: GuideFiles, paper: str) -> tuple[Path, ...]:
        raise NotImplementedError

    def key(self, inputs: KeyInputs, paper: str) -> str:
        raise NotImplementedError

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        """The output's files as bytes, by path; nothing is written."""
        raise NotImplementedError

    def downloads(self, files: GuideFiles, paper: str, several_papers: bool,
                  _: Callable[[str], str] = str) -> list[tuple[Path, str]]:
        """The files a reader may download from the guide's page, with their labels in the
        language `_` translates into."""
        return []

    def __repr__(self) -> str:
        return f"<output {self.name}>"

    def __reduce__(self):
        # Sent to a worker process or a cluster, an output stays the registry's one instance.
        return (output_named, (self.name,))


def output_named(name: str) -> Output:
    from publish.outputs.registry import FORMATS

    return next(output for output in FORMATS if output.name == name)


@dataclass(frozen=True)
class Step:
    """One piece of a guide's build: an output, on one paper size (the guide's own, unless the
    output is made per paper size)."""

    output: Output
    paper: str

    def files(self, files: GuideFiles) -> tuple[Path, ...]:
        return self.output.files(files, self.paper)

    def state_name(self, files: GuideFiles) -> str:
        """As the state file and the summary name it: `pdf`, or `pdf-letter` for another paper size."""
        return self.output.name + (files.paper_suffix(self.paper) if self.output.per_paper else "")

    def key(self, inputs: KeyInputs) -> str:
        return self.output.key(inputs, self.paper)

    def make(self, material: Material) -> dict[Path, bytes]:
        return self.output.make(material, self.paper)


def keyed(*parts: object) -> str:
    """An output key: a digest that also changes with publish's version."""
    return digest(__version__, *parts)


def guide_of(material: Material) -> "Guide":
    return material.plan.guide
