"""The build on a real Dask cluster: a scheduler and workers started here, on loopback only."""

from __future__ import annotations

import json
import os
import signal
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest

from conftest import ROOT, SHORT_GUIDE, build_options, dressed_project, make_project, with_offshore_copy
from publish.builder.observer import Advanced, Event, Observer, Writing
from publish.builder.pipeline import build
from publish.config import load_config
from publish.ffmpeg import decode
from publish.guide.project import find_guides
from publish.audio.timeline import Timeline

DASK = Path(sys.executable).parent / "dask"  # installed with publish[cluster] by `make test`
COMPARED = (".txt", ".md", ".vtt", ".srt", ".transcript.json", ".chapters.json", ".timeline.json")


def start(*args: str, log: Path) -> subprocess.Popen:
    assert DASK.is_file(), "Dask is missing — run `make test`, which installs publish[cluster]"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), os.environ.get("PYTHONPATH", "")])}
    return subprocess.Popen([str(DASK), *args], stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def start_worker(scheduler_file: Path, folder: Path, name: str) -> subprocess.Popen:
    return start("worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1", "--no-nanny",
                 "--no-dashboard", "--host", "127.0.0.1", "--name", name, log=folder / f"{name}.log")


def wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout=10, set_as_default=False) as client:
        client.wait_for_workers(count, timeout=60)


