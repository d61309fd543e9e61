"""The Jinja environment shared by handouts and web pages: autoescape on, undefined is an error."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

# Raw HTML off: guide text can add emphasis and links, never tags or script.
_inline_markdown = MarkdownIt("commonmark", {"html": False})


def inline(text: str) -> Markup:
    """Inline Markdown (emphasis, code, links) → safe HTML; everything else is escaped."""
    return Markup(_inline_markdown.renderInline(text))


@lru_cache(maxsize=8)
def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template, whatever its file name ends with
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["inline"] = inline
    return env
