"""Printable handouts: guide (+ timeline) → HTML from Jinja templates → tagged PDF by WeasyPrint.

`render_handout` returns the PDF bytes; writing them is the writer's job. `PdfOutput` is the
format: each paper size's handouts, one per edition (standard, large print). Guide text is untrusted:
templates autoescape, inline Markdown is rendered with raw HTML off, and WeasyPrint may only read
files inside the templates folder and the guide's own folder, and nothing from the network.
"""

from __future__ import annotations

import base64
import logging
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from markupsafe import Markup

from publish.audio.timeline import Timeline
from publish.errors import OutputError
from publish.guide.model import Guide
from publish.outputs.base import GuideOutput, KeyInputs, Material, Reads, guide_of, keyed
from publish.outputs.files import EDITIONS, Edition, File, GuideFiles
from publish.outputs.i18n import N_, translator
from publish.outputs.images import shown
from publish.outputs.shown import date_text
from publish.outputs.transcript import clock, heading, intro
from publish.outputs.typography import for_language
from publish.paper import PAPERS

log = logging.getLogger(__name__)

# The footer of every page, one message so that each language puts the numbers where it says them
# ("第 1 页，共 4 页", "4 में से पृष्ठ 1").
PAGE_OF = N_("Page %(page)s of %(pages)s")


@dataclass(frozen=True)
class HandoutRequest:
    guide: Guide
    timeline: Timeline | None
    edition: Edition
    paper: str  # a key of PAPERS
    templates: Path
    publisher: str
    lesson_url: str | None  # public address of the guide's audio page, for the QR code


def render_html(request: HandoutRequest) -> str:
    from publish.outputs.templating import environment

    guide = request.guide
    template = environment(request.templates, guide.language).get_template("handout.html.j2")
    return for_language(template.render(
        guide=guide,
        timeline=request.timeline,
        edition=request.edition.name,
        paper_css=PAPERS[request.paper].css,
        publisher=request.publisher,
        updated_text=date_text(guide.updated, guide.language),
        cover_url=guide.cover.as_uri() if guide.cover else None,
        image_of=lambda figure: shown(figure, figure.source.as_uri(), background=True),
        lesson_url=request.lesson_url,
        qr_data_uri=qr_data_uri(request.lesson_url) if request.lesson_url else None,
        clock=clock,
        transcript_heading=heading(guide.language),
        transcript_intro=intro(guide.language),
        page_footer=page_footer(guide.language),
    ), guide.language)


def page_footer(language: str) -> Markup:
    """The footer's words as CSS `content`: the translated text around the page counters."""
    pieces = re.split(r"(%\(pages?\)s)", translator(language)(PAGE_OF))
    counters = {"%(page)s": "counter(page)", "%(pages)s": "counter(pages)"}

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'

    return Markup(" ".join(counters.get(piece) or quoted(piece) for piece in pieces if piece))


def render_handout(request: HandoutRequest) -> bytes:
    from weasyprint import CSS, HTML

    html = render_html(request)
    fetcher = restricted_fetcher((request.templates, request.guide.folder))
    sheets = [CSS(filename=str(request.templates / "handout.css"), url_fetcher=fetcher)]
    if request.edition.stylesheet:
        sheets.append(CSS(filename=str(request.templates / request.edition.stylesheet), url_fetcher=fetcher))
    document = HTML(string=html, base_url=str(request.templates) + "/", url_fetcher=fetcher).render(
        stylesheets=sheets)
    try:
        return document.write_pdf(pdf_variant="pdf/ua-1", custom_metadata=True, finisher=finish)
    except Exception as error:  # WeasyPrint raises plain exceptions for bad input it cannot draw
        raise OutputError(f"{request.guide.where.path}: the PDF could not be written ({error})") from None


def finish(document, pdf) -> None:
    header_scopes(document, pdf)
    every_glyph_mapped(pdf)


# A glyph's text in a font's ToUnicode map when it has none of its own: a zero-width joiner.
NO_TEXT_OF_ITS_OWN = b"<200d>"


def every_glyph_mapped(pdf) -> None:
    """Give each glyph that WeasyPrint maps to no text a zero-width joiner (PDF/UA-1 7.21.7: every
    glyph maps to Unicode). Devanagari draws a cluster as several glyphs (शि: the vowel sign, then
    the consonant); WeasyPrint gives the cluster's text to the first and an empty mapping, which
    PDF/UA checkers read as a malformed map, to the rest. The joiner adds nothing visible to the text
    a reader copies: after a whole cluster it joins nothing."""
    import pydyf

    for thing in pdf.objects:
        if isinstance(thing, pydyf.Stream) and any(line.endswith(b" beginbfchar") for line in thing.stream
                                                   if isinstance(line, bytes)):
            thing.stream = [line[:-2] + NO_TEXT_OF_ITS_OWN if isinstance(line, bytes) and line.startswith(b"<")
                            and line.endswith(b"> <>") else line for line in thing.stream]


def header_scopes(document, pdf) -> None:
    """Give every table header cell its scope (PDF/UA-1 7.5): WeasyPrint tags `<th>` as TH without
    the `scope` the HTML gives it. A header in the table's head heads its column; one in a body
    row heads its row (our tables: routes)."""
    objects = pdf.objects

    def parent(element):
        return objects[int(element["P"].split()[0])]

    for element in objects:
        if isinstance(element, dict) and element.get("S") == "/TH":
            group = parent(parent(element))
            element.setdefault("A", {})["Scope"] = "/Column" if group.get("S") == "/THead" else "/Row"


def qr_data_uri(url: str) -> str:
    import segno

    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def restricted_fetcher(allowed: tuple[Path, ...]):
    """A WeasyPrint URL fetcher that reads only files under `allowed` (after resolving links)
    and data: URIs; anything else — other files, http(s), ftp — is refused."""
    from weasyprint.urls import URLFetcher

    roots = tuple(root.resolve() for root in allowed)

    class RestrictedFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            scheme = urlparse(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path == root or root in path.parents for root in roots):
                    return super().fetch(url, headers)
            log.warning("refused to read %s into a handout (only the guide's folder and templates are allowed)",
                        url[:120])
            raise ValueError(f"not allowed in a handout: {url[:120]}")

    return RestrictedFetcher()


class PdfOutput(GuideOutput):
    name = "pdf"
    help = "the handouts, standard and large print"
    reads = frozenset({Reads.TIMELINE, Reads.TEMPLATES})  # a handout carries the lesson's transcript
    per_paper = True

    def files(self, where: GuideFiles, paper: str) -> tuple[File, ...]:
        return tuple(where.handout(paper, edition) for edition in EDITIONS)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        return keyed(inputs.source, inputs.images, inputs.templates, paper, inputs.site, inputs.audio)

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        config, files, timeline = material.config, material.files, material.timeline()
        lesson_url = files.url(config.site.base_url) if config.site.base_url else None
        return {files.handout(paper, edition).path: render_handout(HandoutRequest(
                    guide_of(material), timeline, edition, paper, config.templates_dir, config.site.author, lesson_url))
                for edition in EDITIONS}
