"""Where a line of Chinese or Japanese may break: between phrases, never inside a word.

Both are written without spaces, so a caption line that breaks between any two characters can cut
a word in two (確認|します, 科学|家). Japanese is cut into words by fugashi over UniDic (the pinned
`unidic-lite`), and each particle, auxiliary, suffix and counter is kept with the word before it,
which gives the phrases (bunsetsu) Japanese subtitles break between: 確認します, お願いします,
7時30分に, 7:30に, 約600万円で.
Chinese is cut into words by jieba. In both, a closing mark stays with what it closes and an
opening mark with what it opens (kinsoku). The phrases joined give the text back exactly.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from typing import Any

OPENING = "（「『【《〈“‘([｛"
CLOSING = "、。，．・：；！？）」』】》〉”’)]｝…ー々ぁぃぅぇぉっゃゅょァィゥェォッャュョ%％"
# UniDic's parts of speech that lean on the word before them.
_LEANING = {"助詞", "助動詞", "接尾辞"}
_jieba_lock = threading.Lock()  # jieba builds its dictionary once per process, on first use
_local = threading.local()  # a fugashi tagger per thread


@lru_cache(maxsize=4096)  # captions cut the same sentence many ways while they look for the best cues
def phrases(text: str, language: str) -> tuple[str, ...]:
    """`text` cut where a line may break, in `language` ("ja" or "zh")."""
    words = _japanese(text) if language == "ja" else _chinese(text)
    return tuple(_kinsoku(words))


def _japanese(text: str) -> list[str]:
    found: list[str] = []
    previous, previous_surface = None, ""
    at = 0
    for word in _tagger()(text):
        start = text.index(word.surface, at)
        piece, at = text[at:start + len(word.surface)], start + len(word.surface)
        feature = word.feature
        leans = found and previous is not None and (
            feature.pos1 in _LEANING
            or (feature.pos1 == "補助記号" and feature.pos2 != "括弧開")  # 、。」 close what is before them
            or previous.pos2 == "括弧開"  # 「 opens what follows it
            or (feature.lemma == "為る" and previous.pos1 in ("名詞", "動詞"))  # 確認+します, お願い+します
            or (previous_surface in (":", "：") and feature.pos2 == "数詞")  # 7:+30
            or (previous.pos2 == "数詞" and (feature.pos2 == "数詞" or feature.pos3 == "助数詞可能"))  # 600+万+円
            or (previous.pos3 == "助数詞可能" and feature.pos2 == "数詞")  # 7時+30分
            or previous.pos1 == "接頭辞")  # 約+600
        if leans:
            found[-1] += piece
        else:
            found.append(piece)
        previous, previous_surface = feature, word.surface
    if at < len(text):
        found.append(text[at:])
    return found


def _tagger() -> Any:
    if not hasattr(_local, "tagger"):
        import fugashi

        _local.tagger = fugashi.Tagger()  # UniDic from unidic-lite, found by fugashi itself
    return _local.tagger


def _chinese(text: str) -> list[str]:
    import jieba

    with _jieba_lock:
        jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" is no reader's business
        return jieba.lcut(text)


def _kinsoku(words: list[str]) -> list[str]:
    """Closing marks and spaces kept with the phrase before them, opening marks with the one after."""
    kept: list[str] = []
    opened = False
    for word in words:
        closing = all(character in CLOSING or character.isspace() for character in word)
        if kept and (closing or opened):
            kept[-1] += word
        else:
            kept.append(word)
        opened = all(character in OPENING for character in word.strip()) and bool(word.strip())
    return kept
