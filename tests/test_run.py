"""The one loop (publish.builder.run): every output, the page and the site's files included, goes
stale → make → write → record through it; the writer knows what it wrote and refuses a path
claimed twice; finishing never speaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SHORT_GUIDE, build_options, light_project, make_project
from publish.builder.observer import Event, Span, Writing
from publish.builder.pipeline import build
from publish.builder.state import SITE, load_state, state_folder
from publish.config import load_config
from publish.engines.base import EngineSpec
from publish.errors import InternalError
from publish.guide.project import find_guides
from publish.outputs.base import Output
from publish.outputs.registry import FORMATS, GUIDE_FORMATS, PAGE, SITE as SITE_OUTPUTS, every_step
from publish.outputs.files import GuideFiles
from publish.speech.clips import ClipCache
from publish.writer import Writer


def built(project: Path, observer=None, **options):
    config = load_config(project)
    return build(config, find_guides(project / "guides"), build_options(**options), observer)


def state_of(project: Path) -> dict[str, str]:
    config = load_config(project)
    return load_state(state_folder(config.cache_dir, config.output_dir))


def test_the_page_and_every_site_file_declare_key_and_make():
    for output in (PAGE, *SITE_OUTPUTS, *GUIDE_FORMATS):
        for member in ("files", "key", "make"):
            assert getattr(type(output), member) is not getattr(Output, member), (output, member)


def test_the_page_and_the_site_files_go_through_the_loop_and_the_build_knows_what_it_wrote(tmp_path):
    project = make_project(tmp_path / "project", guides=[SHORT_GUIDE])
    output = project / "output"
    report = built(project)
    assert report.ok
    state = state_of(project)
    assert {f"{SITE}/{o.name}" for o in SITE_OUTPUTS} <= set(state) and "wind-turbine-technician/web" in state
    written = {path.relative_to(output).as_posix() for path in report.written}
    assert {"index.html", "feed.xml", "cover.png", "assets/site.css", "wind-turbine-technician/index.html",
            "wind-turbine-technician/wind-turbine-technician.mp3"} <= written
    assert written == {p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()}
    assert built(project).written == frozenset(), "nothing to do: nothing written"
    css = project / "templates" / "assets" / "site.css"
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a change */\n", encoding="utf-8")
    again = built(project)
    changed = {path.relative_to(output).as_posix() for path in again.written}
    assert "assets/site.css" in changed and "wind-turbine-technician/wind-turbine-technician.mp3" not in changed


def test_two_outputs_claiming_one_path_are_an_error(tmp_path):
    writer = Writer()
    writer.write_all({tmp_path / "a.txt": b"one"})
    with pytest.raises(InternalError, match="two outputs of one build both make"):
        writer.write_all({tmp_path / "a.txt": b"two"})
    assert (tmp_path / "a.txt").read_bytes() == b"one"


def test_no_two_outputs_of_a_guide_name_one_file():
    files = GuideFiles(Path("/site"), "slug", "a4", "en")
    claimed = [file.path for step in every_step(files) for file in step.files(files)] + [files.page.path]
    assert len(claimed) == len(set(claimed))
    assert {output.name for output in FORMATS} == {"audio", "transcript", "pdf", "epub", "braille", "web"}


class DeleteAClipOnceWritingStarts:
    """Speech is done; finishing is about to start: one clip goes missing from the cache."""

    def __init__(self, cache: ClipCache, key: str):
        self.cache, self.key, self.finishing = cache, key, False

    def on(self, event: Event) -> None:
        if isinstance(event, Writing):
            self.cache.path(self.key).unlink()
            self.finishing = True


def a_clip_of(project: Path) -> tuple[ClipCache, str]:
    from publish.guide.source import load_guide
    from publish.speech.plan import plan_lesson

    config = load_config(project)
    plan = plan_lesson(load_guide(project / "guides" / SHORT_GUIDE.name), config.audio, config.root)
    return ClipCache(config.cache_dir), plan.jobs[3].key


@pytest.mark.parametrize("jobs", [1, 2], ids=["finishing here", "finishing processes"])
def test_finishing_never_speaks_a_missing_clip_is_an_internal_error(tmp_path, monkeypatch, jobs):
    project = make_project(tmp_path / "project", guides=[SHORT_GUIDE])
    toml = project / "publish.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("jobs = 2", f"jobs = {jobs}"), encoding="utf-8")
    cache, key = a_clip_of(project)
    deleting = DeleteAClipOnceWritingStarts(cache, key)
    created: list[str] = []
    real_create = EngineSpec.create

    def create(spec, threads=1):  # in this process, where finishing runs with --jobs 1
        if deleting.finishing:
            created.append(spec.name)
        return real_create(spec, threads)

    monkeypatch.setattr(EngineSpec, "create", create)
    report = built(project, deleting, only=frozenset({"audio"}))
    [result] = report.results
    assert result.status == "failed" and "is not in the speech cache when the guide is finished" in result.problems[0]
    assert "finishing never speaks" in result.problems[0] and "wind-turbine-technician.md:" in result.problems[0]
    assert created == [] and not cache.path(key).exists()
    assert not (project / "output" / "wind-turbine-technician" / "wind-turbine-technician.mp3").exists()
    assert built(project, only=frozenset({"audio"})).ok, "the next build speaks it and finishes"


class ProcessesAtWork:
    """How many processes this one has running while guides are finished, and when the pages are."""

    def __init__(self):
        self.finishing: list[int] = []
        self.pages: list[int] = []

    def on(self, event: Event) -> None:
        import multiprocessing

        if isinstance(event, Span) and event.lane in ("finishing", "pages"):
            getattr(self, event.lane).append(len(multiprocessing.active_children()))


def test_the_finishing_processes_end_before_the_pages_and_the_site_are_made(tmp_path):
    """Idle, they held 350 MB while the pages of a library of 200 guides were made."""
    watched = ProcessesAtWork()
    assert built(light_project(tmp_path / "p"), watched).ok
    assert watched.finishing and max(watched.finishing) == 2, "two finishing processes (jobs = 2)"
    assert watched.pages and max(watched.pages) == 0, watched.pages
