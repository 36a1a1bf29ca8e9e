"""The shipped classifier and coach beside the pre-issue-25 ones: accuracy and speed.

Run: .venv/bin/python bench/classifier_eval.py [--data voices.jsonl] [--pairs 5]

Accuracy: both shipped models on one labelled file of data/labelled (default heldout.jsonl,
the old same-writer split; voices.jsonl holds the independent writers, which the new model
was trained on, so only classifier_cv.py's leave-one-writer-out figures are honest for it).

Speed, measured in alternating pairs (new, then old) and reported per pair with the min-max of
the ratios: statements/s through classify + coach on one core, and the process wall time of
importing the CLI and labelling one statement (what ``levelup log`` adds for labels).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from classifier_scoring import ROOT, new_predictor, old_predictor, read, score, table  # noqa: E402

OLD_PATH = str(ROOT / "data/baseline/v1")
STATEMENT = "Cut p99 from 2s to 300ms"
PROBES = {
    "new": "from levelup.classify import classify; from levelup.coach import coach",
    "old": "from levelup_v1.classify import classify; from levelup_v1.coach import coach",
}


def throughput(predict: object, texts: list[str], seconds: float = 1.0) -> float:
    """Statements/s; the per-text memo of the new model is cleared before every pass."""
    from levelup.classify.vectors import statement

    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        statement.cache_clear()
        for text in texts:
            predict(text)  # type: ignore[operator]
        done += len(texts)
    return done / (time.perf_counter() - start)


def _wall(which: str) -> float:
    code = ("import levelup.cli.main; " + PROBES[which] +
            f"; classify({STATEMENT!r}); coach({STATEMENT!r})")
    env_path = f"{OLD_PATH}:{ROOT / 'src'}"
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True,
                   env={"PYTHONPATH": env_path, "PATH": "/usr/bin:/bin"})
    return time.perf_counter() - start


def _plain() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import levelup.cli.main"], check=True)
    return time.perf_counter() - start


def _pairs(name: str, new: list[float], old: list[float], higher_is_better: bool) -> None:
    ratios = [n / o for n, o in zip(new, old, strict=True)]
    print(f"{name}: new {min(new):.3f} .. {max(new):.3f}, old {min(old):.3f} .. {max(old):.3f}; "
          f"new/old per pair {sum(ratios) / len(ratios):.2f} (min {min(ratios):.2f}, "
          f"max {max(ratios):.2f}; {'higher' if higher_is_better else 'lower'} is better)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", default="heldout.jsonl", help="a file in data/labelled")
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    from levelup.classify import shipped_model
    from levelup.coach import coach

    records = read(args.data)
    print(f"statements: {len(records)} ({args.data})")
    new, old = new_predictor(shipped_model()), old_predictor()
    print(table({"new shipped": score(records, new), "v1 shipped": score(records, old)}))
    sys.path.insert(0, OLD_PATH)
    from levelup_v1.classify import classify as old_classify  # type: ignore[import-not-found]
    from levelup_v1.coach import coach as old_coach  # type: ignore[import-not-found]

    from levelup.classify import classify
    texts = [str(r["text"]) for r in records]
    rates: dict[str, list[float]] = {"new": [], "old": []}
    walls: dict[str, list[float]] = {"new": [], "old": []}
    plain = []
    for _ in range(args.pairs):
        rates["new"].append(throughput(lambda t: (classify(t), coach(t)), texts))
        rates["old"].append(throughput(lambda t: (old_classify(t), old_coach(t)), texts))
        walls["new"].append(_wall("new"))
        walls["old"].append(_wall("old"))
        plain.append(_plain())
    _pairs("classify+coach statements/s", rates["new"], rates["old"], True)
    _pairs("CLI import + label one statement, s", walls["new"], walls["old"], False)
    print(f"CLI import alone, s: {min(plain):.3f} .. {max(plain):.3f}")


if __name__ == "__main__":
    main()
