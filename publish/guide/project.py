"""Which files are guides, and the guides a command names: by path, by folder, or by slug.

A guide is a Markdown file that starts with front matter, or that has lost it but still has a
guide's settings, sections or lesson (so its mistake is reported, not passed over). README files,
and other files without any of these, are notes for editors, not guides.
"""

from __future__ import annotations

import logging
import re
import stat
from pathlib import Path

from publish.errors import GuideError, PublishError
from publish.guide.model import SLUG_RE
from publish.guide.source import UNICODE_BOMS

log = logging.getLogger(__name__)

_SLUG_LINE = re.compile(r"^slug:\s*['\"]?([^'\"\s#]+)", re.M)


def is_readme(path: Path) -> bool:
    return path.stem.lower() == "readme"


_GUIDE_SIGNS = re.compile(r"^(title:|speakers:|# audio lesson\s*$|## [^\n|]+\|)", re.M | re.I)


def is_guide(path: Path) -> bool:
    """A guide starts with front matter; one whose first `---` was lost still has its settings,
    sections or lesson, and is read (and its mistake reported) rather than passed over as a note.
    An empty file is a guide not yet written."""
    if is_readme(path):
        return False
    try:
        # Never opened unless regular: opening a FIFO for reading waits for a writer forever.
        if not stat.S_ISREG(path.stat().st_mode):
            return True  # the reader refuses it, with a message
        with open(path, "rb") as handle:
            raw = handle.read(65536)
    except OSError:
        return True  # let the reader say what is wrong with it
    if raw.startswith(tuple(bom for bom, _ in UNICODE_BOMS)):
        return True  # saved as UTF-16 or UTF-32: the reader says so
    head = raw.decode("utf-8", "replace").removeprefix("\ufeff")
    return head.startswith("---") or not head.strip() or bool(_GUIDE_SIGNS.search(head))


# What a file that is not a guide may be, by its first bytes.
_KINDS = ((b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF8", "a GIF image"),
          (b"%PDF", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (a Word, EPUB or other office file?)"),
          (b"ID3", "an MP3 file"), (b"RIFF", "a WAV or other RIFF file"), (b"\x7fELF", "a program"))


def not_a_guide(path: Path, project: Path) -> tuple[str, str] | None:
    """What a file named as a guide is instead, and what to do; None when it may be a guide."""
    if path.is_symlink() and not path.resolve().is_relative_to(project.resolve()):
        return (f"this is a link to {path.resolve()}, outside the project",
                "copy the guide into the project's guides/ folder instead of linking to it")
    try:
        # Never opened unless regular: opening a FIFO for reading waits for a writer forever.
        if not stat.S_ISREG(path.stat().st_mode):
            return None  # the reader says what it is
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return None  # the reader says what is wrong with it
    kind = next((what for magic, what in _KINDS if head.startswith(magic)), None)
    if kind is None and b"\x00" in head and not head.startswith(tuple(bom for bom, _ in UNICODE_BOMS)):
        kind = "binary data"
    if kind:
        return (f"this is {kind}, not a guide", "name a guide saved as plain text in Markdown (.md)")
    return None


def find_guides(folder: Path) -> list[Path]:
    """Guide files in a folder: every *.md that starts with front matter, except READMEs; sorted."""
    found = []
    for path in sorted(folder.glob("*.md")):
        other = None if is_readme(path) else not_a_guide(path, folder.resolve().parent)
        if other:
            log.warning("%s: not built: %s — %s", path, *other)
        elif is_guide(path):
            found.append(path)
        elif not is_readme(path):
            log.info("%s: not built, it does not start with front matter (if it is a guide, begin it with ---)", path)
    return found


def guide_paths(names: list[Path], guides_dir: Path) -> list[Path]:
    """The guide files that command-line names mean (default: every guide in `guides_dir`)."""
    found: list[Path] = []
    for name in names or [guides_dir]:
        if name.is_dir():
            found.extend(find_guides(name))
        elif name.is_file() or name.exists():
            other = not_a_guide(name, guides_dir.resolve().parent)
            if other:
                raise GuideError.single(str(name), 1, *other)
            if not is_guide(name):
                log.info("%s is not a guide (no front matter, settings or sections); skipped", name)
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
