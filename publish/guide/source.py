"""Read guide files (Markdown with YAML front matter) into the typed model.

Every problem found is collected, so an editor sees all of them in one run; `load_guide` raises
one GuideError carrying them all.
"""

from __future__ import annotations

import re
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable

from markdown_it.tree import SyntaxTreeNode

from publish.guide.blocks import fence
from publish.guide.figures import figure_of, stray_images
from publish.errors import UNSAFE_CHARACTERS, GuideError, Problem, grouped
from publish.guide.fences import top_nodes
from publish.guide.frontmatter import (cover_of, date_value, field_of, front_matter, lexicon_of, settings_of,
                                       speakers_of, text_value)
from publish.guide.lesson import LESSON_HEADINGS, PartDraft, lesson_node, lesson_of
from publish.guide.model import RESERVED_SLUGS, SLUG_RE, Block, BulletList, Guide, Paragraph, Section, Speaker
from publish.guide.reader import Reader, inline
from publish.guide.yamlnode import YNode

MAX_GUIDE_BYTES = 1_000_000
MAX_LINE_CHARS = 5_000
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$")


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
    reader = Reader(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _check_lines(text, reader)
    if reader.problems:
        raise GuideError(reader.problems)
    front, body, body_offset = _split_front_matter(text, reader)
    meta = front_matter(front, reader)
    if "language" in meta and meta["language"].kind == "text" and LANGUAGE_RE.match(meta["language"].text()):
        reader.language = meta["language"].text()
    speakers = speakers_of(meta.get("speakers"), reader)
    sections, lesson_parts, lesson_line = _body(body, body_offset, speakers, reader, folder)
    guide = _guide(meta, sections, lesson_parts, lesson_line, speakers, reader, folder, path)
    if reader.problems or guide is None:
        raise GuideError(reader.problems + reader.warnings)
    return replace(guide, warnings=tuple(sorted(grouped(reader.warnings), key=lambda w: w.line)))


# --- file level ------------------------------------------------------------------------------------


def _shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


UNICODE_BOMS = ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"), (b"\xff\xfe", "UTF-16"),
                (b"\xfe\xff", "UTF-16"))


def _read_text(path: Path, shown: str) -> str:
    try:
        # Checked before opening: a FIFO would block the read forever, and a device never ends.
        if not stat.S_ISREG(path.stat().st_mode):
            if path.is_dir():
                raise GuideError.single(shown, 1, "this is a folder, not a guide file",
                                        "name a .md file, or the guides folder with no file name")
            raise GuideError.single(shown, 1, "this is not a regular file (a pipe, device or socket)",
                                    "name a guide saved as an ordinary .md file")
        with open(path, "rb") as handle:
            data = handle.read(MAX_GUIDE_BYTES + 1)
        if len(data) > MAX_GUIDE_BYTES:
            raise GuideError.single(shown, 1, f"the file is over the limit of {MAX_GUIDE_BYTES:,} bytes",
                                    "split it into several guides")
    except FileNotFoundError:
        raise GuideError.single(shown, 1, "no such file", "check the name and folder") from None
    except OSError as error:
        raise GuideError.single(shown, 1, f"the file cannot be read ({error.strerror})",
                                "check that it exists and that you may read it") from None
    for bom, encoding in UNICODE_BOMS:
        if data.startswith(bom):
            raise GuideError.single(shown, 1, f"the file is saved as {encoding} text",
                                    "save it as UTF-8 in your editor (\"Save as… → Encoding: UTF-8\")")
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


def _check_lines(text: str, reader: Reader) -> None:
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE_CHARS:
            reader.problem(number, f"this line is {len(line):,} characters long, over the limit of "
                           f"{MAX_LINE_CHARS:,}", "break it into shorter paragraphs or turns")
            return
        bad = UNSAFE_CHARACTERS.search(line)
        if bad:
            reader.problem(number, f"this line holds the invisible control character U+{ord(bad.group()):04X} "
                           f"at column {bad.start() + 1}", "delete it (retype the text around it if you cannot see it)")


def _split_front_matter(text: str, reader: Reader) -> tuple[str, str, int]:
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


# --- body -------------------------------------------------------------------------------------------


@dataclass
class _SectionDraft:
    line: int
    label: str
    title: str
    blocks: list[Block] = field(default_factory=list)


def _body(body: str, offset: int, speakers: dict[str, Speaker], reader: Reader, folder: Path | None
          ) -> tuple[list[_SectionDraft], list[PartDraft], int]:
    image_lines: set[int] = set()  # lines of section paragraphs read as images (or refused as such)
    sections: list[_SectionDraft] = []
    parts: list[PartDraft] = []
    lesson_line = 0
    read = top_nodes(body, offset, reader)
    for top in read.nodes:
        node, line = top.node, top.line
        if node.type == "heading" and node.tag == "h1":
            if inline(node).strip().lower() in LESSON_HEADINGS and not lesson_line:
                lesson_line = line
            else:
                reader.problem(line, f"unexpected top-level heading `# {inline(node)}`",
                               "the title belongs in the front matter; use `## Label | Title` for sections "
                               "and one `# Audio lesson` heading before the dialogue")
        elif lesson_line:
            lesson_node(node, line, speakers, parts, reader)
        else:
            _section_node(node, line, sections, reader, _Images(folder, image_lines))
    if read.open_to_the_end:
        lesson_line = -1  # the rest of the file is inside a block: nothing more to say
    stray_images(body, offset, image_lines, reader)
    return sections, parts, lesson_line


