"""The Jinja environment shared by handouts and web pages: autoescape on, undefined is an error."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Callable

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from publish.outputs.i18n import N_, primary, translations
from publish.outputs.typography import marks
from publish.guide.model import (BulletList, Day, Facts, Faq, Figure, ItemList, Myths, Paragraph, Pathway, Routes,
                                 Skills, Sources)

# Raw HTML off: guide text can add emphasis and links, never tags or script. Images are figures,
# read by the guide reader from files in the project; inline text never loads one.
_inline_markdown = MarkdownIt("commonmark", {"html": False}).disable("image")


def inline(text: str) -> Markup:
    """Inline Markdown (emphasis, code, links) → safe HTML; everything else is escaped."""
    return Markup(_inline_markdown.renderInline(text))


# One template per block kind, shared by the printed handout and the web page.
BLOCK_TEMPLATES = {
    Paragraph: "paragraph", BulletList: "bullets", Facts: "facts", Day: "day", Pathway: "pathway",
    Skills: "skills", Routes: "routes", ItemList: "items", Myths: "myths", Faq: "faq", Sources: "sources",
    Figure: "figure",
}
ITEM_TITLES = {"pros": N_("Pros"), "cons": N_("Cons"), "myths": N_("Myths"),
               "checklist": N_("You'll likely thrive here if…")}
COST_WORDS = {1: N_("$ · low"), 2: N_("$$ · medium"), 3: N_("$$$ · high")}


def block_kind(block: object) -> str:
    return BLOCK_TEMPLATES[type(block)]


def percent(language: str) -> Callable[[int], str]:
    """`60%` in English, `60 %` in Spanish and French (the locale's own spacing)."""
    if primary(language) == "en":
        return lambda share: f"{share}%"
    from babel.numbers import format_percent

    return lambda share: format_percent(share / 100, locale=primary(language))


@lru_cache(maxsize=16)
def environment(templates: Path, language: str = "en") -> jinja2.Environment:
    """The templates, with `_()` translating fixed words into `language` (Jinja's i18n extension)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template, whatever its file name ends with
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_translations(translations(language), newstyle=True)  # type: ignore[attr-defined]
    env.filters["inline"] = inline
    env.globals.update(block_kind=block_kind, item_titles=ITEM_TITLES, cost_words=COST_WORDS,
                       percent=percent(language), marks=marks(language))
    return env
