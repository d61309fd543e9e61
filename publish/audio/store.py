"""What finishing keeps of a lesson between builds, beside the clip cache: each piece's measurements,
its levelled samples and its MP3 frames, every entry keyed by what went into it (`entry_key`), and
the levels each lesson was last made at.

An edit then measures and encodes only the pieces it touches: the rest of the lesson comes from
here. Each entry carries a checksum; a damaged one is made again, never joined into a lesson.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from publish.writer import write_bytes_atomic

log = logging.getLogger(__name__)

# Bump when what an entry holds, or how it is made, changes: old entries are then not read.
FORMAT = "1"
MAGIC = b"PUBPIECE"


def entry_key(kind: str, *parts: object) -> str:
    """The key of an entry: its kind, this format, and everything that went into it."""
    material = "\x1f".join([kind, FORMAT, *map(str, parts)])
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class LessonStore:
    def __init__(self, cache_folder: Path):
        self.folder = cache_folder / "lessons"

    def _path(self, kind: str, key: str) -> Path:
        return self.folder / kind / key[:2] / key

    def get(self, kind: str, key: str) -> bytes | None:
        path = self._path(kind, key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        payload = data[len(MAGIC) + 32:]
        if data[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != data[len(MAGIC):len(MAGIC) + 32]:
            log.warning("a kept piece of a lesson (%s %s) is damaged; making it again", kind, key[:12])
            path.unlink(missing_ok=True)
            return None
        return payload

    def put(self, kind: str, key: str, payload: bytes) -> None:
        write_bytes_atomic(self._path(kind, key), MAGIC + hashlib.sha256(payload).digest() + payload, durable=False)

    def held(self, lesson: str) -> dict[str, list[float]]:
        """The levels the lesson was last made at, by voice (none: never made, or unreadable)."""
        try:
            found = json.loads(self._path("held", lesson).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(found, dict):
            return {}
        return {voice: [float(v) for v in values] for voice, values in found.items()
                if isinstance(values, list) and len(values) == 2 and all(isinstance(v, (int, float)) for v in values)}

    def hold(self, lesson: str, levels: dict[str, list[float]]) -> None:
        data = json.dumps(levels, sort_keys=True).encode("utf-8")
        write_bytes_atomic(self._path("held", lesson), data, durable=False)
