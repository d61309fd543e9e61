"""Guides in other languages: every fixed word a reader sees comes from the language's catalog,
dates and numbers in the locale's form, French typography, the guide's own words for cost
levels, and espeak-ng (said so) where no neural voice speaks the language."""

from __future__ import annotations

import html
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from braille_readers import brf_text
from conftest import FIXTURES, GUIDES, ROOT, make_project, run_build
from publish.outputs import i18n
from publish.outputs.braille.tables import has_table, table_for
from publish.outputs.typography import for_language

SPANISH_GUIDE = GUIDES / "cocinero-profesional.md"


def english_messages() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogs", ROOT / "scripts" / "catalogs.py")
    catalogs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(catalogs)
    return catalogs.english_messages()


COMPLETE_CATALOGS = ["es", "fr", "it", "pt_BR", "zh_Hans", "ja", "hi"]


@pytest.mark.parametrize("language", COMPLETE_CATALOGS)
def test_every_message_has_a_translation(language):
    from babel.messages.pofile import read_po

    with open(i18n.LOCALES / f"{language}.po", "rb") as handle:
        catalog = read_po(handle)
    messages = english_messages()
    assert len(messages) > 50
    missing = [m for m in messages if m not in catalog or not catalog[m].string]
    assert missing == []
    # Placeholders survive translation, so no value is lost from a sentence.
    for message in messages:
        assert sorted(re.findall(r"%\(\w+\)\w", message)) == sorted(re.findall(r"%\(\w+\)\w", catalog[message].string))


def test_the_english_source_template_lists_every_message_and_the_catalogs_no_other():
    """`locale/publish.pot` is what a translator starts a new language from: it must be current."""
    from babel.messages.pofile import read_po

    with open(i18n.LOCALES / "publish.pot", "rb") as handle:
        template = [message.id for message in read_po(handle) if message.id]
    assert template == english_messages()
    catalogs = sorted(path.stem for path in i18n.LOCALES.glob('*.po'))
    assert catalogs == sorted(COMPLETE_CATALOGS + ["en_GB"])
    for language in catalogs:
        with open(i18n.LOCALES / f"{language}.po", "rb") as handle:
            ids = sorted(m.id for m in read_po(handle) if m.id)
        # British English lists only what it says otherwise; every other catalog, every message.
        assert set(ids) <= set(template) if language == "en_GB" else ids == sorted(template), language


def fragments(message: str) -> list[str]:
    """The parts of an English message a reader could see as they are: the text between its
    placeholders, where it is long enough to mean something ("Updated", not "of"); names of formats
    and header fields (WebVTT's `Language:`) aside."""
    pieces = [p.strip(" .,:;()…—") for p in re.split(r"%\(\w+\)\w", message)]
    return [p for p in pieces if len(p) >= 6 and p not in {"Podcast", "EPUB 3", "WebVTT", "Language"}]


def visible_text(markup: str) -> str:
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S | re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def spanish_project(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("es"), guides=[SPANISH_GUIDE], extra='language = "es"\n')
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return project


def readers_text(project: Path, slug: str, language: str = "es") -> dict[str, str]:
    """What a reader of each format sees, read back by each format's own reader."""
    folder = project / "output" / slug
    texts = {"page": visible_text((folder / "index.html").read_text(encoding="utf-8")),
             "index": visible_text((project / "output" / "index.html").read_text(encoding="utf-8")),
             "feed": visible_text((project / "output" / "feed.xml").read_text(encoding="utf-8"))}
    for pdf in folder.glob("*.pdf"):
        texts[pdf.name] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                         check=True).stdout
    with zipfile.ZipFile(folder / f"{slug}.epub") as book:
        texts["epub"] = " ".join(visible_text(book.read(name).decode("utf-8")) for name in book.namelist()
                                 if name.endswith((".xhtml", ".opf")))
    for ending in (".txt", ".md", ".vtt", ".srt"):
        texts[ending] = (folder / f"{slug}{ending}").read_text(encoding="utf-8")
    if has_table(language):
        texts[".brf"] = brf_text(table_for(language, 2), (folder / f"{slug}.brf").read_bytes())  # liblouis reads it back
    return texts