@dataclass
class _Images:
    folder: Path | None  # where the guide's images are
    lines: set[int]  # the lines of paragraphs that are images


def _section_node(node: SyntaxTreeNode, line: int, sections: list[_SectionDraft], reader: Reader,
                  images: _Images) -> None:
    if node.type == "heading" and node.tag == "h2":
        heading = inline(node)
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
    block = _block(node, line, reader, images)
    if block is not None:
        sections[-1].blocks.append(block)


def _block(node: SyntaxTreeNode, line: int, reader: Reader, images: _Images) -> Block | None:
    where = reader.where(line)
    if node.type == "paragraph":
        figure = figure_of(node, line, reader, images.folder)
        if figure is False:
            return Paragraph(where, inline(node))
        images.lines.update(range(line, line + (node.map[1] - node.map[0] if node.map else 1)))
        return figure or None
    if node.type in ("bullet_list", "ordered_list"):
        return BulletList(where, _list_items(node, line, reader))
    if node.type == "fence":
        return fence(node, line, reader)
    if node.type == "heading":
        reader.problem(line, f"`{node.markup} {inline(node)}` is a heading level that guides do not use",
                       "use `## Label | Title` for a section; pros, cons and other lists are ``` blocks")
        return None
    reader.problem(line, f"this {node.type.replace('_', ' ')} cannot go in a guide",
                   "use paragraphs, `-` lists, or one of the ``` blocks listed in guides/README.md")
    return None


def _list_items(node: SyntaxTreeNode, line: int, reader: Reader) -> tuple[str, ...]:
    items = []
    for item in node.children:
        texts = []
        for child in item.children:
            if child.type == "paragraph":
                texts.append(inline(child))
            else:
                child_line = (child.map[0] if child.map else 0) + line - (node.map[0] if node.map else 0)
                reader.problem(child_line, "a list item holds something other than text (a nested list?)",
                               "keep list items to one line of text each")
        items.append(" ".join(texts))
    return tuple(items)


# --- fenced blocks ----------------------------------------------------------------------------------


# --- the guide --------------------------------------------------------------------------------------


def _guide(meta: dict[str, YNode], drafts: list[_SectionDraft], part_drafts: list[PartDraft],
           lesson_line: int, speakers: dict[str, Speaker], reader: Reader, folder: Path | None,
           path: str) -> Guide | None:
    title = text_value(meta.get("title"), reader, "title", 2)
    summary = text_value(meta.get("summary"), reader, "summary", 2)
    updated = date_value(meta.get("updated"), reader)
    slug = text_value(meta.get("slug"), reader, "slug", 2, required=False) or Path(path).stem
    slug_line = meta["slug"].line if "slug" in meta else 2
    if not SLUG_RE.match(slug) or len(slug) > 80 or slug in RESERVED_SLUGS:
        reader.problem(slug_line, f"slug `{slug}` cannot name the output folder",
                       "use lowercase letters, digits and single hyphens, e.g. `machine-learning-engineer`")
    language = text_value(meta.get("language"), reader, "language", 2, required=False) or "en"
    if not LANGUAGE_RE.match(language):
        reader.problem(meta["language"].line, f"language `{language}` is not a language code", "use e.g. `en` or `en-GB`")
    cover = cover_of(meta.get("cover"), reader, folder)
    if not drafts:
        reader.problem(1, "the guide has no sections", "add sections such as `## Snapshot | Career snapshot`")
    first_line: dict[str, int] = {}
    for draft in drafts:
        if not draft.blocks:
            reader.problem(draft.line, f"section `{draft.title}` is empty", "write its text, or delete the heading")
        for name in {draft.label.lower(), draft.title.lower()}:
            if name in first_line:
                reader.problem(draft.line, f"the section `{name}` is already used at line {first_line[name]}",
                               "give each section its own label and title, or merge the two")
                break
        else:
            first_line.update({draft.label.lower(): draft.line, draft.title.lower(): draft.line})
    lesson = lesson_of(part_drafts, lesson_line, speakers, reader)
    sections = tuple(
        Section(reader.where(d.line), number, d.label, d.title, tuple(d.blocks))
        for number, d in enumerate(drafts, start=1)
    )
    lexicon = lexicon_of(meta.get("lexicon"), reader)
    settings = settings_of(meta.get("settings"), reader)
    subtitle = text_value(meta.get("subtitle"), reader, "subtitle", 2, required=False)
    series = text_value(meta.get("series"), reader, "series", 2, required=False)
    cover_alt = text_value(meta.get("cover_alt"), reader, "cover_alt", 2, required=False)
    career_field = field_of(meta.get("field"), reader)
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
        career_field=career_field,
    )


def _duplicate_slugs(guides: list[Guide]) -> list[Problem]:
    problems = []
    first: dict[str, Guide] = {}
    for guide in guides:
        if guide.slug in first:
            problems.append(duplicate_slug(guide, first[guide.slug].where.path))
        else:
            first[guide.slug] = guide
    return problems


def duplicate_slug(guide: Guide, first: str) -> Problem:
    """The problem of a guide whose slug the guide at `first` already has."""
    return Problem(guide.where.path, 1, f"slug `{guide.slug}` is also used by {first}",
                   "give each guide its own `slug:` so their outputs do not overwrite each other")
