"""Every fixed word a reader sees, in the guide's language: gettext catalogs read with Babel, and
dates and durations in the locale's own form.

The catalogs are `locale/<language>.po` beside this module (English is the source: its words are
the message ids). They are compiled in memory when first used, so there is no build step and no
binary file in the source. A language without a catalog reads English.
"""

from __future__ import annotations

import gettext
from datetime import date
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Callable

LOCALES = Path(__file__).resolve().parent / "locale"


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is defined; it is translated where it is shown."""
    return message


def primary(language: str) -> str:
    return language.replace("_", "-").split("-")[0].lower()


def same_language(one: str, other: str) -> bool:
    """Two language tags naming one language (`pt-BR` and `pt-br`); `en` and `en-GB` are two."""
    return one.replace("_", "-").lower() == other.replace("_", "-").lower()


def language_name(language: str) -> str:
    """The language as its own speakers name it ("español", "português (Brasil)"): how a list
    of languages is shown, so each reader finds their own."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language.replace("-", "_")).get_display_name() or language
    except (UnknownLocaleError, ValueError):
        return language


def catalog_names(language: str) -> tuple[str, ...]:
    """The catalogs that may hold the language's words, most particular first: `pt-BR` reads
    `pt_BR.po`; `zh-CN` and `zh` read `zh_Hans.po` and `pt-PT` reads `pt_BR.po` (by CLDR's likely
    script and region, the language's own before the bare language's); `en-GB` reads `en_GB.po`,
    which gives only the words British English says otherwise (the rest stay the English ids)."""
    from babel.core import get_global, parse_locale

    try:
        code, territory, script = parse_locale(language.replace("-", "_"))[:3]
    except ValueError:
        return (primary(language),)
    code = code.lower()
    likely = get_global("likely_subtags")
    own = parse_locale(likely.get(f"{code}_{territory}", likely.get(code, code)))
    bare = parse_locale(likely.get(code, code))
    names = (f"{code}_{territory}", f"{code}_{script or own[2] or bare[2]}", code, f"{code}_{bare[1]}")
    return tuple(dict.fromkeys(name for name in names if not name.endswith("_None")))


def catalog_path(language: str) -> Path | None:
    return next((path for name in catalog_names(language) if (path := LOCALES / f"{name}.po").is_file()), None)


@lru_cache(maxsize=16)
def translations(language: str) -> gettext.NullTranslations:
    path = catalog_path(language)
    if path is None:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=path.stem)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translator(language: str) -> Callable[[str], str]:
    """`_` for the language: a message id → its translation (the id itself where there is none)."""
    return translations(language).gettext


def phrase(language: str) -> Callable[..., str]:
    """`_` with named values, for templates that show several languages on one page (the index)."""
    translate = translator(language)

    def say(message: str, **values: object) -> str:
        return translate(message) % values if values else translate(message)

    return say


def date_text(day: date, language: str = "en") -> str:
    """`20 November 2026`, `20 de noviembre de 2026`, `20 novembre 2026`: as every format shows a
    guide's date."""
    if primary(language) == "en":
        return f"{day.day} {day:%B %Y}"
    from babel.dates import format_date

    return format_date(day, format="long", locale=babel_locale(language))


def duration_text(seconds: float, language: str = "en") -> str:
    minutes, secs = divmod(int(seconds), 60)  # as players show it: whole seconds, not rounded
    return translator(language)(N_("%(minutes)d min %(seconds)02d s")) % {"minutes": minutes, "seconds": secs}


# Words shown from layers below this one (paper sizes), and by the index's cards, each in its
# guide's language (`entry._` in index.html.j2).
ELSEWHERE = (N_("US Letter"), N_("A4"), N_("This guide's latest changes could not be built; what is listed here is its "
                                         "last good build."), N_("Audio lesson %(duration)s"), N_("Audio not built yet"))
# The site's stock description (config.py), said in each other language's feed; the career fields
# a guide may name (guide/fields.py FIELDS: the same labels, which a test keeps equal).
ELSEWHERE_TOO = (N_("Career guides and audio lessons for students."),
                 N_("Agriculture and natural resources"), N_("Arts, media and design"), N_("Business and finance"),
                 N_("Construction and trades"), N_("Education"), N_("Energy and utilities"), N_("Health care"),
                 N_("Hospitality and food"), N_("Law and public safety"), N_("Manufacturing"),
                 N_("Government and public service"), N_("Science and engineering"),
                 N_("Social and community services"), N_("Computing and technology"), N_("Transport and logistics"))


def babel_locale(language: str) -> str:
    """The guide's language as Babel names its locale (`pt_BR`, `zh_Hans`), its primary language
    where Babel has no data for the tag."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(language.replace("-", "_")))
    except (UnknownLocaleError, ValueError):
        return primary(language)