def test_a_spanish_guide_shows_no_english_word_from_the_catalog(spanish_project):
    texts = readers_text(spanish_project, "cocinero-profesional")
    english = sorted({fragment for message in english_messages() for fragment in fragments(message)})
    assert {"Listen and download", "Updated", "Transcript"} <= set(english)  # the scan has teeth
    # Whole words only (`tableOfContents` is a schema term, not a word shown), addresses aside.
    texts = {name: re.sub(r"https?://\S+", " ", text) for name, text in texts.items()}
    found = {name: [f for f in english if re.search(rf"(?<!\w){re.escape(f)}(?!\w)", text)]
             for name, text in texts.items()}
    assert {name: hits for name, hits in found.items() if hits} == {}
    # And the Spanish words are there, with the locale's dates and numbers.
    assert "Escuchar y descargar" in texts["page"] and "Actualizado el 30 de noviembre de 2026" in texts["page"]
    assert "Transcripción de la guía de audio" in texts[".txt"]
    assert {"Pregunta", "Respuesta", "Coste", "bajo", "Duración"} <= set(re.findall(r"[^\W\d_]+", texts[".brf"]))
    assert "Página 1 de" in texts["cocinero-profesional.pdf"] and "55 %" in texts["cocinero-profesional.pdf"]
    assert "Lección de audio" in texts["index"]


def test_every_document_says_its_language(spanish_project):
    folder = spanish_project / "output" / "cocinero-profesional"
    assert '<html lang="es">' in (folder / "index.html").read_text(encoding="utf-8")
    assert '<li class="guide-card" lang="es"' in (spanish_project / "output" / "index.html").read_text(encoding="utf-8")
    assert "<language>es</language>" in (spanish_project / "output" / "feed.xml").read_text(encoding="utf-8")
    with zipfile.ZipFile(folder / "cocinero-profesional.epub") as book:
        assert all('xml:lang="es"' in book.read(name).decode("utf-8") for name in book.namelist()
                   if name.endswith(".xhtml"))
    from pypdf import PdfReader

    assert str(PdfReader(folder / "cocinero-profesional.pdf").trailer["/Root"]["/Lang"]) == "es"


@pytest.mark.parametrize("written, shown", [
    ("Pourquoi ? Voilà : « bien » ; oui!", "Pourquoi\u202f? Voilà\u00a0: «\u00a0bien\u00a0»\u202f; oui\u202f!"),
    ("A &amp; B ; voir https://x.org/p?id=3", "A &amp; B\u202f; voir https://x.org/p?id=3"),
])
def test_french_typography_keeps_marks_off_the_start_of_a_line(written, shown):
    assert for_language(f"<p>{written}</p>", "fr") == f"<p>{shown}</p>"
    assert for_language(f'<p title="a ? b">{written}</p><script>a ? b : c</script>', "fr").endswith(
        "<script>a ? b : c</script>")
    assert for_language(f"<p>{written}</p>", "en") == f"<p>{written}</p>"


def test_cost_levels_are_written_in_the_guides_language(tmp_path):
    from publish.errors import GuideError
    from publish.guide.source import load_guide

    text = (FIXTURES / "es.md").read_text(encoding="utf-8")
    guide = load_guide(_write(tmp_path / "a.md", text))
    assert guide.sections[0].blocks[1].routes[0].cost == 1
    with pytest.raises(GuideError) as caught:
        load_guide(_write(tmp_path / "b.md", text.replace("cost: bajo", "cost: barato")))
    [problem] = caught.value.problems
    assert problem.line == 21 and "cost `barato` is not a cost level" in problem.what
    assert problem.hint == "use bajo, medio, alto (or $, $$, $$$)"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_a_language_without_a_neural_voice_is_spoken_by_espeak_and_the_build_says_so(tmp_path, monkeypatch, capsys):
    from publish.audio.timeline import Timeline
    from publish.cli import main

    project = make_project(tmp_path / "p", engine=None, guides=[FIXTURES / "de.md"])
    monkeypatch.chdir(project)
    assert main(["build", "--only", "audio"]) == 0
    timeline = Timeline.from_json((project / "output" / "de" / "de.timeline.json").read_text(encoding="utf-8"))
    assert {t.speaker_id: t.voice for t in timeline.turns} == {"eva": "espeak:de+f3", "jan": "espeak:de"}
    assert "espeak-ng spoke for de (Eva), de (Jan): a robotic voice" in capsys.readouterr().err


def test_every_career_field_is_said_in_every_catalog():
    from publish.guide.fields import FIELDS

    assert set(FIELDS.values()) <= set(english_messages())
