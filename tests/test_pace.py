"""The lesson's pace: `[audio] pace`, each engine's own speed control, and the words a minute a
built lesson runs at (from its timeline)."""

from __future__ import annotations

import json
import math

import pytest

from conftest import FIXTURES, make_project, run_build
from publish.audio.timeline import SentenceSpan, Timeline, TurnSpan, written_units, written_words
from publish.config import load_config
from publish.engines import hibari, kokoro, pace
from publish.engines.espeak import EspeakEngine
from publish.engines.hibari import HibariEngine
from publish.engines.kokoro import KokoroEngine
from publish.engines.piper import PiperEngine
from publish.errors import ConfigError


def test_words_a_minute_are_written_words_over_the_dialogue():
    first = SentenceSpan("It pays $39.50/hour — really.", "…", 1000, 3000)  # four written words, no dash
    second = SentenceSpan("Good.", "Good.", 5000, 6000)
    turns = (TurnSpan(0, 0, "a", "Ana", "", 3, 1000, 3000, (first,), "tone", "tone:low"),
             TurnSpan(1, 0, "b", "Ben", "", 5, 5000, 6000, (second,), "tone", "tone:high"))
    timeline = Timeline("s", "t", 1000, 9000, turns, ())  # an intro and a tail around the dialogue
    assert written_words(first.text) == 4
    assert timeline.pace_unit == "words"
    assert timeline.per_minute == pytest.approx(60 * 5 / 5)
    assert timeline.hosts_per_minute() == pytest.approx({"Ana": 120.0, "Ben": 60.0})
    assert json.loads(timeline.to_json())["pace"] == {"per_minute": 60.0, "unit": "words"}


@pytest.mark.parametrize("text, count", [("数据科学家每天写代码。", 10), ("AIモデルを2026年に作る。", 10),
                                         ("「はい」、そうです！", 6)])
def test_chinese_and_japanese_lessons_are_paced_in_characters_a_minute(text, count):
    """Written without spaces, they have no words to count: each ideograph and kana is one, a run of
    Latin letters or digits one, punctuation none."""
    sentence = SentenceSpan(text, text, 0, 2000)
    timeline = Timeline("s", "t", 1000, 2000, (TurnSpan(0, 0, "a", "Ana", text, 3, 0, 2000, (sentence,), "tone", "tone:low"),), ())
    assert timeline.pace_unit == "characters"
    assert written_units(text, "characters") == count
    assert timeline.per_minute == pytest.approx(60 * count / 2)
    assert json.loads(timeline.to_json())["pace"] == {"per_minute": pytest.approx(30.0 * count), "unit": "characters"}


def test_other_languages_are_judged_by_how_fast_their_speakers_read_the_same_texts_aloud():
    assert pace.band("en") == (150.0, 165.0)
    low, high = pace.band("es")
    assert 143 < low < high < 158
    assert pace.band("pt-BR")[1] < pace.band("fr")[1] < pace.band("es")[1]
    assert pace.band("ja") == pace.band("en")  # not measured: judged as English


@pytest.mark.parametrize("curve, wanted", [
    (((0.5, 100.0), (1.0, 200.0)), 0.8 * 177.6 / 200),  # proportional: the speed is the rate's share
    (((0.5, 100.0), (1.0, 400.0)), 0.5 * (0.8 * 177.6 / 100) ** 0.5),  # rate ∝ speed²
    (((0.7, 120.0), (0.8, 130.0), (0.81, 160.0), (1.0, 220.0)), None),  # a step: inside it
])
def test_the_speed_for_a_pace_is_read_off_the_voices_measured_rates(curve, wanted):
    found = pace.speed(curve, "en", 0.8)
    if wanted is not None:
        assert found == pytest.approx(wanted)
    else:
        assert 0.8 < found < 0.81
    # Back through the same segment: the rate at that speed is the target, 1.11 times the lesson's.
    (slow, slow_wpm), (fast, fast_wpm) = next((a, b) for a, b in zip(curve, curve[1:]) if a[0] <= found <= b[0])
    rate = slow_wpm * (found / slow) ** (math.log(fast_wpm / slow_wpm) / math.log(fast / slow))
    assert rate == pytest.approx(0.8 * pace.REFERENCE_WPM * pace.IN_SENTENCES)


