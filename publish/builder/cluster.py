"""The build's work on a Dask cluster: the same jobs as the local build, another executor.

`publish build --scheduler tcp://HOST:8786` sends every sentence that is not in the local clip
cache to the cluster as a task keyed by its clip key (so a sentence several guides share is
spoken once), and each guide's finishing (level match, mastering, encoding, transcripts,
handouts, book) as a task of its own, fed with the clips and project files it needs. Results
come back as bytes and are written here, into the cache and `output/`, exactly as a local build
writes them: the workers need the same publish and voices installed, but no shared folder.

Dask is imported only here, and this module only when a scheduler is named.
"""

from __future__ import annotations

import logging
import queue
import socket
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from publish.builder.finish import Finished, GuideTask
from publish.builder.material import earlier_files
from publish.config import Config
from publish.errors import ClusterError, EngineError
from publish.speech.clips import ClipCache, entry_bytes, parse_entry
from publish.speech.speaking import EngineHost

if TYPE_CHECKING:
    from concurrent.futures import Future

    from publish.engines import EngineSpec
    from publish.speech.plan import SentenceJob

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5
WORKER_WAIT_S = 10  # a scheduler with no worker yet: how long to wait for the first one
# Deaths of a worker while it runs a task, before the task counts as failed (Dask's own default).
ALLOWED_FAILURES = 3


@dataclass
class Cluster:
    """A connected Dask client, and what the build tells the editor about it."""

    client: Any  # distributed.Client: Dask is imported only when a scheduler is named
    address: str

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def describe(self) -> str:
        return f"the Dask cluster at {self.address} ({self.workers} workers)"


def connect(address: str) -> Cluster:
    """A client of the scheduler at `address`, with at least one worker; a clear error within
    seconds when there is none."""
    try:
        import dask
        from distributed import Client
    except ImportError:
        raise ClusterError("--scheduler needs Dask — install it with: pip install 'publish[cluster]'") from None
    dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES})
    unreachable = (f"cannot reach the Dask scheduler at {address} within {CONNECT_TIMEOUT_S} s" + " ({}) — check the "
                   "address, or start one with `dask scheduler` and `dask worker ADDRESS` on each machine (docs/scaling.md)")
    host, _, port = address.split("://", 1)[-1].rpartition(":")
    try:  # refused or unroutable: said at once, before Dask's client starts its event loop
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except (OSError, ValueError) as error:
        raise ClusterError(unreachable.format(error)) from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
    except Exception as error:  # whatever answers at that address is not a scheduler we can use
        raise ClusterError(unreachable.format(f"{type(error).__name__}: {error}")) from None
    try:
        client.wait_for_workers(1, timeout=WORKER_WAIT_S)
    except (OSError, TimeoutError) as error:
        client.close()
        raise ClusterError(f"the Dask scheduler at {address} has no workers ({error}) — start `dask worker {address}` "
                           "on the machines that should do the work") from None
    return Cluster(client, address)


# --- the executor --------------------------------------------------------------------------------------


@dataclass
class ClusterExecutor:
    config: Config
    cluster: Cluster
    _waiting: ThreadPoolExecutor | None = None

    @property
    def where(self) -> str:
        return self.cluster.describe()

    def speech(self, cache: "ClipCache", events: "queue.Queue[object]") -> ClusterSpeech:
        return ClusterSpeech(self.cluster, cache, self.config.audio.sample_rate, events)

    def finish_all(self, parts: list[GuideTask]) -> dict["Future[Finished]", GuideTask]:
        # Threads here only pack and wait for the cluster's results; the work runs there.
        if self._waiting is None:
            self._waiting = ThreadPoolExecutor(max_workers=max(2, 4 * self.cluster.workers))
        return {self._waiting.submit(finish, self.cluster, part): part for part in parts}

    def get_ready(self, documents: bool) -> None:
        """The cluster's workers are up already."""

    def finishing_done(self) -> None:
        """The cluster's workers stay: they are not this build's."""

    def close(self, interrupted: bool) -> None:
        if self._waiting is not None:
            self._waiting.shutdown(cancel_futures=True)
        self.cluster.client.close()


# --- speech --------------------------------------------------------------------------------------------


