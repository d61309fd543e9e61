"""`publish build`: every format of every guide, rebuilt only where an input changed.

The build gathers, then writes. It loads every guide of the project (also when only some are
named), plans their lessons and works out what is stale; synthesizes every missing sentence in
one process pool; finishes each named guide (audio, transcripts, handouts) in the same pool; then
gathers the manifest (every guide and which of its outputs exist) and renders pages, index and
feed from it. All files are written atomically; the state file records what each output was
built from, and is updated only after the output is in place, so an interrupted build is
finished by the next one. One guide failing never stops the others, and keeps its last good files.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections import Counter
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publish import __version__
from publish.config import Config
from publish.errors import GuideError, Problem, PublishError
from publish.outputs.files import FORMATS, GuideFiles, SiteFiles
from publish.build.finish import Finished, GuideTask, parts_of
from publish.outputs.manifest import GuideEntry, Manifest
from publish.guide.model import Guide
from publish.build.state import (build_lock, keep_source, last_good_source, load_state, remove_partial_files, save_state,
                           state_key, steps_of)
from publish.audio.timeline import read_timeline
from publish.writer import write_text_atomic

if TYPE_CHECKING:
    from publish.speech.plan import LessonPlan

log = logging.getLogger(__name__)


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
    where: str = ""  # where synthesis and finishing ran, when anything did

    @property
    def ok(self) -> bool:
        return all(not r.problems for r in self.results)


class Progress:
    """What the build tells whoever watches it; the CLI supplies a real one."""

    def phase(self, name: str, total: int) -> None: ...

    def advance(self, done: int, total: int) -> None: ...

    def guide_done(self, result: GuideResult) -> None: ...


# --- keys ------------------------------------------------------------------------------------------


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


def guide_source(guide: Guide) -> bytes:
    path = Path(guide.where.path)
    return path.read_bytes() if path.is_file() else b""


def plan_key(plan: "LessonPlan") -> str:
    return _hash([job.key for job in plan.jobs], [(t.turn.speaker.name, t.part) for t in plan.turns],
                 [p.title for p in plan.guide.lesson.parts])


def output_keys(config: Config, plan: "LessonPlan", templates: str, paper: str) -> dict[str, str]:
    """What each output of a guide is built from; a changed key means rebuild. `templates` is the
    templates folder's digest. Handouts carry the transcript, so they follow the audio's key."""
    guide = plan.guide
    cover = file_digest(guide.cover)
    audio = _hash(__version__, plan_key(plan), config.audio, file_digest(config.audio.intro),
                  file_digest(config.audio.outro), guide.title, guide.series, guide.summary, guide.updated,
                  guide.language, cover, config.site.author, guide.settings.transcript_speaker_names)
    transcript = _hash(__version__, audio, guide.settings)
    pdf = _hash(__version__, guide_source(guide), cover, templates, paper, config.site, audio)
    epub = _hash(__version__, guide_source(guide), cover, templates, config.site, audio)
    return {"audio": audio, "transcript": transcript, "pdf": pdf, "epub": epub}


def page_key(config: Config, entry: GuideEntry, state: dict[str, str], templates: str) -> str:
    """A page shows the guide and links every output it has: its key covers all of them."""
    shown = sorted((step, state.get(state_key(entry.guide.slug, step), "")) for step in entry.steps if step != "web")
    return _hash(__version__, guide_source(entry.guide), templates, config.site, shown, entry.failed)


# --- the build ----------------------------------------------------------------------------------------


def build(config: Config, guide_paths: list[Path], options: BuildOptions, progress: Progress | None = None
          ) -> BuildReport:
    """Build the named guides; pages, index and feed always cover every guide of the project."""
    progress = progress or Progress()
    started = time.perf_counter()
    with build_lock(config.output_dir):
        remove_partial_files(config.output_dir)
        state = load_state(config.output_dir)
        named, others, results, last_good = _load(config, guide_paths)
        templates = folder_digest(config.templates_dir)
        tasks = _stale(config, named, state, options, results, templates)
        report = BuildReport(list(results.values()))
        if tasks:
            _run(config, tasks, results, state, progress, report)
        pages = {results[p].slug for p in named if not results[p].problems} if "web" in options.only else set()
        manifest = _gather(config, {**last_good, **others, **named}, state, results, pages, set(last_good))
        if "web" in options.only:
            _write_pages(config, manifest, named, state, results, options, templates)
        _write_site(config, manifest, state, templates, options.force)
        for path, guide in named.items():
            if not results[path].problems:
                keep_source(config.output_dir, Path(path))
        report.results = [results[str(p)] for p in guide_paths if str(p) in results]
    report.seconds = time.perf_counter() - started
    return report


def _load(config: Config, paths: list[Path]
          ) -> tuple[dict[str, Guide], dict[str, Guide], dict[str, GuideResult], dict[str, Guide]]:
    """The named guides (with a result each), the project's other guides (listed, not built), and
    for guides that do not load now, their last good build's source (listed, marked failed)."""
    from publish.guide.project import find_guides
    from publish.guide.source import load_guide

    named: dict[str, Guide] = {}
    results: dict[str, GuideResult] = {}
    last_good: dict[str, Guide] = {}
    slugs: dict[str, str] = {}
    for path in paths:
        try:
            guide = load_guide(path)
        except GuideError as error:
            results[str(path)] = GuideResult(path.stem, str(path), problems=[str(p) for p in error.problems])
            _remember(config, path, last_good)
            continue
        if guide.slug in slugs:
            problem = Problem(guide.where.path, 1, f"slug `{guide.slug}` is also used by {slugs[guide.slug]}",
                              "give each guide its own `slug:`")
            results[str(path)] = GuideResult(guide.slug, str(path), problems=[str(problem)])
            continue
        slugs[guide.slug] = guide.where.path
        named[str(path)] = guide
        results[str(path)] = GuideResult(guide.slug, str(path))
    named_files = {p.resolve() for p in paths}
    others: dict[str, Guide] = {}
    for path in find_guides(config.guides_dir) if config.guides_dir.is_dir() else []:
        if path.resolve() in named_files:
            continue
        try:
            guide = load_guide(path)
        except GuideError:
            _remember(config, path, last_good)  # `publish check` says what is wrong with it
            continue
        if guide.slug not in slugs:
            slugs[guide.slug] = guide.where.path
            others[str(path)] = guide
    for path, guide in list(last_good.items()):
        if guide.slug in slugs:
            del last_good[path]
    return named, others, results, last_good


