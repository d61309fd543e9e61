"""A thin, line-aware view of PyYAML's composed nodes.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two duplicate keys;
guide errors must name the line, so the parser walks the composed node tree through this view.
Scalars stay as the text the author wrote (`9:00` stays "9:00", never YAML 1.1's 540).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import yaml

from publish.errors import UNSAFE_CHARACTERS, Problem
from publish.guide.quoting import quoted_example


@dataclass(frozen=True)
class YNode:
    node: yaml.Node
    path: str
    line_offset: int  # file line of the YAML text's first line, minus one

    @property
    def line(self) -> int:
        return self.node.start_mark.line + 1 + self.line_offset

    @property
    def kind(self) -> str:
        if isinstance(self.node, yaml.MappingNode):
            return "mapping"
        if isinstance(self.node, yaml.SequenceNode):
            return "list"
        return "text"

    def child(self, node: yaml.Node) -> "YNode":
        return YNode(node, self.path, self.line_offset)

    def text(self) -> str:
        assert isinstance(self.node, yaml.ScalarNode)
        # One line, whatever YAML allowed (`|` blocks keep line breaks): every text here may end up
        # in a caption, a feed or a file name, where a line break would start something new.
        return " ".join(joined_surrogates(str(self.node.value)).split())

    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag.endswith(":null")

    def pairs(self) -> Iterator[tuple["YNode", "YNode"]]:
        assert isinstance(self.node, yaml.MappingNode)
        for key, value in self.node.value:
            yield self.child(key), self.child(value)

    def items(self) -> Iterator["YNode"]:
        assert isinstance(self.node, yaml.SequenceNode)
        for item in self.node.value:
            yield self.child(item)


# PyYAML's words for what went wrong, and what an editor would call it. `{example}` in a hint is
# the editor's own line with the text in quotes.
PLAIN_WORDS = (
    ("could not find expected ':'", "this line has no colon between a name and its value",
     "write `name: value`; put text that contains a colon in \"quotes\""),
    ("mapping values are not allowed here", "a colon in the middle of a value",
     "put the value in \"quotes\": `{example}`"),
    ("that cannot start any token", "a character that cannot start a value here (a tab, or a symbol such as @ or `)",
     "put text that starts with a symbol in \"quotes\": `{example}`"),
    ("expected <block end>", "the indentation here does not line up with the lines above",
     "indent each setting like its neighbours, with spaces"),
    ("expected ',' or ']'", "a list in [brackets] is not closed", "close it with `]`, or put the items in \"quotes\""),
    ("expected ',' or '}'", "a mapping in {braces} is not closed", "close it with `}`"),
    ("found unexpected end of stream", "a quotation is not closed", "close the quote on the same line"),
    ("while scanning a quoted scalar", "a quotation is not closed", "close the quote on the same line"),
    ("did not find expected key", "the indentation here does not line up with the lines above",
     "indent each setting like its neighbours, with spaces"),
    ("did not find expected '-' indicator", "a list item here does not line up with the items above",
     "start every item with `- ` at the same indentation"),
)
TAB_HINT = "indent with spaces: YAML does not read tabs"
MAX_RECOVERIES = 30
# libyaml's reader, when PyYAML was built with it: ten times faster than the pure-Python one, which
# composing every guide on every build (a no-op too) would otherwise spend 60 ms on. Text it cannot
# read is read again by the pure-Python reader, whose errors the plain words above are written for.
FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def compose(text: str, path: str, line_offset: int) -> tuple[YNode | None, list[Problem]]:
    """Compose YAML text, reporting every syntax error with its file line.

    After an error the offending line (and the lines indented under it) is set aside and the rest
    is read again, so one mistake does not hide the others.
    """
    lines = text.split("\n")
    problems: list[Problem] = _references(text, path, line_offset)
    if problems:
        return None, problems
    try:
        node = yaml.compose(text, Loader=FAST_LOADER)
    except yaml.YAMLError:
        pass  # read again below, to name every problem in words an editor knows
    else:
        return _checked(node, path, line_offset)
    for _ in range(MAX_RECOVERIES):
        try:
            node = yaml.compose("\n".join(lines), Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as error:
            index = _error_line(error, len(lines))
            problems.append(_problem(error, path, index + 1 + line_offset, lines[index]))
            if index is None or not lines[index].strip():
                return None, problems
            _set_aside(lines, index)
            continue
        except yaml.YAMLError as error:  # errors without a position, e.g. from the reader
            problems.append(Problem(path, line_offset + 1, f"the YAML cannot be read ({error})", YAML_HINT))
            return None, problems
        node, found = _checked(node, path, line_offset)
        return node, problems + found
    return None, problems


def _checked(node: yaml.Node | None, path: str, line_offset: int) -> tuple[YNode | None, list[Problem]]:
    if node is None:
        return None, []
    return YNode(node, path, line_offset), _node_problems(node, path, line_offset)


def _references(text: str, path: str, line_offset: int) -> list[Problem]:
    """Anchors and aliases (`&a`, `*a`) are refused: a guide never needs them, and an alias can make
    a few lines expand into millions of values."""
    found = []
    try:
        for token in yaml.scan(text, Loader=FAST_LOADER):
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                mark = "&" if isinstance(token, yaml.AnchorToken) else "*"
                found.append(Problem(path, token.start_mark.line + 1 + line_offset,
                                     f"YAML anchors and aliases (`{mark}{token.value}`) are not used in guides",
                                     "write the value out in full where it is needed"))
    except yaml.YAMLError:
        pass  # composing reports syntax errors with better positions
    return found


def joined_surrogates(value: str) -> str:
    """JSON-style escapes of one character beyond U+FFFF (`"\\ud83c\\udf89"`) joined into it, as
    JSON readers do; PyYAML leaves the two halves apart. A lone half stays, to be refused."""
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:
        return value


def _node_problems(root: yaml.Node, path: str, line_offset: int) -> list[Problem]:
    """Keys given twice in one mapping (YAML keeps only the last; the editor meant both), and
    control characters written as escapes (`"\\x07"`), which no output format can carry."""
    found, pending = [], [root]
    while pending:
        node = pending.pop()
        line = node.start_mark.line + 1 + line_offset
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    name = " ".join(str(key.value).split()).lower()
                    if name in seen:
                        found.append(Problem(path, key.start_mark.line + 1 + line_offset,
                                             f"`{key.value}` is given twice here", "keep one of the two lines"))
                    seen.add(name)
                pending.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
        elif isinstance(node, yaml.ScalarNode) and UNSAFE_CHARACTERS.search(joined_surrogates(str(node.value))):
            found.append(Problem(path, line, "this value holds an invisible control character (written as an escape)",
                                 "delete the `\\` escape; write the text as plain characters"))
    return sorted(found, key=lambda p: p.line)


def _error_line(error: yaml.MarkedYAMLError, count: int) -> int:
    """The 0-based line the editor must change: where the unfinished thing began (a key without its
    colon, an unclosed bracket or quote), else where the reader stopped."""
    mark = error.problem_mark or error.context_mark
    unfinished = ("simple key", "flow", "quoted scalar")
    if error.context_mark is not None and any(word in str(error.context) for word in unfinished):
        mark = error.context_mark
    if mark is None:
        return 0
    return min(mark.line, count - 1)


def _problem(error: yaml.MarkedYAMLError, path: str, line: int, text: str) -> Problem:
    said = f"{error.context or ''} {error.problem or ''}"
    for jargon, what, hint in PLAIN_WORDS:
        if jargon in said:
            column = error.problem_mark.column if error.problem_mark else 0
            if "{example}" in hint and "\t" in text[:column + 1]:
                return Problem(path, line, what, TAB_HINT)
            return Problem(path, line, what, hint.format(example=quoted_example(text, column)))
    return Problem(path, line, f"the YAML here cannot be read ({error.problem or error.context})", YAML_HINT)


def _set_aside(lines: list[str], index: int) -> None:
    indent = len(lines[index]) - len(lines[index].lstrip())
    lines[index] = ""
    for following in range(index + 1, len(lines)):
        text = lines[following]
        if text.strip() and len(text) - len(text.lstrip()) <= indent:
            break
        lines[following] = ""


YAML_HINT = (
    "check the indentation and put text that contains ': ' or starts with a symbol in \"quotes\""
)
