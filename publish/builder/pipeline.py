"""`publish build`: every output of every guide, rebuilt only where an input changed.

The build gathers, then writes, as Pelican's generators do: it loads every guide of the project
(also when only some are named), checks each, plans their lessons and works out which steps are
stale; then one loop (`run`) speaks every missing sentence, finishes each named guide, and once
they are written gathers the manifest (every guide and which of its outputs exist) and makes the
guides' pages and then the site's own files from it. Every file goes through one recording
writer, atomically; the state records what each output was built from once it is in place, so an
interrupted build is finished by the next one. One guide failing never stops the others, and
keeps its last good files.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from publish.builder.finish import Finished, GuideTask, made
from publish.builder.keys import key_inputs, page_inputs, site_inputs
from publish.builder.observer import Observer, Unobserved
from publish.builder.report import BuildOptions, BuildReport, GuideResult
from publish.builder.run import Making, run
from publish.builder.state import (SITE, BuildState, build_lock, keep_source, last_good_source, migrate,
                                   remove_partial_files, state_folder)
from publish.config import Config
from publish.digest import folder_digest
from publish.errors import BuildInterrupted, GuideError, PublishError
from publish.guide.model import Guide
from publish.memory import give_back_large_blocks
from publish.outputs.base import Reads, Step
from publish.outputs.files import GuideFiles
from publish.outputs.manifest import GuideEntry, Manifest
from publish.outputs.page import PageMaterial
from publish.outputs.registry import GUIDE_FORMATS, PAGE, SITE as SITE_OUTPUTS, made_files, producer_of, steps, steps_named
from publish.outputs.site import Site
from publish.speech.said import SpokenTexts
from publish.writer import Writer

if TYPE_CHECKING:
    from concurrent.futures import Future

__all__ = ["BuildOptions", "BuildReport", "GuideResult", "Observer", "build"]


def guide_files(config: Config, guide: Guide) -> GuideFiles:
    return GuideFiles(config.output_dir, guide.slug, guide.settings.paper, guide.language)


def build(config: Config, guide_paths: list[Path], options: BuildOptions, observer: Observer | None = None
          ) -> BuildReport:
    """Build the named guides; pages, index and feed always cover every guide of the project."""
    started = time.perf_counter()
    give_back_large_blocks()
    folder = state_folder(config.cache_dir, config.output_dir)
    writer = Writer()
    with build_lock(folder, config.output_dir):
        migrate(config.output_dir, folder)
        remove_partial_files(config.output_dir)
        state = BuildState(folder)
        project = gather_guides(config, guide_paths, folder)
        templates = folder_digest(config.templates_dir)
        said = SpokenTexts(config.cache_dir)
        planned = [plan_guide(config, path, guide, state, options, templates, said) for path, guide in project.named.items()]
        said.save()
        later = Later(config, project, state, options, templates)
        try:
            outcome = run(config, [p.task for p in planned if p.task], state, observer or Unobserved(), writer,
                          (later.pages, later.site))
        except KeyboardInterrupt:
            # One line that fits a terminal: what was kept, and what to do.
            raise BuildInterrupted(f"interrupted: kept {len(writer.written)} new files and the speech so far; "
                                   "build again to finish") from None
        for path, guide in project.named.items():
            if not any(r.problems for r in [*project.results, *outcome.results] if r.path == path):
                keep_source(folder, Path(path))
    parts = [*project.results, *(p.result for p in planned), *outcome.results, *later.results]
    return BuildReport.of(guide_paths, parts, outcome.speech, time.perf_counter() - started,
                          frozenset(writer.written), outcome.problems)


@dataclass
class Project:
    """The guides a build knows of: the named ones, the project's other guides (listed, not
    built) and, for guides that do not load or check now, their last good build's source; and
    what gathering found wrong with the named ones."""

    named: dict[str, Guide] = field(default_factory=dict)
    others: dict[str, Guide] = field(default_factory=dict)
    last_good: dict[str, Guide] = field(default_factory=dict)
    results: list[GuideResult] = field(default_factory=list)

    @property
    def listed(self) -> dict[str, Guide]:
        return {**self.last_good, **self.others, **self.named}


def gather_guides(config: Config, paths: list[Path], state: Path) -> Project:
    """`state`: the build's own folder, which keeps the last good sources."""
    from publish.builder.check import voice_problems
    from publish.guide.project import find_guides
    from publish.guide.source import duplicate_slug, load_guide

    project = Project()
    slugs: dict[str, str] = {}
    for path in paths:
        try:
            guide = load_guide(path)
            problems = voice_problems(config, guide)
            if problems:
                raise GuideError(problems)
        except GuideError as error:
            project.results.append(GuideResult(path.stem, str(path), problems=tuple(str(p) for p in error.problems)))
            project.last_good.update(_last_good(state, path))
            continue
        if guide.slug in slugs:
            problem = duplicate_slug(guide, slugs[guide.slug])
            project.results.append(GuideResult(guide.slug, str(path), problems=(str(problem),)))
            continue
        slugs[guide.slug] = guide.where.path
        project.named[str(path)] = guide
        if guide.warnings:
            project.results.append(GuideResult(guide.slug, str(path), warnings=tuple(map(str, guide.warnings))))
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


@dataclass(frozen=True)
class Planned:
    result: GuideResult  # the steps already up to date, or why the guide cannot be planned
    task: GuideTask | None = None  # None: nothing to build


