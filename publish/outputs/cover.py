"""A plain cover drawn with the title, for the feed, the book and the catalog when none is given."""

from __future__ import annotations


def title_cover(title: str, size: tuple[int, int], margin: int = 120) -> bytes:
    """A plain PNG cover: the title in white on the site's blue, two words on the first line
    (`margin`: the space left and right of the title, in pixels)."""
    import io

    from PIL import Image, ImageDraw, ImageFont

    width, height = size
    image = Image.new("RGB", size, "#1b4d7a")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=width * 120 // 1400)
    lines = _cover_lines(title, draw, font, width - 2 * margin)
    draw.multiline_text((margin, height * 2 // 5), "\n".join(lines), fill="#ffffff", font=font, spacing=width // 45)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _cover_lines(title: str, draw, font, width: int) -> list[str]:
    """The title in lines that fit the cover's width, broken between words."""
    lines: list[str] = []
    for word in title.split():
        trial = f"{lines[-1]} {word}" if lines else word
        if lines and draw.textlength(trial, font=font) <= width:
            lines[-1] = trial
        else:
            lines.append(word)
    return lines
