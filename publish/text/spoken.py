"""From written lesson text to what the engine is asked to say.

The transcript keeps the written words; only the spoken text changes. Each clean-up is a small
`str -> str` step, tested on its own; the steps are chosen by the guide's language
(`publish.text.normalize` has the English ones).
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from markdown_it import MarkdownIt

from publish.text import cjk, hindi, languages
from publish.text.normalize import BRITISH, ENGLISH, guarded
from publish.text.sounds import SOUND, markup
from publish.text.traced import Traced, strip, sub

_inline = MarkdownIt("commonmark", {"html": False})

# Abbreviations that end in a full stop but rarely end a sentence, by the guide's language.
_NO_BREAK_AFTER = {"en": ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "U.S.", "U.K.", "approx.",
                          "No."), **languages.NO_BREAK_AFTER}
# A sentence ends at . ! ? … before a capital or a digit, which may follow an opening quote or a
# Spanish ¿ ¡.
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)»]*)\s+(?=[\"'“‘(«¿¡]?\s?[^\W\d_a-zà-ÿ]|[\"'“‘(«¿¡]?\d)")


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


def split_sentences(text: str, language: str = "en") -> list[str]:
    """Split a turn into sentences at . ! ? followed by a capital, except after abbreviations; in
    Chinese and Japanese after 。！？, in Hindi after the danda।"""
    sentences: list[str] = []
    start = 0
    primary = language.split("-")[0].lower()
    no_break = _NO_BREAK_AFTER.get(primary, _NO_BREAK_AFTER["en"])
    for match in SENTENCE_ENDS.get(primary, _SENTENCE_END).finditer(text):
        candidate = text[start:match.end(1)].strip()
        if candidate.endswith(no_break):
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

    def replacement(say: str) -> Callable[[re.Match[str]], str]:
        if len(say) > 2 and say.startswith("/") and say.endswith("/"):
            return lambda match: markup(match.group(), say[1:-1])
        return lambda match: say

    def apply(text: str) -> str:
        for word, say in entries:
            pattern = r"(?<![\w\[])" + re.escape(word) + r"(?![\w\]])"
            text = sub(pattern, replacement(say), text, flags=re.I)
        return text

    return apply


def tidy(text: str) -> str:
    """Runs of spaces left by other steps become one."""
    return sub(r"\s{2,}", " ", text)


# The steps for each guide language, by tag (`en-gb`) or primary language. Other languages get only
# the language-neutral ones (the lexicon and tidying), and their engines read numbers themselves.
LANGUAGE_STEPS: dict[str, tuple[Callable[[str], str], ...]] = {
    "en": ENGLISH,
    "en-gb": BRITISH,
    **{language: tuple(guarded(step) for step in languages.steps(rules)) for language, rules in languages.RULES.items()},
    "zh": cjk.chinese_steps(),
    "ja": cjk.japanese_steps(),
    "hi": hindi.steps(),
}
NEUTRAL_STEPS: tuple[Callable[[str], str], ...] = ()
# Where a sentence ends in languages that do not end it with . ! ? and a space.
SENTENCE_ENDS = {"zh": cjk.SENTENCE_END, "ja": cjk.SENTENCE_END, "hi": hindi.SENTENCE_END}


def steps_for(language: str) -> tuple[Callable[[str], str], ...]:
    tag = language.replace("_", "-").lower()
    return LANGUAGE_STEPS.get(tag, LANGUAGE_STEPS.get(tag.split("-")[0], NEUTRAL_STEPS)) + (tidy,)


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
    return str(_said(sentence, lexicon, language))


def _said(text: str, lexicon: Iterable[tuple[str, str]], language: str) -> str:
    """The speech steps over `text`; a Traced text comes out traced."""
    text = lexicon_step(lexicon)(text)
    for step in steps_for(language):
        text = step(text)
    return strip(text)


# --- words: what is said, where it was written -------------------------------------------------------

# A word of spoken text: an exact sound (with what sticks to it, "[A.M.](/…/),") or a run of non-spaces.
_SPOKEN_WORD = re.compile(SOUND.pattern + r"\S*|\S+")
_EDGE_PUNCTUATION = ".,;:!?\"'“”‘’()[]{}…—–-"


def spoken_words(text: str) -> list[tuple[int, int]]:
    """Where each word of a spoken text lies (character spans); punctuation alone is not a word."""
    return [m.span() for m in _SPOKEN_WORD.finditer(text) if SOUND.match(m.group()) or has_words(m.group())]


def traced_spoken(sentence: str, lexicon: Iterable[tuple[str, str]] = (), language: str = "en") -> Traced:
    """`spoken`, with each character knowing which characters of the written sentence it stands for."""
    traced = _said(Traced(sentence), lexicon, language)
    assert isinstance(traced, Traced)
    return traced


def written_sources(sentence: str, said: Traced) -> list[tuple[int, int]]:
    """For each spoken word of `said`, the written word(s) of `sentence` it comes from, as a
    character span without the punctuation around it ("$120K," → "$120K")."""
    written = [m.span() for m in re.finditer(r"\S+", sentence)]
    sources = []
    for start, end in spoken_words(said):
        start, end = _core(said, start, end)
        source = said.source_span(start, end)
        if source is None:
            sources.append((0, 0))
            continue
        touched = [span for span in written if span[0] < source[1] and source[0] < span[1]] or [source]
        first, last = touched[0][0], touched[-1][1]
        sources.append(_core(sentence, first, last))
    return sources


def _core(text: str, start: int, end: int) -> tuple[int, int]:
    """A word without the punctuation around it; an exact sound without what follows it; an
    abbreviation keeps its last full stop ("a.m.")."""
    sound = SOUND.match(text, start, end)
    if sound:
        return start, sound.end()
    while start < end - 1 and text[start] in _EDGE_PUNCTUATION:
        start += 1
    while end > start + 1 and text[end - 1] in _EDGE_PUNCTUATION:
        if text[end - 1] == "." and "." in text[start:end - 1]:
            break
        end -= 1
    return start, end


def timed_words(sources: list[tuple[int, int]], times: list[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Written words with the time they are said: (first char, end char, start, end). Spoken words
    from the same written words are one timed word ("7:45" said as "seven forty-five")."""
    timed: list[tuple[int, int, int, int]] = []
    for (first, last), (start, end) in zip(sources, times):
        if timed and first < timed[-1][1] and timed[-1][0] < last:
            a, b, s, _ = timed[-1]
            timed[-1] = (min(a, first), max(b, last), s, max(end, timed[-1][3]))
        elif last > first:
            timed.append((first, last, start, end))
    return timed
