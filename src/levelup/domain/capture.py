"""Quick capture, as jrnl does it: fields typed inline in an entry's title.

``@project``, ``+outcome`` and ``#competency`` tokens set those fields and leave the title; a
leading ``yesterday:`` (any day followed by a colon) may set the date; a before→after figure
("900ms -> 250ms", "from 25 min to 9 min", "$12k -> $8k/month") reads as a metric named from the
words before it.
Pure: the caller checks the labels against the vocabularies and the day against its calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from levelup.domain.models import Metric

_TOKEN = re.compile(r"(?<!\S)(?P<sigil>[@+#])(?P<name>[^\W\d_][\w./-]*)")
# "yesterday: …", "friday: …", "2026-03-02: …": a short prefix, a colon, then the title.
_DAY_PREFIX = re.compile(r"^\s*(?P<day>[^:\s][^:]{0,29}?)\s*:\s+(?P<rest>\S.*)$", re.DOTALL)
_NUMBER = r"\d+(?:[.,]\d+)?"
_UNIT = (r"(?!to\b|from\b)(?:per\s+[^\W\d_]+|[^\W\d_]+(?:/[^\W\d_]+|\s+per\s+[^\W\d_]+)?)"
         r"|%")
_FIGURE = re.compile(
    rf"(?P<from>\bfrom\s+)?(?P<baseline>{_NUMBER})\s*(?P<bunit>{_UNIT})?\s*"
    rf"(?P<arrow>->|→|\bto\b)\s*(?P<result>{_NUMBER})\s*(?P<unit>{_UNIT})?(?!\w)",
    re.IGNORECASE,
)
# Money: "$12k -> $8k", "€1,200 -> €800/month", "£3.5m to £2m per year". The symbol is
# written on the first amount; the second may repeat it (the same one) or leave it out.
_AMOUNT = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE = r"(?:k|m|bn)(?![^\W\d_])"
_MONEY = re.compile(
    rf"(?P<from>\bfrom\s+)?(?P<bsym>[$€£])\s?(?P<baseline>{_AMOUNT})(?P<bscale>{_SCALE})?\s*"
    rf"(?P<arrow>->|→|\bto\b)\s*(?P<sym>[$€£])?\s?(?P<result>{_AMOUNT})(?P<scale>{_SCALE})?"
    rf"(?:\s*/\s*(?P<slash>[^\W\d_]+)|\s+per\s+(?P<per>[^\W\d_]+))?(?![\w$€£])",
    re.IGNORECASE,
)
_SCALES = {"": 1, "k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# Words that end a metric's name without being part of it ("cut latency by …").
_JOINERS = {"by", "from", "to", "at", "of", "in", "on", "for", "and", "with", "-", "–", ":"}
# Verbs a title often starts with: not part of the metric's name.
_VERBS = {"cut", "made", "built", "led", "ran", "set", "got", "took", "brought", "drove",
          "shrank", "grew", "sped", "halved", "doubled", "raised", "lowered", "moved"}
_NAME_WORDS = 4


@dataclass(slots=True)
class Captured:
    """What a typed title says: the title without its tokens, and the fields they set."""

    title: str
    day: str | None = None  # the text before a leading colon, when it may name a day
    projects: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    competencies: list[str] = field(default_factory=list)


def read_tokens(text: str) -> Captured:
    """Take ``@project``, ``+outcome`` and ``#competency`` out of ``text``."""
    found = Captured(title="")
    lists = {"@": found.projects, "+": found.outcomes, "#": found.competencies}

    def take(match: re.Match[str]) -> str:
        lists[match.group("sigil")].append(match.group("name").rstrip(".,;"))
        return ""

    found.title = " ".join(_TOKEN.sub(take, text).split())
    return found


def day_prefix(text: str) -> tuple[str, str] | None:
    """(the day's text, the rest) when ``text`` starts like ``yesterday: …``."""
    match = _DAY_PREFIX.match(text)
    if match is None:
        return None
    return match.group("day").strip(), match.group("rest").strip()


def title_metric(title: str) -> Metric | None:
    """The first before→after figure of ``title`` as a metric named from the words before
    it; None when there is none, or nothing before it to name it by.

    A figure joined by "to" needs a unit or a leading "from" ("900ms to 250ms", "from 25 to
    9 min"), so that "Python 3.10 to 3.12" is no metric; units given on both sides agree.
    Money ("$12k -> $8k/month") is read in whole units: ``k``, ``m`` and ``bn`` multiply,
    commas group thousands, and the unit is the symbol (``$``, ``$/month``).
    """
    figures = sorted([*_FIGURE.finditer(title), *_MONEY.finditer(title)],
                     key=lambda m: (m.start(), m.re is _FIGURE))
    for match in figures:
        if match.re is _MONEY:
            money = _money(title, match)
            if money is not None:
                return money
            continue
        before_unit, unit = match.group("bunit") or "", match.group("unit") or ""
        if before_unit and unit and before_unit.lower() != unit.lower():
            continue
        unit = unit or before_unit
        if match.group("arrow").lower() == "to" and not (unit or match.group("from")):
            continue
        name = _name(title[: match.start()])
        if not name:
            continue
        return Metric(name=name, baseline=_number(match.group("baseline")),
                      result=_number(match.group("result")), unit=unit)
    return None


def _money(title: str, match: re.Match[str]) -> Metric | None:
    """The money figure ``match`` as a metric, or None when it does not read as one."""
    symbol = match.group("bsym")
    if match.group("sym") not in (None, symbol):
        return None  # "$12k -> €8k" changes currency: not one metric
    name = _name(title[: match.start()])
    if not name:
        return None
    per = match.group("slash") or match.group("per")
    return Metric(name=name, baseline=_money_amount(match.group("baseline"), match["bscale"]),
                  result=_money_amount(match.group("result"), match.group("scale")),
                  unit=f"{symbol}/{per}" if per else symbol)


def _money_amount(text: str, scale: str | None) -> float:
    """``"1,200"`` → 1200.0, ``"3.5"`` with ``"m"`` → 3500000.0 (exact: no float drift)."""
    from decimal import Decimal  # only for money: `levelup log` starts without it

    return float(Decimal(text.replace(",", "")) * _SCALES[(scale or "").lower()])


def _name(before: str) -> str:
    words = before.replace(",", " ").split()
    while words and words[-1].lower() in _JOINERS:
        words.pop()
    words = words[-_NAME_WORDS:]
    if len(words) > 1 and (words[0].lower() in _VERBS or words[0].lower().endswith("ed")):
        words = words[1:]
    return " ".join(words).strip(":;-–")


def _number(text: str) -> float:
    return float(text.replace(",", "."))
