"""Which files are guides, and the guides a command names: by path, by folder, or by slug.

A guide is a Markdown file that starts with front matter. README files, and files in the
guides folder without front matter, are notes for editors, not guides.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from publish.errors import PublishError
from publish.files import SLUG_RE

log = logging.getLogger(__name__)

_SLUG_LINE = re.compile(r"^slug:\s*['\"]?([^'\"\s#]+)", re.M)


def is_readme(path: Path) -> bool:
    return path.stem.lower() == "readme"


def has_front_matter(path: Path) -> bool:
    try:
        with open(path, "rb") as handle:
            return handle.read(8).removeprefix(b"\xef\xbb\xbf").startswith(b"---")
    except OSError:
        return True  # let the reader say what is wrong with it


def find_guides(folder: Path) -> list[Path]:
    """Guide files in a folder: every *.md that starts with front matter, except READMEs; sorted."""
    return sorted(p for p in folder.glob("*.md") if not is_readme(p) and has_front_matter(p))


def guide_paths(names: list[Path], guides_dir: Path) -> list[Path]:
    """The guide files that command-line names mean (default: every guide in `guides_dir`)."""
    found: list[Path] = []
    for name in names or [guides_dir]:
        if name.is_dir():
            found.extend(find_guides(name))
        elif name.is_file():
            if is_readme(name) or (name.resolve().parent == guides_dir.resolve() and not has_front_matter(name)):
                log.info("%s is not a guide (no front matter); skipped", name)
                continue
            found.append(name)
        else:
            found.append(by_slug(str(name), guides_dir))
    if not found:
        raise PublishError(f"no guides found in {', '.join(map(str, names or [guides_dir]))} — "
                           "add a guide with `publish new SLUG`")
    return found


def by_slug(name: str, guides_dir: Path) -> Path:
    """The guide in `guides_dir` whose slug (or file name) is `name`."""
    candidates = find_guides(guides_dir) if guides_dir.is_dir() else []
    if SLUG_RE.match(name):
        for path in candidates:
            if path.stem == name or _slug_of(path) == name:
                return path
    slugs = ", ".join(_slug_of(p) or p.stem for p in candidates) or "none"
    raise PublishError(f"no guide named `{name}` — give a guide file, a folder, or the slug of a guide in "
                       f"{guides_dir} ({slugs})")


def _slug_of(path: Path) -> str | None:
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    except OSError:
        return None
    match = _SLUG_LINE.search(head.split("\n---", 1)[0])
    return match.group(1) if match else None
