"""Speech-text steps, each on its own."""

import pytest

from publish import speech


@pytest.mark.parametrize("written, said", [
    ("$120K-$200K", "120 thousand to 200 thousand dollars"),
    ("about $155K a year", "about 155 thousand dollars a year"),
    ("$1.5M", "1.5 million dollars"),
    ("$40 to $60", "40 to 60 dollars"),
])
def test_money(written, said):
    assert speech.money(written) == said


@pytest.mark.parametrize("written, said", [
    ("4-7 years", "4 to 7 years"),
    ("40–50 a week", "40 to 50 a week"),
    ("updated 2026-11-01", "updated 2026-11-01"),
])
def test_ranges(written, said):
    assert speech.ranges(written) == said


@pytest.mark.parametrize("written, said", [("60%", "60 percent"), ("+40% growth", "40 percent growth")])
def test_percentages(written, said):
    assert speech.percentages(written) == said


@pytest.mark.parametrize("written, said", [
    ("AI and ML", "A I and M L"),
    ("AP Computer Science", "A P Computer Science"),
    ("AWS, CS and SQL", "A W S, C S and S Q L"),
    ("APIs", "A P I's"),
    ("PAID work", "PAID work"),
])
def test_letter_abbreviations(written, said):
    assert speech.letter_abbreviations(written) == said


def test_latin():
    assert speech.latin("tools, e.g. Python, i.e. code") == "tools, for example Python, that is code"


def test_lexicon_is_whole_word_and_case_insensitive():
    step = speech.lexicon_step([("Kaggle", "KAG-ull")])
    assert step("try kaggle, not Kaggles") == "try KAG-ull, not Kaggles"


def test_spoken_combines_steps_and_lexicon_wins():
    said = speech.spoken("MLOps pays $120K-$200K, e.g. at AWS.", [("MLOps", "em el ops")])
    assert said == "em el ops pays 120 thousand to 200 thousand dollars, for example at A W S."


@pytest.mark.parametrize("text, sentences", [
    ("One. Two! Three?", ["One.", "Two!", "Three?"]),
    ("Tools, e.g. Python. Next one.", ["Tools, e.g. Python.", "Next one."]),
    ("She said \"Go.\" Then left.", ["She said \"Go.\"", "Then left."]),
    ("Ends without stop", ["Ends without stop"]),
    ("Pay is 4.5 times more. Yes.", ["Pay is 4.5 times more.", "Yes."]),
])
def test_split_sentences(text, sentences):
    assert speech.split_sentences(text) == sentences


def test_plain_text_drops_markup_but_keeps_words():
    assert speech.plain_text("Some *bold* [link](https://x.org) `code`") == "Some bold link code"


def test_long_sentences_are_spoken_in_clauses():
    text = ("The engineer takes that model and turns it into a dependable service: they build the pipelines "
            "that feed it data, they deploy it, and then they keep it fast, affordable and correct.")
    chunks = speech.synthesis_chunks(text, max_words=18)
    assert " ".join(chunks) == text
    assert len(chunks) >= 2 and all(len(c.split()) <= 18 for c in chunks)
    assert speech.synthesis_chunks("Short and sweet.") == ["Short and sweet."]
    unbreakable = " ".join(["word"] * 30)
    assert speech.synthesis_chunks(unbreakable) == [unbreakable]
