"""`publish build`: every format of every guide, rebuilt only where an input changed.

The build first gathers (guides, lesson plans, what is stale), then synthesizes every missing
sentence of every guide in one process pool, then finishes each guide (audio, transcripts,
handouts, page) in the same pool. All files are written atomically; the state file records what
each output was built from, and is updated only after the output is in place, so an interrupted
build is finished by the next one. One guide failing never stops the others.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator

from publish import __version__
from publish.config import Config
from publish.errors import BuildLockedError, GuideError, OutputError, Problem, PublishError
from publish.model import Guide

if TYPE_CHECKING:
    from publish.audio import LessonPlan
from publish.timeline import read_timeline
from publish.writer import write_bytes_atomic, write_text_atomic

log = logging.getLogger(__name__)

FORMATS = ("audio", "transcript", "pdf", "web")
STATE_NAME = ".publish-state.json"
LOCK_NAME = ".publish.lock"


@dataclass(frozen=True)
class BuildOptions:
    only: frozenset[str] = frozenset(FORMATS)
    force: bool = False


@dataclass
class GuideResult:
    slug: str
    path: str
    built: list[str] = field(default_factory=list)
    fresh: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    state: dict[str, str] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.problems:
            return "failed"
        return "built" if self.built else "up to date"


@dataclass
class BuildReport:
    results: list[GuideResult]
    clips_synthesized: int = 0
    clips_cached: int = 0
    synthesis_seconds: float = 0.0
    seconds: float = 0.0
    voices: dict[str, list[str]] = field(default_factory=dict)  # voice → the guides' hosts that used it

    @property
    def ok(self) -> bool:
        return all(not r.problems for r in self.results)


class Progress:
    """What the build tells whoever watches it; the CLI supplies a real one."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, done: int, total: int) -> None: ...

    def guide_done(self, result: GuideResult) -> None: ...


# --- paths and keys -------------------------------------------------------------------------------


def guide_outputs(output: Path, slug: str) -> dict[str, list[Path]]:
    folder = output / slug
    return {
        "audio": [folder / f"{slug}.mp3", folder / f"{slug}.timeline.json"],
        "transcript": [folder / f"{slug}.{ext}" for ext in
                       ("txt", "md", "vtt", "srt", "transcript.json", "chapters.json", "transcript.html")],
        "pdf": [folder / f"{slug}.pdf", folder / f"{slug}-large-print.pdf"],
        "web": [folder / "index.html"],
    }


def _hash(*parts: object) -> str:
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part if isinstance(part, bytes) else repr(part).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def folder_digest(folder: Path) -> str:
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    return _hash(*[(str(p.relative_to(folder)), p.read_bytes()) for p in files])


def file_digest(path: Path | None) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path and path.is_file() else "none"


# --- the build ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _GuideTask:
    """Everything a worker needs to finish one guide; picklable. It carries the guide as planned,
    so the worker builds exactly what the keys were computed from."""

    path: Path
    config: Config
    plan: "LessonPlan"
    steps: tuple[str, ...]  # formats to (re)build, in order
    keys: tuple[tuple[str, str], ...]


def build(config: Config, guide_paths: list[Path], options: BuildOptions, progress: Progress | None = None
          ) -> BuildReport:
    progress = progress or Progress()
    started = time.perf_counter()
    with build_lock(config.output_dir):
        remove_partial_files(config.output_dir)
        state = load_state(config.output_dir)
        guides, results = _load(guide_paths)
        tasks = _stale(config, guides, state, options, results)
        report = BuildReport(list(results.values()))
        if tasks:
            _run(config, tasks, results, state, progress, report)
        _write_site(config, list(guides.values()))
        report.results = [results[str(p)] for p in guide_paths if str(p) in results]
    report.seconds = time.perf_counter() - started
    return report


