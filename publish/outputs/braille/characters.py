"""Characters a braille code cannot write: a typographic sign the table lacks is written as its
plain form (’ as ', — as -, é as e); what has no braille at all (emoji) is left out, with a
transcriber's note in the file and a warning from `publish check` naming the file and line.
"""

from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import Iterator

from publish.errors import BrailleError, Problem
from publish.guide.model import Guide
from publish.outputs.braille.blocks import BrailleBlock, Run, guide_blocks, note
from publish.outputs.braille.liblouis import writable
from publish.outputs.braille.tables import BrailleTable, table_for
from publish.outputs.i18n import N_, translator

LEFT_OUT = N_("The text above leaves out what braille cannot write: %(names)s.")
# Plain forms of typographic signs, for tables that lack the sign itself (Italian lacks most).
PLAIN_FORMS = {"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"', "—": "-", "–": "-", "…": "...",
               "·": "-", "•": "-", "→": "->", "€": "EUR", "™": "(TM)"}


def plain_form(table: BrailleTable, character: str) -> str | None:
    """What the table writes for the character: itself, a plain form, or None for no braille."""
    if writable(table, character):
        return character
    for candidate in (PLAIN_FORMS.get(character, ""), _without_accents(character)):
        if candidate and all(writable(table, c) for c in candidate):
            return candidate
    return None


def _without_accents(character: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", character) if not unicodedata.combining(c))


def written(table: BrailleTable, block: BrailleBlock) -> tuple[BrailleBlock, tuple[str, ...]]:
    """The block as the table can write it, and the characters it had to leave out."""
    missing: list[str] = []
    runs = []
    for run in block.runs:
        parts = []
        for character in run.text:
            form = plain_form(table, character)
            parts.append(form or "")
            if form is None and character not in missing:
                missing.append(character)
        runs.append(Run("".join(parts), run.form))
    return replace(block, runs=tuple(runs)), tuple(missing)


def with_notes(table: BrailleTable, blocks: tuple[BrailleBlock, ...], language: str) -> Iterator[BrailleBlock]:
    """Every block as the table writes it, a transcriber's note after any that lost characters."""
    _ = translator(language)
    for block in blocks:
        kept, missing = written(table, block)
        yield kept
        if missing:
            yield note(block.where, _, _(LEFT_OUT) % {"names": names(missing)})


def names(characters: tuple[str, ...]) -> str:
    """`grinning face, rocket`: Unicode's names, the one naming every symbol has."""
    return ", ".join(unicodedata.name(c, f"U+{ord(c):04X}").lower() for c in characters)


def braille_problems(guide: Guide, grade: int = 2) -> list[Problem]:
    """What `publish check` warns of for the braille edition: a language with no braille table, and
    each line with characters no braille can carry (the edition leaves them out, with a note)."""
    try:
        table = table_for(guide.language, grade)
    except BrailleError as error:
        return [Problem(guide.where.path, 1, str(error).split(" — ")[0], "the other formats are made as usual",
                        warning=True)]
    problems = []
    for block in guide_blocks(guide):
        _, missing = written(table, block)
        if missing:
            problems.append(Problem(block.where.path, block.where.line, f"{names(missing)} has no braille",
                                    "the braille edition leaves it out with a transcriber's note; write it in words "
                                    "if it matters", warning=True))
    return problems

