"""Tables the benchmarks write into the docs, between two marker comments."""

from __future__ import annotations

from pathlib import Path


def write_between(page: Path, markers: tuple[str, str], text: str) -> None:
    before, _, rest = page.read_text(encoding="utf-8").partition(markers[0])
    _, _, after = rest.partition(markers[1])
    page.write_text(f"{before}{markers[0]}\n{text}\n{markers[1]}{after}", encoding="utf-8")
