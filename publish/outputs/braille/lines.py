"""One block as braille lines no wider than the page: liblouis writes the block whole (so its
contractions and indicators see their context), then its words fill lines from the block's cells.

A word is moved whole to the next line (Braille Formats 1.10: words are not divided at line ends);
only a word longer than a whole line is divided — an ordinary word between syllables, each part
written on its own with a hyphen (UEB 10.13), an address between its characters, preferably after
a `/` or `.`, with the code's line continuation indicator where it has one.
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.outputs.braille.blocks import BrailleBlock, Style, collapsed
from publish.outputs.braille.liblouis import BLANK, Form, Translated, syllable_starts, translate
from publish.outputs.braille.tables import BrailleTable

# A centred heading keeps at least three blank cells at each side (Braille Formats 4.4).
CENTRE_MARGIN = 3
ADDRESS_BREAKS = "/.-_?&=#"


@dataclass(frozen=True)
class Word:
    cells: str
    sources: tuple[int, ...]  # for each cell, where in the print text it comes from


@dataclass(frozen=True)
class Writing:
    """A block's print text as liblouis was given it."""

    table: BrailleTable
    text: str
    forms: tuple[Form, ...]


def lay_out(block: BrailleBlock, table: BrailleTable, width: int) -> tuple[str, ...]:
    """The block's lines, each at most `width` cells, indented as its style asks."""
    runs = collapsed(block.runs)
    text = "".join(run.text for run in runs)
    writing = Writing(table, text, tuple(run.form for run in runs for _ in run.text))
    words = _noted(words_of(translate(table, text, writing.forms)), table) if block.note else \
        words_of(translate(table, text, writing.forms))
    if block.style is Style.CENTRED:
        room = width - 2 * CENTRE_MARGIN
        lines = filled(words, 0, 0, room, writing)
        return tuple(BLANK * ((width - len(line)) // 2) + line for line in lines)
    first, runover = (cell - 1 for cell in block.style.value)
    return filled(words, first, runover, width, writing)


def words_of(translated: Translated) -> list[Word]:
    words, start = [], 0
    cells = translated.cells + BLANK
    for index, cell in enumerate(cells):
        if cell == BLANK:
            if index > start:
                words.append(Word(cells[start:index], translated.sources[start:index]))
            start = index + 1
    return words


def _noted(words: list[Word], table: BrailleTable) -> list[Word]:
    """A transcriber's note between the code's indicators, unspaced from its first and last words."""
    if not words or not table.note_open:
        return words
    first = words[0]
    words[0] = Word(table.note_open + first.cells, (first.sources[0],) * len(table.note_open) + first.sources)
    last = words[-1]
    words[-1] = Word(last.cells + table.note_close, last.sources + (last.sources[-1],) * len(table.note_close))
    return words


def filled(words: list[Word], first: int, runover: int, width: int, writing: Writing) -> tuple[str, ...]:
    lines: list[str] = []
    line, empty = BLANK * first, True
    for word in words:
        pieces = [word.cells] if len(word.cells) <= width - runover else divided(word, width - runover, writing)
        for piece in pieces:
            if len(line) + (0 if empty else 1) + len(piece) > width:
                if not empty:
                    lines.append(line)
                line, empty = BLANK * runover, True
            line += ("" if empty else BLANK) + piece
            empty = False
    lines.append(line)
    return tuple(lines)


def divided(word: Word, room: int, writing: Writing) -> list[str]:
    """A word longer than a line, in pieces of at most `room` cells."""
    start, end = word.sources[0], word.sources[-1] + 1
    if any(Form.ADDRESS in form for form in writing.forms[start:end]):
        return _address_pieces(word, room, writing.table.continuation, writing.text)
    return _syllable_pieces(writing, start, _print_end(writing.text, end), room)


def _print_end(text: str, end: int) -> int:
    """Where the print word ends: a contraction's cell names only the first character it stands for."""
    while end < len(text) and not text[end].isspace():
        end += 1
    return end


def _address_pieces(word: Word, room: int, continuation: str, text: str) -> list[str]:
    pieces, start = [], 0
    while len(word.cells) - start > room:
        limit = start + room - len(continuation)
        # Cut only between cells of different print characters, never inside one character's sign.
        cuts = [i for i in range(start + 1, limit + 1) if word.sources[i] != word.sources[i - 1]] or [limit]
        preferred = [i for i in cuts if text[word.sources[i] - 1] in ADDRESS_BREAKS]
        cut = (preferred or cuts)[-1]
        pieces.append(word.cells[start:cut] + continuation)
        start = cut
    return pieces + [word.cells[start:]]


def _syllable_pieces(writing: Writing, start: int, end: int, room: int) -> list[str]:
    table, pieces = writing.table, list[str]()
    hyphen = translate(table, "-").cells
    while True:
        whole = _written(writing, start, end)
        if len(whole) <= room:
            return pieces + [whole]
        word = writing.text[start:end]
        syllables = [start + s for s in syllable_starts(table, word)]
        # Between syllables where one fits; between characters only where none does.
        fitting = [c for c in syllables if _fits(writing, start, c, room - len(hyphen))] or \
            [c for c in range(start + 1, end) if _fits(writing, start, c, room - len(hyphen))]
        cut = fitting[-1] if fitting else start + 1
        pieces.append(_written(writing, start, cut) + hyphen)
        start = cut


def _fits(writing: Writing, start: int, end: int, room: int) -> bool:
    return len(_written(writing, start, end)) <= room


def _written(writing: Writing, start: int, end: int) -> str:
    return translate(writing.table, writing.text[start:end], writing.forms[start:end]).cells
