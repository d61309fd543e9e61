"""The read-along EPUB: valid by EPUBCheck, every sentence a Media Overlay clip that matches the audio."""

from __future__ import annotations

import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import numpy as np
import pytest

from conftest import epubcheck, run_build
from publish.ffmpeg import decode
from publish.audio.timeline import Timeline

NS = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/",
      "smil": "http://www.w3.org/ns/SMIL", "x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}
SLUGS = ("machine-learning-engineer", "wind-turbine-technician")


def book(project: Path, slug: str) -> Path:
    return project / "output" / slug / f"{slug}.epub"


def seconds(clock: str) -> float:
    hours, minutes, rest = clock.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as opened:
        return {name: opened.read(name) for name in opened.namelist()}


def book_audio(files: dict[str, bytes], slug: str, folder: Path, rate: int) -> np.ndarray:
    """The book's own MP3, decoded from a file (from a pipe, ffmpeg cannot drop LAME's end padding)."""
    path = folder / f"{slug}.mp3"
    path.write_bytes(files[f"EPUB/audio/{slug}.mp3"])
    return decode(path, rate)


def overlay(files: dict[str, bytes]) -> list[tuple[str, float, float]]:
    """(text fragment, clipBegin, clipEnd) of every <par>, in order."""
    smil = ElementTree.fromstring(files["EPUB/lesson.smil"])
    found = []
    for par in smil.iter("{http://www.w3.org/ns/SMIL}par"):
        text, audio = par.find("smil:text", NS), par.find("smil:audio", NS)
        found.append((text.get("src"), seconds(audio.get("clipBegin")), seconds(audio.get("clipEnd"))))
    return found


@pytest.mark.parametrize("slug", SLUGS)
def test_epubcheck_finds_nothing_to_report(tone_project, slug):
    report = epubcheck(book(tone_project, slug))
    assert "Messages: 0 fatals / 0 errors / 0 warnings / 0 infos" in report, report
    assert "No errors or warnings detected" in report


@pytest.mark.parametrize("slug", SLUGS)
def test_every_sentence_is_a_clip_of_the_lesson_audio_in_order(tone_project, slug, tmp_path):
    files = parts(book(tone_project, slug))
    timeline = Timeline.from_json((tone_project / "output" / slug / f"{slug}.timeline.json").read_text("utf-8"))
    audio = book_audio(files, slug, tmp_path, timeline.sample_rate)
    duration = len(audio) / timeline.sample_rate
    assert abs(duration - timeline.duration) < 0.001
    clips = overlay(files)
    sentences = [s for turn in timeline.turns for s in turn.sentences]
    assert len(clips) == len(sentences)
    previous_end = 0.0
    lesson = ElementTree.fromstring(files["EPUB/lesson.xhtml"])
    shown = {node.get("id"): "".join(node.itertext()) for node in lesson.iter() if node.get("id")}
    for (src, begin, end), sentence in zip(clips, sentences):
        assert previous_end <= begin < end <= duration
        assert abs(begin - timeline.seconds(sentence.start)) <= 0.0005 and abs(end - timeline.seconds(sentence.end)) <= 0.0005
        page, fragment = src.split("#")
        assert page == "lesson.xhtml" and shown[fragment] == sentence.text
        previous_end = end


