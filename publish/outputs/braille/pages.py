"""Braille lines onto pages: headings with a blank line before them and never alone at the foot of
a page, the body starting on a new page after the title page, and each page's braille page number
at the right of its last line (Braille Formats 1.8), which carries nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.outputs.braille.blocks import Style
from publish.outputs.braille.liblouis import BLANK, translate
from publish.outputs.braille.tables import BrailleTable

# A centred or cell-5 heading has a blank line before it (Braille Formats 4.3, 4.5), unless it
# opens a page; a centred heading also one after it.
BLANK_BEFORE = (Style.CENTRED, Style.CELL_5)


@dataclass(frozen=True)
class Laid:
    """A block as lines, and what placing it needs to know."""

    style: Style
    lines: tuple[str, ...]
    new_page: bool = False


def paginated(laid: list[Laid], rows: int) -> list[list[str]]:
    """The blocks' lines on pages of at most `rows` lines (the page number's line not counted)."""
    pages: list[list[str]] = [[]]
    for index, block in enumerate(laid):
        page = pages[-1]
        before = block.style in BLANK_BEFORE and bool(page) and page[-1] != ""
        # A heading keeps its following line with it: both move to the next page if they do not fit.
        needed = int(before) + len(block.lines) + int(block.style.heading and index + 1 < len(laid))
        if page and (block.new_page or (block.style.heading and len(page) + needed > rows)):
            pages.append(page := [])
            before = False
        if before:
            page.append("")
        for line in block.lines:
            if len(page) == rows:
                pages.append(page := [])
            page.append(line)
        following = laid[index + 1] if index + 1 < len(laid) else None
        if block.style is Style.CENTRED and following and not following.new_page and len(page) < rows:
            page.append("")
    return pages


def numbered(pages: list[list[str]], table: BrailleTable, cells: int, lines: int) -> tuple[tuple[str, ...], ...]:
    """Each page filled to `lines` lines, its number in braille at the right of the last."""
    done = []
    for number, page in enumerate(pages, start=1):
        sign = translate(table, str(number)).cells
        rows = [line.rstrip(BLANK) for line in page] + [""] * (lines - 1 - len(page))
        done.append(tuple(rows) + (BLANK * (cells - len(sign)) + sign,))
    return tuple(done)
