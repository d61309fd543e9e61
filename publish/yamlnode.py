"""A thin, line-aware view of PyYAML's composed nodes.

PyYAML's `safe_load` forgets line numbers and silently keeps the last of two duplicate keys;
guide errors must name the line, so the parser walks the composed node tree through this view.
Scalars stay as the text the author wrote (`9:00` stays "9:00", never YAML 1.1's 540).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import yaml

from publish.errors import GuideError, Problem


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
        return str(self.node.value).strip()

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


def compose(text: str, path: str, line_offset: int) -> YNode | None:
    """Compose YAML text; a syntax error becomes a GuideError pointing at the file line."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        what = f"the YAML here cannot be read ({error.problem or error.context})"
        raise GuideError([Problem(path, line, what, YAML_HINT)]) from None
    except yaml.YAMLError as error:  # errors without a position, e.g. from the reader
        raise GuideError([Problem(path, line_offset + 1, f"the YAML cannot be read ({error})", YAML_HINT)]) from None
    return YNode(node, path, line_offset) if node is not None else None


YAML_HINT = (
    "check the indentation and put text that contains ': ' or starts with a symbol in \"quotes\""
)
