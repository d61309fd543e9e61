"""The braille edition as files: BRF (braille ASCII, for embossers and note-takers) and PEF 1.0
(the DAISY Consortium's Portable Embosser Format: Unicode braille in XML). Both carry the same
pages, cell for cell."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from publish.outputs.braille.edition import BrailleEdition
from publish.outputs.braille.liblouis import BLANK, ascii_braille

PEF = "http://www.daisy.org/ns/2008/pef"
DC = "http://purl.org/dc/elements/1.1/"
PEF_MEDIA_TYPE = "application/x-pef+xml"
FORM_FEED = "\f"


def brf(edition: BrailleEdition) -> bytes:
    """Lines end with a newline, and a form feed ends each page, as embossers and note-takers expect."""
    pages = ("\n".join(ascii_braille(row).rstrip(" ") for row in page) + "\n" for page in edition.pages)
    return "".join(page + FORM_FEED for page in pages).encode("ascii")


def pef(edition: BrailleEdition, identifier: str, updated: date) -> bytes:
    """One volume, single-sided (many embossers print both sides from it when asked)."""
    ElementTree.register_namespace("", PEF)
    ElementTree.register_namespace("dc", DC)
    root = ElementTree.Element(f"{{{PEF}}}pef", {"version": "2008-1"})
    meta = ElementTree.SubElement(ElementTree.SubElement(root, f"{{{PEF}}}head"), f"{{{PEF}}}meta")
    for name, value in (("format", PEF_MEDIA_TYPE), ("identifier", identifier), ("title", edition.title),
                        ("language", edition.language), ("date", updated.isoformat()),
                        ("description", f"{edition.table.code}, liblouis {edition.table.table}")):
        ElementTree.SubElement(meta, f"{{{DC}}}{name}").text = value
    volume = ElementTree.SubElement(ElementTree.SubElement(root, f"{{{PEF}}}body"), f"{{{PEF}}}volume", {
        "cols": str(edition.cells), "rows": str(edition.lines), "rowgap": "0", "duplex": "false"})
    section = ElementTree.SubElement(volume, f"{{{PEF}}}section")
    for rows in edition.pages:
        page = ElementTree.SubElement(section, f"{{{PEF}}}page")
        for row in rows:
            ElementTree.SubElement(page, f"{{{PEF}}}row").text = row.rstrip(BLANK) or None
    ElementTree.indent(root, space=" ")
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