@contextmanager
def cluster(folder: Path, workers: int) -> Iterator[tuple[str, Path, dict[str, subprocess.Popen]]]:
    """A scheduler on a random loopback port and single-thread workers `w1`…; stopped at the end."""
    scheduler_file = folder / "scheduler.json"
    processes = [start("scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                       "--scheduler-file", str(scheduler_file), log=folder / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not scheduler_file.is_file() and time.monotonic() < deadline:
            time.sleep(0.2)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        named = {f"w{n}": start_worker(scheduler_file, folder, f"w{n}") for n in range(1, workers + 1)}
        processes += named.values()
        wait_for_workers(address, workers)
        yield address, scheduler_file, named
    finally:
        for process in reversed(processes):
            stop(process)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """Two workers, for the module's tests."""
    folder = tmp_path_factory.mktemp("dask")
    with cluster(folder, 2) as (address, scheduler_file, _):
        yield address, scheduler_file, folder


def guides_and_one_more(folder: Path, extra: str = "") -> Path:
    """The example guides and one more made from the short one, in a project of their own."""
    return with_offshore_copy(make_project(folder, extra=extra))


def build_project(project: Path, scheduler: str | None = None, progress: Observer | None = None, **options):
    config = load_config(project)
    if scheduler:
        config = config.with_overrides(scheduler=scheduler)
    return build(config, find_guides(project / "guides"), build_options(**options), progress)


def assert_same_outputs(ours: Path, theirs: Path) -> int:
    compared = 0
    for folder in sorted((theirs / "output").iterdir()):
        if not (folder / f"{folder.name}.timeline.json").is_file():
            continue  # the site's own folders
        for suffix in COMPARED:
            name = f"{folder.name}{suffix}"
            assert (ours / "output" / folder.name / name).read_bytes() == (folder / name).read_bytes(), name
            compared += 1
    return compared


@pytest.fixture(scope="module")
def local_build(tmp_path_factory) -> Path:
    project = guides_and_one_more(tmp_path_factory.mktemp("local"))
    assert build_project(project).ok
    return project


def test_a_cluster_build_makes_what_a_local_build_makes(dask_cluster, local_build, tmp_path):
    from pypdf import PdfReader

    address = dask_cluster[0]
    project = guides_and_one_more(tmp_path)
    report = build_project(project, address)
    assert report.ok, [r.problems for r in report.results]
    assert report.speech.where == f"the Dask cluster at {address} (2 workers)"
    assert report.speech.synthesized > 100
    assert assert_same_outputs(project, local_build) == 4 * len(COMPARED)
    for slug in ("machine-learning-engineer", "wind-turbine-technician", "offshore-wind-technician"):
        folder = project / "output" / slug
        timeline = Timeline.from_json((folder / f"{slug}.timeline.json").read_text("utf-8"))
        assert len(decode(folder / f"{slug}.mp3", 44100)) == timeline.total
        text = " ".join(page.extract_text() for page in PdfReader(folder / f"{slug}.pdf").pages)
        assert timeline.title in text
        assert (folder / f"{slug}.epub").stat().st_size > 100_000

    again = build_project(project, address)  # nothing to do: the cluster is not even asked
    assert again.speech.synthesized == 0 and all(r.status == "up to date" for r in again.results)
    forced = build_project(project, address, force=True)  # every output again, every clip from the cache
    assert forced.ok and forced.speech.synthesized == 0 and forced.speech.cached > 100
    assert assert_same_outputs(project, local_build) == 4 * len(COMPARED)


class KillAWorker:
    """Kills one worker while the cluster is speaking, once some clips have come back."""

    def __init__(self, worker: subprocess.Popen, after: int):
        self.worker, self.after, self.killed_at = worker, after, None

    def on(self, event: Event) -> None:
        if not isinstance(event, Advanced):
            return
        done, total = event.done, event.total
        if self.killed_at is None and total > self.after and done >= self.after:
            os.kill(self.worker.pid, signal.SIGKILL)
            self.killed_at = (done, total)


def test_a_worker_killed_mid_build_changes_nothing_in_the_result(dask_cluster, tmp_path):
    address, scheduler_file, folder = dask_cluster
    slow = '[audio]\nengine = "faulty-tone"\n[engines.faulty-tone]\nslow_s = "0.15"\n'
    projects = []
    for name in ("local", "cluster"):
        project = make_project(tmp_path / name, guides=[SHORT_GUIDE])
        copy = SHORT_GUIDE.read_text(encoding="utf-8").replace("slug: wind-turbine-technician", "slug: wind-tech-copy")
        (project / "guides" / "wind-tech-copy.md").write_text(copy.replace("Theo", "Sam"), encoding="utf-8")
        (project / "publish.toml").write_text(slow, encoding="utf-8")
        projects.append(project)
    local, project = projects
    assert build_project(local, only=frozenset({"audio", "transcript"})).ok
    doomed = start_worker(scheduler_file, folder, "worker-doomed")
    try:
        wait_for_workers(address, 3)
        killer = KillAWorker(doomed, after=6)
        report = build_project(project, address, killer, only=frozenset({"audio", "transcript"}))
        assert killer.killed_at is not None, "the worker was never killed: the test did not test anything"
        doomed.wait(timeout=10)
        assert report.ok, [r.problems for r in report.results]
        assert assert_same_outputs(project, local) == 2 * len(COMPARED)
    finally:
        stop(doomed)


class KillWhileFinishing:
    """Kills whichever worker is first seen finishing a piece whose task name has `target`
    (`epub`: the audio piece, mastering, encoding and the book; `pdf`: transcripts and handouts)."""

    def __init__(self, workers: dict[str, subprocess.Popen], address: str, target: str):
        self.workers, self.address, self.target = workers, address, target
        self.killed: str | None = None

    def on(self, event: Event) -> None:
        if isinstance(event, Writing):
            threading.Thread(target=self._watch, daemon=True).start()

    def _watch(self) -> None:
        from distributed import Client

        with Client(self.address, timeout=10, set_as_default=False) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                names = {address: info.get("name") for address, info in client.scheduler_info()["workers"].items()}
                for address, keys in client.processing().items():
                    found = [key for key in keys if str(key).startswith("finish_on_worker") and self.target in str(key)]
                    if found and names.get(address) in self.workers:
                        os.kill(self.workers[names[address]].pid, signal.SIGKILL)
                        self.killed = f"{names[address]}: {found[0]}"
                        return
                time.sleep(0.02)


@pytest.mark.parametrize("target", ["epub", "pdf"])
def test_a_worker_killed_while_finishing_changes_nothing_in_the_result(local_build, tmp_path, target):
    """A cluster of its own (three workers; any may be killed), every clip cached: the kill lands in finishing."""
    with cluster(tmp_path, 3) as (address, _, workers):
        project = guides_and_one_more(tmp_path / "project")
        shutil.copytree(local_build / ".publish-cache", project / ".publish-cache")
        killer = KillWhileFinishing(workers, address, target)
        report = build_project(project, address, killer)
        assert killer.killed, "no worker was killed while finishing: the test did not test anything"
        assert report.ok, [r.problems for r in report.results]
        assert assert_same_outputs(project, local_build) == 4 * len(COMPARED)
        for slug in ("machine-learning-engineer", "wind-turbine-technician", "offshore-wind-technician"):
            assert (project / "output" / slug / f"{slug}.epub").stat().st_size > 100_000
            assert (project / "output" / slug / f"{slug}-large-print.pdf").is_file()


def test_an_engine_failure_on_the_cluster_names_the_guide_line(dask_cluster, tmp_path):
    project = make_project(tmp_path, engine=None, guides=[SHORT_GUIDE])
    (project / "publish.toml").write_text('[audio]\nengine = "faulty-tone"\n[engines.faulty-tone]\n'
                                          'fail_on = "really all about climbing"\n', encoding="utf-8")
    report = build_project(project, dask_cluster[0])
    [result] = report.results
    assert result.problems and "wind-turbine-technician.md:" in result.problems[0]
    assert "could not speak" in result.problems[0] and "cluster worker" in result.problems[0]
    line = int(result.problems[0].split(".md:")[1].split(":")[0])
    assert "really all about climbing" in SHORT_GUIDE.read_text(encoding="utf-8").split("\n")[line - 1]


def test_a_wrong_address_fails_fast_and_clearly(tmp_path, capsys):
    from publish.cli import main

    project = make_project(tmp_path, guides=[SHORT_GUIDE])
    started = time.monotonic()
    previous = os.getcwd()
    os.chdir(project)
    try:
        code = main(["build", "--scheduler", "tcp://127.0.0.1:9", "-q"])
    finally:
        os.chdir(previous)
    assert code == 1 and time.monotonic() - started < 10
    message = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in message and "dask scheduler" in message
    assert not (project / "output" / "wind-turbine-technician").exists()
    code = main(["build", "--scheduler", "127.0.0.1:8786"])
    assert code == 1 and "tcp://HOST:PORT" in capsys.readouterr().err


def test_the_default_build_does_not_load_dask(tmp_path):
    project = make_project(tmp_path, guides=[SHORT_GUIDE])
    code = ("import sys; from publish.cli import main; main(['build', '-q']); "
            "print('distributed' in sys.modules or 'dask' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", code], cwd=project, capture_output=True, text=True, timeout=300)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stderr
    assert (project / "output" / "wind-turbine-technician" / "wind-turbine-technician.mp3").is_file()


def dressed_with_own_templates(folder: Path) -> Path:
    """The dressed fixture guide (cover, intro, outro) with the project's own edited templates."""
    project = dressed_project(folder)
    css = project / "templates" / "handout.css"
    css.write_text(css.read_text() + "\nh1 { color: #990000; }\n")
    return project


def test_a_guide_with_cover_intro_and_own_templates_finishes_on_the_cluster_as_here(dask_cluster, tmp_path):
    here, there = dressed_with_own_templates(tmp_path / "here"), dressed_with_own_templates(tmp_path / "there")
    assert build_project(here).ok
    report = build_project(there, dask_cluster[0])
    assert report.ok, [r.problems for r in report.results]
    for suffix in (".mp3", ".timeline.json", ".vtt", ".epub"):
        name = f"good/good{suffix}"
        assert (there / "output" / name).read_bytes() == (here / "output" / name).read_bytes(), name
    # PDFs name their images after the image's path, so only their content can be the same.
    from pypdf import PdfReader

    for suffix in (".pdf", "-large-print.pdf"):
        pdfs = [PdfReader(side / "output" / "good" / f"good{suffix}") for side in (here, there)]
        texts = [[page.extract_text() for page in pdf.pages] for pdf in pdfs]
        images = [[image.data for page in pdf.pages for image in page.images] for pdf in pdfs]
        assert texts[0] == texts[1] and images[0] == images[1] and images[0], suffix


def test_publish_toml_can_name_the_scheduler(tmp_path):
    from publish.errors import ConfigError

    (tmp_path / "publish.toml").write_text('[cluster]\nscheduler = "tcp://10.1.2.3:8786"\n')
    assert load_config(tmp_path).scheduler == "tcp://10.1.2.3:8786"
    (tmp_path / "publish.toml").write_text('[cluster]\n\nscheduler = "10.1.2.3"\n')
    with pytest.raises(ConfigError, match=r"publish.toml:3: cluster.scheduler .* tcp://HOST:PORT"):
        load_config(tmp_path)


def test_finishing_on_a_worker_never_speaks_a_missing_clip_is_an_internal_error(tmp_path):
    from test_run import DeleteAClipOnceWritingStarts, a_clip_of

    project = make_project(tmp_path / "project", guides=[SHORT_GUIDE])
    assert build_project(project, only=frozenset({"audio"})).ok  # every clip spoken here: the cluster speaks none
    cache, key = a_clip_of(project)
    (tmp_path / "dask").mkdir()
    with cluster(tmp_path / "dask", 1) as (address, _, _):
        report = build_project(project, address, DeleteAClipOnceWritingStarts(cache, key), only=frozenset({"audio"}),
                               force=True)
        [result] = report.results
        assert result.status == "failed", result
        assert "is not in the speech cache when the guide is finished" in result.problems[0]
        from distributed import Client

        with Client(address, timeout=10, set_as_default=False) as client:
            hosts = client.run(lambda: len(__import__("publish.builder.cluster", fromlist=["_hosts"])._hosts))
        assert list(hosts.values()) == [0], "the worker loaded an engine"
