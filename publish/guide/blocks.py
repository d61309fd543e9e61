"""The ``` blocks of a guide's sections: facts, a day in the job, pathway, skills, routes, lists,
FAQ and sources, each read from YAML into the model with every problem at its line."""

from __future__ import annotations

import re
from typing import Callable

from markdown_it.tree import SyntaxTreeNode

from publish.guide.model import (
    Block, Day, DayEntry, Fact, Facts, Faq, ItemList, Myth, Myths, Pathway, PathwayStep, Question, Route, Routes, Skill,
    Skills, SourceRef, Sources,
)
from publish.guide.quoting import SHAPES, Shape, quoted_text
from publish.guide.reader import Reader
from publish.guide.yamlnode import YNode, compose


DAY_RE = re.compile(r"^(\d{1,2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?)\s+[—–-]+\s+(.+)$")


def fence(node: SyntaxTreeNode, line: int, reader: Reader) -> Block | None:
    kind = (node.info or "").strip().split(" ")[0].lower()
    parser = BLOCK_PARSERS.get(kind)
    if parser is None:
        shown = f"`{kind}`" if kind else "with no kind"
        reader.problem(line, f"unknown block kind {shown}", f"use one of: {', '.join(sorted(BLOCK_PARSERS))}")
        return None
    content, problems = compose(quoted_text(node.content, SHAPES.get(kind, Shape())), reader.path, line_offset=line)
    reader.problems.extend(problems)
    if problems and content is None:
        return None
    if content is None:
        reader.problem(line, f"the `{kind}` block is empty", "add its entries, or delete the block")
        return None
    return parser(kind, content, reader)


def _pairs(content: YNode, kind: str, example: str, reader: Reader) -> list[tuple[YNode, YNode]]:
    """Entries of a `name: value` block, in order, with duplicates reported."""
    if content.kind != "mapping":
        reader.problem(content.line, f"the `{kind}` block should hold `name: value` lines", f"e.g. `{example}`")
        return []
    seen: set[str] = set()
    pairs = []
    for key, value in content.pairs():
        if key.kind != "text" or not key.text():
            reader.problem(key.line, f"a `{kind}` entry has no name", f"e.g. `{example}`")
            continue
        if key.text() in seen:
            continue  # reported with the YAML (`… is given twice here`)
        seen.add(key.text())
        pairs.append((key, value))
    return pairs


def _strings(content: YNode, kind: str, reader: Reader) -> list[tuple[int, str]]:
    if content.kind != "list":
        reader.problem(content.line, f"the `{kind}` block should be a list", "start each entry with `- `")
        return []
    if not any(True for _ in content.items()):
        reader.problem(content.line, f"the `{kind}` block is an empty list", "add its entries, or delete the block")
    found = []
    for item in content.items():
        if item.kind != "text" or not item.text():
            reader.problem(item.line, f"a `{kind}` entry should be one line of text", _text_hint(item), "entries")
            continue
        found.append((item.line, item.text()))
    return found


def _text_hint(item: YNode) -> str:
    """What to do with an entry YAML did not read as text, shown with the entry's own words."""
    if item.kind == "text":
        return "write its text after `- `, or delete the line"
    if item.kind == "mapping":  # `- Bring these:`, a name with nothing after its colon
        written = " ".join(f"{key.text()}: {value.text()}".strip() for key, value in item.pairs()
                           if key.kind == "text" and value.kind == "text")
        return f"put it in \"quotes\": `- \"{written}\"`"
    return "write it as one line of text after `- `, without brackets"


def _records(content: YNode, kind: str, hint: str, reader: Reader) -> list[tuple[int, dict[str, YNode]]]:
    """Entries of a block that is a list of `key: value` records, as (line, fields)."""
    if content.kind != "list":
        reader.problem(content.line, f"the `{kind}` block should be a list", hint)
        return []
    if not any(True for _ in content.items()):
        reader.problem(content.line, f"the `{kind}` block is an empty list", hint)
    return [(item.line, {k.text(): v for k, v in item.pairs() if k.kind == "text"} if item.kind == "mapping" else {})
            for item in content.items()]


def _facts(kind: str, content: YNode, reader: Reader) -> Block:
    facts = []
    for key, value in _pairs(content, kind, "Typical hours: 40-50 a week", reader):
        if value.kind == "list":
            values = tuple(v.text() for v in value.items() if v.kind == "text" and v.text())
        elif value.kind == "text" and value.text():
            values = (value.text(),)
        else:
            values = ()
        if not values:
            reader.problem(value.line, f"the fact `{key.text()}` has no value", "write it after the colon")
            continue
        facts.append(Fact(reader.where(key.line), key.text(), values))
    return Facts(reader.where(content.line), tuple(facts))


