"""Sub-commands that produce outputs: `build`, its per-format shortcuts, and `serve`."""

from __future__ import annotations

import argparse
import functools
import sys
from pathlib import Path

from publish.errors import PublishError
from publish.outputs import registry
from publish.paper import PAPERS

def engine_names() -> list[str]:
    from publish import engines

    return engines.names()


def add_build_commands(commands: argparse._SubParsersAction) -> None:
    build = commands.add_parser(
        "build", help="build every format of every guide (the default: all guides in guides/)",
        description="Build handouts, audio lessons, transcripts, captions, read-along books and web pages into the output folder. "
                    "Only what changed since the last build is rebuilt.")
    build.add_argument("guides", nargs="*", type=Path, metavar="GUIDE", help="guide files or folders (default: guides/)")
    build.add_argument("--only", metavar="FORMATS",
                       help="comma-separated subset of: " + "; ".join(f"{output.name} ({output.help})" for output in registry.FORMATS)
                            + " (default: all)")
    _common(build)
    build.set_defaults(run=run_build, only_default=None)
    for name, (outputs, text) in registry.SHORTCUTS.items():
        only = ",".join(output.name for output in outputs)
        parser = commands.add_parser(name, help=text, description=f"Shortcut for `publish build --only {only}`.")
        parser.add_argument("guides", nargs="*", type=Path, metavar="GUIDE", help="guide files (default: guides/)")
        _common(parser)
        parser.set_defaults(run=run_build, only=None, only_default=only)

    serve = commands.add_parser(
        "serve", help="live preview on http://127.0.0.1: rebuilds on every save and reloads the page",
        description="Build what is out of date, serve the output folder on 127.0.0.1, and watch the guides, "
                    "publish.toml, the templates and every file a guide names: each save rebuilds what changed "
                    "(the page's text at once, the audio once spoken) and reloads the pages it touched; a guide "
                    "that does not check shows its problems over the page. Ctrl-C stops.")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--output", type=Path, help="output folder (default: output/)")
    serve.add_argument("--no-watch", action="store_true", help="only serve the built site: no build, no watching")
    serve.set_defaults(run=run_serve)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=engine_names(), metavar="ENGINE",
                        help="make one engine speak for every host (default: each host's own voice, see "
                             "guides/README.md): " + ", ".join(engine_names()))
    parser.add_argument("--draft", action="store_true",
                        help="speak with the fast draft cast (Piper joe as host 2) instead of the published cast "
                             "(Kokoro am_puck: clearer, about ten times slower); for checking, not for release")
    parser.add_argument("--proof", action="store_true",
                        help="after the build, hear each lesson with the offline recogniser and list the sentences "
                             "it mishears, with their lines (as `publish proof`; needs publish[proof])")
    parser.add_argument("--paper", choices=list(PAPERS), help="paper size for handouts (default: each guide's own; "
                        "another size is written beside it, as SLUG-SIZE.pdf)")
    parser.add_argument("--jobs", type=int, metavar="N", help="processes to use (default: all cores)")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="run synthesis and finishing on the Dask cluster at tcp://HOST:PORT "
                             "(default: [cluster] scheduler in publish.toml, else this machine; needs publish[cluster])")
    parser.add_argument("--force", action="store_true", help="rebuild everything, even what is up to date")
    parser.add_argument("--trace", type=Path, metavar="FILE",
                        help="write when each sentence was spoken and each guide finished, as JSON "
                             "(bench/timeline.py draws it)")
    parser.add_argument("--output", type=Path, help="output folder (default: output/)")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="say more (twice for debugging)")


def run_build(args: argparse.Namespace) -> int:
    from publish.build.pipeline import BuildOptions, build
    from publish.cli.pace import pace_line
    from publish.guide.project import guide_paths
    from publish.config import check_scheduler, load_config

    config = load_config()
    only_text = args.only or args.only_default
    only = registry.by_names(only_text) if only_text else frozenset(registry.FORMATS)
    if args.jobs is not None and args.jobs < 1:
        raise PublishError("--jobs must be 1 or more")
    output = args.output.resolve() if args.output else None
    scheduler = check_scheduler(args.scheduler) if getattr(args, "scheduler", None) else None
    config = config.with_overrides(engine=args.engine, draft=True if args.draft else None, paper=args.paper, jobs=args.jobs, output_dir=output,
                                   scheduler=scheduler)
    paths = guide_paths(args.guides, config.guides_dir)
    with _progress(args.quiet) as progress:
        traced = Tracing(progress) if getattr(args, "trace", None) else progress
        report = build(config, paths, BuildOptions(only=only, force=args.force), traced)
    if traced is not progress:
        traced.write(args.trace, report.seconds)
    _summary(report, args.quiet, config.audio.draft)
    if not args.quiet and (line := pace_line([result.slug for result in report.results], config.output_dir)):
        print(line, file=sys.stderr)
    if args.proof and report.ok:
        from publish.cli.proof import proof_lessons
        from publish.guide.source import load_guides
        from publish.outputs.registry import AUDIO

        if AUDIO in only:
            proof_lessons(load_guides(paths), config.output_dir)
    return 0 if report.ok else 1


