"""The Import page: an upload is shown as a dry run (nothing written), confirming writes it;
a file in the wrong format, a missing CSRF token or an oversized upload writes nothing."""

from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from levelup.cli.common import Env
from tests.conftest import invoke
from tests.web_support import client_for, csrf_of, small_ledger

BRAG = (b"# Brag document\n\n## October 2026\n\n- Shipped the search reindex in half the time\n"
        b"- Ran the incident review for the payments outage\n")


def _titles(env: Env) -> list[str]:
    result = invoke(env, "list", "--since", "2026-01-01", "--json")
    assert result.exit_code == 0, result.output
    return [e["title"] for e in json.loads(result.output)]


def _uploads() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("levelup-upload-*")}


def _dry_run(client, source: str, name: str, body: bytes,  # type: ignore[no-untyped-def]
             token: str | None = None):
    token = token if token is not None else csrf_of(client.get("/import").text)
    data = {"source": source, **({"csrf": token} if token else {})}
    return client.post("/import", data=data, files={"file": (name, body, "text/plain")})


def _count(html: str, name: str) -> int:
    found = re.search(rf'data-count="{name}">(\d+)<', html)
    assert found, html
    return int(found.group(1))


def test_the_dry_run_shows_counts_and_writes_nothing_then_confirm_writes(env: Env) -> None:
    small_ledger(env)
    before, uploads = _titles(env), _uploads()
    client, _ = client_for(env)
    form = client.get("/import").text
    assert 'enctype="multipart/form-data"' in form and 'value="markdown"' in form
    preview = _dry_run(client, "markdown", "brag.md", BRAG)
    assert preview.status_code == 200, preview.text
    assert _count(preview.text, "new") == 2 and _count(preview.text, "updated") == 0
    assert "Shipped the search reindex" in preview.text  # among the first changes
    assert "Nothing has been written" in preview.text
    assert _titles(env) == before  # the dry run wrote nothing
    assert len(_uploads() - uploads) == 1  # the upload waits in its private folder
    action = re.search(r'action="(/import/[^"]+/confirm)"', preview.text)
    assert action
    key = action.group(1).split("/")[2]
    done = client.post(action.group(1), data={"csrf": csrf_of(preview.text)})
    assert done.status_code == 200, done.text
    assert _count(done.text, "new") == 2
    titles = _titles(env)
    assert "Shipped the search reindex in half the time" in titles
    assert len(titles) == len(before) + 2
    assert _uploads() == uploads  # deleted once imported
    assert client.get(f"/import/{key}/progress").json()["finished"] is True
    again = client.post(action.group(1), data={"csrf": csrf_of(preview.text)})
    assert again.status_code == 404  # a key is used once


def test_a_levelup_export_is_previewed_then_merged(env: Env, tmp_path: Path) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    export = {"format": "levelup-export", "version": 1, "entries": [
        {"uid": "u-1", "date": "2026-09-01", "title": "Wrote the on-call handbook",
         "kind": "win"}]}
    preview = _dry_run(client, "json", "ledger.json", json.dumps(export).encode())
    assert preview.status_code == 200, preview.text
    assert _count(preview.text, "new") == 1
    assert "Wrote the on-call handbook" not in _titles(env)
    action = re.search(r'action="(/import/[^"]+/confirm)"', preview.text)
    assert action
    client.post(action.group(1), data={"csrf": csrf_of(preview.text)})
    assert "Wrote the on-call handbook" in _titles(env)


def test_a_file_in_the_wrong_format_shows_the_error_beside_the_file(env: Env) -> None:
    small_ledger(env)
    before, uploads = _titles(env), _uploads()
    client, _ = client_for(env)
    answer = _dry_run(client, "markdown", "notes.md", b"just some prose, no bullets\n")
    assert answer.status_code == 422
    error = re.search(r'<span class="error" id="file-error" role="alert">([^<]*)</span>',
                      answer.text)
    assert error, answer.text
    assert error.group(1).startswith("notes.md:")  # named as uploaded, not the temporary copy
    assert "no bullet points found" in error.group(1)
    assert _titles(env) == before and _uploads() == uploads


def test_a_git_path_that_is_no_repository_is_shown_beside_it(env: Env, tmp_path: Path) -> None:
    small_ledger(env)
    client, _ = client_for(env)
    token = csrf_of(client.get("/import").text)
    answer = client.post("/import", data={"source": "git", "repository": str(tmp_path),
                                          "csrf": token})
    assert answer.status_code == 422
    assert 'id="repository-error"' in answer.text


def test_without_the_csrf_token_the_upload_is_refused(env: Env) -> None:
    small_ledger(env)
    before, uploads = _titles(env), _uploads()
    client, _ = client_for(env)
    answer = _dry_run(client, "markdown", "brag.md", BRAG, token="")
    assert answer.status_code == 403
    preview = _dry_run(client, "markdown", "brag.md", BRAG)
    action = re.search(r'action="(/import/[^"]+/confirm)"', preview.text)
    assert action
    assert client.post(action.group(1)).status_code == 403  # confirming needs it too
    assert _titles(env) == before
    unsigned, _ = client_for(env, signed_in=False)
    assert unsigned.post("/import", files={"file": ("b.md", BRAG)}).status_code == 303
    client.post(action.group(1).replace("confirm", "cancel"),
                data={"csrf": csrf_of(preview.text)})
    assert _uploads() == uploads  # cancelled: the upload is deleted


def test_an_oversized_upload_is_refused_with_a_clear_error(env: Env) -> None:
    small_ledger(env)
    before, uploads = _titles(env), _uploads()
    client, _ = client_for(env)
    client.app.state.upload_limit = 1000  # type: ignore[attr-defined]
    answer = _dry_run(client, "markdown", "brag.md", BRAG + b"- more\n" * 200)
    assert answer.status_code == 413
    assert re.search(r'id="file-error" role="alert">the file is larger than 1000 bytes',
                     answer.text)
    assert _titles(env) == before and _uploads() == uploads
    assert _dry_run(client, "markdown", "brag.md", BRAG).status_code == 200  # under it: fine
