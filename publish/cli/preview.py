"""`publish serve`'s live preview: watch the project, rebuild what changed, tell the pages.

The preview never touches the published site: like `mkdocs serve`, it builds into a folder of its
own (`.publish-cache/preview/`, or `--output DIR`), sharing the speech cache with `publish build`,
and serves from there. Its first build starts from the clips that exist (each turn as the
published cast said it, where it did) and speaks only what is new, with the fast draft cast; the
server answers at once, and its requests wait while a build writes.

On every batch of saved files (watchfiles: debounced, and whole files also when an editor saves
by writing a new file and renaming it over the old one; editors' temporary files are not
changes): check every guide; write the edited guides' pages at once with the new text
(`publish.builder.preview`: text first); then run the same incremental build as `publish build`
(sound after), and reload the pages that the build wrote, as its writer recorded them.
"""

from __future__ import annotations

import logging
import queue
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, assert_never

from publish.builder.observer import Advanced, Event, GuideDone, Span, Started, Writing
from publish.builder.pipeline import BuildOptions, build
from publish.cli.serve import LiveSite, make_server, serve_in_background
from publish.config import Config, load_config
from publish.errors import GuideError, PublishError
from publish.writer import Writer

if TYPE_CHECKING:
    from watchfiles import DefaultFilter

log = logging.getLogger(__name__)

DEBOUNCE_MS = 250  # as mkdocs serve: a burst of saves is one rebuild
PREVIEW_FOLDER = "preview"  # under the speech cache
# Editors' temporary files, besides those watchfiles already leaves out (vim's .swp, `~`, emacs'
# `.#…`, JetBrains' `___jb_…___`): sed -i's `sedXXXXXX`, vim's write test `4913`, emacs' `#…#`.
EDITOR_FILES = (r"^sed[A-Za-z0-9]{6}$", r"^4913$", r"^#.*#$", r"___jb_(tmp|old|bak)___$")


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


def preview_config(root: Path, overrides: Overrides) -> Config:
    """The project's configuration, building into the preview's own folder."""
    config = load_config(root)
    return config.with_overrides(output_dir=overrides.output_dir or config.cache_dir / PREVIEW_FOLDER)


def check_project(config: Config) -> list[str]:
    """Every problem of every guide, as `publish check` prints it."""
    from publish.builder.check import check_guides
    from publish.guide.project import guide_paths

    try:
        check_guides(config, guide_paths([], config.guides_dir))
    except GuideError as error:
        return [str(problem) for problem in error.problems]
    except PublishError as error:
        return [str(error)]
    return []


def pages_in(written: set[Path] | frozenset[Path], output: Path) -> set[str]:
    """The site's pages among the files a build wrote, by their address."""
    return {"/" + path.relative_to(output).as_posix() for path in written
            if path.suffix == ".html" and path.is_relative_to(output)}


class Preview:
    def __init__(self, root: Path, overrides: Overrides, live: LiveSite):
        self.root, self.overrides, self.live = root, overrides, live

    def rebuild(self, changed: set[Path]) -> None:
        """One round: check, pages with the new text, then the build."""
        try:
            config = preview_config(self.root, self.overrides)
        except PublishError as error:
            self._report([str(error)])
            self.live.publish(set(), [str(error)])
            return
        problems = check_project(config)
        self._report(problems)
        self.live.publish(pages_in(self._text_first(config, changed), config.output_dir), problems, updating=True)
        touched = pages_in(self.build(config), config.output_dir)
        if any(path.suffix != ".md" for path in changed):
            touched.add("*")  # a template, a style sheet or publish.toml: every page may look different
        self.live.publish(touched, problems)

    def build(self, config: Config) -> frozenset[Path]:
        """The same incremental build as `publish build`, into the preview's folder; what it wrote."""
        from publish.guide.project import guide_paths

        try:
            report = build(config, guide_paths([], config.guides_dir), BuildOptions(preview=True), _Progress(self.live))
        finally:
            self.live.set_writing(False)
        built = [f"{r.slug} ({', '.join(r.built)})" for r in report.results if r.built]
        if built:
            log.warning("rebuilt %s in %.1f s", "; ".join(built), report.seconds)
        return report.written

    def _text_first(self, config: Config, changed: set[Path]) -> set[Path]:
        from publish.builder.preview import write_provisional_page
        from publish.guide.source import load_guide

        writer = Writer()
        for path in sorted(p for p in changed if p.suffix == ".md" and p.is_file() and p.is_relative_to(config.guides_dir)):
            try:
                write_provisional_page(config, load_guide(path), writer)
            except PublishError as error:  # a guide that does not check keeps its last good page
                log.debug("no provisional page for %s: %s", path, error)
        return writer.written

    def _report(self, problems: list[str]) -> None:
        for problem in problems:
            log.warning("%s", problem)
        if not problems:
            log.info("every guide checks")


def _watch_filter(config: Config) -> "DefaultFilter":
    from watchfiles import DefaultFilter

    # Never the output folders or the speech cache (the preview's own writes would start it
    # again), nor an editor's temporary files (they are not the guide).
    return DefaultFilter(ignore_paths=(str(config.output_dir), str(config.cache_dir), str(config.root / "output")),
                         ignore_entity_patterns=(*DefaultFilter.ignore_entity_patterns, *EDITOR_FILES))


def preview(port: int, watch: bool, overrides: Overrides) -> None:
    """Serve the preview at once, build it, and, unless `watch` is off, rebuild on every change
    until Ctrl-C. `watch` off: only serve the site `publish build` made."""
    root = Path.cwd()
    live = LiveSite()
    runner = Preview(root, overrides, live)
    config = preview_config(root, overrides) if watch else load_config(root).with_overrides(
        output_dir=overrides.output_dir)
    if watch:
        live.set_writing(True)  # requests wait for the first build
    server = make_server(config.output_dir, port, live if watch else None)
    log.warning("serving %s on http://127.0.0.1:%d/%s — press Ctrl-C to stop", config.output_dir,
                server.server_address[1], " (watching for changes)" if watch else "")
    serve_in_background(server)
    stop = threading.Event()
    try:
        if watch:
            # Watching starts before the first build, so a save made while it runs is not lost.
            changes: queue.Queue[set[Path]] = queue.Queue()
            threading.Thread(target=_watch, args=(root, config, stop, changes), name="watcher", daemon=True).start()
            problems = check_project(config)
            runner._report(problems)
            runner.build(config)
            live.publish({"*"}, problems)
            _follow(runner, changes)
        else:
            stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.shutdown()
        server.server_close()


def _watch(root: Path, config: Config, stop: threading.Event, changes: "queue.Queue[set[Path]]") -> None:
    """On the watcher's thread: every debounced batch of saved files, into `changes`."""
    from watchfiles import watch

    for batch in watch(root, watch_filter=_watch_filter(config), debounce=1600, step=DEBOUNCE_MS, stop_event=stop,
                       rust_timeout=500):
        changes.put({Path(path) for _, path in batch})


def _follow(runner: Preview, changes: "queue.Queue[set[Path]]") -> None:
    """Rebuild for each batch of changes, with the batches that came meanwhile joined to it."""
    while True:
        try:
            changed = changes.get(timeout=0.5)  # a timeout, so that Ctrl-C is heard here
        except queue.Empty:
            continue
        while not changes.empty():
            changed |= changes.get()
        log.info("changed: %s", ", ".join(sorted(str(p.relative_to(runner.root)) for p in changed)))
        runner.rebuild(changed)
