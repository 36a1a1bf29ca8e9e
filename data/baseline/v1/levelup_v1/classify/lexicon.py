"""Cue words for each label, written from the definitions in PRODUCT.md.

They seed the model as pseudo-examples so that a small labelled set is enough; each cue is
a plain word or a two-word phrase, stemmed like the statements themselves.
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
    "hack day book club talk talks meetup guild chapter practices handbook working agreement "
    "survey health check inclusion inclusive fair transparency opaque wellbeing burnout "
    "dread dreading remote offsite demo demos knowledge sharing tribal",
    "sla": "outage outages downtime uptime availability incident incidents latency p99 p95 "
    "error errors timeout timeouts slo slos sla error budget page pages paged pager on-call "
    "oncall alert alerts crash crashes failover failure failures failing restore recovery "
    "reliability reliable resilient backup backups rollback degraded 502 503 restart restarts "
    "dropped duplicate lost loss corrupted recovered",
    "kpi": "kpi metric metrics retention activation engagement adoption dashboard dashboards "
    "faster speed load time cycle lead frequency deployment deploys build builds pipeline ci "
    "lighthouse performance usage active users weekly monthly nps satisfaction tickets "
    "self-service bugs defects regressions regression accuracy click-through funnel",
    "people": "mentor mentored mentoring mentee mentees junior juniors graduate intern interns "
    "apprentice new hire hires joiner joiners onboarding onboard onboarded coach coached "
    "coaching promoted promotion growth grow career hiring hired hire interview interviewers "
    "interviews sponsor sponsored buddy stretch teach taught training workshop confident",
}

COMPETENCY_CUES: dict[str, str] = {
    "craft": "refactor refactored rewrote rewrite implemented implement code coding test tests "
    "testing debug debugged profiling profiled optimised optimized index indexes query queries "
    "algorithm cache caching bug fix fixed library framework migrate migrated upgrade upgraded "
    "typescript kotlin rust python java sql schema api endpoint model firmware driver build",
    "delivery": "shipped ship shipping delivered deliver delivery launched launch released "
    "release deadline ahead schedule sprint scope scoped milestone finished completed mvp "
    "on time rollout plan planning",
    "ownership": "owned own ownership took over nobody noticed on-call oncall paged page "
    "incident firefighting prevention prevent after the outage fixed it follow through "
    "unowned abandoned weekend midnight restored rotated cleaned cleanup triaged",
    "influence": "convinced persuaded championed pushed for adopted adoption drove drive "
    "advocated buy-in rfc standard standards default across teams org-wide got agreed",
    "mentoring": "mentored mentor mentee coached coach taught teach paired pairing junior "
    "juniors intern interns apprentice graduate grow growth sponsored sponsor buddy onboarding "
    "workshop promotion career 1:1s feedback",
    "communication": "wrote write documented documentation docs doc readme guide runbook "
    "runbooks presented presentation talk postmortem update updates notes newsletter "
    "changelog explained blog announced write-up published shared video videos",
    "strategy": "strategy roadmap proposal proposed priorities prioritised reprioritised "
    "evaluated compared comparison vision long-term north star decision tradeoff trade-off "
    "cost model capacity plan quarter direction bet investment defined model",
    "collaboration": "with the together partnered paired helped help unblocked colleague "
    "colleagues teammate teammates cross-team other team vendor design product sales legal "
    "finance support marketing joined call calls coordinated",
}
