"""The typography a language's readers expect, applied to rendered HTML's text (never to its
tags, attributes, scripts or styles).

French: a narrow no-break space before `; ! ?`, a no-break space before `:` and inside « »,
so a line never starts with the mark. Written with a plain space, or with none before `; ! ?`
after a word, in the guide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from publish.outputs.i18n import primary

NARROW_NBSP, NBSP = "\u202f", "\u00a0"
_PIECES = re.compile(r"(<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)


def french(text: str) -> str:
    # Entities (`&amp;`) are passed over; a mark counts only where a word or sentence ends at it,
    # not inside an address (`page?id=3`).
    text = re.sub(r"(&#?\w+;)|(?<=\S)[ \u00a0\u202f]?([;!?])(?=\s|$|[»)\]\"”’!?])",
                  lambda m: m[1] or NARROW_NBSP + m[2], text)
    text = re.sub(r"(?<=\S)[ \u00a0\u202f]:(?=\s|$)", NBSP + ":", text)
    text = re.sub(r"«[ \u00a0\u202f]?", "«" + NBSP, text)
    return re.sub(r"[ \u00a0\u202f]?»", NBSP + "»", text)


RULES = {"fr": french}


def for_language(html: str, language: str) -> str:
    """`html` with its text set by the rules of `language`; unchanged for a language without rules."""
    rule = RULES.get(primary(language))
    if rule is None:
        return html
    return "".join(piece if _PIECES.fullmatch(piece) else rule(piece) for piece in _PIECES.split(html))


@dataclass(frozen=True)
class Marks:
    """The punctuation the templates put between a guide's own words, as the language writes it:
    Chinese and Japanese set full-width marks with no space after them (`误区：电工…`), list items
    apart with `、` or `・`, titles in 「」 or “”, notes in （）."""
    space: str = " "  # after a label's colon
    dash: str = " — "  # between a myth and its truth
    items: str = " · "  # between the values of a fact
    comma: str = ", "  # between a source's publisher and title
    quotes: tuple[str, str] = ("“", "”")
    brackets: tuple[str, str] = (" (", ")")
    colon: str = ":"  # after a speaker's name in the transcript


MARKS = {"zh": Marks("", "——", "、", "，", ("《", "》"), ("（", "）"), "："),
         "ja": Marks("", "――", "・", "、", ("「", "」"), ("（", "）"), "：")}


def marks(language: str) -> Marks:
    return MARKS.get(primary(language), Marks())
