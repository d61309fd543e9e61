"""ID3v2.4 tags for the lesson MP3 (mutagen): titles, transcript, cover art and chapters."""

from __future__ import annotations

import tempfile
from pathlib import Path

from mutagen.id3 import (APIC, CHAP, COMM, CTOC, ID3, TALB, TDRC, TIT2, TLAN, TPE1, TPUB, USLT, CTOCFlags)

from publish.guide.model import Guide
from publish.audio.timeline import Timeline
from publish.outputs.files import media_type
from publish.outputs.transcript import transcript_txt

# ID3 wants ISO 639-2 codes; guides use the two-letter ISO 639-1 ones.
ISO639_2 = {"en": "eng", "es": "spa", "fr": "fra", "de": "deu", "it": "ita", "pt": "por", "nl": "nld", "pl": "pol",
            "sv": "swe", "da": "dan", "fi": "fin", "no": "nor", "ru": "rus", "uk": "ukr", "zh": "zho", "ja": "jpn",
            "ko": "kor", "ar": "ara", "hi": "hin", "tr": "tur", "el": "ell", "cs": "ces", "hu": "hun", "ro": "ron"}


def tag_mp3(mp3: bytes, guide: Guide, timeline: Timeline, publisher: str) -> bytes:
    with tempfile.TemporaryDirectory(prefix="publish-tags-") as folder:
        path = Path(folder) / "lesson.mp3"
        path.write_bytes(mp3)
        tags = ID3()
        language = ISO639_2.get(guide.language.split("-")[0], "und")
        tags.add(TIT2(encoding=3, text=guide.title))
        tags.add(TALB(encoding=3, text=guide.series or guide.title))
        tags.add(TPE1(encoding=3, text=publisher))
        tags.add(TPUB(encoding=3, text=publisher))
        tags.add(TDRC(encoding=3, text=str(guide.updated.year)))
        tags.add(TLAN(encoding=3, text=language))
        tags.add(COMM(encoding=3, lang=language, desc="", text=guide.summary))
        tags.add(USLT(encoding=3, lang=language, desc="Transcript",
                      text=transcript_txt(timeline, guide.settings.transcript_speaker_names)))
        if guide.cover:
            tags.add(APIC(encoding=3, mime=media_type(guide.cover), type=3, desc="Cover", data=guide.cover.read_bytes()))
        _chapters(tags, timeline)
        tags.save(path, v2_version=4)
        return path.read_bytes()


def _chapters(tags: ID3, timeline: Timeline) -> None:
    ids = [f"chp{number}" for number in range(len(timeline.chapters))]
    tags.add(CTOC(element_id="toc", flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED, child_element_ids=ids,
                  sub_frames=[TIT2(encoding=3, text="Chapters")]))
    for element_id, chapter in zip(ids, timeline.chapters):
        tags.add(CHAP(element_id=element_id, start_time=timeline.ms(chapter.start), end_time=timeline.ms(chapter.end),
                      sub_frames=[TIT2(encoding=3, text=chapter.title)]))
