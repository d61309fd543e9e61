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
LAYERS = ("foundation", "text", "engines", "guide", "speech", "audio", "outputs", "builder", "cli")
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
    source.write_text(bad.read_text(encoding="utf-8") + "\n\ndef f():\n    from publish.builder import pipeline\n")
    targets = [target for _, target in imported(source)]
    assert "publish.builder" in targets and LAYERS.index(layer_of("publish.builder")) > LAYERS.index("guide")


def imported_modules(path: Path) -> set[str]:
    """The publish modules a file imports, anywhere in it; `from publish.outputs import registry`
    names the module `publish.outputs.registry`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "publish":
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}" if module_path(f"{node.module}.{alias.name}") else node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.split(".")[0] == "publish"}
    return {name for name in found if module_path(name)}


def module_path(name: str) -> Path | None:
    relative = ROOT.joinpath(*name.split("."))
    for candidate in (relative.with_suffix(".py"), relative / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every circle of imports (each strongly connected group of more than one module, or a
    module importing itself), by Tarjan's algorithm."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1 or module in graph.get(module, ()):
                circles.append(sorted(group))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return circles


def import_graph(sources: list[Path]) -> dict[str, set[str]]:
    return {module_name(path): imported_modules(path) - {module_name(path).rpartition(".")[0]} for path in sources}


def test_no_import_circles():
    """Every import counts, at the top, inside a function or for type checking only: a lazy import
    hides a circle from Python, not from a reader."""
    assert import_circles(import_graph(SOURCES)) == []


def test_the_circle_check_finds_a_circle(tmp_path):
    # publish/outputs/base.py importing the registry, as it once did to unpickle outputs.
    graph = import_graph(SOURCES)
    graph["publish.outputs.base"] = graph["publish.outputs.base"] | {"publish.outputs.registry"}
    [circle] = import_circles(graph)
    assert "publish.outputs.base" in circle and "publish.outputs.registry" in circle


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
