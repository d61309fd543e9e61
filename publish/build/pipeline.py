"""`publish build`: every format of every guide, rebuilt only where an input changed.

The build gathers, then writes. It loads every guide of the project (also when only some are
named), plans their lessons and works out which steps are stale; speaks every missing sentence;
finishes each named guide (its outputs come back as bytes and are written here, by the one
writer); then gathers the manifest (every guide and which of its outputs exist) and renders
pages, index and feed from it. All files are written atomically; the state records what each
output was built from, and is updated only after the output is in place, so an interrupted build
is finished by the next one. One guide failing never stops the others, and keeps its last good files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from publish.build.finish import GuideTask
from publish.build.keys import key_inputs, page_key, site_key
from publish.build.report import BuildOptions, BuildReport, GuideResult, Progress
from publish.build.run import run
from publish.build.state import (BuildState, build_lock, keep_source, last_good_source, migrate, remove_partial_files,
                                 state_folder)
from publish.config import Config
from publish.digest import folder_digest
from publish.errors import GuideError, PublishError
from publish.guide.model import Guide
from publish.outputs.base import Reads, Step
from publish.outputs.files import GuideFiles
from publish.outputs.images import page_copies
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.registry import FORMATS, PAGE, producer_of, steps, steps_named
from publish.speech.said import SpokenTexts
from publish.writer import write_if_changed

__all__ = ["BuildOptions", "BuildReport", "GuideResult", "Progress", "build"]


def guide_files(config: Config, guide: Guide) -> GuideFiles:
    return GuideFiles(config.output_dir, guide.slug, guide.settings.paper)


# --- the build ----------------------------------------------------------------------------------------


def build(config: Config, guide_paths: list[Path], options: BuildOptions, progress: Progress | None = None
          ) -> BuildReport:
    """Build the named guides; pages, index and feed always cover every guide of the project."""
    progress = progress or Progress()
    started = time.perf_counter()
    folder = state_folder(config.cache_dir, config.output_dir)
    with build_lock(folder, config.output_dir):
        migrate(config.output_dir, folder)
        remove_partial_files(config.output_dir)
        state = BuildState(folder)
        project = gather_guides(config, guide_paths, folder)
        results = project.results
        templates = folder_digest(config.templates_dir)
        said = SpokenTexts(config.cache_dir)
        tasks = []
        for path, guide in project.named.items():
            planned = plan_guide(config, path, guide, state, options, templates, said)
            results[path].fresh += planned.fresh
            results[path].problems += planned.problems
            tasks += [planned.task] if planned.task else []
        said.save()
        report = BuildReport([])
        if tasks:
            for path, outcome in run(config, tasks, state, progress, report).items():
                results[path].built += outcome.built
                results[path].problems += outcome.problems
                results[path].seconds = outcome.seconds
        ok = [path for path in project.named if not results[path].problems]
        pages = {project.named[p].slug for p in ok} if PAGE in options.only else set()
        manifest = gather_manifest(config, project, state, {p for p in results if results[p].problems}, pages)
        pages_started = time.monotonic()
        if PAGE in options.only:
            for path in ok:
                made = write_page(config, manifest.entry(project.named[path].slug), state, templates, options.force)
                (results[path].built if made else results[path].fresh).append(PAGE.name)
        write_site(config, manifest, state, templates, options.force)
        progress.span("pages", "pages", "pages, index and feed", pages_started, time.monotonic())
        for path in ok:
            keep_source(folder, Path(path))
        report.results = [results[str(p)] for p in guide_paths if str(p) in results]
    report.seconds = time.perf_counter() - started
    return report


@dataclass
class Project:
    """The guides a build knows of: the named ones (each with a result), the project's other guides
    (listed, not built) and, for guides that do not load now, their last good build's source."""

    named: dict[str, Guide]
    others: dict[str, Guide]
    last_good: dict[str, Guide]
    results: dict[str, GuideResult]

    @property
    def listed(self) -> dict[str, Guide]:
        return {**self.last_good, **self.others, **self.named}


def gather_guides(config: Config, paths: list[Path], state: Path) -> Project:
    """`state`: the build's own folder, which keeps the last good sources."""
    from publish.guide.project import find_guides
    from publish.guide.source import duplicate_slug, load_guide

    project = Project({}, {}, {}, {})
    slugs: dict[str, str] = {}
    for path in paths:
        try:
            guide = load_guide(path)
        except GuideError as error:
            project.results[str(path)] = GuideResult(path.stem, str(path), problems=[str(p) for p in error.problems])
            project.last_good.update(_last_good(state, path))
            continue
        if guide.slug in slugs:
            problem = duplicate_slug(guide, slugs[guide.slug])
            project.results[str(path)] = GuideResult(guide.slug, str(path), problems=[str(problem)])
            continue
        slugs[guide.slug] = guide.where.path
        project.named[str(path)] = guide
        project.results[str(path)] = GuideResult(guide.slug, str(path))
    named_files = {p.resolve() for p in paths}
    for path in find_guides(config.guides_dir) if config.guides_dir.is_dir() else []:
        if path.resolve() in named_files:
            continue
        try:
            guide = load_guide(path)
        except GuideError:
            project.last_good.update(_last_good(state, path))  # `publish check` says what is wrong with it
            continue
        if guide.slug not in slugs:
            slugs[guide.slug] = guide.where.path
            project.others[str(path)] = guide
    project.last_good = {path: guide for path, guide in project.last_good.items() if guide.slug not in slugs}
    return project


