"""`publish new SLUG`: write a starter guide that `publish check` accepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2

from publish.errors import OutputError
from publish.guide.model import SLUG_RE
from publish.writer import write_text_atomic

STARTER = Path(__file__).with_name("starter.md")


# Words whose spelling and sound disagree about the article: "a union rep", "an hourly worker".
_SAYS_A = ("uni", "use", "usu", "uti", "eu", "one", "once", "ux", "ufo")
_SAYS_AN = ("hour", "honest", "honor", "honour", "heir")


def article(title: str) -> str:
    """`a` or `an` for the career's name, as it is said."""
    word = title.strip().lower()
    if word.startswith(_SAYS_AN):
        return "an"
    return "an" if word[:1] in "aeiou" and not word.startswith(_SAYS_A) else "a"


def new_guide(slug: str, folder: Path, title: str | None = None) -> Path:
    if not SLUG_RE.match(slug):
        raise OutputError(f"`{slug}` is not a usable slug — use lowercase letters, digits and single hyphens, "
                          "e.g. `data-analyst`")
    target = folder / f"{slug}.md"
    if target.exists():
        raise OutputError(f"{target} already exists — choose another slug or edit that file")
    template = jinja2.Template(STARTER.read_text(encoding="utf-8"), undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True)
    title = title or slug.replace("-", " ").title()
    text = template.render(slug=slug, title=title, article=article(title), today=date.today().isoformat())
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, text)
    return target
