"""`levelup server …`: run and administer the team server (PostgreSQL, many people).

Every command reads the server's database from `--db` or LEVELUP_SERVER_DATABASE_URL; it is
never the user's own ledger.
"""

from __future__ import annotations

import dataclasses
import os

import typer

from levelup.cli.common import JSON_OPTION, Env, get_env

server_app = typer.Typer(help="The team server: engineers share chosen evidence with named "
                         "people, managers grow and promote them (PostgreSQL).",
                         no_args_is_help=True)
user_app = typer.Typer(help="People with an account on the team server.", no_args_is_help=True)
server_token_app = typer.Typer(help="Personal API tokens for `levelup share` and `levelup pull`.",
                               no_args_is_help=True)
server_app.add_typer(user_app, name="user")
server_app.add_typer(server_token_app, name="token")

DB_VARIABLE = "LEVELUP_SERVER_DATABASE_URL"
URL_VARIABLE = "LEVELUP_SERVER_URL"
DB_OPTION = typer.Option(None, "--db", envvar=DB_VARIABLE, show_envvar=True,
                         help="The server's PostgreSQL database (a SQLAlchemy URL, e.g. "
                         "postgresql+psycopg://levelup@db/levelup).")


def register(app: typer.Typer) -> None:
    app.add_typer(server_app, name="server")


def _server_env(ctx: typer.Context, db: str | None) -> Env:
    """The command's environment, on the server's database instead of the user's ledger."""
    from levelup.errors import FieldError

    env = get_env(ctx)
    if not db:
        raise FieldError("db", f"no server database: pass --db or set {DB_VARIABLE}")
    if not db.startswith(("postgresql", "postgres://")):
        raise FieldError("db", "the team server runs on PostgreSQL "
                         "(a URL starting postgresql://)")
    from levelup.context import Context

    settings = dataclasses.replace(env.settings, database_url=db)
    server = Env(ctx=Context(settings=settings, today=env.today), out=env.out, err=env.err)
    ctx.call_on_close(server.close)
    return server


def _base_url(url: str | None) -> str:
    return url or os.environ.get(URL_VARIABLE) or "http://127.0.0.1:8765"


URL_OPTION = typer.Option(None, "--url", help="The server's address as people reach it, for "
                          f"the sign-in link; default ${URL_VARIABLE}, else http://127.0.0.1:8765.")


@user_app.command("add")
def user_add(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The person's e-mail address (their sign-in name)."),
    name: str = typer.Option(..., "--name", help="Their name as others see it."),
    role: str = typer.Option("engineer", "--role",
                             help="engineer, manager (sees what reports share) or admin."),
    manager: str | None = typer.Option(None, "--manager", help="Their manager's e-mail; "
                                       "grants nothing by itself: engineers share by name."),
    url: str | None = URL_OPTION,
    db: str | None = DB_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Add a person and print their one-time sign-in URL (valid 7 days; shown this once)."""
    from levelup.services.accounts import account_json, add_account

    env = _server_env(ctx, db)
    made = add_account(env.ctx, email=email, name=name, role=role, manager=manager)
    link = made.url(_base_url(url))
    if as_json:
        env.json({**account_json(made.account), "signin_url": link})
        return
    env.say(link)
    env.warn(f"added {made.account.email} ({made.account.role}); send them the URL above: it "
             "signs in once, within 7 days")


@user_app.command("list")
def user_list(ctx: typer.Context, db: str | None = DB_OPTION,
              as_json: bool = JSON_OPTION) -> None:
    """List the accounts: e-mail, name, role and manager (never a password or token)."""
    from levelup.services.accounts import account_json, list_accounts

    env = _server_env(ctx, db)
    accounts = list_accounts(env.ctx)
    if as_json:
        env.json([account_json(a) for a in accounts])
        return
    for a in accounts:
        boss = f"  manager {a.manager_email}" if a.manager_email else ""
        off = "  (disabled)" if a.disabled else ""
        env.say(f"{a.email}  {a.name}  {a.role}{boss}{off}")
    if not accounts:
        env.warn("no accounts yet: levelup server user add EMAIL --name NAME --role admin")


@user_app.command("link")
def user_link(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The account's e-mail address."),
    url: str | None = URL_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Print a new one-time sign-in URL for an account (a lost or expired one)."""
    from levelup.services.accounts import signin_link

    env = _server_env(ctx, db)
    env.say(signin_link(env.ctx, email=email).url(_base_url(url)))


@user_app.command("password")
def user_password(
    ctx: typer.Context,
    email: str = typer.Argument(..., help="The account's e-mail address."),
    db: str | None = DB_OPTION,
) -> None:
    """Set a local account's password (asked twice, never echoed; stored argon2-hashed)."""
    from levelup.services.accounts import PASSWORD_MIN, set_password

    env = _server_env(ctx, db)
    password = typer.prompt(f"password for {email} (at least {PASSWORD_MIN} characters)",
                            hide_input=True, confirmation_prompt=True)
    set_password(env.ctx, email=email, password=password)
    env.say(f"password set for {email}")


@server_token_app.command("create")
def server_token_create(
    ctx: typer.Context,
    user: str = typer.Option(..., "--user", help="The account's e-mail address."),
    name: str = typer.Option("cli", "--name", help="What the token is for."),
    db: str | None = DB_OPTION,
) -> None:
    """Print a personal API token once (for LEVELUP_TOKEN); only its hash is stored."""
    from levelup.services.accounts import create_account_token

    env = _server_env(ctx, db)
    token = create_account_token(env.ctx, email=user, name=name)
    env.say(token)
    env.warn(f"token '{name}' for {user}: shown this once; keep it secret")


@server_app.command("run")
def server_run(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (behind a "
                             "reverse proxy, keep 127.0.0.1)."),
    port: int = typer.Option(8766, "--port", min=1, max=65535, help="Port to listen on."),
    workers: int = typer.Option(2, "--workers", min=1, max=64, help="Worker processes."),
    url: str | None = URL_OPTION,
    db: str | None = DB_OPTION,
) -> None:
    """Serve the team server; the schema is created or upgraded on start (Alembic)."""
    import uvicorn

    env = _server_env(ctx, db)
    os.environ[DB_VARIABLE] = env.settings.database_url
    if url:
        os.environ[URL_VARIABLE] = url
    env.warn(f"levelup team server on http://{host}:{port} ({workers} workers); "
             "Ctrl-C stops it")
    uvicorn.run("levelup.web.team:app_from_env", factory=True, host=host, port=port,
                workers=workers, log_level="warning", proxy_headers=True,
                server_header=False)
