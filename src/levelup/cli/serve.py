"""`levelup serve`: the web app on this ledger, signed in once through the printed URL."""

from __future__ import annotations

import typer

from levelup.cli.common import Env, get_env

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def register(app: typer.Typer) -> None:
    app.command("serve", help=serve.__doc__)(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (default: this "
                             "machine only; anything else makes the ledger reachable from the "
                             "network)."),
    port: int = typer.Option(8765, "--port", help="Port to listen on."),
    no_open: bool = typer.Option(False, "--no-open", help="Do not open a browser."),
) -> None:
    """Serve the web app on your ledger: dashboard, ledger, entries, readiness, and a JSON API.
    Prints the one URL to open (it signs the browser in once); Ctrl-C stops it."""
    serve_ledger(get_env(ctx), host=host, port=port, no_open=no_open)


def serve_ledger(env: Env, *, host: str = "127.0.0.1", port: int = 8765,
                 no_open: bool = False) -> None:
    """Serve ``env``'s ledger until Ctrl-C (`levelup serve`, and `levelup demo --serve`)."""
    from dataclasses import replace
    from datetime import date

    import uvicorn

    from levelup.web.app import create_app
    from levelup.web.security import Guard, served_hosts

    base = env.ctx
    base.pooled = True  # a server keeps its connections; a one-shot command holds one
    base.engine()  # opened (and upgraded) once; every request's Context shares its pool
    if host not in LOOPBACK:
        env.warn(f"levelup: warning: serving on {host}: your ledger becomes reachable from the "
                 "network (anyone with the sign-in URL or a token can read it)")
    guard = Guard(served_hosts(host, port))
    app = create_app(lambda: replace(base, today=date.today()), guard=guard)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/signin?token={guard.issue_signin()}"
    env.say(f"levelup is serving {_shown(env.settings.url)}\nOpen {url}\n"
            "(the link works once, for five minutes; Ctrl-C stops the server)")
    env.stdout.flush()  # the URL shows at once, even through a pipe
    if not no_open:
        import webbrowser

        webbrowser.open(url)
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)


def _shown(url: str) -> str:
    """The ledger's URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
