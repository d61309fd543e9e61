"""Images in a guide: a Markdown image on a line of its own is a figure.

An image is a file inside the guide's folder (beside the guide or in an `images/` folder there),
never an address: a remote image would make every reader's browser call another server (a
tracking pixel on a school's page), break offline and be missing from the print. Every image says
what it shows (its alt text), or is marked decorative with the alt text `decorative`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal
from urllib.parse import unquote

from markdown_it.tree import SyntaxTreeNode

from publish.guide.model import Figure
from publish.guide.reader import Reader

DECORATIVE = "decorative"  # the alt text that marks an image as decoration, shown to no one
MAX_IMAGE_BYTES = 10_000_000
# The types every EPUB reading system, browser and WeasyPrint show, by their first bytes.
IMAGE_KINDS = ((b"\x89PNG\r\n\x1a\n", (".png",)), (b"\xff\xd8\xff", (".jpg", ".jpeg")),
               (b"GIF87a", (".gif",)), (b"GIF89a", (".gif",)))
_STRAY_IMAGE = re.compile(r"!\[[^\]\n]*\]\s*[(\[]\s*<?([^)\s>]*)")
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
EXAMPLE = "![A technician checks a blade](images/blade.jpg)"


def figure_of(node: SyntaxTreeNode, line: int, reader: Reader, folder: Path | None) -> Figure | None | Literal[False]:
    """The figure a paragraph is, None when it is one but has a problem (reported), False when the
    paragraph is text."""
    inline = node.children[0] if node.children else None
    pieces = [c for c in (inline.children if inline else []) if not (c.type in ("softbreak", "hardbreak") or
                                                                     (c.type == "text" and not c.content.strip()))]
    images = [c for c in (inline.children if inline else []) if c.type == "image"]
    if not images:
        return False
    if len(pieces) > 1:
        addresses = [unquote(found.group(1)) for found in _STRAY_IMAGE.finditer(inline.content if inline else "")]
        for address in filter(_is_address, addresses):
            _refuse_address(address, line, reader)
        if not all(map(_is_address, addresses)):
            reader.problem(line, "an image is inside a paragraph of text",
                           f"put the image on a line of its own, with a blank line before and after: {EXAMPLE}")
        return None
    image = images[0]
    alt = "".join(child.content for child in image.children or []).strip()
    title = str(image.attrs.get("title") or "").strip()
    return _figure(str(image.attrs.get("src") or ""), alt, title, line, reader, folder)


def _figure(src: str, alt: str, caption: str, line: int, reader: Reader, folder: Path | None) -> Figure | None:
    address = unquote(src)
    if not alt:
        reader.problem(line, f"the image `{address}` has no alt text",
                       "say in the brackets what it shows, for readers who cannot see it, e.g. "
                       f"{EXAMPLE}; for pure decoration write `![{DECORATIVE}]({address})`")
    source = _image_file(address, line, reader, folder)
    if source is None or folder is None or not alt:  # (without a folder there is no file)
        return None
    name = source.relative_to(folder.resolve()).as_posix()
    return Figure(reader.where(line), name, source, "" if alt.lower() == DECORATIVE else alt, caption)


def _image_file(address: str, line: int, reader: Reader, folder: Path | None) -> Path | None:
    if _is_address(address):
        _refuse_address(address, line, reader)
        return None
    if folder is None:
        reader.problem(line, f"the image `{address}` cannot be found: the guide is not read from a file",
                       "save the guide in the guides folder, with the image beside it")
        return None
    base = folder.resolve()
    candidate = (base / address).resolve()
    if address.startswith("/") or not candidate.is_relative_to(base):
        reader.problem(line, f"the image `{address}` is outside the guide's folder",
                       "put it beside the guide or in an images/ folder there, and name it without `..` or a "
                       "leading /, e.g. `images/name.jpg`")
        return None
    if not candidate.is_file():
        reader.problem(line, f"the image `{address}` does not exist", "check the file name and its folder "
                       f"(names are relative to {folder.as_posix() or '.'}/)")
        return None
    return candidate if _readable_image(candidate, address, line, reader) else None


def _is_address(address: str) -> bool:
    return address.startswith("//") or bool(_SCHEME.match(address))


def _refuse_address(address: str, line: int, reader: Reader) -> None:
    if address.lower().startswith(("http:", "https:", "//")):
        reader.problem(line, f"the image `{address[:120]}` is on another server",
                       "readers' browsers would call that server, and the print and offline copies would "
                       "lack it: save the image (if you may use it) into guides/images/ and write "
                       "`![…](images/name.jpg)`")
    else:
        reader.problem(line, f"the image `{address[:120]}` is an address, not a file in the project",
                       "copy the image into guides/images/ and write `![…](images/name.jpg)`")


def _readable_image(path: Path, address: str, line: int, reader: Reader) -> bool:
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(16)
    except OSError as error:
        reader.problem(line, f"the image `{address}` cannot be read ({error.strerror})",
                       "check that you may read the file")
        return False
    if size > MAX_IMAGE_BYTES:
        reader.problem(line, f"the image `{address}` is {size / 1e6:.1f} MB, over the limit of "
                       f"{MAX_IMAGE_BYTES // 1_000_000} MB", "save a smaller copy (2000 pixels wide is plenty for print)")
        return False
    endings = next((endings for magic, endings in IMAGE_KINDS if head.startswith(magic)), None)
    if endings is None:
        reader.problem(line, f"the image `{address}` is not a PNG, JPEG or GIF file",
                       "save it as .png or .jpg (SVG, WebP and others are not shown everywhere)")
        return False
    if path.suffix.lower() not in endings:
        reader.problem(line, f"the image `{address}` holds {endings[0][1:].upper()} data under a "
                       f"{path.suffix or 'missing'} ending", f"rename it to end in {endings[0]}")
        return False
    return True


def stray_images(body: str, offset: int, figure_lines: set[int], reader: Reader) -> None:
    """Images anywhere but on a line of their own (a list, a ``` block, the lesson) are refused."""
    for number, text in enumerate(body.split("\n"), start=offset + 1):
        found = _STRAY_IMAGE.search(text) if number not in figure_lines else None
        if found is None:
            continue
        address = unquote(found.group(1))
        if _is_address(address):  # (Markdown itself drops `file:` and `javascript:` images)
            _refuse_address(address, number, reader)
        else:
            reader.problem(number, "an image can only stand on a line of its own in a section",
                           f"move it out of the list, block or lesson onto its own line: {EXAMPLE}")
