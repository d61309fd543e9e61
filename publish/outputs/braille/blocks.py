"""The guide laid out as braille blocks: what is read, in order, and in which of BANA's formats
(*Braille Formats* 2016) — print text still, before liblouis writes it.

Headings: the guide's title centred, section titles at cell 5, block labels (Pros, Cons…) at cell 7.
Paragraphs start at cell 3 and run over to cell 1; list items, the day, skills, facts, sources and
the lesson's turns start at cell 1 and run over to cell 3 (1-3); an education route's fields are a
list nested under it (3-5); transcriber's notes start at cell 7 and run over to cell 5.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from typing import Callable, Iterator

from markdown_it import MarkdownIt

from publish.guide.model import (Block, BulletList, Day, Facts, Faq, Figure, Guide, ItemList, Myths, Paragraph, Pathway,
                                  Routes, Skills, Sources, Where)
from publish.outputs.braille.liblouis import Form
from publish.outputs.i18n import N_, date_text, translator
from publish.outputs.templating import ITEM_TITLES, percent
from publish.outputs.transcript import HEADING as LESSON_HEADING

_inline = MarkdownIt("commonmark", {"html": False}).disable("image")
_FORMS = {"em": Form.ITALIC, "strong": Form.BOLD}

SKILL = N_("%(skill)s %(rating)d of 100")
QUESTION, ANSWER = N_("Question: %(question)s"), N_("Answer: %(answer)s")
MYTH, TRUTH = N_("Myth:"), N_("In fact:")  # the labels the page and the handouts give a myth and its truth
SHARE, DURATION, COST = N_("Share who take it: %(share)s"), N_("Duration: %(duration)s"), N_("Cost: %(cost)s")
COST_LEVELS = {1: N_("low"), 2: N_("medium"), 3: N_("high")}
IMAGE = N_("Image: %(description)s")
NOTE = N_("Transcriber's note:")


class Style(enum.Enum):
    """A BANA format: the cells (from 1) where a block's first line and its runover lines start."""

    CENTRED = (0, 0)
    CELL_5 = (5, 5)
    CELL_7 = (7, 7)
    PARAGRAPH = (3, 1)
    LIST = (1, 3)
    LIST_HEAD = (1, 5)  # an item with a nested list under it
    NESTED = (3, 5)
    NOTE = (7, 5)

    @property
    def heading(self) -> bool:
        return self in (Style.CENTRED, Style.CELL_5, Style.CELL_7)


@dataclass(frozen=True)
class Run:
    text: str
    form: Form = Form.PLAIN


@dataclass(frozen=True)
class BrailleBlock:
    where: Where
    style: Style
    runs: tuple[Run, ...]
    note: bool = False  # a transcriber's note: enclosed in the code's note indicators
    new_page: bool = False  # starts a braille page

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


def runs_of(inline_markdown: str) -> tuple[Run, ...]:
    """Inline Markdown → print text with its emphasis; links keep their words, as the handout's."""
    runs: list[Run] = []
    open_forms: list[Form] = []
    for token in _inline.parseInline(inline_markdown):
        for child in token.children or []:
            kind, _, edge = child.type.rpartition("_")
            if kind in _FORMS:
                (open_forms.append(_FORMS[kind]) if edge == "open" else open_forms.remove(_FORMS[kind]))
            elif child.type in ("text", "code_inline", "softbreak", "hardbreak"):
                text = child.content if child.type in ("text", "code_inline") else " "
                runs.append(Run(text, Form.PLAIN if not open_forms else _joined(open_forms)))
    return tuple(runs)


def _joined(forms: list[Form]) -> Form:
    result = Form.PLAIN
    for form in forms:
        result |= form
    return result


