"""The guide's images as each format shows them: the page links copies named by their bytes, the
book carries them inside, the handouts draw them from the guide's folder."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publish.digest import file_digest
from publish.guide.model import Figure
from publish.outputs.files import image_name


@dataclass(frozen=True)
class ShownImage:
    src: str
    width: int  # pixels; the templates scale images down to their column
    height: int
    # A decoration drawn as a background: in a tagged PDF an image is always a figure that needs
    # words, while a background is kept out of what assistive technology reads.
    background: bool = False


def shown(figure: Figure, src: str, background: bool = False) -> ShownImage:
    width, height = _size(figure.source, file_digest(figure.source))
    return ShownImage(src, width, height, background)


@lru_cache(maxsize=256)
def _size(path: Path, bytes_digest: str) -> tuple[int, int]:
    from PIL import Image  # reads the header only

    with Image.open(path) as image:
        return image.size


def book_name(figure: Figure) -> str:
    """The image's name inside the book, beside its pages: `images/tower-1a2b….jpg`."""
    return f"images/{image_name(figure.source)}"
