"""The braille edition, read back by real readers: liblouis back-translates every BRF into the
guide's words, an XML parser and the PEF 1.0 RELAX NG schema read the PEF, and both carry the same
dots on pages of the configured size, numbered in sequence."""

from __future__ import annotations

import zipfile
from dataclasses import replace

import louis
import pytest

from braille_readers import (BLANK, BRF_CHARACTERS, back_translated, brf_pages, brf_text, dots, guide_words,
                             page_numbers, pef_pages, recovered, words)
from conftest import FIXTURES, GUIDES, draw_figures
from publish.config import BrailleConfig
from publish.errors import BrailleError
from publish.guide.source import load_guide
from publish.outputs.braille.blocks import BrailleBlock, Style, plain
from publish.outputs.braille.characters import braille_problems
from publish.outputs.braille.edition import braille_edition
from publish.outputs.braille.files import brf, pef
from publish.outputs.braille.lines import lay_out
from publish.outputs.braille.tables import TABLES, table_for

PEF_SCHEMA = ("/usr/share/java/brailleUtils-core.jar", "org/daisy/braille/pef/resource-files/pef-2008-1-full.rng")
RECOVERED = 0.98

# A French guide with every block kind, an image, a web address, an emoji and a long word.
FRENCH = """---
title: Électricienne
subtitle: Mettre la lumière dans les maisons
series: Boussole des métiers
summary: Les électriciennes installent et réparent les réseaux électriques des bâtiments.
language: fr
updated: 2026-11-20
speakers:
  - id: claire
    name: Claire
  - id: hugo
    name: Hugo
---

## Résumé | Le métier en bref

Une électricienne tire des câbles, pose des tableaux et vérifie que *tout* est sûr. 🔌

![Une électricienne teste un tableau électrique](images/field.png "Le tableau d'un immeuble")

- Chantiers neufs
- Rénovation de logements

```facts
Horaires: 35 heures par semaine
Lieux: [chantiers, ateliers, entreprises]
```

## Journée | Une journée type

```day
- 7:30 — Réunion de chantier
- 12:00 — Déjeuner avec l'équipe
```

```pathway
Lycée: Bac professionnel
Apprentissage: 2 ans
```

## Compétences | Les compétences

```skills
Précision: 90
Sens de la sécurité: 95
```

```routes
- route: Bac professionnel en alternance
  share: 60%
  duration: 3 ans
  cost: faible
- route: Formation pour adultes
  share: 40%
  duration: 1 an
  cost: moyen
```

## Bilan | Atouts et limites

```pros
- Un métier concret et recherché
```

```cons
- Des positions parfois inconfortables
```

```myths
- « C'est un métier réservé aux hommes. »
```

```checklist
- Vous aimez comprendre comment les choses fonctionnent.
```

```faq
- q: Faut-il être fort en mathématiques ?
  a: Un bon niveau en calcul suffit pour commencer.
```

```sources
- publisher: Ministère du Travail
  title: Fiche métier électricien
  category: Officiel
  url: https://www.example.org/metiers/electricien/fiche-complete-anticonstitutionnellement.html
```

# Leçon audio

## Bienvenue

Claire: Bonjour et bienvenue. Aujourd'hui, nous parlons du métier d'électricienne.

Hugo: Merci, Claire. C'est un métier anticonstitutionnellement passionnant, qui demande de la rigueur.
"""


