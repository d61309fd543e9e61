"""A ``` block left open: named once, at the line it opened on, and the rest read as if closed."""

from __future__ import annotations

import pytest

from conftest import FIXTURES
from publish.errors import GuideError
from publish.guide.model import Faq, Sources
from publish.guide.source import parse_guide

GOOD = (FIXTURES / "good.md").read_text(encoding="utf-8")
FAQ = "```faq\n- q: Is it fun?\n  a: Mostly.\n"
SOURCES = "```sources\n- publisher: Somebody\n  title: A report\n```\n"


def problems_of(text: str) -> list[str]:
    with pytest.raises(GuideError) as caught:
        parse_guide(text, "g.md")
    return [str(problem) for problem in caught.value.problems]


def line_of(text: str, start: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if line.startswith(start))


def test_a_block_left_open_before_the_next_block_is_named_once_with_its_kind_and_line():
    text = GOOD.replace("```skills\nTeamwork: 80\n```\n", FAQ + "\n" + SOURCES)
    faq, sources = line_of(text, "```faq"), line_of(text, "```sources")
    assert problems_of(text) == [
        f"g.md:{faq}: the `faq` block that opens on this line is never closed: line {sources} opens a `sources` "
        f"block inside it — add a line ``` after its last entry, before line {sources}"]


def test_after_the_open_block_the_guide_is_read_as_if_it_had_been_closed():
    text = GOOD.replace("```skills\nTeamwork: 80\n```\n", FAQ + "\n" + SOURCES)
    closed = parse_guide(text.replace(FAQ, FAQ + "```\n"), "g.md")
    blocks = closed.sections[0].blocks
    assert [type(block) for block in blocks][-2:] == [Faq, Sources]
    # The open block's own entries are still checked, at their lines.
    broken = text.replace("  a: Mostly.\n", "")
    found = problems_of(broken)
    assert len(found) == 2 and "needs `q:` and `a:`" in found[1], found
    assert f"g.md:{line_of(broken, '- q: Is it fun?')}:" in found[1]


def test_a_block_left_open_before_a_section_or_the_lesson_names_that_line():
    text = GOOD.replace("```skills\nTeamwork: 80\n```\n", FAQ + "\n## Next | Next section\n\nWords.\n\n" + SOURCES)
    assert problems_of(text) == [
        f"g.md:{line_of(text, '```faq')}: the `faq` block that opens on this line is never closed: line "
        f"{line_of(text, '## Next')} starts a section inside it — add a line ``` after its last entry, before line "
        f"{line_of(text, '## Next')}"]
    lesson = GOOD.replace("Teamwork: 80\n```\n", "Teamwork: 80\n")
    assert f"line {line_of(lesson, '# Audio lesson')} starts the audio lesson inside it" in problems_of(lesson)[0]


def test_a_block_open_to_the_end_of_the_file_is_named_and_ends_the_reading():
    text = GOOD.replace("```skills\nTeamwork: 80\n```\n\n# Audio lesson\n\n## Welcome\n", "```skills\nTeamwork: 80\n")
    found = problems_of(text)
    assert found == [f"g.md:{line_of(text, '```skills')}: the `skills` block that opens on this line is never closed "
                     "(it runs to the end of the file) — add a line ``` after its last entry"]


def test_a_yaml_comment_in_a_block_does_not_end_it():
    text = GOOD.replace("Teamwork: 80\n", "# how well they work with others\nTeamwork: 80\n")
    assert parse_guide(text, "g.md").sections[0].blocks[-1].skills[0].rating == 80
