"""Shared by the parts of the guide reader: the problem collector and inline-text helper."""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it.tree import SyntaxTreeNode

from publish.errors import Problem
from publish.guide.model import Where


@dataclass
class Reader:
    """Collects problems for one file while its parts are read."""

    path: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # what may be better, though the guide builds
    # Lines of the front matter were set aside after a YAML error: a "missing" setting may be on one.
    front_matter_unread: bool = False
    language: str = "en"  # the guide's, once its front matter is read: words an editor writes may be in it

    def problem(self, line: int, what: str, hint: str, unit: str = "lines") -> None:
        """`unit`: what the line is (`turns`), said when the same problem is found on several."""
        self.problems.append(Problem(self.path, line, what, hint, unit))

    def warn(self, line: int, what: str, hint: str, unit: str = "lines") -> None:
        self.warnings.append(Problem(self.path, line, what, hint, unit, warning=True))

    def where(self, line: int) -> Where:
        return Where(self.path, line)


def inline(node: SyntaxTreeNode) -> str:
    content = node.children[0].content if node.children else ""
    return " ".join(part.strip() for part in content.split("\n")).strip()
