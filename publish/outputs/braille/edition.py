"""A guide's braille edition: pages of Unicode braille cells, made from the guide and the braille
settings alone (never the audio), ready for the BRF and PEF writers."""

from __future__ import annotations

from dataclasses import dataclass

from publish.config import BrailleConfig
from publish.guide.model import Guide
from publish.outputs.braille.blocks import guide_blocks
from publish.outputs.braille.characters import with_notes
from publish.outputs.braille.lines import lay_out
from publish.outputs.braille.pages import Laid, numbered, paginated
from publish.outputs.braille.tables import BrailleTable, table_for


@dataclass(frozen=True)
class BrailleEdition:
    title: str
    language: str
    table: BrailleTable
    cells: int  # a line's width
    lines: int  # a page's height, its number's line included
    pages: tuple[tuple[str, ...], ...]  # each exactly `lines` lines of Unicode braille, blank cells as U+2800


def braille_edition(guide: Guide, settings: BrailleConfig) -> BrailleEdition:
    """The guide in braille, in its language's table; a BrailleError if the language has none."""
    table = table_for(guide.language, settings.grade, guide.where.path)
    blocks = with_notes(table, guide_blocks(guide), guide.language)
    laid = [Laid(block.style, lay_out(block, table, settings.cells), block.new_page) for block in blocks]
    pages = numbered(paginated(laid, settings.lines - 1), table, settings.cells, settings.lines)
    return BrailleEdition(guide.title, guide.language, table, settings.cells, settings.lines, pages)
