"""This machine's finishing processes, replaced by fresh ones now and then, so that a build's memory
does not grow with the number of guides it finishes.

A finishing process grows with every guide it finishes (WeasyPrint's and fontconfig's caches, and
what the allocator keeps): 205 MB after 15 guides, 270 MB after 100 (bench/library.py). So the
processes work in generations: each generation takes `count × parts_each` parts, at most `count`
at a time, and the next generation starts once the last of them is done. (concurrent.futures can
replace its processes itself, `max_tasks_per_child`, but in Python 3.11 a build of 200 guides hung
when it did.)

Each process is spawned (a fresh interpreter that imports what it needs). Not forked from the build:
it holds threads (the speech dispatcher, a progress display) that fork would copy mid-state. Nor
forked from multiprocessing's forkserver: it saved a second of imports per process, but a build
interrupted with Ctrl-C while finishing, on a loaded machine, once never exited (cause not found).
"""

from __future__ import annotations

import multiprocessing
import signal
import threading
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from functools import partial
from typing import Any, Callable, TypeVar

from publish.memory import give_back_large_blocks

Argument = TypeVar("Argument")
Result = TypeVar("Result")


def process_started() -> None:
    """In a process the build started: Ctrl-C at the terminal reaches every process of the build,
    and the build itself stops them (a worker's own traceback would only clutter the terminal).
    Large blocks are given back when freed, so the process does not grow guide by guide."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    give_back_large_blocks()


class FinishingProcesses:
    """`count` processes at most, each generation replaced after `count × parts_each` parts."""

    def __init__(self, count: int, parts_each: int):
        self.count, self.per_generation = count, count * parts_each
        self._pool: ProcessPoolExecutor | None = None
        self._given = 0  # parts given to the current generation
        self._running = 0
        self._waiting: deque[tuple[Callable[[Any], Any], Any, Future[Any]]] = deque()
        self._closed = False
        self._changed = threading.Condition()
        self._feeder = threading.Thread(target=self._feed, name="finishing-feeder", daemon=True)
        self._feeder.start()

    def submit(self, function: Callable[[Argument], Result], argument: Argument) -> Future[Result]:
        """Run `function(argument)` in a finishing process, when one is free."""
        future: Future[Result] = Future()
        with self._changed:
            self._waiting.append((function, argument, future))
            self._changed.notify()
        return future

    def warm(self, function: Callable[[bool], None], arguments: list[bool]) -> None:
        """Start the first generation now, each process running `function` first (its imports)."""
        with self._changed:
            pool = self._current()
        for argument in arguments:  # one each: a pool starts a process per waiting task
            pool.submit(function, argument)

    def close(self, interrupted: bool) -> None:
        with self._changed:
            self._closed = True
            for _, _, future in self._waiting:
                future.cancel()
            self._waiting.clear()
            self._changed.notify()
            pool = self._pool
        if pool is None:
            return
        if interrupted:  # a guide half finished is of no use: its process goes at once
            for process in multiprocessing.active_children():
                process.kill()
        pool.shutdown(wait=not interrupted, cancel_futures=True)

    def _current(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.count, initializer=process_started,
                                             mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _feed(self) -> None:
        """On its own thread: hands waiting parts to the processes, and starts a new generation
        when the current one has had its share and is done."""
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._closed or self._can_give())
                if self._closed:
                    return
                if self._given >= self.per_generation:
                    retired, self._pool, self._given = self._pool, None, 0
                    if retired is not None:
                        retired.shutdown(wait=False)
                function, argument, outer = self._waiting.popleft()
                inner = self._current().submit(function, argument)
                self._given += 1
                self._running += 1
            inner.add_done_callback(partial(self._done, outer))

    def _can_give(self) -> bool:
        if not self._waiting or self._running >= self.count:
            return False
        return self._given < self.per_generation or not self._running  # a generation ends when its last part is done

    def _done(self, outer: Future[Any], inner: Future[Any]) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify()
        if inner.cancelled():
            outer.cancel()
        elif (error := inner.exception()) is not None:
            outer.set_exception(error)
        else:
            outer.set_result(inner.result())
