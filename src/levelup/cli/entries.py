"""Capture and recall: init, log, list, show, search, edit, confirm, delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import typer

from levelup.cli.common import JSON_OPTION, SINCE_OPTION, UNTIL_OPTION, Env, get_env

if TYPE_CHECKING:
    from levelup.domain.models import Entry
    from levelup.services.entries import Logged

T = TypeVar("T")


def register(app: typer.Typer) -> None:
    for command in (init, log, list_, show, search, edit, confirm, delete):
        name = command.__name__.rstrip("_")
        app.command(name=name, help=command.__doc__)(command)


def init(
    ctx: typer.Context,
    name: str = typer.Option(None, help="Your name as colleagues know it."),
    level: str = typer.Option(None, help="Your current level id on the ladder, e.g. L3."),
    target: str = typer.Option(None, help="The level you are working towards, e.g. L4."),
    ladder: str = typer.Option("software-engineer", help="Ladder id (see `levelup ladder list`)."),
    manager: str = typer.Option(None, help="Your manager's name (added as a stakeholder)."),
) -> None:
    """Create or update your profile (asks on a terminal; flags for scripts)."""
    from levelup.services.entries import save_profile

    env = get_env(ctx)
    ask = env.stdout.isatty()
    if ask:
        name = name or typer.prompt("Your name")
        level = level or typer.prompt("Current level id (e.g. L3)")
        target = target or typer.prompt("Target level id (e.g. L4)")
        manager = manager or typer.prompt("Manager's name", default="", show_default=False)
    missing = [flag for flag, value in (("--name", name), ("--level", level),
                                        ("--target", target)) if not value]
    if missing:
        from levelup.errors import LevelupError

        raise LevelupError(f"init needs {', '.join(missing)} when not run on a terminal")
    save_profile(env.ctx, name=name, level=level, target=target, ladder=ladder, manager=manager)
    env.say(f"Ledger ready at {env.settings.url.removeprefix('sqlite:///')} for {name}: "
            f"{level} -> {target} on {ladder}. Capture work with `levelup log \"...\"`.")


def log(
    ctx: typer.Context,
    title: list[str] = typer.Argument(None, help="What you did, in one line (quotes optional; "
                                      "@project +outcome #competency and a leading "
                                      "'yesterday:' set those fields). None: opens $EDITOR; "
                                      "-: reads standard input."),
    date: str = typer.Option(None, "--date", "-d", help="When: 2026-03-14, yesterday, friday…"),
    until: str = typer.Option(None, "--until", help="Last day, for work that spanned days."),
    kind: str = typer.Option("win", "--kind", "-k", help="win, invisible, learning, incident, "
                             "prevention, mentoring, plan or other."),
    project: str = typer.Option(None, "--project", "-p", help="Project name."),
    outcome: list[str] = typer.Option([], "--outcome", "-o", help="Outcome id (repeatable): "
                                      "safety, revenue, profit, culture, sla, kpi, people."),
    competency: list[str] = typer.Option([], "--competency", "-c", help="Competency id "
                                         "(repeatable), e.g. craft, delivery, mentoring."),
    metric: list[str] = typer.Option([], "--metric", "-m",
                                     help='Repeatable: "NAME: BASELINE -> RESULT UNIT".'),
    link: list[str] = typer.Option([], "--link", "-l", help="A URL (repeatable)."),
    details: str = typer.Option("", "--details", help="More context: why it mattered, how."),
    context: str = typer.Option("", "--context", help="Story: the situation before."),
    why: str = typer.Option("", "--why", help="Story: why it mattered to the business."),
    did: str = typer.Option("", "--did", help="Story: what you did yourself (not the team)."),
    result_now: str = typer.Option("", "--result-now", help="Story: the result now."),
    result_later: str = typer.Option("", "--result-later", help="Story: the result later on."),
    prevented: str = typer.Option("", "--prevented", help="Story: what it prevented."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="Print only the new entry's id."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Capture one piece of work in a line, e.g.
    levelup log Cut p99 latency 900ms to 250ms @checkout +sla --why "carts were abandoned"."""
    from levelup.services.entries import log_entry

    env = get_env(ctx)
    logged: Logged | None = None
    typed, why_not = " ".join(title or ()), "the form's title was left empty"
    if typed == "-":
        typed, details = _read_stdin(details)
        why_not = "standard input was empty"
    if not title:
        logged = _log_in_editor(env)
    elif typed:
        logged = log_entry(
            env.ctx, title=typed, date=date, until=until, kind=kind, project=project,
            outcomes=outcome, competencies=competency, metrics=metric, links=link,
            details=details, context=context, why=why, did=did, result_now=result_now,
            result_later=result_later, prevented=prevented)
    if logged is None:
        env.say(f"nothing logged: {why_not}")
        return
    from levelup.cli.steps import notice

    for warning in logged.warnings:
        env.warn(notice(warning))
    if as_json:
        from levelup.domain.serialize import to_json

        env.json(to_json(logged.entry))
    elif quiet:
        env.say(str(logged.entry.id))
    else:
        from levelup.cli.render import line

        env.say("logged " + line(logged.entry))
        for tip in logged.tips:
            env.say(f"  tip: {tip}")
        if logged.missing_story:
            flags = ", ".join("--" + name.replace("_", "-") for name in logged.missing_story)
            env.say(f"  story: not recorded yet: {flags} "
                    f"(add with `levelup edit {logged.entry.id}`)")


