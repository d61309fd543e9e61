"""Where publish keeps and finds files outside a project: the user's cache folder, and the
folders of installed packages that ship data (voice models, recogniser parts)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def user_cache() -> Path:
    """`~/.cache/publish`, or `$XDG_CACHE_HOME/publish`: what can be made again (joined models,
    file digests), never what a build needs to find as it left it."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "publish"


def package_folder(package: str) -> Path | None:
    """The folder of an installed package, found without importing it; None when it is not installed."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(spec.submodule_search_locations[0])
