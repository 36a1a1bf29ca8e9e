"""The classifier, personalised by the labels the user confirmed in their own ledger.

The learned model is cached in the home folder and rebuilt only when the confirmed labels
change, so `levelup log` pays for reading one row (the owner's label revision, kept by
triggers), not for training nor for counting labels. A long-lived process (the
web server) also keeps the last model it loaded, for as long as the fingerprint holds.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from levelup.classify import Model

CACHE = "cache/classifier.json"
# The newest confirmed entries; older habits fade out. Learning costs about 1 ms per example,
# paid by the first `log` after the confirmed labels change.
MAX_EXAMPLES = 400
# A long-lived process (the web server) relearns at most this often, however fast labels are
# confirmed: every capture with labels changes them, and learning is not free.
RELEARN_SECONDS = 60.0
_loaded: dict[str, tuple[list[object], Model, float]] = {}  # home -> (fingerprint, model, when)
_learning = threading.Lock()  # one thread learns; the others then take its model


def personal_model(conn: Connection, home: Path) -> Model:
    """The shipped model plus the ledger's confirmed labels (the shipped one if there are none)."""
    from levelup.classify import Model, learn, shipped_model
    from levelup.classify.classifier import FORMAT
    from levelup.store.labels import confirmed_examples, confirmed_fingerprint

    fingerprint: list[object] = list(confirmed_fingerprint(conn))
    if fingerprint[-1] == 0:  # no confirmed label was ever written
        return shipped_model()
    path = home / CACHE
    kept = _loaded.get(str(path))
    if kept is not None and (kept[0] == fingerprint
                             or time.monotonic() - kept[2] < RELEARN_SECONDS):
        return kept[1]
    with _learning:
        kept = _loaded.get(str(path))
        if kept is not None and kept[0] == fingerprint:
            return kept[1]  # another thread learnt it while this one waited
        cached = _read(path)
        if cached is not None and cached.get("fingerprint") == fingerprint \
                and (cached.get("model") or {}).get("format") == FORMAT:  # older: rebuild
            model = Model.from_dict(cached["model"])
        else:
            model = learn(shipped_model(), confirmed_examples(conn, limit=MAX_EXAMPLES))
            _write(path, {"fingerprint": fingerprint, "model": model.to_dict()})
        _loaded[str(path)] = (fingerprint, model, time.monotonic())
    return model


def _read(path: Path) -> dict | None:  # type: ignore[type-arg]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no cache yet, or a damaged one: rebuild
    return data if isinstance(data, dict) else None


def _write(path: Path, data: dict) -> None:  # type: ignore[type-arg]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a cache that cannot be written only costs time next run
