"""What a person sees while a build runs: every display is a `publish.builder.observer.Observer`.

- a terminal gets a progress bar with the time left, and a line per guide as it is done;
- a terminal that cannot move its cursor (`TERM=dumb`, Emacs' shell) gets the lines only;
- a pipe or `-q` gets nothing while the build runs (the summary follows);
- `--trace FILE` keeps every span beside whichever of those is shown.
"""

from __future__ import annotations

import json
import os
import sys
import time
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any, assert_never

from publish.builder.observer import Advanced, Event, GuideDone, Observer, Span, Started, Unobserved, Writing

DESCRIPTION = "Speaking and building guides"


def dumb_terminal() -> bool:
    """A terminal that shows text but no cursor movement or colour (`TERM=dumb`)."""
    return os.environ.get("TERM", "") in ("dumb", "unknown")


def display(quiet: bool) -> AbstractContextManager[Observer]:
    """The display for this build's stderr."""
    if quiet or not sys.stderr.isatty():
        return nullcontext(Unobserved())
    if dumb_terminal():
        return nullcontext(GuideLines())
    return TerminalProgress()


def guide_line(event: GuideDone) -> str:
    return f"  {event.result.slug}: {event.result.status}"


class GuideLines:
    """A line per guide as it is done, and nothing that moves the cursor."""

    def on(self, event: Event) -> None:
        match event:
            case GuideDone():
                print(guide_line(event), file=sys.stderr, flush=True)
            case Started() | Advanced() | Writing() | Span():
                pass
            case _:
                assert_never(event)


class TerminalProgress:
    """A progress bar with the time left, drawn on stderr and removed when the build ends."""

    def __enter__(self) -> TerminalProgress:
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn

        # The build counts estimated seconds of work (a Kokoro sentence weighs ten Piper ones), so
        # the bar shows a share and the time left rather than a count of sentences. Rich leaves
        # out colour under NO_COLOR by itself.
        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(),
                            TimeRemainingColumn(), console=Console(stderr=True), transient=True)
        self.bar.__enter__()
        self.task: Any = None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.bar.__exit__(kind, error, trace)

    def on(self, event: Event) -> None:
        match event:
            case Started(total):
                if self.task is not None:
                    self.bar.remove_task(self.task)
                self.task = self.bar.add_task(DESCRIPTION, total=max(total, 1))
            case Advanced(done, total):
                if self.task is not None:
                    self.bar.update(self.task, completed=done, total=max(total, 1))
            case GuideDone():
                self.bar.console.print(guide_line(event), markup=False, highlight=False)
            case Writing() | Span():
                pass
            case _:
                assert_never(event)


class Tracing:
    """Keeps every span for `--trace` and passes every event on to the display shown."""

    def __init__(self, shown: Observer):
        self.shown, self.began, self.spans = shown, time.monotonic(), list[dict[str, object]]()

    def on(self, event: Event) -> None:
        match event:
            case Span(lane, kind, label, start, end):
                self.spans.append({"lane": lane, "kind": kind, "label": label,
                                   "start": round(start - self.began, 4), "end": round(end - self.began, 4)})
            case Started() | Advanced() | Writing() | GuideDone():
                pass
            case _:
                assert_never(event)
        self.shown.on(event)

    def write(self, path: Path, seconds: float) -> None:
        from publish.writer import write_text_atomic

        write_text_atomic(path, json.dumps({"title": "publish build", "seconds": round(seconds, 3),
                                            "spans": self.spans}, indent=1))
