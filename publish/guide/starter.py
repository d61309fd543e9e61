"""`publish new SLUG`: write a starter guide that `publish check` accepts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import jinja2

from publish.errors import OutputError
from publish.guide.model import SLUG_RE
from publish.writer import write_text_atomic

STARTER = Path(__file__).with_name("starter.md")


def new_guide(slug: str, folder: Path, title: str | None = None) -> Path:
    if not SLUG_RE.match(slug):
        raise OutputError(f"`{slug}` is not a usable slug — use lowercase letters, digits and single hyphens, "
                          "e.g. `data-analyst`")
    target = folder / f"{slug}.md"
    if target.exists():
        raise OutputError(f"{target} already exists — choose another slug or edit that file")
    template = jinja2.Template(STARTER.read_text(encoding="utf-8"), undefined=jinja2.StrictUndefined,
                               keep_trailing_newline=True)
    text = template.render(slug=slug, title=title or slug.replace("-", " ").title(), today=date.today().isoformat())
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(target, text)
    return target
