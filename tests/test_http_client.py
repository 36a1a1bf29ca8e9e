"""The JSON API client against a real socket that drops connections before answering."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from levelup.importers import http
from levelup.importers.common import BadInput
from levelup.importers.http import JsonApi

BODY = b'{"ok": true}'
ANSWER = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
          + f"Content-Length: {len(BODY)}\r\n\r\n".encode() + BODY)


@contextmanager
def dropping_server(drops: int) -> Iterator[str]:
    """A server on 127.0.0.1 that closes its first ``drops`` connections unanswered."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.05)
    stop = threading.Event()

    def serve() -> None:
        served = 0
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(65536)
                if served >= drops:
                    conn.sendall(ANSWER)
                served += 1

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


@pytest.fixture(autouse=True)
def short_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(http, "BACKOFF", 0.01)


@pytest.mark.parametrize("drops", [1, 3])
def test_a_dropped_connection_is_tried_again(drops: int) -> None:
    with dropping_server(drops) as url:
        api = JsonApi(name="GitHub", base_url=url)
        assert api.get_json("/user")[0] == {"ok": True}
        api.close()


def test_a_server_that_keeps_dropping_is_one_clear_error() -> None:
    with dropping_server(http.MAX_ATTEMPTS) as url:
        api = JsonApi(name="GitHub", base_url=url)
        with pytest.raises(BadInput) as failure:
            api.get_json("/user")
        api.close()
    assert str(failure.value).startswith(f"/user: cannot reach GitHub ({http.MAX_ATTEMPTS} "
                                         "attempts): ")
