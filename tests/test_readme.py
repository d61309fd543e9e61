"""The README's shell blocks, run as written in a fresh project, so that a documented command
cannot rot unnoticed: every `publish …` line typed into a pseudo-terminal, and the two `make`
commands as far as a test can take them (their recipes, and the set-up scripts they run)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess

import pytest

from conftest import ROOT, SHORT_GUIDE, make_project
from test_terminal import finished, terminal

README = ROOT / "README.md"


def shell_lines() -> list[str]:
    """Every command line of the README's ```sh blocks, without its comment."""
    blocks = re.findall(r"```sh\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    lines = [line.split("  #")[0].strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line]


def test_the_readme_documents_the_two_commands_and_the_tool():
    lines = shell_lines()
    assert lines[:2] == ["make build", "make test"]
    assert {"publish new paramedic", "publish check", "publish build", "publish serve"} <= set(lines)
    assert all(line.split()[0] in ("make", "publish") for line in lines), lines


@pytest.mark.parametrize("target, runs", [
    ("build", [".venv/bin/publish build"]),
    # The tests, then those that listen or measure numeric kernels again with the lower ones.
    # Both runs hear the lessons spoken once, into a folder emptied first.
    ("test", ["rm -rf .venv/test-lessons", "PUBLISH_TEST_LESSONS=.venv/test-lessons .venv/bin/python -m pytest",
              "PUBLISH_TEST_LESSONS=.venv/test-lessons CT2_FORCE_CPU_ISA=AVX2 PUBLISH_KOKORO_VNNI=0 "
              ".venv/bin/python -m pytest -m numerics"]),
])
def test_the_make_commands_set_up_then_run_what_the_readme_says(target, runs):
    """`make -n` prints what the command would run on a fresh clone: the set-up first (system
    packages, the venv, Kokoro's voices), then the build or the tests."""
    # Under `make test` (as CI runs it) this make is a sub-make, which would print the folders it
    # enters and leaves; a person types it at the top level.
    environment = {name: value for name, value in os.environ.items() if name not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    fresh = subprocess.run(["make", "--no-print-directory", "-n", "-B", target], cwd=ROOT, capture_output=True,
                           text=True, timeout=60, env=environment)
    assert fresh.returncode == 0, fresh.stderr
    recipe = fresh.stdout.splitlines()
    assert recipe[-len(runs):] == runs
    assert any(line.startswith("sh scripts/install-debs.sh") for line in recipe)
    assert any("voices install kokoro" in line for line in recipe)
    for script in (ROOT / "scripts").glob("*.sh"):
        assert subprocess.run(["sh", "-n", str(script)]).returncode == 0, script


def test_every_publish_line_runs_as_written_in_a_fresh_project(tmp_path):
    # The tone engine speaks every host (publish.toml), so the lines run in seconds; the lines are the README's own.
    project = make_project(tmp_path / "project", guides=[SHORT_GUIDE])
    for line in shell_lines():
        words = shlex.split(line)
        if words[0] != "publish":
            continue
        child = terminal(words[1:], project)
        if words[1] == "serve":  # a server: it says where it serves, then stops at Ctrl-C
            child.expect(r"on http://127\.0\.0\.1:\d+/")
            child.expect("rebuilt", timeout=240)
            child.sendintr()
        code, shown = finished(child)
        assert code == 0 and "Traceback" not in shown, f"`{line}` ended with {code}:\n{shown[-2000:]}"
        if words[:2] == ["publish", "new"]:
            assert (project / "guides" / f"{words[2]}.md").is_file()
    assert (project / "output" / "paramedic" / "paramedic.brf").is_file()
