"""What every output is: an `Output` declares its name, its files, the key it is built from and
what it reads, and `make`s its files as bytes. The build writes them; an output never writes.

Three kinds, one shape. A guide's formats (`GuideOutput`: audio, transcripts, handouts, book) are
made from the lesson as finishing has it (`Material`); a guide's page from the manifest entry of
that guide; the site's files (index, feed, cover, assets) from the whole manifest. Each kind says
where its files go (`W`), what its key is made of (`I`) and what making it reads (`M`); the build
runs every one of them through the same loop: stale → make → write → record.

Format modules subclass these and import only this module and the layers below; the registry
(`publish.outputs.registry`) lists one instance of each.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Protocol, TypeVar

from publish import __version__
from publish.digest import digest
from publish.outputs.files import File, GuideFiles

if TYPE_CHECKING:
    from publish.audio.timeline import Timeline
    from publish.config import BrailleConfig, Config, SiteConfig
    from publish.guide.model import Guide, Settings
    from publish.speech.plan import LessonPlan

W = TypeVar("W")  # where its files go: a guide's files, a guide's manifest entry, the site
I = TypeVar("I", contravariant=True)  # what its key is made of
M = TypeVar("M", contravariant=True)  # what making it reads


class Reads(enum.Enum):
    """What making a guide's format reads, besides the guide itself."""

    CLIPS = "the lesson's spoken clips"
    TIMELINE = "the lesson's timeline"
    MP3 = "the lesson's encoded, tagged MP3"
    TEMPLATES = "the project's templates"


class Output(Generic[W, I, M]):
    """One output: a set of files made together. Each subclass has one instance, which stays itself
    when it is sent to a worker process or a cluster (it is unpickled as its class's instance)."""

    name: ClassVar[str]  # in --only, in the state file, in the build summary
    help: ClassVar[str]  # what it makes, for --only's help
    reads: ClassVar[frozenset[Reads]] = frozenset()
    makes: ClassVar[frozenset[Reads]] = frozenset()  # what it makes that other outputs read
    per_paper: ClassVar[bool] = False  # one set of files per paper size
    _instances: ClassVar[dict[type, Any]] = {}

    def __new__(cls) -> Any:
        if cls not in Output._instances:
            Output._instances[cls] = super().__new__(cls)
        return Output._instances[cls]

    def __reduce__(self) -> tuple[type, tuple[()]]:
        return (type(self), ())

    def __repr__(self) -> str:
        return f"<output {self.name}>"

    def files(self, where: W, paper: str) -> tuple[File, ...]:
        """Every file it makes, so that the build can tell whether they are all in place."""
        raise NotImplementedError

    def key(self, inputs: I, paper: str) -> str:
        """What it is built from: a changed key means make it again."""
        raise NotImplementedError

    def make(self, material: M, paper: str) -> dict[Path, bytes]:
        """Its files as bytes, by path, in the order to write them; nothing is written."""
        raise NotImplementedError

    def state_name(self, where: W, paper: str) -> str:
        """As the state file and the build summary name it."""
        return self.name

    def absent_because(self, where: W) -> str:
        """Why it makes no file here (`files` gave none): said when the guide is built."""
        return f"no {self.name} is made for it"

    def leftovers(self, where: W, made: dict[Path, bytes]) -> list[Path]:
        """Files of an earlier build that it owns and no longer makes: removed once it is written."""
        return []


class Material(Protocol):
    """The lesson as finishing has it: made once, read by every format of the guide."""

    config: "Config"
    plan: "LessonPlan"
    files: GuideFiles

    def timeline(self) -> "Timeline": ...

    def mp3(self) -> bytes: ...


@dataclass(frozen=True)
class KeyInputs:
    """Everything a guide's formats' keys are made of; a changed key means rebuild."""

    audio: str  # the lesson's sound and its tags: plan, audio settings, intro, outro, metadata
    source: bytes  # the guide file
    images: str  # the digest of the cover and of every image the guide shows
    templates: str  # the templates folder's digest
    site: "SiteConfig"
    settings: "Settings"
    braille: "BrailleConfig"  # the braille edition's page size and grade


class GuideOutput(Output[GuideFiles, KeyInputs, Material]):
    """One format of a guide, made when the guide is finished."""

    def state_name(self, where: GuideFiles, paper: str) -> str:
        """`pdf`, or `pdf-letter` for another paper size than the guide's own."""
        return self.name + (where.paper_suffix(paper) if self.per_paper else "")


@dataclass(frozen=True)
class Step:
    """One piece of a build: an output, on one paper size (the guide's own, unless the output is
    made per paper size; "" for outputs that have none)."""

    output: Output[Any, Any, Any]
    paper: str

    def files(self, where: object) -> tuple[File, ...]:
        return self.output.files(where, self.paper)

    def state_name(self, where: object) -> str:
        return self.output.state_name(where, self.paper)

    def key(self, inputs: object) -> str:
        return self.output.key(inputs, self.paper)

    def make(self, material: object) -> dict[Path, bytes]:
        return self.output.make(material, self.paper)


def keyed(*parts: object) -> str:
    """An output key: a digest that also changes with publish's version."""
    return digest(__version__, *parts)


def guide_of(material: Material) -> "Guide":
    return material.plan.guide
