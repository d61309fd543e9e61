"""Read guide files (Markdown with YAML front matter) into the typed model.

Every problem found is collected, so an editor sees all of them in one run; `load_guide` raises
one GuideError carrying them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from publish import engines
from publish.errors import EngineError, GuideError, Problem
from publish.files import PAPERS
from publish.model import (
    Block, BulletList, Day, DayEntry, Fact, Facts, Faq, Guide, ItemList, Lesson, Paragraph, Part,
    Pathway, PathwayStep, Question, Route, Routes, Section, Settings, Skill, Skills, SourceRef,
    Sources, Speaker, Turn, Where,
)
from publish.yamlnode import YNode, compose

MAX_GUIDE_BYTES = 1_000_000
MAX_LINE_CHARS = 5_000
# About two hours of speech: the assembled audio of a longer lesson would not fit in memory
# comfortably on a school laptop, and nobody listens to a longer lesson in one go.
MAX_LESSON_WORDS = 20_000
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SPEAKER_ID_RE = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")
DAY_RE = re.compile(r"^(\d{1,2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?)\s+[—–-]+\s+(.+)$")
RESERVED_SLUGS = {"index", "feed", "assets", "con", "prn", "aux", "nul"}
LESSON_HEADING = "audio lesson"
FRONT_MATTER_KEYS = {
    "title", "subtitle", "series", "slug", "language", "updated", "summary", "cover", "cover_alt",
    "speakers", "lexicon", "settings",
}
SETTINGS_KEYS = {"transcript_speaker_names", "caption_max_cps", "paper"}

_markdown = MarkdownIt("commonmark", {"html": False})


@dataclass
class _Reader:
    """Collects problems for one file while its parts are read."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    # Lines of the front matter were set aside after a YAML error: a "missing" setting may be on one.
    front_matter_unread: bool = False

    def problem(self, line: int, what: str, hint: str) -> None:
        self.problems.append(Problem(self.path, line, what, hint))

    def where(self, line: int) -> Where:
        return Where(self.path, line)


# --- entry points --------------------------------------------------------------------------------


def load_guides(paths: Iterable[Path]) -> list[Guide]:
    """Load several guides; all problems of all files (and duplicate slugs) in one GuideError."""
    guides: list[Guide] = []
    problems: list[Problem] = []
    for path in paths:
        try:
            guides.append(load_guide(path))
        except GuideError as error:
            problems.extend(error.problems)
    problems.extend(_duplicate_slugs(guides))
    if problems:
        raise GuideError(problems)
    return guides


def load_guide(path: Path) -> Guide:
    shown = _shown_path(path)
    text = _read_text(path, shown)
    return parse_guide(text, shown, folder=path.parent)


