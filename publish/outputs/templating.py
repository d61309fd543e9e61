"""The Jinja environment shared by handouts and web pages: autoescape on, undefined is an error."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from publish.guide.model import (BulletList, Day, Facts, Faq, Figure, ItemList, Paragraph, Pathway, Routes, Skills,
                                 Sources)

# Raw HTML off: guide text can add emphasis and links, never tags or script. Images are figures,
# read by the guide reader from files in the project; inline text never loads one.
_inline_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


def inline(text: str) -> Markup:
    """Inline Markdown (emphasis, code, links) → safe HTML; everything else is escaped."""
    return Markup(_inline_markdown.renderInline(text))


# One template per block kind, shared by the printed handout and the web page.
BLOCK_TEMPLATES = {
    Paragraph: "paragraph", BulletList: "bullets", Facts: "facts", Day: "day", Pathway: "pathway",
    Skills: "skills", Routes: "routes", ItemList: "items", Faq: "faq", Sources: "sources", Figure: "figure",
}
ITEM_TITLES = {"pros": "Pros", "cons": "Cons", "myths": "Myths", "checklist": "You'll likely thrive here if…"}
COST_WORDS = {1: "$ · low", 2: "$$ · medium", 3: "$$$ · high"}


def block_kind(block: object) -> str:
    return BLOCK_TEMPLATES[type(block)]


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
    env.globals.update(block_kind=block_kind, item_titles=ITEM_TITLES, cost_words=COST_WORDS)
    return env
