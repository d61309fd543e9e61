"""Finishing one guide, in a worker process: its audio, transcripts and handouts.

The worker gets the guide as planned, so it builds exactly what the build's keys were computed
from. Handouts and transcripts need the lesson's timeline: when the audio is not being built
this time and the saved timeline is not current, it is assembled again from the clip cache
(without encoding), so a handout always carries its transcript.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from publish.config import Config
from publish.outputs.files import EDITIONS, GuideFiles
from publish.audio.timeline import Timeline, read_timeline
from publish.writer import write_bytes_atomic, write_text_atomic

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan


@dataclass(frozen=True)
class GuideTask:
    """Everything a worker needs to finish one guide; picklable."""

    path: str  # the guide file as named for the build
    config: Config
    plan: "LessonPlan"
    files: GuideFiles
    steps: tuple[str, ...]  # audio, transcript, pdf, pdf-letter …, in build order
    keys: tuple[tuple[str, str], ...]  # step → the key it is built from
    timeline_current: bool  # the saved timeline belongs to this plan

    @property
    def needs_clips(self) -> bool:
        return "audio" in self.steps or (not self.timeline_current and any(s != "audio" for s in self.steps))


@dataclass
class Finished:
    built: list[str] = field(default_factory=list)
    state: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0


# Steps that need the lesson's MP3 itself, so they run after its encoding, in the audio's piece.
WITH_AUDIO = ("audio", "epub")


def parts_of(task: GuideTask) -> list[GuideTask]:
    """The guide's work as pieces that can run side by side: the audio (level match, mastering,
    encoding, then the book that carries it) and the documents (transcripts, handouts), which need
    only the timeline, and the timeline needs only the clips' lengths."""
    documents = tuple(step for step in task.steps if step not in WITH_AUDIO)
    if "audio" not in task.steps or not documents:
        return [task]
    return [replace(task, steps=tuple(s for s in task.steps if s in WITH_AUDIO)), replace(task, steps=documents)]


def finish_guide(task: GuideTask) -> Finished:
    started = time.perf_counter()
    keys = dict(task.keys)
    finished = Finished()
    # The MP3 is encoded by ffmpeg in the background while transcripts and handouts, which need
    # only the timeline, are made here.
    with ThreadPoolExecutor(max_workers=1) as background:
        encoding = None
        timeline = None if "audio" in task.steps or not task.timeline_current else read_timeline(task.files.timeline)
        for step in task.steps:
            if step == "audio":
                timeline, encoding = _start_audio(task, background)
            else:
                timeline = timeline or _timeline_only(task)
                if step == "transcript":
                    _build_transcripts(task, timeline)
                elif step == "epub":
                    if encoding is not None:
                        encoding.result()  # the book carries the MP3 being encoded
                    _build_epub(task, timeline)
                else:
                    _build_pdfs(task, step, timeline)
            finished.built.append(step)
            finished.state[step] = keys[step]
        if encoding is not None:
            encoding.result()  # raises here if encoding failed: then no step of this guide counts as built
    finished.seconds = time.perf_counter() - started
    return finished


def _clips(task: GuideTask) -> dict:
    from publish.speech.synth import ClipCache, synthesize

    clips: dict = {}
    # Every clip is in the cache by now; a damaged one is detected and made again here.
    for spec, jobs in task.plan.jobs_by_spec().items():
        clips.update(synthesize(jobs, spec, ClipCache(task.config.cache_dir), 1, task.config.audio.sample_rate,
                                in_process=True)[0])
    return clips


def _timeline_only(task: GuideTask) -> Timeline:
    from publish.audio.assemble import lesson_timeline

    return lesson_timeline(task.plan, _clips(task), task.config.audio)


def _start_audio(task: GuideTask, background):
    """Assemble the lesson now (giving the timeline); master, encode, tag and write it in `background`."""
    from publish.audio.assemble import assemble, encode_mp3
    from publish.outputs.tags import tag_mp3

    config, guide = task.config, task.plan.guide
    track, timeline = assemble(task.plan, _clips(task), config.audio)

    def finish() -> None:
        mp3 = tag_mp3(encode_mp3(track, config.audio), guide, timeline, config.site.author)
        write_text_atomic(task.files.timeline, timeline.to_json())
        write_bytes_atomic(task.files.mp3, mp3)

    return timeline, background.submit(finish)


def _build_transcripts(task: GuideTask, timeline: Timeline) -> None:
    from publish.outputs import captions, transcript

    guide, files = task.plan.guide, task.files
    names = guide.settings.transcript_speaker_names
    cues = captions.cues(timeline, guide.settings.caption_max_cps)
    write_text_atomic(files.txt, transcript.transcript_txt(timeline, names))
    write_text_atomic(files.md, transcript.transcript_md(timeline, names))
    write_text_atomic(files.vtt, captions.webvtt(cues, guide.language))
    write_text_atomic(files.srt, captions.srt(cues))
    write_text_atomic(files.transcript_json, transcript.podcast_transcript_json(timeline))
    write_text_atomic(files.chapters_json, transcript.chapters_json(timeline))
    write_text_atomic(files.transcript_html, str(transcript.transcript_html(timeline)) + "\n")


def _build_epub(task: GuideTask, timeline: Timeline) -> None:
    from publish.outputs.epub import BookRequest, render_book

    request = BookRequest(task.plan.guide, timeline, task.files.mp3, task.config.templates_dir, task.config.site.author)
    write_bytes_atomic(task.files.epub, render_book(request))


def _build_pdfs(task: GuideTask, step: str, timeline: Timeline) -> None:
    from publish.outputs.handout import HandoutRequest, render_handout

    config, guide, files = task.config, task.plan.guide, task.files
    paper = files.own_paper if step == "pdf" else step.removeprefix("pdf-")
    lesson_url = files.url(config.site.base_url) if config.site.base_url else None
    for edition in EDITIONS:
        request = HandoutRequest(guide, timeline, edition, paper, config.templates_dir, config.site.author, lesson_url)
        write_bytes_atomic(files.handout(paper, edition), render_handout(request))
