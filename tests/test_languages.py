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


@pytest.mark.parametrize("written, said", [
    ("Guadagna 1.200 euro al mese.", "Guadagna milleduecento euro al mese."),
    ("Il 70 % trova lavoro.", "Il settanta per cento trova lavoro."),
    ("Dura 2-4 anni, entro 1 anno.", "Dura tra due e quattro anni, entro un anno."),
    ("Alle 7:30, alle 2:00, all'1:15.", "Alle sette e mezza, alle due, all'l'una e un quarto."),
    ("Costa 1.000-2.000 € e pesa 1,5 kg.", "Costa tra mille e duemila euro e pesa uno virgola cinque chili."),
    ("Il 1º giorno, ecc.", "Il primo giorno, eccetera"),
])
def test_italian(written, said):
    assert spoken(written, language="it").rstrip(".") == said.rstrip(".")


@pytest.mark.parametrize("written, said", [
    ("Cerca de R$ 2.500 por mês.", "Cerca de dois mil e quinhentos reais por mês."),
    ("O plantão começa às 7:00 e às 7:30.", "O plantão começa às sete horas e às sete e meia."),
    ("São 36-44 horas.", "São de trinta e seis a quarenta e quatro horas."),
    ("O 1º dia, a 2ª semana, 80 %.", "O primeiro dia, a segunda semana, oitenta por cento."),
])
def test_brazilian_portuguese(written, said):
    assert spoken(written, language="pt-BR") == said


@pytest.mark.parametrize("written, said", [
    ("通常早上 7:30 到工地。", "通常早上 七点半 到工地。"),
    ("上午 9:30 开会，2:00 下课，9:05 集合。", "上午 九点半 开会，两点 下课，九点零五分 集合。"),
    ("每月大约 5000 元，能多拿 20%。", "每月大约 五千元，能多拿 百分之二十。"),
    ("花费 ¥1,500，或 $200。", "花费 一千五百元，或 两百美元。"),
    ("2026年起，培训 1-2 年，2月到12月，2 个人，1.5 倍。", "二〇二六年起，培训 一到两 年，二月到十二月，两个人，一点五倍。"),
])
def test_chinese(written, said):
    assert spoken(written, language="zh-Hans") == said


@pytest.mark.parametrize("written, said", [
    ("早番の日は7:30に出勤します。", "早番の日は7時30分に出勤します。"),
    ("9:00に始まり、¥5,000、20%、1-2年。", "9時に始まり、5000円、20パーセント、1から2年。"),
    ("月に20万円くらいです。", "月に20万円くらいです。"),  # Open JTalk says 20万円 with its counter
])
def test_japanese(written, said):
    assert spoken(written, language="ja") == said


@pytest.mark.parametrize("written, said", [
    ("लैब सुबह 8 बजे खुलती हैं।", "लैब सुबह आठ बजे खुलती हैं।"),
    ("लगभग ₹1,50,000 या ₹150,000 मिलते हैं।", "लगभग एक लाख पचास हज़ार रुपये या एक लाख पचास हज़ार रुपये मिलते हैं।"),
    ("7:30, 1:30, 2:30, 7:15, 7:45, 7:20 बजे।",
     "साढ़े सात बजे, डेढ़ बजे, ढाई बजे, सवा सात बजे, पौने आठ बजे, सात बजकर बीस मिनट।"),
    ("20% लोग 2-3 साल में, 1.5 गुना।", "बीस प्रतिशत लोग दो से तीन साल में, एक दशमलव पाँच गुना।"),
])
def test_hindi(written, said):
    assert spoken(written, language="hi") == said


@pytest.mark.parametrize("written, said", [
    ("It starts at 7:30 and ends at 4:45.", "It starts at half past seven and ends at quarter to five."),
    ("Be there at 9:00, or 7:10 at the latest.", "Be there at nine o'clock, or ten past seven at the latest."),
    ("At 19:45 or 7:23, from 9:00-5:30.", "At nineteen forty-five or seven twenty-three, from nine to five thirty."),
    ("It pays £120 or £14,000, and 2,005 people.",
     "It pays one hundred and twenty pounds or fourteen thousand pounds and two thousand and five people."),
    ("Most sit their GCSEs; half past seven stays.", "Most sit their [G.C.S.E.s](/ˌdʒiːˌsiːˌɛsˈiːz/); half past seven stays."),
])
def test_british_english(written, said):
    assert spoken(written, language="en-GB") == said
    assert spoken("It starts at 7:30.", language="en") == "It starts at seven thirty."


@pytest.mark.parametrize("language, text, sentences", [
    ("zh-Hans", "大家好，欢迎收听。今天聊电工！你准备好了吗？“好的。”然后呢", ["大家好，欢迎收听。", "今天聊电工！", "你准备好了吗？", "“好的。”", "然后呢"]),
    ("ja", "こんにちは。今日は保育士の話です！「はい。」では、始めましょう", ["こんにちは。", "今日は保育士の話です！", "「はい。」", "では、始めましょう"]),
    ("hi", "नमस्ते और स्वागत है। आज हम बात करेंगे। क्या आप तैयार हैं? हाँ", ["नमस्ते और स्वागत है।", "आज हम बात करेंगे।", "क्या आप तैयार हैं?", "हाँ"]),
    ("it", "Parla il Sig. Rossi. Poi, ecc. basta.", ["Parla il Sig. Rossi.", "Poi, ecc. basta."]),
])
def test_sentences_split_where_each_script_ends_them(language, text, sentences):
    assert split_sentences(text, language) == sentences