def _last_good(state: Path, path: Path) -> dict[str, Guide]:
    """The guide as it was last built, for the index and feed, when its current source does not load."""
    from publish.guide.source import parse_guide

    kept = last_good_source(state, path)
    if kept is None:
        return {}
    try:
        return {str(path): parse_guide(kept.read_text(encoding="utf-8"), str(path), folder=path.parent)}
    except (GuideError, OSError, UnicodeDecodeError):
        return {}


@dataclass
class Planned:
    task: GuideTask | None = None  # None: nothing to build
    fresh: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def plan_guide(config: Config, path: str, guide: Guide, state: BuildState, options: BuildOptions, templates: str,
               said: SpokenTexts | None = None) -> Planned:
    """The guide's stale steps among those asked for, as a task, and the steps already up to date."""
    from publish.speech.plan import plan_lesson

    try:
        plan = plan_lesson(guide, config.audio, config.root, said)
    except PublishError as error:
        return Planned(problems=[str(error)])
    files = guide_files(config, guide)
    all_steps = steps(tuple(o for o in FORMATS if o.finished_with_guide), files.own_paper,
                      config.paper or files.own_paper)
    inputs = key_inputs(config, plan, templates)
    keys = {step: step.key(inputs) for step in all_steps}

    def current(step: Step) -> bool:
        return state.key(files.slug, step.state_name(files)) == keys[step] and all(p.is_file() for p in step.files(files))

    wanted = [step for step in all_steps if step.output in options.only]
    fresh = [step for step in wanted if current(step) and not options.force]
    stale = [step for step in wanted if step not in fresh]
    # A book carries the lesson's MP3: `--only epub` brings a stale audio up to date too.
    mp3 = next(step for step in all_steps if step.output is producer_of(Reads.MP3))
    if any(Reads.MP3 in s.output.reads for s in stale) and mp3 not in stale and not current(mp3):
        stale.insert(0, mp3)
    audio_key_current = state.key(files.slug, mp3.state_name(files)) == keys[mp3]
    timeline_current = audio_key_current and files.timeline.is_file()
    task = GuideTask(path, config, plan, files, tuple(stale), tuple(keys.items()),
                     timeline_current) if stale else None
    return Planned(task, [step.state_name(files) for step in fresh])


# --- gather, then write pages, index and feed --------------------------------------------------------


def gather_manifest(config: Config, project: Project, state: BuildState, failed_paths: set[str], pages: set[str]
                    ) -> Manifest:
    """Every guide and the outputs it has once this build is done (`pages`: the guides whose pages
    this build writes; guides listed from their last good build, or whose build failed, are marked)."""
    from publish.audio.timeline import read_timeline

    failed = {guide.slug for path, guide in project.listed.items() if path in project.last_good or path in failed_paths}
    entries = []
    for guide in project.listed.values():
        files = guide_files(config, guide)
        names = state.steps(guide.slug) | ({PAGE.name} if guide.slug in pages else set())
        in_place = steps_named(names, files)
        timeline = read_timeline(files.timeline) if any(s.output is producer_of(Reads.TIMELINE) for s in in_place) else None
        entries.append(GuideEntry(guide, files, in_place, guide.slug in failed, timeline))
    return Manifest(tuple(sorted(entries, key=lambda e: e.guide.title.lower())))


def write_page(config: Config, entry: GuideEntry, state: BuildState, templates: str, force: bool) -> bool:
    """The guide's page, unless it is up to date; whether it was written."""
    key = page_key(config, entry, state.keys, templates)
    in_place = entry.files.page.is_file() and all(copy.is_file() for copy in page_copies(entry.guide, entry.files))
    if state.key(entry.guide.slug, PAGE.name) == key and in_place and not force:
        return False
    from publish.outputs.page import page_files  # only when a page changes: a no-op build loads no templates

    write_page_files(entry.files, page_files(config, entry))
    state.record(entry.guide.slug, {PAGE.name: key})
    return True


def write_page_files(files: GuideFiles, made: dict[Path, bytes]) -> None:
    """The page and its images; copies of images the guide no longer shows are removed (the
    images folder holds the page's copies and nothing else)."""
    for path, data in made.items():
        write_if_changed(path, data)
    if files.images.is_dir():
        for old in files.images.iterdir():
            if old not in made and old.is_file():
                old.unlink()
        if not any(files.images.iterdir()):
            files.images.rmdir()


def write_site(config: Config, manifest: Manifest, state: BuildState, templates: str, force: bool) -> None:
    from publish.outputs import site

    key = site_key(config, manifest, state.keys, templates)
    if state.site_key() == key and all(p.is_file() for p in site.expected_files(config, manifest)) and not force:
        return  # nothing the index or feed shows has changed: no need to load the templates
    made = site.site_files(config, manifest)
    for path, data in made.items():
        write_if_changed(path, data)
    for folder in site.owned_folders(config):  # what the site no longer makes there is stale
        for old in (p for p in folder.rglob("*") if p.is_file() and p not in made) if folder.is_dir() else ():
            old.unlink()
    state.record_site(key)
