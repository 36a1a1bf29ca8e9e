"""Classifying many statements on two cores: most in a worker process, the rest here.

A big import spends a good part of its time classifying thousands of statements while the
second core, which git used during the read, is idle. The worker is forked once, when the
pool opens and before any thread is started (forking a process with threads can deadlock
the child); the model it uses is the one the parent holds, so every part answers the same.
Where forking is not available or not safe, everything is classified here, one by one.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from levelup.classify import Classification, Model

Classify = Callable[[str, "Model | None"], "Classification"]

MIN_SPLIT = 200  # fewer statements are classified here: a round trip costs more than it saves


class ClassifyPool:
    """Classifies like ``[classify(t, model) for t in texts]``, using a second core.

    ``map`` splits a batch evenly between the worker and this process and waits; ``submit``
    gives the worker most of it and returns, so that this process can do something else
    (write rows) meanwhile. Use it as a context manager: leaving it stops the worker.
    """

    def __init__(self, classify: Classify, model: Model | None, *, parallel: bool) -> None:
        self._classify, self._model = classify, model
        self._worker = _Worker.start(classify, model) if parallel else None

    def map(self, texts: list[str]) -> list[Classification]:
        return self._start(texts, len(texts) // 2)()

    def submit(self, texts: list[str]) -> Callable[[], list[Classification]]:
        """Start classifying ``texts``; call the result to wait for the answers.

        The worker takes three quarters, this process the first quarter before returning:
        the caller has its own work to do meanwhile (writing rows takes about half as long
        as classifying them). One batch at a time: wait for one before submitting the next.
        """
        return self._start(texts, len(texts) // 4)

    def _start(self, texts: list[str], cut: int) -> Callable[[], list[Classification]]:
        """Send ``texts[cut:]`` to the worker, classify ``texts[:cut]`` here; wait later."""
        worker = self._worker
        if worker is None or len(texts) < MIN_SPLIT:
            found = self._here(texts)
            return lambda: found
        try:
            worker.send(texts[cut:])
        except OSError:  # the worker died (killed, out of memory): go on here
            self.close()
            found = self._here(texts)
            return lambda: found
        mine = self._here(texts[:cut])

        def wait() -> list[Classification]:
            try:
                return mine + worker.receive()
            except (OSError, EOFError):
                self.close()
                return mine + self._here(texts[cut:])

        return wait

    def _here(self, texts: list[str]) -> list[Classification]:
        return [self._classify(text, self._model) for text in texts]

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None

    def __enter__(self) -> ClassifyPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Worker:
    """A forked process that classifies the lists of statements sent down its pipe.

    A plain pipe, not a process pool: a pool's helper threads would compete for the GIL with
    the classifying thread and delay every hand-over.
    """

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self._process, self._conn = process, conn
        self._busy = False  # a batch was sent and its answers not read yet

    @classmethod
    def start(cls, classify: Classify, model: Model | None) -> _Worker | None:
        """Fork the worker now, or None where that is not possible or not safe."""
        if (sys.platform != "linux" or len(os.sched_getaffinity(0)) < 2
                or threading.active_count() > 1):
            return None
        import multiprocessing

        fork = multiprocessing.get_context("fork")
        ours, theirs = fork.Pipe()
        try:
            process = fork.Process(target=_serve, args=(theirs, ours, classify, model),
                                   daemon=True)
            process.start()
        except OSError:  # no process could be created (a locked-down sandbox)
            return None
        finally:
            theirs.close()  # the worker holds its own copy
        return cls(process, ours)

    def send(self, texts: list[str]) -> None:
        self._busy = True
        self._conn.send(texts)

    def receive(self) -> list[Classification]:
        found: list[Classification] = self._conn.recv()
        self._busy = False
        return found

    def stop(self) -> None:
        self._conn.close()  # an idle worker reads the end of its input and leaves
        if self._busy:  # answers nobody will read (the caller failed): it may wait forever
            self._process.kill()
        self._process.join(timeout=5)
        if self._process.is_alive():
            self._process.kill()
            self._process.join()


def _serve(conn: Connection, parents_end: Connection, classify: Classify,
           model: Model | None) -> None:
    parents_end.close()  # a forked copy: holding it open would hide the parent's close
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            texts = conn.recv()
        except EOFError:
            return
        conn.send([classify(text, model) for text in texts])
