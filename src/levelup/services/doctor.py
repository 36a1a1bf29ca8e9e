"""`levelup doctor`: is this setup healthy, and what would fix it.

Every check looks without touching: the ledger is opened read-only (never created, never
upgraded), nothing is sent anywhere. The only fixes applied are permission changes.
"""

from __future__ import annotations

import os
import shlex
import stat
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from levelup.domain.steps import Notice, Step

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from levelup.context import Context
    from levelup.domain.models import Profile
    from levelup.settings import Settings

OK, WARN, FAIL = "ok", "warn", "fail"
_INIT = Step("init")
_FIX = Step("doctor", {"fix": ""})
PRIVATE = 0o077  # permission bits that let the group or others in
MAX_ENTRIES = 2000  # files looked at in the home (its folders one level deep)


@dataclass(frozen=True, slots=True)
class Check:
    """One thing doctor looked at: ``status`` is ok, warn or fail; ``fix`` says what to do in
    words, ``step`` the levelup command that does it (phrased by each adapter)."""

    name: str
    status: str
    message: str
    fix: str = ""
    step: Step | None = None


@dataclass(frozen=True, slots=True)
class Checkup:
    checks: list[Check]
    fixed: list[str] = field(default_factory=list)  # what --fix changed, one action each

    @property
    def ok(self) -> bool:
        return all(check.status != FAIL for check in self.checks)

    def to_json(self) -> dict[str, Any]:
        return {"ok": self.ok, "fixed": self.fixed,
                "checks": [{**asdict(c), "step": c.step.to_json() if c.step else None}
                           for c in self.checks]}


def check_setup(ctx: Context, *, fix: bool = False) -> Checkup:
    """Every check, after applying the safe fixes (permissions) when ``fix`` is set."""
    from levelup.reports.send import PASSWORD_VARIABLE

    settings = ctx.settings
    fixed = fix_permissions(settings.home) if fix else []
    checks = [check_home(settings), check_files(settings.home), check_database(settings)]
    ledger, profile = _check_ledger(settings, ctx.owner)
    checks.append(ledger)
    checks.append(check_ladder(settings, profile))
    checks.append(check_pdf())
    checks.append(check_smtp(settings, password=bool(os.environ.get(PASSWORD_VARIABLE))))
    return Checkup(checks=checks, fixed=fixed)


def exposed_home(settings: Settings) -> Notice | None:
    """A one-line warning when the home folder exists and others may enter it, else None."""
    home = settings.home
    try:
        mode = home.stat().st_mode
    except OSError:
        return None
    if os.name == "nt" or not stat.S_ISDIR(mode) or not mode & PRIVATE:
        return None
    return Notice(f"{home} is open to other users ({stat.filemode(mode)}): make it private with "
                  f"`chmod 700 {shlex.quote(str(home))}`, or let levelup do it", _FIX)


def check_home(settings: Settings) -> Check:
    home = settings.home
    try:
        mode = home.stat().st_mode
    except FileNotFoundError:
        if settings.database_url:
            return Check("home", OK, f"{home} does not exist yet (made when needed)")
        return Check("home", WARN, f"no folder at {home} yet, so no ledger", step=_INIT)
    except OSError as exc:
        return Check("home", FAIL, f"cannot look at {home} ({exc.strerror})")
    if not stat.S_ISDIR(mode):
        return Check("home", FAIL, f"{home} is not a folder",
                     "point LEVELUP_HOME at a folder, or move the file aside")
    if os.name != "nt" and mode & PRIVATE:
        return Check("home", FAIL, f"{home} is open to other users ({stat.filemode(mode)})",
                     f"chmod 700 {shlex.quote(str(home))}, or let levelup do it", _FIX)
    return Check("home", OK, f"{home} is private ({stat.filemode(mode)})")


def check_files(home: Path) -> Check:
    """Files and folders in the home that others could read if the folder were opened."""
    open_ones = [path for path in _home_entries(home) if _loose(path)]
    if not open_ones:
        return Check("files", OK, "levelup's files are private (0600)")
    names = ", ".join(str(p.relative_to(home)) for p in open_ones[:3])
    more = f" and {len(open_ones) - 3} more" if len(open_ones) > 3 else ""
    count = f"{len(open_ones)} file{'s' if len(open_ones) > 1 else ''}"
    return Check("files", WARN, f"{count} in {home} readable by others: {names}{more}",
                 step=_FIX)