def _load(paths: list[Path]) -> tuple[dict[str, Guide], dict[str, GuideResult]]:
    from publish.source import load_guide

    guides: dict[str, Guide] = {}
    results: dict[str, GuideResult] = {}
    slugs: dict[str, str] = {}
    for path in paths:
        try:
            guide = load_guide(path)
        except GuideError as error:
            results[str(path)] = GuideResult(path.stem, str(path), problems=[str(p) for p in error.problems])
            continue
        if guide.slug in slugs:
            problem = Problem(guide.where.path, 1, f"slug `{guide.slug}` is also used by {slugs[guide.slug]}",
                              "give each guide its own `slug:`")
            results[str(path)] = GuideResult(guide.slug, str(path), problems=[str(problem)])
            continue
        slugs[guide.slug] = guide.where.path
        guides[str(path)] = guide
        results[str(path)] = GuideResult(guide.slug, str(path))
    return guides, results


def output_keys(config: Config, guide: Guide, plan_key: str | None, templates: str) -> dict[str, str]:
    """What each output of a guide is built from; a changed key means rebuild. `templates` is the
    templates folder's digest."""
    source = Path(guide.where.path).read_bytes() if Path(guide.where.path).is_file() else b""
    paper = config.paper or guide.settings.paper
    cover = file_digest(guide.cover)
    audio = _hash(__version__, plan_key, config.audio, file_digest(config.audio.intro),
                  file_digest(config.audio.outro), guide.title, guide.series, guide.summary, guide.updated,
                  guide.language, cover, config.site.author, guide.settings.transcript_speaker_names)
    transcript = _hash(__version__, audio, guide.settings)
    pdf = _hash(__version__, source, cover, templates, paper, config.site, audio if plan_key else "no audio")
    web = _hash(__version__, source, templates, config.site, audio if plan_key else "no audio")
    return {"audio": audio, "transcript": transcript, "pdf": pdf, "web": web}


def _stale(config: Config, guides: dict[str, Guide], state: dict[str, str], options: BuildOptions,
           results: dict[str, GuideResult]) -> list[_GuideTask]:
    from publish.audio import plan_lesson

    templates = folder_digest(config.templates_dir)
    tasks = []
    for path, guide in guides.items():
        result = results[path]
        try:
            plan = plan_lesson(guide, config.audio)
        except PublishError as error:
            result.problems.append(str(error))
            continue
        plan_key = _hash([job.key for job in plan.jobs], [(t.turn.speaker.name, t.part) for t in plan.turns],
                         [p.title for p in guide.lesson.parts])
        outputs = guide_outputs(config.output_dir, guide.slug)
        built = {step: all(p.is_file() for p in paths) for step, paths in outputs.items()}
        has_audio = "audio" in options.only or built["audio"]
        keys = output_keys(config, guide, plan_key if has_audio else None, templates)
        steps = []
        for step in FORMATS:
            if step not in options.only:
                continue
            if state.get(f"{guide.slug}/{step}") == keys[step] and built[step] and not options.force:
                result.fresh.append(step)
            else:
                steps.append(step)
        if steps:
            tasks.append(_GuideTask(Path(path), config, plan, tuple(steps), tuple(keys.items())))
    return tasks


