"""Spoken-text rules for Hindi guides: numbers in words by CLDR's rules (unicode-rbnf), read in
Indian grouping (`1,50,000`: एक लाख पचास हज़ार) as well as the international one; money in rupees;
clock times as Hindi says them (`8 बजे`: आठ बजे, `7:30`: साढ़े सात बजे, `7:15`: सवा सात बजे,
`7:45`: पौने आठ बजे, `1:30`: डेढ़ बजे, `2:30`: ढाई बजे); ranges (`2-3 साल`: दो से तीन साल) and
percentages (प्रतिशत). A sentence ends at the danda `।` as at `?` and `!`.
"""

from __future__ import annotations

import re
from typing import Callable

from publish.text.languages import spell
from publish.text.traced import sub

Step = Callable[[str], str]

# Indian grouping (`1,50,000`) or international (`150,000`), or plain digits, with a decimal part.
NUMBER = r"\d{1,3}(?:,\d{2,3})+(?:\.\d+)?|\d+(?:\.\d+)?"
EDGE = r"(?<![\d.,])"
END = r"(?![\d.,]\d|\d)"
HALF_PAST = {1: "डेढ़", 2: "ढाई"}
RUPEES = r"₹|Rs\.?|रु\.?|INR"


def hindi_number(written: str) -> str:
    plain = written.replace(",", "")
    return spell("hi", float(plain) if "." in plain else int(plain), "spellout-cardinal")


def hindi_clock(hour: int, minute: int) -> str:
    """The hour with Hindi's quarter words, `बजे` after it (a 24-hour hour is said as it is)."""
    if minute == 0:
        return f"{spell('hi', hour)} बजे"
    if minute == 30:
        return f"{HALF_PAST.get(hour) or 'साढ़े ' + spell('hi', hour)} बजे"
    if minute == 15:
        return f"सवा {spell('hi', hour)} बजे"
    if minute == 45:
        return f"पौने {spell('hi', hour % 12 + 1 if hour < 13 else hour + 1)} बजे"
    return f"{spell('hi', hour)} बजकर {spell('hi', minute)} मिनट"


def steps() -> tuple[Step, ...]:
    def clock_times(text: str) -> str:
        text = sub(rf"{EDGE}(\d{{1,2}}):([0-5]\d)(?:\s?बजे)?{END}", lambda m: hindi_clock(int(m[1]), int(m[2])), text)
        return sub(rf"{EDGE}(\d{{1,2}})\s?बजे", lambda m: hindi_clock(int(m[1]), 0), text)

    def money(text: str) -> str:
        def say(amount: str) -> str:
            return f"{hindi_number(amount)} {'रुपया' if amount == '1' else 'रुपये'}"

        text = sub(rf"(?:{RUPEES})\s?({NUMBER}){END}", lambda m: say(m[1]), text)
        return sub(rf"\$\s?({NUMBER}){END}", lambda m: f"{hindi_number(m[1])} डॉलर", text)

    def percentages(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER})\s?%", lambda m: f"{hindi_number(m[1])} प्रतिशत", text)

    def ranges(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER})\s?[-–]\s?({NUMBER}){END}",
                   lambda m: f"{hindi_number(m[1])} से {hindi_number(m[2])}", text)

    def numbers(text: str) -> str:
        return sub(rf"{EDGE}({NUMBER}){END}", lambda m: hindi_number(m[1]), text)

    return (clock_times, money, percentages, ranges, numbers)


# A sentence ends at the danda (and the double danda), as at ? and !, before the next word.
SENTENCE_END = re.compile(r"([।॥?!]+[\"'”’)]*)\s+(?=\S)")
