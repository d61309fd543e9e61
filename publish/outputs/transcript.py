"""Transcripts in the reference audio-lesson format, the Podcasting 2.0 JSON files, and the
transcript format (`TranscriptOutput`: these and the captions).

Pure functions of the timeline: a turn's printed time is its start in the audio, truncated to
the whole second (a turn starting at 19.8 s reads 00:19).
"""

from __future__ import annotations

import json
from pathlib import Path

from markupsafe import Markup, escape

from publish.audio.timeline import Timeline, TurnSpan
from publish.outputs import captions
from publish.outputs.base import GuideOutput, KeyInputs, Material, Reads, guide_of, keyed
from publish.outputs.files import File, GuideFiles
from publish.outputs.i18n import N_, translator

HEADING = N_("Audio guide transcript")
# Our own words for the reference format's one-line introduction: its exact sentence is the
# reference documents' prose, which this project does not copy.
INTRO = N_("Every word of the audio lesson, with the time each turn starts. Search it, skim it, or follow along.")


def heading(language: str) -> str:
    return translator(language)(HEADING)


def intro(language: str) -> str:
    return translator(language)(INTRO)


def clock(seconds: float) -> str:
    """`MM:SS`, or `H:MM:SS` from one hour on; truncated, never rounded up."""
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def turn_line(timeline: Timeline, turn: TurnSpan, speaker_names: bool) -> str:
    who = f"{turn.speaker}: " if speaker_names else ""
    return f"{clock(timeline.seconds(turn.start))}  {who}{turn.text}"


def transcript_txt(timeline: Timeline, speaker_names: bool = False, language: str = "en") -> str:
    lines = [heading(language), intro(language), ""]
    lines += [turn_line(timeline, turn, speaker_names) for turn in timeline.turns]
    return "\n".join(lines) + "\n"


def transcript_md(timeline: Timeline, speaker_names: bool = False, language: str = "en") -> str:
    lines = [f"# {heading(language)}", "", intro(language), ""]
    for turn in timeline.turns:
        who = f"**{_md_escape(turn.speaker)}:** " if speaker_names else ""
        lines.append(f"`{clock(timeline.seconds(turn.start))}`  {who}{_md_escape(turn.text)}")
        lines.append("")
    return "\n".join(lines)


def _md_escape(text: str) -> str:
    # The written text is shown as typed; Markdown characters in it must not turn into markup.
    return "".join("\\" + c if c in "\\`*_[]<>#|" else c for c in text)


def transcript_html(timeline: Timeline, speaker_names: bool = True) -> Markup:
    """An HTML fragment: one <p> a turn, with <time> and the speaker, for pages and handouts."""
    parts = ['<div class="transcript">']
    for turn in timeline.turns:
        seconds = timeline.seconds(turn.start)
        who = f'<span class="speaker">{escape(turn.speaker)}:</span> ' if speaker_names else ""
        parts.append(
            f'<p class="turn" id="t{turn.index}" data-start="{seconds:.3f}" data-speaker="{escape(turn.speaker_id)}">'
            f'<time datetime="PT{seconds:.3f}S">{clock(seconds)}</time> {who}'
            f'<span class="text">{escape(turn.text)}</span></p>'
        )
    parts.append("</div>")
    return Markup("\n".join(parts))


def podcast_transcript_json(timeline: Timeline) -> str:
    """Podcasting 2.0 JSON transcript: one segment a sentence, with its speaker."""
    segments = [
        {
            "speaker": turn.speaker,
            "startTime": round(timeline.seconds(sentence.start), 3),
            "endTime": round(timeline.seconds(sentence.end), 3),
            "body": sentence.text,
        }
        for turn in timeline.turns
        for sentence in turn.sentences
    ]
    return json.dumps({"version": "1.0.0", "segments": segments}, ensure_ascii=False, indent=1) + "\n"


def chapters_json(timeline: Timeline) -> str:
    """Podcasting 2.0 chapters JSON, one chapter per lesson part."""
    chapters = [
        {"startTime": round(timeline.seconds(chapter.start), 3), "endTime": round(timeline.seconds(chapter.end), 3),
         "title": chapter.title}
        for chapter in timeline.chapters
    ]
    return json.dumps({"version": "1.2.0", "chapters": chapters}, ensure_ascii=False, indent=1) + "\n"


class TranscriptOutput(GuideOutput):
    name = "transcript"
    help = "transcripts and captions"
    reads = frozenset({Reads.TIMELINE})

    def files(self, where: GuideFiles, paper: str) -> tuple[File, ...]:
        # In the order a page lists them: the reader's transcript, then what players and podcast apps read.
        return (where.txt, where.vtt, where.srt, where.transcript_json, where.chapters_json, where.md,
                where.transcript_html)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        return keyed(inputs.audio, inputs.settings)

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        guide, files, timeline = guide_of(material), material.files, material.timeline()
        names = guide.settings.transcript_speaker_names
        cues = captions.cues(timeline, guide.settings.caption_max_cps, guide.language)
        texts = {
            files.txt: transcript_txt(timeline, names, guide.language),
            files.md: transcript_md(timeline, names, guide.language),
            files.vtt: captions.webvtt(cues, guide.language),
            files.srt: captions.srt(cues),
            files.transcript_json: podcast_transcript_json(timeline),
            files.chapters_json: chapters_json(timeline),
            files.transcript_html: str(transcript_html(timeline)) + "\n",
        }
        return {file.path: text.encode("utf-8") for file, text in texts.items()}
