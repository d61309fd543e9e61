"""The read-along book: an EPUB 3 of the whole guide, with the audio lesson's transcript as a
chapter that reading systems play and highlight sentence by sentence (EPUB Media Overlays).

The guide's sections are the same block templates the handout and web page use, written as
XHTML; the overlay's clip times are the timeline's, to the sample. The book is made in memory and
written once, with fixed dates inside the ZIP, so the same guide and lesson give the same bytes.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

from publish.audio.timeline import Timeline
from publish.errors import PublishError
from publish.guide.model import Guide
from publish.outputs.base import GuideOutput, KeyInputs, Material, Reads, guide_of, keyed
from publish.outputs.files import IMAGE_TYPES, File, GuideFiles
from publish.outputs.fonts import book_faces, faces_css, subset
from publish.outputs.i18n import N_, translator
from publish.outputs.images import book_name, shown
from publish.outputs.shown import date_text
from publish.outputs.transcript import clock, heading, intro
from publish.outputs.typography import for_language

ACTIVE_CLASS = "read-along-active"
# A ZIP entry's date: fixed, so that rebuilding an unchanged guide gives the same file.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)
SUMMARY = N_("The complete career guide as text, with its audio lesson: the lesson's transcript is "
             "synchronised with the narration sentence by sentence, so it can be read, listened to, or both "
             "at once. Headings and a table of contents give structure; skill ratings are also given as numbers.")


@dataclass(frozen=True)
class BookRequest:
    guide: Guide
    timeline: Timeline
    mp3: bytes  # the lesson audio
    templates: Path
    author: str = ""


@dataclass(frozen=True)
class OverlaySentence:
    id: str
    text: str
    begin: str  # SMIL clock values
    end: str


@dataclass(frozen=True)
class OverlayTurn:
    clock: str
    speaker: str
    sentences: tuple[OverlaySentence, ...]


@dataclass(frozen=True)
class OverlayPart:
    anchor: str
    title: str
    turns: tuple[OverlayTurn, ...]


def smil_clock(seconds: float) -> str:
    """A SMIL full clock value, to the millisecond: `0:01:02.345`."""
    millis = round(seconds * 1000)
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    return f"{hours}:{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def overlay_parts(guide: Guide, timeline: Timeline) -> tuple[OverlayPart, ...]:
    """The transcript by lesson part, each sentence with its place in the audio."""
    parts = []
    for index, part in enumerate(guide.lesson.parts):
        turns = tuple(
            OverlayTurn(clock(timeline.seconds(turn.start)), turn.speaker, tuple(
                OverlaySentence(f"t{turn.index}s{number}", sentence.text, smil_clock(timeline.seconds(sentence.start)),
                                smil_clock(timeline.seconds(sentence.end)))
                for number, sentence in enumerate(turn.sentences)))
            for turn in timeline.turns if turn.part == index)
        parts.append(OverlayPart(f"part-{index + 1}", part.title, turns))
    return tuple(parts)


def render_book(request: BookRequest) -> bytes:
    from publish.outputs.templating import environment

    guide, timeline = request.guide, request.timeline
    cover_name, cover_type, cover_bytes = _cover(guide)
    audio_name = f"audio/{guide.slug}.mp3"
    book: dict[str, object] = {
        "identifier": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'publish:guide:{guide.slug}')}",
        "author": request.author,
        "modified": f"{guide.updated.isoformat()}T00:00:00Z",
        "duration": smil_clock(timeline.duration),
        "active_class": ACTIVE_CLASS,
        "summary": translator(guide.language)(SUMMARY),
        "cover_name": cover_name, "cover_type": cover_type, "cover_alt": guide.cover_alt or guide.title,
        "audio_name": audio_name,
        "lesson_heading": heading(guide.language), "lesson_intro": intro(guide.language),
        "lesson_note": translator(guide.language)(N_(
            "The audio lesson (%(duration)s) reads along with its transcript, the last chapter.")) % {
                "duration": clock(timeline.duration)},
        "updated_text": date_text(guide.updated, guide.language),
    }
    env = environment(request.templates, guide.language)
    faces = book_faces(guide.language)
    book["fonts"] = [(face.name, face.media_type) for face in faces]
    images = {book_name(figure): figure.source for figure in guide.figures}
    book["images"] = [(name, IMAGE_TYPES[source.suffix.lower()]) for name, source in images.items()]
    context = {"guide": guide, "book": book, "parts": overlay_parts(guide, timeline),
               "image_of": lambda figure: shown(figure, book_name(figure))}
    texts = {name: for_language(env.get_template(f"epub/{template}").render(**context), guide.language)
             for name, template in (("META-INF/container.xml", "container.xml.j2"),
                                    ("EPUB/package.opf", "package.opf.j2"), ("EPUB/nav.xhtml", "nav.xhtml.j2"),
                                    ("EPUB/cover.xhtml", "cover.xhtml.j2"), ("EPUB/guide.xhtml", "guide.xhtml.j2"),
                                    ("EPUB/lesson.xhtml", "lesson.xhtml.j2"), ("EPUB/lesson.smil", "lesson.smil.j2"))}
    for name, text in texts.items():
        _check_xml(name, text)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book_zip:
        # The mimetype comes first and uncompressed: that is how reading systems recognise an EPUB.
        _add(book_zip, "mimetype", b"application/epub+zip", zipfile.ZIP_STORED)
        for name, text in texts.items():
            _add(book_zip, name, text.encode("utf-8"), zipfile.ZIP_DEFLATED)
        _add(book_zip, "EPUB/style.css", (request.templates / "epub" / "style.css").read_bytes(), zipfile.ZIP_DEFLATED)
        if faces:
            _add(book_zip, "EPUB/fonts.css", faces_css(faces).encode("utf-8"), zipfile.ZIP_DEFLATED)
        for face in faces:
            _add(book_zip, f"EPUB/{face.name}", subset(face, "".join(texts.values())), zipfile.ZIP_DEFLATED)
        _add(book_zip, f"EPUB/{cover_name}", cover_bytes, zipfile.ZIP_STORED)
        for name, source in images.items():
            _add(book_zip, f"EPUB/{name}", source.read_bytes(), zipfile.ZIP_STORED)
        _add(book_zip, f"EPUB/{audio_name}", request.mp3, zipfile.ZIP_STORED)
    return buffer.getvalue()


def _add(book_zip: zipfile.ZipFile, name: str, data: bytes, compression: int) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compression
    book_zip.writestr(info, data)


def _check_xml(name: str, text: str) -> None:
    """A template that makes malformed XHTML is our bug, found here rather than by a reading system."""
    try:
        ElementTree.fromstring(text.encode("utf-8"))
    except ElementTree.ParseError as error:
        raise PublishError(f"the EPUB's {name} is not well-formed XML ({error}) — a template in "
                           "templates/epub or templates/blocks makes markup that XHTML does not allow") from None


def _cover(guide: Guide) -> tuple[str, str, bytes]:
    """The guide's own cover image, or a plain one drawn with its title."""
    if guide.cover is not None and guide.cover.suffix.lower() in IMAGE_TYPES:
        return f"cover{guide.cover.suffix.lower()}", IMAGE_TYPES[guide.cover.suffix.lower()], guide.cover.read_bytes()
    from publish.outputs.cover import title_cover

    return "cover.png", IMAGE_TYPES[".png"], title_cover(guide.title, (1600, 2400))


class EpubOutput(GuideOutput):
    name = "epub"
    help = "the read-along book: EPUB 3 with the lesson's narration synchronised to its transcript"
    reads = frozenset({Reads.TIMELINE, Reads.MP3, Reads.TEMPLATES})

    def files(self, where: GuideFiles, paper: str) -> tuple[File, ...]:
        return (where.epub,)

    def key(self, inputs: KeyInputs, paper: str) -> str:
        return keyed(inputs.source, inputs.images, inputs.templates, inputs.site, inputs.audio)

    def make(self, material: Material, paper: str) -> dict[Path, bytes]:
        config = material.config
        request = BookRequest(guide_of(material), material.timeline(), material.mp3(), config.templates_dir,
                              config.site.author)
        return {material.files.epub.path: render_book(request)}