class ClusterSpeech:
    """Sentences spoken on the cluster, each a task named by its clip key (a sentence several guides
    share is spoken once); a `Spoken` event comes out of `events` as each clip reaches the local
    cache, then None once the input is closed and every sentence is in."""

    def __init__(self, cluster: Cluster, cache: "ClipCache", rate: int, events: "queue.Queue[object]",
                 retries: int = 2):
        self.cluster, self.cache, self.rate, self.events, self.retries = cluster, cache, rate, events, retries
        self.jobs: dict[str, "SentenceJob"] = {}  # by the task's key
        self.futures: list[Any] = []
        self.thread = threading.Thread(target=self._collect, name="cluster-speech", daemon=True)

    def submit(self, job: "SentenceJob", spec: "EngineSpec") -> None:
        future = self.cluster.client.submit(speak_on_worker, spec, job, self.rate, self.retries,
                                            key=f"publish-clip-{job.key}", pure=False)
        self.jobs[future.key] = job
        self.futures.append(future)

    def close_input(self) -> None:
        self.thread.start()

    def _collect(self) -> None:
        from distributed import as_completed

        from publish.speech.plan import Spoken

        for future in as_completed(self.futures, loop=self.cluster.client.loop) if self.futures else ():
            job = self.jobs[future.key]
            try:
                data, seconds = future.result()
                if parse_entry(data, self.rate) is None:
                    raise ClusterError(f"a worker of {self.cluster.address} sent a damaged clip — check that every "
                                       "worker has the same publish version installed")
                self.cache.put_entry(job.key, data)
                self.events.put(Spoken(job, None, seconds))
            except Exception as error:  # said at the sentence's turn, as a failed engine is
                self.events.put(Spoken(job, _reason(error), 0.0))
            future.release()
        self.events.put(None)

    def close(self) -> None:
        unfinished = [future for future in self.futures if not future.done()]
        if unfinished:  # the build was interrupted, or failed
            self.cluster.client.cancel(unfinished)
        if self.thread.is_alive():
            self.thread.join(timeout=10)


def _reason(error: Exception) -> str:
    return str(error) if isinstance(error, (EngineError, ClusterError)) else f"{type(error).__name__}: {error}"


# Each worker process keeps one engine per engine spec, shared by its threads as the build's own
# engine processes share theirs: a model loads once per worker.
_hosts: dict["EngineSpec", EngineHost] = {}
_hosts_lock = threading.Lock()


def speak_on_worker(spec: "EngineSpec", job: "SentenceJob", rate: int, retries: int) -> tuple[bytes, float]:
    """On a worker: one sentence as a clip-cache entry (bytes), and the seconds it took."""
    started = time.perf_counter()
    with _hosts_lock:
        if spec not in _hosts:
            _hosts[spec] = EngineHost(spec)
        host = _hosts[spec]
    finished = host.clip(job, rate, retries, place=" on a cluster worker")
    return entry_bytes(finished, rate), time.perf_counter() - started


# --- finishing ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Parcel:
    """One guide's finishing, packed for a worker that does not see the project's folder: the task
    and every file it reads, by name (`cache/…`, `templates/…`, `output/…`, `guide/cover…`, `guide/images/…`, `intro…`)."""

    task: "GuideTask"
    files: dict[str, bytes]
    own_templates: bool  # False: the worker uses the templates bundled with its publish


def pack(task: "GuideTask") -> Parcel:
    from publish.config import bundled_templates

    files: dict[str, bytes] = {}
    config, guide = task.config, task.plan.guide
    if task.needs_clips:
        cache = ClipCache(config.cache_dir)
        for job in task.plan.jobs:
            # A clip that is not here is not packed: the worker's finishing then names it, as a
            # local finishing would (it never speaks).
            path = cache.path(job.key)
            if path.is_file():
                files.setdefault(f"cache/{path.relative_to(cache.folder).as_posix()}", path.read_bytes())
    own_templates = config.templates_dir.resolve() != bundled_templates().resolve()
    if own_templates:
        for path in sorted(p for p in config.templates_dir.rglob("*") if p.is_file()):
            files[f"templates/{path.relative_to(config.templates_dir).as_posix()}"] = path.read_bytes()
    for name, named in (("guide/cover", guide.cover), ("intro", config.audio.intro), ("outro", config.audio.outro)):
        if named is not None:
            files[f"{name}{named.suffix}"] = named.read_bytes()
    for figure in guide.figures:  # by the names the guide gives them, inside its folder
        files[f"guide/{figure.name}"] = figure.source.read_bytes()
    for path in earlier_files(task.steps, task.files, task.timeline_current):
        files[f"output/{path.relative_to(task.files.output).as_posix()}"] = path.read_bytes()
    return Parcel(task, files, own_templates)


