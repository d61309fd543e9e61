"""What earlier builds made, and the lock that keeps two builds out of one output folder.

The state file records, for every output step of every guide (`slug/audio`, `slug/pdf-letter` …),
the key it was built from. It is the build's record of what exists: it is written only after
an output is in place, so an interrupted build is finished by the next one.

All of it (state, the last good sources, the lock) lives beside the speech cache, in a folder of
its own for each output folder, never in the site: `output/` holds nothing but what a school
uploads. A build migrates what an older publish kept inside `output/`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from publish import __version__
from publish.errors import BuildLockedError, OutputError
from publish.outputs.base import Step
from publish.writer import write_if_changed, write_text_atomic

STATE_NAME = "state.json"
LOCK_NAME = "build.lock"
# The source of each guide's last good build: while an edit does not load, the index and feed
# keep listing the guide as it was built last.
SOURCES_NAME = "sources"
# Where publish before 0.1 kept them, inside the output folder.
OLD_NAMES = {".publish-state.json": STATE_NAME, ".publish-sources": SOURCES_NAME}
OLD_LOCK = ".publish.lock"


def state_folder(cache: Path, output: Path) -> Path:
    """The build's own folder for one output folder, under the speech cache."""
    where = str(output.resolve())
    return cache / "builds" / f"{output.name}-{hashlib.sha256(where.encode('utf-8')).hexdigest()[:12]}"


def migrate(output: Path, folder: Path) -> None:
    """Move the state an older build kept inside the site into `folder`; once, then never again."""
    for old, new in OLD_NAMES.items():
        if (output / old).exists() and not (folder / new).exists():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.move(str(output / old), str(folder / new))
        elif (output / old).is_dir():
            shutil.rmtree(output / old, ignore_errors=True)
        elif (output / old).exists():
            (output / old).unlink()
    if (output / OLD_LOCK).is_file():
        (output / OLD_LOCK).unlink()


def keep_source(folder: Path, source: Path) -> None:
    write_if_changed(folder / SOURCES_NAME / source.name, source.read_bytes())


def last_good_source(folder: Path, source: Path) -> Path | None:
    kept = folder / SOURCES_NAME / source.name
    return kept if kept.is_file() else None


# What the site's own files (index, feed, cover, assets) are recorded under: "@" is never in a slug.
SITE = "@site"


def state_key(slug: str, step: str) -> str:
    return f"{slug}/{step}"


def steps_of(state: dict[str, str], slug: str) -> frozenset[str]:
    prefix = f"{slug}/"
    return frozenset(key[len(prefix):] for key in state if key.startswith(prefix))


class BuildState:
    """The key of every output in place, by `slug/step`; saved after every change, so that an
    interrupted build is finished by the next one."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.keys = load_state(folder)

    def key(self, slug: str, step: str) -> str | None:
        return self.keys.get(state_key(slug, step))

    def steps(self, slug: str) -> frozenset[str]:
        return steps_of(self.keys, slug)

    def current(self, slug: str, step: Step, key: str, where: object) -> bool:
        """The step's output is in place, built from `key`: nothing to make."""
        return self.key(slug, step.state_name(where)) == key and all(file.path.is_file() for file in step.files(where))

    def record(self, slug: str, keys: dict[str, str]) -> None:
        self.keys.update({state_key(slug, step): key for step, key in keys.items()})
        save_state(self.folder, self.keys)


def remove_partial_files(output: Path) -> None:
    """Temporary files of a build that was killed before it could rename them; never a finished file."""
    for partial in output.rglob(".*.part"):
        try:
            partial.unlink()
        except OSError:
            pass


def load_state(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / STATE_NAME).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("outputs", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}  # no state, or a damaged one: everything is rebuilt, which is always safe


def save_state(folder: Path, state: dict[str, str]) -> None:
    write_text_atomic(folder / STATE_NAME, json.dumps({"version": __version__, "outputs": state}, indent=1,
                                                      sort_keys=True) + "\n")


@contextmanager
def build_lock(folder: Path, output: Path) -> Iterator[None]:
    """Only one build at a time writes to `output`; its lock lies in the build's `folder`."""
    try:
        output.mkdir(parents=True, exist_ok=True)
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_NAME, "a+")
    except OSError as error:
        raise OutputError(f"cannot write to {output} ({error.strerror}) — check the folder and its permissions, "
                          "or choose another with --output") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError(f"another build ({holder}) is writing to {output} — wait for it to finish, "
                                   "or build into another folder with --output") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
