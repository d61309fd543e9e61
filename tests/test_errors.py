"""Problems as an editor reads them: each said once, with every line it is found on."""

from __future__ import annotations

from publish.errors import GuideError, Problem, grouped, shortened

HINT = "use a speaker declared under `speakers:`"


def test_the_same_problem_on_several_turns_is_one_line_listing_them():
    problems = [Problem("g.md", line, "unknown speaker `Sam`", HINT, "turns") for line in range(171, 207, 4)]
    (problem,) = GuideError(problems).problems
    assert str(problem) == ("g.md:171: unknown speaker `Sam` on 9 turns (lines 171, 175, 179, 183, 187, …) — "
                            "use a speaker declared under `speakers:`")
    assert problem.lines == tuple(range(171, 207, 4))


def test_problems_that_differ_in_file_words_or_advice_stay_apart():
    problems = [Problem("a.md", 3, "x", "h"), Problem("b.md", 3, "x", "h"), Problem("a.md", 5, "y", "h"),
                Problem("a.md", 7, "x", "other")]
    assert sorted(grouped(problems), key=str) == sorted(problems, key=str)
    assert [str(p) for p in GuideError(problems).problems] == ["a.md:3: x — h", "a.md:5: y — h",
                                                               "a.md:7: x — other", "b.md:3: x — h"]


def test_grouping_twice_changes_nothing_and_a_short_listing_is_whole():
    problems = [Problem("g.md", line, "a colon", "quote it") for line in (9, 4, 6)]
    once = grouped(problems)
    assert grouped(once) == once
    assert str(once[0]) == "g.md:4: a colon on 3 lines (lines 4, 6, 9) — quote it"


def test_long_quoted_values_are_shortened_pair_by_pair():
    between = "the `faq` block " + "x" * 70 + " `sources` block"
    assert shortened(between) == between
    assert shortened("`" + "y" * 70 + "`") == "`" + "y" * 40 + "…" + "y" * 12 + "`"
