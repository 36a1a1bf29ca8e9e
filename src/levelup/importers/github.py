"""GitHub: pull requests authored, reviews given, issues opened and closed.

Online through the REST API (search + reviews, paginated, rate limits respected), with the
token gh would use: ``GH_TOKEN`` then ``GITHUB_TOKEN`` for github.com (and ``*.ghe.com``),
``GH_ENTERPRISE_TOKEN`` then ``GITHUB_ENTERPRISE_TOKEN`` for an Enterprise Server host, else
the gh CLI's login there (``hosts.yml``, else ``gh auth token``); the token is sent in a
header and never stored or printed. Offline from JSON saved with ``gh api`` (a list of pull
requests or issues, search results ``{"items": [...]}``, ``--paginate`` output with or
without ``--slurp``, and the reviews of pull requests,
``gh api repos/OWNER/REPO/pulls/N/reviews``). A saved file does not say whose work it holds:
the user is ``--user``, else the gh CLI's logged-in user, and without either a file of pull
requests or issues is refused rather than guessed. Timestamps (UTC) are dated on this
machine's clock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from levelup.importers.base import (
    Detected,
    ImportContext,
    Importer,
    ImportOption,
    Note,
    Record,
    Skipped,
)
from levelup.importers.common import BadInput, read_text
from levelup.importers.github_files import file_items
from levelup.importers.github_items import (
    Item,
    NotAnItem,
    Review,
    authored_records,
    event_day,
    parse_item,
    parse_review,
    review_entry,
)
from levelup.importers.http import (
    DEFAULT_MAX_WAIT,
    INSECURE_HELP,
    JsonApi,
    site_origin,
    sso_partial,
)

if TYPE_CHECKING:
    import httpx

DEFAULT_API = "https://api.github.com"
SEARCH_CAP = 1000  # results GitHub's search returns for one query, however many it finds
GITHUB_BEGAN = date(2008, 1, 1)  # nothing on GitHub was created before
# gh's variables, in its order; a github.com token is never sent to an Enterprise Server host
DOTCOM_TOKENS = ("GH_TOKEN", "GITHUB_TOKEN")
ENTERPRISE_TOKENS = ("GH_ENTERPRISE_TOKEN", "GITHUB_ENTERPRISE_TOKEN")
USER_HELP = (
    "GitHub login whose work is imported. Online, default: the token's user. Saved files, "
    "default: the gh CLI's logged-in user; without one, files of pull requests or issues "
    "need --user, since a file does not say whose work it holds (levelup never guesses)."
)


class GitHubImporter(Importer):
    name = "github"
    summary = "Import your GitHub pull requests, reviews and issues (API or saved `gh api` JSON)."
    inputs = "[FILE]"
    inputs_required = False
    options = (
        ImportOption(name="user", help=USER_HELP),
        ImportOption(name="api_url", default=DEFAULT_API,
                     help="API base URL (GitHub Enterprise: https://HOST/api/v3)."),
        ImportOption(name="from_file", multiple=True,
                     help="Read JSON saved from `gh api` instead of calling the API."),
        ImportOption(name="max_wait", default=str(int(DEFAULT_MAX_WAIT)),
                     help="Seconds a rate limit may be waited out before stopping."),
        ImportOption(name="insecure", is_flag=True, help=INSECURE_HELP),
    )

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        files = [*inputs, *(ctx.options.get("from_file") or ())]
        if files:
            user = ctx.options.get("user") or gh_user(str(ctx.options.get("api_url") or ""))
            items: dict[tuple[str, int], Item] = {}  # saved PRs, to title the saved reviews
            reviews: list[tuple[str, int, Any]] = []
            for path in files:
                yield Detected(format="github-json")
                yield from _file_records(path, ctx, user, items, reviews)
            yield from _file_reviews(reviews, items, ctx, user)
            return
        api = _api(ctx)
        try:
            yield Detected(format="github-api")
            yield from _api_records(api, ctx)
        finally:
            api.close()


def _in_range(item: Item, ctx: ImportContext, user: str | None) -> bool:
    mine = not item.author or (user is not None and item.author.lower() == user.lower())
    return mine and ctx.in_range(event_day(item))


def _file_records(path: str, ctx: ImportContext, user: str | None,
                  items: dict[tuple[str, int], Item],
                  reviews: list[tuple[str, int, Any]]) -> Iterator[Record]:
    """Entries of the PRs and issues in a saved file; its reviews are set aside in ``reviews``."""
    text = read_text(path)
    found = list(file_items(path, text))
    if user is None:
        _refuse_to_guess(path, found)
    for done, (line, raw) in enumerate(found, 1):
        ctx.progress(done, len(found))
        if _is_review(raw):
            reviews.append((path, line, raw))
            continue
        try:
            item = parse_item(raw)
        except NotAnItem as exc:
            yield Skipped(where=f"{path}:{line}", reason=str(exc))
            continue
        items[(item.repo, item.number)] = item
        if _in_range(item, ctx, user):
            yield from authored_records(item)


def _refuse_to_guess(path: str, found: list[tuple[int, Any]]) -> None:
    """Without a login, a file of pull requests or issues could be anyone's: stop and ask."""
    authored = [(line, _author(raw)) for line, raw in found
                if not _is_review(raw) and _author(raw)]
    if authored:
        names = sorted({name for _, name in authored}, key=str.lower)
        raise BadInput(f"{path}:{authored[0][0]}: saved pull requests and issues need "
                       f"--user LOGIN to tell yours from others' (here by {', '.join(names)})")


