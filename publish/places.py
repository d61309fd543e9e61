"""Where publish keeps and finds files outside a project: the user's cache folder, and the
folders of installed packages that ship data (voice models, recogniser parts)."""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from functools import lru_cache
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


@lru_cache(maxsize=None)
def package_version(distribution: str) -> str:
    """An installed distribution's version, from the name of its `.dist-info` folder: the engines'
    identities need it in every build, and importing importlib.metadata costs a no-op 20 ms."""
    wanted = _normalised(distribution)
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            stem, dot, suffix = name.rpartition(".")
            if dot and suffix == "dist-info":
                project, _, version = stem.rpartition("-")
                if project and _normalised(project) == wanted:
                    return version
    from importlib.metadata import version as metadata_version  # installed some other way

    return metadata_version(distribution)


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
