"""The package layout stays true: data flows one way through the stage packages, and only the
format registry spells a format's name."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT
from publish.outputs.registry import FORMATS

PACKAGE = ROOT / "publish"
# Lowest first. A module may import its own layer and the layers below it, never one above.
# The foundation is the modules directly in publish/: errors, config, writer, ffmpeg, paper, digest, places.
LAYERS = ("foundation", "text", "engines", "guide", "speech", "audio", "outputs", "build", "cli")
# The modules that make up the registry: one per format, and the list of them.
FORMAT_MODULES = {"outputs/registry.py", "outputs/mp3.py", "outputs/transcript.py", "outputs/handout.py",
                  "outputs/epub.py", "outputs/page.py", "outputs/braille/output.py"}
# Words that happen to equal a format's name but name something else, each with what it names.
NOT_FORMATS = {
    ("config.py", "audio"): "the [audio] table of publish.toml",
    ("engines/piper.py", "audio"): "a key of Piper's voice configuration",
    ("config.py", "braille"): "the [braille] table of publish.toml",
    ("outputs/braille/tables.py", "braille-patterns.cti"): "liblouis's table of Unicode braille patterns",
}


def layer_of(module: str) -> str:
    """`publish.speech.plan` → `speech`; modules directly in publish/ are the foundation."""
    parts = module.split(".")
    if len(parts) == 1:
        return "foundation"
    if len(parts) == 2 and parts[1] == "__main__":
        return "cli"
    return parts[1] if len(parts) > 2 or (PACKAGE / parts[1]).is_dir() else "foundation"


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """Every publish module the file imports (at the top, in functions, or for type checking)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "publish":
            if node.module == "publish":  # `from publish import engines`: the names are modules
                found += [(node.lineno, f"publish.{alias.name}") for alias in node.names
                          if (PACKAGE / alias.name).is_dir() or (PACKAGE / f"{alias.name}.py").is_file()]
            else:
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.split(".")[0] == "publish"]
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_folder_is_a_known_layer_with_a_docstring():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file()}
    assert folders == set(LAYERS) - {"foundation"}
    for folder in folders:
        docstring = ast.get_docstring(ast.parse((PACKAGE / folder / "__init__.py").read_text(encoding="utf-8")))
        assert docstring and "import" in docstring, f"publish/{folder} says what it owns and what it may import"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_higher_layer(path):
    own = LAYERS.index(layer_of(module_name(path)))
    upward = [f"line {line}: {target} ({layer_of(target)})" for line, target in imported(path)
              if target != "publish" and LAYERS.index(layer_of(target)) > own]
    assert not upward, f"{path.relative_to(ROOT)} ({LAYERS[own]}) imports a higher layer: {upward}"


def test_the_check_catches_an_upward_import(tmp_path):
    # The rule above, against a module that breaks it: the guide layer reaching into the build.
    bad = PACKAGE / "guide" / "model.py"
    source = tmp_path / "model.py"
    source.write_text(bad.read_text(encoding="utf-8") + "\n\ndef f():\n    from publish.build import pipeline\n")
    targets = [target for _, target in imported(source)]
    assert "publish.build" in targets and LAYERS.index(layer_of("publish.build")) > LAYERS.index("guide")


def format_literals(path: Path) -> list[tuple[int, str]]:
    names = {output.name for output in FORMATS}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            word = node.value
            if word in names or any(word.startswith(f"{name}-") for name in names):
                found.append((node.lineno, word))
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_only_the_registry_spells_a_format_name(path):
    relative = path.relative_to(PACKAGE).as_posix()
    if relative in FORMAT_MODULES:
        return
    spelled = [(line, word) for line, word in format_literals(path) if (relative, word) not in NOT_FORMATS]
    assert not spelled, f"publish/{relative} spells format names {spelled}: loop over publish.outputs.registry"


def test_the_format_check_finds_a_spelled_name(tmp_path):
    source = tmp_path / "x.py"
    source.write_text('if step == "pdf-letter" or "epub" in only:\n    pass\n')
    assert format_literals(source) == [(1, "pdf-letter"), (1, "epub")]


def test_every_registry_format_module_names_its_format():
    spelled = {word for relative in FORMAT_MODULES for _, word in format_literals(PACKAGE / relative)}
    assert {output.name for output in FORMATS} <= spelled
