"""Digests (publish.digest): a voice model is hashed once, then known by its path, size and time."""

from __future__ import annotations

import hashlib
import json
import os

from publish import digest


def fresh_caches() -> None:
    digest._kept_digests.cache_clear()
    digest._files_digest.cache_clear()


def test_a_large_files_digest_is_kept_between_runs_until_the_file_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh_caches()
    model = tmp_path / "voice.onnx"
    model.write_bytes(os.urandom(5_000_000))
    real = hashlib.sha256(model.read_bytes()).hexdigest()
    assert digest.files_digest(model) == real
    kept_file = tmp_path / "cache" / "publish" / "digests.json"
    kept = json.loads(kept_file.read_text(encoding="utf-8"))
    assert list(kept.values()) == [real]
    # A later run takes the kept value without reading the file (shown by a planted value)...
    kept_file.write_text(json.dumps({key: "planted" for key in kept}), encoding="utf-8")
    fresh_caches()
    assert digest.files_digest(model) == "planted"
    # ...until the file changes: a new time (or size) means hashing it again.
    os.utime(model, ns=(model.stat().st_atime_ns, model.stat().st_mtime_ns + 1_000_000_000))
    fresh_caches()
    assert digest.files_digest(model) == real


def test_small_files_are_hashed_every_time_and_not_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh_caches()
    small = tmp_path / "intro.wav"
    small.write_bytes(b"RIFF" + os.urandom(1000))
    assert digest.files_digest(small) == hashlib.sha256(small.read_bytes()).hexdigest()
    assert not (tmp_path / "cache" / "publish" / "digests.json").exists()


def test_a_programs_version_is_asked_once_and_again_when_the_program_changes(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fresh_caches()
    program = tmp_path / "espeak-ng"
    program.write_text("#!/bin/sh\necho 'eSpeak NG 1.51'\n")
    asked: list[str] = []

    def version() -> str:
        asked.append("asked")
        return f"version {len(asked)}"

    assert digest.file_fact(program, "--version", version) == "version 1"
    fresh_caches()  # as in the next build's process
    assert digest.file_fact(program, "--version", version) == "version 1" and asked == ["asked"]
    program.write_text("#!/bin/sh\necho 'eSpeak NG 1.52'\n")  # a new package: another size
    assert digest.file_fact(program, "--version", version) == "version 2"


def test_espeak_identity_names_the_installed_version():
    import shutil
    import subprocess

    from publish.engines.espeak import EspeakEngine

    exe = shutil.which("espeak-ng")
    assert exe, "espeak-ng is not installed: `make test` installs it (apt-get install espeak-ng)"
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    # Spanish at its reference pace, 1.11 times faster within sentences (publish/engines/pace.py).
    assert EspeakEngine({}).identity("es") == f"espeak-ng {version} voice es wpm 170"