def parse_guide(text: str, path: str, folder: Path | None = None) -> Guide:
    """Parse guide text; `path` is what error messages show, `folder` resolves the cover image."""
    reader = _Reader(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _check_lines(text, reader)
    if reader.problems:
        raise GuideError(reader.problems)
    front, body, body_offset = _split_front_matter(text, reader)
    meta = _front_matter(front, reader)
    speakers = _speakers(meta.get("speakers"), reader)
    sections, lesson_parts, lesson_line = _body(body, body_offset, speakers, reader)
    guide = _guide(meta, sections, lesson_parts, lesson_line, speakers, reader, folder, path)
    if reader.problems or guide is None:
        raise GuideError(reader.problems)
    return guide


# --- file level ------------------------------------------------------------------------------------


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_text(path: Path, shown: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_GUIDE_BYTES:
            raise GuideError.single(shown, 1, f"the file is {size:,} bytes, over the limit of "
                                    f"{MAX_GUIDE_BYTES:,}", "split it into several guides")
        data = path.read_bytes()
    except FileNotFoundError:
        raise GuideError.single(shown, 1, "no such file", "check the name and folder") from None
    except IsADirectoryError:
        raise GuideError.single(shown, 1, "this is a folder, not a guide file",
                                "name a .md file, or the guides folder with no file name") from None
    except OSError as error:
        raise GuideError.single(shown, 1, f"the file cannot be read ({error.strerror})",
                                "check that it exists and that you may read it") from None
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise GuideError.single(shown, line, "the file contains binary data (a NUL byte)",
                                "save the guide as plain UTF-8 text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise GuideError.single(shown, line, f"the file is not UTF-8 text (byte 0x{data[error.start]:02x})",
                                "save the guide with UTF-8 encoding in your editor") from None


def _check_lines(text: str, reader: _Reader) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            reader.problem(number, f"this line is {len(line):,} characters long, over the limit of "
                           f"{MAX_LINE_CHARS:,}", "break it into shorter paragraphs or turns")
            return


def _split_front_matter(text: str, reader: _Reader) -> tuple[str, str, int]:
    lines = text.split("\n")
    if not text.strip():
        raise GuideError.single(reader.path, 1, "the file is empty",
                                "start from `publish new SLUG`, or copy an existing guide")
    if lines[0].strip() != "---":
        raise GuideError.single(reader.path, 1, "the guide does not start with front matter",
                                "begin the file with a line `---`, the title and other settings, then `---`")
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1:])
            return front, body, index + 1
    raise GuideError.single(reader.path, 1, "the front matter is never closed",
                            "add a line `---` after the last setting, before the first section")


# --- front matter ---------------------------------------------------------------------------------


def _front_matter(front: str, reader: _Reader) -> dict[str, YNode]:
    root, problems = compose(front, reader.path, line_offset=1)
    reader.problems.extend(problems)
    reader.front_matter_unread = bool(problems)
    if problems and (root is None or root.kind != "mapping"):
        raise GuideError(reader.problems)
    if root is None or root.kind != "mapping":
        line = root.line if root else 2
        raise GuideError.single(reader.path, line, "the front matter is not a list of `key: value` settings",
                                "write settings such as `title: Machine Learning Engineer`, one a line")
    meta: dict[str, YNode] = {}
    for key, value in root.pairs():
        name = key.text() if key.kind == "text" else ""
        if name not in FRONT_MATTER_KEYS:
            reader.problem(key.line, f"unknown setting `{name}`",
                           f"use one of: {', '.join(sorted(FRONT_MATTER_KEYS))}")
        elif name in meta:
            reader.problem(key.line, f"`{name}` is set twice", "keep one of the two lines")
        else:
            meta[name] = value
    return meta


def _text(node: YNode | None, reader: _Reader, name: str, line: int, required: bool = True) -> str:
    if node is None or node.is_null():
        if required and not reader.front_matter_unread:
            reader.problem(line, f"the guide has no `{name}`", f"add a line `{name}: …` to the front matter")
        return ""
    if node.kind != "text":
        reader.problem(node.line, f"`{name}` should be text, not a {node.kind}", f"write `{name}: …` on one line")
        return ""
    value = node.text()
    if required and not value:
        reader.problem(node.line, f"`{name}` is empty", f"write the {name} after `{name}:`")
    return value


def _speakers(node: YNode | None, reader: _Reader) -> dict[str, Speaker]:
    speakers: dict[str, Speaker] = {}
    if node is None or node.is_null():
        reader.problem(2, "the guide declares no `speakers` for its audio lesson",
                       "add `speakers:` with an `id` and `name` for each host (see guides/README.md)")
        return speakers
    if node.kind != "list":
        reader.problem(node.line, "`speakers` should be a list", "start each speaker with `- id: …`")
        return speakers
    for item in node.items():
        speaker = _speaker(item, reader)
        if speaker is None:
            continue
        names = {s.name.lower() for s in speakers.values()}
        if speaker.id in speakers or speaker.name.lower() in names:
            reader.problem(item.line, f"speaker `{speaker.id}` is declared twice",
                           "give every speaker its own id and name")
            continue
        speakers[speaker.id] = speaker
    return speakers