def fix_permissions(home: Path) -> list[str]:
    """Closes the home folder (0700) and the files in it (0600) to others; says what it did."""
    if os.name == "nt" or not home.is_dir() or home.is_symlink():
        return []
    done = []
    for path in [home, *_home_entries(home)]:
        info = path.lstat()
        if not info.st_mode & PRIVATE or info.st_uid != os.getuid():
            continue  # already private, or another user's: not ours to change
        if path == home and info.st_mode & stat.S_ISVTX:
            continue  # a shared folder such as /tmp: never close it
        mode = stat.S_IMODE(info.st_mode) & ~PRIVATE
        path.chmod(mode)
        done.append(f"chmod {mode:o} {shlex.quote(str(path))}")
    return done


def _home_entries(home: Path) -> list[Path]:
    """The home's files and folders, and those of its folders; no links, no deeper."""
    found: list[Path] = []
    try:
        top = sorted(home.iterdir())
    except OSError:
        return found
    for path in top:
        if path.is_symlink():
            continue
        found.append(path)
        if path.is_dir():
            try:
                found.extend(sorted(p for p in path.iterdir() if not p.is_symlink()))
            except OSError:
                continue
        if len(found) >= MAX_ENTRIES:
            break
    return found[:MAX_ENTRIES]


def _loose(path: Path) -> bool:
    try:
        return bool(path.lstat().st_mode & PRIVATE)
    except OSError:
        return False


def check_database(settings: Settings) -> Check:
    """The database driver the URL names is installed."""
    from levelup.store.db import StoreError, sqlite_path
    from levelup.store.readonly import read_only_engine

    url = settings.url
    if sqlite_path(url) is not None:
        return Check("database", OK, "SQLite (built in)")
    try:
        read_only_engine(url).dispose()
    except StoreError as exc:
        return Check("database", FAIL, exc.message, "pip install 'levelup[postgres]'")
    return Check("database", OK, f"driver for {url.split(':', 1)[0]} installed")


def _check_ledger(settings: Settings, owner: int) -> tuple[Check, Profile | None]:
    """The ledger's state, and its owner's profile when the schema is current."""
    from levelup.store.db import StoreError, sqlite_path
    from levelup.store.readonly import read_only_engine

    path = sqlite_path(settings.url)
    if path is not None:
        problem = _file_problem(path)
        if problem is not None:
            return problem, None
    try:
        engine = read_only_engine(settings.url)
    except StoreError:
        return Check("ledger", FAIL, "not checked: the database driver is missing"), None
    try:
        return _schema(engine, owner, str(path or _safe(settings.url)))
    finally:
        engine.dispose()


def _file_problem(path: Path) -> Check | None:
    backups = "move it aside and restore a backup (ledger.db.*.bak) or an export"
    if not path.exists():
        return Check("ledger", WARN, f"no ledger at {path} yet", step=_INIT)
    if not path.is_file():
        return Check("ledger", FAIL, f"{path} is not a file", "move it aside")
    if path.stat().st_size == 0:
        return Check("ledger", FAIL, f"{path} is empty (0 bytes): it holds nothing", backups)
    return None


