"""The timeline: where every turn and sentence sits in the finished audio, in samples.

It is produced by the assembly from real clip lengths; every transcript and caption format is a
pure function of it.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

FORMAT_VERSION = 3  # 2: each turn records the engine and voice that spoke it; 3: word timings

# How finely a turn is timed: every sentence always; every written word where the voice times its words.
SENTENCE, WORD = "sentence", "word"
# What a lesson's pace is counted in.
WORDS, CHARACTERS = "words", "characters"
# Han ideographs (with 々 and 〇), hiragana and katakana (with the long-vowel mark).
_CJK = re.compile(r"[\u3005\u3007\u3041-\u309f\u30a0-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_OTHER_RUN = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class WordSpan:
    first: int  # where the word lies in its sentence's written text (characters, end exclusive)
    last: int
    start: int  # samples from the start of the file
    end: int


@dataclass(frozen=True)
class SentenceSpan:
    text: str  # as written
    spoken: str  # as given to the engine
    start: int  # samples from the start of the file
    end: int
    words: tuple[WordSpan, ...] = ()  # in order; empty where the voice cannot time its words


@dataclass(frozen=True)
class TurnSpan:
    index: int
    part: int
    speaker_id: str
    speaker: str  # display name
    text: str  # as written
    line: int  # in the guide file
    start: int
    end: int
    sentences: tuple[SentenceSpan, ...]
    engine: str  # the engine that spoke this turn
    voice: str  # `engine:voice`, e.g. `hibari:heart`
    timing: str = SENTENCE  # WORD when every sentence of the turn has its words timed


@dataclass(frozen=True)
class ChapterSpan:
    title: str
    start: int
    end: int


@dataclass(frozen=True)
class Timeline:
    slug: str
    title: str
    sample_rate: int
    total: int  # samples in the finished audio
    turns: tuple[TurnSpan, ...]
    chapters: tuple[ChapterSpan, ...]
    cast: str = ""  # `published` or `draft`: which cast the hosts without their own voice got

    @property
    def voices(self) -> tuple[tuple[str, str], ...]:
        """(speaker, voice) for each host, in order of first turn."""
        seen: dict[str, str] = {}
        for turn in self.turns:
            seen.setdefault(turn.speaker, turn.voice)
        return tuple(seen.items())

    def seconds(self, samples: int) -> float:
        return samples / self.sample_rate

    def ms(self, samples: int) -> int:
        return round(samples * 1000 / self.sample_rate)

    @property
    def duration(self) -> float:
        return self.seconds(self.total)

    @property
    def pace_unit(self) -> str:
        """What the lesson's pace is counted in: WORDS, or CHARACTERS for a lesson written mostly
        in Chinese or Japanese, which put no spaces between words (a reader's pace there is
        characters a minute)."""
        text = " ".join(turn.text for turn in self.turns)
        return CHARACTERS if len(_CJK.findall(text)) > len(text.split()) else WORDS

    @property
    def per_minute(self) -> float:
        """The lesson's pace, in its `pace_unit`: written units over the time from the first turn's
        start to the last turn's end (an intro, an outro and the silence around the lesson are not
        its pace)."""
        if not self.turns:
            return 0.0
        unit = self.pace_unit
        count = sum(written_units(s.text, unit) for turn in self.turns for s in turn.sentences)
        return 60 * count / max(self.seconds(self.turns[-1].end - self.turns[0].start), 1e-9)

    def hosts_per_minute(self) -> dict[str, float]:
        """Each speaker's pace within their sentences (the pauses between them left out)."""
        unit = self.pace_unit
        counts: dict[str, list[int]] = {}
        for turn in self.turns:
            count = counts.setdefault(turn.speaker, [0, 0])
            for sentence in turn.sentences:
                count[0] += written_units(sentence.text, unit)
                count[1] += sentence.end - sentence.start
        return {speaker: 60 * units / max(self.seconds(samples), 1e-9) for speaker, (units, samples) in counts.items()}

    def to_json(self) -> str:
        data = {"format": FORMAT_VERSION, **asdict(self)}
        for turn in data["turns"]:
            turn["start_ms"], turn["end_ms"] = self.ms(turn["start"]), self.ms(turn["end"])
            for sentence in turn["sentences"]:
                sentence["start_ms"], sentence["end_ms"] = self.ms(sentence["start"]), self.ms(sentence["end"])
                for word in sentence["words"]:
                    word["text"] = sentence["text"][word["first"]:word["last"]]
                    word["start_ms"], word["end_ms"] = self.ms(word["start"]), self.ms(word["end"])
        for chapter in data["chapters"]:
            chapter["start_ms"], chapter["end_ms"] = self.ms(chapter["start"]), self.ms(chapter["end"])
        data["duration_ms"] = self.ms(self.total)
        data["pace"] = {"per_minute": round(self.per_minute, 1), "unit": self.pace_unit}
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> "Timeline":
        data = json.loads(text)
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"timeline format {data.get('format')} is not {FORMAT_VERSION}")
        turns = tuple(
            TurnSpan(
                index=t["index"], part=t["part"], speaker_id=t["speaker_id"], speaker=t["speaker"], text=t["text"],
                line=t["line"], start=t["start"], end=t["end"],
                sentences=tuple(SentenceSpan(s["text"], s["spoken"], s["start"], s["end"],
                                             tuple(WordSpan(w["first"], w["last"], w["start"], w["end"]) for w in s["words"]))
                                for s in t["sentences"]),
                engine=t["engine"], voice=t["voice"], timing=t["timing"],
            )
            for t in data["turns"]
        )
        chapters = tuple(ChapterSpan(c["title"], c["start"], c["end"]) for c in data["chapters"])
        return cls(data["slug"], data["title"], data["sample_rate"], data["total"], turns, chapters,
                   data.get("cast", ""))


def written_words(text: str) -> int:
    """Words as a reader counts them: "$39.50/hour" is one, a dash between spaces none."""
    return sum(1 for token in text.split() if any(character.isalnum() for character in token))


def written_units(text: str, unit: str) -> int:
    """Words, or characters as a Chinese or Japanese reader counts them: each ideograph and kana one,
    a run of Latin letters or digits ("AI", "2026") one, punctuation none."""
    if unit == WORDS:
        return written_words(text)
    return len(_CJK.findall(text)) + len(_OTHER_RUN.findall(_CJK.sub(" ", text)))


def read_timeline(path: Path) -> Timeline | None:
    """The timeline a previous build saved, or None where there is none (or it cannot be read)."""
    try:
        return Timeline.from_json(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError):
        return None
