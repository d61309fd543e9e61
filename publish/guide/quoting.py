"""Text written on a line of its own, quoted for YAML where the line's place leaves no doubt that it
is text, so an author may write `- 7:00 — Check the ambulance: oxygen, radio` as it reads.

YAML would take that `: ` for a name and its value, and a leading `*`, `&`, `@` or back-tick for
its own syntax. Where a block's entries are only ever text (a day's entries, pros, cons, the
checklist, plain myths), where a record's field holds text (`q:`, `a:`, `title:` …), and after the
name of a `facts` or `pathway` line (the name ends at the first `: `), such text is put in double
quotes before YAML reads it. Lines keep their numbers, so every problem still points at its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# What makes YAML read plain text as something else: a `: ` inside it, or a first character that
# YAML reserves (an alias, an anchor, a tag, a directive, or reserved for later use).
_YAML_SYNTAX_START = tuple("*&!%@`")
# First characters of a value the author already wrote as YAML on purpose: quoted text, a list in
# brackets, a mapping in braces, a block of lines (`|`, `>`), a comment.
_WRITTEN_AS_YAML = tuple("\"'[{|>#")


@dataclass(frozen=True)
class Shape:
    """Where text may stand in a block's lines."""

    text_entries: bool = False  # every `- …` entry is one text (day, pros, cons, checklist, myths)
    fields: frozenset[str] = frozenset()  # `key: …` fields whose values are text
    named_values: bool = False  # `Name: text` lines, the name ending at the first `: ` (facts, pathway)


SHAPES = {
    **{kind: Shape(text_entries=True) for kind in ("day", "pros", "cons", "checklist")},
    "myths": Shape(text_entries=True, fields=frozenset({"myth", "truth"})),
    "faq": Shape(fields=frozenset({"q", "a"})),
    "routes": Shape(fields=frozenset({"route", "duration"})),
    "sources": Shape(fields=frozenset({"publisher", "title", "category"})),
    "facts": Shape(named_values=True),
    "pathway": Shape(named_values=True),
}
# The front matter's settings that are one line of text.
FRONT_MATTER = Shape(fields=frozenset({"title", "subtitle", "summary", "series", "cover_alt"}))

_ENTRY = re.compile(r"^(\s*)(-\s+)(.*)$")
_FIELD = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_]+):\s+(.*)$")
_NAMED = re.compile(r"^([^\s#\"'\-].*?):\s+(.*)$")


def quoted_text(yaml_text: str, shape: Shape) -> str:
    """`yaml_text` with every text that YAML would misread in double quotes, line for line."""
    lines = yaml_text.split("\n")
    index = 0
    while index < len(lines):
        found = _text_at(lines[index], shape)
        if found is None:
            index += 1
            continue
        start, column = found
        end = _continued_to(lines, index, column)
        _quote(lines, index, start, end)
        index = end + 1
    return "\n".join(lines)


def _text_at(line: str, shape: Shape) -> tuple[int, int] | None:
    """Where on `line` text that needs quotes starts, and the column its continuation lines must
    be indented past; None when the line needs nothing."""
    field = _FIELD.match(line)
    if field and field.group(2) in shape.fields:
        start, column = field.start(3), len(field.group(1))
    elif (entry := _ENTRY.match(line)) and shape.text_entries:
        start, column = entry.start(3), len(entry.group(1))
    elif (named := _NAMED.match(line)) and shape.named_values:
        start, column = named.start(2), 0
    else:
        return None
    text = line[start:]
    misread = ": " in text or text.startswith(_YAML_SYNTAX_START)
    return (start, column) if misread and not text.startswith(_WRITTEN_AS_YAML) else None


def _continued_to(lines: list[str], index: int, column: int) -> int:
    """The last line of the text that starts on line `index`: YAML continues plain text on the
    following lines indented past `column`, up to a blank line, a comment or a new entry."""
    end = index
    for following in range(index + 1, len(lines)):
        line = lines[following]
        stripped = line.lstrip()
        if not stripped or stripped.startswith(("#", "- ")) or len(line) - len(stripped) <= column:
            break
        end = following
    return end


def _quote(lines: list[str], first: int, start: int, last: int) -> None:
    def escaped(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    lines[first] = lines[first][:start] + '"' + escaped(lines[first][start:])
    for index in range(first + 1, last + 1):
        lines[index] = escaped(lines[index])
    lines[last] = lines[last].rstrip() + '"'


def quoted_example(line: str, column: int) -> str:
    """The author's `line` with the text at `column` in quotes (without its indentation): how to
    write it so that YAML reads it as text, for the lines `quoted_text` cannot tell."""
    indent = len(line) - len(line.lstrip())
    line, column = line[indent:], column - indent
    head = "- " if line.startswith("- ") else ""
    name, colon, value = line[len(head):].partition(": ")
    if colon and column >= len(head) + len(name):
        return f'{head}{name}: "{_example_text(value)}"'
    return f'{head}"{_example_text(name)}"' + (f": {value}" if colon else "")


def _example_text(text: str) -> str:
    text = text.strip().replace('"', '\\"')
    return text if len(text) <= 50 else f"{text[:36]}…{text[-10:]}"
