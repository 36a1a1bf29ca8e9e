"""Factors read from the entries of the window: sustained, visibility, successor,
prevention and mentoring."""

from __future__ import annotations

import re

from levelup.domain.steps import Step
from levelup.readiness.context import Context, Rule, action, grade, ids, names
from levelup.readiness.evidence import strongest
from levelup.readiness.model import Action, Factor, Status

# Words of a hand-over: someone else now does part of the user's current role.
HANDOVER = re.compile(
    r"\bhand(?:ed|ing|s)?[- ]?(?:over|off)\b|\bhandover\b|\bhandoff\b|\bdelegat\w*|"
    r"\bsuccessor\b|\b(?:took|take|takes|taking) over\b", re.IGNORECASE)
# Every hand-over phrase, case folded, holds one of these: a cheap first pass (4x faster over
# a window of 100k entries than searching each text with HANDOVER alone).
HANDOVER_WORDS = re.compile(r"hand|delegat|successor|over")


def sustained(ctx: Context) -> Rule:
    months = sorted({m for c in ctx.competencies for m in c.months})
    need, window = ctx.th.sustained_months, ctx.th.window_months
    status = grade(len(months), need, 2)
    detail = (f"next-level evidence in {len(months)} of the last {window} months"
              f"{' (' + ', '.join(months) + ')' if months else ''}; {need} needed")
    if len(months) == 1:
        detail += "; one month is a burst, not sustained"
    evidence = sorted({i for c in ctx.competencies for i in c.evidence})
    return Factor(id="sustained", status=status, detail=detail, evidence=evidence), \
        _competency_actions(ctx, status)


def _competency_actions(ctx: Context, status: Status) -> list[Action]:
    if status == "met":
        return []
    gaps = sorted((c for c in ctx.competencies if c.status != "met"),
                  key=lambda c: (c.months_with_evidence, c.id))
    level, window = ctx.data.target_level, ctx.th.window_months
    out = []
    for rank, comp in enumerate(gaps[:2]):
        asks = ctx.data.expectations_text.get(comp.id, "")
        ask = f" ({level} asks: {asks})" if asks else ""
        if comp.evidence:
            text = (f"{comp.id} has {level} evidence in {comp.months_with_evidence} of "
                    f"{window} months ({ids(comp.evidence)}): log {comp.id} work every month"
                    f"{ask}")
        else:
            text = f"No {comp.id} evidence at {level} yet: take on work that shows it{ask}"
        out.append(action("sustained", status, text, comp.evidence[:5], rank))
    return out


def visibility(ctx: Context) -> Rule:
    top = strongest(ctx.data.entries, ctx.th.strongest_entries, ctx.score)
    heard = [e.id for e in top if any(dm and not ctx.is_manager(name)
                                      for name, dm in ctx.data.heard_by.get(e.id, []))]
    share = len(heard) / len(top) if top else 0.0
    status = grade(share, ctx.th.visibility_share, 1e-9)
    detail = (f"{len(heard)} of your {len(top)} strongest entries reached a decision maker "
              f"beyond your manager ({share:.0%}; {ctx.th.visibility_share:.0%} needed)")
    if not top:
        detail = "no entries in the window to make visible"
    unseen = [e.id for e in top if e.id not in heard]
    return Factor(id="visibility", status=status, detail=detail, evidence=heard), \
        _visibility_actions(ctx, status, unseen)


def _visibility_actions(ctx: Context, status: Status, unseen: list[int]) -> list[Action]:
    if status == "met":
        return []
    deciders = ctx.deciders()
    if not unseen:
        return [action("visibility", status, "Log your strongest work of the last months "
                       "with its numbers, then share it with a decision maker")]
    known = [i for i in unseen if any(ctx.is_manager(n) for n, _ in ctx.data.heard_by.get(i, []))]
    lead = (f"Your strongest entries {ids(known)} are known only to {ctx.manager}"
            if known else f"Your strongest entries {ids(unseen)} have not reached a decision maker")
    if deciders:
        text = f"{lead}: put them in Friday's report and walk {names(deciders)} through them"
        step = Step("report.weekly")
    else:
        text = f"{lead}: ask {ctx.manager} who decides on your promotion and record them"
        step = Step("stakeholder.add", {"_": "NAME", "decision_maker": ""})
    return [action("visibility", status, text, (known or unseen)[:5], step=step)]


def successor(ctx: Context) -> Rule:
    handovers = [e.id for e in ctx.data.entries
                 if HANDOVER_WORDS.search(e.text.casefold()) and HANDOVER.search(e.text)]
    candidates = ctx.people("mentee", "report")
    if handovers:
        return Factor(id="successor", status="met", evidence=handovers,
                      detail=f"hand-over of your current work recorded in {ids(handovers)}"), []
    if candidates:
        detail = f"possible successors recorded ({names(candidates)}) but no hand-over yet"
        text = (f"Hand over one responsibility of your current role to {names(candidates, 1)} "
                "and log the hand-over")
        status: Status = "partial"
        step: Step | None = None
    else:
        detail = "nobody recorded who could take over your current role"
        text = ("Name someone who could take over your current role, hand over one "
                "responsibility and log it")
        status = "missing"
        step = Step("stakeholder.add", {"_": "NAME", "relation": "mentee"})
    return Factor(id="successor", status=status, detail=detail), \
        [action("successor", status, text, step=step)]


def prevention(ctx: Context) -> Rule:
    prevented = [e.id for e in ctx.data.entries if e.kind == "prevention"]
    fought = [e.id for e in ctx.data.entries if e.kind == "incident"]
    if fought:
        status = grade(len(prevented) / len(fought), ctx.th.prevention_ratio, 1e-9)
    else:  # no fire fought: any prevention is a perfect balance
        status = "met" if prevented else "missing"
    detail: str = (f"{len(prevented)} fires prevented, {len(fought)} fought in the last "
              f"{ctx.th.window_months} months ({ctx.th.prevention_ratio:g} prevented per fought "
              "needed)")
    if status == "met":
        return Factor(id="prevention", status=status, detail=detail, evidence=prevented), []
    step: Step | None = None
    if fought:
        text = (f"You fought {len(fought)} fires ({ids(fought)}): fix the cause of the one "
                "that recurs most and log it as a prevention entry with its before/after page "
                "rate")
        step = Step("opportunities")
    else:
        text = ("Find a fire before it starts (an alert, a limit, a runbook) and log it as a "
                "prevention entry")
    return Factor(id="prevention", status=status, detail=detail, evidence=prevented), \
        [action("prevention", status, text, fought[:5], step=step)]


def mentoring(ctx: Context) -> Rule:
    found = [e.id for e in ctx.data.entries
             if e.kind == "mentoring" or any(c.id == "mentoring" for c in e.competencies)]
    need = ctx.th.mentoring_entries
    status = grade(len(found), need, 1)
    detail = (f"{len(found)} entries growing others in the last {ctx.th.window_months} months; "
              f"{need} needed")
    if status == "met":
        return Factor(id="mentoring", status=status, detail=detail, evidence=found), []
    mentees = ctx.people("mentee", "report")
    who = names(mentees) if mentees else "a less experienced colleague"
    text = (f"Grow someone: pair with {who} on a real task every week and log it as a "
            "mentoring entry with what they can now do alone")
    return Factor(id="mentoring", status=status, detail=detail, evidence=found), \
        [action("mentoring", status, text, found[:5])]