def plan_guide(config: Config, path: str, guide: Guide, state: BuildState, options: BuildOptions, templates: str,
               said: SpokenTexts | None = None) -> Planned:
    """The guide's stale steps among those asked for, as a task, and the steps already up to date."""
    from publish.speech.clips import ClipCache
    from publish.speech.plan import plan_lesson, plan_preview

    try:
        if options.preview:
            cache = ClipCache(config.cache_dir)
            plan = plan_preview(guide, config.audio, config.root, said, lambda key: cache.path(key).is_file())
        else:
            plan = plan_lesson(guide, config.audio, config.root, said)
    except PublishError as error:
        return Planned(GuideResult(guide.slug, path, problems=(str(error),)))
    files = guide_files(config, guide)
    all_steps = steps(GUIDE_FORMATS, files.own_paper, config.paper or files.own_paper)
    inputs = key_inputs(config, plan, templates)
    keys = {step: step.key(inputs) for step in all_steps}

    def current(step: Step) -> bool:
        return state.current(files.slug, step, keys[step], files)

    asked = [step for step in all_steps if step.output in options.only]
    # An output with no file for this guide (braille in a language with no table) is no step of it.
    absent = [step for step in asked if not step.files(files)]
    wanted = [step for step in asked if step not in absent]
    fresh = [step for step in wanted if not options.force and current(step)]
    stale = [step for step in wanted if step not in fresh]
    # A book carries the lesson's MP3: `--only epub` brings a stale audio up to date too.
    mp3 = next(step for step in all_steps if step.output is producer_of(Reads.MP3))
    if any(Reads.MP3 in s.output.reads for s in stale) and mp3 not in stale and not current(mp3):
        stale.insert(0, mp3)
    timeline_current = state.key(files.slug, mp3.state_name(files)) == keys[mp3] and files.timeline.path.is_file()
    task = GuideTask(path, config, plan, files, tuple(stale), tuple(keys.items()), timeline_current) if stale else None
    # Said when the guide is built, or when nothing else of it was asked for (`--only braille`).
    notes = tuple(f"{guide.where.path}: {step.output.absent_because(files)}" for step in absent) \
        if task or not wanted else ()
    return Planned(GuideResult(guide.slug, path, fresh=tuple(step.state_name(files) for step in fresh),
                               warnings=notes), task)


@dataclass
class Later:
    """The stages after the guides are finished, both made from one manifest: the guides' pages,
    then the site's own files."""

    config: Config
    project: Project
    state: BuildState
    options: BuildOptions
    templates: str
    manifest: Manifest = field(default_factory=lambda: Manifest(()))
    results: list[GuideResult] = field(default_factory=list)

    def pages(self, done: dict[str, GuideResult]) -> list[tuple[Making, "Future[Finished]"]]:
        from publish.builder.executors import run_here

        failed = {r.path for r in [*self.project.results, *done.values()] if r.problems}
        ok = [path for path in self.project.named if path not in failed]
        pages = {self.project.named[p].slug for p in ok} if PAGE in self.options.only else set()
        self.manifest = gather_manifest(self.config, self.project, self.state, failed, pages)
        work = []
        for path in ok if PAGE in self.options.only else []:
            entry = self.manifest.entry(self.project.named[path].slug)
            step = Step(PAGE, "")
            key = step.key(page_inputs(self.config, entry, self.state, self.templates))
            slug = entry.guide.slug
            if not self.options.force and self.state.current(slug, step, key, entry):
                self.results.append(GuideResult(slug, path, fresh=(PAGE.name,)))
                continue
            future = run_here(made, (step,), PageMaterial(self.config, entry))
            work.append((Making(path, slug, entry, ((step, key),), "pages"), future))
        return work

    def site(self, done: dict[str, GuideResult]) -> list[tuple[Making, "Future[Finished]"]]:
        from publish.builder.executors import run_here

        site = Site(self.config, self.manifest)
        inputs = site_inputs(self.config, self.manifest, self.state, self.templates)
        keys = tuple((step, step.key(inputs)) for step in (Step(output, "") for output in SITE_OUTPUTS))
        stale = tuple((step, key) for step, key in keys
                      if self.options.force or not self.state.current(SITE, step, key, site))
        if not stale:  # nothing the index or feed shows has changed: no need to load the templates
            return []
        future = run_here(made, tuple(step for step, _ in stale), site)
        return [(Making(SITE, SITE, site, stale, "pages"), future)]


def gather_manifest(config: Config, project: Project, state: BuildState, failed_paths: set[str], pages: set[str]
                    ) -> Manifest:
    """Every guide and the outputs it has once this build is done (`pages`: the guides whose pages
    this build writes; guides listed from their last good build, or whose build failed, are marked)."""
    failed = {guide.slug for path, guide in project.listed.items() if path in project.last_good or path in failed_paths}
    entries = []
    for guide in project.listed.values():
        files = guide_files(config, guide)
        in_place = steps_named(state.steps(guide.slug), files)
        page_in_place = guide.slug in pages or PAGE.name in state.steps(guide.slug)
        page = frozenset({Step(PAGE, "")}) if page_in_place else frozenset()
        made = made_files(in_place, files) + ((files.page,) if page_in_place else ())
        entries.append(GuideEntry(guide, files, in_place | page, made, guide.slug in failed))
    return Manifest(tuple(sorted(entries, key=lambda e: e.guide.title.lower())))