def _run(config: Config, tasks: list[_GuideTask], results: dict[str, GuideResult], state: dict[str, str],
         progress: Progress, report: BuildReport) -> None:
    from publish.synth import ClipCache, synthesize

    audio_tasks = [t for t in tasks if "audio" in t.steps]
    jobs_by_guide = {str(t.path): t.plan.jobs for t in audio_tasks}
    spec_by_engine: dict = {}
    for task in audio_tasks:
        for spec, jobs in task.plan.jobs_by_spec().items():
            spec_by_engine.setdefault(spec, []).extend(jobs)
        for speaker, voice in task.plan.voices:
            report.voices.setdefault(voice, []).append(f"{task.plan.guide.slug} ({speaker})")
    cache = ClipCache(config.cache_dir)
    failed_keys: dict[str, str] = {}
    for spec, jobs in spec_by_engine.items():
        progress.phase(f"Synthesizing speech ({spec.name})", 0)  # the count of missing sentences comes with the first clip
        _, synthesis = synthesize(jobs, spec, cache, config.jobs, config.audio.sample_rate,
                                  on_clip=progress.advance, keep_going=failed_keys, keep=False)
        report.clips_synthesized += synthesis.synthesized
        report.clips_cached += synthesis.cached
        report.synthesis_seconds += synthesis.seconds
    runnable = []
    for task in tasks:
        broken = [failed_keys[j.key] for j in jobs_by_guide.get(str(task.path), []) if j.key in failed_keys]
        if broken:
            results[str(task.path)].problems.append(f"{task.path}: {broken[0]}")
        else:
            runnable.append(task)
    progress.phase("Building guides", len(runnable))
    with _pool(config.jobs, len(runnable)) as pool:
        futures: dict[Future, _GuideTask] = {pool.submit(finish_guide, task): task for task in runnable}
        for done, future in enumerate(as_completed(futures), start=1):
            task = futures[future]
            result = results[str(task.path)]
            try:
                outcome = future.result()
            except PublishError as error:
                result.problems.append(str(error))
            except Exception as error:  # a bug or a library failure: report it, keep building the rest
                log.debug("guide %s failed", task.path, exc_info=True)
                result.problems.append(f"{task.path}: unexpected error: {type(error).__name__}: {error}")
            else:
                result.built.extend(outcome.built)
                result.seconds = outcome.seconds
                result.problems.extend(outcome.problems)
                state.update(outcome.state)
                save_state(config.output_dir, state)
            progress.advance(done, len(runnable))
            progress.guide_done(result)


