"""The one door to liblouis: forward translation into Unicode braille, where a long word may be
divided, which characters a table can write, and Unicode braille as ASCII braille.

liblouis does all the braille; publish only asks it. Its Python binding is Debian's `python3-louis`
(ctypes over liblouis.so.20), linked into the venv by `make build` (see the Makefile).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

from publish.errors import BrailleError
from publish.outputs.braille.tables import BrailleTable

# North American braille ASCII, the BRF encoding, as liblouis's own display table defines it.
BRF_DISPLAY = "en-us-brf.dis"
BLANK = "\u2800"
SIX_DOTS = range(0x2800, 0x2840)


class Form(enum.Flag):
    """How print shows a stretch of text, as far as braille marks it."""

    PLAIN = 0
    ITALIC = enum.auto()
    BOLD = enum.auto()
    ADDRESS = enum.auto()  # a web address: spelled out, never contracted


# liblouis's typeform bits (liblouis.h): emph_1 is italic, emph_3 bold; no_contract spells out.
_TYPEFORM = {Form.ITALIC: 0x0001, Form.BOLD: 0x0004, Form.ADDRESS: 0x1000}


@dataclass(frozen=True)
class Translated:
    cells: str  # Unicode braille, blank cells as U+2800
    sources: tuple[int, ...]  # for each cell, the position in the print text it was made from


@lru_cache(maxsize=1)
def louis() -> ModuleType:
    try:
        import louis as binding
    except (ImportError, OSError) as error:
        raise BrailleError(f"liblouis is not available ({error}) — run `make build`, which installs Debian's "
                           "liblouis-data and python3-louis and links the binding into .venv") from None
    return binding


def version() -> str:
    """liblouis's version, part of the braille's key; "" when it is missing (making it then says so)."""
    try:
        return louis().version()
    except BrailleError:
        return ""


def _mode() -> int:
    binding = louis()
    # Dots out as Unicode braille, whatever display table the language's table includes; a
    # character with no braille gives nothing rather than liblouis's `\x…` escape.
    return binding.dotsIO | binding.ucBrl | binding.noUndefined


def translate(table: BrailleTable, text: str, forms: tuple[Form, ...] = ()) -> Translated:
    """`text` in braille; `forms` (one per character, or none) say what print marks."""
    typeform = [sum(bits for form, bits in _TYPEFORM.items() if form in f) for f in forms] or None
    try:
        cells, sources, _, _ = louis().translate(list(table.files), text, typeform, 0, _mode())
    except RuntimeError as error:
        raise BrailleError(f"liblouis could not translate with {table.table}: {error}") from None
    if any(ord(cell) not in SIX_DOTS for cell in cells):
        raise BrailleError(f"liblouis wrote 8-dot braille with {table.table} for {text[:40]!r} — an embosser "
                           "prints 6 dots; use the language's 6-dot table")
    return Translated(cells, tuple(sources[:len(cells)]))


@lru_cache(maxsize=4096)
def writable(table: BrailleTable, character: str) -> bool:
    """Whether the table has braille for the character (an emoji, mostly, has none)."""
    return character.isspace() or bool(translate(table, character).cells.strip(BLANK))


def syllable_starts(table: BrailleTable, word: str) -> tuple[int, ...]:
    """Where in `word` a syllable starts, after the first: where the word may be divided."""
    try:
        marks = louis().hyphenate([table.table, table.hyphenation], word, 0)
    except RuntimeError:
        return ()  # no letters to divide (digits, symbols): divided between characters instead
    return tuple(index for index, mark in enumerate(marks) if mark == "1" and index > 0)


def ascii_braille(cells: str) -> str:
    """Unicode braille as braille ASCII (BRF): each of the 64 cells is one character."""
    return louis().dotsToChar([BRF_DISPLAY], cells) if cells else ""
