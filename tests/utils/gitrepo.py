"""Real git repositories for tests: commits with fixed dates and authors, branches, merges."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC
from pathlib import Path

ADA = ("Ada", "ada@example.com")
BOB = ("Bob", "bob@example.com")


class GitRepo:
    def __init__(self, path: Path, *, init: bool = True) -> None:
        self.path = path
        if init:
            path.mkdir(parents=True, exist_ok=True)
            self.git("init", "-q", "-b", "main")
            self.git("config", "user.email", ADA[1])
            self.git("config", "user.name", ADA[0])

    @classmethod
    def open(cls, path: Path) -> GitRepo:
        """An existing repository, such as a clone."""
        return cls(path, init=False)

    def git(self, *args: str, day: str = "2026-03-02", author: tuple[str, str] = ADA,
            stdin: bytes | None = None) -> str:
        env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00+0000",
               "GIT_COMMITTER_DATE": f"{day}T10:00:00+0000", "GIT_AUTHOR_NAME": author[0],
               "GIT_AUTHOR_EMAIL": author[1], "GIT_COMMITTER_NAME": author[0],
               "GIT_COMMITTER_EMAIL": author[1], "GIT_CONFIG_NOSYSTEM": "1"}
        done = subprocess.run(["git", "-C", str(self.path), *args], env=env, input=stdin,
                              capture_output=True, check=True)
        return done.stdout.decode(errors="replace").strip()

    def commit(self, message: str | bytes, files: dict[str, str | bytes], *,
               day: str = "2026-03-02", author: tuple[str, str] = ADA) -> str:
        for name, content in files.items():
            target = self.path / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content)
        self.git("add", "-A")
        raw = message if isinstance(message, bytes) else message.encode()
        self.git("commit", "-q", "--allow-empty", "-F", "-", day=day, author=author, stdin=raw)
        return self.git("rev-parse", "HEAD")

    def merge(self, branch: str, message: str, *, day: str) -> str:
        self.git("merge", "-q", "--no-ff", branch, "-m", message, day=day)
        return self.git("rev-parse", "HEAD")

    def raw_commit(self, message: bytes, *, day: str) -> str:
        """A commit whose message bytes are stored as given (git would convert Latin-1)."""
        tree = self.git("write-tree")
        parent = self.git("rev-parse", "HEAD")
        ident = f"{ADA[0]} <{ADA[1]}> {_epoch(day)} +0000".encode()
        body = (b"tree " + tree.encode() + b"\nparent " + parent.encode() + b"\nauthor " + ident
                + b"\ncommitter " + ident + b"\n\n" + message + b"\n")
        sha = self.git("hash-object", "-t", "commit", "-w", "--stdin", "--literally", stdin=body)
        self.git("update-ref", "HEAD", sha)
        return sha


def _epoch(day: str) -> int:
    from datetime import datetime

    return int(datetime.fromisoformat(f"{day}T10:00:00").replace(tzinfo=UTC).timestamp())