def plain(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def guide_blocks(guide: Guide) -> tuple[BrailleBlock, ...]:
    """Every block of the braille edition, title page first."""
    _ = translator(guide.language)
    return (*_title_page(guide), *_body(guide, _), *_lesson(guide, _))


def _title_page(guide: Guide) -> Iterator[BrailleBlock]:
    for text in (guide.title, guide.subtitle, guide.series, date_text(guide.updated, guide.language)):
        if text:
            yield BrailleBlock(guide.where, Style.CENTRED, plain(text))


def _body(guide: Guide, _: Callable[[str], str]) -> Iterator[BrailleBlock]:
    yield BrailleBlock(guide.where, Style.CENTRED, plain(guide.title), new_page=True)
    yield BrailleBlock(guide.where, Style.PARAGRAPH, plain(guide.summary))
    for section in guide.sections:
        yield BrailleBlock(section.where, Style.CELL_5, plain(section.title))
        for block in section.blocks:
            yield from _blocks_of(block, guide.language, _)


def _lesson(guide: Guide, _: Callable[[str], str]) -> Iterator[BrailleBlock]:
    yield BrailleBlock(guide.lesson.where, Style.CENTRED, plain(_(LESSON_HEADING)))
    for part in guide.lesson.parts:
        yield BrailleBlock(part.where, Style.CELL_5, plain(part.title))
        for turn in part.turns:
            yield BrailleBlock(turn.where, Style.LIST, (Run(f"{turn.speaker.name}: "), *runs_of(turn.text)))


def _blocks_of(block: Block, language: str, _: Callable[[str], str]) -> Iterator[BrailleBlock]:
    where = block.where
    if isinstance(block, Paragraph):
        yield BrailleBlock(where, Style.PARAGRAPH, runs_of(block.text))
    elif isinstance(block, (BulletList, ItemList)):
        if isinstance(block, ItemList):
            yield BrailleBlock(where, Style.CELL_7, plain(_(ITEM_TITLES[block.kind])))
        for item in block.items:
            yield BrailleBlock(where, Style.LIST, runs_of(item))
    elif isinstance(block, Facts):
        for fact in block.facts:
            yield BrailleBlock(fact.where, Style.LIST, plain(f"{fact.label}: {', '.join(fact.values)}"))
    elif isinstance(block, Day):
        for entry in block.entries:
            yield BrailleBlock(entry.where, Style.LIST, plain(f"{entry.time}, {entry.activity}"))
    elif isinstance(block, Pathway):
        for step in block.steps:
            yield BrailleBlock(step.where, Style.LIST, plain(f"{step.stage}: {step.duration}"))
    elif isinstance(block, Skills):
        for skill in block.skills:
            yield BrailleBlock(skill.where, Style.LIST, plain(_(SKILL) % {"skill": skill.name, "rating": skill.rating}))
    else:
        yield from _more_blocks_of(block, language, _)


def _more_blocks_of(block: Block, language: str, _: Callable[[str], str]) -> Iterator[BrailleBlock]:
    if isinstance(block, Routes):
        for route in block.routes:
            yield BrailleBlock(route.where, Style.LIST_HEAD, plain(route.name))
            for field in (_(SHARE) % {"share": percent(language)(route.share)},
                          _(DURATION) % {"duration": route.duration},
                          _(COST) % {"cost": _(COST_LEVELS[route.cost])}):
                yield BrailleBlock(route.where, Style.NESTED, plain(field))
    elif isinstance(block, Myths):
        yield BrailleBlock(block.where, Style.CELL_7, plain(_(ITEM_TITLES["myths"])))
        for myth in block.myths:
            yield BrailleBlock(myth.where, Style.LIST, (*plain(f"{_(MYTH)} "), *runs_of(myth.myth)))
            if myth.truth:
                yield BrailleBlock(myth.where, Style.NESTED, (*plain(f"{_(TRUTH)} "), *runs_of(myth.truth)))
    elif isinstance(block, Faq):
        for question in block.questions:
            yield BrailleBlock(question.where, Style.LIST, plain(_(QUESTION) % {"question": question.question}))
            yield BrailleBlock(question.where, Style.NESTED, _labelled(_(ANSWER), "answer", question.answer))
    elif isinstance(block, Sources):
        for source in block.sources:
            yield BrailleBlock(source.where, Style.LIST, _source(source.publisher, source.title, source.category,
                                                                 source.url))
    elif isinstance(block, Figure) and not block.decorative:
        yield note(block.where, _, _(IMAGE) % {"description": block.alt})
        if block.caption:
            yield BrailleBlock(block.where, Style.PARAGRAPH, runs_of(block.caption))


def _labelled(message: str, name: str, inline_markdown: str) -> tuple[Run, ...]:
    """A translated message around inline Markdown, its emphasis kept (`Answer: *Yes*.`)."""
    before, _, after = message.partition(f"%({name})s")
    return (*plain(before), *runs_of(inline_markdown), *plain(after))


def _source(publisher: str, title: str, category: str, url: str | None) -> tuple[Run, ...]:
    text = f"{publisher}, “{title}”" + (f" ({category})" if category else "")
    return (Run(text + (" " if url else "")), *((Run(url, Form.ADDRESS),) if url else ()))


def note(where: Where, _: Callable[[str], str], text: str) -> BrailleBlock:
    """A transcriber's note: the label in the guide's language, then what the transcriber adds."""
    return BrailleBlock(where, Style.NOTE, plain(f"{_(NOTE)} {text}"), note=True)


def collapsed(runs: tuple[Run, ...]) -> tuple[Run, ...]:
    """Runs with white space as braille has it: one blank cell between words, none at the ends."""
    out: list[Run] = []
    for run in runs:
        text = re.sub(r"\s+", " ", run.text)
        if not out or out[-1].text.endswith(" "):
            text = text.lstrip(" ")
        if text:
            out.append(Run(text, run.form))
    if out and out[-1].text.endswith(" "):
        out[-1] = Run(out[-1].text.rstrip(" "), out[-1].form)
    return tuple(run for run in out if run.text)