def _speaker(item: YNode, reader: _Reader) -> Speaker | None:
    if item.kind != "mapping":
        reader.problem(item.line, "a speaker should have `id`, `name` and optional `voices`",
                       "write `- id: maya` then `  name: Maya` below it")
        return None
    fields = {k.text(): v for k, v in item.pairs() if k.kind == "text"}
    unknown = set(fields) - {"id", "name", "voice", "voices"}
    if unknown:
        reader.problem(item.line, f"unknown speaker setting `{sorted(unknown)[0]}`",
                       "use `id`, `name`, `voice` and `voices`")
    if "id" not in fields:
        reader.problem(item.line, "this speaker has no `id`", "add `id: …`, a short lowercase name such as `ben`")
        return None
    speaker_id = _text(fields.get("id"), reader, "id", item.line)
    name = _text(fields.get("name"), reader, "name", item.line) or speaker_id.title()
    if speaker_id and not SPEAKER_ID_RE.match(speaker_id):
        reader.problem(item.line, f"speaker id `{speaker_id}` is not a simple lowercase word",
                       "use letters, digits, - or _, starting with a letter, e.g. `maya`")
        return None
    voice = _voice(fields.get("voice"), reader)
    voices: list[tuple[str, str]] = []
    voices_node = fields.get("voices")
    if voices_node is not None and not voices_node.is_null():
        if voices_node.kind != "mapping":
            reader.problem(voices_node.line, "`voices` should map an engine to a voice",
                           "write e.g. `voices: {piper: joe, gtts: co.uk}`")
        else:
            for engine, fallback in voices_node.pairs():
                if engine.kind != "text" or fallback.kind != "text" or not fallback.text():
                    reader.problem(engine.line, "a voice should be `engine: voice name`", "e.g. `gtts: co.uk`")
                    continue
                if engine.text() not in engines.REGISTRY:
                    reader.problem(engine.line, f"`{engine.text()}` is not a speech engine",
                                   f"use one of: {', '.join(engines.names())}")
                    continue
                voices.append((engine.text(), fallback.text()))
    if not speaker_id:
        return None
    return Speaker(reader.where(item.line), speaker_id, name, tuple(voices), voice)


def _voice(node: YNode | None, reader: _Reader) -> str | None:
    """A speaker's `voice: engine:name`, checked for a known engine and variant."""
    if node is None or node.is_null():
        return None
    if node.kind != "text" or not node.text():
        reader.problem(node.line, "`voice` should name one voice", "write e.g. `voice: hibari:heart`")
        return None
    try:
        engines.parse_voice(node.text())
    except EngineError as error:
        reader.problem(node.line, *str(error).split(" — ", 1))
        return None
    return node.text()


def _lexicon(node: YNode | None, reader: _Reader) -> tuple[tuple[str, str], ...]:
    if node is None or node.is_null():
        return ()
    if node.kind != "mapping":
        reader.problem(node.line, "`lexicon` should map a word to how it is said",
                       "write e.g. `lexicon: {Kaggle: KAG-ull}`")
        return ()
    entries = []
    for word, say in node.pairs():
        if word.kind != "text" or say.kind != "text" or not word.text() or not say.text():
            reader.problem(word.line, "a lexicon entry should be `word: how to say it`", "e.g. `MLOps: em el ops`")
            continue
        entries.append((word.text(), say.text()))
    return tuple(entries)


