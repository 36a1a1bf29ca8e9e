"""Build the labelled data files from their sources, and relabel the original rows by the guide.

Run: .venv/bin/python bench/classifier_data.py

- ``data/voices/w*.txt``: independently written statements, one file per writer (persona in the
  file's header), one ``text | outcomes | competencies | MOAV`` line each (flags as 1/0).
  They become ``data/labelled/voices.jsonl``, every row with its ``writer``.
- ``data/baseline/{statements,heldout}_v1.jsonl``: the original 756 rows (one templated voice,
  writer ``w00``), relabelled where they break the conventions of ``../shared/LABELS.md``
  (latency as kpi, new-hire onboarding as people, knowledge sharing as culture, no outcome where
  the purpose is clear, has_outcome true without a stated effect). They become
  ``data/labelled/statements.jsonl`` and ``heldout.jsonl``; every change is written to
  ``data/labelled/relabel_log.tsv`` with the convention that decided it.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
FLAGS = ("has_metric", "has_outcome", "has_action", "vague")

SLA_WORDS = re.compile(r"\b(?:latency|p99|p95|p50|error rate|errors?|crash\w*|outages?|incidents?|"
                       r"pages|paged|paging|uptime|availability|timeouts?|5\d\d)\b", re.I)
KPI_WORDS = re.compile(r"\b(?:build|ci|deploy\w*|pipeline|test coverage|coverage|flaky|lead time|"
                       r"adoption|nps|satisfaction)\b", re.I)
NEW_HIRES = re.compile(r"\b(?:onboard\w*|new (?:hires?|joiners?|starters?|engineers?))\b", re.I)
GROWING = re.compile(r"\b(?:mentor\w*|coach\w*|pair\w*|taught|teach\w*|grow\w*|promot\w*)\b",
                     re.I)
SPOF = re.compile(r"\b(?:single point of failure|bus factor|knowledge (?:sharing|transfer|flows)|"
                  r"tribal knowledge|knowledge is shared|handed over|people's heads|"
                  r"depends on [A-Z]\w+|both teams know)\b")
HIRING = re.compile(r"\b(?:hiring|recruit\w*|candidates?|time to hire|hiring day|hired)\b", re.I)
HELPING_ONE = re.compile(r"\b(?:mock|prepar\w*|paired|coached|trained)\b", re.I)
PAGE_SPEED = re.compile(r"\b(?:time to interactive|load time|page load|first paint)\b", re.I)
FOCUS = re.compile(r"\b(?:meetings?|focus time)\b", re.I)
SELLING = re.compile(r"\b(?:prospects?|deals?|trust page|questionnaires?|rfp)\b", re.I)

# Original rows with no outcome whose purpose the guide says is clear (text -> outcomes).
PURPOSE = {
    "Security: ran the quarterly dependency audit": ["safety"],
    "Handed over the release tooling to Sam with a walkthrough and a written checklist":
        ["people"],
    "Took over the abandoned feature flag service nobody owned and wrote down how it works":
        ["people"],
    "Helped a colleague from another team set up their local environment": ["culture"],
}


# The second check of the independent rows (rule disagreements reviewed against the guide):
# text -> (field, value, why). Logged to data/labelled/label_check.tsv.
CHECKED: dict[str, tuple[str, bool, str]] = {
    "answered questions in #payments-help": ("has_action", True, "active verb, not filler"),
    "Reviewed lots of PRs": ("has_action", True, "active verb, not filler"),
    "Cleaned up the CSS": ("has_action", True, "active verb, not filler (still vague)"),
    "Did a lot of bug fixes": ("has_action", True, "active verb, not filler (still vague)"),
    "This week I caught up on reviews and answered platform questions.":
        ("has_action", True, "active verbs, not filler (still vague)"),
    "I looked into the network issues.": ("has_action", True, "as 'Looked into the bug' (w00)"),
    "I answered a lot of data questions from other teams.":
        ("has_action", True, "active verb, not filler (still vague)"),
    "Fixed many small bugs in app": ("has_action", True, "active verb (still vague)"),
    "looked at some cves": ("has_action", True, "as 'Looked into the bug' (w00)"),
    "Built a visual regression suite with Playwright; caught 11 UI regressions before release "
    "in Q3": ("has_metric", False, "issues found are an activity count"),
    "Delivered the billing settings page two weeks ahead of schedule":
        ("has_metric", True, "time is a metric"),
    "Delivered the billing settings page two weeks ahead of schedule, which let finance stop "
    "handling plan changes by email": ("has_metric", True, "time is a metric"),
}


def parse_voice(path: Path) -> list[dict[str, object]]:
    """The rows of one writer's file (see the module docstring for the line format)."""
    writer = path.stem.split("_")[0]
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.rsplit("|", 3)]
        if len(parts) != 4 or len(parts[3]) != 4:
            raise SystemExit(f"{path.name}:{number}: expected 'text | o | c | MOAV'")
        text = re.sub(r"^[-*]\s+", "", parts[0])
        flags = dict(zip(FLAGS, (c == "1" for c in parts[3]), strict=True))
        rows.append({"text": text, "outcomes": _split(parts[1]),
                     "competencies": _split(parts[2]), **flags, "writer": writer})
    return rows


