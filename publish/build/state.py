"""What earlier builds made, and the lock that keeps two builds out of one output folder.

The state file records, for every output step of every guide (`slug/audio`, `slug/pdf-letter` …),
the key it was built from. It is the build's record of what exists: it is written only after
an output is in place, so an interrupted build is finished by the next one.
"""

from __future__ import annotations

import fcntl
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from publish import __version__
from publish.errors import BuildLockedError, OutputError
from publish.writer import write_bytes_atomic, write_text_atomic

STATE_NAME = ".publish-state.json"
LOCK_NAME = ".publish.lock"
# The source of each guide's last good build: while an edit does not load, the index and feed
# keep listing the guide as it was built last.
SOURCES_NAME = ".publish-sources"


def keep_source(output: Path, source: Path) -> None:
    write_bytes_atomic(output / SOURCES_NAME / source.name, source.read_bytes())


def last_good_source(output: Path, source: Path) -> Path | None:
    kept = output / SOURCES_NAME / source.name
    return kept if kept.is_file() else None


def state_key(slug: str, step: str) -> str:
    return f"{slug}/{step}"


def steps_of(state: dict[str, str], slug: str) -> frozenset[str]:
    prefix = f"{slug}/"
    return frozenset(key[len(prefix):] for key in state if key.startswith(prefix))


class BuildState:
    """The key of every output in place, by `slug/step`; saved after every change, so that an
    interrupted build is finished by the next one."""

    def __init__(self, output: Path):
        self.output = output
        self.keys = load_state(output)

    def key(self, slug: str, step: str) -> str | None:
        return self.keys.get(state_key(slug, step))

    def steps(self, slug: str) -> frozenset[str]:
        return steps_of(self.keys, slug)

    def record(self, slug: str, keys: dict[str, str]) -> None:
        self.keys.update({state_key(slug, step): key for step, key in keys.items()})
        save_state(self.output, self.keys)

    # The index, feed, cover and assets have one key; "@" is never in a slug.
    SITE = "@site"

    def site_key(self) -> str | None:
        return self.keys.get(self.SITE)

    def record_site(self, key: str) -> None:
        self.keys[self.SITE] = key
        save_state(self.output, self.keys)


def remove_partial_files(output: Path) -> None:
    """Temporary files of a build that was killed before it could rename them; never a finished file."""
    for partial in output.rglob(".*.part"):
        try:
            partial.unlink()
        except OSError:
            pass


def load_state(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / STATE_NAME).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("outputs", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}  # no state, or a damaged one: everything is rebuilt, which is always safe


def save_state(output: Path, state: dict[str, str]) -> None:
    write_text_atomic(output / STATE_NAME, json.dumps({"version": __version__, "outputs": state}, indent=1,
                                                      sort_keys=True) + "\n")


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(output / LOCK_NAME, "a+")
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
