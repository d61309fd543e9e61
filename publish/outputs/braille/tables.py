"""Which liblouis table writes a guide's language: the standard code of that language's braille
authority, contracted (grade 2) or uncontracted (grade 1). docs/braille.md says why each was chosen.

A language is looked up by its full tag first (`pt-BR`), then by its primary language (`pt`).
"""

from __future__ import annotations

from dataclasses import dataclass

from publish.errors import BrailleError

# Lets liblouis read Unicode braille as dots, so the same table list also back-translates what it wrote.
UNICODE_PATTERNS = "braille-patterns.cti"


@dataclass(frozen=True)
class BrailleTable:
    language: str  # as the lookup found it: `en`, `pt-br`
    code: str  # the braille code, as its authority names it
    table: str  # the liblouis table file
    hyphenation: str  # liblouis's hyphenation dictionary for the language: where a long word may be divided
    contracted: bool
    # Signs of the code itself, in Unicode braille; empty where the code has none publish knows of.
    note_open: str = ""  # opening transcriber's note indicator
    note_close: str = ""
    continuation: str = ""  # ends a braille line inside an address divided between lines

    @property
    def files(self) -> tuple[str, ...]:
        return (self.table, UNICODE_PATTERNS)


def _ueb(table: str, contracted: bool) -> BrailleTable:
    # UEB's transcriber's note indicators (dots 4-46-126 … 4-46-345) and its line continuation
    # indicator (dot 5), which divides a long address without a hyphen that is not in print.
    return BrailleTable("en", "Unified English Braille (UEB)", table, "hyph_en_US.dic", contracted,
                        "⠈⠨⠣", "⠈⠨⠜", "⠐")


# (language, grade) → table. Spanish, Italian and Brazilian Portuguese are read uncontracted: their
# authorities' standard codes for school material are (docs/braille.md), so grade 2 gives the same.
_SPANISH = BrailleTable("es", "Signografía básica (Comisión Braille Española)", "es-g1.ctb", "hyph_es_ES.dic", False)
_ITALIAN = BrailleTable("it", "Braille italiano a 6 punti", "it-it-comp6.utb",
                        "hyph_it_IT.dic", False)
_BRAZILIAN = BrailleTable("pt-br", "Grafia Braille para a Língua Portuguesa", "pt-pt-g1.utb", "hyph_pt_PT.dic", False)
TABLES: dict[tuple[str, int], BrailleTable] = {
    ("en", 2): _ueb("en-ueb-g2.ctb", True),
    ("en", 1): _ueb("en-ueb-g1.ctb", False),
    ("es", 2): _SPANISH,
    ("es", 1): _SPANISH,
    ("fr", 2): BrailleTable("fr", "Braille français abrégé (CBFU 2008)", "fr-bfu-g2.ctb", "hyph_fr_FR.dic", True),
    ("fr", 1): BrailleTable("fr", "Braille français intégral (CBFU 2008)", "fr-bfu-comp6.utb", "hyph_fr_FR.dic",
                            False),
    ("it", 2): _ITALIAN,
    ("it", 1): _ITALIAN,
    ("pt", 2): BrailleTable("pt", "Grafia Braille para a Língua Portuguesa (abreviada)", "pt-pt-g2.ctb",
                            "hyph_pt_PT.dic", True),
    ("pt", 1): BrailleTable("pt", "Grafia Braille para a Língua Portuguesa", "pt-pt-g1.utb", "hyph_pt_PT.dic", False),
    ("pt-br", 2): _BRAZILIAN,
    ("pt-br", 1): _BRAZILIAN,
}


def table_for(language: str, grade: int, where: str = "") -> BrailleTable:
    """The table for a guide's language; a clear error naming the language where there is none."""
    tag = language.replace("_", "-").lower()
    for key in (tag, tag.split("-")[0]):
        if (key, grade) in TABLES:
            return TABLES[(key, grade)]
    raise BrailleError(f"{where + ': ' if where else ''}{no_table(language)}")


def no_table(language: str) -> str:
    """What a guide in a language with no braille table is told."""
    known = sorted({language for language, _ in TABLES})
    return (f"no braille table for {language_name(language)} (`language: {language}`), so no braille edition "
            f"is made — braille is made for {', '.join(known)} (docs/braille.md)")


def has_table(language: str) -> bool:
    """Whether the language has a braille table here (every one that has one has both grades)."""
    tag = language.replace("_", "-").lower()
    return any((key, 1) in TABLES for key in (tag, tag.split("-")[0]))


def language_name(language: str) -> str:
    """`German`, as the error names the language (English: publish's own messages are English)."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).get_display_name("en") or language
    except (UnknownLocaleError, ValueError):
        return language
