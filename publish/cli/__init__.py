"""The `publish` command line: one module per group of commands (`build` and its shortcuts,
`proof`, `serve`), and `main` here. Only this package configures output; the library only logs.

The top layer: it may import every other package, and nothing imports it.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from publish import __version__
from publish.errors import GuideError, PublishError

if TYPE_CHECKING:
    from publish.config import Config
    from publish.guide.model import Guide

log = logging.getLogger("publish")


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    _configure_logging(getattr(args, "verbose", 0), getattr(args, "quiet", False))
    if not hasattr(args, "run"):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except GuideError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        count = len(error.problems)
        print(f"{count} problem{'s' if count != 1 else ''} found; nothing was built from the guides named above.",
              file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; finished files are in place and the next build picks up the rest", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish",
        description="Build printable handouts, narrated audio lessons, transcripts, captions and web pages "
                    "from career-guide sources.",
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    check = commands.add_parser("check", help="validate guides and list every problem",
                                description="Validate guides; print every problem as file:line: what — what to do.")
    check.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                       help="guide files or folders (default: guides/)")
    check.set_defaults(run=_run_check)

    new = commands.add_parser("new", help="write a starter guide",
                              description="Write guides/SLUG.md, a small valid guide to fill in.")
    new.add_argument("slug", help="short lowercase name, e.g. data-analyst")
    new.add_argument("--title", help="the career's title (default: from the slug)")
    new.add_argument("--dir", type=Path, default=Path("guides"), help="folder for the guide (default: guides/)")
    new.set_defaults(run=_run_new)

    from publish.cli.build import add_build_commands  # keeps `publish check` free of heavy imports

    add_build_commands(commands)
    from publish.cli.proof import add_proof_command

    add_proof_command(commands)
    from publish.cli.voices import add_voices_command

    add_voices_command(commands)
    return parser


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s" if verbose < 2 else "%(name)s: %(message)s"))
    root = logging.getLogger("publish")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def check_guides(config: "Config", paths: list[Path]) -> list["Guide"]:
    """The guides, if every one checks; else a GuideError with every problem, voices included."""
    from publish.errors import CastError
    from publish.guide.source import load_guides
    from publish.speech.cast import cast_lesson

    from publish import engines

    guides = load_guides(paths)
    problems = []
    for guide in guides:  # voices too: a voice file that cannot be used is a problem of the guide
        # The build's cast, and every fallback voice that is a file: `--engine piper` would use it.
        named = {engine for speaker in guide.lesson.speakers for engine, _ in speaker.voices}
        forced = [config.audio.engine] + sorted(e for e in named if e != config.audio.engine
                                                and engines.get(e).voice_files)
        for engine in forced:
            try:
                cast_lesson(guide, engine, config.audio.engine_settings, config.root, config.audio.draft)
            except CastError as error:
                if error.problem not in problems:
                    problems.append(error.problem)
    if problems:
        raise GuideError(problems)
    return guides


def _run_check(args: argparse.Namespace) -> int:
    from publish.config import load_config
    from publish.guide.project import guide_paths

    config = load_config()
    guides = check_guides(config, guide_paths(args.paths, config.guides_dir))
    for guide in guides:
        log.info("%s: ok (%d sections, %d lesson turns)", guide.where.path, len(guide.sections),
                 len(guide.lesson.turns))
    return 0


def _run_new(args: argparse.Namespace) -> int:
    from publish.guide.starter import new_guide

    target = new_guide(args.slug, args.dir, args.title)
    log.info("wrote %s — fill it in, then run `publish check %s`", target, target)
    return 0
