"""English text normalisation: what guides are full of (clock times, money per hour, years,
acronyms, units), turned into the words a teacher would say.

Each step is a small `str -> str` function, tested with a table of cases. Exact sounds (letters,
phonemes from the lexicon) are written as `[shown](/ipa/)`; each engine turns that into its own
way of saying exact sounds (see `publish.text.sounds`). Phone numbers and code-like tokens (`B2`,
`v2.3.1`, `555-0142`) are left for the engine as they are.
"""

from __future__ import annotations

import re
from typing import Callable


from publish.text.sounds import markup, spell
from publish.text.traced import cut, join, replace, sub

Step = Callable[[str], str]

# All-capital words that people say as words, not letter by letter. A guide's lexicon adds more.
SAID_AS_WORDS = frozenset({
    "NASA", "NATO", "NCLEX", "STEM", "SCUBA", "UNESCO", "UNICEF", "FIFA", "NASCAR", "LASER", "RADAR", "SONAR",
    "COVID", "AIDS", "ASAP", "OSHA", "FEMA", "HIPAA", "FAFSA", "TOEFL", "MOOC", "OPEC", "IKEA", "LEGO", "CAPTCHA",
    "ASCII", "PIN", "SIM", "WIFI", "ZIP", "RAM", "ROM", "CAD", "GIF", "JPEG", "NAFTA", "SWAT", "AWOL", "NOAA",
    "MIDI", "POTUS", "DARPA", "IMAX", "BAFTA", "UEFA", "ESPN", "OK",
})
SAY_INSTEAD = {"OK": "okay", "NOAA": "Noah", "ESPN": "E S P N"}

CURRENCIES = {"$": ("dollar", "dollars", "cent", "cents"), "€": ("euro", "euros", "cent", "cents"),
              "£": ("pound", "pounds", "penny", "pence")}
SCALES = {"k": "thousand", "m": "million", "mn": "million", "b": "billion", "bn": "billion"}
PER = {"hour": "an hour", "hr": "an hour", "h": "an hour", "day": "a day", "week": "a week", "wk": "a week",
       "month": "a month", "mo": "a month", "year": "a year", "yr": "a year", "annum": "a year"}
UNITS = {"km": ("kilometer", "kilometers"), "kg": ("kilogram", "kilograms"), "mph": ("mile per hour", "miles per hour"),
         "km/h": ("kilometer per hour", "kilometers per hour"), "cm": ("centimeter", "centimeters"),
         "mm": ("millimeter", "millimeters"), "lb": ("pound", "pounds"), "lbs": ("pound", "pounds"),
         "°C": ("degree Celsius", "degrees Celsius"), "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
         "kW": ("kilowatt", "kilowatts"), "MW": ("megawatt", "megawatts"), "GW": ("gigawatt", "gigawatts"),
         "ft": ("foot", "feet"), "m": ("meter", "meters")}
FRACTIONS = {"½": "one half", "⅓": "one third", "⅔": "two thirds", "¼": "one quarter", "¾": "three quarters",
             "⅕": "one fifth", "⅛": "one eighth"}

# Tokens an engine should get untouched: phone numbers, letter-digit codes, versions, markup.
PROTECTED = re.compile(r"\[[^\]]*\]\(/[^)]*/\)"  # exact sounds already chosen
                       r"|\b\d{3}[-.]\d{3}[-.]\d{4}\b|\b\d{3}-\d{4}\b"  # phone numbers
                       r"|(?<![$€£])\b[A-Za-z\d]*[A-Za-z][A-Za-z\d]*\d[A-Za-z\d]*\b"  # B2, H2O
                       r"|(?<![$€£])\b\d+[A-Za-z]*[A-Z][A-Za-z\d]*\b(?<![KMB])"  # 3D, 4G (not 120K)
                       r"|\bv?\d+(?:\.\d+){2,}\b")  # versions, dotted codes
NUMBER = r"\d[\d,]*(?:\.\d+)?"


def num2words(number, **options) -> str:
    """num2words, imported when a guide first has a number to say (a no-op build reads no number)."""
    from num2words import num2words as spell

    return spell(number, **options)


def guarded(step: Step) -> Step:
    """The step applied to the text between protected tokens only."""
    def apply(text: str) -> str:
        pieces, at = [], 0
        for match in PROTECTED.finditer(text):
            pieces.append(step(cut(text, at, match.start())))
            pieces.append(cut(text, match.start(), match.end()))
            at = match.end()
        pieces.append(step(cut(text, at)))
        return join(pieces)

    apply.__name__ = step.__name__
    apply.__doc__ = step.__doc__
    return apply


# --- numbers ---------------------------------------------------------------------------------------


