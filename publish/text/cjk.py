"""Spoken-text rules for Chinese and Japanese guides: clock times, money, percentages, ranges and
years said as each language says them.

Chinese numbers are spelled in characters by CLDR's rules (unicode-rbnf): `5000 元` is 五千元,
`1.5` 一点五, a year's digits one by one (`2026年`: 二〇二六年), and 2 before a measure word 两
(`2 年`: 两年, but `2月`: 二月). Clock times: `7:30` is 七点半, `9:05` 九点零五分, `2:00` 两点.
Japanese keeps its digits, which its reader (Open JTalk) says with the counter that follows them
(`20万円`: にじゅうまんえん, `7時`: しちじ); the rules write what it would not read as said: `7:30` is
7時30分, `20%` 20パーセント, `¥5,000` 5000円, `1-2年` 1から2年.
"""

from __future__ import annotations

import re
from typing import Callable

from publish.text.languages import spell
from publish.text.traced import sub

Step = Callable[[str], str]

NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
EDGE = r"(?<![\d.,])"
END = r"(?![\d.,]\d|\d)"
RANGE = r"\s?[-–~～〜]\s?"
# What a clock time may be written as: `7:30`, full-width `7：30`.
CLOCK = rf"{EDGE}(\d{{1,2}})[:：]([0-5]\d){END}"
# After these, a Chinese 2 is 二 (a date, an order, a floor); before any other character, 两.
ORDER_WORDS = "月日号点楼层班级第"
YEAR_DIGITS = "〇一二三四五六七八九"
CURRENCIES_ZH = {"¥": "元", "￥": "元", "RMB": "元", "$": "美元", "US$": "美元", "€": "欧元", "£": "英镑", "HK$": "港元"}
CURRENCIES_JA = {"¥": "円", "￥": "円", "$": "ドル", "US$": "ドル", "€": "ユーロ", "£": "ポンド"}


def _value(written: str) -> int | float:
    plain = written.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def chinese_number(written: str, following: str = "") -> str:
    """`5000` → 五千, `1.5` → 一点五, `2` before a measure word → 两."""
    value = _value(written)
    counted = bool(following) and following not in ORDER_WORDS and not following.isspace() and isinstance(value, int)
    return spell("zh", value, "spellout-cardinal-alternate2" if counted else "spellout-cardinal")


def _next_character(text: str, at: int) -> str:
    rest = text[at:].lstrip()
    return rest[:1]


def _currency_pattern(names: dict[str, str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def chinese_steps() -> tuple[Step, ...]:
    currencies = _currency_pattern(CURRENCIES_ZH)

    def clock_times(text: str) -> str:
        def say(m: re.Match) -> str:
            hour, minute = int(m[1]), int(m[2])
            said = spell("zh", hour, "spellout-cardinal-alternate2" if hour == 2 else "spellout-cardinal") + "点"
            if minute == 30:
                return said + "半"
            if minute == 0:
                return said
            return said + ("零" if minute < 10 else "") + spell("zh", minute, "spellout-cardinal") + "分"

        return sub(CLOCK, say, text)

    def money(text: str) -> str:
        return sub(rf"({currencies})\s?({NUMBER}){END}",
                   lambda m: chinese_number(m[2], "元") + CURRENCIES_ZH[m[1]], text)

    def percentages(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER})\s?[%％]", lambda m: "百分之" + chinese_number(m[1]), text)

    def years(text: str) -> str:
        return sub(rf"{EDGE}(\d{{4}})\s?年", lambda m: "".join(YEAR_DIGITS[int(d)] for d in m[1]) + "年", text)

    def ranges(text: str) -> str:
        def say(m: re.Match) -> str:
            following = _next_character(text, m.end())
            return f"{chinese_number(m[1], following)}到{chinese_number(m[2], following)}"

        return sub(rf"{EDGE}({NUMBER}){RANGE}({NUMBER}){END}", say, text)

    def numbers(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER}){END}\s?", lambda m: chinese_number(m[1], _next_character(text, m.end())), text)

    return (clock_times, money, percentages, years, ranges, numbers)


def japanese_steps() -> tuple[Step, ...]:
    currencies = _currency_pattern(CURRENCIES_JA)

    def clock_times(text: str) -> str:
        return sub(CLOCK, lambda m: f"{int(m[1])}時" + (f"{int(m[2])}分" if int(m[2]) else ""), text)

    def money(text: str) -> str:
        return sub(rf"({currencies})\s?({NUMBER}){END}", lambda m: m[2].replace(",", "") + CURRENCIES_JA[m[1]], text)

    def percentages(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER})\s?[%％]", lambda m: m[1].replace(",", "") + "パーセント", text)

    def ranges(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER}){RANGE}({NUMBER}){END}", r"\1から\2", text)

    def grouping(text: str) -> str:
        return sub(rf"{EDGE}\d{{1,3}}(?:,\d{{3}})+{END}", lambda m: m.group().replace(",", ""), text)

    return (clock_times, money, percentages, ranges, grouping)


# A CJK sentence ends at 。！？ (and their half-width forms), with the closing quotes after them;
# no space follows.
SENTENCE_END = re.compile(r"([。！？!?]+[」』）”’]*)\s*(?=\S)")
