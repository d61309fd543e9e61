"""How values are shown to readers, the same in every format: dates, durations, file sizes and
voice credits (a file's media type is its `File`'s)."""

from __future__ import annotations

from pathlib import Path

from publish.outputs.i18n import date_text, duration_text, primary  # noqa: F401  dates and durations: by language


def human_size(count: int, language: str = "en") -> str:
    """`1.6 MB` in English, `1,6 MB` where the locale writes a decimal comma."""
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            if unit == "bytes":
                return f"{size:.0f} bytes" if primary(language) == "en" else _bytes(int(size), language)
            shown = f"{size:.1f}"
            return f"{shown if primary(language) == 'en' else _decimal(shown, language)} {unit}"
        size /= 1000
    return ""


def _bytes(count: int, language: str) -> str:
    """`462 octets`, `462字节`, `462 बाइट`: the locale's own word (CLDR's), where English says bytes."""
    from babel.units import format_unit

    from publish.outputs.i18n import babel_locale

    return format_unit(count, "digital-byte", length="long", locale=babel_locale(language))


def _decimal(shown: str, language: str) -> str:
    from babel.numbers import get_decimal_symbol

    return shown.replace(".", get_decimal_symbol(primary(language)))


def voice_text(voice: str) -> str:
    """A voice as a credit names it: `kokoro:am_michael` → "Kokoro am_michael"; a voice file by its
    name alone (never a path on the machine that built it)."""
    engine, _, name = voice.partition(":")
    name, plus, variant = name.partition("+")
    if "/" in name or name.endswith(".onnx"):
        name = Path(name).name.removesuffix(".onnx")
    return f"{engine.capitalize()} {name}" + (f" ({variant})" if plus else "")
