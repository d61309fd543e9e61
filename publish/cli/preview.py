"""`publish serve`'s live preview: watch the project, rebuild what changed, tell the pages.

On every batch of saved files (watchfiles: debounced, and whole files also when an editor saves
by writing a new file and renaming it over the old one): check every guide; write the edited
guides' pages at once with the new text (`publish.builder.preview`: text first); then run the
same incremental build as `publish build` (sound after), and let the pages that build touched
reload. The output folder and the speech cache are never watched.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import assert_never

from publish.builder.observer import Advanced, Event, GuideDone, Span, Started, Writing
from publish.builder.pipeline import BuildOptions, build
from publish.cli.serve import LiveSite, make_server, serve_in_background
from publish.config import Config, load_config
from publish.errors import GuideError, PublishError

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250  # as mkdocs serve: a burst of saves is one rebuild


@dataclass(frozen=True)
class Overrides:
    """What the command line changes in publish.toml; kept when publish.toml is read again."""

    output_dir: Path | None = None


class _Progress:
    """Requests wait while the build writes guides' files, so no page links a file half made."""

    def __init__(self, live: LiveSite):
        self.live = live

    def on(self, event: Event) -> None:
        match event:
            case Writing():
                self.live.set_writing(True)
            case GuideDone(result):
                for problem in result.problems:
                    log.warning("%s", problem)
            case Started() | Advanced() | Span():
                pass
            case _:
                assert_never(event)


def _config(root: Path, overrides: Overrides) -> Config:
    # The preview speaks with the fast draft cast: an edit is heard in seconds, not minutes.
    return load_config(root).with_overrides(output_dir=overrides.output_dir, draft=True)


def _pages(output: Path) -> dict[str, int]:
    """Every page of the site by its address, with its modification time: which pages a build touched."""
    return {"/" + p.relative_to(output).as_posix(): p.stat().st_mtime_ns for p in output.rglob("*.html")
            if not any(part.startswith(".") for part in p.relative_to(output).parts)}


def _touched(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {page for page, stamp in after.items() if before.get(page) != stamp} | (set(before) - set(after))


def check_project(config: Config) -> list[str]:
    """Every problem of every guide, as `publish check` prints it."""
    from publish.cli import check_guides
    from publish.guide.project import guide_paths

    try:
        check_guides(config, guide_paths([], config.guides_dir))
    except GuideError as error:
        return [str(problem) for problem in error.problems]
    except PublishError as error:
        return [str(error)]
    return []


class Preview:
    def __init__(self, root: Path, overrides: Overrides, live: LiveSite):
        self.root, self.overrides, self.live = root, overrides, live

    def rebuild(self, changed: set[Path]) -> None:
        """One round: check, pages with the new text, then the build."""
        try:
            config = _config(self.root, self.overrides)
        except PublishError as error:
            self._report([str(error)])
            self.live.publish(set(), [str(error)])
            return
        problems = check_project(config)
        self._report(problems)
        before = _pages(config.output_dir)
        self._text_first(config, changed)
        text_first = _pages(config.output_dir)
        self.live.publish(_touched(before, text_first), problems, updating=True)
        before = text_first
        self.build(config)
        touched = _touched(before, _pages(config.output_dir))
        if any(not path.is_relative_to(config.output_dir) and path.suffix != ".md" for path in changed):
            touched.add("*")  # a template, a style sheet or publish.toml: every page may look different
        self.live.publish(touched, problems)

    def build(self, config: Config) -> None:
        from publish.guide.project import guide_paths

        try:
            report = build(config, guide_paths([], config.guides_dir), BuildOptions(), _Progress(self.live))
        finally:
            self.live.set_writing(False)
        built = [f"{r.slug} ({', '.join(r.built)})" for r in report.results if r.built]
        if built:
            log.warning("rebuilt %s in %.1f s", "; ".join(built), report.seconds)

    def _text_first(self, config: Config, changed: set[Path]) -> None:
        from publish.builder.preview import write_provisional_page
        from publish.guide.source import load_guide

        for path in sorted(p for p in changed if p.suffix == ".md" and p.is_file() and p.is_relative_to(config.guides_dir)):
            try:
                write_provisional_page(config, load_guide(path))
            except PublishError as error:  # a guide that does not check keeps its last good page
                log.debug("no provisional page for %s: %s", path, error)

    def _report(self, problems: list[str]) -> None:
        for problem in problems:
            log.warning("%s", problem)
        if not problems:
            log.info("every guide checks")


def _watch_filter(config: Config):
    from watchfiles import DefaultFilter

    # Never the output folder or the speech cache: the preview's own writes would start it again.
    return DefaultFilter(ignore_paths=(str(config.output_dir), str(config.cache_dir)))


def preview(port: int, watch: bool, overrides: Overrides) -> None:
    """Build once if needed, serve the site and, unless `watch` is off, rebuild on every change until Ctrl-C."""
    root = Path.cwd()
    live = LiveSite()
    runner = Preview(root, overrides, live)
    config = _config(root, overrides)
    if watch:
        log.warning("the preview speaks with the draft cast (fast voices: Piper joe for host 2); "
                    "`publish build` speaks the published lesson")
        problems = check_project(config)
        runner._report(problems)
        runner.build(config)
        live.publish({"*"}, problems)
    server = make_server(config.output_dir, port, live if watch else None)
    log.warning("serving %s on http://127.0.0.1:%d/%s — press Ctrl-C to stop", config.output_dir,
                server.server_address[1], " (watching for changes)" if watch else "")
    serve_in_background(server)
    stop = threading.Event()
    try:
        if watch:
            _follow(runner, config, stop)
        else:
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        log.warning("stopped")


def _follow(runner: Preview, config: Config, stop: threading.Event) -> None:
    from watchfiles import watch

    for changes in watch(runner.root, watch_filter=_watch_filter(config), debounce=1600, step=DEBOUNCE_MS,
                         stop_event=stop, rust_timeout=500, raise_interrupt=True):
        changed = {Path(path) for _, path in changes}
        log.info("changed: %s", ", ".join(sorted(str(p.relative_to(runner.root)) for p in changed)))
        runner.rebuild(changed)
