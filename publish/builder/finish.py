"""Finishing one guide, in a worker process or on a cluster worker: its formats, made as bytes.

The worker gets the guide as planned, so it builds exactly what the build's keys were computed
from. Formats read the lesson's material (`LessonMaterial`): when the audio is not being built
this time and the saved timeline is not current, the timeline is placed again from the clip
cache (without encoding), so a handout always carries its transcript. Nothing is written here:
the build writes what comes back.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from publish.builder.material import LessonMaterial, assembles, needs_clips
from publish.config import Config
from publish.outputs.base import Reads, Step
from publish.outputs.files import GuideFiles

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan


@dataclass(frozen=True)
class GuideTask:
    """Everything a worker needs to finish one guide; picklable."""

    path: str  # the guide file as named for the build
    config: Config
    plan: "LessonPlan"
    files: GuideFiles
    steps: tuple[Step, ...]  # in build order
    keys: tuple[tuple[Step, str], ...]  # every step of the guide → the key it is built from
    timeline_current: bool  # the saved timeline belongs to this plan

    @property
    def needs_clips(self) -> bool:
        return needs_clips(self.steps, self.timeline_current)


@dataclass(frozen=True)
class Finished:
    """What finishing made: the steps, and their files as bytes by path, in the order to write them."""

    built: tuple[Step, ...]
    outputs: dict[Path, bytes]
    seconds: float


def _with_mp3(step: Step) -> bool:
    return Reads.MP3 in step.output.reads


def parts_of(task: GuideTask) -> list[GuideTask]:
    """The guide's work as pieces that can run side by side: the audio (level match, mastering,
    encoding, then the book that carries it) and the documents (transcripts, handouts), which need
    only the timeline, and the timeline needs only the clips' lengths."""
    documents = tuple(step for step in task.steps if not _with_mp3(step))
    if not assembles(task.steps) or not documents:
        return [task]
    return [replace(task, steps=tuple(s for s in task.steps if _with_mp3(s))), replace(task, steps=documents)]


def finish_guide(task: GuideTask) -> Finished:
    started = time.perf_counter()
    made: dict[Step, dict[Path, bytes]] = {}
    with LessonMaterial(task.config, task.plan, task.files, task.steps, task.timeline_current) as material:
        # What waits for the MP3 comes last: the documents are made while it is encoded.
        for step in sorted(task.steps, key=_with_mp3):
            made[step] = step.make(material)
    outputs = {path: data for step in task.steps for path, data in made[step].items()}
    return Finished(task.steps, outputs, time.perf_counter() - started)


def get_ready(documents: bool) -> None:
    """Run in a finishing process before its first guide arrives: what finishing imports, and
    WeasyPrint (0.6 s) in the process that is likely to render the handouts."""
    import numpy  # noqa: F401

    import publish.audio.assemble  # noqa: F401
    import publish.outputs.registry  # noqa: F401

    if documents:
        import weasyprint  # noqa: F401


def made(steps: tuple[Step, ...], material: object) -> Finished:
    """Steps made here from one material (a page's, the site's): their files as bytes."""
    started = time.perf_counter()
    outputs = {path: data for step in steps for path, data in step.make(material).items()}
    return Finished(steps, outputs, time.perf_counter() - started)
