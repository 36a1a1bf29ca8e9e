"""The Import page: upload a file (or name a local git repository), see the dry run, confirm.

The uploaded file waits between the two steps in a private temporary folder (mode 0700),
keyed by a random id that only the session which uploaded it may use; it is deleted once the
import ran, was cancelled, or after an hour. While the real import runs, the page polls
``/import/ID/progress`` (without JavaScript the confirm request simply waits for the summary).
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse, Response

from levelup.context import Context
from levelup.web.deps import SignInNeeded, context, guard_of, signed_in
from levelup.web.fields import INPUT_ERRORS, field_of, message_of
from levelup.web.render import render
from levelup.web.security import COOKIE

UPLOAD_LIMIT = 50 * 1024 * 1024  # bytes; the app's state may lower it (tests do)
PENDING_SECONDS = 3600
SHOWN = 20  # changes the dry run lists
_CHUNK = 1024 * 1024


async def upload_allowed(request: Request) -> None:
    """Refuse a body over the limit before it is read (nothing will be written, so the CSRF
    check is not needed for that answer); every other request is checked as usual."""
    length = request.headers.get("content-length", "")
    if request.method == "POST" and length.isdigit() and int(length) > limit_of(request):
        request.state.sid = guard_of(request).session(request.cookies.get(COOKIE))
        if request.state.sid is None:
            raise SignInNeeded()
        request.state.too_large = True
        return
    await signed_in(request)


router = APIRouter(dependencies=[Depends(upload_allowed)], include_in_schema=False)
Ctx = Annotated[Context, Depends(context)]
Text = Annotated[str, Form()]


@dataclass
class Pending:
    """An import shown as a dry run and waiting for its confirmation."""

    key: str
    sid: str
    source: str
    inputs: list[str]
    shown: str  # the file's name or the repository's path, as the user gave it
    folder: Path | None  # the private folder holding the upload; None for a repository
    made: float = field(default_factory=time.monotonic)
    done: int = 0
    total: int | None = None
    finished: bool = False

    def discard(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


class Imports:
    """The pending imports of one app, by key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._pending: dict[str, Pending] = {}

    def add(self, pending: Pending) -> None:
        with self._lock:
            now = time.monotonic()
            for old in [p for p in self._pending.values() if now - p.made > PENDING_SECONDS]:
                self._pending.pop(old.key).discard()
            self._pending[pending.key] = pending

    def get(self, key: str, sid: str | None) -> Pending | None:
        with self._lock:
            found = self._pending.get(key)
        return found if found is not None and found.sid == sid else None

    def pop(self, key: str) -> None:
        with self._lock:
            found = self._pending.pop(key, None)
        if found is not None:
            found.discard()


def imports_of(request: Request) -> Imports:
    state = request.app.state
    with _LOCK:
        if not hasattr(state, "imports"):
            state.imports = Imports()
    found: Imports = state.imports
    return found


_LOCK = threading.Lock()


def limit_of(request: Request) -> int:
    return int(getattr(request.app.state, "upload_limit", UPLOAD_LIMIT))


