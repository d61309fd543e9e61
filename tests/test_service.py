"""Warm speech workers (publish.speech.service): one process per engine shared by threads, never
more sentences at once than cores, a hung or dead process replaced and its sentences tried again."""

from __future__ import annotations

from collections import Counter
from contextlib import closing
from pathlib import Path

import numpy as np

from fake_engines import FaultyTone
from publish.engines import EngineSpec
from conftest import speak_all
from publish.speech.clips import ClipCache
from publish.speech.plan import SentenceJob, Spoken, job_key
from publish.speech.service import SpeechService
from publish.speech.speaking import EngineHost


def spec(log: Path, **cues: str) -> EngineSpec:
    return EngineSpec(FaultyTone, tuple(sorted({"log_to": str(log), **cues}.items())))


def jobs(texts: list[str], voice: str) -> list[SentenceJob]:
    return [SentenceJob(t, "faulty-tone", voice, "", job_key(t, f"tone {voice}", "", 44100)) for t in texts]


def spoken_through(service: SpeechService, work: list[tuple[SentenceJob, EngineSpec]]) -> list[Spoken]:
    for job, engine in work:
        service.submit(job, engine)
    service.close_input()
    return list(iter(service.events.get, None))


def log_lines(log: Path) -> list[tuple[int, int, float, float, str]]:
    rows = [line.split(" ", 4) for line in log.read_text(encoding="utf-8").splitlines()]
    return [(int(pid), int(thread), float(start), float(end), text) for pid, thread, start, end, text in rows]


def most_at_once(rows) -> int:
    moments = sorted([(start, 1) for _, _, start, _, _ in rows] + [(end, -1) for _, _, _, end, _ in rows])
    running = peak = 0
    for _, change in moments:
        running += change
        peak = max(peak, running)
    return peak


def test_two_engines_each_in_one_warm_process_never_more_sentences_than_cores(tmp_path):
    """Two engine specs (as hibari and Piper are), 24 sentences: each spec's sentences all in one
    process, spoken by more than one of its threads, and at most two at once over both."""
    log = tmp_path / "spoken.log"
    first, second = spec(log, slow_s="0.05"), spec(log, slow_s="0.05", variant_of="second")
    work = ([(job, first) for job in jobs([f"First host, sentence {n}." for n in range(12)], "low")] +
            [(job, second) for job in jobs([f"Second host, sentence {n}." for n in range(12)], "high")])
    cache = ClipCache(tmp_path / "cache")
    with closing(SpeechService(cache.folder, 44100, cores=2)) as service:
        events = spoken_through(service, work)
    assert sorted(e.job.key for e in events) == sorted(job.key for job, _ in work)
    assert all(e.error is None for e in events) and all(cache.get(job.key, 44100) for job, _ in work)
    rows = log_lines(log)
    processes = {text.split(",")[0]: {pid for pid, _, _, _, t in rows if t.startswith(text.split(",")[0])}
                 for text in ("First host,", "Second host,")}
    assert [len(pids) for pids in processes.values()] == [1, 1] and processes["First host"] != processes["Second host"]
    assert len({thread for _, thread, _, _, t in rows if t.startswith("Second host")}) == 2
    assert most_at_once(rows) == 2


def test_the_service_gives_the_clips_this_process_would(tmp_path):
    texts = [f"Sentence number {n} of the lesson." for n in range(6)]
    here, there = ClipCache(tmp_path / "here"), ClipCache(tmp_path / "there")
    engine = spec(tmp_path / "log")
    host = EngineHost(engine)
    for job in jobs(texts, "low"):
        here.put(job.key, host.clip(job, 44100, 0), 44100)
    assert not any(speak_all(jobs(texts, "low"), engine, there, 2).values())
    for job in jobs(texts, "low"):
        assert np.array_equal(here.get(job.key, 44100).samples, there.get(job.key, 44100).samples)


def test_a_process_that_dies_is_replaced_and_only_its_own_sentence_fails(tmp_path):
    log = tmp_path / "spoken.log"
    engine = spec(log, crash_on="crash")
    work = [(job, engine) for job in jobs(["This one will crash.", "A fine one.", "Another fine one.",
                                           "A third fine one."], "low")]
    with closing(SpeechService(tmp_path / "cache", 44100, cores=2, retries=1)) as service:
        events = {e.job.spoken: e.error for e in spoken_through(service, work)}
    assert [text for text, error in events.items() if error] == ["This one will crash."]
    assert "after 2 tries" in events["This one will crash."] and "exit code 3" in events["This one will crash."]
    spoken = Counter(text for *_, text in log_lines(log))
    assert spoken == {"A fine one.": 1, "Another fine one.": 1, "A third fine one.": 1}  # no try lost or repeated


def test_a_hung_sentence_stops_its_process_and_the_others_lose_no_try(tmp_path):
    engine = spec(tmp_path / "log", hang_on="stuck", timeout_s="0.5")
    work = [(job, engine) for job in jobs(["A stuck one, the longest.", "Fine.", "Also fine.", "Fine too."], "low")]
    with closing(SpeechService(tmp_path / "cache", 44100, cores=2, retries=1)) as service:
        events = spoken_through(service, work)
    errors = Counter(e.error is not None for e in events)
    assert errors == {False: 3, True: 1}
    [failed] = [e for e in events if e.error]
    assert failed.job.spoken.startswith("A stuck one") and "after 2 tries: no audio after 0.5 s" in failed.error


def test_sentences_that_together_pass_the_memory_budget_are_not_spoken_at_once(tmp_path):
    """Long sentences (200 MB each by the engine's own figure) one at a time, each beside short ones."""
    from fake_engines import HeavyTone
    from publish.speech.service import RUN_MEMORY_BUDGET_MB

    log = tmp_path / "spoken.log"
    heavy = EngineSpec(HeavyTone, (("log_to", str(log)), ("slow_s", "0.1")))
    long = [f"Long sentence {n}: " + "a long clause, said slowly and with care, " * 2 for n in range(4)]
    assert all(2 * HeavyTone.run_memory_mb * len(text) > RUN_MEMORY_BUDGET_MB for text in long)
    texts = long + [f"Short {n}." for n in range(8)]
    work = [(SentenceJob(t, "heavy-tone", "low", "", job_key(t, "heavy low", "", 44100)), heavy) for t in texts]
    with closing(SpeechService(tmp_path / "cache", 44100, cores=2)) as service:
        assert all(event.error is None for event in spoken_through(service, work))
    rows = log_lines(log)
    longs = [row for row in rows if row[4].startswith("Long")]
    assert most_at_once(longs) == 1, "no two long sentences at once"
    assert most_at_once(rows) == 2, "a short one beside a long one"
