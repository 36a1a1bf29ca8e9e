"""Big batches are classified on two cores, with the same answers as one by one."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading

import pytest

from levelup.classify import Classification, Model, classify
from levelup.services.classify_pool import MIN_SPLIT, ClassifyPool

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2,
    reason="the worker is forked only on Linux with two cores or more",
)

STATEMENTS = [
    "Cut p99 checkout latency from 900ms to 250ms so that customers stop seeing timeouts",
    "Mentored two new joiners through their first on-call week",
    "Fixed the flaky integration tests",
    "Wrote the migration plan for the billing database",
    "Reduced cloud costs by 18% by rightsizing the staging cluster",
    "Helped with stuff",
]


@pytest.fixture(autouse=True)
def one_thread() -> None:
    """The worker is forked only by a single-threaded process: no earlier test may leave one."""
    assert threading.active_count() == 1, f"threads left running: {threading.enumerate()}"


def _texts(n: int) -> list[str]:
    return [f"{STATEMENTS[i % len(STATEMENTS)]} (#{i})" for i in range(n)]


def _which_process(text: str, model: Model | None) -> Classification:
    return {"outcomes": [], "competencies": [{"id": str(os.getpid()), "score": 1.0}]}


def test_a_big_batch_gets_the_answers_of_one_by_one() -> None:
    texts = _texts(3 * MIN_SPLIT)
    expected = [classify(text) for text in texts]
    with ClassifyPool(classify, None, parallel=True) as pool:
        assert pool.map(texts) == expected
        assert pool.submit(texts)() == expected


def test_a_submitted_batch_goes_mostly_to_the_worker() -> None:
    texts = _texts(4 * MIN_SPLIT)
    me, quarter = str(os.getpid()), len(texts) // 4
    with ClassifyPool(_which_process, None, parallel=True) as pool:
        wait = pool.submit(texts)
        pids = [found["competencies"][0]["id"] for found in wait()]
    assert pids[:quarter] == [me] * quarter  # this process did the first quarter
    assert me not in pids[quarter:]


def test_half_of_a_big_batch_is_classified_in_a_worker_that_stops_on_close() -> None:
    texts = _texts(2 * MIN_SPLIT)
    with ClassifyPool(_which_process, None, parallel=True) as pool:
        pids = [found["competencies"][0]["id"] for found in pool.map(texts)]
        small = {found["competencies"][0]["id"] for found in pool.map(texts[:10])}
    assert pids[: len(texts) // 2] == [str(os.getpid())] * (len(texts) // 2)
    assert set(pids[len(texts) // 2 :]) - {str(os.getpid())}  # another process did the rest
    assert small == {str(os.getpid())}  # a small batch is not worth the round trip
    assert multiprocessing.active_children() == []


def test_no_worker_is_forked_while_another_thread_runs() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        with ClassifyPool(_which_process, None, parallel=True) as pool:
            found = pool.map(_texts(2 * MIN_SPLIT))
    finally:
        release.set()
        other.join()
    assert {f["competencies"][0]["id"] for f in found} == {str(os.getpid())}


def test_a_dead_worker_leaves_the_batch_to_this_process() -> None:
    texts = _texts(2 * MIN_SPLIT)
    with ClassifyPool(classify, None, parallel=True) as pool:
        worker = pool._worker
        assert worker is not None
        worker._process.kill()
        worker._process.join()
        assert pool.map(texts) == [classify(text) for text in texts]
        assert pool._worker is None


def test_a_batch_left_unread_does_not_keep_the_worker_waiting() -> None:
    """A caller that fails between submit and wait: closing kills the worker at once."""
    with ClassifyPool(classify, None, parallel=True) as pool:
        worker = pool._worker
        assert worker is not None
        pool.submit(_texts(20 * MIN_SPLIT))  # never waited for
    assert worker._process.exitcode == -signal.SIGKILL
    assert multiprocessing.active_children() == []
