"""Sub-commands that produce outputs: `build`, its per-format shortcuts, and `serve`."""

from __future__ import annotations

import argparse
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
        "serve", help="live preview on http://127.0.0.1:8000/: rebuilds on every save and reloads the page",
        description="Build a preview of the site in its own folder (.publish-cache/preview/, never output/: "
                    "what you upload is always what `publish build` made), serve it on 127.0.0.1, and watch the guides, "
                    "publish.toml, the templates and every file a guide names: each save rebuilds what changed "
                    "(the page's text at once, the audio once spoken) and reloads the pages it touched; a guide "
                    "that does not check shows its problems over the page. Ctrl-C stops.")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000; 0: any free port)")
    serve.add_argument("--output", type=Path, help="folder to build the preview into (default: .publish-cache/preview/)")
    serve.add_argument("--no-watch", action="store_true",
                       help="only serve the site `publish build` made (output/, or --output): no build, no watching")
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
    from publish.builder.pipeline import BuildOptions, build
    from publish.cli.progress import Tracing, display
    from publish.cli.summary import print_summary
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
    with display(args.quiet) as shown:
        traced = Tracing(shown) if args.trace else None
        report = build(config, paths, BuildOptions(only=only, force=args.force), traced or shown)
    if traced is not None:
        traced.write(args.trace, report.seconds)
    print_summary(report, args.quiet, config.audio.draft, config.output_dir)
    if args.proof and report.ok:
        from publish.cli.proof import proof_lessons
        from publish.guide.source import load_guides
        from publish.outputs.registry import AUDIO

        if AUDIO in only:
            proof_lessons(load_guides(paths), config.output_dir)
    return 0 if report.ok else 1


def run_serve(args: argparse.Namespace) -> int:
    from publish.cli.preview import Overrides, preview

    preview(args.port, watch=not args.no_watch, overrides=Overrides(args.output.resolve() if args.output else None))
    return 0
