"""Factors read from records other than entries: business need, aspiration, bus factor,
feedback, expectations and the self check-in."""

from __future__ import annotations

from levelup.domain.expectations import is_stale
from levelup.domain.steps import Step
from levelup.domain.vocab import QUESTION_BANK
from levelup.readiness.context import Context, Rule, action, names
from levelup.readiness.model import Factor, Status


def business_need(ctx: Context) -> Rule:
    needs = [e for e in ctx.data.expectations if e.kind == "business-need"]
    fresh = [e for e in needs
             if not is_stale(e.date, today=ctx.today, days=ctx.th.expectations_days)]
    level = ctx.data.target_level
    if fresh:
        detail = f"business need recorded on {fresh[0].date}: {fresh[0].text}"
        return Factor(id="business_need", status="met", detail=detail,
                      evidence=[e.id for e in fresh]), []
    if needs:
        status: Status = "partial"
        detail = (f"business need recorded on {needs[0].date}, older than "
                  f"{ctx.th.expectations_days} days")
        text = (f"Re-confirm with {ctx.manager} that the team still needs someone at {level}: "
                f"{needs[0].text}")
        step: Step | None = None
    else:
        status = "missing"
        detail = f"no recorded need for the role at {level} in your organisation"
        text = (f"Ask {ctx.manager} whether the organisation needs someone at {level} on the "
                "team and what that role would own; record it")
        step = Step("expect.add", {"kind": "business-need"})
    return Factor(id="business_need", status=status, detail=detail,
                  evidence=[e.id for e in needs]), [action("business_need", status, text,
                                                           step=step)]


def aspiration(ctx: Context) -> Rule:
    said = ctx.data.aspirations
    to_manager = [c for c in said if ctx.is_manager(c.who)]
    level = ctx.data.target_level
    if to_manager:
        detail = f"aspiration stated to {to_manager[-1].who} on {to_manager[-1].date}"
        return Factor(id="aspiration", status="met", detail=detail,
                      evidence=[c.id for c in to_manager]), []
    if said:
        status: Status = "partial"
        detail = f"aspiration stated to {said[-1].who} on {said[-1].date}, not to your manager"
    else:
        status = "missing"
        detail = "no conversation where you said you want the next level"
    text = f"Tell {ctx.manager} explicitly that you want to reach {level}, and record it"
    step = Step("talk.add", {"with": "NAME", "kind": "career", "aspiration": ""})
    return Factor(id="aspiration", status=status, detail=detail,
                  evidence=[c.id for c in said]), [action("aspiration", status, text, step=step)]


def bus_factor(ctx: Context) -> Rule:
    paths, months = ctx.data.sole_paths, ctx.th.bus_factor_months
    if paths is None:
        detail = "not measured: no git history imported, or your git emails are not set"
        text = ("Import your repositories and set LEVELUP_GIT_EMAILS so levelup can find code "
                "only you change")
        return Factor(id="bus_factor", status="partial", detail=detail), \
            [action("bus_factor", "partial", text, rank=2, step=Step("import.git", {"_": "PATH"}))]
    if not paths:
        detail = f"no code that only you changed in the last {months} months"
        return Factor(id="bus_factor", status="met", detail=detail), []
    shown = ", ".join(paths[:3]) + (f" and {len(paths) - 3} more" if len(paths) > 3 else "")
    detail = f"{len(paths)} places only you changed in the last {months} months: {shown}"
    peers = ctx.people("mentee", "report", "peer")
    who = names(peers, 2) if peers else "a teammate"
    text = (f"You are the single point of failure for {', '.join(paths[:2])}: pair with {who} "
            "on the next change there and have them review it")
    return Factor(id="bus_factor", status="missing", detail=detail), \
        [action("bus_factor", "missing", text)]


