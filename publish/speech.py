"""From written lesson text to what the engine is asked to say.

The transcript keeps the written words; only the spoken text changes. Each clean-up is a small
`str -> str` step, tested on its own, applied in the order of SPOKEN_STEPS.
"""

from __future__ import annotations

import re
from typing import Callable, Iterable

from markdown_it import MarkdownIt

_inline = MarkdownIt("commonmark", {"html": False})

# Abbreviations that end in a full stop but rarely end a sentence.
_NO_BREAK_AFTER = ("e.g.", "i.e.", "etc.", "vs.", "Dr.", "Mr.", "Mrs.", "Ms.", "St.", "U.S.", "U.K.", "approx.", "No.")
_SENTENCE_END = re.compile(r"([.!?…][\"'”’)]*)\s+(?=[\"'“‘(]?[A-Z0-9])")

SCALE_WORDS = {"k": "thousand", "m": "million", "b": "billion"}
LETTER_ABBREVIATIONS = ("AI", "ML", "AP", "AWS", "CS", "SQL", "NLP", "GPU", "API", "IT", "UI", "UX", "USA", "US", "UK")


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


def _amount(number: str, scale: str) -> str:
    word = SCALE_WORDS.get(scale.lower(), "")
    return f"{number} {word}".strip()


def money(text: str) -> str:
    """`$120K-$200K` → `120 thousand to 200 thousand dollars`; `$155K` → `155 thousand dollars`."""
    amount = r"\$\s?(\d[\d,]*(?:\.\d+)?)\s?([kKmMbB])?\b"
    ranged = re.compile(amount + r"\s*(?:-|–|—|to)\s*" + amount)
    text = ranged.sub(lambda m: f"{_amount(m[1], m[2] or '')} to {_amount(m[3], m[4] or '')} dollars", text)
    return re.sub(amount, lambda m: f"{_amount(m[1], m[2] or '')} dollars", text)


def ranges(text: str) -> str:
    """`4-7 years` → `4 to 7 years`; dates such as 2026-11-01 are left alone."""
    return re.sub(r"(?<![\d-])(\d+(?:\.\d+)?)\s?[-–]\s?(\d+(?:\.\d+)?)(?![\d-])", r"\1 to \2", text)


def percentages(text: str) -> str:
    """`60%` → `60 percent`; `+40%` → `40 percent`."""
    return re.sub(r"\+?(\d+(?:\.\d+)?)\s?%", r"\1 percent", text)


def letter_abbreviations(text: str) -> str:
    """`AWS` → `A W S`, so engines spell them instead of guessing a word."""
    pattern = r"\b(" + "|".join(LETTER_ABBREVIATIONS) + r")(s?)\b"
    return re.sub(pattern, lambda m: " ".join(m[1]) + ("'s" if m[2] else ""), text)


def latin(text: str) -> str:
    """`e.g.` → `for example`, `i.e.` → `that is`, `etc.` → `et cetera`, `vs.` → `versus`."""
    for written, spoken in (("e.g.", "for example"), ("i.e.", "that is"), ("etc.", "et cetera"), ("vs.", "versus")):
        text = re.sub(r"(?<!\w)" + re.escape(written), spoken, text, flags=re.I)
    return text


def symbols(text: str) -> str:
    """`&` → `and`; dashes used as pauses become commas."""
    text = text.replace("&", " and ")
    text = re.sub(r"\s[—–]\s", ", ", text)
    return re.sub(r"\s{2,}", " ", text)


def lexicon_step(lexicon: Iterable[tuple[str, str]]) -> Callable[[str], str]:
    """The guide's own pronunciations, whole words only, case-insensitive."""
    entries = sorted(lexicon, key=lambda entry: -len(entry[0]))

    def apply(text: str) -> str:
        for word, say in entries:
            text = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", say, text, flags=re.I)
        return text

    return apply


SPOKEN_STEPS: tuple[Callable[[str], str], ...] = (money, percentages, ranges, latin, symbols, letter_abbreviations)


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
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    if not breaks:
        return [text]
    middle = len(text) / 2
    cut = min(breaks, key=lambda at: abs(at - middle))
    return synthesis_chunks(text[:cut].strip(), max_words) + synthesis_chunks(text[cut:].strip(), max_words)


def spoken(sentence: str, lexicon: Iterable[tuple[str, str]] = ()) -> str:
    """The text an engine is given for one written sentence."""
    text = lexicon_step(lexicon)(sentence)
    for step in SPOKEN_STEPS:
        text = step(text)
    return text.strip()
