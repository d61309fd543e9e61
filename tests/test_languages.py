"""Spoken-text rules for Spanish and French guides: the locale's number format, money, times,
ranges, ordinals, units; and sentences split the language's way."""

from __future__ import annotations

import pytest

from publish.text.spoken import spoken, split_sentences


@pytest.mark.parametrize("written, said", [
    # The locale's number format: `1.500` and `50.000` are thousands, `1,5` is a decimal.
    ("Gana 1.500 euros al mes.", "Gana mil quinientos euros al mes."),
    ("Son 50.000 alumnos.", "Son cincuenta mil alumnos."),
    ("Mide 1,5 km.", "Mide un coma cinco kilómetros."),
    ("Cuesta 1.000-2.000 € al año.", "Cuesta mil a dos mil euros al año."),
    ("Cobra 21 € la hora.", "Cobra veintiún euros la hora."),
    ("Un sueldo de US$ 2.400.", "Un sueldo de dos mil cuatrocientos dólares."),
    ("El 60 % lo consigue.", "El sesenta por ciento lo consigue."),
    ("Empieza a las 7:30 de la mañana.", "Empieza a las siete y media de la mañana."),
    ("Termina a las 13:00 h.", "Termina a las trece horas."),
    ("A la 1:15 come.", "A la una y cuarto come."),
    ("Dura 2-4 años.", "Dura dos a cuatro años."),
    ("Es la 1.ª vez y el 2.º año.", "Es la primera vez y el segundo año."),
    ("En 2026 trabaja 21 años, p. ej.", "En dos mil veintiséis trabaja veintiún años, por ejemplo"),
])
def test_spanish(written, said):
    assert spoken(written, language="es").rstrip(".") == said.rstrip(".")


@pytest.mark.parametrize("written, said", [
    ("Il gagne 1 500 € par mois.", "Il gagne mille cinq cents euros par mois."),
    ("Il gagne 40\u202f000 euros.", "Il gagne quarante mille euros."),
    ("Elle mesure 1,5 km.", "Elle mesure un virgule cinq kilomètres."),
    ("Il commence à 7 h 30.", "Il commence à sept heures trente."),
    ("Rendez-vous à 13:00.", "Rendez-vous à treize heures."),
    ("Le 1er jour, 60 % des élèves.", "Le premier jour, soixante pour cent des élèves."),
    ("La formation dure 2-3 ans.", "La formation dure deux à trois ans."),
])
def test_french(written, said):
    assert spoken(written, language="fr") == said


@pytest.mark.parametrize("language, text, sentences", [
    ("es", "Hola a todos. ¿Qué tal? ¡Muy bien! Él dijo que sí.", ["Hola a todos.", "¿Qué tal?", "¡Muy bien!", "Él dijo que sí."]),
    ("es", "Habló el Sr. Pérez. Luego, nada.", ["Habló el Sr. Pérez.", "Luego, nada."]),
    ("fr", "Bonjour. « Ça va ? » Oui, M. Martin.", ["Bonjour.", "« Ça va ? » Oui, M. Martin."]),
    ("en", "It is 9 a.m. Éclairs follow. Then Dr. Who.", ["It is 9 a.m.", "Éclairs follow.", "Then Dr. Who."]),
])
def test_sentences_split_the_languages_way(language, text, sentences):
    assert split_sentences(text, language) == sentences
