"""Smaller, honest versions of bench/fuzz_importers.py (10,000 mutated files) and
bench/roundtrip.py (1,000 generated ledgers): the same code, fewer runs."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import fuzz_importers  # noqa: E402
import roundtrip  # noqa: E402


def test_mutations_change_the_file_and_stay_bytes() -> None:
    rng = random.Random(3)
    data = (fuzz_importers.FIXTURES / "jrnl" / "journal.txt").read_bytes()
    mutated = [fuzz_importers.mutate(data, rng) for _ in range(50)]
    assert all(isinstance(m, bytes) for m in mutated)
    assert sum(m != data for m in mutated) >= 45


def test_the_fuzzer_counts_a_traceback_and_a_partial_write() -> None:
    class Result:
        exit_code, output, exception = 1, "", ValueError("boom")

    assert "traceback" in fuzz_importers._problem(Result(), (0,), (0,))
    Result.exception = SystemExit(2)  # type: ignore[assignment]
    Result.exit_code = 2
    assert "changed the ledger" in fuzz_importers._problem(Result(), (0,), (1,))
    assert fuzz_importers._problem(Result(), (1,), (1,)) == ""


@pytest.mark.slow
def test_mutated_files_end_in_one_line_or_an_import() -> None:
    tally = fuzz_importers.fuzz(200, seed=11, timeout=20)
    assert sum(tally.files.values()) == 200
    assert tally.failures == []
    assert sum(tally.refused.values()) > 50 and sum(tally.imported.values()) > 10


@pytest.mark.slow
def test_export_import_export_is_equal_on_generated_ledgers() -> None:
    ledgers, records, failures = roundtrip.run(50, seed=5)
    assert failures == []
    assert ledgers == 50 and records > 300


def test_the_round_trip_reports_where_documents_differ() -> None:
    a = {"entries": [{"title": "x", "metrics": [1]}]}
    b = {"entries": [{"title": "x", "metrics": [2]}]}
    assert roundtrip.first_difference(a, b) == ".entries[0].metrics[0]: 1 != 2"
