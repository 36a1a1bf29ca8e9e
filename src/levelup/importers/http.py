"""A small JSON API client for the GitHub and Jira importers: errors, rate limits, pages.

A rate-limited response (403/429 with ``x-ratelimit-remaining: 0`` or ``retry-after``) is
waited out when the wait is short; otherwise the import stops with the time it can resume.
A 500/502/503/504, a timeout or a broken connection is tried again a few times.
Credentials travel only in headers and never appear in a message.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING, Any

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


@dataclass(slots=True)
class JsonApi:
    """GET JSON from one service; ``name`` ("GitHub", "Jira") is used in messages."""

    name: str
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    auth: tuple[str, str] | None = None
    credentials_hint: str = ""
    max_wait: float = DEFAULT_MAX_WAIT
    sleep: Callable[[float], None] = time.sleep
    _client: httpx.Client | None = None

    def client(self) -> httpx.Client:
        import httpx

        if self._client is None:
            self._client = httpx.Client(
                base_url=self.base_url.rstrip("/"), headers=self.headers, auth=self.auth,
                timeout=TIMEOUT, follow_redirects=True,
            )
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def get(self, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
        """A successful response, after waiting out short rate limits and retrying passing
        failures; BadInput otherwise."""
        import httpx

        passing = (httpx.TimeoutException, httpx.ReadError, httpx.RemoteProtocolError)

        for attempt in range(1, MAX_ATTEMPTS + 1):
            last = attempt == MAX_ATTEMPTS
            try:
                response = self.client().get(url, params=params)
            except passing as exc:
                if last:
                    raise BadInput(f"{_show(url)}: cannot reach {self.name} ({MAX_ATTEMPTS} "
                                   f"attempts): {exc or type(exc).__name__}") from None
                self.sleep(BACKOFF * 2 ** (attempt - 1))
                continue
            except httpx.HTTPError as exc:
                raise BadInput(f"{_show(url)}: cannot reach {self.name}: {exc}") from None
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
    """A URL for a message: without its query string (which may be long)."""
    return url.split("?", 1)[0]


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
