"""Word timings from phoneme timings: when each word of a sentence is said.

An engine that times its phonemes (Piper, with its alignment output) says how many samples each
phoneme of the sentence lasts. The sentence's phonemes do not split into our words one to one:
the phonemiser joins small words ("for the" → `fɚðə`) and reduces them in context. So each word is
also phonemised on its own, and the two phoneme strings are matched; a word lasts from the first
to the last of its matched phonemes. Stress marks, spaces and punctuation take part in neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Sequence

# Phonemiser symbols that are not sounds: stress, word breaks, punctuation, sentence start and end.
NOT_SOUNDS = frozenset("ˈˌ ^$_.,;:!?¡¿—–-…\"'“”‘’()[]")
# Below this share of the words' own phonemes found in the sentence, the match is not trusted
# and the sentence keeps sentence-level timing.
MIN_MATCHED = 0.6


@dataclass(frozen=True)
class TimedPhoneme:
    phoneme: str
    samples: int


def word_spans(phonemes: Sequence[TimedPhoneme], words: Sequence[Sequence[str]]) -> list[tuple[int, int]] | None:
    """(start, end) in samples for each word, from the sentence's timed phonemes and each word's
    own phonemes; None when they do not match well enough to say."""
    sounds: list[tuple[str, int, int]] = []  # phoneme, start, end
    at = 0
    for phoneme in phonemes:
        if phoneme.phoneme not in NOT_SOUNDS:
            sounds.append((phoneme.phoneme, at, at + phoneme.samples))
        at += phoneme.samples
    owner: list[int] = []  # for each sound of the words' own phonemes, the word it belongs to
    own: list[str] = []
    for index, word in enumerate(words):
        for symbol in word:
            if symbol not in NOT_SOUNDS:
                own.append(symbol)
                owner.append(index)
    if not sounds or not own:
        return None
    matcher = SequenceMatcher(None, own, [s[0] for s in sounds], autojunk=False)
    found: list[list[int]] = [[] for _ in words]
    matched = 0
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            found[owner[block.a + k]].append(block.b + k)
            matched += 1
    if matched < MIN_MATCHED * len(own):
        return None
    spans: list[tuple[int, int] | None] = [
        (sounds[min(hits)][1], sounds[max(hits)][2]) if hits else None for hits in found]
    return _fill_gaps(spans, sounds[0][1], sounds[-1][2])


def _fill_gaps(spans: list[tuple[int, int] | None], first: int, last: int) -> list[tuple[int, int]]:
    """Words none of whose phonemes were matched share the time between their neighbours."""
    filled: list[tuple[int, int]] = []
    index = 0
    while index < len(spans):
        span = spans[index]
        if span is not None:
            filled.append(span)
            index += 1
            continue
        run_end = index
        while run_end < len(spans) and spans[run_end] is None:
            run_end += 1
        following = spans[run_end] if run_end < len(spans) else None
        start = filled[-1][1] if filled else first
        end = following[0] if following is not None else last
        step = max(0, end - start) / (run_end - index)
        filled += [(start + round(step * k), start + round(step * (k + 1))) for k in range(run_end - index)]
        index = run_end
    return filled


# Below this RMS (about -40 dBFS) a 20 ms frame holds no speech, for `end_at_sound`.
QUIET_RMS = 0.01


def end_at_sound(samples, spans: Sequence[tuple[int, int]], rate: int) -> list[tuple[int, int]]:
    """Each word's end moved back to where its sound ends. Kokoro gives the pause after a word to
    the word's last phoneme, so a timed word would run on through the silence before the next."""
    import numpy as np

    frame = rate // 50
    trimmed = []
    for start, end in spans:
        cut = end
        while cut - frame > start:
            tail = np.asarray(samples[cut - frame:cut], dtype=np.float32)
            if float(np.sqrt((tail ** 2).mean())) >= QUIET_RMS:
                break
            cut -= frame
        trimmed.append((start, cut))
    return trimmed
