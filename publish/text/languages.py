"""Spoken-text rules for guides in Spanish, French, Italian and Brazilian Portuguese: the same small
`str -> str` steps as the English ones, built from one table per language.

Numbers are read in the locale's own format (in Spanish `1.500` is one thousand five hundred and
`1,5` one and a half; in French `1 500` and `1,5`) and spelled with CLDR's rules through
`unicode-rbnf`. Money, percentages, clock times, ranges, units and ordinals come from the tables.
What is not covered: grammatical gender beyond "un/una" (Spanish `500 personas` is said
"quinientos personas"), and acronyms, which the voice's phonemiser reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from publish.text.traced import replace, sub

Step = Callable[[str], str]


@dataclass(frozen=True)
class Rules:
    language: str
    group: str  # the thousands separator, as a regex character class
    decimal: str
    currencies: dict[str, tuple[str, str]]  # symbol or code → (one, many)
    percent: str
    to: str  # between the two ends of a range
    ordinals: str  # regex for an ordinal's ending after its digits, e.g. `º|ª|\.º`
    feminine_ordinal: str  # an ending that makes the ordinal feminine
    units: dict[str, tuple[str, str]]
    abbreviations: dict[str, str] = field(default_factory=dict)  # written → said
    clock: Callable[["Rules", int, int], str] | None = None
    and_word: str = "y"
    from_word: str = ""  # before a range's first end: Italian `tra due e quattro`, Portuguese `de dois a quatro`


@lru_cache(maxsize=8)
def _engine(language: str):
    from unicode_rbnf import RbnfEngine

    return RbnfEngine.for_language(language)


def spell(language: str, number: int | float, ruleset: str = "spellout-cardinal-masculine") -> str:
    result = _engine(language).format_number(number)
    return result.text_by_ruleset.get(ruleset, result.text)


def ordinal(language: str, number: int, feminine: bool) -> str:
    from unicode_rbnf import FormatPurpose

    result = _engine(language).format_number(number, FormatPurpose.ORDINAL)
    wanted = "spellout-ordinal-feminine" if feminine else "spellout-ordinal-masculine"
    return result.text_by_ruleset.get(wanted, result.text)


def number_pattern(rules: Rules) -> str:
    """A number as the locale writes it: grouped thousands (`1.500`, `1 500`) or plain digits, with
    an optional decimal part."""
    return rf"\d{{1,3}}(?:{rules.group}\d{{3}})+(?:{re.escape(rules.decimal)}\d+)?|\d+(?:{re.escape(rules.decimal)}\d+)?"


def value_of(rules: Rules, written: str) -> int | float:
    plain = re.sub(rules.group, "", written).replace(rules.decimal, ".")
    return float(plain) if "." in plain else int(plain)


def say_number(rules: Rules, written: str, before_noun: bool = False) -> str:
    # Italian's cardinal rules give the form before a noun (`un anno`, `ventun anni`); alone it is `uno`.
    value = value_of(rules, written)
    alone = rules.language == "it" and not (before_noun and isinstance(value, int))
    words = spell(rules.language, value, "spellout-numbering" if alone else "spellout-cardinal-masculine")
    if before_noun and rules.language == "es":  # `un euro`, `veintiún años`
        words = re.sub(r"veintiuno$", "veintiún", re.sub(r"\buno$", "un", words))
    return words


def say_range(rules: Rules, first: str, second: str) -> str:
    start = f"{rules.from_word} " if rules.from_word else ""
    return f"{start}{say_number(rules, first, True)} {rules.to} {second}"


def steps(rules: Rules) -> tuple[Step, ...]:
    number = number_pattern(rules)
    edge = r"(?<![\w.,])"
    end = r"(?![\w])"

    def money(text: str) -> str:
        names = "|".join(re.escape(c) for c in sorted(rules.currencies, key=len, reverse=True))

        def say(amount: str, currency: str) -> str:
            one, many = rules.currencies[currency]
            value = value_of(rules, amount)
            return f"{say_number(rules, amount, True)} {one if value == 1 else many}"

        def ranged(m: re.Match) -> str:
            return say_range(rules, m[1], say(m[2], m[3]))

        text = sub(rf"{edge}({number})\s?[-–]\s?({number})\s?({names})(?![\w])", ranged, text)
        text = sub(rf"({names})\s?({number}){end}", lambda m: say(m[2], m[1]), text)
        return sub(rf"{edge}({number})\s?({names})(?![\w])", lambda m: say(m[1], m[2]), text)

    def percentages(text: str) -> str:
        return sub(rf"{edge}({number})\s?%", lambda m: f"{say_number(rules, m[1])} {rules.percent}", text)

    def clock_times(text: str) -> str:
        return say_clock_times(rules, text)

    def ranges(text: str) -> str:
        return sub(rf"{edge}({number})\s?[-–]\s?({number}){end}",
                   lambda m: say_range(rules, m[1], say_number(rules, m[2], _noun_follows(text, m.end()))), text)

    def ordinals(text: str) -> str:
        return sub(rf"\b(\d+)({rules.ordinals})(?!\w)",
                   lambda m: ordinal(rules.language, int(m[1]), bool(re.fullmatch(rules.feminine_ordinal, m[2]))),
                   text)

    def units(text: str) -> str:
        names = "|".join(re.escape(u) for u in sorted(rules.units, key=len, reverse=True))

        def say(m: re.Match) -> str:
            one, many = rules.units[m[2]]
            return f"{say_number(rules, m[1], True)} {one if value_of(rules, m[1]) == 1 else many}"

        return sub(rf"{edge}({number})\s?({names})(?![\w/])", say, text)

    def abbreviations(text: str) -> str:
        for written, said in rules.abbreviations.items():
            text = sub(r"(?<!\w)" + re.escape(written) + r"(?!\w)", said, text, flags=re.I)
        return replace(text, "&", f" {rules.and_word} ")

    def numbers(text: str) -> str:
        return sub(rf"{edge}({number}){end}", lambda m: say_number(rules, m[1], _noun_follows(text, m.end())), text)

    return (abbreviations, clock_times, money, percentages, units, ranges, ordinals, numbers)


# `7:30`, `7 h 30`, `7h30` (the trailing `h` of `19:45 h` too).
CLOCK_TIME = r"(?<![\d:])(\d{1,2})(?::|\s?h\s?)([0-5]\d)(?:\s?h\b)?(?![\d:])"


def say_clock_times(rules: Rules, text: str) -> str:
    """Clock times in words, by the language's rule (the listen-back reads the recogniser's with it)."""
    say_clock = rules.clock
    if say_clock is None:
        return text
    return sub(CLOCK_TIME, lambda m: say_clock(rules, int(m[1]), int(m[2])), text)


def _noun_follows(text: str, at: int) -> bool:
    return bool(re.match(r"\s+[^\W\d]", str.__getitem__(text, slice(at, at + 3))))


def spanish_clock(rules: Rules, hour: int, minute: int) -> str:
    """`7:30` → `siete y media`, `7:15` → `siete y cuarto`, `13:00` → `trece horas`, `1:05` → `una y cinco`."""
    said = spell("es", hour, "spellout-cardinal-feminine")
    if minute == 0:
        return said + (" horas" if hour > 12 or hour == 0 else "")
    named = {15: "cuarto", 30: "media"}
    return f"{said} y {named.get(minute) or spell('es', minute)}"


def french_clock(rules: Rules, hour: int, minute: int) -> str:
    """`7:30` and `7 h 30` → `sept heures trente`, `1:00` → `une heure`."""
    said = spell("fr", hour, "spellout-cardinal-feminine")
    words = f"{said} {'heure' if hour == 1 else 'heures'}"
    return words + (f" {spell('fr', minute, 'spellout-cardinal-feminine')}" if minute else "")


SPANISH = Rules(
    language="es", group=r"\.", decimal=",", percent="por ciento", to="a",
    currencies={"€": ("euro", "euros"), "EUR": ("euro", "euros"), "euros": ("euro", "euros"),
                "US$": ("dólar", "dólares"), "$": ("dólar", "dólares"), "USD": ("dólar", "dólares"),
                "dólares": ("dólar", "dólares"), "MXN": ("peso", "pesos"), "pesos": ("peso", "pesos")},
    ordinals=r"\.?º|\.?ª|\.?o|\.?a|\.?er", feminine_ordinal=r"\.?ª|\.?a",
    units={"km": ("kilómetro", "kilómetros"), "kg": ("kilo", "kilos"), "cm": ("centímetro", "centímetros"),
           "m": ("metro", "metros"), "h": ("hora", "horas"), "°C": ("grado", "grados")},
    abbreviations={"p. ej.": "por ejemplo", "etc.": "etcétera", "aprox.": "aproximadamente", "Sr.": "señor",
                   "Sra.": "señora", "Dr.": "doctor", "Dra.": "doctora", "EE. UU.": "Estados Unidos"},
    clock=spanish_clock, and_word="y")

FRENCH = Rules(
    language="fr", group=r"[\u00a0\u202f ]", decimal=",", percent="pour cent", to="à",
    currencies={"€": ("euro", "euros"), "EUR": ("euro", "euros"), "euros": ("euro", "euros"),
                "$": ("dollar", "dollars"), "CHF": ("franc suisse", "francs suisses")},
    ordinals=r"er|re|e|ème|ᵉ", feminine_ordinal=r"re",
    units={"km": ("kilomètre", "kilomètres"), "kg": ("kilo", "kilos"), "cm": ("centimètre", "centimètres"),
           "m": ("mètre", "mètres"), "°C": ("degré", "degrés")},
    abbreviations={"p. ex.": "par exemple", "etc.": "et cetera", "env.": "environ", "M.": "monsieur",
                   "Mme": "madame"},
    clock=french_clock, and_word="et")


def italian_clock(rules: Rules, hour: int, minute: int) -> str:
    """`7:30` → `sette e mezza`, `7:15` → `sette e un quarto`, `2:00` → `due`, `1:00` → `l'una`."""
    said = "l'una" if hour == 1 else spell("it", hour)
    named = {0: "", 15: " e un quarto", 30: " e mezza", 45: " e tre quarti"}
    return said + (named[minute] if minute in named else f" e {spell('it', minute)}")


def portuguese_clock(rules: Rules, hour: int, minute: int) -> str:
    """`7:30` → `sete e meia`, `7:00` → `sete horas`, `13:15` → `treze e quinze`, `1:00` → `uma hora`."""
    said = spell("pt", hour, "spellout-cardinal-feminine")
    if minute == 0:
        return f"{said} {'hora' if hour == 1 else 'horas'}"
    return f"{said} e {'meia' if minute == 30 else spell('pt', minute, 'spellout-cardinal-feminine')}"


ITALIAN = Rules(
    language="it", group=r"\.", decimal=",", percent="per cento", to="e", from_word="tra",
    currencies={"€": ("euro", "euro"), "EUR": ("euro", "euro"), "euro": ("euro", "euro"),
                "$": ("dollaro", "dollari"), "USD": ("dollaro", "dollari"), "dollari": ("dollaro", "dollari")},
    ordinals=r"\.?º|\.?ª|°", feminine_ordinal=r"\.?ª",
    units={"km": ("chilometro", "chilometri"), "kg": ("chilo", "chili"), "cm": ("centimetro", "centimetri"),
           "m": ("metro", "metri"), "°C": ("grado", "gradi")},
    abbreviations={"ad es.": "ad esempio", "p. es.": "per esempio", "ecc.": "eccetera", "etc.": "eccetera",
                   "Sig.ra": "signora", "Sig.": "signor", "Dott.ssa": "dottoressa", "Dott.": "dottor"},
    clock=italian_clock, and_word="e")

PORTUGUESE = Rules(
    language="pt", group=r"\.", decimal=",", percent="por cento", to="a", from_word="de",
    currencies={"R$": ("real", "reais"), "reais": ("real", "reais"), "€": ("euro", "euros"), "euros": ("euro", "euros"),
                "US$": ("dólar", "dólares"), "$": ("dólar", "dólares"), "dólares": ("dólar", "dólares")},
    ordinals=r"\.?º|\.?ª|\.?o|\.?a", feminine_ordinal=r"\.?ª|\.?a",
    units={"km": ("quilômetro", "quilômetros"), "kg": ("quilo", "quilos"), "cm": ("centímetro", "centímetros"),
           "m": ("metro", "metros"), "°C": ("grau", "graus")},
    abbreviations={"p. ex.": "por exemplo", "etc.": "etcétera", "Sr.": "senhor", "Sra.": "senhora", "Dr.": "doutor",
                   "Dra.": "doutora"},
    clock=portuguese_clock, and_word="e")


RULES = {"es": SPANISH, "fr": FRENCH, "it": ITALIAN, "pt": PORTUGUESE}

# Abbreviations after which a full stop does not end a sentence, by language.
NO_BREAK_AFTER = {
    "es": ("p. ej.", "etc.", "aprox.", "Sr.", "Sra.", "Dr.", "Dra.", "EE. UU.", "núm.", "pág."),
    "fr": ("p. ex.", "etc.", "env.", "M.", "Mme.", "Dr.", "n°."),
    "it": ("ad es.", "p. es.", "ecc.", "etc.", "Sig.", "Sig.ra", "Dott.", "Dott.ssa", "n."),
    "pt": ("p. ex.", "etc.", "Sr.", "Sra.", "Dr.", "Dra.", "n.º"),
}
