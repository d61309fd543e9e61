"""What a build did, printed on stderr as plain lines once it ends: problems first, then a table of
guides, then speech and voices.

Plain text, not a drawn table: it is read in terminals, CI logs and editors' build panes alike,
and drawing it would cost a no-op build a sixth of its time (importing `rich`). On a terminal
narrower than the table, each guide is a short block of wrapped lines instead, so nothing is cut
or broken across columns.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

from publish.builder.report import BuildReport, GuideResult
from publish.cli.pace import pace_lines
from publish.outputs.registry import AUDIO

HEADINGS = ("guide", "status", "built", "time")


def print_summary(report: BuildReport, quiet: bool, draft: bool = False, output: Path | None = None) -> None:
    failed = [r for r in report.results if r.problems]
    if quiet and not (failed or report.problems):
        return
    for problem in [*report.problems, *(p for result in failed for p in result.problems)]:
        say(problem)  # never wrapped: a file path split over two lines cannot be clicked or copied
    for warning in (w for result in report.results for w in result.warnings):
        say(warning)
    if quiet:
        return
    say(f"Build finished in {report.seconds:.1f} s" + (f": the files are in {shown_folder(output)}" if output else ""))
    for line in guide_lines(report.results, terminal_width()):
        say(line)
    for line in speech_lines(report, draft):
        say(line)
    # The pace of each lesson this build spoke: a build with nothing to do reads no timeline.
    spoken = [result.slug for result in report.results if AUDIO.name in result.built]
    for line in pace_lines(spoken, output) if output is not None else []:
        say(line)
    if failed:
        others = "; the others are up to date" if len(failed) < len(report.results) else ""
        say(f"{len(failed)} of {len(report.results)} guide(s) failed{others}.")


def shown_folder(folder: Path) -> str:
    """The output folder as a person finds it: relative to where they typed the command, if inside it."""
    try:
        return f"{folder.resolve().relative_to(Path.cwd().resolve())}{os.sep}"
    except ValueError:
        return str(folder)


def say(line: str) -> None:
    print(line, file=sys.stderr)


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when stderr is not a terminal (a log keeps whole lines)."""
    try:
        return os.get_terminal_size(sys.stderr.fileno()).columns if sys.stderr.isatty() else None
    except (OSError, ValueError):
        return None


def _row(result: GuideResult) -> tuple[str, str, str, str]:
    return (result.slug, result.status, ", ".join(result.built) or "—", f"{result.seconds:.1f} s" if result.built else "")


def guide_lines(results: Sequence[GuideResult], width: int | None) -> list[str]:
    """The guides as a table, or as blocks of wrapped lines where the table would not fit `width`."""
    table = columns([HEADINGS, *map(_row, results)])
    if width is None or max(map(len, table)) <= width:
        return table
    lines: list[str] = []
    for result in results:
        lines.append(result.slug)
        for heading, value in zip(HEADINGS[1:], _row(result)[1:]):
            if value:
                lines += textwrap.wrap(f"{heading}: {value}", max(width, 20), initial_indent="  ",
                                       subsequent_indent="    ", break_on_hyphens=False)
    return lines


def columns(rows: Sequence[Sequence[str]]) -> list[str]:
    """Rows as lines with their columns lined up (two spaces apart), the heading underlined."""
    widths = [max(len(row[index]) for row in rows) for index in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip() for row in rows]
    return lines[:1] + ["  ".join("-" * width for width in widths)] + lines[1:]


def speech_lines(report: BuildReport, draft: bool) -> list[str]:
    speech, lines = report.speech, []
    if speech.synthesized or speech.cached:
        lines.append(f"speech: {speech.synthesized} sentences synthesized, {speech.cached} from cache")
    if speech.where:
        lines.append(f"work ran on {speech.where}")
    lines += [f"voice {voice}: {', '.join(hosts)}" for voice, hosts in sorted(speech.voices)]
    if speech.voices:
        lines.append("draft cast: fast voices for checking; build without --draft before you publish" if draft
                     else "published cast: the clearest voices (docs/voices.md)")
    robotic = sorted({host for voice, hosts in speech.voices if voice.startswith("espeak:") for host in hosts})
    if robotic and not draft:
        lines.append(f"espeak-ng spoke for {', '.join(robotic)}: a robotic voice, as there is no neural voice "
                     "for that language here (docs/voices.md lists the languages that have one)")
    return lines
