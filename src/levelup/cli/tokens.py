"""`levelup token create|list|revoke`: bearer tokens for scripts using the web app's API."""

from __future__ import annotations

import typer

from levelup.cli.common import JSON_OPTION, get_env

token_app = typer.Typer(help="Bearer tokens for scripts calling the web app's JSON API "
                        "(`levelup serve`); stored hashed, shown once.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")


@token_app.command("create")
def token_create(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="A name for the token, e.g. the script using it."),
) -> None:
    """Make a token and print it once: send it as `Authorization: Bearer TOKEN`."""
    from levelup.services.tokens import create_token

    env = get_env(ctx)
    token = create_token(env.ctx, name=name)
    env.say(token)
    env.warn(f"token '{name}' created: it is shown this once, keep it secret "
             f"(`levelup token revoke {name}` to withdraw it)")


@token_app.command("list")
def token_list(ctx: typer.Context, as_json: bool = JSON_OPTION) -> None:
    """List the tokens by name, with when each was made and last used (never the tokens)."""
    from levelup.services.tokens import list_tokens

    env = get_env(ctx)
    tokens = list_tokens(env.ctx)
    if as_json:
        env.json([t.to_json() for t in tokens])
        return
    for t in tokens:
        used = t.last_used.isoformat(sep=" ") if t.last_used else "never used"
        env.say(f"{t.name}  created {t.created.isoformat(sep=' ')}  {used}")
    if not tokens:
        env.warn("no tokens (make one with `levelup token create NAME`)")


@token_app.command("revoke")
def token_revoke(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="The token's name (see `levelup token list`)."),
) -> None:
    """Withdraw a token: requests carrying it are refused from now on."""
    from levelup.services.tokens import revoke_token

    env = get_env(ctx)
    revoke_token(env.ctx, name=name)
    env.say(f"revoked token '{name}'")
