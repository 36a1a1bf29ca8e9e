"""Cue words for each label, written from the definitions in PRODUCT.md.

Each label's cues found in a statement become one feature of it (``vectors.py``), whose weight
the model learns. A cue is a word, or a phrase joined by ``_`` that matches only as a phrase
(``working_agreement`` is the pair of stems 'work|agreement', never 'worked' alone).
"""

from __future__ import annotations

OUTCOME_CUES: dict[str, str] = {
    "safety": "security secure vulnerability vulnerabilities cve attack attacker attackers exploit "
    "injection xss csrf ssrf phishing breach leak leaked leaked secret secrets credential "
    "credentials password passwords encryption encrypt mfa permission permissions access "
    "audit compliance gdpr privacy personal pentest threat soc malware tamper signed revoke "
    "revoked takeover takeovers harmful toxicity overheat safety safe vault iam keys",
    "revenue": "revenue revenues sales sale sell deal deals contract contracts customer-paid "
    "conversion conversions upsell pricing paid paying purchase purchases checkout prospect "
    "prospects enterprise renewal renewals churn signups sign-ups sign-up signup market "
    "launch monetise monetize subscription subscriptions orders buyers sellers premium arr mrr "
    "trial trials referral referrals",
    "profit": "cost costs saving savings save saved spend spending bill bills invoice budget "
    "cheaper cheap expensive aws credits instances spot rightsized idle unused licence "
    "licenses license seats hours manual toil efficiency freeing freed storage per-unit",
    "culture": "culture team's morale values rituals retro retros blameless postmortem "
    "hack_day book_club talk talks meetup guild chapter practices handbook working_agreement "
    "working_agreements survey health_check inclusion inclusive fair transparency opaque "
    "wellbeing burnout "
    "dread dreading remote offsite demo demos hiring hired hire interview interviewers "
    "interviews candidates recruiting onboarding onboard onboarded new_joiners new_hires focus",
    "sla": "outage outages downtime uptime availability incident incidents latency p99 p95 "
    "error errors timeout timeouts slo slos sla error_budget page_load pages paged pager on-call "
    "oncall alert alerts crash crashes failover failure failures failing restore recovery "
    "reliability reliable resilient backup backups rollback degraded 502 503 restart restarts "
    "dropped duplicate lost loss corrupted recovered",
    "kpi": "kpi retention activation engagement adoption adopted usability accessibility "
    "cycle_time lead_time deployment_frequency build_time builds pipeline ci coverage flaky "
    "lighthouse usage active_users nps satisfaction self-service defects regressions "
    "accuracy click-through",
    "people": "mentor mentored mentoring mentee mentees junior juniors graduate intern interns "
    "apprentice coach coached coaching promoted promotion growth grow career sponsor sponsored "
    "stretch teach taught training workshop confident knowledge_sharing tribal_knowledge "
    "single_point bus_factor handover handed_over on_their_own",
}

COMPETENCY_CUES: dict[str, str] = {
    "craft": "refactor refactored rewrote rewrite implemented implement code coding test tests "
    "testing debug debugged profiling profiled optimised optimized index indexes query queries "
    "algorithm cache caching bug fix fixed library framework migrate migrated upgrade upgraded "
    "typescript kotlin rust python java sql schema api endpoint model firmware driver build",
    "delivery": "shipped ship shipping delivered deliver delivery launched launch released "
    "release deadline ahead_of_schedule sprint scope scoped milestone finished completed mvp "
    "rollout planning",
    "ownership": "owned own ownership took_over nobody_noticed nobody_owned on-call oncall paged "
    "incident firefighting prevention prevent follow_through unowned abandoned weekend "
    "midnight restored rotated cleaned cleanup triaged root_cause",
    "influence": "convinced persuaded championed pushed_for adopted adoption drove "
    "advocated buy-in rfc standard standards across_teams org-wide agreed agreement",
    "mentoring": "mentored mentor mentee coached coach taught teach paired pairing junior "
    "juniors intern interns apprentice graduate grow growth sponsored sponsor buddy onboarding "
    "workshop promotion career 1:1s feedback",
    "communication": "wrote write documented documentation docs doc readme guide runbook "
    "runbooks presented presentation talk postmortem update updates notes newsletter "
    "changelog explained blog announced write-up published shared video videos",
    "strategy": "strategy roadmap proposal proposed priorities prioritised reprioritised "
    "evaluated compared comparison vision long-term north star decision tradeoff trade-off "
    "cost model capacity plan quarter direction bet investment defined model",
    "collaboration": "together partnered paired helped help unblocked colleague "
    "colleagues teammate teammates cross-team other_team vendor product sales legal "
    "finance support marketing joined call calls coordinated",
}
