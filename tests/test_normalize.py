"""The English speech steps, each with a table of what is written and what is said."""

from __future__ import annotations

import pytest

from publish.text import normalize
from publish.text.spoken import spoken

AM = "[A.M.](/ˌeɪˈɛm/)"
PM = "[P.M.](/ˌpiːˈɛm/)"


@pytest.mark.parametrize("written, said", [
    ("at 7:00 a.m.", f"at seven {AM}"),
    ("at 7 am sharp", f"at seven {AM} sharp"),
    ("until 12:30 p.m.", f"until twelve thirty {PM}"),
    ("at 19:45", "at nineteen forty-five"),
    ("at 7:05 PM", f"at seven oh five {PM}"),
    ("from 9:00–5:30", "from nine to five thirty"),
    ("at 9:00 then", "at nine o'clock then"),
    ("ratio 3:1", "ratio 3:1"),
])
def test_clock_times(written, said):
    assert normalize.clock_times(written) == said


@pytest.mark.parametrize("written, said", [
    ("$39.50", "thirty-nine dollars and fifty cents"),
    ("$1.01", "one dollar and one cent"),
    ("$2.5M", "two point five million dollars"),
    ("€40K", "forty thousand euros"),
    ("£12", "twelve pounds"),
    ("$1", "one dollar"),
    ("$85K–$120K a year", "eighty-five thousand to one hundred twenty thousand dollars a year"),
    ("$40 to $60", "forty to sixty dollars"),
    ("$1,250", "one thousand two hundred fifty dollars"),
])
def test_money(written, said):
    assert normalize.money(written) == said


@pytest.mark.parametrize("written, said", [
    ("dollars/hour", "dollars an hour"),
    ("40/week", "40 a week"),
    ("$5/hr", "$5 an hour"),
    ("3 per 100", "3 per 100"),
    ("and/or", "and/or"),
])
def test_per_unit(written, said):
    assert normalize.per_unit(written) == said


@pytest.mark.parametrize("written, said", [
    ("in 2026", "in twenty twenty-six"),
    ("by 2034.", "by twenty thirty-four."),
    ("in 2005", "in two thousand five"),
    ("in 1905", "in nineteen oh five"),
    ("the 1990s", "the nineteen nineties"),
    ("the 2020s", "the twenty twenties"),
    ("2,026 people", "2,026 people"),
    ("$2026", "$2026"),
    ("20260", "20260"),
])
def test_years(written, said):
    assert normalize.years(written) == said


@pytest.mark.parametrize("written, said", [
    ("3rd", "third"), ("21st floor", "twenty-first floor"), ("2nd", "second"), ("11th", "eleventh"),
])
def test_ordinals(written, said):
    assert normalize.ordinals(written) == said


@pytest.mark.parametrize("written, said", [
    ("½ a day", "one half a day"), ("1½ hours", "1 and one half hours"), ("¾", "three quarters"),
])
def test_fractions(written, said):
    assert normalize.fractions(written) == said


@pytest.mark.parametrize("written, said", [
    ("5 km", "5 kilometers"), ("1 kg", "1 kilogram"), ("60 mph", "60 miles per hour"),
    ("20°C", "20 degrees Celsius"), ("2 MW turbine", "2 megawatts turbine"), ("5 kmh", "5 kmh"),
])
def test_units(written, said):
    assert normalize.units(written) == said


@pytest.mark.parametrize("written, said", [
    ("2,026", "two thousand twenty-six"),
    ("1.5", "one point five"),
    ("about 40 a week.", "about forty a week."),
    ("H2O", "H2O"),
])
def test_numbers(written, said):
    assert normalize.guarded(normalize.numbers)(written) == said


@pytest.mark.parametrize("written, said", [
    ("the ICU", "the [I.C.U.](/ˌaɪˌsiːˈjuː/)"),
    ("an AI engineer", "an [A.I.](/ˌeɪˈaɪ/) engineer"),
    ("two RNs", "two [R.N.s](/ˌɑːɹˈɛnz/)"),
    ("the GPU's memory", "the [G.P.U.'s](/ˌdʒiːˌpiːˈjuːz/) memory"),
    ("ADN or BSN", "[A.D.N.](/ˌeɪˌdiːˈɛn/) or [B.S.N.](/ˌbiːˌɛsˈɛn/)"),
    ("the ER", "the [E.R.](/ˌiːˈɑːɹ/)"),
    ("NASA and NCLEX", "Nasa and Nclex"),
    ("STEM jobs", "Stem jobs"),
    ("OK then", "okay then"),
    ("I went", "I went"),
])
def test_acronyms(written, said):
    assert normalize.acronyms(written) == said


@pytest.mark.parametrize("written, said", [
    ("Call 555-0142 today.", "Call 555-0142 today."),
    ("Version v2.3.1 and B2 level.", "Version v2.3.1 and B2 level."),
    ("Nurses earn $39.50/hour from 7:00 a.m.", f"Nurses earn thirty-nine dollars and fifty cents an hour from seven {AM}"),
    ("About 60% of RNs start in 2026.", "About sixty percent of [R.N.s](/ˌɑːɹˈɛnz/) start in twenty twenty-six."),
    ("Shifts run 7-12 hours.", "Shifts run seven to twelve hours."),
])
def test_whole_sentences(written, said):
    assert spoken(written) == said