def _settings(node: YNode | None, reader: _Reader) -> Settings:
    if node is None or node.is_null():
        return Settings()
    if node.kind != "mapping":
        reader.problem(node.line, "`settings` should be a list of `key: value`", "see guides/README.md")
        return Settings()
    values: dict[str, object] = {}
    for key, value in node.pairs():
        name = key.text() if key.kind == "text" else ""
        raw = value.text() if value.kind == "text" else ""
        if name == "transcript_speaker_names":
            if raw.lower() not in ("true", "false", "yes", "no"):
                reader.problem(value.line, "`transcript_speaker_names` should be true or false", "write true or false")
            values[name] = raw.lower() in ("true", "yes")
        elif name == "caption_max_cps":
            try:
                cps = float(raw)
            except ValueError:
                cps = -1.0
            if not 8 <= cps <= 25:
                reader.problem(value.line, f"`caption_max_cps` is `{raw}`",
                               "use a reading speed between 8 and 25 characters a second (17 is usual, 13 for young learners)")
            values[name] = cps
        elif name == "paper":
            if raw.lower() not in PAPERS:
                reader.problem(value.line, f"paper `{raw}` is not known", f"use one of: {', '.join(PAPERS)}")
            values[name] = raw.lower()
        else:
            reader.problem(key.line, f"unknown setting `{name}`", f"use one of: {', '.join(sorted(SETTINGS_KEYS))}")
    return Settings(**values)  # type: ignore[arg-type]


# --- body -------------------------------------------------------------------------------------------


@dataclass
class _SectionDraft:
    line: int
    label: str
    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class _PartDraft:
    line: int
    title: str
    turns: list[Turn] = field(default_factory=list)


def _body(body: str, offset: int, speakers: dict[str, Speaker], reader: _Reader
          ) -> tuple[list[_SectionDraft], list[_PartDraft], int]:
    tree = SyntaxTreeNode(_markdown.parse(body))
    body_lines = body.split("\n")
    sections: list[_SectionDraft] = []
    parts: list[_PartDraft] = []
    lesson_line = 0
    for node in tree.children:
        line = (node.map[0] if node.map else 0) + offset + 1
        if node.type == "fence" and not _fence_closed(node, body_lines):
            reader.problem(line, f"this {node.markup} block is never closed",
                           f"add a line {node.markup} after its last entry")
            return sections, parts, -1  # the rest of the file is inside the block: nothing more to say
        if node.type == "heading" and node.tag == "h1":
            if _inline(node).strip().lower() == LESSON_HEADING and not lesson_line:
                lesson_line = line
            else:
                reader.problem(line, f"unexpected top-level heading `# {_inline(node)}`",
                               "the title belongs in the front matter; use `## Label | Title` for sections "
                               "and one `# Audio lesson` heading before the dialogue")
        elif lesson_line:
            _lesson_node(node, line, speakers, parts, reader)
        else:
            _section_node(node, line, offset, sections, reader)
    return sections, parts, lesson_line


def _fence_closed(node: SyntaxTreeNode, lines: list[str]) -> bool:
    last = node.map[1] - 1 if node.map else 0
    return node.map is not None and last > node.map[0] and lines[last].strip().startswith(node.markup)


def _section_node(node: SyntaxTreeNode, line: int, offset: int, sections: list[_SectionDraft],
                  reader: _Reader) -> None:
    if node.type == "heading" and node.tag == "h2":
        heading = _inline(node)
        label, bar, title = heading.partition("|")
        if not bar or not label.strip() or not title.strip():
            reader.problem(line, f"section heading `## {heading}` has no short label",
                           "write it as `## Label | Title`, e.g. `## Snapshot | Career snapshot`")
        sections.append(_SectionDraft(line, label.strip() or heading.strip(), title.strip() or heading.strip()))
        return
    if not sections:
        reader.problem(line, "text before the first section",
                       "start the body with a section heading such as `## Snapshot | Career snapshot`")
        return
    block = _block(node, line, offset, reader)
    if block is not None:
        sections[-1].blocks.append(block)


