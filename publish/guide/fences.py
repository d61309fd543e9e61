"""The top-level Markdown nodes of a guide's body, with ``` blocks left open ended where they
were meant to end.

Markdown closes a ``` block only at a bare ``` line, so a block whose closing line was forgotten
swallows the next block's opening line and entries, and the YAML reader then blames those lines.
A line inside a block that opens another block, or that is a section or lesson heading, shows
where the author meant it to end: the open block is reported once, at the line it opened on, and
the body is read on from that line as if the block had been closed there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode

from publish.guide.lesson import LESSON_HEADINGS
from publish.guide.reader import Reader

# Lines no block's entries can be: another block's opening fence (a fence with a kind after it
# never closes one), a section heading, and the lesson's heading (only that one: a YAML comment
# starts with `# ` too).
_OPENING_FENCE = re.compile(r"^(?:`{3,}|~{3,})\s*([^\s`~]+)")
_SECTION_HEADING = re.compile(r"^##\s+[^\n|]*\|")
_TOP_HEADING = re.compile(r"^#\s+(.+?)\s*$")

_markdown = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class TopNode:
    node: SyntaxTreeNode
    line: int  # the file line the node starts on


@dataclass(frozen=True)
class Body:
    nodes: tuple[TopNode, ...]
    open_to_the_end: bool  # a block never closed ran to the end of the file: all after it is inside it


def top_nodes(body: str, offset: int, reader: Reader) -> Body:
    """The body's top-level nodes; `offset` is the file line before the body's first line."""
    lines = body.split("\n")
    nodes: list[TopNode] = []
    start: int | None = 0
    while start is not None:
        start = _read_from(lines, start, offset, reader, nodes)
        if start == len(lines):
            return Body(tuple(nodes), open_to_the_end=True)
    return Body(tuple(nodes), open_to_the_end=False)


def _read_from(lines: list[str], start: int, offset: int, reader: Reader, nodes: list[TopNode]) -> int | None:
    """Add the nodes from body line `start` on; return the line to read on from after a block left
    open (the number of lines when it runs to the end), or None when all is read."""
    tree = SyntaxTreeNode(_markdown.parse("\n".join(lines[start:])))
    for node in tree.children:
        first = start + (node.map[0] if node.map else 0)
        if node.type != "fence" or node.map is None:
            nodes.append(TopNode(node, first + offset + 1))
            continue
        last = start + node.map[1] - 1
        end = _meant_end(lines, first, last)
        if end is None and last > first and lines[last].strip().startswith(node.markup):
            nodes.append(TopNode(node, first + offset + 1))
            continue
        _report_open(node, first, end, lines, offset, reader)
        if end is None:
            return len(lines)
        nodes.append(TopNode(_closed_fence(lines[first:end], node.markup), first + offset + 1))
        return end
    return None


def _report_open(node: SyntaxTreeNode, first: int, end: int | None, lines: list[str], offset: int,
                 reader: Reader) -> None:
    kind = (node.info or "").strip().split(" ")[0] or node.markup
    what = f"the `{kind}` block that opens on this line is never closed"
    if end is None:
        reader.problem(first + offset + 1, f"{what} (it runs to the end of the file)",
                       f"add a line {node.markup} after its last entry")
        return
    at = end + offset + 1
    reader.problem(first + offset + 1, f"{what}: line {at} {_what_starts(lines[end])} inside it",
                   f"add a line {node.markup} after its last entry, before line {at}")


def _meant_end(lines: list[str], first: int, last: int) -> int | None:
    """The first line inside the block opened at `first` that cannot be one of its entries."""
    return next((index for index in range(first + 1, last + 1) if _what_starts(lines[index])), None)


def _what_starts(line: str) -> str:
    """What a line that no block's entry can be starts, in an editor's words; "" for any other line."""
    fence = _OPENING_FENCE.match(line)
    if fence:
        return f"opens a `{fence.group(1)}` block"
    if _SECTION_HEADING.match(line):
        return "starts a section"
    heading = _TOP_HEADING.match(line)
    if heading and heading.group(1).lower() in LESSON_HEADINGS:
        return "starts the audio lesson"
    return ""


def _closed_fence(lines: list[str], markup: str) -> SyntaxTreeNode:
    """The block's lines, parsed with the closing line its author forgot."""
    while len(lines) > 1 and not lines[-1].strip():
        lines = lines[:-1]
    return SyntaxTreeNode(_markdown.parse("\n".join([*lines, markup]))).children[0]
