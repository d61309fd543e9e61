"""The audio lesson as a format: the mastered, tagged MP3 and the timeline that says where every
turn, sentence and word sits in it."""

from __future__ import annotations

from pathlib import Path

from publish.outputs.base import GuideOutput, KeyInputs, Material, Reads
from publish.outputs.files import File, GuideFiles


class AudioOutput(GuideOutput):
    name = "audio"
    help = "the narrated MP3 and its timeline"
    # The MP3 is mastered, encoded and tagged once per guide, by the build's finishing (in the
    # background while the documents are made); the book carries it too.
    reads = frozenset({Reads.CLIPS, Reads.MP3})
    makes = frozenset({Reads.TIMELINE, Reads.MP3})

    def files(self, where: GuideFiles, paper: str) -> tuple[File, ...]:
        return (where.mp3, where.timeline)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        return inputs.audio

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        files = material.files
        # The timeline first: a reader of the folder never sees an MP3 without its timeline.
        return {files.timeline.path: material.timeline().to_json().encode("utf-8"), files.mp3.path: material.mp3()}
