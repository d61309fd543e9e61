"""The guide parser: the reference guide reaches the model intact; every bad guide gets a clear error."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import FIXTURES, REFERENCE_GUIDE
from publish.errors import GuideError
from publish.guide.model import (BulletList, Day, Facts, Faq, ItemList, Myths, Paragraph, Pathway, Routes, Skills,
                                 Sources)
from publish.guide.source import load_guide, load_guides, parse_guide

LINES = REFERENCE_GUIDE.read_text(encoding="utf-8").split("\n")


def line_of(text: str, after: int = 0) -> int:
    """1-based number of the first line at or after `after` that starts with `text`."""
    return next(n for n, line in enumerate(LINES, start=1) if n > after and line.startswith(text))


@pytest.fixture(scope="module")
def guide():
    return load_guide(REFERENCE_GUIDE)


def blocks_of(guide, kind):
    return [b for s in guide.sections for b in s.blocks if isinstance(b, kind)]


def test_front_matter(guide):
    assert guide.title == "Machine Learning Engineer"
    assert guide.slug == "machine-learning-engineer"
    assert guide.series == "Career Compass"
    assert guide.language == "en"
    assert guide.updated == date(2026, 11, 1)
    assert guide.summary.startswith("Machine learning engineers take")
    assert ("MLOps", "/ˌɛmˈɛl ɑːps/") in guide.lexicon
    assert guide.settings.caption_max_cps == 17


def test_sections_numbered_with_label_title_and_line(guide):
    assert [s.number for s in guide.sections] == list(range(1, len(guide.sections) + 1))
    first = guide.sections[0]
    assert (first.label, first.title) == ("Snapshot", "Career snapshot")
    assert first.where.line == line_of("## Snapshot | Career snapshot")
    assert first.where.path.endswith("machine-learning-engineer.md")


def test_every_block_kind_reaches_the_model(guide):
    kinds = {type(b) for s in guide.sections for b in s.blocks}
    assert kinds == {Paragraph, BulletList, Facts, Day, Pathway, Skills, Routes, ItemList, Myths, Faq, Sources}
    assert {b.kind for b in blocks_of(guide, ItemList)} == {"pros", "cons", "checklist"}


def test_facts(guide):
    facts = blocks_of(guide, Facts)[0].facts
    hours = next(f for f in facts if f.label == "Typical hours")
    assert hours.values == ("40-50 a week, often hybrid",)
    assert hours.where.line == line_of("Typical hours:")
    titles = next(f for f in facts if f.label == "Common titles")
    assert "NLP Engineer" in titles.values


def test_day_keeps_times_as_written(guide):
    day = blocks_of(guide, Day)[0]
    assert [e.time for e in day.entries] == ["9:00", "9:30", "10:00", "12:00", "1:00", "2:30", "4:00", "5:30"]
    assert day.entries[1].activity.startswith("Stand-up meeting")
    assert day.entries[1].where.line == line_of("- 9:30")


def test_pathway_skills_routes(guide):
    steps = blocks_of(guide, Pathway)[0].steps
    assert (steps[1].stage, steps[1].duration) == ("College or bootcamp", "2-4 years")
    skills = {s.name: s.rating for s in blocks_of(guide, Skills)[0].skills}
    assert skills == {"Logic and abstraction": 92, "Communication": 76, "Python coding": 90,
                      "Mathematics and statistics": 94, "Systems thinking": 88}
    assert blocks_of(guide, Skills)[0].skills[2].where.line == line_of("Python coding: 90")
    routes = blocks_of(guide, Routes)[0].routes
    assert [(r.share, r.cost) for r in routes] == [(60, 3), (20, 3), (10, 2), (10, 1)]
    assert routes[2].duration == "3-12 months"


def test_faq_and_sources(guide):
    questions = blocks_of(guide, Faq)[0].questions
    assert questions[0].question == "What does a machine learning engineer do?"
    assert "$118K" in questions[1].answer
    sources = blocks_of(guide, Sources)[0].sources
    assert (sources[0].publisher, sources[0].category) == ("365 Data Science", "Industry")


def test_lesson(guide):
    lesson = guide.lesson
    assert [s.id for s in lesson.speakers] == ["maya", "theo"]
    assert lesson.speakers[1].voice_for("gtts") == "co.uk"
    turns = lesson.turns
    assert 30 <= len(turns) <= 40
    words = sum(len(t.text.split()) for t in turns)
    assert 1300 <= words <= 1600
    assert [p.title for p in lesson.parts][:2] == ["Welcome", "A day on the job"]
    assert turns[0].speaker.name == "Maya" and turns[1].speaker.name == "Theo"
    assert turns[0].where.line == line_of("Maya: Hello and welcome")
    speakers = [t.speaker.id for t in turns]
    assert all(a != b for a, b in zip(speakers, speakers[1:])), "the hosts alternate"


BAD = {
    "rating-out-of-range.md": (17, "rating of `Teamwork` is `120`"),
    "rating-not-a-number.md": (17, "rating of `Teamwork` is `high`"),
    "unknown-speaker.md": (26, "unknown speaker `Bob`"),
    "missing-title.md": (2, "has no `title`"),
    "empty-lesson.md": (20, "audio lesson is empty"),
    "turn-without-text.md": (26, "turn has no text"),
    "turn-without-speaker.md": (26, "does not say who speaks"),
    "unknown-block.md": (16, "unknown block kind `skillz`"),
    "bad-yaml.md": (3, "a list in [brackets] is not closed"),
    "bad-block-yaml.md": (18, "a colon in the middle of a value"),
    "no-front-matter.md": (1, "does not start with front matter"),
    "unclosed-front-matter.md": (1, "never closed"),
    "empty.md": (1, "the file is empty"),
    "bad-date.md": (4, "is not a date"),
    "section-without-label.md": (12, "has no short label"),
    "missing-speakers.md": (2, "no speakers are declared"),
    "empty-part.md": (22, "has no turns"),
    "text-before-section.md": (12, "text before the first section"),
    "bad-cost.md": (20, "is not a cost level"),
    "unknown-setting.md": (5, "unknown setting `titel`"),
    "duplicate-speaker.md": (8, "declared twice"),
    "bad-slug.md": (3, "cannot name the output folder"),
    "empty-section.md": (12, "is empty"),
    "day-without-time.md": (17, "does not start with a time"),
    "second-title-heading.md": (12, "unexpected top-level heading"),
    "not-utf8.md": (14, "not UTF-8"),
    "title-is-a-list.md": (2, "should be text, not a list"),
    "speakers-not-a-list.md": (5, "`speakers` should be a list"),
    "speaker-without-id.md": (8, "this speaker has no `id`"),
    "voices-not-a-mapping.md": (10, "`voices` should map an engine"),
    "lexicon-not-a-mapping.md": (5, "`lexicon` should map a word"),
    "caption-speed-out-of-range.md": (6, "`caption_max_cps` is `90`"),
    "unknown-paper.md": (6, "paper `A3` is not known"),
    "bad-language.md": (5, "not a language code"),
    "missing-cover.md": (5, "does not exist"),
    "share-over-100.md": (18, "percentage from 0 to 100"),
    "faq-without-answer.md": (17, "needs `q:` and `a:`"),
    "source-without-title.md": (17, "needs a `publisher` and a `title`"),
    "fact-without-value.md": (17, "has no value"),
    "step-without-duration.md": (17, "has no duration"),
    "skills-as-a-list.md": (17, "should hold `name: value` lines"),
    "duplicate-skill.md": (18, "is given twice"),
    "duplicate-front-matter-key.md": (5, "`title` is given twice"),
    "heading-level-three.md": (16, "heading level that guides do not use"),
    "blockquote.md": (14, "blockquote cannot go in a guide"),
    "nested-list.md": (15, "nested list"),
    "unclosed-fence.md": (16, "never closed"),
    "turn-before-part.md": (22, "before the first part"),
    "table-in-lesson.md": (28, "the audio lesson holds a bullet list"),
    "tabs-in-yaml.md": (17, "cannot start a value here (a tab"),
    "crlf-with-error.md": (17, "`101`"),
    "bom-with-error.md": (26, "unknown speaker `Bob`"),
    "reserved-slug.md": (3, "slug `index` cannot name"),
    "unknown-field.md": (3, "field `cooking` is not a career field"),
    "empty-block.md": (16, "block is empty"),
    "binary.md": (3, "binary data"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_guide_names_file_line_and_fix(name):
    line, what = BAD[name]
    with pytest.raises(GuideError) as caught:
        load_guide(FIXTURES / "bad" / name)
    problem = caught.value.problems[0]
    assert problem.path.endswith(name)
    assert problem.line == line
    assert what in problem.what
    assert problem.hint, "every problem says what to do"
    assert str(problem).startswith(f"{problem.path}:{line}: ")


def test_every_bad_fixture_is_covered():
    assert sorted(p.name for p in (FIXTURES / "bad").glob("*.md")) == sorted(BAD)


def test_all_problems_reported_at_once():
    text = (FIXTURES / "good.md").read_text().replace("Teamwork: 80", "Teamwork: 180").replace("Ben: Hi", "Bob: Hi")
    with pytest.raises(GuideError) as caught:
        parse_guide(text, "x.md")
    found = sorted((p.line, p.what) for p in caught.value.problems)
    assert len(found) == 2
    assert found[0][0] == 17 and "180" in found[0][1], found  # the rating out of range, at its line
    assert found[1][0] == 26 and "Bob" in found[1][1], found  # the unknown speaker, at their turn


def test_duplicate_slugs_across_guides():
    folder = FIXTURES / "duplicate-slugs"
    with pytest.raises(GuideError) as caught:
        load_guides(sorted(folder.glob("*.md")))
    assert "slug `same` is also used by" in str(caught.value)


def test_good_fixture_parses_and_crlf_and_bom_are_accepted():
    text = (FIXTURES / "good.md").read_text()
    plain = parse_guide(text, "good.md")
    windows = parse_guide("\ufeff" + text.replace("\n", "\r\n"), "good.md")
    assert windows.lesson.turns[1].text == plain.lesson.turns[1].text == "Hi, Ana."
    assert windows.sections[0].where.line == plain.sections[0].where.line == 12


def test_cover_outside_the_guide_folder_is_refused(tmp_path):
    text = (FIXTURES / "good.md").read_text().replace("updated:", "cover: ../secret.png\nupdated:")
    (tmp_path / "g.md").write_text(text)
    with pytest.raises(GuideError) as caught:
        load_guide(tmp_path / "g.md")
    assert "outside the guide's folder" in str(caught.value)


def test_yaml_errors_do_not_hide_the_other_problems(tmp_path):
    """Three YAML mistakes in the front matter, one in a block, one unknown speaker: all in one run,
    each at the line to change, in an editor's words."""
    text = (FIXTURES / "good.md").read_text()
    text = text.replace("summary: A short guide used by the tests.", "summary: [unclosed")
    text = text.replace("updated: 2026-01-15", "updated 2026-01-15")
    text = text.replace("    name: Ben", "\tname: Ben")
    text = text.replace("Ana: ", "Bob: ", 1)
    lines = text.splitlines()
    path = tmp_path / "g.md"
    path.write_text(text)
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    found = {(p.line, p.what.split(" (")[0]) for p in caught.value.problems}
    line = {needle: next(n for n, row in enumerate(lines, 1) if needle in row)
            for needle in ("[unclosed", "updated 2026", "\tname: Ben", "Bob: ")}
    assert (line["[unclosed"], "a list in [brackets] is not closed") in found
    assert (line["updated 2026"], "this line has no colon between a name and its value") in found
    assert any(p.line == line["\tname: Ben"] and "a tab" in p.what for p in caught.value.problems)
    assert any(n == line["Bob: "] and "unknown speaker" in what for n, what in found)
    assert not any("could not find" in p.what or "has no `updated`" in p.what for p in caught.value.problems)


