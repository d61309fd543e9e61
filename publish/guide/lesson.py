"""The audio lesson of a guide: parts, and turns spoken by the declared hosts."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from publish.guide.model import Lesson, Part, Speaker, Turn
from publish.guide.reader import Reader, inline
from publish.text.spoken import has_words, plain_text, split_sentences


# The heading before the dialogue, in each language a guide may be written in.
LESSON_HEADINGS = frozenset({"audio lesson", "lección de audio", "leçon audio", "lezione audio", "lição em áudio",
                             "aula em áudio", "音频课", "音频课程", "音声レッスン", "ऑडियो पाठ"})
# About two hours of speech: the assembled audio of a longer lesson would not fit in memory
# comfortably on a school laptop, and nobody listens to a longer lesson in one go.
MAX_LESSON_WORDS = 20_000
# Each part is a chapter of the MP3, and ID3's table of contents counts its chapters in one byte.
MAX_PARTS = 255


@dataclass
class PartDraft:
    line: int
    title: str
    turns: list[Turn] = field(default_factory=list)


def lesson_node(node: SyntaxTreeNode, line: int, speakers: dict[str, Speaker], parts: list[PartDraft],
                 reader: Reader) -> None:
    if node.type == "heading" and node.tag == "h2":
        title = inline(node)
        if not has_words(plain_text(title)):
            reader.problem(line, "this lesson part has no title", "write its title after `## `, e.g. `## Welcome`",
                           "parts")
        parts.append(PartDraft(line, title))
        return
    if node.type != "paragraph":
        reader.problem(line, f"the audio lesson holds a {node.type.replace('_', ' ')}",
                       "write the lesson as `## Part title` headings and `Speaker: what they say` paragraphs")
        return
    if not parts:
        reader.problem(line, "a turn comes before the first part of the lesson",
                       "add a part heading such as `## Welcome` under `# Audio lesson`", "turns")
        return
    turn = _turn(inline(node), line, speakers, reader)
    if turn is not None:
        parts[-1].turns.append(turn)


def _turn(text: str, line: int, speakers: dict[str, Speaker], reader: Reader) -> Turn | None:
    name, colon, said = text.partition(":")
    if not colon:
        reader.problem(line, "this turn does not say who speaks",
                       "begin it with a speaker's name and a colon, e.g. `Maya: …`", "turns")
        return None
    key = name.strip().lower()
    speaker = speakers.get(key) or next((s for s in speakers.values() if s.name.lower() == key), None)
    if speaker is None and not speakers:
        return None  # "no speakers are declared" is said once, at the front matter
    if speaker is None:
        known = ", ".join(s.name for s in speakers.values()) or "none declared"
        reader.problem(line, f"unknown speaker `{name.strip()}`",
                       f"use a speaker declared under `speakers:` in the front matter ({known})", "turns")
        return None
    if not said.strip():
        reader.problem(line, f"{speaker.name}'s turn has no text",
                       "write what they say after the colon, or delete the line", "turns")
        return None
    shown_text = plain_text(said)
    silent = next((s for s in split_sentences(shown_text) if not has_words(s)), None)
    if silent is not None or not shown_text:
        shown = f"`{silent}`" if silent else "nothing once its markup is removed"
        reader.problem(line, f"{speaker.name}'s turn has nothing to say aloud: {shown}",
                       "write words (not only punctuation, symbols or a bare link) or delete it")
        return None
    return Turn(reader.where(line), speaker, said.strip())


def lesson_of(drafts: list[PartDraft], line: int, speakers: dict[str, Speaker], reader: Reader) -> Lesson:
    if line < 0 or (line and not speakers):
        pass  # the body could not be read to its end, or no speakers: already reported
    elif not line:
        reader.problem(1, "the guide has no audio lesson",
                       "add a heading `# Audio lesson` after the last section, then parts and turns")
    elif not any(d.turns for d in drafts):
        reader.problem(line, "the audio lesson is empty", "write turns as `Speaker: what they say` under a `## Part` heading")
    else:
        for draft in drafts:
            if not draft.turns:
                reader.problem(draft.line, f"lesson part `{draft.title}` has no turns",
                               "write at least one `Speaker: …` paragraph under it, or delete the heading", "parts")
    if len(drafts) > MAX_PARTS:
        reader.problem(drafts[MAX_PARTS].line, f"the audio lesson has {len(drafts)} parts, over the limit of {MAX_PARTS} "
                       "(the MP3's chapter table holds no more)", "merge parts, or split the lesson into several guides")
    words = sum(len(turn.text.split()) for d in drafts for turn in d.turns)
    if words > MAX_LESSON_WORDS:
        reader.problem(max(line, 1), f"the audio lesson has {words:,} words, over the limit of {MAX_LESSON_WORDS:,} "
                       "(about two hours)", "split it into several guides")
    parts = tuple(Part(reader.where(d.line), d.title, tuple(d.turns)) for d in drafts)
    return Lesson(reader.where(max(line, 1)), tuple(speakers.values()), parts)
