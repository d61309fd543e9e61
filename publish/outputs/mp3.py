"""The audio lesson as a format: the mastered, tagged MP3 and the timeline that says where every
turn, sentence and word sits in it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from publish.outputs.base import KeyInputs, Material, Output, Reads
from publish.outputs.files import GuideFiles
from publish.outputs.i18n import N_


class AudioOutput(Output):
    name = "audio"
    help = "the narrated MP3 and its timeline"
    # The MP3 is mastered and encoded once per guide (in the background, see LessonMaterial);
    # this output tags it, and the book carries it.
    reads = frozenset({Reads.CLIPS, Reads.MP3})
    makes = frozenset({Reads.TIMELINE, Reads.MP3})

    def files(self, files: GuideFiles, paper: str) -> tuple[Path, ...]:
        return (files.mp3, files.timeline)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        return inputs.audio

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        files = material.files
        # The timeline first: a reader of the folder never sees an MP3 without its timeline.
        return {files.timeline: material.timeline().to_json().encode("utf-8"), files.mp3: material.mp3()}

    def downloads(self, files: GuideFiles, paper: str, several_papers: bool,
                  _: Callable[[str], str] = str) -> list[tuple[Path, str]]:
        return [(files.mp3, _(N_("Audio lesson (MP3)")))]
