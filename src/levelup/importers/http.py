"""A small JSON API client for the GitHub and Jira importers: errors, rate limits, pages.

A rate-limited response (403/429 with ``x-ratelimit-remaining: 0`` or ``retry-after``) is
waited out when the wait is short; otherwise the import stops with the time it can resume.
A 500/502/503/504, a timeout or a broken connection is tried again a few times.

This module owns every request the importers make with credentials. They travel only in
the Authorization header, attached per request and only to the origin (scheme, host, port)
of the configured site; a page link to another origin stops the import. They never go over
plain http except to this machine or with ``--insecure``, never sit in a URL, and never
appear in a message.
"""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from levelup.importers.common import BadInput

if TYPE_CHECKING:
    import httpx

MAX_ATTEMPTS = 4
# A server error of the kind a busy API gives now and then, and a connection that timed out
# or broke: asked again after BACKOFF seconds, doubling, before the import gives up.
TRANSIENT = frozenset({500, 502, 503, 504})
BACKOFF = 0.5
DEFAULT_MAX_WAIT = 90.0  # seconds a rate limit may be waited out before giving up
TIMEOUT = 30.0
DEFAULT_PORTS = {"http": 80, "https": 443}
INSECURE_HELP = ("Allow plain http:// to a host other than this machine (the credentials "
                 "then cross the network readable).")


