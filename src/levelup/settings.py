"""One typed settings object: every setting has a name, a default and help text.

Each setting can be overridden by the environment variable ``LEVELUP_<NAME>`` (upper case).
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
    smtp_security: str = _setting("starttls", "SMTP security: starttls, ssl or none.")
    smtp_user: str = _setting("", "SMTP user name; the password comes from LEVELUP_SMTP_PASSWORD.")
    email_from: str = _setting("", "From address of sent reports.")

    @property
    def ledger_path(self) -> Path:
        return self.home / "ledger.db"

    @property
    def url(self) -> str:
        return self.database_url or f"sqlite:///{self.ledger_path}"


def load(environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
    """Settings from defaults, then ``LEVELUP_*`` variables, then explicit overrides."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for f in fields(Settings):
        raw = env.get(f"LEVELUP_{f.name.upper()}")
        if raw is None or raw == "":
            continue
        kind = type(f.default) if f.default not in (None, MISSING) else str
        try:
            values[f.name] = kind(raw) if kind is not bool else raw.lower() in ("1", "true")
        except ValueError:
            from levelup.errors import LevelupError

            name = f"LEVELUP_{f.name.upper()}"
            raise LevelupError(f"{name}={raw!r} is not a {kind.__name__}") from None
    values.update({k: v for k, v in overrides.items() if v not in (None, "")})
    home = Path(values.pop("home", None) or default_home()).expanduser()
    return Settings(home=home, **values)
