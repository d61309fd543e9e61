"""Faces for the scripts DejaVu does not draw (Chinese, Japanese, Devanagari), embedded in the
read-along book as subsets: a reading system without a face for the script would show empty boxes,
and one with a face for the wrong language would draw Han characters with the other language's
shapes. The handouts name the same faces in their CSS (WeasyPrint embeds subsets of what it
draws); the pages name them with the faces readers' systems have.

The faces are Debian's (`fonts-noto-cjk`, `fonts-noto-core`, installed by `make build`), found
with fontconfig; a subset keeps only the book's characters, with their shaping tables (Devanagari's
conjuncts), and the same text gives the same bytes.
"""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from pathlib import Path

from publish.errors import OutputError
from publish.outputs.i18n import primary

# The face each language's text is set in, by language tag (most particular first) or primary language.
SCRIPT_FACES = {"zh-hant": "Noto Sans CJK TC", "zh-tw": "Noto Sans CJK TC", "zh-hk": "Noto Sans CJK TC",
                "zh": "Noto Sans CJK SC", "ja": "Noto Sans CJK JP", "hi": "Noto Sans Devanagari",
                "mr": "Noto Sans Devanagari", "ne": "Noto Sans Devanagari"}
PACKAGES = {"Noto Sans CJK": "fonts-noto-cjk", "Noto Sans Devanagari": "fonts-noto-core"}
# The book's name for its embedded face: the reading system's own fonts for every other script.
BOOK_FAMILY = "publish script"


@dataclass(frozen=True)
class BookFace:
    name: str  # inside the book: `fonts/script-400.otf`
    weight: int
    path: Path  # the installed face: its file, and its index in a collection
    index: int

    @property
    def media_type(self) -> str:
        return "font/ttf" if self.name.endswith(".ttf") else "font/otf"


def script_face(language: str) -> str | None:
    tag = language.replace("_", "-").lower()
    return next((SCRIPT_FACES[key] for key in (tag, "-".join(tag.split("-")[:2]), primary(tag)) if key in SCRIPT_FACES),
                None)


def locate(family: str, bold: bool) -> tuple[Path, int]:
    """The face's file and its index in a collection, as fontconfig finds it."""
    pattern = f"{family}:style={'Bold' if bold else 'Regular'}"
    try:
        found = subprocess.run(["fc-match", "-f", "%{file}\n%{index}\n%{family}", pattern], capture_output=True,
                               text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        found = []
    if len(found) < 3 or family not in found[2].split(","):
        package = next((name for prefix, name in PACKAGES.items() if family.startswith(prefix)), "a package with it")
        raise OutputError(f"the font `{family}` is not installed, and the book's {family.split()[-1]} text needs it — "
                          f"install it: apt-get install {package} (make build does)")
    return Path(found[0]), int(found[1] or 0)


def book_faces(language: str) -> tuple[BookFace, ...]:
    """The regular and bold faces for the language's script (none for a language DejaVu and the
    reading system's own fonts draw)."""
    family = script_face(language)
    if family is None:
        return ()
    faces = []
    for weight in (400, 700):
        path, index = locate(family, weight == 700)
        faces.append(BookFace(f"fonts/script-{weight}{'.ttf' if path.suffix.lower() == '.ttf' else '.otf'}",
                              weight, path, index))
    return tuple(faces)


def subset(face: BookFace, text: str) -> bytes:
    """The face with only the characters of `text`, and every shaping feature (Devanagari's
    conjuncts and vowel signs, CJK's vertical and full-width forms)."""
    from fontTools import subset as subsetting
    from fontTools.ttLib import TTFont

    options = subsetting.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    font = TTFont(str(face.path), fontNumber=face.index, lazy=True)
    subsetter = subsetting.Subsetter(options)
    subsetter.populate(text="".join(sorted(set(text) - {"\n", "\r", "\t"})))
    subsetter.subset(font)
    written = io.BytesIO()
    font.save(written)
    return written.getvalue()


def faces_css(faces: tuple[BookFace, ...]) -> str:
    """The book's stylesheet for its embedded faces: every element's text set in them."""
    rules = [f'@font-face {{ font-family: "{BOOK_FAMILY}"; font-weight: {face.weight}; font-style: normal; '
             f'src: url("{face.name}"); }}' for face in faces]
    return "\n".join([*rules, f'body {{ font-family: "{BOOK_FAMILY}", sans-serif; }}', ""])