def _day(kind: str, content: YNode, reader: Reader) -> Block:
    entries = []
    for line, text in _strings(content, kind, reader):
        match = DAY_RE.match(text)
        if not match:
            reader.problem(line, f"`{text}` does not start with a time", "write e.g. `- 9:30 — Team stand-up`")
            continue
        clock = match.group(1).strip()
        if not _valid_clock(clock):
            reader.problem(line, f"`{clock}` is not a time of day",
                           "use hours 0–23 (or 1–12 with am/pm) and minutes 00–59, e.g. `- 9:30 — Team stand-up`")
            continue
        entries.append(DayEntry(reader.where(line), clock, match.group(2).strip()))
    return Day(reader.where(content.line), tuple(entries))


def _valid_clock(clock: str) -> bool:
    hours, _, rest = clock.partition(":")
    minutes = rest[:2] if rest else "00"
    twelve_hour = bool(re.search(r"[AaPp]", clock))
    digits = re.match(r"\d+", hours)
    if digits is None:
        return False
    hour, minute = int(digits.group()), int(minutes)
    return minute < 60 and (1 <= hour <= 12 if twelve_hour else hour <= 23)


def _pathway(kind: str, content: YNode, reader: Reader) -> Block:
    steps = []
    for key, value in _pairs(content, kind, "Internship: 1-2 summers", reader):
        if value.kind != "text" or not value.text():
            reader.problem(value.line, f"the step `{key.text()}` has no duration", "e.g. `Internship: 1-2 summers`")
            continue
        steps.append(PathwayStep(reader.where(key.line), key.text(), value.text()))
    return Pathway(reader.where(content.line), tuple(steps))


def _skills(kind: str, content: YNode, reader: Reader) -> Block:
    skills = []
    for key, value in _pairs(content, kind, "Python coding: 90", reader):
        rating = _int(value)
        if rating is None or not 0 <= rating <= 100:
            shown = value.text() if value.kind == "text" else value.kind
            reader.problem(value.line, f"the rating of `{key.text()}` is `{shown}`",
                           "use a whole number from 0 to 100")
            continue
        skills.append(Skill(reader.where(key.line), key.text(), rating))
    return Skills(reader.where(content.line), tuple(skills))


def _int(node: YNode) -> int | None:
    if node.kind != "text":
        return None
    try:
        return int(node.text().rstrip("%").strip())
    except ValueError:
        return None


# Cost levels as an editor writes them: in English, in the guide's own language (each level's
# words, the first shown in the hint), or as $ signs.
COST_WORDS = {"$": 1, "low": 1, "$$": 2, "medium": 2, "$$$": 3, "high": 3}
COST_WORDS_BY_LANGUAGE: dict[str, tuple[tuple[str, ...], ...]] = {
    "es": (("bajo", "baja"), ("medio", "media"), ("alto", "alta")),
    "fr": (("faible", "bas"), ("moyen", "moyenne"), ("élevé", "élevée")),
    "it": (("basso", "bassa"), ("medio", "media"), ("alto", "alta")),
    "pt": (("baixo", "baixa"), ("médio", "média"), ("alto", "alta")),
    "zh": (("低",), ("中",), ("高",)),
    "ja": (("低",), ("中",), ("高",)),
    "hi": (("कम",), ("मध्यम",), ("ऊँचा", "ऊंचा", "उच्च", "अधिक")),
}


def cost_levels(language: str) -> tuple[dict[str, int], str]:
    """The words a guide in `language` may write for each cost level, and the hint that names them."""
    own = COST_WORDS_BY_LANGUAGE.get(language.split("-")[0].lower(), ())
    words = {word: level for level, forms in enumerate(own, start=1) for word in forms}
    said = ", ".join(forms[0] for forms in own) if own else "low, medium, high"
    return {**COST_WORDS, **words}, f"use {said} (or $, $$, $$$)"


def _routes(kind: str, content: YNode, reader: Reader) -> Block:
    routes = []
    hint = "start each with `- route: …` and give `share`, `duration` and `cost`"
    for line, fields in _records(content, kind, hint, reader):
        missing = [name for name in ("route", "share", "duration", "cost") if name not in fields]
        if missing:
            reader.problem(line, f"this route has no `{missing[0]}`", "give `route`, `share`, `duration` and `cost`",
                           "entries")
            continue
        share = _int(fields["share"])
        if share is None or not 0 <= share <= 100:
            reader.problem(fields["share"].line, "`share` should be a percentage from 0 to 100", "e.g. `share: 60%`")
            continue
        cost_text = fields["cost"].text().lower() if fields["cost"].kind == "text" else ""
        levels, hint = cost_levels(reader.language)
        if cost_text not in levels:
            reader.problem(fields["cost"].line, f"cost `{cost_text}` is not a cost level", hint)
            continue
        name = fields["route"].text() if fields["route"].kind == "text" else ""
        duration = fields["duration"].text() if fields["duration"].kind == "text" else ""
        empty = next((key for key, text in (("route", name), ("duration", duration)) if not text), None)
        if empty:
            reader.problem(fields[empty].line, f"this route's `{empty}` is empty", f"write the {empty} after `{empty}:`")
            continue
        routes.append(Route(reader.where(line), name, share, duration, levels[cost_text]))
    total = sum(route.share for route in routes)
    if total > 100:
        reader.problem(content.line, f"the routes' shares add up to {total}%",
                       "the shares are parts of one whole: make them add up to 100% or less")
    return Routes(reader.where(content.line), tuple(routes))