def _block(node: SyntaxTreeNode, line: int, offset: int, reader: _Reader) -> Block | None:
    where = reader.where(line)
    if node.type == "paragraph":
        return Paragraph(where, _inline(node))
    if node.type in ("bullet_list", "ordered_list"):
        return BulletList(where, _list_items(node, line, reader))
    if node.type == "fence":
        return _fence(node, line, reader)
    if node.type == "heading":
        reader.problem(line, f"`{node.markup} {_inline(node)}` is a heading level that guides do not use",
                       "use `## Label | Title` for a section; pros, cons and other lists are ``` blocks")
        return None
    reader.problem(line, f"this {node.type.replace('_', ' ')} cannot go in a guide",
                   "use paragraphs, `-` lists, or one of the ``` blocks listed in guides/README.md")
    return None


def _list_items(node: SyntaxTreeNode, line: int, reader: _Reader) -> tuple[str, ...]:
    items = []
    for item in node.children:
        texts = []
        for child in item.children:
            if child.type == "paragraph":
                texts.append(_inline(child))
            else:
                child_line = (child.map[0] if child.map else 0) + line - (node.map[0] if node.map else 0)
                reader.problem(child_line, "a list item holds something other than text (a nested list?)",
                               "keep list items to one line of text each")
        items.append(" ".join(texts))
    return tuple(items)


def _inline(node: SyntaxTreeNode) -> str:
    content = node.children[0].content if node.children else ""
    return " ".join(part.strip() for part in content.split("\n")).strip()


def _lesson_node(node: SyntaxTreeNode, line: int, speakers: dict[str, Speaker], parts: list[_PartDraft],
                 reader: _Reader) -> None:
    if node.type == "heading" and node.tag == "h2":
        parts.append(_PartDraft(line, _inline(node)))
        return
    if node.type != "paragraph":
        reader.problem(line, f"the audio lesson holds a {node.type.replace('_', ' ')}",
                       "write the lesson as `## Part title` headings and `Speaker: what they say` paragraphs")
        return
    if not parts:
        reader.problem(line, "a turn comes before the first part of the lesson",
                       "add a part heading such as `## Welcome` under `# Audio lesson`")
        return
    turn = _turn(_inline(node), line, speakers, reader)
    if turn is not None:
        parts[-1].turns.append(turn)


def _turn(text: str, line: int, speakers: dict[str, Speaker], reader: _Reader) -> Turn | None:
    name, colon, said = text.partition(":")
    if not colon:
        reader.problem(line, "this turn does not say who speaks", "begin it with a speaker's name and a colon, e.g. `Maya: …`")
        return None
    key = name.strip().lower()
    speaker = speakers.get(key) or next((s for s in speakers.values() if s.name.lower() == key), None)
    if speaker is None:
        known = ", ".join(s.name for s in speakers.values()) or "none declared"
        reader.problem(line, f"unknown speaker `{name.strip()}`",
                       f"use a speaker declared under `speakers:` in the front matter ({known})")
        return None
    if not said.strip():
        reader.problem(line, f"{speaker.name}'s turn has no text", "write what they say after the colon, or delete the line")
        return None
    return Turn(reader.where(line), speaker, said.strip())


# --- fenced blocks ----------------------------------------------------------------------------------


def _fence(node: SyntaxTreeNode, line: int, reader: _Reader) -> Block | None:
    kind = (node.info or "").strip().split(" ")[0].lower()
    parser = BLOCK_PARSERS.get(kind)
    if parser is None:
        shown = f"`{kind}`" if kind else "with no kind"
        reader.problem(line, f"unknown block kind {shown}", f"use one of: {', '.join(sorted(BLOCK_PARSERS))}")
        return None
    content, problems = compose(node.content, reader.path, line_offset=line)
    reader.problems.extend(problems)
    if problems and content is None:
        return None
    if content is None:
        reader.problem(line, f"the `{kind}` block is empty", "add its entries, or delete the block")
        return None
    return parser(kind, content, reader)


