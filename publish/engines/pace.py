"""How fast a lesson is spoken: the reference pace in each language, and the speed setting that
gives it for a voice whose rates were measured.

`[audio] pace` is a factor on the reference pace (1.0: the reference; 0.9: a tenth slower), not
words a minute: one number means the same in every language and for every voice, and each engine
turns it into its own control (hibari's and Kokoro's `speed`, Piper's `length_scale`, espeak-ng's
words a minute). Pauses between sentences and turns are set in milliseconds and do not change.
"""

from __future__ import annotations

import math

# A voice's measured rates: (engine speed, words a minute within sentences), speeds ascending.
Curve = tuple[tuple[float, float], ...]

# English: the reference lesson (an audio lesson of a published career guide) says 1,515 words in
# 9 min 27 s, 160 words a minute; a lesson is at the reference pace within 150–165.
REFERENCE_WPM = 160.0
BAND = (150.0 / REFERENCE_WPM, 165.0 / REFERENCE_WPM)
# A language says the same thing in more or fewer words than English. Its reference is English's
# scaled by how fast its speakers read the same texts aloud, in words a minute: the International
# Reading Speed Texts (IReST: ten texts matched in content and difficulty across 17 languages, read
# aloud by 25 native speakers each; Trauzettel-Klosinski and Dietz, IOVS 2012). A language not
# listed is judged as English.
READ_ALOUD_WPM = {"en": 228, "es": 218, "fr": 195, "it": 188, "pt": 181}
# Within its sentences a lesson runs faster than overall, by its pauses (250 ms between sentences,
# 650 between turns): 1.10 times in guides/machine-learning-engineer.md, 1.15 in the wind turbine
# guide's short turns, 1.13 in the Spanish guide. Voices speak at 1.11 times the lesson's pace within
# sentences, which puts both English lessons inside the band with about the same room on each side.
IN_SENTENCES = 1.11


def primary(language: str) -> str:
    return language.split("-")[0].lower()


def lesson_wpm(language: str, pace: float = 1.0) -> float:
    """The lesson's words a minute, overall, at `pace` in `language`."""
    own = READ_ALOUD_WPM.get(primary(language), READ_ALOUD_WPM["en"])
    return pace * REFERENCE_WPM * own / READ_ALOUD_WPM["en"]


def band(language: str) -> tuple[float, float]:
    """The words a minute a lesson in `language` runs at when it is at the reference pace."""
    reference = lesson_wpm(language)
    return reference * BAND[0], reference * BAND[1]


def speed(curve: Curve | None, language: str, pace: float) -> float:
    """The engine's speed factor that makes a voice speak at `pace` in `language`, from the voice's
    measured rates (None where not measured: the engine's own rate, times the pace). Between two
    measured speeds a sentence's rate is taken to follow a power of the speed (a straight line on
    log–log axes); beyond them, as between the nearest two. Rates are not proportional to speed:
    the pauses between a long sentence's pieces do not scale, and hibari's rate jumps in steps."""
    if not curve:
        return pace
    target = lesson_wpm(language, pace) * IN_SENTENCES
    if len(curve) == 1:
        return curve[0][0] * target / curve[0][1]
    segment = next((i for i in range(len(curve) - 2) if curve[i + 1][1] >= target), len(curve) - 2)
    (slow, slow_wpm), (fast, fast_wpm) = curve[segment], curve[segment + 1]
    exponent = math.log(fast_wpm / slow_wpm) / math.log(fast / slow)
    return slow * (target / slow_wpm) ** (1 / exponent)


def parse_pace(setting: str) -> float:
    """The `pace` option as engines receive it (checked when publish.toml is read)."""
    return float(setting) if setting else 1.0