def test_each_engine_turns_the_pace_into_its_own_speed_control():
    slower = {"pace": "0.8"}
    assert HibariEngine(slower).speed("heart") == pace.speed(hibari.RATES["heart"], "en", 0.8) < HibariEngine({}).speed("heart")
    assert KokoroEngine(slower).speed("am_puck") == pace.speed(kokoro.RATES["am_puck"], "en", 0.8)
    assert KokoroEngine({}).speed("am_fenrir") == KokoroEngine({}).speed("am_puck")  # as its language's measured voice
    assert KokoroEngine(slower).speed("if_sara") == 0.8  # Italian not measured: the model's rate, times the pace
    assert PiperEngine(slower).length_scale("joe") > PiperEngine({}).length_scale("joe") > 1
    assert EspeakEngine(slower).words_per_minute("en-us") == round(0.8 * EspeakEngine({}).words_per_minute("en-us"))
    # An engine's own setting is its speed at pace 1.
    assert KokoroEngine({"speed": "1.0", **slower}).speed("am_puck") == pytest.approx(0.8)
    assert PiperEngine({"length_scale": "1.2", **slower}).length_scale("joe") == pytest.approx(1.5)
    # The measured voices are slowed to the reference pace; the cache keys follow the speed.
    assert KokoroEngine({}).speed("am_puck") < 1 and HibariEngine({}).speed("heart") < 1
    assert KokoroEngine(slower).identity("am_puck") != KokoroEngine({}).identity("am_puck")


def test_the_pace_is_read_from_publish_toml_and_a_bad_one_is_named_at_its_line(tmp_path):
    project = make_project(tmp_path / "p", guides=[FIXTURES / "good.md"], extra="")
    toml = project / "publish.toml"
    toml.write_text(toml.read_text().replace("[audio]\n", "[audio]\npace = 0.9\n"))
    config = load_config(project)
    assert config.audio.pace == 0.9 and ("pace", "0.9") in config.audio.engine_settings
    for bad in ("0", "3", '"slow"', "true"):
        toml.write_text(toml.read_text().replace("pace = 0.9", f"pace = {bad}").replace(f"pace = {bad}\n", f"pace = {bad}\n", 1))
        with pytest.raises(ConfigError, match=r"publish.toml:3: audio.pace = .* a factor on the reference pace"):
            load_config(project)
        toml.write_text(toml.read_text().replace(f"pace = {bad}", "pace = 0.9"))


def test_a_slower_pace_makes_a_longer_lesson_with_the_same_pauses(tmp_path):
    """The tone engine's sentences follow the pace; the built MP3 is decoded and measured."""
    from publish.ffmpeg import decode

    lessons = {}
    for name, setting in (("usual", ""), ("slower", "pace = 0.8\n")):
        project = make_project(tmp_path / name, guides=[FIXTURES / "good.md"])
        toml = project / "publish.toml"
        toml.write_text(toml.read_text().replace("[audio]\n", f"[audio]\n{setting}"))
        assert run_build(project, only=frozenset({"audio"})).ok
        folder = project / "output" / "good"
        timeline = Timeline.from_json((folder / "good.timeline.json").read_text(encoding="utf-8"))
        lessons[name] = (timeline, len(decode(folder / "good.mp3", 44100)) / 44100)
    (usual, usual_seconds), (slower, slower_seconds) = lessons["usual"], lessons["slower"]
    spoken = {name: sum(s.end - s.start for t in timeline.turns for s in t.sentences) / timeline.sample_rate
              for name, (timeline, _) in lessons.items()}
    assert spoken["slower"] == pytest.approx(spoken["usual"] / 0.8, rel=0.02)
    pauses = usual_seconds - spoken["usual"]
    assert slower_seconds == pytest.approx(spoken["slower"] + pauses, abs=0.1)
    assert slower.per_minute < usual.per_minute