def _pairs(content: YNode, kind: str, example: str, reader: _Reader) -> list[tuple[YNode, YNode]]:
    """Entries of a `name: value` block, in order, with duplicates reported."""
    if content.kind != "mapping":
        reader.problem(content.line, f"the `{kind}` block should hold `name: value` lines", f"e.g. `{example}`")
        return []
    seen: set[str] = set()
    pairs = []
    for key, value in content.pairs():
        if key.kind != "text":
            reader.problem(key.line, f"a `{kind}` entry has no name", f"e.g. `{example}`")
            continue
        if key.text() in seen:
            reader.problem(key.line, f"`{key.text()}` appears twice in this `{kind}` block", "keep one of them")
            continue
        seen.add(key.text())
        pairs.append((key, value))
    return pairs


def _strings(content: YNode, kind: str, reader: _Reader) -> list[tuple[int, str]]:
    if content.kind != "list":
        reader.problem(content.line, f"the `{kind}` block should be a list", "start each entry with `- `")
        return []
    found = []
    for item in content.items():
        if item.kind != "text" or not item.text():
            reader.problem(item.line, f"a `{kind}` entry should be one line of text",
                           "put text with `: ` in it in \"quotes\"")
            continue
        found.append((item.line, item.text()))
    return found


def _records(content: YNode, kind: str, hint: str, reader: _Reader) -> list[tuple[int, dict[str, YNode]]]:
    """Entries of a block that is a list of `key: value` records, as (line, fields)."""
    if content.kind != "list":
        reader.problem(content.line, f"the `{kind}` block should be a list", hint)
        return []
    return [(item.line, {k.text(): v for k, v in item.pairs() if k.kind == "text"} if item.kind == "mapping" else {})
            for item in content.items()]


def _facts(kind: str, content: YNode, reader: _Reader) -> Block:
    facts = []
    for key, value in _pairs(content, kind, "Typical hours: 40-50 a week", reader):
        if value.kind == "list":
            values = tuple(v.text() for v in value.items() if v.kind == "text")
        elif value.kind == "text" and value.text():
            values = (value.text(),)
        else:
            reader.problem(value.line, f"the fact `{key.text()}` has no value", "write it after the colon")
            continue
        facts.append(Fact(reader.where(key.line), key.text(), values))
    return Facts(reader.where(content.line), tuple(facts))


def _day(kind: str, content: YNode, reader: _Reader) -> Block:
    entries = []
    for line, text in _strings(content, kind, reader):
        match = DAY_RE.match(text)
        if not match:
            reader.problem(line, f"`{text}` does not start with a time", "write e.g. `- 9:30 — Team stand-up`")
            continue
        entries.append(DayEntry(reader.where(line), match.group(1).strip(), match.group(2).strip()))
    return Day(reader.where(content.line), tuple(entries))


def _pathway(kind: str, content: YNode, reader: _Reader) -> Block:
    steps = []
    for key, value in _pairs(content, kind, "Internship: 1-2 summers", reader):
        if value.kind != "text" or not value.text():
            reader.problem(value.line, f"the step `{key.text()}` has no duration", "e.g. `Internship: 1-2 summers`")
            continue
        steps.append(PathwayStep(reader.where(key.line), key.text(), value.text()))
    return Pathway(reader.where(content.line), tuple(steps))


def _skills(kind: str, content: YNode, reader: _Reader) -> Block:
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


COST_WORDS = {"$": 1, "low": 1, "$$": 2, "medium": 2, "$$$": 3, "high": 3}


def _routes(kind: str, content: YNode, reader: _Reader) -> Block:
    routes = []
    hint = "start each with `- route: …` and give `share`, `duration` and `cost`"
    for line, fields in _records(content, kind, hint, reader):
        missing = [name for name in ("route", "share", "duration", "cost") if name not in fields]
        if missing:
            reader.problem(line, f"this route has no `{missing[0]}`", "give `route`, `share`, `duration` and `cost`")
            continue
        share = _int(fields["share"])
        if share is None or not 0 <= share <= 100:
            reader.problem(fields["share"].line, "`share` should be a percentage from 0 to 100", "e.g. `share: 60%`")
            continue
        cost_text = fields["cost"].text().lower() if fields["cost"].kind == "text" else ""
        if cost_text not in COST_WORDS:
            reader.problem(fields["cost"].line, f"cost `{cost_text}` is not a cost level",
                           "use low, medium or high (or $, $$, $$$)")
            continue
        name = fields["route"].text() if fields["route"].kind == "text" else ""
        duration = fields["duration"].text() if fields["duration"].kind == "text" else ""
        routes.append(Route(reader.where(line), name, share, duration, COST_WORDS[cost_text]))
    return Routes(reader.where(content.line), tuple(routes))


