"""Text → phonemes in Kokoro's alphabet, by the voice's first letter (its language).

English uses hibari's own converter (its alphabet and token numbers are exactly Kokoro's), with
misaki's British lexicon for `b` voices. Spanish, French, Italian, Brazilian Portuguese and Hindi
go through espeak-ng (the `phonemizer` package), mapped to Kokoro's symbols for diphthongs and
affricates, as Kokoro's own pipeline does. Chinese and Japanese go through misaki, the converter
Kokoro was trained with: Chinese words cut by jieba, read by pypinyin with their tones; Japanese
read by fugashi over UniDic (the pinned `unidic-lite` package) and Open JTalk (`pyopenjtalk-plus`,
its dictionary inside the wheel). Nothing is downloaded.

Several converters keep one state per process (espeak-ng's library, jieba's and Open JTalk's
dictionaries, MeCab's tagger), and a build's threads phonemise at once: each is used under a lock.
"""

from __future__ import annotations

import functools
import importlib.util
import threading
from functools import lru_cache
from typing import Callable

from publish.errors import EngineError
from publish.places import package_folder

LANGUAGES = {"a": "en-US", "b": "en-GB", "e": "es", "f": "fr", "h": "hi", "i": "it", "j": "ja", "p": "pt-BR",
             "z": "zh"}


def language_of(voice: str) -> str:
    return LANGUAGES.get(voice[:1], "")


@lru_cache(maxsize=2)
def _english(british: bool):
    from hibari.g2p import G2P

    return G2P(british=british)


# espeak-ng's IPA, with its tie bar as `^`, → the letters Kokoro was trained on for these languages
# (its diphthongs and affricates are single symbols).
ESPEAK_TO_KOKORO = (("a^ɪ", "I"), ("a^ʊ", "W"), ("d^z", "ʣ"), ("d^ʒ", "ʤ"), ("e^ɪ", "A"), ("o^ʊ", "O"),
                    ("ə^ʊ", "Q"), ("s^s", "S"), ("t^s", "ʦ"), ("t^ʃ", "ʧ"), ("ɔ^ɪ", "Y"))
ESPEAK_LANGUAGES = {"e": "es", "f": "fr-fr", "h": "hi", "i": "it", "p": "pt-br"}


# espeak-ng keeps its state in the library, one per process: two threads phonemising at once get
# each other's phonemes (a French lesson came out garbled). Phonemising takes under a millisecond.
_ESPEAK_LOCK = threading.Lock()


@lru_cache(maxsize=4)
def _espeak(language: str) -> Callable[[str], str]:
    try:
        from phonemizer.backend import EspeakBackend

        backend = EspeakBackend(language=language, preserve_punctuation=True, with_stress=True, tie="^",
                                language_switch="remove-flags")
    except (ImportError, RuntimeError) as error:
        raise EngineError(f"espeak-ng is needed for Kokoro's {language} voices ({error}) — "
                          "install it: apt-get install espeak-ng (make build does)") from None

    def phonemes(text: str) -> str:
        with _ESPEAK_LOCK:
            said = backend.phonemize([text.replace("«", "“").replace("»", "”").replace("।", ".")])
        found = said[0].strip() if said else ""
        for source, target in ESPEAK_TO_KOKORO:
            found = found.replace(source, target)
        return found.replace("^", "").replace("-", "")

    return phonemes


# misaki's converters keep their dictionaries per process (jieba's prefix dictionary is built on
# first use, Open JTalk and MeCab hold one state each): a build's threads take turns.
_MISAKI_LOCK = threading.Lock()
MISAKI_PACKAGES = {"z": ("misaki", "jieba", "pypinyin", "cn2an"),
                   "j": ("misaki", "pyopenjtalk", "fugashi", "unidic_lite", "jaconv", "mojimoji")}


@lru_cache(maxsize=2)
def _misaki(letter: str) -> Callable[[str], str]:
    convert: Callable[[str], tuple[str, object]]
    if letter == "z":
        import logging

        import jieba
        from misaki.zh import ZHG2P

        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" is no reader's business
        convert = ZHG2P()  # Kokoro v1.0's Chinese: jieba's words, pypinyin's syllables and tones
    else:
        from misaki.ja import JAG2P

        convert = JAG2P()  # Kokoro's Japanese: fugashi over UniDic, Open JTalk's numbers

    def phonemes(text: str) -> str:
        with _MISAKI_LOCK:
            said, _ = convert(text)
        return said.replace("❓", "")

    return phonemes


# Phoneme converters by the voice's first letter: text → phonemes in Kokoro's alphabet.
PHONEMIZERS: dict[str, Callable[[], Callable[[str], str]]] = {
    "a": functools.partial(_english, False),
    "b": functools.partial(_english, True),
    **{letter: functools.partial(_espeak, language) for letter, language in ESPEAK_LANGUAGES.items()},
    "z": functools.partial(_misaki, "z"),
    "j": functools.partial(_misaki, "j"),
}


def check_language(voice: str) -> None:
    if voice[:1] not in PHONEMIZERS:
        raise EngineError(f"the Kokoro voice `{voice}` speaks {language_of(voice) or 'a language'} that publish "
                          "cannot yet turn into phonemes — use a Kokoro voice in English, Spanish, French, Italian, "
                          "Brazilian Portuguese, Hindi, Chinese or Japanese, or another engine")
    if voice[:1] in ESPEAK_LANGUAGES and not _espeak_installed():
        raise EngineError(f"the Kokoro voice `{voice}` needs espeak-ng for its phonemes — install it: "
                          "apt-get install espeak-ng (make build does)")
    missing = [name for name in MISAKI_PACKAGES.get(voice[:1], ()) if importlib.util.find_spec(name) is None]
    if missing:
        raise EngineError(f"the Kokoro voice `{voice}` needs {', '.join(missing)} for its phonemes — reinstall "
                          "publish with its dependencies: pip install -e . (make build does)")


@lru_cache(maxsize=1)
def _espeak_installed() -> bool:
    """espeak-ng's library and the package that drives it, found without importing it (a third of
    a second, which a build that only plans, a no-op, should not pay)."""
    import ctypes.util
    import os

    library = os.environ.get("PHONEMIZER_ESPEAK_LIBRARY") or ctypes.util.find_library("espeak-ng")
    return bool(library) and package_folder("phonemizer") is not None


def let_go() -> None:
    """Forget the converters whose dictionaries are large (hibari's English lexicons and tagger,
    about 100 MB; misaki's Chinese and Japanese): one asked for again loads again."""
    _english.cache_clear()
    _misaki.cache_clear()


def phonemizer(voice: str) -> Callable[[str], str]:
    check_language(voice)
    return PHONEMIZERS[voice[:1]]()
