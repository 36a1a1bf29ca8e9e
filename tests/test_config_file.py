"""`levelup config set/unset` write HOME/config.toml (0600), read between the defaults and the
LEVELUP_* variables; secrets are refused; `levelup config` says where each value came from."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.settings import load
from tests.conftest import invoke


def reload(env: Env, environ: dict[str, str] | None = None) -> Env:
    """A new run of levelup on the same home folder, as the CLI's main builds it."""
    settings = load(environ=environ or {}, home=env.settings.home,
                    database_url=env.settings.database_url)
    return Env(settings=settings, today=env.today)


def test_set_writes_a_private_file_that_the_next_run_reads(env: Env) -> None:
    result = invoke(env, "config", "set", "smtp_port", "2525")
    path = env.settings.home / "config.toml"
    assert result.exit_code == 0 and f"smtp_port = 2525 in {path}" in result.output
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    invoke(env, "config", "set", "email-from", "ada@example.com")
    again = reload(env)
    assert again.settings.smtp_port == 2525 and again.settings.email_from == "ada@example.com"
    assert reload(env, {"LEVELUP_SMTP_PORT": "26"}).settings.smtp_port == 26  # env wins
    assert invoke(env, "config", "unset", "smtp_port").exit_code == 0
    assert reload(env).settings.smtp_port == 587
    assert "smtp_port was not set" in invoke(env, "config", "unset", "smtp_port").output


@pytest.mark.parametrize(("key", "value", "message"), [
    ("smtp_password", "s3cret", "KEY: smtp_password is a secret and never goes in the config "
     "file: use LEVELUP_SMTP_PASSWORD"),
    ("home", "/tmp", "KEY: home is where the config file lives"),
    ("smtp_prot", "25", "KEY: 'smtp_prot' is not a setting; did you mean smtp_port?"),
    ("smtp_port", "twenty", "VALUE: smtp_port='twenty' is not a int"),
    ("smtp_security", "tls", "VALUE 'tls' is not one of starttls, ssl, none, plain"),
    ("email_from", "ada", "VALUE 'ada' is not an e-mail address"),
    ("database_url", "postgresql://ada:pw@db/levelup", "VALUE holds a password"),
])
def test_secrets_and_bad_values_are_refused(env: Env, key: str, value: str,
                                            message: str) -> None:
    result = invoke(env, "config", "set", key, value)
    assert result.exit_code == 2 and message in result.stderr
    assert not (env.settings.home / "config.toml").exists()


def test_config_lists_each_value_with_its_source(env: Env, monkeypatch: pytest.MonkeyPatch
                                                 ) -> None:
    invoke(env, "config", "set", "smtp_host", "mail.example.com")
    invoke(env, "config", "set", "smtp_port", "2525")
    with (env.settings.home / "config.toml").open("a") as handle:
        handle.write('smtp_password = "leaked"\n')
    monkeypatch.setenv("LEVELUP_SMTP_PORT", "26")
    shown = reload(env, {"LEVELUP_SMTP_PORT": "26"})
    result = invoke(shown, "config")
    lines = {line.split()[0]: line for line in result.output.splitlines()[1:]}
    assert result.output.startswith(f"Config file: {env.settings.home / 'config.toml'}\n")
    assert lines["smtp_host"].split()[1:3] == ["mail.example.com", "config"]
    assert lines["smtp_port"].split()[1:3] == ["26", "LEVELUP_SMTP_PORT"]
    assert lines["weak_score"].split()[1:3] == ["40", "default"]
    assert lines["database_url"].split()[2] == "option"
    assert "smtp_password in" in result.stderr and "is ignored" in result.stderr
    assert invoke(shown, "config", "--json").exit_code == 0


def test_a_broken_file_is_one_clear_error(env: Env, tmp_path: Path) -> None:
    env.settings.home.mkdir(parents=True, exist_ok=True)
    (env.settings.home / "config.toml").write_text("smtp_port = \n")
    with pytest.raises(Exception, match=r"config.toml cannot be read"):
        reload(env)
    (env.settings.home / "config.toml").write_text('smtp_port = "many"\n')
    with pytest.raises(Exception, match=r"config.toml: smtp_port='many' is not a int"):
        reload(env)