# Mutations of tests/fixtures/good.md that must be refused: (old text, new text) → (line, what).
def _block(kind: str, body: str) -> tuple[str, str]:
    return "A paragraph.", f"```{kind}\n{body}\n```"


MALFORMED = {
    "key twice in a block": (("Teamwork: 80", "Teamwork: 80\nTeamwork: 70"), (18, "`Teamwork` is given twice")),
    "key twice in front matter": (("updated:", "title: Again\nupdated:"), (4, "`title` is given twice")),
    "YAML alias": (("Teamwork: 80", "Teamwork: &r 80\nMaths: *r"), (17, "anchors and aliases")),
    "section twice": (("A paragraph.", "A paragraph.\n\n## Snapshot | Career snapshot\n\nMore."),
                      (16, "already used at line 12")),
    "empty skill name": (("Teamwork: 80", '"": 80'), (17, "has no name")),
    "empty part heading": (("## Welcome", "##"), (22, "lesson part has no title")),
    "empty speaker name": (("    name: Ana", '    name: ""'), (7, "`name` is empty")),
    "hour 25": (_block("day", "- 25:10 — Sleep"), (15, "`25:10` is not a time of day")),
    "minute 75": (_block("day", "- 9:75 — Stand-up"), (15, "`9:75` is not a time of day")),
    "13 pm": (_block("day", "- 13 pm — Lunch"), (15, "`13 pm` is not a time of day")),
    "shares past 100": (_block("routes", "- {route: Degree, share: 70%, duration: 4 years, cost: high}\n"
                                         "- {route: Bootcamp, share: 50%, duration: 6 months, cost: low}"),
                        (15, "add up to 120%")),
    "empty route name": (_block("routes", '- {route: "", share: 70%, duration: 4 years, cost: high}'),
                         (15, "`route` is empty")),
    "question without answer": (_block("faq", '- q: Why?\n  a: ""'), (15, "answer is empty")),
    "empty list": (_block("pros", "[]"), (15, "empty list")),
    "fact with an empty list": (_block("facts", "Hours: []"), (15, "has no value")),
    "turn of punctuation": (("Ben: Hi, Ana.", "Ben: ... ?!"), (26, "nothing to say aloud")),
    "turn of emoji": (("Ben: Hi, Ana.", "Ben: 🎉🎉"), (26, "nothing to say aloud")),
    "turn of a bare link": (("Ben: Hi, Ana.", "Ben: [](https://example.org)"), (26, "nothing to say aloud")),
    "turn of invisible characters": (("Ben: Hi, Ana.", "Ben: \u200b\u200b\u2060"), (26, "nothing to say aloud")),
    "control character as a YAML escape": (("title: Test Career", 'title: "Test\\aCareer"'), (2, "control character")),
    "raw control character": (("A paragraph.", "A para\x07graph."), (14, "U+0007 at column 7")),
    "line separator": (("A paragraph.", "A para\u2028graph."), (14, "U+2028")),
    "lexicon entry with nothing to say": (("updated:", 'lexicon:\n  Ana: "..."\nupdated:'), (5, "nothing to say aloud")),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_malformed_content_is_refused_at_its_line(name):
    (old, new), (line, what) = MALFORMED[name]
    text = (FIXTURES / "good.md").read_text()
    assert old in text
    with pytest.raises(GuideError) as caught:
        parse_guide(text.replace(old, new, 1), "g.md")
    assert any(p.line == line and what in p.what and p.hint for p in caught.value.problems), caught.value.problems


def test_no_speakers_is_said_once_not_at_every_turn():
    text = (FIXTURES / "good.md").read_text()
    text = text.replace("speakers:\n  - id: ana\n    name: Ana\n  - id: ben\n    name: Ben\n", "speakers: []\n")
    with pytest.raises(GuideError) as caught:
        parse_guide(text, "g.md")
    assert [(p.line, p.what) for p in caught.value.problems] == [(5, "no speakers are declared for the audio lesson")]


def test_more_parts_than_an_mp3_chapter_table_holds_are_refused():
    text = (FIXTURES / "good.md").read_text()
    parts = "".join(f"\n## Part {n}\n\nAna: Part {n}.\n" for n in range(2, 257))
    with pytest.raises(GuideError) as caught:
        parse_guide(text + parts, "g.md")
    [problem] = caught.value.problems
    assert "256 parts, over the limit of 255" in problem.what and problem.line > 26
    parse_guide(text + "".join(f"\n## Part {n}\n\nAna: Part {n}.\n" for n in range(2, 256)), "g.md")


def test_times_of_day_that_exist_are_accepted():
    text = (FIXTURES / "good.md").read_text()
    for clock in ("0:00", "9:30", "23:59", "12 pm", "12:30 a.m.", "7 AM"):
        guide = parse_guide(text.replace("A paragraph.", f"```day\n- {clock} — Something\n```"), "g.md")
        assert guide.sections[0].blocks[0].entries[0].time == clock


def test_messages_show_invisible_characters_and_shorten_huge_values():
    text = (FIXTURES / "good.md").read_text()
    with pytest.raises(GuideError) as caught:
        parse_guide(text.replace("Ben: Hi", "The\u200bo: Hi").replace("Teamwork: 80", "Teamwork: " + "9" * 500), "g.md")
    shown = str(caught.value)
    assert "unknown speaker `The\\u200bo`" in shown
    assert "9" * 100 not in shown and "…" in shown and len(max(shown.splitlines(), key=len)) < 300


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_are_recognised_by_their_byte_order_mark(tmp_path, encoding):
    path = tmp_path / "g.md"
    path.write_bytes((FIXTURES / "good.md").read_text().encode(encoding))
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    [problem] = caught.value.problems
    assert problem.line == 1 and encoding.upper() in problem.what and "save it as UTF-8" in problem.hint


def test_a_fifo_or_a_device_is_refused_before_it_is_opened(tmp_path):
    import os

    os.mkfifo(tmp_path / "pipe.md")  # opening it for reading would block until a writer came
    (tmp_path / "zero.md").symlink_to("/dev/zero")  # reading it would never end
    for name in ("pipe.md", "zero.md"):
        with pytest.raises(GuideError) as caught:
            load_guide(tmp_path / name)
        assert "not a regular file" in str(caught.value)


def _tree(node) -> object:
    """A composed YAML node as plain data: its kind, tag, value, style and line."""
    import yaml

    if isinstance(node, yaml.ScalarNode):
        return ("scalar", node.tag, node.value, node.style or None, node.start_mark.line)
    if isinstance(node, yaml.MappingNode):
        return ("mapping", node.tag, node.start_mark.line, [(_tree(k), _tree(v)) for k, v in node.value])
    return ("list", node.tag, node.start_mark.line, [_tree(item) for item in node.value])


def test_the_fast_yaml_reader_composes_every_guide_as_the_pure_python_one(monkeypatch):
    """Guides are composed by libyaml (the no-op's speed); its tree must be the one the pure-Python
    reader, whose errors the guide checks are written for, would give: same values, same lines."""
    import yaml

    from publish.guide import yamlnode

    assert yamlnode.FAST_LOADER is yaml.CSafeLoader, "PyYAML without libyaml: every build composes guides slowly"
    composed: list[str] = []
    compose = yaml.compose

    def recorded(text, Loader):
        composed.append(text)
        return compose(text, Loader=Loader)

    monkeypatch.setattr(yamlnode.yaml, "compose", recorded, raising=True)
    for path in sorted(REFERENCE_GUIDE.parent.glob("*.md")):
        if path.name != "README.md":
            load_guide(path)
    monkeypatch.undo()
    assert len(composed) > 20
    for text in composed:
        assert _tree(yaml.compose(text, Loader=yaml.CSafeLoader)) == _tree(yaml.compose(text, Loader=yaml.SafeLoader))


def test_a_guide_names_its_career_field_and_may_name_none():
    text = (FIXTURES / "good.md").read_text()
    assert parse_guide(text, "good.md").career_field == ""
    assert parse_guide(text.replace("updated:", "field: Health\nupdated:"), "good.md").career_field == "health"