def _item_list(kind: str, content: YNode, reader: _Reader) -> Block:
    items = tuple(text for _, text in _strings(content, kind, reader))
    return ItemList(reader.where(content.line), kind, items)


def _faq(kind: str, content: YNode, reader: _Reader) -> Block:
    questions = []
    for line, fields in _records(content, kind, "start each entry with `- q: …` and `  a: …`", reader):
        question, answer = fields.get("q"), fields.get("a")
        if question is None or answer is None or question.kind != "text" or answer.kind != "text":
            reader.problem(line, "a question needs `q:` and `a:`", "write `- q: …` and `  a: …` below it")
            continue
        questions.append(Question(reader.where(line), question.text(), answer.text()))
    return Faq(reader.where(content.line), tuple(questions))


def _sources(kind: str, content: YNode, reader: _Reader) -> Block:
    sources = []
    for line, fields in _records(content, kind, "start each with `- publisher: …`", reader):
        texts = {k: v.text() for k, v in fields.items() if v.kind == "text"}
        if not texts.get("publisher") or not texts.get("title"):
            reader.problem(line, "a source needs a `publisher` and a `title`",
                           "write `- publisher: …`, `  title: …` and `  category: …`")
            continue
        url = texts.get("url") or None
        if url and not re.match(r"^https?://", url):
            reader.problem(fields["url"].line, f"`{url}` is not a web address", "start it with https://")
            url = None
        sources.append(SourceRef(reader.where(line), texts["publisher"], texts["title"],
                                 texts.get("category", ""), url))
    return Sources(reader.where(content.line), tuple(sources))


BLOCK_PARSERS: dict[str, Callable[[str, YNode, _Reader], Block]] = {
    "facts": _facts,
    "day": _day,
    "pathway": _pathway,
    "skills": _skills,
    "routes": _routes,
    "pros": _item_list,
    "cons": _item_list,
    "myths": _item_list,
    "checklist": _item_list,
    "faq": _faq,
    "sources": _sources,
}


# --- the guide --------------------------------------------------------------------------------------


def _guide(meta: dict[str, YNode], drafts: list[_SectionDraft], part_drafts: list[_PartDraft],
           lesson_line: int, speakers: dict[str, Speaker], reader: _Reader, folder: Path | None,
           path: str) -> Guide | None:
    title = _text(meta.get("title"), reader, "title", 2)
    summary = _text(meta.get("summary"), reader, "summary", 2)
    updated = _date(meta.get("updated"), reader)
    slug = _text(meta.get("slug"), reader, "slug", 2, required=False) or Path(path).stem
    slug_line = meta["slug"].line if "slug" in meta else 2
    if not SLUG_RE.match(slug) or len(slug) > 80 or slug in RESERVED_SLUGS:
        reader.problem(slug_line, f"slug `{slug}` cannot name the output folder",
                       "use lowercase letters, digits and single hyphens, e.g. `machine-learning-engineer`")
    language = _text(meta.get("language"), reader, "language", 2, required=False) or "en"
    if not LANGUAGE_RE.match(language):
        reader.problem(meta["language"].line, f"language `{language}` is not a language code", "use e.g. `en` or `en-GB`")
    cover = _cover(meta.get("cover"), reader, folder)
    if not drafts:
        reader.problem(1, "the guide has no sections", "add sections such as `## Snapshot | Career snapshot`")
    for draft in drafts:
        if not draft.blocks:
            reader.problem(draft.line, f"section `{draft.title}` is empty", "write its text, or delete the heading")
    lesson = _lesson(part_drafts, lesson_line, speakers, reader)
    sections = tuple(
        Section(reader.where(d.line), number, d.label, d.title, tuple(d.blocks))
        for number, d in enumerate(drafts, start=1)
    )
    lexicon = _lexicon(meta.get("lexicon"), reader)
    settings = _settings(meta.get("settings"), reader)
    subtitle = _text(meta.get("subtitle"), reader, "subtitle", 2, required=False)
    series = _text(meta.get("series"), reader, "series", 2, required=False)
    cover_alt = _text(meta.get("cover_alt"), reader, "cover_alt", 2, required=False)
    if reader.problems or updated is None:
        return None
    return Guide(
        where=reader.where(1),
        title=title,
        subtitle=subtitle,
        series=series,
        slug=slug,
        language=language,
        updated=updated,
        summary=summary,
        cover=cover,
        cover_alt=cover_alt,
        sections=sections,
        lesson=lesson,
        lexicon=lexicon,
        settings=settings,
    )