@dataclass(frozen=True, slots=True)
class Origin:
    """Where credentials may go: a scheme, a host and a port (the default one spelled out)."""

    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of an absolute URL; ValueError when it has none or a bad port."""
        parts = urlsplit(url)
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        port = parts.port or DEFAULT_PORTS.get(scheme)
        if not host or port is None:
            raise ValueError(f"not an absolute http(s) URL: {_show(url)}")
        return cls(scheme, host, port)

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}:{self.port}"


def refuse_credentials_in(url: str, *, setting: str, credentials_hint: str) -> None:
    """BadInput when ``url`` holds a user name or password (``https://user:token@host``),
    naming the setting to use instead; the message shows the URL without them."""
    if "@" in urlsplit(url).netloc:
        raise BadInput(f"{setting}: {_show(url)}: a URL with credentials in it is refused "
                       "(they would be kept in links and shown in messages): give the site "
                       f"alone and {credentials_hint}")


def site_origin(url: str, *, setting: str, credentials_hint: str, insecure: bool) -> Origin:
    """The origin of a site to send credentials to, after refusing credentials in its URL,
    a scheme other than http(s), and plain http to a host other than this machine unless
    ``insecure``."""
    refuse_credentials_in(url, setting=setting, credentials_hint=credentials_hint)
    try:
        origin = Origin.of(url)
    except ValueError:
        origin = None
    if origin is None or origin.scheme not in DEFAULT_PORTS:
        raise BadInput(f"{setting}: {_show(url)}: expected a URL like https://HOST")
    if origin.scheme == "http" and not insecure and not is_loopback(origin.host):
        raise BadInput(f"{setting}: {_show(url)}: refusing to send credentials over plain "
                       f"http to {origin.host}: use https://, or pass --insecure if the "
                       "network between is trusted")
    return origin


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: this machine, where plain http crosses no network."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin_auth(origin: Origin, authorization: str) -> httpx.Auth:
    """An httpx Auth that sets ``Authorization`` on requests to ``origin`` and on no other."""
    import httpx

    class OriginAuth(httpx.Auth):
        def auth_flow(self, request: httpx.Request
                      ) -> Generator[httpx.Request, httpx.Response, None]:
            if Origin.of(str(request.url)) == origin:
                request.headers["Authorization"] = authorization
            yield request

    return OriginAuth()


@dataclass(slots=True)
class JsonApi:
    """GET JSON from one service; ``name`` ("GitHub", "Jira") is used in messages.

    ``authorization`` (the Authorization header's value) is sent only to ``base_url``'s
    origin; ``headers`` are the others, and may not hold credentials. ``setting`` names
    where ``base_url`` came from (``--url``), for messages.
    """

    name: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    authorization: str | None = None
    credentials_hint: str = ""
    setting: str = "the API URL"
    insecure: bool = False
    max_wait: float = DEFAULT_MAX_WAIT
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = None
    _origin: Origin | None = None

    def client(self) -> httpx.Client:
        import httpx

        if self._client is None:
            if any(name.lower() in ("authorization", "cookie") for name in self.headers):
                raise ValueError("credentials go in JsonApi.authorization, not in headers")
            self._origin = site_origin(self.base_url, setting=self.setting,
                                       credentials_hint=self.credentials_hint,
                                       insecure=self.insecure)
            auth = origin_auth(self._origin, self.authorization) if self.authorization else None
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/"), headers=self.headers, auth=auth,
                timeout=TIMEOUT, follow_redirects=True,
            )
        return self._client

    def _refuse_elsewhere(self, url: str) -> None:
        """BadInput when an absolute ``url`` (a page link) is on another origin than the
        site: following it would hand the credentials over, skipping it would lose pages."""
        if not urlsplit(url).scheme and not url.startswith("//"):
            return  # a path under base_url
        try:
            there = Origin.of(url)
        except ValueError:
            there = None
        if there != self._origin:
            elsewhere = there or urlsplit(url).netloc.rpartition("@")[2] or "an unreadable URL"
            raise BadInput(f"{_show(url)}: {self.name} sent a link to another server, "
                           f"{elsewhere} (not {self._origin}); refused so that the credentials "
                           "are not sent there, and the import stopped rather than miss "
                           f"pages: check {self.setting} (a proxy or Enterprise host may "
                           "rewrite links)")

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """A successful response, after waiting out short rate limits and retrying passing
        failures; BadInput otherwise."""
        import httpx

        passing = (httpx.TimeoutException, httpx.ReadError, httpx.RemoteProtocolError)

        client = self.client()
        self._refuse_elsewhere(url)
        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            try:
                response = client.get(url, params=params)
            except passing as exc:
                if last:
                    raise BadInput(f"{_show(url)}: cannot reach {self.name} ({MAX_ATTEMPTS} "
                                   f"attempts): {exc or type(exc).__name__}") from None
                self.sleep(BACKOFF * 2 ** (attempt - 1))
                continue
            except httpx.HTTPError as exc:
                raise BadInput(f"{_show(url)}: cannot reach {self.name}: {exc}") from None
            except httpx.InvalidURL as exc:  # e.g. a query too long: the input is at fault
                raise BadInput(f"{_show(url)}: not a valid request to {self.name}: {exc}") from None
            if response.status_code in TRANSIENT and not last:
                self.sleep(BACKOFF * 2 ** (attempt - 1))
                continue
            wait = rate_limit_wait(response)
            if wait is None:
                self._check(response)
                return response
            if wait > self.max_wait:
                raise BadInput(self._limited(url, wait))
            self.sleep(wait)
        raise BadInput(f"{_show(url)}: {self.name} is still rate limiting after "
                       f"{MAX_ATTEMPTS} attempts; run the import again later")

    def get_json(
        self, url: str, params: dict[str, Any] | None = None
    ) -> tuple[Any, httpx.Response]:
        response = self.get(url, params)
        try:
            return response.json(), response
        except ValueError:
            raise BadInput(f"{_show(str(response.url))}: malformed response from {self.name}: "
                           "not JSON") from None

    def pages(self, url: str, params: dict[str, Any] | None = None
              ) -> Iterator[tuple[Any, httpx.Response]]:
        """Each page's JSON and response, following ``Link: <...>; rel="next"`` headers."""
        next_url: str | None = url
        while next_url is not None:
            data, response = self.get_json(next_url, params)
            yield data, response
            link = response.links.get("next", {}).get("url")
            next_url, params = (link, None) if link else (None, None)

    def _limited(self, url: str, wait: float) -> str:
        resume = datetime.now(UTC).timestamp() + wait
        at = datetime.fromtimestamp(resume, UTC).strftime("%H:%M UTC")
        return (f"{_show(url)}: {self.name} rate limit reached; it resets in "
                f"{max(1, round(wait / 60))} min (at {at}); run the import again then "
                "(it is idempotent) or raise --max-wait")

    def _check(self, response: httpx.Response) -> None:
        if response.is_success:
            return
        where, code = _show(str(response.url)), response.status_code
        detail = _message(response)
        if code == 401:
            raise BadInput(f"{where}: {self.name} rejected the credentials (401){detail}"
                           f"{'; ' + self.credentials_hint if self.credentials_hint else ''}")
        if code == 404:
            raise BadInput(f"{where}: not found on {self.name} (404){detail}")
        if code == 403 and (sso := sso_required(response)) is not None:
            raise BadInput(f"{where}: the organization uses SAML single sign-on and the token "
                           f"is not authorized for it: start a session at {sso}, then "
                           "authorize the token for it (GitHub: Settings, Developer settings, "
                           "tokens, Configure SSO) and import again")
        raise BadInput(f"{where}: {self.name} answered {code} {response.reason_phrase}{detail}")


def sso_required(response: httpx.Response) -> str | None:
    """The organization's single sign-on page when GitHub refused for want of a SAML
    session (``X-GitHub-SSO: required; url=https://github.com/orgs/ORG/sso?...``), without
    the one-time request in its query; None otherwise."""
    mode, rest = _sso_header(response)
    if mode != "required":
        return None
    url = rest.removeprefix("url=").split("?", 1)[0]
    return url if url.startswith("https://") else "your organization's SSO page"


def sso_partial(response: httpx.Response) -> list[str]:
    """Ids of the organizations whose results GitHub left out because the token is not
    authorized for their SAML single sign-on (``X-GitHub-SSO: partial-results;
    organizations=1,2``); empty otherwise."""
    mode, rest = _sso_header(response)
    if mode != "partial-results":
        return []
    ids = rest.removeprefix("organizations=")
    return [org.strip() for org in ids.split(",") if org.strip()]


def _sso_header(response: httpx.Response) -> tuple[str, str]:
    """(mode, what follows it) of GitHub's ``X-GitHub-SSO`` header, the mode lower-cased."""
    mode, _, rest = response.headers.get("x-github-sso", "").partition(";")
    return mode.strip().lower(), rest.strip()


def _show(url: str) -> str:
    """A URL for a message: without its query string (which may be long) and without any
    user name or password."""
    parts = urlsplit(url.split("?", 1)[0])
    if "@" not in parts.netloc:
        return url.split("?", 1)[0]
    return parts._replace(netloc=parts.netloc.rpartition("@")[2]).geturl()


def _message(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        text = data.get("message") or "; ".join(map(str, data.get("errorMessages") or []))
        return f": {str(text)[:200]}" if text else ""
    return ""


def rate_limit_wait(response: httpx.Response, now: float | None = None) -> float | None:
    """Seconds to wait before retrying, when ``response`` says the rate limit is hit."""
    if response.status_code not in (403, 429):
        return None
    now = time.time() if now is None else now
    headers = response.headers
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        return _retry_after(retry_after, now)
    if headers.get("x-ratelimit-remaining") == "0":
        reset = headers.get("x-ratelimit-reset", "")
        return max(0.0, float(reset) - now) + 1 if reset.isdigit() else 60.0
    return 60.0 if response.status_code == 429 else None


def _retry_after(value: str, now: float) -> float:
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return 60.0