@pytest.fixture(scope="module")
def french(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fr")
    draw_figures(folder)
    path = folder / "electricienne.md"
    path.write_text(FRENCH, encoding="utf-8")
    return load_guide(path)


GUIDE_FILES = [GUIDES / "machine-learning-engineer.md", GUIDES / "wind-turbine-technician.md",
               GUIDES / "cocinero-profesional.md"]


def editions(guide, grades=(2, 1), **page):
    return [braille_edition(guide, BrailleConfig(grade=grade, **page)) for grade in grades]


@pytest.mark.parametrize("path", GUIDE_FILES, ids=lambda p: p.stem)
def test_liblouis_reads_every_guide_back_from_its_brf(path):
    guide = load_guide(path)
    for edition in editions(guide):
        found = brf_text(edition.table, brf(edition))
        assert recovered(guide_words(guide, numbers=False), words(found, numbers=False)) >= RECOVERED
        if edition.language == "en":  # numbers too (Spanish reads `9:00` back as `9300`: see `words`)
            assert recovered(guide_words(guide), words(found)) >= RECOVERED


def test_liblouis_reads_a_french_guide_back_from_its_brf(french):
    """The address is left out of the comparison: the French code writes it in computer braille,
    which liblouis's French tables write but do not read back (`/` comes back as `ai`)."""
    for edition in editions(french):
        found = brf_text(edition.table, brf(edition))
        assert recovered(guide_words(french, addresses=False), words(found)) >= RECOVERED


@pytest.mark.parametrize("cells, lines", [(40, 25), (32, 27), (20, 10)])
def test_pages_keep_their_size_and_number_in_sequence(french, cells, lines):
    reference = load_guide(GUIDES / "machine-learning-engineer.md")
    for edition in editions(reference, cells=cells, lines=lines) + editions(french, cells=cells, lines=lines):
        data = brf(edition)
        assert set(data.decode("ascii")) <= BRF_CHARACTERS | {"\n", "\f"}
        pages = brf_pages(data)
        assert all(len(page) == lines for page in pages)
        assert all(len(line) <= cells for page in pages for line in page)
        assert page_numbers(edition.table, data) == [str(n) for n in range(1, len(pages) + 1)]


def test_the_pef_is_valid_and_carries_the_brfs_dots(french):
    from lxml import etree

    with zipfile.ZipFile(PEF_SCHEMA[0]) as jar:
        schema = etree.RelaxNG(etree.fromstring(jar.read(PEF_SCHEMA[1])))
    for edition in editions(french) + editions(load_guide(GUIDES / "cocinero-profesional.md")):
        data = pef(edition, "electricienne", french.updated)
        assert schema.validate(etree.fromstring(data)), schema.error_log
        pages = pef_pages(data)
        assert all(0x2800 <= ord(cell) <= 0x28FF for page in pages for row in page for cell in row)
        brf_dots = [[dots(line) for line in page] for page in brf_pages(brf(edition))]
        assert [[row.rstrip(BLANK) for row in page] for page in pages] == brf_dots


SENTENCES = {
    "en": "Logic and abstraction 92 of 100. The children knew what they wanted.",
    "es": "¿Cuánto gana un cocinero? Depende de la ciudad y de la experiencia.",
    "fr": "Les électriciennes travaillent sur des chantiers, à l'intérieur comme à l'extérieur.",
    "it": "Il lavoro del cuoco comincia presto la mattina.",
    "pt": "O trabalho começa cedo e termina tarde.",
    "pt-br": "O trabalho começa cedo e termina tarde.",
}


@pytest.mark.parametrize("key", sorted(TABLES), ids=lambda key: f"{key[0]}-grade{key[1]}")
def test_a_paragraph_is_liblouis_forward_translation_of_its_words(key):
    """Whatever the line breaks, the words are the cells liblouis writes for the sentence."""
    language, grade = key
    table = table_for(language, grade)
    text = SENTENCES[language]
    lines = lay_out(BrailleBlock(None, Style.PARAGRAPH, plain(text)), table, 30)
    expected = louis.translateString(list(table.files), text, mode=louis.dotsIO | louis.ucBrl)
    assert BLANK.join(line.strip(BLANK) for line in lines) == expected


def test_known_signs_of_unified_english_braille():
    """A check on the table itself: UEB's wordsigns for `and`, `the`, `knowledge` and its number sign."""
    table = table_for("en", 2)
    line, = lay_out(BrailleBlock(None, Style.LIST, plain("Knowledge and the 92")), table, 40)
    assert line == "⠠⠅⠀⠯⠀⠮⠀⠼⠊⠃"


def test_every_block_kind_becomes_braille_with_notes_for_images_and_emoji(french):
    edition = braille_edition(french, BrailleConfig())
    found = brf_text(edition.table, brf(edition))
    note = "Note du transcripteur"
    assert found.count(note) == 2  # the image's, and the emoji's
    assert "Image : Une électricienne teste un tableau électrique" in found
    assert "electric plug" in found  # the emoji, named in the note
    for label in ("Atouts", "Idées reçues", "Question :", "Réponse :", "Coût : faible", "Précision : 90 sur 100",
                  "7:30, Réunion de chantier", "Part qui le choisit : 60"):
        assert label in found, label


def test_long_words_and_addresses_are_divided_to_fit_the_line(french):
    edition = braille_edition(french, BrailleConfig(cells=20, lines=10))
    lines = [line for page in brf_pages(brf(edition)) for line in page]
    assert all(len(line) <= 20 for line in lines)
    found = brf_text(edition.table, brf(edition))
    assert "anticonstitu" in found.replace("-", "").replace(" ", "")


def test_a_ueb_address_divides_with_the_line_continuation_indicator():
    """Split after a `/` or `.`, the pieces joined again are liblouis's uncontracted address."""
    from publish.guide.model import SourceRef, Sources

    guide = load_guide(FIXTURES / "good.md")
    address = "https://www.example.org/a/rather/long/address/that/cannot/fit/on/one/braille/line.html"
    sources = Sources(guide.where, (SourceRef(guide.where, "Example", "A page", "", address),))
    section = replace(guide.sections[0], blocks=(sources,))
    edition = braille_edition(replace(guide, sections=(section,)), BrailleConfig())
    lines = [dots(line) for page in brf_pages(brf(edition)) for line in page[:-1]]
    first = next(n for n, line in enumerate(lines) if line.endswith("⠐"))
    pieces = [lines[first]]
    while pieces[-1].endswith("⠐"):
        pieces.append(lines[first + len(pieces)])
    assert len(pieces) >= 3 and all(len(line) <= 40 for line in lines)
    slash, dot = "⠸⠌", "⠲"  # UEB's `/` and `.`
    assert all(piece.removesuffix("⠐").endswith((slash, dot)) for piece in pieces[:-1])
    joined = "".join(piece.strip(BLANK).removesuffix("⠐") for piece in pieces)
    spelled = louis.translateString(list(edition.table.files), address, typeform=[0x1000] * len(address),
                                    mode=louis.dotsIO | louis.ucBrl)
    assert joined.endswith(spelled)


def test_characters_with_no_braille_are_check_warnings_with_their_line(french):
    problems = braille_problems(french)
    line = FRENCH.split("\n").index("Une électricienne tire des câbles, pose des tableaux et vérifie que *tout* "
                                    "est sûr. 🔌") + 1
    assert [(p.line, p.what) for p in problems] == [(line, "electric plug has no braille")]
    assert str(problems[0]).startswith(f"{french.where.path}:{line}: warning: electric plug has no braille — ")


def test_a_language_without_a_table_is_named_and_makes_nothing():
    german = load_guide(FIXTURES / "de.md")
    with pytest.raises(BrailleError, match=r"de\.md: no braille table for German \(`language: de`\)"):
        braille_edition(german, BrailleConfig())
    assert [p.what for p in braille_problems(german)] == ["no braille table for German (`language: de`), so no "
                                                          "braille edition is made"]


def test_grade_1_is_uncontracted_and_grade_2_contracted():
    guide = load_guide(GUIDES / "wind-turbine-technician.md")
    contracted, uncontracted = editions(guide)
    assert (contracted.table.table, uncontracted.table.table) == ("en-ueb-g2.ctb", "en-ueb-g1.ctb")
    assert len(contracted.pages) < len(uncontracted.pages)


def test_the_title_page_has_title_series_and_date_and_the_body_starts_on_page_2():
    guide = load_guide(GUIDES / "wind-turbine-technician.md")
    edition = braille_edition(guide, BrailleConfig())
    title_page = back_translated(edition.table, BLANK.join(row.strip(BLANK) for row in edition.pages[0][:-1]))
    for text in (guide.title, guide.subtitle, guide.series, "15 October 2026"):
        assert text in title_page
    first = edition.pages[1][0]
    assert back_translated(edition.table, first.strip(BLANK)) == guide.title
    assert len(first) - len(first.lstrip(BLANK)) >= 3  # centred