def test_package_says_what_the_book_is_and_how_it_can_be_read(tone_project):
    files = parts(book(tone_project, "wind-turbine-technician"))
    assert next(iter(files)) == "mimetype" and files["mimetype"] == b"application/epub+zip"
    package = ElementTree.fromstring(files["EPUB/package.opf"])
    metadata = package.find("opf:metadata", NS)
    assert metadata.find("dc:language", NS).text == "en"
    assert metadata.find("dc:title", NS).text == "Wind Turbine Technician"
    meta = {}
    for node in metadata.findall("opf:meta", NS):
        meta.setdefault((node.get("property"), node.get("refines")), []).append(node.text)
    timeline = Timeline.from_json((tone_project / "output" / "wind-turbine-technician" /
                                   "wind-turbine-technician.timeline.json").read_text("utf-8"))
    assert abs(seconds(meta[("media:duration", None)][0]) - timeline.duration) < 0.001
    assert meta[("media:duration", "#lesson-overlay")] == meta[("media:duration", None)]
    assert meta[("media:active-class", None)] == ["read-along-active"]
    assert "synchronizedAudioText" in meta[("schema:accessibilityFeature", None)]
    assert set(meta[("schema:accessMode", None)]) == {"textual", "auditory"}
    assert meta[("schema:accessibilitySummary", None)][0]
    assert b".read-along-active" in files["EPUB/style.css"]
    lesson_item = package.find("opf:manifest/opf:item[@id='lesson']", NS)
    assert lesson_item.get("media-overlay") == "lesson-overlay"


def test_the_book_has_every_section_and_a_contents_entry_for_each(tone_project):
    from publish.guide.source import load_guide

    guide = load_guide(tone_project / "guides" / "machine-learning-engineer.md")
    files = parts(book(tone_project, guide.slug))
    nav = ElementTree.fromstring(files["EPUB/nav.xhtml"])
    toc = nav.find(".//x:nav[@epub:type='toc']", NS)
    links = {a.get("href"): "".join(a.itertext()) for a in toc.iter("{http://www.w3.org/1999/xhtml}a")}
    body = ElementTree.fromstring(files["EPUB/guide.xhtml"])
    ids = {node.get("id") for node in body.iter() if node.get("id")}
    for section in guide.sections:
        assert links[f"guide.xhtml#{section.anchor}"] == section.title
        assert section.anchor in ids
    assert "lesson.xhtml" in links
    text = " ".join(body.itertext())
    for section in guide.sections:
        assert section.title in text
    assert len([p for p in files if p.endswith(".png")]) == 1  # the drawn cover


def test_only_epub_brings_the_audio_up_to_date_and_rebuilds_the_same_bytes(tmp_path):
    from conftest import SHORT_GUIDE, make_project

    project = make_project(tmp_path, guides=[SHORT_GUIDE])
    report = run_build(project, only=frozenset({"epub"}))
    assert report.ok and report.results[0].built == ("audio", "epub")
    first = book(project, "wind-turbine-technician").read_bytes()
    assert run_build(project, only=frozenset({"epub"}), force=True).ok
    assert book(project, "wind-turbine-technician").read_bytes() == first


def speech_onset(samples: np.ndarray, rate: int, search_from: int, search_to: int) -> float:
    """When speech starts in a stretch of the decoded lesson: the first 5 ms frame above -40 dBFS."""
    frame = rate // 200
    stretch = samples[search_from:search_to].astype(np.float64)
    frames = stretch[: len(stretch) // frame * frame].reshape(-1, frame)
    loud = np.flatnonzero(np.sqrt((frames ** 2).mean(axis=1)) > 330)
    assert loud.size, "no speech where the overlay says a sentence is"
    return (search_from + loud[0] * frame) / rate


@pytest.mark.piper
def test_overlay_clips_begin_where_the_voices_start_speaking(cast_project, tmp_path):
    """The real lesson (hibari and Piper): every sentence's clipBegin within 50 ms of the speech onset
    measured in the book's own audio."""
    slug = "wind-turbine-technician"
    files = parts(book(cast_project, slug))
    samples = book_audio(files, slug, tmp_path, 44100)
    clips = overlay(files)
    worst = 0.0
    previous_end = 0.0
    for _, begin, end in clips:
        search_from = int(max(previous_end, begin - 0.2) * 44100)
        onset = speech_onset(samples, 44100, search_from, int(end * 44100))
        worst = max(worst, abs(onset - begin))
        previous_end = end
    assert len(clips) >= 15 and worst <= 0.05, worst