def _date(node: YNode | None, reader: _Reader) -> date | None:
    raw = _text(node, reader, "updated", 2)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        reader.problem(node.line if node else 2, f"`updated: {raw}` is not a date", "write it as YYYY-MM-DD, e.g. 2026-11-01")
        return None


def _cover(node: YNode | None, reader: _Reader, folder: Path | None) -> Path | None:
    raw = _text(node, reader, "cover", 2, required=False)
    if not raw or folder is None or node is None:
        return None
    base = folder.resolve()
    candidate = (base / raw).resolve()
    if base not in candidate.parents:
        reader.problem(node.line, f"cover `{raw}` is outside the guide's folder",
                       "put the image next to the guide and name it without `..` or a leading /")
        return None
    if candidate.suffix.lower() not in (".png", ".jpg", ".jpeg"):
        reader.problem(node.line, f"cover `{raw}` is not a PNG or JPEG image", "use a .png or .jpg file")
        return None
    if not candidate.is_file():
        reader.problem(node.line, f"cover image `{raw}` does not exist", "check the file name, or remove `cover:`")
        return None
    return candidate


def _lesson(drafts: list[_PartDraft], line: int, speakers: dict[str, Speaker], reader: _Reader) -> Lesson:
    if line < 0:
        pass  # the body could not be read to its end; that problem is already reported
    elif not line:
        reader.problem(1, "the guide has no audio lesson",
                       "add a heading `# Audio lesson` after the last section, then parts and turns")
    elif not any(d.turns for d in drafts):
        reader.problem(line, "the audio lesson is empty", "write turns as `Speaker: what they say` under a `## Part` heading")
    else:
        for draft in drafts:
            if not draft.turns:
                reader.problem(draft.line, f"lesson part `{draft.title}` has no turns",
                               "write at least one `Speaker: …` paragraph under it, or delete the heading")
    words = sum(len(turn.text.split()) for d in drafts for turn in d.turns)
    if words > MAX_LESSON_WORDS:
        reader.problem(max(line, 1), f"the audio lesson has {words:,} words, over the limit of {MAX_LESSON_WORDS:,} "
                       "(about two hours)", "split it into several guides")
    parts = tuple(Part(reader.where(d.line), d.title, tuple(d.turns)) for d in drafts)
    return Lesson(reader.where(max(line, 1)), tuple(speakers.values()), parts)


def _duplicate_slugs(guides: list[Guide]) -> list[Problem]:
    problems = []
    first: dict[str, Guide] = {}
    for guide in guides:
        if guide.slug in first:
            problems.append(Problem(guide.where.path, 1, f"slug `{guide.slug}` is also used by {first[guide.slug].where.path}",
                                    "give each guide its own `slug:` so their outputs do not overwrite each other"))
        else:
            first[guide.slug] = guide
    return problems
