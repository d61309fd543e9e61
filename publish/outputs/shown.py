"""How values are shown to readers and named to programs, the same in every format: dates,
durations, file sizes and media types."""

from __future__ import annotations

from pathlib import Path

from publish.outputs.i18n import date_text, duration_text, primary  # noqa: F401  dates and durations: by language

# Media types by file ending: for the feed, the book's manifest, the MP3's cover art and the
# preview server. EPUB 3 reading systems must show the image types listed here.
MEDIA_TYPES = {
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".json": "application/json",
    ".html": "text/html",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".pdf": "application/pdf",
    ".epub": "application/epub+zip",
}
IMAGE_TYPES = {suffix: kind for suffix, kind in MEDIA_TYPES.items() if kind.startswith("image/")}


def media_type(path: Path) -> str:
    return MEDIA_TYPES.get(path.suffix.lower(), "application/octet-stream")


def human_size(count: int, language: str = "en") -> str:
    """`1.6 MB` in English, `1,6 MB` where the locale writes a decimal comma."""
    for unit in ("bytes", "KB", "MB", "GB"):
        if count < 1000 or unit == "GB":
            if unit == "bytes":
                return f"{count:.0f} {unit}"
            shown = f"{count:.1f}"
            return f"{shown if primary(language) == 'en' else _decimal(shown, language)} {unit}"
        count /= 1000
    return ""


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