def _is_review(raw: Any) -> bool:
    return isinstance(raw, dict) and "pull_request_url" in raw and "number" not in raw


def _file_reviews(reviews: list[tuple[str, int, Any]], items: dict[tuple[str, int], Item],
                  ctx: ImportContext, user: str | None) -> Iterator[Record]:
    """One entry per pull request the user reviewed, titled from a saved copy of it if any."""
    if not reviews:
        return
    if not user:
        path, line, _ = reviews[0]
        yield Skipped(where=f"{path}:{line}",
                      reason="saved reviews need --user LOGIN to tell yours from others'")
        return
    by_pr: dict[tuple[str, int], list[Review]] = defaultdict(list)
    for path, line, raw in reviews:
        pr = _reviewed_pr(raw)
        if pr is None:
            yield Skipped(where=f"{path}:{line}", reason="a review whose pull_request_url "
                          "is not .../repos/OWNER/REPO/pulls/N")
        elif _by(raw, user) and (review := parse_review(raw)) and ctx.in_range(review.submitted):
            by_pr[pr].append(review)
    for (repo, number), found in by_pr.items():
        item = items.get((repo, number)) or _reviewed_item(repo, number, found)
        # as online: comments on one's own pull request are not reviews given
        if item.author.lower() != user.lower():
            yield review_entry(item, found)


def _reviewed_pr(raw: dict[str, Any]) -> tuple[str, int] | None:
    """(OWNER/REPO, number) of the pull request a review belongs to."""
    path = urlparse(str(raw.get("pull_request_url") or "")).path
    _, _, rest = path.partition("/repos/")
    owner_repo, _, number = rest.rpartition("/pulls/")
    return (owner_repo, int(number)) if owner_repo and number.isdigit() else None


def _reviewed_item(repo: str, number: int, reviews: list[Review]) -> Item:
    """The little a review says of its pull request, when no copy of the PR was saved."""
    url = next((r.url.split("#", 1)[0] for r in reviews if "/pull/" in r.url),
               f"https://github.com/{repo}/pull/{number}")
    return Item(url=url, repo=repo, number=number, title=f"{repo}#{number}", body="",
                author="", is_pr=True, state="", created=min(r.submitted for r in reviews),
                closed=None, merged=None, labels=[])


# --- the API -------------------------------------------------------------------------------


def _api(ctx: ImportContext) -> JsonApi:
    base = str(ctx.options.get("api_url") or DEFAULT_API)
    insecure = bool(ctx.options.get("insecure"))
    # checked before a token is looked up for its host
    site_origin(base, setting="--api-url", credentials_hint=_token_hint(base),
                insecure=insecure)
    headers = {"Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
               "User-Agent": "levelup"}
    token = find_token(base)
    if not token and not ctx.options.get("user"):
        raise BadInput(f"no GitHub token for {_host(base)}: {_token_hint(base)}, or pass "
                       "--user LOGIN for public data")
    try:
        max_wait = float(ctx.options.get("max_wait") or DEFAULT_MAX_WAIT)
    except ValueError:
        raise BadInput("--max-wait: expected a number of seconds") from None
    return JsonApi(name="GitHub", base_url=base, headers=headers,
                   authorization=f"Bearer {token.value}" if token else None,
                   credentials_hint=token.hint if token else _token_hint(base),
                   setting="--api-url", insecure=insecure, max_wait=max_wait)


