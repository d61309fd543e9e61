"""Atomic writes: a file appears under its final name complete, or not at all.

Everything lands in a temporary file in the same folder, is flushed to disk, then renamed over
the target, so an interrupted build leaves the previous version intact.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from publish.errors import OutputError


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


def write_if_changed(target: Path, data: bytes) -> None:
    """Write `data` unless the file already holds exactly it (its date then still says when it changed)."""
    try:
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            return
    except OSError:
        pass
    write_bytes_atomic(target, data)


def write_text_atomic(target: Path, text: str) -> None:
    write_bytes_atomic(target, text.encode("utf-8"))


def _discard(temp: str) -> None:
    try:
        os.unlink(temp)
    except OSError:
        pass