def _split(field: str) -> list[str]:
    return [p.strip() for p in field.split(",") if p.strip()]


def relabel(row: dict[str, object]) -> tuple[dict[str, object], list[str]]:
    """The row under the guide's conventions, and the conventions that changed it."""
    text = str(row["text"])
    outcomes = list(row["outcomes"])  # type: ignore[call-overload]
    why: list[str] = []

    def swap(old: str, new: str, reason: str) -> None:
        nonlocal outcomes
        if old in outcomes:
            outcomes = list(dict.fromkeys(new if o == old else o for o in outcomes))
            why.append(reason)

    if SLA_WORDS.search(text) and not KPI_WORDS.search(text):
        swap("kpi", "sla", "latency/errors/incidents are sla")
    if NEW_HIRES.search(text) and not GROWING.search(text):
        swap("people", "culture", "onboarding new hires is culture")
    if HIRING.search(text) and not HELPING_ONE.search(text):
        swap("people", "culture", "hiring is culture")
    if PAGE_SPEED.search(text):
        swap("kpi", "sla", "latency (page load included) is sla")
    if SPOF.search(text):
        swap("culture", "people", "knowledge sharing that removes a single point is people")
    if FOCUS.search(text):
        swap("profit", "culture", "meeting load and focus time are culture")
    if SELLING.search(text) and "safety" in outcomes and "revenue" not in outcomes:
        outcomes = ["revenue", *[o for o in outcomes if o != "safety"]]
        why.append("work whose purpose is selling is revenue")
    has_outcome = bool(row["has_outcome"])
    if not outcomes and text in PURPOSE:
        outcomes, has_outcome = PURPOSE[text], False
        why.append("a clear purpose gets its category even when not stated")
    return {**row, "outcomes": outcomes, "has_outcome": has_outcome, "writer": "w00"}, why


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                    encoding="utf-8")


def main() -> None:
    voices = [row for path in sorted((DATA / "voices").glob("w*.txt"))
              for row in parse_voice(path)]
    checks = ["writer\ttext\tfield\twriter's label\tresolved\tby the guide"]
    for row in voices:
        if row["text"] in CHECKED:
            field, value, why = CHECKED[str(row["text"])]
            checks.append(f"{row['writer']}\t{row['text']}\t{field}\t{row[field]}\t{value}\t{why}")
            row[field] = value
    (DATA / "labelled/label_check.tsv").write_text("\n".join(checks) + "\n", encoding="utf-8")
    write_jsonl(DATA / "labelled/voices.jsonl", voices)
    log = ["file\ttext\tbefore\tafter\tconvention"]
    for name in ("statements", "heldout"):
        lines = (DATA / f"baseline/{name}_v1.jsonl").read_text(encoding="utf-8").splitlines()
        out = []
        for line in filter(str.strip, lines):
            old = json.loads(line)
            new, why = relabel(old)
            out.append(new)
            if why:
                log.append(f"{name}\t{old['text']}\t{','.join(old['outcomes'])}\t"
                           f"{','.join(new['outcomes'])}\t{'; '.join(why)}")  # type: ignore[arg-type]
        write_jsonl(DATA / f"labelled/{name}.jsonl", out)
    (DATA / "labelled/relabel_log.tsv").write_text("\n".join(log) + "\n", encoding="utf-8")
    print(f"voices: {len(voices)} rows from "  # noqa: T201
          f"{len({r['writer'] for r in voices})} writers; relabelled {len(log) - 1} rows")


if __name__ == "__main__":
    main()
