"""Speech-text steps, each on its own."""

import pytest

from publish.text import spoken as speech


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
    assert speech.spoken("Er verdient 40.000 € im Jahr 2026, AI.", [("AI", "a i")], "de") == \
        "Er verdient 40.000 € im Jahr 2026, a i."


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


# --- words: keeping track of the written words through the speech steps -------------------------------


@pytest.mark.parametrize("written", [
    "It starts at 7:45 a.m. and pays $39.50/hour, e.g. for the ICU — really; most work 4-7 years.",
    "MLOps pays $120K-$200K at AWS & NASA in the 1990s, about 60% of 1,250 people on the 3rd floor.",
    "Temperatures reach 20°C at 80 m, 9:00–5:30, ½ of the time.",
])
def test_traced_spoken_is_spoken(written):
    lexicon = [("MLOps", "em el ops")]
    assert speech.traced_spoken(written, lexicon) == speech.spoken(written, lexicon)


def test_each_spoken_word_knows_its_written_word():
    written = "It starts at 7:45 a.m. and pays $39.50/hour, e.g. for the ICU — really."
    said = speech.traced_spoken(written)
    sources = [written[a:b] for a, b in speech.written_sources(written, said)]
    spoken = [said[a:b] for a, b in speech.spoken_words(said)]
    pairs = dict(zip(spoken, sources))
    assert len(sources) == len(spoken)
    assert pairs["seven"] == pairs["forty-five"] == "7:45 a.m."
    assert pairs["thirty-nine"] == pairs["cents"] == "$39.50/hour"
    assert pairs["example"] == "e.g."
    assert pairs["[I.C.U.](/ˌaɪˌsiːˈjuː/),"] == "ICU"
    assert pairs["really."] == "really"


def test_spoken_words_of_one_written_word_are_timed_as_one():
    written = "Pay is $40K now."
    said = speech.traced_spoken(written)
    sources = speech.written_sources(written, said)
    assert said == "Pay is forty thousand dollars now."
    times = [(10 * i, 10 * i + 8) for i in range(len(sources))]
    timed = speech.timed_words(sources, times)
    assert [(written[a:b], start, end) for a, b, start, end in timed] == [
        ("Pay", 0, 8), ("is", 10, 18), ("$40K", 20, 48), ("now", 50, 58)]


def test_traced_spoken_matches_spoken_for_any_text():
    """Whatever the text, tracing changes nothing that is said, and every spoken word has a
    written source inside the sentence."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    pieces = st.sampled_from(list("abcXYZ 0123456789$€£%:.,;-–—/&½¼°CFkKmM()[]'\"!?") +
                             ["a.m.", "p.m.", "e.g.", "ICU", "NASA", " 7:45 ", "$120K", "1990s", "3rd", "km", "°C"])
    lexicon = [("Kaggle", "/ˈkæɡəl/"), ("MLOps", "em el ops")]

    @settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
    @given(st.lists(pieces, max_size=40).map("".join))
    def check(text):
        said = speech.traced_spoken(text, lexicon)
        assert said == speech.spoken(text, lexicon)
        sources = speech.written_sources(text, said)
        assert len(sources) == len(speech.spoken_words(said))
        assert all(0 <= a <= b <= len(text) for a, b in sources)

    check()
