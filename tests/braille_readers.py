"""Real readers for the braille tests: liblouis reads a BRF back into print, an XML parser reads the
PEF, and a guide's own words are listed from its model — none of it publish's braille code."""

from __future__ import annotations

import difflib
import re
import unicodedata
from xml.etree import ElementTree

import louis

from publish.guide.model import (BulletList, Day, Facts, Faq, Figure, Guide, ItemList, Myths, Paragraph, Pathway, Routes,
                                 Skills, Sources)
from publish.outputs.braille.tables import BrailleTable
from publish.text.spoken import plain_text

PEF_NS = {"pef": "http://www.daisy.org/ns/2008/pef"}
BRF_CHARACTERS = set(chr(code) for code in range(0x20, 0x60))  # the 64 cells of braille ASCII
BLANK = "\u2800"


def brf_pages(data: bytes) -> list[list[str]]:
    """A BRF's pages, each a list of its lines (as embossers read it: a form feed ends each page)."""
    text = data.decode("ascii")
    assert text.endswith("\f")
    return [page.removesuffix("\n").split("\n") for page in text.split("\f")[:-1]]


def dots(brf_line: str) -> str:
    """A BRF line as Unicode braille, read by liblouis's own braille-ASCII display table."""
    return louis.charToDots(["en-us-brf.dis"], brf_line, louis.ucBrl) if brf_line else ""


def back_translated(table: BrailleTable, cells: str) -> str:
    return louis.backTranslateString(list(table.files), cells)


def brf_text(table: BrailleTable, data: bytes) -> str:
    """The print text liblouis reads back from a BRF: every page's lines but its page number's."""
    lines = [dots(line) for page in brf_pages(data) for line in page[:-1]]
    return back_translated(table, BLANK.join(line.strip(BLANK) for line in lines if line.strip(BLANK)))


def page_numbers(table: BrailleTable, data: bytes) -> list[str]:
    return [back_translated(table, dots(page[-1].strip())) for page in brf_pages(data)]


def pef_pages(data: bytes) -> list[list[str]]:
    root = ElementTree.fromstring(data)
    return [[row.text or "" for row in page.findall("pef:row", PEF_NS)]
            for page in root.iterfind(".//pef:page", PEF_NS)]


def words(text: str, numbers: bool = True) -> list[str]:
    """Words as compared: case, accents' composition and punctuation set aside, and letters apart
    from digits — liblouis's Spanish table reads some punctuation back as digits (`fijos3` for
    `fijos:`, `5Cuánto` for `¿Cuánto`, and so `9300` for `9:00`); `numbers=False` keeps letters only."""
    pattern = r"[^\W\d_]+|\d+" if numbers else r"[^\W\d_]+"
    return re.findall(pattern, unicodedata.normalize("NFC", text).casefold())


def recovered(expected: list[str], found: list[str]) -> float:
    """The share of `expected` words found in `found` in the same order."""
    matcher = difflib.SequenceMatcher(None, expected, found, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(expected)


def guide_words(guide: Guide, numbers: bool = True, addresses: bool = True) -> list[str]:
    """Every word the guide's author wrote that a reader reads, in the guide's order (`addresses=False`:
    without the sources' web addresses)."""
    texts = [guide.title, guide.subtitle, guide.series, guide.title, guide.summary]
    for section in guide.sections:
        texts.append(section.title)
        for block in section.blocks:
            texts += _block_texts(block, addresses)
    for part in guide.lesson.parts:
        texts.append(part.title)
        texts += [f"{turn.speaker.name} {plain_text(turn.text)}" for turn in part.turns]
    return words(" ".join(texts), numbers)


def _block_texts(block, addresses: bool) -> list[str]:
    if isinstance(block, Paragraph):
        return [plain_text(block.text)]
    if isinstance(block, (BulletList, ItemList)):
        return [plain_text(item) for item in block.items]
    if isinstance(block, Facts):
        return [f"{fact.label} {' '.join(fact.values)}" for fact in block.facts]
    if isinstance(block, Day):
        return [f"{entry.time} {entry.activity}" for entry in block.entries]
    if isinstance(block, Pathway):
        return [f"{step.stage} {step.duration}" for step in block.steps]
    if isinstance(block, Skills):
        return [f"{skill.name} {skill.rating}" for skill in block.skills]
    if isinstance(block, Routes):
        return [f"{route.name} {route.share} {route.duration}" for route in block.routes]
    if isinstance(block, Faq):
        return [f"{q.question} {plain_text(q.answer)}" for q in block.questions]
    if isinstance(block, Myths):
        return [f"{plain_text(m.myth)} {plain_text(m.truth)}" for m in block.myths]
    if isinstance(block, Sources):
        return [f"{s.publisher} {s.title} {s.category} {s.url if addresses and s.url else ''}" for s in block.sources]
    if isinstance(block, Figure):
        return [block.alt, plain_text(block.caption)]
    raise AssertionError(f"a block kind the braille tests do not know: {type(block).__name__}")