def _remember(config: Config, path: Path, last_good: dict[str, Guide]) -> None:
    """The guide as it was last built, for the index and feed, when its current source does not load."""
    from publish.guide.source import parse_guide

    kept = last_good_source(config.output_dir, path)
    if kept is None:
        return
    try:
        last_good[str(path)] = parse_guide(kept.read_text(encoding="utf-8"), str(path), folder=path.parent)
    except (GuideError, OSError, UnicodeDecodeError):
        pass


def guide_files(config: Config, guide: Guide) -> GuideFiles:
    return GuideFiles(config.output_dir, guide.slug, guide.settings.paper)


def _stale(config: Config, guides: dict[str, Guide], state: dict[str, str], options: BuildOptions,
           results: dict[str, GuideResult], templates: str) -> list[GuideTask]:
    from publish.speech.plan import plan_lesson

    tasks = []
    for path, guide in guides.items():
        result = results[path]
        try:
            plan = plan_lesson(guide, config.audio, config.root)
        except PublishError as error:
            result.problems.append(str(error))
            continue
        files = guide_files(config, guide)
        paper = config.paper or guide.settings.paper
        keys = {files.pdf_step(paper) if step == "pdf" else step: key
                for step, key in output_keys(config, plan, templates, paper).items()}
        steps = []
        for step in keys:
            if step.split("-")[0] not in options.only:
                continue
            built = all(p.is_file() for p in files.for_step(step))
            if state.get(state_key(guide.slug, step)) == keys[step] and built and not options.force:
                result.fresh.append(step)
            else:
                steps.append(step)
        audio_key_current = state.get(state_key(guide.slug, "audio")) == keys["audio"]
        audio_current = audio_key_current and all(p.is_file() for p in files.for_step("audio"))
        if "epub" in steps and "audio" not in steps and not audio_current:
            steps.insert(0, "audio")  # the book carries the lesson audio: `--only epub` brings it up to date too
        timeline_current = audio_key_current and files.timeline.is_file()
        if steps:
            tasks.append(GuideTask(path, config, plan, files, tuple(steps), tuple(keys.items()), timeline_current))
    return tasks


