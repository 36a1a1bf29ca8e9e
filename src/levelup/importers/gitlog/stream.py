"""Running `git log` and reading its NUL-separated output incrementally (bounded memory).

With ``-z`` and a format that starts every commit with ``\\x1e``, the output is a stream of
NUL-terminated tokens: a commit header, then one token per numstat line (``A\\tD\\tpath``),
where a rename is ``A\\tD\\t`` followed by two tokens, the old and the new path. With
``--name-only`` instead, each changed file is one token (a renamed file's new path).
"""

from __future__ import annotations

import os
import queue
import subprocess
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Protocol

COMMIT_START = "\x1e"
FIELD = "\x1f"
_CHUNK = 1 << 20
_AHEAD = 32  # chunks a prefetching reader may hold: memory stays under ~32 MB per stream


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class GitFailed(Exception):
    """`git` exited with an error; the message is its error, in one line."""


def git_error(stderr: bytes) -> str:
    """The line of git's standard error that says what failed: its first ``fatal:`` or
    ``error:`` line (hints and warnings around it are left out), else its first line."""
    lines = [line.strip() for line in stderr.decode(errors="replace").splitlines()]
    lines = [line for line in lines if line]
    failed = [line for line in lines if line.startswith(("fatal:", "error:"))]
    return (failed or lines or ["git gave no reason"])[0]


@dataclass(slots=True)
class LogRecord:
    """One commit of a numstat log: its header fields and changed files."""

    fields: list[str]
    added: int = 0
    removed: int = 0
    binary: int = 0
    files: list[str] = field(default_factory=list)


# Settings of the user's own git config that would change what git prints for a program:
# colours, signature checks interleaved with the log, another output encoding, a root commit
# without its files, --follow on a single path, a diff without "a/" and "b/".
_PINNED = ("core.quotepath=off", "color.ui=never", "color.diff=never",
           "log.showSignature=false", "log.showRoot=true", "log.follow=false",
           "i18n.logOutputEncoding=UTF-8", "diff.renames=true", "diff.relative=false",
           "diff.noprefix=false", "diff.mnemonicPrefix=false")
# Variables that point git at another repository than the one named with -C. A hook or
# `git rebase --exec` may have set them for its own repository.
_ELSEWHERE = ("GIT_DIR", "GIT_WORK_TREE", "GIT_IMPLICIT_WORK_TREE", "GIT_COMMON_DIR",
              "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
              "GIT_GRAFT_FILE", "GIT_SHALLOW_FILE", "GIT_PREFIX", "GIT_NAMESPACE")


def git_command(repo: Path, *args: str) -> list[str]:
    """``git ARGS`` in ``repo``, its output meant for a program whatever the user's config.

    Run it with ``env=git_env()``.
    """
    pinned = [arg for setting in _PINNED for arg in ("-c", setting)]
    return ["git", "-C", str(repo), *pinned, *args]


def git_env() -> dict[str, str]:
    """This process's environment without the variables that would redirect git."""
    return {key: value for key, value in os.environ.items() if key not in _ELSEWHERE}


def run_git(repo: Path, *args: str) -> str:
    """The standard output of a short git command; raises GitFailed on a non-zero exit."""
    done = subprocess.run(git_command(repo, *args), capture_output=True, check=False,
                          env=git_env())
    if done.returncode != 0:
        raise GitFailed(git_error(done.stderr))
    return done.stdout.decode(errors="replace")


class Prefetched:
    """A pipe read ahead by a thread, so that git keeps working while Python is busy.

    At most ``_AHEAD`` chunks wait in memory; when they are full, git waits as it would on
    the pipe. ``read`` returns the chunks in order, then ``b""``.
    """

    def __init__(self, pipe: IO[bytes]) -> None:
        self._pipe = pipe
        self._chunks: queue.Queue[bytes] = queue.Queue(maxsize=_AHEAD)
        self._ended = False
        self._thread = threading.Thread(target=self._fill, daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        try:
            while chunk := self._pipe.read(_CHUNK):
                self._chunks.put(chunk)
        except (OSError, ValueError):
            pass  # the pipe was closed under us: the reader gave up
        finally:
            self._chunks.put(b"")

    def read(self, size: int = -1, /) -> bytes:
        if self._ended:
            return b""
        chunk = self._chunks.get()
        self._ended = not chunk
        return chunk

    def drain(self) -> None:
        while self.read():
            pass
        self._thread.join()


@contextmanager
def git_stream(
    repo: Path, args: Sequence[str], stdin: str | None = None, *, prefetch: bool = False
) -> Iterator[Readable]:
    """Start `git ARGS` and yield its standard output; raises GitFailed if git fails.

    With ``prefetch``, a thread reads ahead (``Prefetched``): start such a stream before
    other work and git produces its output meanwhile, on the other core.
    """
    proc = subprocess.Popen(
        git_command(repo, *args),
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=git_env(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    if stdin is not None and proc.stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    ahead = Prefetched(proc.stdout) if prefetch else None
    try:
        yield ahead or proc.stdout
        if ahead is None:
            proc.stdout.read()  # drain so that git is never blocked on a full pipe
    except Exception as exc:
        # Output that ends mid-commit is what a git that failed part way leaves (a missing
        # object): its error says why, where the reader's would only say what broke.
        failed = _exit_code(proc) not in (None, 0)
        proc.kill()  # the reader failed: git's remaining output is not wanted
        if failed:
            raise GitFailed(git_error(proc.stderr.read())) from exc
        raise
    except BaseException:
        proc.kill()
        raise
    finally:
        if ahead is not None:
            ahead.drain()
        proc.stdout.close()
        err = proc.stderr.read()
        proc.stderr.close()
        code = proc.wait()
    if code != 0:
        raise GitFailed(git_error(err))


def _exit_code(proc: subprocess.Popen[bytes]) -> int | None:
    """git's exit code if it ends within a moment, else None (still writing)."""
    try:
        return proc.wait(timeout=0.5)
    except subprocess.TimeoutExpired:
        return None


def nul_tokens(stream: Readable) -> Iterator[str]:
    """The NUL-terminated tokens of ``stream``, decoded as UTF-8 (bad bytes replaced)."""
    return split_stream(stream, b"\0")


def split_stream(stream: Readable, sep: bytes) -> Iterator[str]:
    """The ``sep``-terminated pieces of ``stream`` (a NUL or a newline), decoded as UTF-8."""
    rest = b""
    while chunk := stream.read(_CHUNK):
        data = rest + chunk
        end = data.rfind(sep)
        if end < 0:
            rest = data
            continue
        rest = data[end + 1 :]
        # A NUL or newline never sits inside a UTF-8 sequence: each piece decodes on its own.
        yield from data[:end].decode("utf-8", errors="replace").split(sep.decode())
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


def name_records(tokens: Iterator[str], nfields: int) -> Iterator[tuple[list[str], list[str]]]:
    """(header fields, paths) of a ``-z --name-only`` log whose format is ``\\x1e`` + fields.

    Cheaper for git than ``--numstat``, which diffs every changed file's contents.
    """
    fields: list[str] | None = None
    files: list[str] = []
    for token in tokens:
        if token.startswith(COMMIT_START):
            if fields is not None:
                yield fields, files
            fields, files = token[1:].split(FIELD, nfields - 1), []
        elif fields is not None and token:
            files.append(token[1:] if not files and token[0] == "\n" else token)
    if fields is not None:
        yield fields, files


def _count(record: LogRecord, added: str, removed: str) -> None:
    if added == "-":
        record.binary += 1
    else:
        record.added += int(added)
        record.removed += int(removed)