def feedback(ctx: Context) -> Rule:
    weeks = ctx.th.feedback_weeks
    since = ctx.days_ago(weeks * 7)
    asked = [f for f in ctx.data.feedback if f.flag and f.date >= since]
    stale = [f for f in ctx.data.feedback
             if f.open_follow_up and not f.entry_ids and f.date < since]
    status: Status = "missing" if not asked else "partial" if stale else "met"
    detail = (f"feedback asked for {len(asked)} time(s) in the last {weeks} weeks; "
              f"{len(stale)} follow-up(s) open for longer without an entry showing the change")
    evidence = [f.id for f in asked]
    if status == "met":
        return Factor(id="feedback", status=status, detail=detail, evidence=evidence), []
    actions = []
    if not asked:
        deciders = ctx.deciders()
        who = ctx.manager + (f" or {names(deciders, 1)}" if deciders else "")
        actions.append(action("feedback", status, f"Ask {who} for feedback, the critical kind "
                              f"too: \"{QUESTION_BANK[3]}\" and record it",
                              step=Step("feedback.add", {"asked": ""})))
    for rank, item in enumerate(stale[:2], start=len(actions)):
        step = Step("feedback.update", {"_": str(item.id), "shown_by": "ID"})
        actions.append(action("feedback", status, f"Act on \"{item.open_follow_up}\" "
                              f"({item.who}, {item.date}) and link the entry that shows it",
                              rank=rank, step=step))
    return Factor(id="feedback", status=status, detail=detail, evidence=evidence), actions


def expectations(ctx: Context) -> Rule:
    role = [e for e in ctx.data.expectations if e.kind != "business-need"]
    fresh = [e for e in role
             if not is_stale(e.date, today=ctx.today, days=ctx.th.expectations_days)]
    critical = [e for e in fresh if e.kind == "critical-task"]
    need, days = ctx.th.critical_tasks, ctx.th.expectations_days
    status: Status = ("missing" if not role else
                      "met" if fresh and len(critical) >= need else "partial")
    latest = f"last agreed on {role[0].date}" if role else "none recorded"
    detail = (f"{len(fresh)} expectations agreed in the last {days} days ({latest}); "
              f"{len(critical)} of {need} critical tasks known")
    evidence = [e.id for e in fresh]
    if status == "met":
        return Factor(id="expectations", status=status, detail=detail, evidence=evidence), []
    step: Step | None = None
    if not role:
        text = (f"Ask {ctx.manager} what success in your role looks like and which {need} tasks "
                "are most critical; record them")
        step = Step("expect.add", {"kind": "critical-task"})
    elif not fresh:
        text = (f"Your expectations were {latest}: review them with {ctx.manager} in your "
                "next 1:1")
    else:
        text = f"Ask {ctx.manager}: \"{QUESTION_BANK[5]}\" ({len(critical)} of {need} recorded)"
    return Factor(id="expectations", status=status, detail=detail, evidence=evidence), \
        [action("expectations", status, text, step=step)]


def checkin(ctx: Context) -> Rule:
    items = [c for c in ctx.data.checkins if c.date >= ctx.start]
    if not items:
        detail = f"no self check-in in the last {ctx.th.window_months} months"
        text = "Take the self check-in and repeat it every two weeks"
        return Factor(id="checkin", status="missing", detail=detail), \
            [action("checkin", "missing", text, step=Step("checkin"))]
    latest, first = items[-1], items[0]
    falling = len(items) > 1 and latest.average < items[-2].average
    recent = latest.date >= ctx.days_ago(ctx.th.checkin_days)
    status: Status = "met" if len(items) >= 2 and recent and not falling else "partial"
    detail = (f"{len(items)} check-in(s) since {first.date}; average {first.average:.1f} -> "
              f"{latest.average:.1f}, last on {latest.date}")
    evidence = [c.id for c in items]
    if status == "met":
        return Factor(id="checkin", status=status, detail=detail, evidence=evidence), []
    step: Step | None = None
    if falling:
        low = sorted(latest.scores, key=lambda q: (latest.scores[q], q))[:2]
        text = (f"Your check-in fell to {latest.average:.1f}, lowest on {', '.join(low)}: ask "
                f"{ctx.manager} for one example and one thing to change")
    else:
        text = f"Your last check-in was on {latest.date}: take one this week"
        step = Step("checkin")
    return Factor(id="checkin", status=status, detail=detail, evidence=evidence), \
        [action("checkin", status, text, step=step)]