def _run(config: Config, tasks: list[GuideTask], results: dict[str, GuideResult], state: dict[str, str],
         progress: Progress, report: BuildReport) -> None:
    from publish.build.executors import executor
    from publish.speech.synth import ClipCache

    speaking = [t for t in tasks if t.needs_clips]
    spec_by_engine: dict = {}
    for task in speaking:
        for spec, jobs in task.plan.jobs_by_spec().items():
            spec_by_engine.setdefault(spec, []).extend(jobs)
        for speaker, voice in task.plan.voices:
            report.voices.setdefault(voice, []).append(f"{task.plan.guide.slug} ({speaker})")
    cache = ClipCache(config.cache_dir)
    failed_keys: dict[str, str] = {}
    with executor(config) as work:
        report.where = work.where
        for spec, jobs in spec_by_engine.items():
            progress.phase(f"Synthesizing speech ({spec.name})", 0)  # the count of missing sentences comes with the first clip
            synthesis = work.speak(jobs, spec, cache, progress.advance, failed_keys)
            report.clips_synthesized += synthesis.synthesized
            report.clips_cached += synthesis.cached
            report.synthesis_seconds += synthesis.seconds
        runnable = []
        for task in tasks:
            broken = [j for j in task.plan.jobs if j.key in failed_keys] if task.needs_clips else []
            if broken:  # named at this guide's turn: another guide may share the sentence
                results[task.path].problems.append(f"{broken[0].where}: {failed_keys[broken[0].key]}")
            else:
                runnable.append(task)
        progress.phase("Building guides", len(runnable))
        # Longest lessons first, so no worker is left with the biggest piece at the end.
        parts = [part for task in sorted(runnable, key=lambda t: -len(t.plan.jobs)) for part in parts_of(task)]
        remaining = Counter(part.path for part in parts)
        steps_of_guide = {task.path: task.steps for task in runnable}
        futures = work.finish_all(parts)
        for future in as_completed(futures):
            task = futures[future]
            result = results[task.path]
            try:
                outcome: Finished = future.result()
            except PublishError as error:
                result.problems.append(str(error))
            except Exception as error:  # a bug or a library failure: report it, keep building the rest
                log.debug("guide %s failed", task.plan.guide.where.path, exc_info=True)
                result.problems.append(f"{task.plan.guide.where.path}: unexpected error: {type(error).__name__}: {error}")
            else:
                result.built.extend(outcome.built)
                result.seconds = max(result.seconds, outcome.seconds)
                state.update({state_key(result.slug, step): key for step, key in outcome.state.items()})
                save_state(config.output_dir, state)
            remaining[task.path] -= 1
            if not remaining[task.path]:
                result.built.sort(key=steps_of_guide[task.path].index)
                progress.advance(sum(1 for path in remaining if not remaining[path]), len(runnable))
                progress.guide_done(result)


# --- gather, then write pages, index and feed --------------------------------------------------------


def _gather(config: Config, guides: dict[str, Guide], state: dict[str, str], results: dict[str, GuideResult],
            pages: set[str], stale: set[str]) -> Manifest:
    """Every guide and the outputs it has once this build is done (`pages`: the guides whose pages
    this build writes; `stale`: guides listed from their last good build)."""
    failed = {guide.slug for path, guide in guides.items()
              if path in stale or (path in results and results[path].problems)}
    entries = []
    for guide in guides.values():
        files = guide_files(config, guide)
        steps = steps_of(state, guide.slug) | ({"web"} if guide.slug in pages else set())
        timeline = read_timeline(files.timeline) if "audio" in steps else None
        entries.append(GuideEntry(guide, files, steps, guide.slug in failed, timeline))
    return Manifest(tuple(sorted(entries, key=lambda e: e.guide.title.lower())))


def _write_pages(config: Config, manifest: Manifest, named: dict[str, Guide], state: dict[str, str],
                 results: dict[str, GuideResult], options: BuildOptions, templates: str) -> None:
    for path, guide in named.items():
        result = results[path]
        if result.problems:
            continue  # its last good page stays
        entry = manifest.entry(guide.slug)
        key = page_key(config, entry, state, templates)
        if state.get(state_key(guide.slug, "web")) == key and entry.files.page.is_file() and not options.force:
            result.fresh.append("web")
            continue
        from publish.outputs.web import render_guide_page  # only when a page changes: a no-op build loads no templates

        write_text_atomic(entry.files.page, render_guide_page(config, entry))
        result.built.append("web")
        state[state_key(guide.slug, "web")] = key
        save_state(config.output_dir, state)


# The state's key for the index, feed, cover and assets; "@" is never in a slug.
SITE_STATE_KEY = "@site"


def site_key(config: Config, manifest: Manifest, state: dict[str, str], templates: str) -> str:
    """The index and feed show every guide as its page does: their key covers every page's key."""
    shown = [(e.guide.slug, e.has("web"), page_key(config, e, state, templates)) for e in manifest.entries]
    return _hash(__version__, templates, config.site, shown)


def _site_files_present(config: Config) -> bool:
    site = SiteFiles(config.output_dir)
    # The feed and its drawn cover exist only with a base URL (a feed needs absolute addresses).
    wanted = [site.index] + ([site.feed] if config.site.base_url else [])
    wanted += [site.cover] if config.site.base_url and not config.site.image else []
    assets = config.templates_dir / "assets"
    wanted += [site.assets / p.name for p in assets.iterdir() if p.is_file()] if assets.is_dir() else []
    return all(path.is_file() for path in wanted)


def _write_site(config: Config, manifest: Manifest, state: dict[str, str], templates: str, force: bool) -> None:
    key = site_key(config, manifest, state, templates)
    if state.get(SITE_STATE_KEY) == key and _site_files_present(config) and not force:
        return  # nothing the index or feed shows has changed: no need to load the templates
    from publish.outputs.web import write_site

    write_site(config, manifest)
    state[SITE_STATE_KEY] = key
    save_state(config.output_dir, state)