def _log_in_editor(env: Env) -> Logged | None:
    """Log what the user saves in $EDITOR from an empty entry form; None when nothing."""
    from levelup.services.entries import log_entry_form, new_entry_form

    return _edit_until_valid(env, new_entry_form(env.ctx),
                             lambda text: log_entry_form(env.ctx, text=text))


def _read_stdin(details: str) -> tuple[str, str]:
    """(title, details) from standard input: its first line, then the rest."""
    import sys

    first, _, rest = sys.stdin.read().strip().partition("\n")
    rest = rest.strip()
    return first.strip(), "\n\n".join(part for part in (rest, details) if part)


def list_(
    ctx: typer.Context,
    since: str = SINCE_OPTION,
    until: str = UNTIL_OPTION,
    kind: list[str] = typer.Option([], "--kind", "-k", help="Only these kinds (repeatable)."),
    project: str = typer.Option(None, "--project", "-p", help="Only this project."),
    outcome: str = typer.Option(None, "--outcome", "-o", help="Only entries with this outcome."),
    competency: str = typer.Option(None, "--competency", "-c", help="Only this competency."),
    limit: int = typer.Option(None, "--limit", "-n", help="At most N entries (newest first)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """List entries, newest first (--json prints a JSON array of entries)."""
    from levelup.services.entries import list_entries

    env = get_env(ctx)
    entries = list_entries(env.ctx, since=since, until=until, kind=kind, project=project,
                           outcome=outcome, competency=competency, limit=limit)
    _print_entries(env, entries, as_json)


def _print_entries(env: Env, entries: list[Entry], as_json: bool) -> None:
    if as_json:
        from levelup.domain.serialize import to_json

        env.json(to_json(entries))
        return
    from levelup.cli.render import lines

    if entries:
        env.say(lines(entries))
    else:
        env.warn("no entries match")


def show(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., help="Entry id (see `levelup list`)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Show one entry with everything recorded about it, and who heard about it."""
    from levelup.services.entries import show_entry

    env = get_env(ctx)
    shown = show_entry(env.ctx, entry_id=entry_id)
    if as_json:
        env.json(shown.to_json())
        return
    from levelup.cli.render import detail

    env.say(detail(shown.entry, shown.heard_by))


def search(
    ctx: typer.Context,
    words: list[str] = typer.Argument(..., help="Words to find (all must match, as prefixes)."),
    since: str = SINCE_OPTION,
    until: str = UNTIL_OPTION,
    within: str = typer.Option("entries", "--in", help="entries, feedback, conversations or all."),
    limit: int = typer.Option(None, "--limit", "-n", help="At most N results (newest first)."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Full-text search of your ledger (--json prints a JSON array of entries)."""
    from levelup.services.entries import search_ledger

    env = get_env(ctx)
    found = search_ledger(env.ctx, query=" ".join(words), since=since, until=until,
                          within=within, limit=limit)
    if within == "entries":
        _print_entries(env, found["entries"], as_json)
        return
    from levelup.cli.render import hit
    from levelup.domain.serialize import to_json

    if as_json:
        env.json(to_json(found))
        return
    for kind, items in found.items():
        for item in items:
            env.say(hit(kind, item))


def edit(
    ctx: typer.Context,
    entry_id: int = typer.Argument(..., help="Entry id to edit."),
) -> None:
    """Edit an entry in $EDITOR (a readable YAML form); labels you keep become confirmed."""
    from levelup.services.entries import entry_form, save_entry_form

    env = get_env(ctx)
    entry = _edit_until_valid(env, entry_form(env.ctx, entry_id=entry_id),
                              lambda text: save_entry_form(env.ctx, entry_id=entry_id, text=text))
    if entry is None:
        env.say("edit cancelled: nothing changed")
        return
    from levelup.cli.render import line

    env.say("saved " + line(entry))


ERROR_MARK = "# levelup: "  # the lines an invalid edit's error puts on top of the form


def _edit_until_valid(env: Env, text: str, save: Callable[[str], T]) -> T:
    """What ``save`` makes of ``text`` as the user edits it in $EDITOR. An invalid edit
    reopens the editor on the same text with the error on top, as `git commit` does, on a
    terminal; off one, or when the user saves it unchanged after an error, the file is kept
    and the error names its path. Nothing the user typed is ever deleted before it is saved."""
    import os

    from levelup.domain.dates import DateError
    from levelup.domain.metrics import MetricError
    from levelup.domain.vocab import UnknownValue
    from levelup.errors import LevelupError

    path = _temp_form(text)
    failed: str | None = None
    while True:
        edited = _without_error(_run_editor(env.settings.editor, path))
        try:
            saved = save(edited)
        except (LevelupError, DateError, MetricError, UnknownValue) as exc:
            problem = exc.message if isinstance(exc, LevelupError) else str(exc)
            if not env.stdout.isatty() or edited == failed:
                raise LevelupError(f"{problem}; your edit is kept in {path}") from None
            failed = edited
            with open(path, "w", encoding="utf-8") as fh:
                fh.write(f"{ERROR_MARK}error: {problem}\n{ERROR_MARK}fix it and save to "
                         "apply, or save it unchanged to stop (the file is kept)\n" + edited)
            continue
        os.unlink(path)
        return saved


def _without_error(text: str) -> str:
    """``text`` without the error lines ``_edit_until_valid`` put on top of it."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith(ERROR_MARK):
        lines.pop(0)
    return "".join(lines)


def _temp_form(text: str) -> str:
    """The path of a new temporary file holding ``text``, for the editor."""
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".yml", prefix="levelup-", delete=False,
                                     encoding="utf-8") as fh:
        fh.write(text)
        return fh.name


def _run_editor(editor: str, path: str) -> str:
    """The file at ``path`` as the user left it after editing it in ``editor`` ($VISUAL,
    $EDITOR, vi); one line, the file kept, when the editor cannot run or fails."""
    import os
    import shlex
    import subprocess

    from levelup.errors import LevelupError

    editor = editor or os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        done = subprocess.run([*shlex.split(editor), path], check=False)
    except (OSError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise LevelupError(f"cannot run the editor '{editor}' ({reason}); "
                           f"nothing changed, the form is kept in {path}") from None
    if done.returncode != 0:
        raise LevelupError(f"editor '{editor}' exited with {done.returncode}; nothing changed, "
                           f"the form is kept in {path}")
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def confirm(
    ctx: typer.Context,
    entry_ids: list[int] = typer.Argument(..., help="Entries whose suggested labels you accept."),
) -> None:
    """Accept the labels levelup suggested for these entries."""
    from levelup.services.entries import confirm_labels

    env = get_env(ctx)
    count = confirm_labels(env.ctx, entry_ids=entry_ids)
    noun = "entry" if len(entry_ids) == 1 else "entries"
    env.say(f"confirmed {count} label(s) on {len(entry_ids)} {noun}")


def delete(
    ctx: typer.Context,
    entry_ids: list[int] = typer.Argument(..., help="Entry ids to delete."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask for confirmation."),
) -> None:
    """Delete entries (asks first on a terminal; --yes in scripts)."""
    from levelup.errors import LevelupError
    from levelup.services.entries import delete_entries

    env = get_env(ctx)
    if not yes:
        if not env.stdout.isatty():
            raise LevelupError("delete needs --yes when not run on a terminal")
        typer.confirm(f"Delete {len(entry_ids)} entr{'y' if len(entry_ids) == 1 else 'ies'}?",
                      abort=True)
    delete_entries(env.ctx, entry_ids=entry_ids)
    env.say(f"deleted {', '.join(f'#{i}' for i in entry_ids)}")