def _item_list(kind: str, content: YNode, reader: Reader) -> Block:
    items = tuple(text for _, text in _strings(content, kind, reader))
    return ItemList(reader.where(content.line), kind, items)


MYTH_FIELDS = frozenset({"myth", "truth"})
MYTH_EXAMPLE = "write `- myth: …` with `  truth: …` below it"


def _myths(kind: str, content: YNode, reader: Reader) -> Block:
    if content.kind != "list":
        reader.problem(content.line, f"the `{kind}` block should be a list", MYTH_EXAMPLE)
        return Myths(reader.where(content.line), ())
    if not any(True for _ in content.items()):
        reader.problem(content.line, f"the `{kind}` block is an empty list", "add its entries, or delete the block")
    myths = (_myth(item, reader) for item in content.items())
    return Myths(reader.where(content.line), tuple(myth for myth in myths if myth is not None))


def _myth(item: YNode, reader: Reader) -> Myth | None:
    """One myth: `- myth: …` and `truth: …`, or the older plain `- …` (a warning: no correction)."""
    if item.kind == "text" and item.text():
        _warn_no_truth(item.line, reader)
        return Myth(reader.where(item.line), item.text(), "")
    fields = {key.text(): value for key, value in item.pairs() if key.kind == "text"} if item.kind == "mapping" else {}
    unknown = sorted(set(fields) - MYTH_FIELDS)
    if unknown:
        reader.problem(item.line, f"this myth has `{unknown[0]}:`", "use `myth:` and `truth:`", "entries")
        return None
    if not fields:
        reader.problem(item.line, "this `myths` entry holds no myth", MYTH_EXAMPLE, "entries")
        return None
    myth, truth = _field_text(fields, "myth"), _field_text(fields, "truth")
    if not myth:
        reader.problem(item.line, f"this myth's `myth:` is {'missing' if myth is None else 'empty'}",
                       "write the false belief after `myth:`", "entries")
        return None
    if truth == "":
        reader.problem(item.line, "this myth's `truth:` is empty", "write what is true instead after `truth:`",
                       "entries")
        return None
    if truth is None:
        _warn_no_truth(item.line, reader)
    return Myth(reader.where(item.line), myth, truth or "")


def _field_text(fields: dict[str, YNode], name: str) -> str | None:
    """A record's field as text: None when it is not there, "" when it holds no text."""
    if name not in fields:
        return None
    return fields[name].text() if fields[name].kind == "text" else ""


def _warn_no_truth(line: int, reader: Reader) -> None:
    reader.warn(line, "a myth without its truth",
                "write it as `- myth: …` with `  truth: …` below it, saying what is true instead: a student "
                "skimming the list may take a lone myth for advice", "entries")


def _faq(kind: str, content: YNode, reader: Reader) -> Block:
    questions = []
    for line, fields in _records(content, kind, "start each entry with `- q: …` and `  a: …`", reader):
        question, answer = fields.get("q"), fields.get("a")
        if question is None or answer is None or question.kind != "text" or answer.kind != "text":
            reader.problem(line, "a question needs `q:` and `a:`", "write `- q: …` and `  a: …` below it",
                           "entries")
            continue
        if not question.text() or not answer.text():
            missing = "question" if not question.text() else "answer"
            reader.problem(line, f"this {missing} is empty", f"write the {missing} after `{missing[0]}:`")
            continue
        questions.append(Question(reader.where(line), question.text(), answer.text()))
    return Faq(reader.where(content.line), tuple(questions))


def _sources(kind: str, content: YNode, reader: Reader) -> Block:
    sources = []
    for line, fields in _records(content, kind, "start each with `- publisher: …`", reader):
        texts = {k: v.text() for k, v in fields.items() if v.kind == "text"}
        if not texts.get("publisher") or not texts.get("title"):
            reader.problem(line, "a source needs a `publisher` and a `title`",
                           "write `- publisher: …`, `  title: …` and `  category: …`", "entries")
            continue
        url = texts.get("url") or None
        if url and not re.match(r"^https?://", url):
            reader.problem(fields["url"].line, f"`{url}` is not a web address", "start it with https://")
            url = None
        sources.append(SourceRef(reader.where(line), texts["publisher"], texts["title"],
                                 texts.get("category", ""), url))
    return Sources(reader.where(content.line), tuple(sources))


BLOCK_PARSERS: dict[str, Callable[[str, YNode, Reader], Block]] = {
    "facts": _facts,
    "day": _day,
    "pathway": _pathway,
    "skills": _skills,
    "routes": _routes,
    "pros": _item_list,
    "cons": _item_list,
    "myths": _myths,
    "checklist": _item_list,
    "faq": _faq,
    "sources": _sources,
}
