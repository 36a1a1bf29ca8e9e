"""The export streams the document it always wrote; import json reads it as it streams."""

from __future__ import annotations

import json
import re
import tracemalloc
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.models import Entry
from levelup.domain.serialize import dump_indented, to_json
from levelup.services import portable_export, portable_import
from levelup.services.portable import import_ledger
from levelup.services.portable_export import export_to
from levelup.settings import load
from levelup.store import entries
from tests.conftest import TODAY, invoke
from tests.test_export import entry_strategy
from tests.test_export_stream_ledger import KNOWN, KNOWN_AT, fill_known

_RAW = re.compile(r"[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_AT = re.compile(r'"exported_at": "[^"]*"')


def _known_text(indent: int) -> str:
    text = json.dumps(KNOWN, indent=indent, ensure_ascii=False) + "\n"
    return _RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if indent == 2 else text


def _undated(text: str) -> str:
    return _AT.sub('"exported_at": ""', text)


def _other(tmp_path: Path, name: str) -> Env:
    return Env(settings=load(environ={}, home=tmp_path / name,
                             database_url=f"sqlite:///{tmp_path / name}.db"), today=TODAY)


def test_streamed_export_is_the_known_document(env: Env, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    fill_known(env.ctx.engine(), env.settings.home)
    monkeypatch.setattr(portable_export, "PAGE", 2)  # entries over two pages, a tie between them
    parts: list[str] = []
    assert export_to(env.ctx, write=parts.append, indent=1, now=KNOWN_AT).entries == 3
    assert "".join(parts) == _known_text(1)
    out = tmp_path / "known.json"
    result = invoke(env, "export", "-o", str(out))
    assert result.exit_code == 0 and "exported 3 entries" in result.stdout
    assert _undated(out.read_text(encoding="utf-8")) == _undated(_known_text(1))
    printed = invoke(env, "export").stdout  # stdout: as --json prints, C1 and bidi escaped
    assert _undated(printed) == _undated(_known_text(2))


def test_import_of_the_known_document_exports_it_again(env: Env, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portable_import, "BATCH", 2)  # entries merged over two batches
    path = tmp_path / "known.json"
    path.write_text(_known_text(1), encoding="utf-8")
    added = import_ledger(env.ctx, file=str(path))
    assert added["entries"] == 3 and added["visibility"] == 1 and added["templates"] == 1
    parts: list[str] = []
    export_to(env.ctx, write=parts.append, indent=1, now=KNOWN_AT)
    assert "".join(parts) == _known_text(1)
    assert sum(import_ledger(env.ctx, file=str(path)).values()) == 0  # twice adds nothing


def test_sections_in_any_order_merge_the_same(env: Env, tmp_path: Path) -> None:
    shuffled = dict(reversed(list(KNOWN.items())))  # records before entries, format last
    path = tmp_path / "reversed.json"
    path.write_text(json.dumps(shuffled), encoding="utf-8")
    assert import_ledger(env.ctx, file=str(path))["visibility"] == 1
    parts: list[str] = []
    export_to(env.ctx, write=parts.append, indent=1, now=KNOWN_AT)
    assert "".join(parts) == _known_text(1)


def test_duplicates_within_and_across_batches(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portable_import, "BATCH", 2)
    doc: dict[str, Any] = {"format": "levelup-export", "version": 1, "entries": [
        {"title": "a", "date": "2026-01-01", "uid": "a" * 32, "source": "git",
         "source_id": "1"},
        {"title": "a again", "date": "2026-01-01", "uid": "a" * 32},  # same uid
        {"title": "b", "date": "2026-01-02", "uid": "b" * 32, "source": "git",
         "source_id": "1"},  # the same import as a, another batch
        {"title": "c", "date": "2026-01-03", "uid": "c" * 32, "source": "git",
         "source_id": "2"},
        {"title": "d", "date": "2026-01-03", "uid": "d" * 32, "source": "git",
         "source_id": "2"},  # the same import as c, same batch
    ], "visibility": [{"stakeholder": "Priya", "date": "2026-01-04", "channel": "1:1",
                       "entry_ids": ["b" * 32, "d" * 32], "uid": "e" * 32}],
        "stakeholders": [{"name": "Priya"}]}
    path = tmp_path / "dups.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    env = _other(tmp_path, "dups")
    added = import_ledger(env.ctx, file=str(path))
    assert (added["entries"], added["visibility"]) == (2, 1)
    with env.ctx.read() as conn:
        stored = entries.list_entries(conn, newest_first=False)
    assert [e.title for e in stored] == ["a", "c"]
    shown = json.loads(invoke(env, "export").stdout)
    assert shown["visibility"][0]["entry_ids"] == ["a" * 32, "c" * 32]


def test_bad_documents_name_where_and_write_nothing(env: Env, tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "levelup-export",\n "version": 1,\n "entries": [\n  x]}\n')
    result = invoke(env, "import", "json", str(broken))
    assert result.exit_code == 2 and f"{broken}:4: not JSON" in result.stderr
    late = tmp_path / "late.json"  # a bad entry after a full batch: nothing half-written
    rows = [{"title": f"t{i}", "date": "2026-01-01"} for i in range(1200)]
    late.write_text(json.dumps({"format": "levelup-export", "version": 1,
                                "entries": [*rows, {"title": "x", "date": "soon"}]}))
    result = invoke(env, "import", "json", str(late))
    assert result.exit_code == 2 and "entries[1200].date" in result.stderr
    assert json.loads(invoke(env, "list", "--json").stdout) == []
    wrong = tmp_path / "wrong.json"
    wrong.write_text('[{"format": "levelup-export"}]')
    result = invoke(env, "import", "json", str(wrong))
    assert result.exit_code == 2 and "not a levelup export" in result.stderr


def test_memory_stays_below_the_document(tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Export and import hold a page, not the document: their peak allocation is a fraction
    of its size (the whole document in memory is several times its size)."""
    monkeypatch.setattr(portable_export, "PAGE", 200)
    monkeypatch.setattr(portable_import, "BATCH", 200)
    env, target = _other(tmp_path, "big"), _other(tmp_path, "target")
    small = tmp_path / "small.json"  # the modules both load are loaded before measuring
    small.write_text(_known_text(1), encoding="utf-8")
    import_ledger(target.ctx, file=str(small))
    portable_export.export_file(target.ctx, path=small)
    with env.ctx.begin() as conn:
        for i in range(3000):
            entries.add_entry(conn, entry=Entry(title=f"entry {i}", date=date(2026, 1, 1),
                                                details="x" * 2000))
    path = tmp_path / "big.json"
    tracemalloc.start()
    try:
        portable_export.export_file(env.ctx, path=path)
        exported = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        assert import_ledger(target.ctx, file=str(path))["entries"] == 3000
        imported = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    size = path.stat().st_size
    assert size > 6_000_000
    assert exported < size / 2 and imported < size / 2, (exported, imported, size)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                max_size=3),
    max_leaves=12)


@settings(max_examples=200, deadline=None)
@given(value=json_values, indent=st.integers(0, 3), level=st.integers(0, 2))
def test_dump_indented_is_json_dumps(value: Any, indent: int, level: int) -> None:
    expected = json.dumps(value, indent=indent, ensure_ascii=False)
    assert dump_indented(value, indent, level) == expected.replace("\n", "\n" + " " * (
        indent * level))


@settings(max_examples=60, deadline=None)
@given(entry=entry_strategy, level=st.integers(0, 2))
def test_an_entry_is_written_as_its_json_form(entry: Entry, level: int) -> None:
    data = {k: v for k, v in to_json(entry).items() if k != "id"}
    expected = json.dumps(data, indent=1, ensure_ascii=False).replace("\n", "\n" + " " * level)
    assert dump_indented(entry, 1, level, drop="id") == expected


def test_a_profile_given_as_a_list_is_refused_not_misread(env: Env, tmp_path: Path) -> None:
    path = tmp_path / "odd.json"
    path.write_text(json.dumps({"format": "levelup-export", "version": 1, "stakeholders": [],
                                "profile": [1, 2], "entries": []}))
    result = invoke(env, "import", "json", str(path))
    assert result.exit_code == 2 and "profile: expected an object" in result.stderr
