"""The settings in effect (each one's value, where it came from, what it does) and the config
file in the home folder that `levelup config set` writes (mode 0600, never a secret)."""

from __future__ import annotations

import json
import os
from dataclasses import MISSING, dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from levelup.domain.steps import Step
from levelup.errors import FieldError, LevelupError
from levelup.settings import NOT_IN_FILE, Settings, config_path, convert, read_config

if TYPE_CHECKING:
    from levelup.context import Context

SECRET_WORDS = ("password", "token", "secret")


@dataclass(frozen=True, slots=True)
class SettingValue:
    name: str
    value: Any
    help: str
    source: str = "default"  # default, config file, LEVELUP_<NAME>, or option


@dataclass(frozen=True, slots=True)
class ConfigListing:
    """Every setting in effect, the config file, and what in it is ignored."""

    path: Path
    settings: list[SettingValue]
    ignored: list[str]  # keys of the file that are not settings (or are secrets)


@dataclass(frozen=True, slots=True)
class ConfigChange:
    path: Path
    key: str
    value: Any  # None when unset
    changed: bool


def list_settings(ctx: Context) -> list[SettingValue]:
    """Every setting in declaration order, with the value this context uses and its source."""
    return show_config(ctx).settings


def show_config(ctx: Context) -> ConfigListing:
    """The settings in effect, each with where its value came from."""
    settings = ctx.settings
    written = read_config(settings.home)
    out = []
    for f in fields(settings):
        value = getattr(settings, f.name)
        out.append(SettingValue(f.name, value, f.metadata["help"],
                                _source(f.name, value, f.default, written)))
    names = {f.name for f in fields(settings)} - set(NOT_IN_FILE)
    return ConfigListing(path=config_path(settings.home), settings=out,
                         ignored=sorted(k for k in written if k not in names))


def _source(name: str, value: Any, default: Any, written: dict[str, Any]) -> str:
    variable = f"LEVELUP_{name.upper()}"
    if os.environ.get(variable):
        return variable
    if name in written and name not in NOT_IN_FILE:
        return "config file"
    if name == "home" or default is MISSING or value == default:
        return "default"
    return "option"


def set_config(ctx: Context, *, key: str, value: str) -> ConfigChange:
    """Write ``key = value`` to the config file (checked as the setting's type); secrets and
    the home folder are refused."""
    name = _setting_name(key)
    try:
        typed = convert(name, value, name) if value != "" else ""
    except LevelupError as exc:
        raise FieldError("value", f": {exc}") from None
    checked = _check_value(name, typed)
    written = read_config(ctx.settings.home)
    changed = written.get(name) != checked
    written[name] = checked
    path = _write(ctx.settings.home, written)
    return ConfigChange(path=path, key=name, value=checked, changed=changed)


def unset_config(ctx: Context, *, key: str) -> ConfigChange:
    """Remove ``key`` from the config file (a key that is not a setting may be removed too)."""
    name = key.strip().lower().replace("-", "_")
    written = read_config(ctx.settings.home)
    changed = written.pop(name, None) is not None
    path = _write(ctx.settings.home, written) if changed else config_path(ctx.settings.home)
    return ConfigChange(path=path, key=name, value=None, changed=changed)


def _setting_name(key: str) -> str:
    name = key.strip().lower().replace("-", "_")
    if any(word in name for word in SECRET_WORDS):
        raise FieldError("key", f": {name} is a secret and never goes in the config file: use "
                         "LEVELUP_SMTP_PASSWORD (or your OS keyring) for the SMTP password")
    if name in NOT_IN_FILE:
        raise FieldError("key", f": {name} is where the config file lives: use LEVELUP_HOME or "
                         "--home")
    known = [f.name for f in fields(Settings)]
    if name not in known:
        import difflib

        near = difflib.get_close_matches(name, known, n=1)
        if near:
            raise FieldError("key", f": '{name}' is not a setting; did you mean {near[0]}?")
        raise FieldError("key", f": '{name}' is not a setting; see the list of settings",
                         step=Step("config"))
    return name


def _check_value(name: str, value: Any) -> Any:
    """Values whose form is known: addresses, SMTP security, URLs without a password."""
    if name == "smtp_security" and value:
        from levelup.reports.send import SECURITIES

        if str(value).lower() not in SECURITIES:
            raise FieldError("value", f"'{value}' is not one of {', '.join(SECURITIES)}")
        return str(value).lower()
    if name == "email_from" and value:
        from levelup.reports.send import check_addresses

        check_addresses(str(value), field="value")
    if name == "database_url" and value and urlsplit(str(value)).password:
        raise FieldError("value", "holds a password, which never goes in the config file: "
                         "use LEVELUP_DATABASE_URL or ~/.pgpass")
    return value


def _write(home: Path, values: dict[str, Any]) -> Path:
    """The file rewritten whole, readable by its owner only, replaced in one step."""
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = config_path(home)
    lines = ["# levelup settings: `levelup config set KEY VALUE` / `levelup config unset KEY`.",
             "# Secrets never go here (the SMTP password: LEVELUP_SMTP_PASSWORD)."]
    lines += [f"{key} = {_toml(value)}" for key, value in sorted(values.items())]
    tmp = path.with_name(path.name + ".tmp")
    descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    os.chmod(tmp, 0o600)
    tmp.replace(path)
    return path


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string
