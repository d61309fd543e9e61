"""From written lesson text to what the engine is asked to say.

The transcript keeps the written words; only the spoken text changes. Each clean-up is a small
`str -> str` step, tested on its own; the steps are chosen by the guide's language
(`publish.normalize` has the English ones).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from markdown_it import MarkdownIt

from publish.normalize import ENGLISH
from publish.sounds import markup

_inline = MarkdownIt("commonmark", {"html": False})

# Abbreviations that end in a full stop but rarely end a sentence.
_NO_BREAK_AFTER = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "U.S.", "U.K.", "approx.", "No.")
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9])")


def plain_text(inline_markdown: str) -> str:
    """Inline Markdown → the words a reader sees (emphasis marks and link targets dropped)."""
    tokens = _inline.parseInline(inline_markdown)
    parts: list[str] = []
    for token in tokens:
        for child in token.children or []:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def split_sentences(text: str) -> list[str]:
    """Split a turn into sentences at . ! ? followed by a capital, except after abbreviations."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        candidate = text[start:match.end(1)].strip()
        if candidate.endswith(_NO_BREAK_AFTER):
            continue
        sentences.append(candidate)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


def lexicon_step(lexicon: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    """The guide's own pronunciations, whole words only, case-insensitive: a respelling
    (`Kaggle: KAG-ull`) or phonemes in IPA between slashes (`Kaggle: /ˈkæɡəl/`)."""
    entries = sorted(lexicon, key=lambda entry: -len(entry[0]))

    def apply(text: str) -> str:
        for word, say in entries:
            pattern = r"(?<![\w\[])" + re.escape(word) + r"(?![\w\]])"
            if len(say) > 2 and say.startswith("/") and say.endswith("/"):
                text = re.sub(pattern, lambda m, ipa=say[1:-1]: markup(m.group(), ipa), text, flags=re.I)
            else:
                text = re.sub(pattern, lambda m, said=say: said, text, flags=re.I)
        return text

    return apply


def tidy(text: str) -> str:
    """Runs of spaces left by other steps become one."""
    return re.sub(r"\s{2,}", " ", text)


# The steps for each guide language; English is the only full set so far. Other languages get
# only the language-neutral ones (the lexicon and tidying), and their engines read numbers themselves.
LANGUAGE_STEPS: dict[str, tuple[Callable[[str], str], ...]] = {"en": ENGLISH}
NEUTRAL_STEPS: tuple[Callable[[str], str], ...] = ()


def steps_for(language: str) -> tuple[Callable[[str], str], ...]:
    return LANGUAGE_STEPS.get(language.split("-")[0].lower(), NEUTRAL_STEPS) + (tidy,)


MAX_CHUNK_WORDS = 18
_CLAUSE_BREAK = re.compile(r"(?<=[,;:])\s+")


def synthesis_chunks(text: str, max_words: int = MAX_CHUNK_WORDS) -> list[str]:
    """A long sentence in clause-sized pieces, split at the comma, colon or semicolon nearest its middle.

    A neural voice's memory grows with the length of what it is asked to say at once (about
    250 MB for 16 words, 470 MB for 45 with Piper); speaking clause by clause keeps it bounded
    and costs only the short pause a reader makes at a comma anyway.
    """
    words = text.split()
    if len(words) <= max_words:
        return [text]
    # Only where both sides have a word to say: an engine given only punctuation returns silence.
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)
              if has_words(text[:m.start()]) and has_words(text[m.start():])]
    if not breaks:
        return [text]
    middle = len(text) / 2
    cut = min(breaks, key=lambda at: abs(at - middle))
    return synthesis_chunks(text[:cut].strip(), max_words) + synthesis_chunks(text[cut:].strip(), max_words)


def has_words(text: str) -> bool:
    """Something a voice can say: at least one letter or digit."""
    return any(ch.isalnum() for ch in text)


def spoken(sentence: str, lexicon: Iterable[tuple[str, str]] = (), language: str = "en") -> str:
    """The text an engine is given for one written sentence (exact sounds as `[shown](/ipa/)`)."""
    text = lexicon_step(lexicon)(sentence)
    for step in steps_for(language):
        text = step(text)
    return text.strip()
