"""Who may ask: single-use sign-in tokens, signed session cookies, CSRF tokens, the Host check.

One ``Guard`` per server: its secret is made at start-up, so a restart signs everyone out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Collection

from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "levelup_session"
SIGNIN_SECONDS = 300  # a printed sign-in URL works once, within five minutes
SESSION_SECONDS = 14 * 24 * 3600
LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")
WILDCARD = ("0.0.0.0", "::")

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}


def served_hosts(host: str, port: int) -> set[str]:
    """The Host headers a browser sends for the served address (loopback by any name)."""
    names = set(LOOPBACK) | {host} if host in (*LOOPBACK, *WILDCARD) else {host}
    names.discard("::1")
    return {f"{name}:{port}" for name in names}


class Guard:
    """The secrets of one server: sign-in tokens, sessions and CSRF tokens."""

    def __init__(self, hosts: Collection[str], secret: bytes | None = None) -> None:
        self.hosts = frozenset(h.lower() for h in hosts)
        self._secret = secret or secrets.token_bytes(32)
        self._signer = URLSafeTimedSerializer(self._secret, salt="levelup-session")
        self._signins: dict[str, float] = {}
        self._lock = threading.Lock()

    def host_ok(self, host: str | None) -> bool:
        return host is not None and host.lower() in self.hosts

    def issue_signin(self) -> str:
        """A new single-use sign-in token."""
        token = secrets.token_urlsafe(32)
        with self._lock:
            self._signins[token] = time.monotonic() + SIGNIN_SECONDS
        return token

    def redeem(self, token: str) -> bool:
        """True once for a token issued and not expired; it is spent either way."""
        now = time.monotonic()
        with self._lock:
            found = None
            for known in list(self._signins):
                if hmac.compare_digest(known.encode(), token.encode()):
                    found = known
            expires = self._signins.pop(found, 0.0) if found else 0.0
            for known, until in list(self._signins.items()):
                if until < now:
                    del self._signins[known]
        return expires >= now

    def new_session(self) -> str:
        """A signed cookie value naming a new session."""
        return self._signer.dumps({"sid": secrets.token_hex(16)})

    def session(self, cookie: str | None) -> str | None:
        """The session id of a cookie this server signed, or None."""
        if not cookie:
            return None
        try:
            data = self._signer.loads(cookie, max_age=SESSION_SECONDS)
        except BadSignature:
            return None
        sid = data.get("sid") if isinstance(data, dict) else None
        return sid if isinstance(sid, str) else None

    def csrf(self, sid: str) -> str:
        """The CSRF token of a session: forms carry it, a forger cannot compute it."""
        return hmac.new(self._secret, b"csrf:" + sid.encode(), hashlib.sha256).hexdigest()

    def csrf_ok(self, sid: str, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(self.csrf(sid), str(sent))
