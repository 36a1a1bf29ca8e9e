"""The last line of defence of a `levelup` run: Ctrl-C, a busy ledger and bugs as one line.

Ctrl-C says whether anything was written (a transaction in progress is rolled back) and exits
130; an unexpected exception writes its traceback to a crash report and prints where it is.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

import click

INTERRUPTED = 130  # 128 + SIGINT, as shells report it


def run_guarded(command: click.Command, args: list[str] | None, **extra: Any) -> Any:
    """Run ``command`` like click's standalone mode, with levelup's one-line failures."""
    from levelup.context import ACTIVITY

    _notices()
    ACTIVITY.reset()
    if not extra.pop("standalone_mode", True):
        return command.main(args=args, prog_name="levelup", standalone_mode=False, **extra)
    try:
        code = command.main(args=args, prog_name="levelup", standalone_mode=False, **extra)
    except click.exceptions.Abort as exc:
        if isinstance(exc.__cause__, KeyboardInterrupt):
            _interrupted()
        click.echo("Aborted!", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        _interrupted()
    except Exception as exc:  # the one place a bug turns into a line and a report
        _unexpected(exc, args)
    if code == INTERRUPTED:  # Typer turns KeyboardInterrupt into Exit(130), silently
        _interrupted()
    sys.exit(code if isinstance(code, int) else 0)


def _notices() -> None:
    """What the store repairs on its own (``levelup`` logger) is one line on stderr."""
    logger = logging.getLogger("levelup")
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("levelup: %(message)s"))
        logger.addHandler(handler)
        logger.propagate = False


def interrupted_line() -> str:
    """What Ctrl-C left behind, from what this process did to the ledger."""
    from levelup.context import ACTIVITY

    if ACTIVITY.committed:
        return (f"levelup: interrupted; {ACTIVITY.committed} change(s) saved before stay saved, "
                "the one in progress was rolled back")
    if ACTIVITY.open or ACTIVITY.rolled_back:
        return "levelup: interrupted; the change in progress was rolled back: nothing was written"
    return "levelup: interrupted; nothing was written"


def _interrupted() -> NoReturn:
    click.echo(interrupted_line(), err=True)
    sys.exit(INTERRUPTED)


def _unexpected(exc: Exception, args: list[str] | None) -> NoReturn:
    from levelup.errors import ExitStatus
    from levelup.store.db import BUSY, is_busy

    if is_busy(exc):
        click.echo(f"levelup: error: {BUSY}", err=True)
        sys.exit(int(ExitStatus.BUSY))
    from levelup.cli.common import clean

    report = write_crash_report(exc, args)
    # The message may quote imported text: cleaned like every other line levelup prints.
    click.echo(clean(f"levelup: unexpected error ({type(exc).__name__}: {_first_line(exc)}); "
                     f"the full report is in {report}"), err=True)
    sys.exit(int(ExitStatus.ERROR))


def _first_line(exc: Exception) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else "no message"


def write_crash_report(exc: BaseException, args: list[str] | None) -> Path:
    """The traceback and how levelup was run, in HOME/crash-reports (else the temp folder)."""
    import tempfile
    import traceback

    from levelup import __version__

    argv = sys.argv[1:] if args is None else args
    body = (f"levelup {__version__} on Python {sys.version.split()[0]} ({sys.platform})\n"
            f"arguments: {argv!r}\n\n"
            + "".join(traceback.format_exception(exc)))
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    for folder in (_home(argv) / "crash-reports", Path(tempfile.gettempdir())):
        try:
            if folder.name == "crash-reports":
                if not folder.parent.is_dir():
                    continue  # never make a home folder just to hold a crash report
                folder.mkdir(exist_ok=True)
            path = folder / f"levelup-crash-{stamp}.txt"
            path.write_text(body, encoding="utf-8")
            return path
        except OSError:
            continue
    return Path("(nowhere: no folder was writable)")


def _home(argv: list[str]) -> Path:
    from levelup.settings import default_home

    for i, arg in enumerate(argv):
        if arg == "--home" and i + 1 < len(argv):
            return Path(argv[i + 1]).expanduser()
        if arg.startswith("--home="):
            return Path(arg.removeprefix("--home=")).expanduser()
    return Path(os.environ.get("LEVELUP_HOME") or default_home()).expanduser()
