"""Reading one repository: work-item entries, file ownership and the cursors, as records."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from itertools import chain

from levelup.domain.models import Entry
from levelup.importers.base import (
    Cursor,
    ImportContext,
    Note,
    OwnershipReset,
    Record,
    Rekey,
    Retract,
    SameAs,
)
from levelup.importers.gitlog.branches import branch_records
from levelup.importers.gitlog.entries import item_entry
from levelup.importers.gitlog.grouping import Commit, WorkItem, direct_key
from levelup.importers.gitlog.history import (
    Identities,
    merge_messages,
    nobody_note,
    read_user_graph,
    user_commit_stream,
    user_commits,
)
from levelup.importers.gitlog.ownership import OwnershipPass
from levelup.importers.gitlog.repo import RepoInfo, is_ancestor
from levelup.importers.gitlog.stream import GitFailed, run_git

OWNERSHIP_DAYS = 365
IDENTITIES_KEY = "identities"  # cursor: whom the history up to "head" was read for
SHALLOW_KEY = "shallow"  # cursor: a shallow clone's boundary commits when it was read
ID_KEY = "id"  # cursor: the repository id this checkout's entries are stored under
_PROGRESS_EVERY = 500


def read_repo(repo: RepoInfo, ctx: ImportContext, who: Identities) -> Iterator[Record]:
    """Every record of one repository; reads only commits after the stored cursor."""
    if repo.head is None:
        return  # an empty repository has nothing to import yet
    source, head = repo.cursor_source, repo.head
    yield from _renamed(repo, ctx)
    yield from _notes(repo)
    owners = _ownership_pass(repo, ctx, who) if repo.contents != "commits" else None
    full = ctx.since is None and ctx.until is None  # only a full read moves the cursor
    last = ctx.cursors.get((source, "head")) if full else None
    # A history read for other identities or another .mailmap is read again whole, since
    # commits skipped then may be the user's now; so is a shallow clone deepened since.
    read_for = who.fingerprint(repo.path)
    same_reader = ctx.cursors.get((source, IDENTITIES_KEY)) == read_for
    boundary = set(ctx.cursors.get((source, SHALLOW_KEY), "").split())
    deepened = last is not None and boundary != repo.shallow
    found = whole = False
    if last != head or not same_reader or deepened:
        moved_on = last is not None and is_ancestor(repo.path, last, head)
        base = last if moved_on and same_reader and not deepened else None
        whole = base is None
        # rewritten (a reset, an amend, a rebase): the items of commits no ref holds now
        gone = _dropped_items(repo, last, who) if last and not moved_on else set()
        for record in _entries(repo, ctx, who, base):
            if isinstance(record, Entry) and record.source_id:
                gone.discard(record.source_id)
                found = True
            yield record
        gone |= {f"{repo.id}:shallow:{sha[:12]}" for sha in boundary - repo.shallow}
        yield from (Retract(source="git", source_id=key) for key in sorted(gone))
    for record in branch_records(repo, ctx, who):
        found = found or isinstance(record, Entry)
        yield record
    if not found and whole and full:
        yield Note(text=nobody_note(repo, who))
    if owners is not None:
        if owners.whole:
            yield OwnershipReset(repo=repo.id)
        yield from owners.rows()
    if full:
        yield Cursor(source=source, key="head", value=head)
        yield Cursor(source=source, key=IDENTITIES_KEY, value=read_for)
        yield Cursor(source=source, key=SHALLOW_KEY, value=" ".join(sorted(repo.shallow)))
    # One ownership per repository, however many clones or worktrees of it are imported.
    ctx.cursors[(repo.ownership_source, "ownership")] = head
    yield Cursor(source=repo.ownership_source, key="ownership", value=head)


def _renamed(repo: RepoInfo, ctx: ImportContext) -> Iterator[Record]:
    """The entries' new name when the repository's changed (a remote added since), and the
    cursor of the name."""
    source = repo.cursor_source
    named = ctx.cursors.get((source, ID_KEY))
    if named is None and ctx.cursors.get((source, "head")):  # read before ids were kept
        named = repo.legacy_id
    if named and named != repo.id and _same_project(repo, ctx.cursors.get((source, "head"))):
        yield Rekey(source="git", old_prefix=f"{named}:", new_prefix=f"{repo.id}:")
        yield OwnershipReset(repo=named)  # read again whole under the new name
    ctx.cursors[(source, ID_KEY)] = repo.id
    yield Cursor(source=source, key=ID_KEY, value=repo.id)


def _notes(repo: RepoInfo) -> Iterator[Note]:
    if repo.partial is not None:
        yield Note(text=_partial_note(repo))
    if repo.shallow:
        yield Note(text=f"{repo.path} is a shallow clone: older history is not there and the "
                   "changes of its oldest commits are not counted; run `git fetch --unshallow` "
                   "and import again for the rest")


def _dropped_items(repo: RepoInfo, old_head: str, who: Identities) -> set[str]:
    """The source ids of the work items read from ``old_head`` that held commits no branch,
    remote or tag has now: a reset, an amend or a rebase dropped them. A main line that
    only moved to another branch drops nothing, since that branch still has them."""
    try:
        dropped = set(run_git(repo.path, "rev-list", old_head, "--not", "--all").split())
    except GitFailed:
        return set()  # the old commits are gone from the object store too
    if not dropped:
        return set()
    graph = read_user_graph(repo.path, [old_head], [], who)
    merges = {merge for merge in graph.merges if merge in dropped}
    keys: set[str] = set()
    for commit in user_commits(repo.path, [old_head, "--not", "--all"], [], who,
                               contents=repo.contents):
        merge = graph.merge_of.get(commit.sha)
        if merge:
            merges.add(merge)
        else:
            keys.add(direct_key(commit))
    for merge, (number, _, _) in merge_messages(repo.path, merges).items():
        keys.add(f"pr:{number}" if number is not None else f"merge:{merge[:12]}")
    return {f"{repo.id}:{key}" for key in keys}


def _same_project(repo: RepoInfo, last: str | None) -> bool:
    """Whether the commit read last is in this checkout (not another project cloned into the
    same folder since)."""
    try:
        return bool(last) and bool(run_git(repo.path, "cat-file", "-t", f"{last}").strip())
    except GitFailed:
        return False


def _partial_note(repo: RepoInfo) -> str:
    kind = f"a partial clone ({repo.partial})" if repo.partial else "a partial clone"
    left = ("lines added and removed are not counted" if repo.contents == "files" else
            "changed files, lines and file ownership are not read")
    return (f"{repo.path} is {kind}: {left}, since git would download the missing contents "
            "from the remote to read them")


def _ownership_pass(
    repo: RepoInfo, ctx: ImportContext, who: Identities
) -> OwnershipPass | None:
    assert repo.head is not None
    last = ctx.cursors.get((repo.ownership_source, "ownership"))
    if last == repo.head:
        return None
    since = ctx.today - timedelta(days=OWNERSHIP_DAYS)
    renames = repo.contents == "lines"
    if last and is_ancestor(repo.path, last, repo.head):
        return OwnershipPass(repo.path, repo.id, repo.head, [f"{last}..{repo.head}"], since,
                             who, renames=renames)
    # first read, or history rewritten: the stored ownership is replaced, not added to
    return OwnershipPass(repo.path, repo.id, repo.head, [repo.head], since, who, whole=True,
                         renames=renames)


def _entries(
    repo: RepoInfo, ctx: ImportContext, who: Identities, base: str | None
) -> Iterator[Record]:
    assert repo.head is not None
    revs = [f"{base}..{repo.head}"] if base else [repo.head]
    limits = [_git_since(ctx.since - timedelta(days=1))] if ctx.since else []  # slack: zones
    items: dict[str, WorkItem] = {}
    outside: dict[str, list[Commit]] = {}  # merged commits outside the period, by merge
    with user_commit_stream(repo.path, revs, limits, who, contents=repo.contents) as commits:
        graph = read_user_graph(repo.path, revs, limits, who)  # git reads commits meanwhile
        for done, commit in enumerate(commits, 1):
            if done % _PROGRESS_EVERY == 0:
                ctx.progress(done, len(graph.merge_of))
            merge = graph.merge_of.get(commit.sha)
            if not ctx.in_range(commit.day):
                if merge:
                    outside.setdefault(merge, []).append(commit)
                continue
            if commit.sha in repo.shallow:
                # its diff is against nothing, not its change: an item of its own, with no
                # figures, retracted once the clone is deepened
                commit.files, commit.added, commit.removed, commit.binary = [], 0, 0, 0
                merge, key = None, f"shallow:{commit.sha[:12]}"
            else:
                key = f"merge:{merge[:12]}" if merge else direct_key(commit)
            if key not in items:
                items[key] = WorkItem(key=key, direct=merge is None, merge_sha=merge)
            items[key].add(commit)
    if base:
        _complete_direct_items(repo, base, items, who)
    if ctx.since or ctx.until:
        _complete_merged_items(repo, items, outside, graph.cut, who)
    for item in sorted(_name_merges(repo, items), key=lambda i: (i.first, i.key)):
        entry = item_entry(repo, item)
        number = item.key.removeprefix("pr:")
        if number != item.key and (url := repo.pr_url(int(number))) and entry.source_id:
            # the same pull request imported from GitHub is the same work
            yield SameAs(source="git", source_id=entry.source_id, other_source="github",
                         other_source_id=url)
        yield entry


def _complete_direct_items(
    repo: RepoInfo, base: str, items: dict[str, WorkItem], who: Identities
) -> None:
    """Add the already-imported commits of day groups that got new commits.

    Their entries are rewritten whole, so a re-run updates a day's entry instead of
    replacing it with only the new commits.
    """
    direct = {key: item for key, item in items.items() if item.direct}
    if not direct:
        return
    limits = [_git_since(min(item.first for item in direct.values()) - timedelta(days=1))]
    merged = read_user_graph(repo.path, [base], limits, who).merge_of
    for commit in user_commits(repo.path, [base], limits, who, contents=repo.contents):
        item = direct.get(direct_key(commit))
        if item is not None and merged.get(commit.sha) is None:  # not a branch's work
            item.add(commit)


def _complete_merged_items(
    repo: RepoInfo, items: dict[str, WorkItem], outside: dict[str, list[Commit]],
    cut: set[str], who: Identities,
) -> None:
    """Add the commits outside the period to the merged items that have some inside it.

    An import limited to a period adds the work items of that period whole: rewriting a
    merged branch's entry with only the commits inside the period would lose the others.
    Branches that began before the commits git read are read again on their own.
    """
    for item in items.values():
        merge = item.merge_sha
        if merge is None:
            continue
        more: Iterable[Commit] = outside.get(merge, [])
        if merge in cut:
            more = chain(more, user_commits(repo.path, [f"{merge}^@", f"^{merge}^1"], [], who,
                                            contents=repo.contents))
        known = {line[1] for line in item.commits}
        for commit in more:
            if commit.sha not in known:
                known.add(commit.sha)
                item.add(commit)


def _name_merges(repo: RepoInfo, items: dict[str, WorkItem]) -> list[WorkItem]:
    """Key merged items by their PR number where the merge names one; join equal keys."""
    messages = merge_messages(repo.path, {i.merge_sha for i in items.values() if i.merge_sha})
    named: dict[str, WorkItem] = {}
    for item in items.values():
        if item.merge_sha:
            message = messages.get(item.merge_sha)
            number = message.number if message else None
            if message:
                item.headline, item.description = message.headline, message.description
            if number is not None:
                item.prs.add(number)
                item.key = f"pr:{number}"
        if item.key in named:
            named[item.key].absorb(item)
        else:
            named[item.key] = item
    return list(named.values())


def _git_since(day: date) -> str:
    return f"--since={day.isoformat()} 00:00:00"  # a bare date would mean that day at this hour