def _schema(engine: Engine, owner: int, where: str) -> tuple[Check, Profile | None]:
    from sqlalchemy.exc import DBAPIError

    from levelup.store.db import HEAD_REVISION, KNOWN_REVISIONS, StoreError, current_revision
    from levelup.store.people import find_profile
    from levelup.store.scope import scoped

    backups = "move it aside and restore a backup (ledger.db.*.bak) or an export"
    try:
        with scoped(engine, owner).connect() as conn:
            revision = current_revision(conn)
            damage = _damage(conn)
            profile = find_profile(conn) if revision == HEAD_REVISION and not damage else None
    except StoreError as exc:
        return Check("ledger", FAIL, exc.message, backups), None
    except DBAPIError as exc:
        return Check("ledger", FAIL, f"cannot read {where} ({_first_line(exc.orig)})"), None
    if damage:
        return Check("ledger", FAIL, f"{where} is damaged ({damage})", backups), None
    if revision is None:
        return Check("ledger", WARN, f"{where} holds no levelup schema yet", step=_INIT), None
    if revision not in KNOWN_REVISIONS:
        return Check("ledger", FAIL, f"{where} has schema {revision}, newer than this levelup",
                     "upgrade levelup"), None
    if revision != HEAD_REVISION:
        return Check("ledger", WARN, f"{where} has schema {revision}; current is {HEAD_REVISION}",
                     "any command backs it up and upgrades it",
                     Step("entry.list")), None
    return Check("ledger", OK, f"{where} (schema {revision})"), profile


def _damage(conn: Any) -> str:
    """SQLite's quick integrity check: '' when the file is sound."""
    from sqlalchemy import text

    if conn.dialect.name != "sqlite":
        return ""
    result = str(conn.execute(text("PRAGMA quick_check")).scalar())
    return "" if result == "ok" else result.splitlines()[0]


def check_ladder(settings: Settings, profile: Profile | None) -> Check:
    """The profile's ladder can be found and holds its level and target level."""
    from levelup.ladders import LadderError, find_ladder

    if profile is None:
        return Check("ladder", WARN, "no profile to check (no current ledger)", step=_INIT)
    try:
        ladder = find_ladder(profile.ladder, settings.home)
        for level in (profile.level, profile.target_level):
            if level:
                ladder.check_level(level)
    except LadderError as exc:
        return Check("ladder", FAIL, exc.message,
                     "put the ladder's file back in the home's ladders folder, or choose "
                     "another", Step("init", {"ladder": "ID"}))
    levels = " and ".join(lv for lv in (profile.level, profile.target_level) if lv)
    return Check("ladder", OK, f"'{ladder.id}' ({ladder.origin}) has {levels}")


def check_pdf() -> Check:
    """WeasyPrint and the Pango library it loads are importable (PDF reports)."""
    try:
        import weasyprint  # noqa: F401  (the import itself loads Pango)
    except (ImportError, OSError) as exc:
        return Check("pdf", WARN, f"PDF reports unavailable ({_first_line(exc)})",
                     "install Pango: apt install libpango-1.0-0 libpangoft2-1.0-0 (Debian, "
                     "Ubuntu), dnf install pango (Fedora), brew install pango (macOS)")
    return Check("pdf", OK, "WeasyPrint and Pango load")


def check_smtp(settings: Settings, *, password: bool) -> Check:
    """When any SMTP setting is given, the ones sending needs are given too."""
    from levelup.reports.send import PASSWORD_VARIABLE, SECURITIES
    from levelup.settings import Settings as Defaults

    given = [name for name in ("smtp_host", "smtp_port", "smtp_security", "smtp_user",
                               "email_from")
             if getattr(settings, name) != Defaults.__dataclass_fields__[name].default]
    if not given and not password:
        return Check("smtp", OK, "not set up (only `report --send` needs it)")
    missing = [f"LEVELUP_{name.upper()}" for name in ("smtp_host", "email_from")
               if not getattr(settings, name)]
    if settings.smtp_security.lower() not in SECURITIES:
        return Check("smtp", FAIL, f"smtp_security '{settings.smtp_security}' is not one of "
                     f"{', '.join(SECURITIES)}", "set LEVELUP_SMTP_SECURITY")
    if missing:
        return Check("smtp", FAIL, f"SMTP is partly set up: {' and '.join(missing)} missing",
                     f"set {' and '.join(missing)}")
    if settings.smtp_user and not password:
        return Check("smtp", FAIL, f"smtp_user is set but {PASSWORD_VARIABLE} is empty",
                     f"set {PASSWORD_VARIABLE}")
    return Check("smtp", OK, f"{settings.smtp_host}:{settings.smtp_port} "
                 f"({settings.smtp_security}) from {settings.email_from}")


def _safe(url: str) -> str:
    from levelup.store.readonly import safe_url

    return safe_url(url)


def _first_line(exc: BaseException | None) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__
