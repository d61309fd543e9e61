"""WebVTT and SRT captions from the timeline.

Cues start and end at the sentence boundaries the assembly measured. A sentence too long for one
cue (two lines of 42 characters, at most 7 seconds) is split at word boundaries, and its measured
span is shared among the pieces by their length in characters. A cue never spans two speakers.
Short or fast cues are lengthened into the following pause where there is one, so that cues last
at least a second and read at no more than the guide's characters per second.

Chinese and Japanese are written without spaces: their lines break between phrases, never inside a
word (publish/text/phrases.py: jieba's words, UniDic's words with their particles; a closing mark
never at a line's start, an opening one never at its end), a phrase longer than a line between its
characters, and hold fewer characters, each as wide as two Latin ones. The line lengths and reading
speeds are those of Netflix's Timed Text Style Guides for each language: Simplified and Traditional
Chinese 16 characters a line and 9 a second, Japanese 13 a line and 4 a second (adult programmes).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace

from publish.audio.timeline import Timeline
from publish.text.phrases import CLOSING, OPENING, phrases

LINE_CHARS = 42
MAX_LINES = 2
MIN_SECONDS = 1.0
MAX_SECONDS = 7.0

# Where a phrase longer than a line may break: after one character, or a run of Latin letters and
# digits, with the opening marks before it and the closing marks and spaces after it (kinsoku).
_CJK_UNIT = re.compile(rf"[{re.escape(OPENING)}]*(?:[0-9A-Za-z][\w.,:/@+-]*|\S)[{re.escape(CLOSING)}]*\s*")


@dataclass(frozen=True)
class Layout:
    line_chars: int = LINE_CHARS
    unspaced: str = ""  # "ja" or "zh": written without spaces, its lines break between phrases
    max_cps: float = 99.0  # the language's reading speed, where it is lower than the guide's setting

    @property
    def spaced(self) -> bool:
        return not self.unspaced

    def units(self, text: str) -> list[str]:
        if self.spaced:
            return text.split(" ")
        units: list[str] = []
        for phrase in phrases(text, self.unspaced):
            units += [phrase] if len(phrase.strip()) <= self.line_chars else _CJK_UNIT.findall(phrase)
        return units

    def join(self, units: list[str]) -> str:
        return " ".join(units) if self.spaced else "".join(units).strip()


LAYOUTS = {"zh": Layout(16, "zh", 9.0), "ja": Layout(13, "ja", 4.0)}


def layout_for(language: str) -> Layout:
    return LAYOUTS.get(language.replace("_", "-").split("-")[0].lower(), Layout())


@dataclass(frozen=True)
class Cue:
    start: float  # seconds
    end: float
    speaker: str
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.lines)

    @property
    def cps(self) -> float:
        return len(self.text) / max(self.end - self.start, 1e-9)


def wrap(text: str, width: int = LINE_CHARS, layout: Layout = Layout()) -> list[str]:
    """Lines of at most `width` characters, balanced when two lines are needed."""
    if len(text) <= width:
        return [text]
    words = layout.units(text)
    best: list[str] | None = None
    for cut in range(1, len(words)):
        first, second = layout.join(words[:cut]), layout.join(words[cut:])
        if len(first) <= width and len(second) <= width:
            if best is None or abs(len(first) - len(second)) < abs(len(best[0]) - len(best[1])):
                best = [first, second]
    if best:
        return best
    lines, current = [], ""
    for word in words:  # a word longer than a line (a web address) gets a line of its own
        if current and len(layout.join([current, word])) > width:
            lines.append(current)
            current = layout.join([word])
        else:
            current = layout.join([current, word]) if current else layout.join([word])
    return lines + [current]


def _fits(text: str, layout: Layout) -> bool:
    return len(wrap(text, layout.line_chars, layout)) <= MAX_LINES


def split_text(text: str, duration: float, layout: Layout = Layout()) -> list[str]:
    """The fewest word-boundary pieces that each fit a cue, of about equal length."""
    words = layout.units(text)
    pieces_needed = max(1, math.ceil(len(text) / (layout.line_chars * MAX_LINES)), math.ceil(duration / MAX_SECONDS))
    for count in range(pieces_needed, len(words) + 1):
        pieces = _equal_pieces(words, count, layout)
        if all(_fits(p, layout) for p in pieces) and all(duration * len(p) / len(text) <= MAX_SECONDS for p in pieces):
            return pieces
    return [layout.join([word]) for word in words]


def _equal_pieces(words: list[str], count: int, layout: Layout) -> list[str]:
    total = sum(len(w) + 1 for w in words)
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for index, word in enumerate(words):
        current.append(word)
        used += len(word) + 1
        remaining_words = len(words) - index - 1
        remaining_pieces = count - len(pieces) - 1
        if remaining_pieces and remaining_words >= remaining_pieces and used >= total * (len(pieces) + 1) / count:
            pieces.append(layout.join(current))
            current = []
    if current:
        pieces.append(layout.join(current))
    return pieces


def cues(timeline: Timeline, max_cps: float = 17.0, language: str = "en") -> list[Cue]:
    layout = layout_for(language)
    raw: list[Cue] = []
    for turn in timeline.turns:
        for sentence in turn.sentences:
            start, end = timeline.seconds(sentence.start), timeline.seconds(sentence.end)
            pieces = split_text(sentence.text, end - start, layout)
            total = sum(len(p) for p in pieces)
            at = start
            for piece in pieces:
                length = (end - start) * len(piece) / total
                raw.append(Cue(at, at + length, turn.speaker, tuple(wrap(piece, layout.line_chars, layout))))
                at += length
    return _relax(_merge_short(raw, layout), timeline.duration, min(max_cps, layout.max_cps))


def _merge_short(raw: list[Cue], layout: Layout) -> list[Cue]:
    """Join a too-short cue with its neighbour of the same speaker when the two still fit one cue."""
    merged: list[Cue] = []
    for cue in raw:
        if merged:
            last = merged[-1]
            joined = layout.join([layout.join(list(last.lines)), layout.join(list(cue.lines))])
            short = (last.end - last.start) < MIN_SECONDS or (cue.end - cue.start) < MIN_SECONDS
            if short and last.speaker == cue.speaker and _fits(joined, layout) and cue.end - last.start <= MAX_SECONDS:
                merged[-1] = Cue(last.start, cue.end, last.speaker, tuple(wrap(joined, layout.line_chars, layout)))
                continue
        merged.append(cue)
    return merged


def _relax(found: list[Cue], total: float, max_cps: float) -> list[Cue]:
    """Lengthen cues into the silence after them, for the minimum duration and reading speed.

    A cue that still lasts under a second (a short sentence right before another) borrows the
    start of the next cue, which then appears a moment after its words begin but keeps a second.
    """
    relaxed = list(found)
    for index, cue in enumerate(relaxed):
        following = relaxed[index + 1] if index + 1 < len(relaxed) else None
        limit = following.start if following else total
        wanted = max(cue.end, cue.start + MIN_SECONDS, cue.start + len(cue.text) / max_cps)
        end = max(cue.end, min(wanted, limit, cue.start + MAX_SECONDS))
        if following and end - cue.start < MIN_SECONDS:
            borrowed = min(cue.start + MIN_SECONDS, following.end - MIN_SECONDS)
            if borrowed > end:
                end = borrowed
                relaxed[index + 1] = replace(following, start=borrowed)
        relaxed[index] = replace(cue, end=end)
    return relaxed


def _stamp(seconds: float, separator: str) -> str:
    ms = round(seconds * 1000)
    hours, ms = divmod(ms, 3_600_000)
    minutes, ms = divmod(ms, 60_000)
    secs, ms = divmod(ms, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{ms:03d}"


def _cue_text(text: str) -> str:
    # "-->" inside a cue would read as the timing line of a new cue in both formats.
    return text.replace("-->", "→")


def _vtt_escape(text: str) -> str:
    return _cue_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webvtt(found: list[Cue], language: str) -> str:
    blocks = [f"WEBVTT\nLanguage: {language}\n"]
    for number, cue in enumerate(found, start=1):
        voice = _vtt_escape(cue.speaker)
        body = "\n".join(_vtt_escape(line) for line in cue.lines)
        blocks.append(f"{number}\n{_stamp(cue.start, '.')} --> {_stamp(cue.end, '.')}\n<v {voice}>{body}</v>\n")
    return "\n".join(blocks)


def srt(found: list[Cue]) -> str:
    blocks = []
    for number, cue in enumerate(found, start=1):
        text = "\n".join(_cue_text(line) for line in cue.lines)
        blocks.append(f"{number}\n{_stamp(cue.start, ',')} --> {_stamp(cue.end, ',')}\n{text}\n")
    return "\n".join(blocks)
