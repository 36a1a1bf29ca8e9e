"""A local HTTP server on 127.0.0.1 that answers like a REST API, for importer tests.

Routes are declared per path with a list of replies served in order (the last one
repeats), optionally only for requests whose query matches, or with a function that answers
each query. Every request is recorded,
headers included, so tests can check what was sent (and that secrets stay in headers).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    body: Any = None  # JSON-serialised unless it is str or bytes
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body).encode()


@dataclass
class Request:
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class _Route:
    path: str
    replies: list[Reply]
    match: Callable[[dict[str, str]], bool] | None
    answer: Callable[[dict[str, str]], Reply] | None = None


class ApiServer:
    def __init__(self) -> None:
        self.routes: list[_Route] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"

    def add(self, path: str, *replies: Reply | Any,
            match: Callable[[dict[str, str]], bool] | None = None) -> None:
        """Serve ``replies`` in order for GET ``path`` (and a query accepted by ``match``)."""
        made = [r if isinstance(r, Reply) else Reply(body=r) for r in replies]
        self.routes.append(_Route(path=path, replies=made, match=match))

    def answer(self, path: str, answer: Callable[[dict[str, str]], Reply]) -> None:
        """Serve GET ``path`` with what ``answer`` makes of each request's query."""
        self.routes.append(_Route(path=path, replies=[], match=None, answer=answer))

    def _reply(self, request: Request) -> Reply:
        with self._lock:
            self.requests.append(request)
            for route in self.routes:
                if route.path == request.path and route.answer is not None:
                    return route.answer(request.query)
                if route.path == request.path and (route.match is None
                                                   or route.match(request.query)):
                    return route.replies.pop(0) if len(route.replies) > 1 else route.replies[0]
        return Reply(body={"message": "Not Found"}, status=404)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                reply = server._reply(Request(parts.path, query, dict(self.headers.items())))
                payload = reply.payload()
                self.send_response(reply.status)
                headers = {"Content-Type": "application/json", **reply.headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass  # keep test output clean

        return Handler

    @contextmanager
    def running(self) -> Iterator[ApiServer]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._server.shutdown()
            self._server.server_close()
            thread.join()


def link(url: str, rel: str = "next") -> dict[str, str]:
    """A ``Link`` header as GitHub sends it for pagination."""
    return {"Link": f'<{url}>; rel="{rel}"'}
