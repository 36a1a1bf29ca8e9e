"""Running `git log` and reading its NUL-separated output incrementally (bounded memory).

With ``-z`` and a format that starts every commit with ``\\x1e``, the output is a stream of
NUL-terminated tokens: a commit header, then one token per numstat line (``A\\tD\\tpath``),
where a rename is ``A\\tD\\t`` followed by two tokens, the old and the new path.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

COMMIT_START = "\x1e"
FIELD = "\x1f"
_CHUNK = 1 << 20


class GitFailed(Exception):
    """`git` exited with an error; the message is its standard error."""


@dataclass(slots=True)
class LogRecord:
    """One commit of a numstat log: its header fields and changed files."""

    fields: list[str]
    added: int = 0
    removed: int = 0
    binary: int = 0
    files: list[str] = field(default_factory=list)


def git_command(repo: Path, *args: str) -> list[str]:
    # No pager, no colour, no locale-dependent quoting of paths: output meant for a program.
    return ["git", "-C", str(repo), "-c", "core.quotepath=off", "-c", "color.ui=never", *args]


def run_git(repo: Path, *args: str) -> str:
    """The standard output of a short git command; raises GitFailed on a non-zero exit."""
    done = subprocess.run(git_command(repo, *args), capture_output=True, check=False)
    if done.returncode != 0:
        raise GitFailed(done.stderr.decode(errors="replace").strip())
    return done.stdout.decode(errors="replace")


@contextmanager
def git_stream(repo: Path, args: Sequence[str], stdin: str | None = None) -> Iterator[IO[bytes]]:
    """Start `git ARGS` and yield its standard output; raises GitFailed if git fails."""
    proc = subprocess.Popen(
        git_command(repo, *args),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    try:
        yield proc.stdout
        proc.stdout.read()  # drain so that git is never blocked on a full pipe
    finally:
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        raise GitFailed(err.decode(errors="replace").strip())


def nul_tokens(stream: IO[bytes]) -> Iterator[str]:
    """The NUL-terminated tokens of ``stream``, decoded as UTF-8 (bad bytes replaced)."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        data = rest + chunk
        end = data.rfind(b"\0")
        if end < 0:
            rest = data
            continue
        rest = data[end + 1 :]
        # A NUL never sits inside a UTF-8 sequence, so each chunk decodes on its own.
        yield from data[:end].decode("utf-8", errors="replace").split("\0")
    if rest:
        yield rest.decode("utf-8", errors="replace")


def log_records(tokens: Iterator[str], nfields: int) -> Iterator[LogRecord]:
    """Commits of a ``-z --numstat`` log whose format is ``\\x1e`` + ``nfields`` fields."""
    record: LogRecord | None = None
    rename: list[str] | None = None
    for token in tokens:
        if token.startswith(COMMIT_START):
            if record is not None:
                yield record
            record, rename = LogRecord(token[1:].split(FIELD, nfields - 1)), None
            continue
        if record is None or not token:
            continue
        if rename is not None:  # the old path, then the new one
            rename.append(token)
            if len(rename) == 2:
                record.files.append(rename[1])
                rename = None
            continue
        if token[0] == "\n":
            token = token[1:]
        added, removed, path = token.split("\t", 2)
        _count(record, added, removed)
        if path:
            record.files.append(path)
        else:
            rename = []
    if record is not None:
        yield record


def _count(record: LogRecord, added: str, removed: str) -> None:
    if added == "-":
        record.binary += 1
    else:
        record.added += int(added)
        record.removed += int(removed)
