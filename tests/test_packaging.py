"""An installed publish (a wheel, not the source tree) builds every format from an empty folder."""

from __future__ import annotations

import site
import subprocess
import sys
from pathlib import Path

from conftest import ROOT
from publish.outputs.files import GuideFiles
from publish.outputs.registry import FORMATS, steps


def run(command: list, cwd: Path) -> str:
    result = subprocess.run([str(c) for c in command], cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{command}: {result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_installs_and_builds_outside_the_source_tree(tmp_path):
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", dist, ROOT], cwd=tmp_path)
    [wheel] = dist.glob("publish-*.whl")

    # A fresh environment with the wheel installed normally; its dependencies are borrowed from the
    # test environment's site-packages through a .pth file (whose own .pth files, among them the
    # editable install of this checkout, are not processed), so only the wheel provides publish.
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", venv], cwd=tmp_path)
    python = venv / "bin" / "python"
    packages = Path(run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp_path).strip())
    (packages / "borrowed.pth").write_text(site.getsitepackages()[0] + "\n")
    run([sys.executable, "-m", "pip", "--python", python, "install", "--quiet", "--no-deps", wheel], cwd=tmp_path)
    where = run([python, "-c", "import publish; print(publish.__file__)"], cwd=tmp_path)
    assert where.startswith(str(packages)), where

    project = tmp_path / "empty"
    project.mkdir()
    run([venv / "bin" / "publish", "new", "data-analyst"], cwd=project)
    run([venv / "bin" / "publish", "build", "-q", "--engine", "tone"], cwd=project)
    files = GuideFiles(project / "output", "data-analyst")
    for step in steps(FORMATS, files.own_paper, files.own_paper):
        for file in step.files(files):
            assert file.path.is_file() and file.size, file
    assert (project / "output" / "index.html").is_file() and (project / "output" / "assets" / "site.css").is_file()