def _form(request: Request, *, status: int = 200, errors: dict[str, str] | None = None,
          given: dict[str, str] | None = None) -> Response:
    from levelup.services.import_files import import_choices

    return render(request, "import.html", status=status, choices=import_choices(),
                  errors=errors or {}, given=given or {}, limit_mb=limit_of(request) // 2**20)


@router.get("/import")
def import_form(request: Request) -> Response:
    return _form(request)


@router.post("/import")
def dry_run(request: Request, ctx: Ctx, source: Text = "", repository: Text = "",
            file: Annotated[UploadFile | None, File()] = None) -> Response:
    """Keep the upload (or the repository's path), run the import as a dry run, show it."""
    from levelup.services.import_files import import_file

    given = {"source": source, "repository": repository}
    if getattr(request.state, "too_large", False):
        return _too_large(request, given)
    name = Path(file.filename or "").name if file is not None else ""
    name = "upload" if name in (".", "..") else name  # never a name outside its folder
    if not name and not repository.strip():
        return _form(request, status=422, given=given,
                     errors={"file": "choose a file to upload, or name a git repository"})
    pending = Pending(key=secrets.token_urlsafe(18), sid=request.state.sid, source=source,
                      inputs=[repository.strip()], shown=repository.strip(), folder=None)
    if name and file is not None:
        pending.folder = Path(tempfile.mkdtemp(prefix="levelup-upload-"))
        pending.inputs, pending.shown = [str(pending.folder / name)], name
        if not _save(file, pending.folder / name, limit_of(request)):
            pending.discard()
            return _too_large(request, given)
    try:
        summary = import_file(ctx, source=source, inputs=pending.inputs, dry_run=True)
    except INPUT_ERRORS as exc:
        pending.discard()
        where = field_of(exc, given, ctx.today)
        where = where if where in ("source",) else ("file" if name else "repository")
        return _form(request, status=422, given=given,
                     errors={where: _without_folder(message_of(exc), pending)})
    imports_of(request).add(pending)
    return render(request, "import_preview.html", pending=pending, summary=summary,
                  shown=SHOWN)


def _too_large(request: Request, given: dict[str, str]) -> Response:
    cap = limit_of(request)
    size = f"{cap // 2**20} MB" if cap >= 2**20 else f"{cap} bytes"
    return _form(request, status=413, given=given,
                 errors={"file": f"the file is larger than {size}, the most an upload may be; "
                         "import it with `levelup import` instead"})


def _save(upload: UploadFile, target: Path, cap: int) -> bool:
    """Copy the upload to ``target``; False (and nothing kept) when it is over ``cap``."""
    written = 0
    with target.open("wb") as out:
        while chunk := upload.file.read(_CHUNK):
            written += len(chunk)
            if written > cap:
                return False
            out.write(chunk)
    return True


def _without_folder(message: str, pending: Pending) -> str:
    """The importer's message, naming the file as uploaded rather than its temporary copy."""
    if pending.folder is None:
        return message
    return message.replace(f"{pending.folder}/", "").replace(str(pending.folder), "")


@router.post("/import/{key}/confirm")
def confirm(request: Request, ctx: Ctx, key: str) -> Response:
    """Run the import for real (the page polls its progress), then show what it did."""
    from levelup.services.import_files import import_file
    from levelup.services.importing import ImportProgress

    imports = imports_of(request)
    pending = imports.get(key, request.state.sid)
    if pending is None:
        return _gone(request)

    def progress(event: ImportProgress) -> None:
        pending.done, pending.total = event.done, event.total

    try:
        summary = import_file(ctx, source=pending.source, inputs=pending.inputs,
                              progress=progress)
    except INPUT_ERRORS as exc:
        return render(request, "error.html", status=422, back="/import",
                      message=_without_folder(message_of(exc), pending))
    finally:
        pending.finished = True
        imports.pop(key)
    return render(request, "import_done.html", pending=pending, summary=summary, shown=SHOWN)


@router.post("/import/{key}/cancel")
def cancel(request: Request, key: str) -> Response:
    imports = imports_of(request)
    if imports.get(key, request.state.sid) is not None:
        imports.pop(key)
    return RedirectResponse("/import", status_code=303)


@router.get("/import/{key}/progress")
def progress_of(request: Request, key: str) -> Response:
    """How far the confirmed import got: ``{"done", "total", "finished"}``."""
    pending = imports_of(request).get(key, request.state.sid)
    answer: dict[str, Any] = {"done": 0, "total": None, "finished": True}
    if pending is not None:
        answer = {"done": pending.done, "total": pending.total, "finished": pending.finished}
    return JSONResponse(answer)


def _gone(request: Request) -> Response:
    return render(request, "error.html", status=404, back="/import",
                  message="this import is no longer waiting (it ran, was cancelled or "
                          "expired): upload the file again")
