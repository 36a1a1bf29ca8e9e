"""`levelup share`: send chosen evidence to a named person on the team server, list and revoke
what was shared, and see who looked."""

from __future__ import annotations

import typer

from levelup.cli.common import JSON_OPTION, get_env

share_app = typer.Typer(help="Share chosen evidence with a named person on the team server "
                        "(never conversations, check-ins or feedback unless named), revoke it, "
                        "see who looked.", invoke_without_command=True)

SERVER_OPTION = typer.Option(None, "--server", envvar="LEVELUP_SERVER", show_envvar=True,
                             help="The team server's address (https://…).")
TOKEN_OPTION = typer.Option(None, "--token", envvar="LEVELUP_TOKEN", show_envvar=False,
                            help="Your personal token (better: the LEVELUP_TOKEN variable, "
                            "which stays out of your shell history).")


def register(app: typer.Typer) -> None:
    app.add_typer(share_app, name="share")
    register_pull(app)


@share_app.callback()
def share(
    ctx: typer.Context,
    with_: str | None = typer.Option(None, "--with", help="The recipient's e-mail address on "
                                     "the server (a person, never a role)."),
    since: str | None = typer.Option(None, "--since", help="Entries from (default: 12 months "
                                     "ago)."),
    until: str | None = typer.Option(None, "--until", help="Entries until (default: today)."),
    competency: list[str] = typer.Option([], "--competency", help="Only entries with this "
                                         "competency (repeat for more)."),
    entries: str | None = typer.Option(None, "--entries", help="Exactly these entries: ids "
                                       "separated by commas."),
    feedback: list[int] = typer.Option([], "--feedback", help="Include this piece of "
                                       "feedback, by id (repeat; none goes otherwise)."),
    packet: bool = typer.Option(False, "--packet", help="Let them read your promotion packet, "
                                "made from the shared entries only."),
    expires: str | None = typer.Option(None, "--expires", help="How long the share lasts: 30d "
                                       "(default), 6w, 3m, or never."),
    message: str = typer.Option("", "--message", help="A note shown with the share."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Send without asking."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Only show what would be shared."),
    server: str | None = SERVER_OPTION,
    token: str | None = TOKEN_OPTION,
    as_json: bool = JSON_OPTION,
) -> None:
    """Show exactly what the recipient will see, then send it (replacing your earlier share
    with the same person); prints the share's id."""
    if ctx.invoked_subcommand is not None:
        return
    from levelup.errors import FieldError
    from levelup.services import sharing

    env = get_env(ctx)
    if not with_:
        raise FieldError("with", "name the recipient: --with EMAIL "
                         "(or: levelup share list|revoke|log)")
    ids = _ids(entries)
    days = sharing.expires_days(expires)
    bundle = sharing.build_bundle(env.ctx, since=since, until=until, competencies=competency,
                                  entry_ids=ids, feedback_ids=feedback)
    for line in [f"{with_} will see:", *bundle.preview()]:
        env.warn(line)
    if dry_run:
        return
    target = sharing.Server.of(server, token)
    if not yes and not typer.confirm(f"send this to {with_}?", err=True):
        env.warn("nothing was sent")
        raise typer.Exit(1)
    answer = sharing.send_bundle(target, grantee=with_, bundle=bundle, expires=days,
                                 message=message, packet=packet)
    if as_json:
        env.json(answer)
        return
    env.say(str(answer["id"]))
    env.warn(("replaced your earlier share with " if answer.get("replaced") else "shared with ")
             + f"{with_}; revoke with `levelup share revoke {answer['id']}`")


def _ids(text: str | None) -> list[int] | None:
    from levelup.errors import FieldError

    if not text:
        return None
    try:
        return [int(part) for part in text.replace(" ", "").split(",") if part]
    except ValueError:
        raise FieldError("entries", f"'{text[:60]}' is not entry ids separated by commas") \
            from None


@share_app.command("list")
def share_list(ctx: typer.Context, server: str | None = SERVER_OPTION,
               token: str | None = TOKEN_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Your shares on the server: with whom, until when, live or revoked."""
    from levelup.services import sharing

    env = get_env(ctx)
    shares = sharing.list_shares(sharing.Server.of(server, token))
    if as_json:
        env.json(shares)
        return
    for s in shares:
        state = "revoked" if s["revoked"] else "live" if s["live"] else "expired"
        until = f" until {s['expires'][:10]}" if s["expires"] else ""
        env.say(f"{s['id']}  {s['with']}  {state}{until}  updated {s['updated'][:10]}")
    if not shares:
        env.warn("you have shared nothing (levelup share --with EMAIL)")


@share_app.command("revoke")
def share_revoke(ctx: typer.Context,
                 share_id: str = typer.Argument(..., metavar="ID", help="The share's id."),
                 server: str | None = SERVER_OPTION, token: str | None = TOKEN_OPTION) -> None:
    """Withdraw a share: its recipient can no longer open it (404), from now on."""
    from levelup.services import sharing

    env = get_env(ctx)
    gone = sharing.revoke(sharing.Server.of(server, token), share_id=share_id)
    env.say(f"revoked share {gone['id']} with {gone['with']}")


@share_app.command("log")
def share_log(ctx: typer.Context,
              share_id: str | None = typer.Argument(None, metavar="[ID]",
                                                    help="One share (default: all)."),
              server: str | None = SERVER_OPTION, token: str | None = TOKEN_OPTION,
              as_json: bool = JSON_OPTION) -> None:
    """Who opened what you shared, and when."""
    from levelup.services import sharing

    env = get_env(ctx)
    views = sharing.share_log(sharing.Server.of(server, token), share_id=share_id)
    if as_json:
        env.json(views)
        return
    for v in views:
        env.say(f"{v['at'][:16].replace('T', ' ')}  {v['viewer_name']} <{v['viewer']}>  "
                f"{v['what']}  (share {v['share']})")
    if not views:
        env.warn("nobody has opened your shares yet")


def register_pull(app: typer.Typer) -> None:
    app.command("pull")(pull)


def pull(ctx: typer.Context, server: str | None = SERVER_OPTION,
         token: str | None = TOKEN_OPTION, as_json: bool = JSON_OPTION) -> None:
    """Bring into your ledger what the people you shared with added on the team server:
    feedback, presenting your work to a decision maker, the business need, a successor."""
    from levelup.services import sharing

    env = get_env(ctx)
    added = sharing.pull(env.ctx, sharing.Server.of(server, token))
    if as_json:
        env.json(added)
        return
    if not added:
        env.say("nothing new on the team server")
        return
    env.say("added " + ", ".join(f"{count} {kind}" for kind, count in sorted(added.items())))