def number_words(number: str) -> str:
    """`1,250` → `one thousand two hundred fifty`, `1.5` → `one point five` (US style, no "and")."""
    plain = number.replace(",", "")
    words = num2words(float(plain) if "." in plain else int(plain))
    return words.replace(" and ", " ").replace(",", "")


def year_words(year: int) -> str:
    return num2words(year, to="year").replace(" and ", " ").replace("oh-", "oh ")


def _plural(words: str) -> str:
    head, _, last = words.rpartition(" ")
    last = last[:-1] + "ies" if last.endswith("y") else last + "s"
    return f"{head} {last}".strip()


# --- steps, in the order they run ------------------------------------------------------------------


def clock_times(text: str) -> str:
    """`7:00 a.m.` → `seven A M`, `12:30 p.m.` → `twelve thirty P M`, `19:45` → `nineteen forty-five`,
    `9:00–5:30` → `nine to five thirty`, `7 am` → `seven A M`."""
    meridiem = r"(?:\s?([AaPp])\.?\s?[Mm]\.?(?![\w]))"
    time = r"(\d{1,2}):([0-5]\d)" + meridiem + "?"

    def say(hour: str, minute: str | None, half: str | None, in_range: bool) -> str:
        words = number_words(hour)
        if minute and minute != "00":
            words += " " + (f"oh {number_words(minute[1])}" if minute[0] == "0" else number_words(minute))
        elif minute == "00" and not half and not in_range:
            words += " o'clock"
        if half:
            words += " " + markup(f"{half.upper()}.M.", spell(f"{half.upper()}M"))
        return words

    def ranged(m: re.Match) -> str:
        return f"{say(m[1], m[2], m[3], True)} to {say(m[4], m[5], m[6], True)}"

    text = sub(rf"(?<![\d:]){time}\s?[-–—]\s?{time}(?![\d:])", ranged, text)
    text = sub(rf"(?<![\d:]){time}(?![\d:])", lambda m: say(m[1], m[2], m[3], False), text)
    return sub(rf"(?<![\d:.,])(\d{{1,2}}){meridiem}", lambda m: say(m[1], None, m[2], False), text)


def money(text: str) -> str:
    """`$39.50` → `thirty-nine dollars and fifty cents`, `$2.5M` → `two point five million dollars`,
    `€40K` → `forty thousand euros`, `$85K–$120K` → `eighty-five thousand to one hundred twenty thousand dollars`."""
    amount = r"([$€£])\s?(" + NUMBER + r")(?:\s?([kKmMbB][nN]?)\b)?"

    def value(number: str, scale: str | None) -> str:
        return number_words(number) + (f" {SCALES[scale.lower()]}" if scale else "")

    def one(symbol: str, number: str, scale: str | None) -> str:
        unit, units, cent, cents = CURRENCIES[symbol]
        plain = number.replace(",", "")
        if scale or "." not in plain or len(plain.split(".")[1]) != 2:
            return f"{value(number, scale)} {unit if plain in ('1', '1.0') and not scale else units}"
        whole, part = plain.split(".")
        said = f"{number_words(whole)} {unit if whole == '1' else units}"
        if int(part):
            said += f" and {number_words(str(int(part)))} {cent if part == '01' else cents}"
        return said

    def ranged(m: re.Match) -> str:
        unit = CURRENCIES[m[1]][1]
        return f"{value(m[2], m[3])} to {value(m[5], m[6])} {unit}"

    text = sub(amount + r"\s?(?:-|–|—|to)\s?" + amount, ranged, text)
    return sub(amount, lambda m: one(m[1], m[2], m[3]), text)


def per_unit(text: str) -> str:
    """`dollars/hour` → `dollars an hour`, `40/week` → `40 a week`."""
    return sub(r"\s?/\s?(" + "|".join(PER) + r")\b", lambda m: " " + PER[m[1].lower()], text, flags=re.I)


def percentages(text: str) -> str:
    """`60%` → `60 percent`; `+40%` → `40 percent`."""
    return sub(r"\+?(" + NUMBER + r")\s?%", r"\1 percent", text)


def ranges(text: str) -> str:
    """`4-7 years` → `4 to 7 years`; dates such as 2026-11-01 are left alone."""
    return sub(r"(?<![\d-])(\d+(?:\.\d+)?)\s?[-–]\s?(\d+(?:\.\d+)?)(?![\d-])", r"\1 to \2", text)


def units(text: str) -> str:
    """`5 km` → `5 kilometers`, `1 kg` → `1 kilogram`, `20°C` → `20 degrees Celsius`."""
    names = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))

    def say(m: re.Match) -> str:
        singular, plural = UNITS[m[2]]
        return f"{m[1]} {singular if m[1] == '1' else plural}"

    return sub(rf"(?<![\w.])({NUMBER})\s?({names})(?![\w/])", say, text)


