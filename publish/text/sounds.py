"""Exact sounds inside spoken text: `[shown](/ipa/)`, and how each kind of engine says them.

Spaced letters ("A I") are not a reliable way to make a voice say letters: phonemisers read the
first "A" as the article "uh". So the speech steps write letters (and lexicon phonemes) as IPA
in this one engine-neutral form, and each engine renders it its own way (`Engine.render`): Piper
as raw phonemes `[[ … ]]`, hibari as its own `[word](/phonemes/)` in the misaki alphabet, and
engines without phoneme input as the shown text (`plain`).
"""

from __future__ import annotations

import re

SOUND = re.compile(r"\[([^\]]*)\]\(/([^)/]*)/\)")

# Letter names in IPA as espeak-ng writes them for US English.
LETTERS = {
    "A": "eɪ", "B": "biː", "C": "siː", "D": "diː", "E": "iː", "F": "ɛf", "G": "dʒiː", "H": "eɪtʃ", "I": "aɪ",
    "J": "dʒeɪ", "K": "keɪ", "L": "ɛl", "M": "ɛm", "N": "ɛn", "O": "oʊ", "P": "piː", "Q": "kjuː", "R": "ɑːɹ",
    "S": "ɛs", "T": "tiː", "U": "juː", "V": "viː", "W": "dʌbəljuː", "X": "ɛks", "Y": "waɪ", "Z": "ziː",
}


def markup(shown: str, ipa: str) -> str:
    return f"[{shown}]({'/'}{ipa}/)"


def spell(letters: str, ending: str = "") -> str:
    """IPA for letters said one by one, stress on the last (`AI` → `ˌeɪˈaɪ`); `s`/`'s` kept."""
    names = [LETTERS[letter] for letter in letters.upper()]
    ipa = "".join("ˌ" + name for name in names[:-1]) + "ˈ" + names[-1]
    if ending:
        ipa += "ɪz" if names[-1].endswith(("s", "ks", "tʃ")) else "s" if names[-1].endswith("f") else "z"
    return ipa


def plain(text: str) -> str:
    """For engines without phoneme input: the shown text."""
    return SOUND.sub(lambda m: m[1], text)


def words(text: str) -> str:
    """What a listener should hear, for comparisons: the shown text without spelling dots."""
    return SOUND.sub(lambda m: m[1].replace(".", " ").strip(), text)

