"""Speech-text steps, each on its own."""

import pytest

from publish import speech


def test_lexicon_is_whole_word_and_case_insensitive():
    step = speech.lexicon_step([("Kaggle", "KAG-ull")])
    assert step("try kaggle, not Kaggles") == "try KAG-ull, not Kaggles"


def test_lexicon_phonemes_become_exact_sounds():
    step = speech.lexicon_step([("Kaggle", "/ˈkæɡəl/")])
    assert step("try Kaggle now") == "try [Kaggle](/ˈkæɡəl/) now"


def test_spoken_combines_steps_and_lexicon_wins():
    said = speech.spoken("MLOps pays $120K-$200K, e.g. at AWS.", [("MLOps", "em el ops")])
    assert said == ("em el ops pays one hundred twenty thousand to two hundred thousand dollars, for example at "
                    "[A.W.S.](/ˌeɪˌdʌbəljuːˈɛs/).")


def test_other_languages_get_only_the_neutral_steps():
    assert speech.spoken("Il gagne 40 000 € en 2026, AI.", [("AI", "a i")], "fr") == "Il gagne 40 000 € en 2026, a i."


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


def test_long_sentences_are_never_cut_into_a_piece_without_words():
    text = " ".join(f"word{n}" for n in range(24)) + ", ;, ; :, ,"
    chunks = speech.synthesis_chunks(text, max_words=18)
    assert all(any(ch.isalnum() for ch in chunk) for chunk in chunks), chunks
    assert " ".join(chunks) == text
