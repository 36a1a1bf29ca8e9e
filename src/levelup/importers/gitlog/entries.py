"""Turning a work item into a ledger entry: a readable title, details, links, a stable id."""

from __future__ import annotations

from levelup.domain.models import Entry
from levelup.importers.gitlog.grouping import CommitLine, WorkItem
from levelup.importers.gitlog.repo import RepoInfo

MAX_LISTED = 50  # commits listed in an entry's details
MAX_LINKS = 5


def item_entry(repo: RepoInfo, item: WorkItem) -> Entry:
    """The entry of one work item; its source id is stable across re-imports."""
    commits = oldest_first(item.commits)
    first, last = commits[0][2], commits[-1][2]
    return Entry(
        title=_title(item, commits),
        date=first,
        end_date=last if last != first else None,
        details=_details(repo, item, commits),
        kind="win",
        source="git",
        source_id=f"{repo.id}:{item.key}",
        links=_links(repo, item, commits),
    )


def oldest_first(commits: list[CommitLine]) -> list[CommitLine]:
    """By author time; commits of the same second in the reverse of git's order (newest
    first, a child before its parent), not by their hashes."""
    order = sorted(enumerate(commits), key=lambda pair: (pair[1][0], -pair[0]))
    return [commit for _, commit in order]


def _title(item: WorkItem, commits: list[CommitLine]) -> str:
    oldest = commits[0][3] or "(no message)"
    more = len(commits) - 1
    if item.headline:
        title = item.headline
    elif item.branch:
        title = f"{item.branch}: {oldest}"
    elif item.direct and more and not item.key.startswith("pr:"):
        topic = item.key.split(":", 1)[1]
        title = f"{topic}: {oldest}" if topic not in ("misc", "(root)") else oldest
    else:
        title = oldest
    if more and not item.headline:
        title += f" (+{_many(more, 'more commit')})"
    numbers = sorted(item.prs)
    if len(numbers) == 1 and f"#{numbers[0]}" not in title:
        title += f" (#{numbers[0]})"
    return title


def _details(repo: RepoInfo, item: WorkItem, commits: list[CommitLine]) -> str:
    counts = [f"{_many(len(commits), 'commit')} in {repo.id}"]
    if repo.contents != "commits":  # a partial clone may not say which files changed
        counts.append(f"{_many(len(item.files), 'file')} changed")
    if repo.contents == "lines":  # nor how many lines
        counts.append(f"+{item.added} -{item.removed} lines")
        if item.binary:
            counts.append(_many(item.binary, "binary change"))
    counts.append(f"{commits[0][2]} to {commits[-1][2]}.")
    n = len(commits)
    lines = [", ".join(counts)]
    if item.merge_sha:
        lines.append(f"Merged in {item.merge_sha[:12]}.")
    if item.branch:
        lines.append(f"On branch {item.branch}, not on the main line yet.")
    if item.prs:
        lines.append("Pull requests: " + ", ".join(f"#{n}" for n in sorted(item.prs)) + ".")
    if mentioned := sorted(item.mentions - item.prs):
        lines.append("Mentions: " + ", ".join(f"#{n}" for n in mentioned) + ".")
    if item.issues:
        lines.append("Issues: " + ", ".join(sorted(item.issues)) + ".")
    if item.description:
        lines += ["", item.description]
    lines.append("")
    lines += [f"- {sha[:10]} {day} {subject}" for _, sha, day, subject in commits[:MAX_LISTED]]
    if n > MAX_LISTED:
        lines.append(f"- ... and {n - MAX_LISTED} more")
    return "\n".join(lines)


def _links(repo: RepoInfo, item: WorkItem, commits: list[CommitLine]) -> list[str]:
    links = [url for n in sorted(item.prs) if (url := repo.pr_url(n))][:MAX_LINKS]
    if item.merge_sha:
        links.append(repo.commit_url(item.merge_sha))
    links += [repo.commit_url(sha) for _, sha, _, _ in reversed(commits)]
    return links[:MAX_LINKS]


def _many(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"
