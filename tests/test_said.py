"""Spoken texts kept between builds: reused only for the same sentence, lexicon, language and
speech rules, and a build with nothing to do asks the rules nothing."""

from __future__ import annotations

import json

import pytest

from conftest import SHORT_GUIDE, make_project, run_build
from publish.speech import said as said_module
from publish.speech.said import SpokenTexts
from publish.text import spoken as speech_rules


def counting(monkeypatch) -> list[str]:
    asked: list[str] = []
    real = speech_rules.spoken

    def spoken(sentence, lexicon=(), language="en"):
        asked.append(sentence)
        return real(sentence, lexicon, language)

    monkeypatch.setattr(speech_rules, "spoken", spoken)
    return asked


def test_a_kept_text_is_the_rules_text_and_is_asked_for_once(tmp_path, monkeypatch):
    asked = counting(monkeypatch)
    sentence = "MLOps pays $120K-$200K, e.g. at AWS."
    first = SpokenTexts(tmp_path)
    said = first.spoken(sentence, [("MLOps", "em el ops")], "en")
    first.save()
    again = SpokenTexts(tmp_path).spoken(sentence, [("MLOps", "em el ops")], "en")
    assert said == again == speech_rules.spoken(sentence, [("MLOps", "em el ops")], "en")
    assert asked.count(sentence) == 2  # the first build, and the check just above


def test_another_lexicon_language_or_rules_make_the_text_again(tmp_path, monkeypatch):
    asked = counting(monkeypatch)
    kept = SpokenTexts(tmp_path)
    kept.spoken("AI is 40% of it.", [], "en")
    kept.save()
    assert SpokenTexts(tmp_path).spoken("AI is 40% of it.", [("AI", "a i")], "en").startswith("a i is forty")
    assert SpokenTexts(tmp_path).spoken("AI is 40% of it.", [], "es") != kept.spoken("AI is 40% of it.", [], "en")
    monkeypatch.setattr(said_module, "rules_identity", lambda: "the rules after an edit")
    SpokenTexts(tmp_path).spoken("AI is 40% of it.", [], "en")
    assert len(asked) == 4


def test_the_rules_identity_follows_the_rules_source(tmp_path, monkeypatch):
    before = said_module.rules_identity()
    rules = tmp_path / "text"
    rules.mkdir()
    (rules / "spoken.py").write_text("# the rules\n")
    monkeypatch.setattr(speech_rules, "__file__", str(rules / "spoken.py"))
    moved = said_module.rules_identity()
    (rules / "spoken.py").write_text("# the rules, edited\n")
    assert len({before, moved, said_module.rules_identity()}) == 3


def test_an_unreadable_file_of_texts_is_made_again(tmp_path):
    (tmp_path / said_module.FILE_NAME).write_text("{not json")
    kept = SpokenTexts(tmp_path)
    assert kept.spoken("Hello there.", [], "en") == "Hello there."
    kept.save()
    assert list(json.loads((tmp_path / said_module.FILE_NAME).read_text()).values()) == ["Hello there."]


def test_a_build_with_nothing_to_do_asks_the_rules_nothing(tmp_path, monkeypatch):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    assert run_build(project, only=frozenset({"transcript"})).ok
    asked = counting(monkeypatch)
    report = run_build(project, only=frozenset({"transcript"}))
    assert report.ok and all(r.status == "up to date" for r in report.results)
    assert asked == []
    # An edited sentence is asked for, and only it.
    guide = project / "guides" / SHORT_GUIDE.name
    text = guide.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("Theo: "))
    guide.write_text(text.replace(line, line + " And one more thing."), encoding="utf-8")
    assert run_build(project, only=frozenset({"transcript"})).ok
    assert asked == ["And one more thing."]


def test_a_turns_sentences_are_kept_and_a_known_turn_is_not_read_again(tmp_path, monkeypatch):
    turn = "Use **Python** and [SQL](https://example.org/). It pays $120K, e.g. at AWS! Really?"
    first = SpokenTexts(tmp_path)
    sentences = first.sentences(turn, "en")
    assert sentences == speech_rules.split_sentences(speech_rules.plain_text(turn), "en")
    assert sentences == ["Use Python and SQL.", "It pays $120K, e.g. at AWS!", "Really?"]
    first.save()

    def no_parser(text):
        raise AssertionError("a kept turn was parsed again")

    monkeypatch.setattr(speech_rules, "plain_text", no_parser)
    assert SpokenTexts(tmp_path).sentences(turn, "en") == sentences
    with pytest.raises(AssertionError, match="parsed again"):  # another language: split again
        SpokenTexts(tmp_path).sentences(turn, "es")
