"""One typed settings object: every setting has a name, a default and help text.

Each setting can be set in the home folder's ``config.toml`` (``levelup config set``) and
overridden by the environment variable ``LEVELUP_<NAME>`` (upper case).
The home folder comes from ``LEVELUP_HOME`` first, then the platform's data folder.
"""

from __future__ import annotations

import os
import sys
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


def default_home() -> Path:
    """The platform's per-user data folder for levelup."""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "levelup"
    if os.name == "nt":
        return Path(os.environ.get("APPDATA", Path.home())) / "levelup"
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "levelup"


@dataclass(frozen=True, slots=True)
class Settings:
    home: Path = _setting(None, "Folder holding the ledger, templates and ladders.")
    database_url: str = _setting("", "SQLAlchemy URL of the ledger; default: SQLite in home.")
    editor: str = _setting("", "Editor for `levelup edit`; default $VISUAL, $EDITOR, then vi.")
    backups_kept: int = _setting(7, "Automatic backups kept in HOME/backups (one a day, and "
                                 "one before every schema upgrade).")
    classifier: str = _setting(
        "default", "Label suggestions: default, or ml (pip install 'levelup[ml]'; more "
        "accurate, ~1.5 s start-up, ~100 statements/s)."
    )
    # Readiness thresholds (see `levelup readiness --help`).
    sustained_months: int = _setting(4, "Months of the last six with next-level evidence.")
    window_months: int = _setting(6, "Months looked back for sustained evidence.")
    visibility_share: float = _setting(
        0.5, "Share of the strongest entries a decision maker heard about."
    )
    strongest_entries: int = _setting(10, "How many top entries the visibility check weighs.")
    feedback_weeks: int = _setting(6, "Weeks within which feedback should have been asked for.")
    expectations_days: int = _setting(90, "Days after which agreed expectations are stale.")
    prevention_ratio: float = _setting(1.0, "Fires prevented per fire fought to count as met.")
    bus_factor_months: int = _setting(12, "Months of git history for the bus-factor check.")
    weak_score: int = _setting(40, "Coach score under which an entry is weak evidence.")
    mentoring_entries: int = _setting(3, "Entries growing others in the window to count as met.")
    critical_tasks: int = _setting(3, "Critical tasks of your role that should be recorded.")
    checkin_days: int = _setting(14, "Days after which a self check-in is due again.")
    one_on_one_days: int = _setting(14, "Days between 1:1s when too few are recorded to tell.")
    bus_factor_depth: int = _setting(2, "Folder depth at which sole-owned code is reported.")
    git_emails: str = _setting("", "Your git author emails, comma-separated (bus-factor check).")
    # Report delivery.
    smtp_host: str = _setting(
        "localhost", "SMTP server that sends reports (`levelup report weekly --send`).")
    smtp_port: int = _setting(587, "SMTP port.")
    smtp_security: str = _setting(
        "starttls", "SMTP security: starttls (required), ssl, none (STARTTLS when offered) or "
        "plain (never; with a password only to this machine).")
    smtp_user: str = _setting("", "SMTP user name; the password comes from LEVELUP_SMTP_PASSWORD.")
    email_from: str = _setting("", "From address of sent reports.")

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.db"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.ledger_path}"


CONFIG_FILE = "config.toml"  # in the home folder; `levelup config set` writes it
# Settings a config file never holds: where the file itself lives.
NOT_IN_FILE = ("home",)


def config_path(home: Path) -> Path:
    return home / CONFIG_FILE


def read_config(home: Path) -> dict[str, Any]:
    """The config file's values as written (empty when there is none)."""
    path = config_path(home)
    if not path.exists():
        return {}  # the usual case: no TOML parser to load
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        from levelup.errors import LevelupError

        raise LevelupError(f"{path} cannot be read: {exc}") from None


def convert(name: str, raw: Any, where: str) -> Any:
    """``raw`` as the type of setting ``name``; ``where`` names its source in the error."""
    f = {f.name: f for f in fields(Settings)}[name]
    kind = type(f.default) if f.default not in (None, MISSING) else str
    if kind is bool:
        return raw if isinstance(raw, bool) else str(raw).lower() in ("1", "true")
    try:
        return kind(raw)
    except (TypeError, ValueError):
        from levelup.errors import LevelupError

        raise LevelupError(f"{where}={raw!r} is not a {kind.__name__}") from None


def load(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, then the home folder's config file, then ``LEVELUP_*``
    variables, then explicit overrides. Keys the file should not hold are ignored there
    (`levelup config` names them)."""
    env = os.environ if environ is None else environ
    home = Path(overrides.pop("home", None) or env.get("LEVELUP_HOME") or default_home())
    home = home.expanduser()
    names = {f.name for f in fields(Settings)} - set(NOT_IN_FILE)
    values: dict[str, Any] = {}
    for key, raw in read_config(home).items():
        if key in names:
            values[key] = convert(key, raw, f"{config_path(home)}: {key}")
    for name in names:
        raw = env.get(f"LEVELUP_{name.upper()}")
        if raw is not None and raw != "":
            values[name] = convert(name, raw, f"LEVELUP_{name.upper()}")
    values.update({k: v for k, v in overrides.items() if v not in (None, "")})
    return Settings(home=home, **values)