class Tracing:
    """Passes everything on to the build's progress display, and keeps the spans for `--trace`."""

    def __init__(self, shown):
        import time

        self.shown, self.began, self.spans = shown, time.monotonic(), []

    def __getattr__(self, name):
        return getattr(self.shown, name)

    def span(self, lane: str, kind: str, label: str, start: float, end: float) -> None:
        self.spans.append({"lane": lane, "kind": kind, "label": label, "start": round(start - self.began, 4),
                           "end": round(end - self.began, 4)})

    def write(self, path: Path, seconds: float) -> None:
        import json

        from publish.writer import write_text_atomic

        write_text_atomic(path, json.dumps({"title": "publish build", "seconds": round(seconds, 3),
                                            "spans": self.spans}, indent=1))


def _progress(quiet: bool):
    from contextlib import nullcontext

    from publish.build.pipeline import Progress

    if quiet or not sys.stderr.isatty():
        return nullcontext(Progress())
    return RichProgress()


class RichProgress:
    """A progress bar with ETA on the terminal, for the long steps of a build."""

    def __enter__(self):
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        # The build counts estimated seconds of work (a Kokoro sentence weighs ten Piper ones), so
        # the bar shows a share and the time left rather than a count of sentences.
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        self.task = None
        return self

    def __exit__(self, *exc):
        return self.bar.__exit__(*exc)

    def phase(self, name: str, total: int) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=max(total, 1))

    def advance(self, done: int, total: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=done, total=max(total, 1))

    def guide_done(self, result) -> None:
        self.bar.console.print(f"  {result.slug}: {result.status}")


def _summary(report, quiet: bool, draft: bool = False) -> None:
    """What the build did, on stderr as plain lines: a table of guides, then the voices used.

    Plain text, not a drawn table: it is read in terminals, CI logs and editors' build panes alike,
    and drawing it would cost a no-op build a sixth of its time (importing `rich`).
    """
    failed = [r for r in report.results if r.problems]
    if quiet and not failed:
        return
    say = functools.partial(print, file=sys.stderr)
    for result in failed:
        for problem in result.problems:
            say(problem)  # never wrapped: a file path split over two lines cannot be clicked or copied
    if quiet:
        return
    say(f"Build finished in {report.seconds:.1f} s")
    rows = [("guide", "status", "built", "time")]
    rows += [(result.slug, result.status, ", ".join(result.built) or "—",
              f"{result.seconds:.1f} s" if result.built else "") for result in report.results]
    for line in columns(rows):
        say(line)
    if report.clips_synthesized or report.clips_cached:
        say(f"speech: {report.clips_synthesized} sentences synthesized, {report.clips_cached} from cache")
    if report.where:
        say(f"work ran on {report.where}")
    for voice, hosts in sorted(report.voices.items()):
        say(f"voice {voice}: {', '.join(hosts)}")
    if report.voices:
        say("draft cast: fast voices for checking; build without --draft before you publish" if draft
            else "published cast: the clearest voices (docs/voices.md)")
    robotic = sorted({host for voice, hosts in report.voices.items() if voice.startswith("espeak:") for host in hosts})
    if robotic and not draft:
        say(f"espeak-ng spoke for {', '.join(robotic)}: a robotic voice, as there is no neural voice "
            "for that language here (docs/voices.md lists the languages that have one)")
    if failed:
        say(f"{len(failed)} guide(s) failed; the others were built.")


def columns(rows: list[tuple[str, ...]]) -> list[str]:
    """Rows as lines with their columns lined up (two spaces apart), the heading underlined."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return lines[:1] + ["  ".join("-" * width for width in widths)] + lines[1:]


def run_serve(args: argparse.Namespace) -> int:
    from publish.cli.preview import Overrides, preview

    preview(args.port, watch=not args.no_watch, overrides=Overrides(args.output.resolve() if args.output else None))
    return 0