def relocate(task: "GuideTask", root: Path, own_templates: bool) -> "GuideTask":
    """The task with every path it reads or writes under `root`, laid out as `pack` names files."""
    from publish.config import bundled_templates

    config, guide = task.config, task.plan.guide

    def moved(name: str, path: Path | None) -> Path | None:
        return root / f"{name}{path.suffix}" if path is not None else None

    audio = replace(config.audio, intro=moved("intro", config.audio.intro), outro=moved("outro", config.audio.outro))
    config = replace(config, root=root, output_dir=root / "output", cache_dir=root / "cache", audio=audio,
                     templates_dir=root / "templates" if own_templates else bundled_templates())
    # The guide "lives" in guide/ beside its cover: handouts read images from the guide's folder only.
    where = replace(guide.where, path=str(root / "guide" / Path(guide.where.path).name))
    guide = replace(guide, where=where, cover=moved("guide/cover", guide.cover)).with_images_in(root / "guide")
    plan = replace(task.plan, guide=guide)
    return replace(task, config=config, plan=plan, files=replace(task.files, output=root / "output"))


def finish_on_worker(parcel: Parcel) -> Finished:
    """On a worker: finish the guide in a scratch folder; its outputs come back as bytes, by their
    path under `output/`."""
    import tempfile

    from publish.builder.finish import finish_guide

    with tempfile.TemporaryDirectory(prefix="publish-finish-") as scratch:
        root = Path(scratch)
        for name, data in parcel.files.items():
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        task = relocate(parcel.task, root, parcel.own_templates)
        finished = finish_guide(task)
    output = task.files.output
    return replace(finished, outputs={path.relative_to(output): data for path, data in finished.outputs.items()})


class _Lost(Exception):
    """The worker holding or finishing a guide's parcel went away."""


def finish(cluster: Cluster, task: "GuideTask") -> Finished:
    """One guide finished on the cluster; waits for the result, and gives its outputs by their
    paths here. A worker lost while finishing loses the parcel it held: the guide is sent again,
    to a worker still there, up to ALLOWED_FAILURES times."""
    parcel = pack(task)
    for attempt in range(1, ALLOWED_FAILURES + 1):
        try:
            finished = _finish_once(cluster, parcel, _task_key(task, attempt))
        except _Lost as lost:
            if attempt == ALLOWED_FAILURES or not _a_worker_remains(cluster):
                raise ClusterError(f"{task.plan.guide.where.path}: the Dask cluster at {cluster.address} lost the "
                                   f"workers finishing this guide {attempt} times ({lost}) — check that the workers "
                                   "are running and have memory to spare, then build again") from None
            log.info("a worker finishing %s was lost (%s); sending it again", task.files.slug, lost)
            continue
        return replace(finished, outputs={task.files.output / name: data for name, data in finished.outputs.items()})
    raise AssertionError("unreachable")


def _a_worker_remains(cluster: Cluster) -> bool:
    """Whether any worker is left to send the guide to. The client's view of the workers is
    refreshed only now and then, and just after a loss it may list none while others are there
    (a test saw a 3-worker cluster, one killed, give up): ask the scheduler, briefly."""
    import asyncio

    try:
        cluster.client.wait_for_workers(1, timeout=10)
    except (TimeoutError, asyncio.TimeoutError, OSError):
        return False
    return True


def _task_key(task: "GuideTask", attempt: int) -> str:
    """The finishing task's name on the cluster's dashboard: the guide and the steps it makes."""
    steps = "+".join(step.state_name(task.files) for step in task.steps)
    return f"finish_on_worker-{task.files.slug}-{steps}-{attempt}-{uuid.uuid4().hex[:8]}"


def _finish_once(cluster: Cluster, parcel: Parcel, key: str) -> Finished:
    from distributed.client import FutureCancelledError
    from distributed.comm.core import CommClosedError
    from distributed.scheduler import KilledWorker

    client = cluster.client
    try:
        # Sent to a worker as data, not inside the task graph: a guide's clips are tens of megabytes.
        # A worker that died before the scheduler noticed breaks the scatter, or lets it time out.
        [scattered] = client.scatter([parcel], hash=False)
    except OSError as error:
        raise _Lost(f"{type(error).__name__}: {error}") from None
    future = client.submit(finish_on_worker, scattered, key=key, pure=False)
    try:
        return future.result()
    # The worker holding the parcel died (the future is cancelled), the connection to it broke
    # off, or the task killed workers too often. An error of the finishing itself is not caught.
    except (FutureCancelledError, KilledWorker, CommClosedError) as error:
        raise _Lost(type(error).__name__) from None
    finally:
        future.release()
        scattered.release()
