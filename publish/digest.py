"""Digests of values, files and folders: what build keys and cache keys are made of."""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Callable


def digest(*parts: object) -> str:
    """One SHA-256 over several values; bytes count as themselves, anything else by its repr."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        hashed.update(b"\x1e")
    return hashed.hexdigest()


def file_digest(path: Path | None) -> str:
    """The SHA-256 of a file's bytes, or "none" when there is no such file."""
    if path is None or not path.is_file():
        return "none"
    return files_digest(path)


def files_digest(*paths: Path) -> str:
    """The SHA-256 of the files' bytes one after the other. Voice models are tens of megabytes and
    are named in every build: a file is read again only when its size or modification time changes."""
    stats = [path.stat() for path in paths]
    return _files_digest(tuple((str(p), s.st_size, s.st_mtime_ns) for p, s in zip(paths, stats)))


@lru_cache(maxsize=256)
def _files_digest(files: tuple[tuple[str, int, int], ...]) -> str:
    large = sum(size for _, size, _ in files) >= KEPT_FROM_BYTES
    known = _kept_digests().get(repr(files)) if large else None
    if known:
        return known
    hashed = hashlib.sha256()
    for name, _, _ in files:
        with open(name, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                hashed.update(block)
    if large:
        _keep_digest(repr(files), hashed.hexdigest())
    return hashed.hexdigest()


# Voice models are tens of megabytes and every build (a no-op too) names them: their digests are
# kept between runs in the user's cache, by path, size and modification time.
KEPT_FROM_BYTES = 4_000_000


def _digests_file() -> Path:
    from publish.places import user_cache

    return user_cache() / "digests.json"


@lru_cache(maxsize=1)
def _kept_digests() -> dict[str, str]:
    import json

    try:
        kept = json.loads(_digests_file().read_text(encoding="utf-8"))
        return kept if isinstance(kept, dict) else {}
    except (OSError, ValueError):
        return {}


def _keep_digest(files: str, value: str) -> None:
    import json

    from publish.writer import write_bytes_atomic

    kept = _kept_digests()
    kept[files] = value
    try:
        write_bytes_atomic(_digests_file(), json.dumps(dict(list(kept.items())[-200:])).encode("utf-8"),
                           durable=False)
    except Exception:  # a cache: a read-only home only costs the hashing again next time
        pass


def file_fact(path: Path, what: str, find: Callable[[], str]) -> str:
    """Something learnt from a program file (its version, by running it), kept between runs like
    the large digests: asked again only when the file's path, size or modification time changes."""
    stat = path.stat()
    name = repr((what, str(path), stat.st_size, stat.st_mtime_ns))
    known = _kept_digests().get(name)
    if not known:
        known = find()
        _keep_digest(name, known)
    return known


def folder_digest(folder: Path) -> str:
    """Every file below `folder`, by relative name and bytes."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return digest(*[(str(p.relative_to(folder)), p.read_bytes()) for p in files])