def _token_hint(api_url: str) -> str:
    host = _host(api_url)
    return f"set {_token_names(host)[0]} or run `{_gh_login(host)}`"


@dataclass(frozen=True, slots=True)
class Token:
    """A token and what to fix when GitHub rejects it (it names where the token came from)."""

    value: str
    hint: str


def find_token(api_url: str) -> Token | None:
    """The token the gh CLI would use for the API's host: from the environment, else its
    ``hosts.yml``, else (gh 2.40 and later keep it there) the system keyring via gh."""
    host = _host(api_url)
    for name in _token_names(host):
        if os.environ.get(name, "").strip():
            return Token(os.environ[name].strip(), f"the token came from {name}: renew or "
                         "unset it")
    token = _gh_host(api_url).get("oauth_token") or _gh_auth_token(host)
    return Token(str(token), f"the token came from the gh CLI's login: run "
                 f"`{_gh_login(host)}`") if token else None


def _token_names(host: str) -> tuple[str, ...]:
    """gh's variables for a host, in its order; github.com's also serve GitHub's
    data-residency hosts (*.ghe.com), as in gh."""
    dotcom = host == "github.com" or host.endswith(".ghe.com")
    return DOTCOM_TOKENS if dotcom else ENTERPRISE_TOKENS


def _gh_login(host: str) -> str:
    return "gh auth login" if host == "github.com" else f"gh auth login --hostname {host}"


