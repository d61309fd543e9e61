"""`publish build`: incremental, parallel, atomic, locked, and carrying on past a failing guide."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, SHORT_GUIDE, make_project, run_build
from publish.outputs.files import GuideFiles
from publish.outputs.registry import FORMATS, steps
from publish.builder.state import build_lock, state_folder
from publish.cli import main
from publish.config import load_config
from publish.errors import BuildLockedError, OutputError
from publish.writer import write_bytes_atomic

SLUG = "wind-turbine-technician"


def snapshot(project: Path) -> dict[str, bytes]:
    out = project / "output"
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture
def short_project(tmp_path):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    report = run_build(project)
    assert report.ok, [r.problems for r in report.results]
    return project


def test_layout_contract(short_project):
    files = GuideFiles(short_project / "output", SLUG)
    for step in steps(FORMATS, files.own_paper, files.own_paper):
        for file in step.files(files):
            assert file.path.is_file() and file.size, file
    assert (short_project / "output" / "index.html").is_file()
    assert (short_project / "output" / "feed.xml").is_file()


def test_nothing_changed_builds_nothing(short_project):
    before = snapshot(short_project)
    report = run_build(short_project)
    assert report.speech.synthesized == 0
    assert all(r.status == "up to date" for r in report.results)
    assert snapshot(short_project) == before


def test_the_site_is_rewritten_when_what_it_shows_changes_or_a_file_is_missing(short_project, monkeypatch):
    from publish.outputs.index import IndexOutput

    out = short_project / "output"
    written = []
    real = IndexOutput.make
    monkeypatch.setattr(IndexOutput, "make", lambda *a: (written.append(1), real(*a))[1])
    assert run_build(short_project).written == frozenset()
    assert not written, "a no-op build leaves the index and feed alone"
    (out / "assets" / "site.css").unlink()
    assert run_build(short_project).written == {out / "assets" / "site.css"}, "only the missing file is made again"
    assert (out / "assets" / "site.css").is_file() and not written
    guide = short_project / "guides" / f"{SLUG}.md"
    guide.write_text(guide.read_text().replace("summary: ", "summary: Updated. ", 1))
    run_build(short_project, only=frozenset({"pdf"}))
    assert "Updated." in (out / "index.html").read_text() and "Updated." in (out / "feed.xml").read_text()


def test_one_turn_edit_resynthesizes_only_that_turn(short_project):
    guide = short_project / "guides" / f"{SLUG}.md"
    text = guide.read_text()
    guide.write_text(text.replace("Is it really all about climbing?", "Is it really all about climbing? I wonder."))
    report = run_build(short_project)
    assert report.speech.synthesized == 1, "one new sentence"
    assert report.speech.cached > 10
    assert report.results[0].built == ("audio", "transcript", "pdf", "epub", "braille", "web")
    transcript = (short_project / "output" / SLUG / f"{SLUG}.txt").read_text()
    assert "I wonder." in transcript


def test_template_edit_rerenders_pdfs_not_audio(short_project):
    mp3 = (short_project / "output" / SLUG / f"{SLUG}.mp3").read_bytes()
    css = short_project / "templates" / "handout.css"
    css.write_text(css.read_text() + "\n/* edited */\n")
    report = run_build(short_project)
    assert sorted(report.results[0].built) == ["epub", "pdf", "web"]
    assert report.speech.synthesized == 0
    assert (short_project / "output" / SLUG / f"{SLUG}.mp3").read_bytes() == mp3


def test_force_and_only(short_project):
    report = run_build(short_project, force=True, only=frozenset({"pdf"}))
    assert report.results[0].built == ("pdf",)


def test_failing_guide_does_not_stop_the_others(short_project, capsys):
    shutil.copy(FIXTURES / "bad" / "unknown-speaker.md", short_project / "guides" / "broken.md")
    (short_project / "guides" / "second.md").write_text((FIXTURES / "good.md").read_text())
    report = run_build(short_project)
    status = {r.slug: r.status for r in report.results}
    assert status["broken"] == "failed" and status["second"] == "built" and status[SLUG] == "up to date"
    assert not report.ok
    failure = next(r for r in report.results if r.slug == "broken").problems[0]
    assert "broken.md:26: unknown speaker `Bob`" in failure
    cwd = os.getcwd()
    os.chdir(short_project)
    try:
        assert main(["build", "-q"]) == 1
    finally:
        os.chdir(cwd)
    assert "unknown speaker" in capsys.readouterr().err


def test_engine_failure_fails_that_guide_only(tmp_path):
    project = make_project(tmp_path / "p", engine="faulty-tone", extra='[engines.faulty-tone]\nfail_on = "open days"\n')
    report = run_build(project)
    status = {r.slug: r.status for r in report.results}
    assert status == {"cocinero-profesional": "built", "machine-learning-engineer": "built",
                      "wind-turbine-technician": "failed"}
    problem = next(r for r in report.results if r.status == "failed").problems[0]
    assert "could not speak" in problem and "open days" in problem
    path, line = problem.split(":")[:2]
    turn = (project / "guides" / "wind-turbine-technician.md").read_text().split("\n")[int(line) - 1]
    assert path.endswith("wind-turbine-technician.md") and "open days" in turn.lower(), "names the turn's line"
    assert report.speech.synthesized > 100, "the other sentences were made and cached"


def test_the_output_folder_holds_the_site_and_nothing_else(short_project):
    run_build(short_project)
    out = short_project / "output"
    hidden = [str(p.relative_to(out)) for p in out.rglob("*") if p.name.startswith(".")]
    assert hidden == [], "no build state, sources or lock in the folder a school uploads"
    config = load_config(short_project)
    folder = state_folder(config.cache_dir, config.output_dir)
    assert folder.is_relative_to(short_project / ".publish-cache") and (folder / "state.json").is_file()
    assert (folder / "sources" / f"{SLUG}.md").is_file()


def test_state_an_older_build_left_in_the_site_is_moved_out_and_kept(short_project):
    """publish before this release kept its state in output/: the next build moves it and rebuilds nothing."""
    run_build(short_project)
    config = load_config(short_project)
    folder = state_folder(config.cache_dir, config.output_dir)
    out = short_project / "output"
    shutil.move(str(folder / "state.json"), out / ".publish-state.json")
    shutil.move(str(folder / "sources"), out / ".publish-sources")
    (out / ".publish.lock").write_text("pid 1")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")
              if p.is_file() and not any(part.startswith(".") for part in p.relative_to(out).parts)}
    report = run_build(short_project)
    assert all(r.status == "up to date" for r in report.results) and report.speech.synthesized == 0
    assert not [p for p in out.rglob("*") if p.name.startswith(".")]
    assert (folder / "state.json").is_file() and (folder / "sources" / f"{SLUG}.md").is_file()
    assert {p: p.stat().st_mtime_ns for p in before} == before, "nothing rebuilt"


def test_two_guides_with_one_slug_build_one_and_name_both(tmp_path):
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    twin = SHORT_GUIDE.read_text(encoding="utf-8").replace("title: Wind Turbine Technician", "title: A Twin")
    (project / "guides" / "x-twin.md").write_text(twin, encoding="utf-8")  # after the first, in file order
    report = run_build(project)
    status = {Path(r.path).name: r for r in report.results}
    assert status[f"{SLUG}.md"].status == "built" and status["x-twin.md"].status == "failed"
    [problem] = status["x-twin.md"].problems
    assert problem.startswith(str(project / "guides" / "x-twin.md") + ":1: slug `wind-turbine-technician` is also used by")
    assert f"{SLUG}.md" in problem and "give each guide its own `slug:`" in problem
    page = (project / "output" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "Wind Turbine Technician" in page and "A Twin" not in page, "the first guide's files are not overwritten"


def test_lock_refuses_a_second_build(short_project):
    config = load_config(short_project)
    with build_lock(state_folder(config.cache_dir, config.output_dir), config.output_dir):
        with pytest.raises(BuildLockedError, match="another build"):
            run_build(short_project)


def test_jobs_1_and_jobs_2_give_the_same_bytes(tmp_path):
    one = make_project(tmp_path / "one", guides=[SHORT_GUIDE])
    two = make_project(tmp_path / "two", guides=[SHORT_GUIDE])
    for project, jobs in ((one, 1), (two, 2)):
        toml = project / "publish.toml"
        toml.write_text(toml.read_text().replace("jobs = 2", f"jobs = {jobs}"))
        assert run_build(project).ok
    first, second = snapshot(one), snapshot(two)
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_interrupted_write_keeps_the_previous_file(tmp_path, monkeypatch):
    target = tmp_path / "out" / "x.pdf"
    write_bytes_atomic(target, b"old complete file")

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(KeyboardInterrupt):
        write_bytes_atomic(target, b"new file that never lands")
    assert target.read_bytes() == b"old complete file"
    assert [p.name for p in target.parent.iterdir()] == ["x.pdf"], "no partial file left behind"


def test_unwritable_output_is_a_clear_error(short_project):
    if os.geteuid() == 0:
        target = short_project / "output-file"
        target.write_text("a file where a folder should be")
    else:
        target = short_project / "readonly"
        target.mkdir()
        target.chmod(0o500)
    from publish.builder.pipeline import BuildOptions, build
    from publish.config import load_config
    from publish.guide.project import find_guides

    config = load_config(short_project).with_overrides(output_dir=target)
    with pytest.raises(OutputError, match="cannot write"):
        build(config, find_guides(short_project / "guides"), BuildOptions())


def test_a_no_op_build_without_a_base_url_renders_no_site_page(tmp_path):
    """Without a base URL there is no feed and no feed cover: the site must not count them as
    missing, or every no-op build would load the templates and render the index again."""
    import subprocess
    import sys

    from conftest import SHORT_GUIDE, make_project

    project = make_project(tmp_path, guides=[SHORT_GUIDE])
    (project / "publish.toml").write_text('jobs = 2\n[audio]\nengine = "tone"\n', encoding="utf-8")
    assert run_build(project).ok
    code = "import sys; from publish.cli import main; code = main(['build', '-q']); print(code, 'jinja2' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "0 False", result.stderr


def test_finishing_processes_start_beside_a_short_speech_and_not_beside_a_long_one(tmp_path, monkeypatch):
    """An edit's finishing should not wait for its processes' imports; a cold build's speech is long,
    and processes started beside it would only hold memory."""
    from publish.builder import executors, run as build_run

    started: list[tuple[bool, int]] = []
    get_ready = executors.LocalExecutor.get_ready

    def recorded(self, documents):
        get_ready(self, documents)
        started.append((documents, len(self._finishing._pool._processes)))

    monkeypatch.setattr(executors.LocalExecutor, "get_ready", recorded)
    project = make_project(tmp_path / "p", guides=[SHORT_GUIDE])
    monkeypatch.setattr(build_run, "GET_READY_UNDER", 0)  # the tone engine's whole lesson counts as long
    assert run_build(project).ok
    assert started == []
    monkeypatch.undo()
    monkeypatch.setattr(executors.LocalExecutor, "get_ready", recorded)

    guide = project / "guides" / SHORT_GUIDE.name
    text = guide.read_text(encoding="utf-8")
    line = next(line for line in text.splitlines() if line.startswith("Theo: "))
    guide.write_text(text.replace(line, line + " And one more thing."), encoding="utf-8")
    report = run_build(project)
    assert report.ok and report.speech.synthesized == 1
    assert started == [(True, 2)], "both finishing processes started, one to render the handouts"
    assert {"audio", "pdf"} <= set(report.results[0].built)
