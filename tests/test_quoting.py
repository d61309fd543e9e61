"""Text with `: ` (or a leading symbol) written without quotes, where the line can only be text."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from publish.errors import GuideError
from publish.guide.model import Day, Facts, Faq, ItemList, Pathway, Routes, Sources
from publish.guide.quoting import quoted_example
from publish.guide.source import parse_guide

GOOD = (FIXTURES / "good.md").read_text(encoding="utf-8")
SKILLS = "```skills\nTeamwork: 80\n```"


def with_block(block: str) -> str:
    return GOOD.replace(SKILLS, SKILLS + "\n\n" + block)


def block_of(text: str, kind: type):
    return next(b for b in parse_guide(text, "g.md").sections[0].blocks if isinstance(b, kind))


def problems_of(text: str) -> list[str]:
    with pytest.raises(GuideError) as caught:
        parse_guide(text, "g.md")
    return [str(problem) for problem in caught.value.problems]


def test_a_day_entry_may_hold_a_colon():
    text = with_block("```day\n- 7:00 — Check the ambulance: oxygen, radio\n- 8:00 — Shift starts\n```")
    day = block_of(text, Day)
    assert [(e.time, e.activity) for e in day.entries] == [("7:00", "Check the ambulance: oxygen, radio"),
                                                           ("8:00", "Shift starts")]


@pytest.mark.parametrize("kind", ["pros", "cons", "checklist"])
def test_a_statement_may_hold_a_colon_or_start_with_emphasis(kind):
    items = block_of(with_block(f"```{kind}\n- Pay: strong after five years\n- *Not* for everyone\n"
                                f"- `git` daily: yes\n```"), ItemList).items
    assert items == ("Pay: strong after five years", "*Not* for everyone", "`git` daily: yes")


def test_fields_that_hold_text_may_hold_a_colon():
    text = with_block("```faq\n- q: Pay: how much?\n  a: It depends: city, employer.\n```\n\n"
                      "```sources\n- publisher: BLS\n  title: Handbook: Nurses\n  category: Pay: data\n```\n\n"
                      "```routes\n- route: Degree: BSc\n  share: 60%\n  duration: 4 years: full time\n"
                      "  cost: high\n```")
    question = block_of(text, Faq).questions[0]
    assert (question.question, question.answer) == ("Pay: how much?", "It depends: city, employer.")
    source = block_of(text, Sources).sources[0]
    assert (source.title, source.category) == ("Handbook: Nurses", "Pay: data")
    route = block_of(text, Routes).routes[0]
    assert (route.name, route.duration, route.share) == ("Degree: BSc", "4 years: full time", 60)


def test_a_fact_or_step_holds_text_after_its_name():
    text = with_block("```facts\nWhere: hospitals: wards, clinics\nTop skills: [care, maths]\n```\n\n"
                      "```pathway\nDegree: 3-4 years: or longer part time\n```")
    facts = block_of(text, Facts).facts
    assert [(f.label, f.values) for f in facts] == [("Where", ("hospitals: wards, clinics",)),
                                                    ("Top skills", ("care", "maths"))]
    step = block_of(text, Pathway).steps[0]
    assert (step.stage, step.duration) == ("Degree", "3-4 years: or longer part time")


def test_the_front_matter_text_settings_may_hold_a_colon():
    text = GOOD.replace("title: Test Career", "title: Nursing: a career").replace(
        "summary: A short guide used by the tests.", "summary: Two ways in: college or an apprenticeship.")
    guide = parse_guide(text, "g.md")
    assert (guide.title, guide.summary) == ("Nursing: a career", "Two ways in: college or an apprenticeship.")


def test_text_over_several_lines_quotes_and_backslashes_are_kept():
    items = block_of(with_block('```pros\n- A pro: that wraps\n  onto a second line\n- Say "hi": then a \\ back\n'
                                "- Already \"quoted: fine\"\n```"), ItemList).items
    assert items == ("A pro: that wraps onto a second line", 'Say "hi": then a \\ back', 'Already "quoted: fine"')


def test_lines_keep_their_numbers_after_quoted_text():
    text = with_block("```day\n- 7:00 — Check: oxygen\n  and radio\n- 25:00 — Too late\n```")
    late = next(n for n, line in enumerate(text.split("\n"), start=1) if "25:00" in line)
    assert problems_of(text)[0].startswith(f"g.md:{late}: `25:00` is not a time of day")


def test_where_quotes_are_still_needed_the_hint_quotes_the_authors_own_line():
    text = GOOD.replace("Teamwork: 80", "Teamwork: 80\n@Python: 90\nMaths: very: high").replace(
        "    name: Ben", "    name: Dr: Ben")
    found = problems_of(text)
    assert any(p.endswith('put the value in "quotes": `name: "Dr: Ben"`') for p in found), found
    assert any(p.endswith('put text that starts with a symbol in "quotes": `"@Python": 90`') for p in found), found
    assert any(p.endswith('put the value in "quotes": `Maths: "very: high"`') for p in found), found


def test_an_entry_ending_in_a_colon_is_shown_quoted():
    found = problems_of(with_block("```pros\n- Bring these:\n```"))
    assert found[0].endswith('a `pros` entry should be one line of text — put it in "quotes": `- "Bring these:"`')


@pytest.mark.parametrize("line, column, example", [
    ("  - stray: a: b", 12, '- stray: "a: b"'),
    ("@Python: 90", 0, '"@Python": 90'),
    ("- @handle on socials", 2, '- "@handle on socials"'),
    ("summary: " + "x" * 80, 20, 'summary: "' + "x" * 36 + "…" + "x" * 10 + '"'),
])
def test_quoted_example(line, column, example):
    assert quoted_example(line, column) == example