def _gh_auth_token(host: str) -> str | None:
    """``gh auth token --hostname HOST`` when gh is installed and logged in there."""
    gh = shutil.which("gh")
    if gh is None:
        return None
    try:
        done = subprocess.run([gh, "auth", "token", "--hostname", host], capture_output=True,
                              text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    token = done.stdout.strip()
    return token if done.returncode == 0 and token else None


def gh_user(api_url: str) -> str | None:
    """The login the gh CLI is logged in as on the API's host, if any."""
    user = _gh_host(api_url).get("user")
    return str(user) if user else None


def _gh_host(api_url: str) -> dict[str, Any]:
    """The gh CLI's ``hosts.yml`` section of the API's host (empty when there is none)."""
    import yaml

    host = _host(api_url)
    folder = os.environ.get("GH_CONFIG_DIR") or str(
        Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "gh")
    try:
        hosts = yaml.safe_load((Path(folder) / "hosts.yml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    entry = hosts.get(host) if isinstance(hosts, dict) else None
    return entry if isinstance(entry, dict) else {}


def _host(api_url: str) -> str:
    """The host gh knows an API by: github.com for api.github.com, TENANT.ghe.com for
    api.TENANT.ghe.com."""
    host = urlparse(api_url or DEFAULT_API).hostname or "github.com"
    if host == "api.github.com":
        return "github.com"
    return host.removeprefix("api.") if host.endswith(".ghe.com") else host


def _api_records(api: JsonApi, ctx: ImportContext) -> Iterator[Record]:
    user = ctx.options.get("user") or _login(api)
    window = _window(ctx)
    seen: set[str] = set()
    told = Omissions()
    queries = (f"type:pr author:{user}", f"type:issue author:{user}",
               f"type:issue assignee:{user} is:closed")
    for query in queries:
        for item in _search(api, f"{query} {window}".strip(), ctx, told):
            if not isinstance(item, Item):
                yield item
            elif item.url not in seen and ctx.in_range(event_day(item)):
                seen.add(item.url)
                yield from authored_records(item)
    yield from _reviews(api, user, window, ctx, told)


def _login(api: JsonApi) -> str:
    data, _ = api.get_json("/user")
    if not isinstance(data, dict) or not data.get("login"):
        raise BadInput(f"{api.base_url}/user: malformed response from GitHub: no login")
    return str(data["login"])


def _window(ctx: ImportContext) -> str:
    parts = []
    if ctx.since:
        parts.append(f"updated:>={ctx.since.isoformat()}")
    if ctx.until:
        parts.append(f"created:<={ctx.until.isoformat()}")
    return " ".join(parts)


def _search(api: JsonApi, query: str, ctx: ImportContext,
            told: Omissions) -> Iterator[Item | Skipped | Note]:
    """Every result of a search. GitHub returns at most 1,000 results for one query, so a
    query that finds more is asked again over halves of its creation dates until each half
    fits; a Note tells when a single day still holds more."""
    yield from _search_span(api, query, None, ctx, _Progress(ctx, told))


@dataclass(slots=True)
class Omissions:
    """What the import has already said GitHub left out, so that each is said once."""

    sso: set[str] = field(default_factory=set)  # organizations' ids
    timed_out: set[str] = field(default_factory=set)  # searches


class _Progress:
    """Results read so far, out of what the first answer said the search finds."""

    def __init__(self, ctx: ImportContext, told: Omissions) -> None:
        self.ctx, self.done, self.told = ctx, 0, told
        self.total: int | None = None

    def check(self, asked: str, page: dict[str, Any], response: httpx.Response
              ) -> Iterator[Note]:
        """Notes, once each, for results GitHub left out: those of organizations whose SAML
        single sign-on the token is not authorized for, and those of a search that timed
        out (``incomplete_results``)."""
        orgs = [org for org in sso_partial(response) if org not in self.told.sso]
        if orgs:
            self.told.sso.update(orgs)
            yield Note(text=f"GitHub left out the results of {len(orgs)} organization(s) "
                       f"(id {', '.join(orgs)}) that use SAML single sign-on: authorize the "
                       "token for them (GitHub: Settings, Developer settings, tokens, "
                       "Configure SSO) and import again")
        if page.get("incomplete_results") is True and asked not in self.told.timed_out:
            self.told.timed_out.add(asked)
            yield Note(text=f"GitHub's search '{asked}' timed out and gave part of its "
                       "results: import again to read the rest (it is idempotent)")

    def found(self, count: object) -> None:
        if self.total is None and isinstance(count, int):
            self.total = count

    def step(self) -> None:
        self.done += 1
        self.ctx.progress(self.done, self.total)


def _search_span(
    api: JsonApi, query: str, span: tuple[date, date] | None, ctx: ImportContext,
    progress: _Progress,
) -> Iterator[Item | Skipped | Note]:
    asked = f"{query} created:{span[0]}..{span[1]}".strip() if span else query
    capped = False
    for page, response in api.pages("/search/issues", {"q": asked, "per_page": 100}):
        url = str(response.url)
        if not isinstance(page, dict) or not isinstance(page.get("items"), list):
            raise BadInput(f"{url.split('?')[0]}: malformed response from GitHub: "
                           "expected search results with 'items'")
        yield from progress.check(asked, page, response)
        count = page.get("total_count")
        progress.found(count)
        if isinstance(count, int) and count > SEARCH_CAP and not capped:
            first, last = span or (GITHUB_BEGAN, ctx.until or ctx.today)
            if first < last:
                middle = first + (last - first) // 2
                yield from _search_span(api, query, (first, middle), ctx, progress)
                yield from _search_span(api, query, (middle + timedelta(days=1), last), ctx,
                                        progress)
                return
            capped = True
            yield Note(text=f"GitHub found {count:,} results for '{asked}' but gives at most "
                       f"{SEARCH_CAP:,} for one search: the others were not imported")
        for raw in page["items"]:
            progress.step()
            try:
                yield parse_item(raw)
            except NotAnItem as exc:
                where = raw.get("html_url") if isinstance(raw, dict) else None
                yield Skipped(where=str(where or url.split("?")[0]), reason=str(exc))


def _reviews(api: JsonApi, user: str, window: str, ctx: ImportContext,
             told: Omissions) -> Iterator[Record]:
    query = f"type:pr reviewed-by:{user} -author:{user} {window}".strip()
    for item in _search(api, query, ctx, told):
        if not isinstance(item, Item):
            yield item
            continue
        reviews = []
        for page, response in api.pages(f"/repos/{item.repo}/pulls/{item.number}/reviews",
                                        {"per_page": 100}):
            if not isinstance(page, list):
                raise BadInput(f"{str(response.url).split('?')[0]}: malformed response from "
                               "GitHub: "
                               "expected a list of reviews")
            reviews += [r for raw in page if _by(raw, user) and (r := parse_review(raw))]
        reviews = [r for r in reviews if ctx.in_range(r.submitted)]
        if reviews:
            yield review_entry(item, reviews)


def _by(raw: Any, user: str) -> bool:
    return _author(raw).lower() == user.lower()


def _author(raw: Any) -> str:
    """The login of whoever wrote a pull request, issue or review ("" when unknown)."""
    who = raw.get("user") if isinstance(raw, dict) else None
    login = who.get("login") if isinstance(who, dict) else None
    return login if isinstance(login, str) else ""
