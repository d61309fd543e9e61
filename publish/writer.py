"""Atomic writes: a file appears under its final name complete, or not at all; and the build's one
`Writer`, which knows what it wrote.

Everything lands in a temporary file in the same folder, is flushed to disk, then renamed over
the target, so an interrupted build leaves the previous version intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from publish.errors import InternalError, OutputError


class Writer:
    """Every file a build makes goes through here, as Pelican's writer does: it records what it
    wrote (the live preview reloads the pages in that set) and refuses a second file at a path
    already written in this build (two outputs claiming one file are a bug, never a silent loss)."""

    def __init__(self) -> None:
        self.claimed: set[Path] = set()
        self.written: set[Path] = set()  # changed on disk: written anew, or removed

    def write_all(self, made: dict[Path, bytes]) -> None:
        """Each file atomically, in the order given; a file that already holds exactly its bytes is left alone."""
        for path in made:
            if path in self.claimed:
                raise InternalError(f"two outputs of one build both make {path} — report it")
        for path, data in made.items():
            self.claimed.add(path)
            if write_if_changed(path, data):
                self.written.add(path)

    def remove_all(self, paths: list[Path]) -> None:
        """Files an output no longer makes; a folder they leave empty goes too."""
        for path in paths:
            path.unlink(missing_ok=True)
            self.written.add(path)
            if not any(path.parent.iterdir()):
                path.parent.rmdir()


def write_bytes_atomic(target: Path, data: bytes, durable: bool = True) -> None:
    """Write `data` to `target` all at once. `durable` also waits until it is on the disk: for
    outputs, not for cache entries, which carry a checksum and are simply made again if lost."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    except OSError as error:
        raise OutputError(f"cannot write in {target.parent} ({error.strerror}) — check the folder exists "
                          "and that you may write there") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, target)
    except OSError as error:
        _discard(temp)
        raise OutputError(f"cannot write {target} ({error.strerror}) — free some disk space or check "
                          "permissions; the previous version was left untouched") from None
    except BaseException:
        _discard(temp)
        raise


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write `data` unless the file already holds exactly it (its date then still says when it
    changed); whether it was written."""
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return False
    except OSError:
        pass
    write_bytes_atomic(target, data)
    return True


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def _discard(temp: str) -> None:
    try:
        os.unlink(temp)
    except OSError:
        pass
