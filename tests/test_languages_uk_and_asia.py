"""The tests of test_other_languages.py on the lessons in British English, Chinese, Japanese and Hindi:
a file of their own, so that another of the suite's processes listens to them."""

from __future__ import annotations

import pytest

from test_other_languages import (UK_AND_ASIA, built_lesson,  # noqa: F401 (the tests are collected here too)
                                  test_money_and_times_are_said_and_heard_in_the_language,
                                  test_the_hosts_are_a_woman_and_a_man_of_the_language_equally_loud)

pytestmark = pytest.mark.numerics


@pytest.fixture(scope="module", params=UK_AND_ASIA)
def lesson(request, tmp_path_factory):
    return built_lesson(request.param, tmp_path_factory)