@contextmanager
def _pool(jobs: int, tasks: int) -> Iterator:
    if jobs <= 1 or tasks <= 1:
        yield _InlinePool()
        return
    import multiprocessing

    with ProcessPoolExecutor(max_workers=min(jobs, tasks), mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


class _InlinePool:
    """The pool interface, run in this process: for --jobs 1, a single guide, and debugging."""

    def submit(self, function: Callable, *args) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except BaseException as error:  # handed to the caller through the future, as a pool would
            future.set_exception(error)
        return future


# --- one guide, in a worker -------------------------------------------------------------------------


def finish_guide(task: _GuideTask) -> GuideResult:
    from concurrent.futures import ThreadPoolExecutor

    started = time.perf_counter()
    guide = task.plan.guide
    keys = dict(task.keys)
    result = GuideResult(guide.slug, str(task.path))
    outputs = guide_outputs(task.config.output_dir, guide.slug)
    timeline = None
    # The MP3 is encoded by ffmpeg in the background while transcripts and handouts, which need
    # only the timeline, are made here; the page, which lists the MP3's size, waits for it.
    with ThreadPoolExecutor(max_workers=1) as background:
        encoding = None
        for step in task.steps:
            if step == "audio":
                timeline, encoding = _start_audio(task.config, task.plan, outputs["audio"], background)
            else:
                timeline = timeline or read_timeline(outputs["audio"][1])
                if step == "transcript":
                    if timeline is None:
                        result.problems.append(f"{guide.where.path}: no audio built yet, so no transcript — "
                                               "run `publish build` without --only, or with --only audio,transcript")
                        continue
                    _build_transcripts(guide, timeline, outputs["transcript"])
                elif step == "pdf":
                    _build_pdfs(task.config, guide, timeline, outputs["pdf"])
                elif step == "web":
                    if encoding is not None:
                        encoding.result()
                    _build_page(task.config, guide, timeline, outputs)
            result.built.append(step)
            result.state[f"{guide.slug}/{step}"] = keys[step]
        if encoding is not None:
            encoding.result()  # raises here if encoding failed: then no step of this guide counts as built
    result.seconds = time.perf_counter() - started
    return result


def _start_audio(config: Config, plan: "LessonPlan", targets: list[Path], background):
    """Assemble the lesson now (giving the timeline); master, encode, tag and write it in `background`."""
    from publish.audio import assemble, encode_mp3
    from publish.synth import ClipCache, synthesize
    from publish.tags import tag_mp3

    guide = plan.guide
    # Every clip is in the cache by now; a damaged one is detected and made again here.
    clips: dict = {}
    for spec, jobs in plan.jobs_by_spec().items():
        clips.update(synthesize(jobs, spec, ClipCache(config.cache_dir), 1, config.audio.sample_rate,
                                in_process=True)[0])
    track, timeline = assemble(plan, clips, config.audio)
    del clips

    def finish() -> None:
        mp3 = tag_mp3(encode_mp3(track, config.audio), guide, timeline, config.site.author)
        write_text_atomic(targets[1], timeline.to_json())
        write_bytes_atomic(targets[0], mp3)

    return timeline, background.submit(finish)


def _build_transcripts(guide: Guide, timeline, targets: list[Path]) -> None:
    from publish import captions, transcript

    names = guide.settings.transcript_speaker_names
    cues = captions.cues(timeline, guide.settings.caption_max_cps)
    texts = [
        transcript.transcript_txt(timeline, names),
        transcript.transcript_md(timeline, names),
        captions.webvtt(cues, guide.language),
        captions.srt(cues),
        transcript.podcast_transcript_json(timeline),
        transcript.chapters_json(timeline),
        str(transcript.transcript_html(timeline)) + "\n",
    ]
    for target, text in zip(targets, texts):
        write_text_atomic(target, text)


def lesson_url(config: Config, slug: str) -> str | None:
    return f"{config.site.base_url}{slug}/" if config.site.base_url else None


def _build_pdfs(config: Config, guide: Guide, timeline, targets: list[Path]) -> None:
    from publish.handout import HandoutRequest, render_handout

    paper = config.paper or guide.settings.paper
    for edition, target in zip(("standard", "large-print"), targets):
        request = HandoutRequest(guide, timeline, edition, paper, config.templates_dir, config.site.author,
                                 lesson_url(config, guide.slug))
        write_bytes_atomic(target, render_handout(request))


def _build_page(config: Config, guide: Guide, timeline, outputs: dict[str, list[Path]]) -> None:
    from publish.web import render_guide_page

    html = render_guide_page(config, guide, timeline, outputs)
    write_text_atomic(outputs["web"][0], html)


def _write_site(config: Config, guides: list[Guide]) -> None:
    from publish.web import write_site

    write_site(config, guides)


# --- state and lock ---------------------------------------------------------------------------------


def remove_partial_files(output: Path) -> None:
    """Temporary files of a build that was killed before it could rename them; never a finished file."""
    for partial in output.rglob(".*.part"):
        try:
            partial.unlink()
        except OSError:
            pass


def load_state(output: Path) -> dict[str, str]:
    try:
        data = json.loads((output / STATE_NAME).read_text(encoding="utf-8"))
        return {str(k): str(v) for k, v in data.get("outputs", {}).items()}
    except (OSError, ValueError, AttributeError):
        return {}  # no state, or a damaged one: everything is rebuilt, which is always safe


def save_state(output: Path, state: dict[str, str]) -> None:
    write_text_atomic(output / STATE_NAME, json.dumps({"version": __version__, "outputs": state}, indent=1,
                                                      sort_keys=True) + "\n")


@contextmanager
def build_lock(output: Path) -> Iterator[None]:
    try:
        output.mkdir(parents=True, exist_ok=True)
        handle = open(output / LOCK_NAME, "a+")
    except OSError as error:
        raise OutputError(f"cannot write to {output} ({error.strerror}) — check the folder and its permissions, "
                          "or choose another with --output") from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise BuildLockedError(f"another build ({holder}) is writing to {output} — wait for it to finish, "
                                   "or build into another folder with --output") from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        yield
    finally:
        handle.close()  # closing releases the lock, also when the process is killed
