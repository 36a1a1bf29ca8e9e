"""The importer plugin interface (entry-point group ``levelup.importers.v1``).

An importer reads its inputs and *yields records*; it never touches the database. The
runner (``levelup.services.import_runner``) upserts them in one transaction, keyed by
``(source, source_id)``, so every import is idempotent and all-or-nothing.

A third-party importer is a class with this shape, registered in its distribution's
``pyproject.toml``::

    [project.entry-points."levelup.importers.v1"]
    myformat = "my_package.module:MyImporter"
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Literal

from levelup.domain.models import Conversation, Entry, Incident, Profile
from levelup.domain.ownership import Ownership as Ownership  # a record plugins yield
from levelup.errors import LevelupError

ENTRY_POINT_GROUP = "levelup.importers.v1"


@dataclass(frozen=True, slots=True, kw_only=True)
class ImportOption:
    """A command-line option of one importer, e.g. ``--author`` for git."""

    name: str
    help: str
    multiple: bool = False
    is_flag: bool = False
    default: str | None = None


@dataclass(slots=True, kw_only=True)
class OwnershipReset:
    """The importer re-reads the repository's ownership whole: drop what was stored."""

    repo: str


@dataclass(slots=True, kw_only=True)
class Retract:
    """An entry this importer made earlier that no longer stands (e.g. a branch merged since).

    The runner deletes it, unless the user added to it (confirmed labels, metrics, quotes,
    told someone or linked feedback): then it stays and the summary says so. With
    ``kind="conversations"`` it names a conversation instead (e.g. a cancelled 1:1), kept when
    it has questions, a stated aspiration, or notes other than ``notes``.
    """

    source: str
    source_id: str
    kind: Literal["entries", "conversations"] = "entries"
    notes: str = ""  # conversations: the notes the import itself wrote (not the user's)


@dataclass(slots=True, kw_only=True)
class Rekey:
    """The entries of ``source`` whose source ids start with ``old_prefix`` now start with
    ``new_prefix``: the same input under a new name (a repository that got a remote). Their
    ids, and all the user added to them, stay; yield it before the entries under the new name.
    """

    source: str
    old_prefix: str
    new_prefix: str


@dataclass(slots=True, kw_only=True)
class SameAs:
    """The entry (source, source_id) that follows is the same work as another importer's.

    When that other entry is already in the ledger, this one is not added (a pull request
    imported from git and from GitHub is one entry, whichever came first).
    """

    source: str
    source_id: str
    other_source: str
    other_source_id: str


@dataclass(slots=True, kw_only=True)
class VisibilityHint:
    """A meeting with a stakeholder where entries could have been shown (not recorded)."""

    stakeholder: str
    date: date
    title: str


@dataclass(slots=True, kw_only=True)
class Cursor:
    """Where an incremental import got to, stored only if the whole import commits."""

    source: str
    key: str
    value: str


@dataclass(slots=True, kw_only=True)
class Skipped:
    """A record the importer could not read: ``where`` is file:line, a commit, or a URL.

    With ``bad=False`` it was left out on purpose (e.g. outside the import window): listed,
    never a reason to stop the import.
    """

    where: str
    reason: str
    bad: bool = True


@dataclass(slots=True, kw_only=True)
class Detected:
    """What the importer found its input to be (e.g. ``pagerduty-csv``)."""

    format: str


@dataclass(slots=True, kw_only=True)
class Note:
    """Something the user should know about this import as a whole (shown once, never an
    error), e.g. that entries have no link back because the site is unknown."""

    text: str


Record = (Entry | Conversation | Incident | Ownership | OwnershipReset | Retract | Rekey
          | SameAs | VisibilityHint | Cursor | Skipped | Detected | Note)


@dataclass(slots=True, kw_only=True)
class ImportContext:
    """What an importer may know: the period, its options, the profile, stored cursors."""

    since: date | None
    until: date | None
    today: date
    options: dict[str, Any] = field(default_factory=dict)
    profile: Profile | None = None
    cursors: dict[tuple[str, str], str] = field(default_factory=dict)
    # Names of the stakeholders the ledger knows (meetings with them are visibility hints).
    stakeholders: list[str] = field(default_factory=list)
    # progress(done, total): call as work advances; total may be None when unknown.
    progress: Callable[[int, int | None], None] = lambda done, total: None

    def in_range(self, day: date) -> bool:
        return (self.since is None or day >= self.since) and (
            self.until is None or day <= self.until
        )


class ImportError_(LevelupError):
    """Input that cannot be imported at all; the message names file and line (or commit)."""


class Importer:
    """Base class of every importer; subclasses set the class attributes and ``read``."""

    name: ClassVar[str]
    summary: ClassVar[str]
    # Name of the positional inputs shown in help (files, folders, URLs); "" for none.
    inputs: ClassVar[str] = "FILE"
    # False when the importer can run without inputs (an API importer with optional files).
    inputs_required: ClassVar[bool] = True
    options: ClassVar[tuple[ImportOption, ...]] = ()
    # False when the importer writes entries' details itself (git's commit statistics): the
    # classifier then reads titles only, which people wrote, and not generated figures.
    classify_details: ClassVar[bool] = True

    def read(self, inputs: list[str], ctx: ImportContext) -> Iterator[Record]:
        raise NotImplementedError
