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
    from publish.errors import Problem

log = logging.getLogger("publish")

BUILT_NOTHING = "; nothing was built from the guides named above"


def counted(problems: list["Problem"]) -> str:
    """`2 problems`, `1 problem and 3 warnings`, `2 warnings`."""
    warnings = sum(problem.warning for problem in problems)
    errors = len(problems) - warnings
    said = [_plural(errors, "problem")] if errors or not warnings else []
    return " and ".join(said + ([_plural(warnings, "warning")] if warnings else []))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


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
        # What the command did not do because of them, true of each command (check never builds).
        print(f"{counted(error.problems)} found{getattr(args, 'stopped', BUILT_NOTHING)}.", file=sys.stderr)
        return 1
    except PublishError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as interrupted:  # a build says what it kept (BuildInterrupted)
        print(str(interrupted) or "interrupted", file=sys.stderr)
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
    check.set_defaults(run=_run_check, stopped=" in the guides checked")

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


class _ToStderr(logging.Handler):
    """Writes to whatever `sys.stderr` is at the time: while the progress bar is drawn, that is the
    bar's own stand-in, which prints the message above the bar (a handler holding the real stderr
    wrote into the bar's line, and the bar stayed on the screen half-erased)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            print(self.format(record), file=sys.stderr, flush=True)
        except Exception:  # what logging does with a message it cannot write
            self.handleError(record)


def _configure_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    handler = _ToStderr()
    handler.setFormatter(logging.Formatter("%(message)s" if verbose < 2 else "%(name)s: %(message)s"))
    root = logging.getLogger("publish")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False


def _run_check(args: argparse.Namespace) -> int:
    from publish.builder.check import check_guides, guide_warnings
    from publish.config import load_config
    from publish.guide.project import guide_paths

    config = load_config()
    guides = check_guides(config, guide_paths(args.paths, config.guides_dir))
    warnings = []
    for guide in guides:
        for warning in guide_warnings(config, guide):
            print(warning, file=sys.stderr)
            warnings.append(warning)
        log.info("%s: ok (%d sections, %d lesson turns)", guide.where.path, len(guide.sections),
                 len(guide.lesson.turns))
    if warnings:
        print(f"{counted(warnings)} in the guides checked; a warning does not stop a build.", file=sys.stderr)
    return 0


def _run_new(args: argparse.Namespace) -> int:
    from publish.guide.starter import new_guide

    target = new_guide(args.slug, args.dir, args.title)
    log.info("wrote %s — fill it in, then run `publish check %s`", target, target)
    return 0