def years(text: str) -> str:
    """`2026` → `twenty twenty-six` where it stands alone as a year; `1990s` → `nineteen nineties`."""
    text = sub(r"(?<![\w$€£.,'’])(1[1-9]|20)(\d0)s\b", lambda m: _plural(year_words(int(m[1] + m[2]))), text)
    return sub(r"(?<![\w$€£.,])(1[1-9]\d\d|20\d\d)(?![\w,%]|\.\d)", lambda m: year_words(int(m[1])), text)


def ordinals(text: str) -> str:
    """`3rd` → `third`, `21st` → `twenty-first`."""
    return sub(r"\b(\d+)(st|nd|rd|th)\b", lambda m: num2words(int(m[1]), to="ordinal"), text)


def fractions(text: str) -> str:
    """`½` → `one half`, `1½` → `1 and one half`."""
    for sign, words in FRACTIONS.items():
        text = replace(sub(rf"(\d)\s?{sign}", rf"\1 and {words}", text), sign, words)
    return text


def numbers(text: str) -> str:
    """Every number left becomes words, so every engine reads `2,026` and `1.5` alike."""
    return sub(rf"(?<![\w.]){NUMBER}(?![\w])", lambda m: number_words(m.group().rstrip(".,")) +
                  m.group()[len(m.group().rstrip(".,")):], text)


def latin(text: str) -> str:
    """`e.g.` → `for example`, `i.e.` → `that is`, `etc.` → `et cetera`, `vs.` → `versus`."""
    for written, said in (("e.g.", "for example"), ("i.e.", "that is"), ("etc.", "et cetera"), ("vs.", "versus")):
        text = sub(r"(?<!\w)" + re.escape(written), said, text, flags=re.I)
    return text


def symbols(text: str) -> str:
    """`&` → `and`; dashes used as pauses become commas."""
    text = replace(text, "&", " and ")
    text = sub(r"\s[—–]\s", ", ", text)
    return sub(r"\s{2,}", " ", text)


def acronyms(text: str, words: frozenset[str] = SAID_AS_WORDS) -> str:
    """All-capital tokens are spelled letter by letter (`ICU`, `RNs`, `GPU's`), unless people say
    them as words (`NASA`, `NCLEX`)."""
    def say(m: re.Match) -> str:
        letters, ending = m[1], m[2] or ""
        if letters in words:
            said = SAY_INSTEAD.get(letters, letters.capitalize())
            return said + ending
        shown = ".".join(letters) + "." + ending
        return markup(shown, spell(letters, ending))

    return sub(r"(?<![\w\[/.])([A-Z]{2,})(s|['’]s)?(?![\w\]/])", say, text)


ENGLISH: tuple[Step, ...] = tuple(guarded(step) for step in (
    clock_times, money, per_unit, percentages, ranges, units, years, ordinals, fractions, latin, symbols,
)) + (guarded(numbers), guarded(acronyms))


# --- British English ---------------------------------------------------------------------------------

PAST_TO = {5: "five", 10: "ten", 15: "quarter", 20: "twenty", 25: "twenty-five", 30: "half"}


def british_clock_times(text: str) -> str:
    """A time on the twelve-hour clock as British speech says it: `7:30` → `half past seven`,
    `7:45` → `quarter to eight`, `7:10` → `ten past seven`, `9:00` → `nine o'clock`. Times with
    a.m. or p.m., on the 24-hour clock (`19:45`, `07:30`) or between minutes (`7:23`) and ranges are
    left to the English step."""
    def say(m: re.Match) -> str:
        hour, minute = int(m[1]), int(m[2])
        if minute == 0:
            return f"{number_words(m[1])} o'clock"
        if minute <= 30:
            return f"{PAST_TO[minute]} past {number_words(m[1])}"
        return f"{PAST_TO[60 - minute]} to {number_words(str(hour % 12 + 1))}"

    return sub(r"(?<![\d:.,\-–—])(?<![\-–—]\s)(1[0-2]|[1-9]):(00|05|10|15|20|25|30|35|40|45|50|55)"
               r"(?![\d:]|\s?[-–—]\s?\d|\s?[AaPp]\.?\s?[Mm]\b)", say, text)


def british_and(text: str) -> str:
    """British numbers say "and" before their tens and units: `one hundred and twenty`, `two
    thousand and five` (the English steps write US numbers, "one hundred twenty")."""
    small = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
             r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-\w+)?")
    text = sub(rf"\bhundred (?={small}\b)", "hundred and ", text)
    return sub(rf"\bthousand (?={small}\b(?! hundred))", "thousand and ", text)


BRITISH: tuple[Step, ...] = (guarded(british_clock_times), *ENGLISH, british_and)
