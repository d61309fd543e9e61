"""The finishing processes: replaced after their share of parts, all parts done, none lost."""

from __future__ import annotations

import os

from publish.builder.processes import FinishingProcesses


def process_of(number: int) -> tuple[int, int]:
    return number, os.getpid()


def test_each_generation_of_processes_takes_its_share_of_parts_then_fresh_ones_take_the_rest():
    processes = FinishingProcesses(count=2, parts_each=2)
    try:
        futures = [processes.submit(process_of, number) for number in range(10)]
        results = [future.result(timeout=120) for future in futures]
    finally:
        processes.close(interrupted=False)
    assert [number for number, _ in results] == list(range(10))
    generations = [{pid for _, pid in results[start:start + 4]} for start in (0, 4, 8)]
    assert all(1 <= len(pids) <= 2 for pids in generations)
    assert not generations[0] & generations[1] and not generations[1] & generations[2], "a generation reused a process"
    assert os.getpid() not in set().union(*generations)


def test_closing_cancels_the_parts_still_waiting():
    processes = FinishingProcesses(count=1, parts_each=1)
    futures = [processes.submit(process_of, number) for number in range(50)]
    processes.close(interrupted=True)
    assert any(future.cancelled() for future in futures)
