"""The type checker and the dead-code finder over publish/, as `make test` runs them: zero errors,
and a display that misses one of the build's events is caught here, not at a person's terminal."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import ROOT

WHITELIST = ROOT / "tests" / "vulture_whitelist.py"


def mypy(*arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", *arguments], cwd=ROOT, capture_output=True,
                          text=True, timeout=600)


def test_publish_type_checks_with_no_errors():
    result = mypy()  # the files and options are pyproject.toml's [tool.mypy]
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_display_that_misses_an_event_fails_the_type_check(tmp_path):
    display = tmp_path / "half_display.py"
    display.write_text(textwrap.dedent('''
        from typing import assert_never

        from publish.builder.observer import Advanced, Event, Observer, Started


        class HalfDisplay:
            """Draws a bar, and forgot the other events."""

            def on(self, event: Event) -> None:
                match event:
                    case Started() | Advanced():
                        pass
                    case _:
                        assert_never(event)


        class NoDisplay:
            """Has no `on` at all, as RichProgress once had no `span`."""

            def phase(self, name: str, total: int) -> None:
                pass


        def watch(observer: Observer) -> None:
            observer.on(Started(1))


        watch(HalfDisplay())
        watch(NoDisplay())
    '''), encoding="utf-8")
    result = mypy("--strict", str(display))
    assert result.returncode == 1
    assert 'Argument 1 to "assert_never" has incompatible type "Writing | GuideDone | Span"' in result.stdout
    assert 'Argument 1 to "watch" has incompatible type "NoDisplay"; expected "Observer"' in result.stdout


def test_no_dead_code_but_the_whitelisted():
    """vulture finds code nothing uses; the whitelist names what is used only by name (hooks that
    libraries call, dataclass fields read by templates), each with why."""
    # bench/ counts as a user: the benchmark is part of the project (its figures are in docs/).
    result = subprocess.run([sys.executable, "-m", "vulture", "publish", "bench", str(WHITELIST.relative_to(ROOT)),
                             "--min-confidence", "60"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_dead_code_finder_finds_dead_code(tmp_path):
    module = tmp_path / "dead.py"
    module.write_text("def used():\n    return 1\n\n\ndef never_called():\n    return 2\n\n\nused()\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "vulture", str(module), "--min-confidence", "60"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 3 and "never_called" in result.stdout and "'used'" not in result.stdout


def test_no_package_is_named_build():
    """Ruff's and Black's default excludes, pytest's norecursedirs and GitHub's Python .gitignore
    all skip any folder named build: the orchestration layer must not be one."""
    assert not [path for path in (ROOT / "publish").rglob("build") if path.is_dir()]
    assert (ROOT / "publish" / "builder" / "__init__.py").is_file()
    assert Path(ROOT / ".gitignore").read_text(encoding="utf-8").count("/build/") == 1  # anchored: only ./build
