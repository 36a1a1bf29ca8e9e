"""What the demo ledger is made of: half a year in the work of a mid-level backend engineer.

Written for levelup; every name and event is fictional.
"""

from __future__ import annotations

PROFILE = {"name": "Sam Rivera", "level": "L3", "target_level": "L4", "manager": "Dana Kim"}

STAKEHOLDERS = [
    ("Dana Kim", "manager", True),
    ("Priya Natarajan", "skip-level", True),
    ("Engineering promotion committee", "promotion-committee", True),
    ("Marcus Webb", "peer", False),
    ("Lena Ortiz", "partner", False),
    ("Tom Becker", "mentee", False),
    ("Jo Chen", "customer", False),
]

PROJECTS = [
    {"name": "checkout-latency", "goal": "Bring checkout p99 under 300 ms before peak season",
     "role": "Technical lead", "stretch": True, "stakeholders": ["Dana Kim", "Lena Ortiz"],
     "status": "done", "outcome": "p99 under 300 ms for the whole peak season",
     "went_well": "Weekly latency reviews kept the team honest",
     "to_improve": "Load tests came late; start them in week one",
     "lessons": "Profile before optimising; the database was not the bottleneck"},
    {"name": "oncall-redesign", "goal": "Fewer, more actionable pages for the payments rotation",
     "role": "Owner", "stretch": True, "stakeholders": ["Priya Natarajan", "Marcus Webb"],
     "status": "active"},
    {"name": "search-relevance", "goal": "Better product search ranking for mobile users",
     "role": "Contributor", "stakeholders": ["Lena Ortiz"], "status": "active"},
    {"name": "payments-migration", "goal": "Move card payments to the new provider",
     "role": "Backend owner", "stakeholders": ["Dana Kim", "Jo Chen"], "status": "done"},
    {"name": "onboarding", "goal": "New engineers ship in their first week",
     "role": "Organiser", "stakeholders": ["Tom Becker"], "status": "active"},
]

# (kind, project, title, details, outcomes, competencies, metrics)
Template = tuple[str, str | None, str, str, list[str], list[str], list[str]]

WINS: list[Template] = [
    ("win", "checkout-latency", "Cut checkout p99 latency by batching price lookups",
     "Profiled the checkout path and replaced 14 sequential price calls with one batch call, "
     "so customers wait less at the most valuable step of the funnel.", ["sla", "revenue"],
     ["craft", "delivery"], ["p99 latency: 900 -> 280 ms"]),
    ("win", "checkout-latency", "Added a latency budget to every checkout endpoint",
     "Budgets fail the build when an endpoint regresses, so the gains stay.", ["sla"],
     ["ownership", "craft"], []),
    ("win", "payments-migration", "Moved card payments to the new provider with zero downtime",
     "Ran both providers in parallel behind a flag and switched region by region.",
     ["revenue", "profit"], ["delivery", "ownership"], ["payment fees: 2.9 -> 2.4 %"]),
    ("win", "payments-migration", "Reconciled three years of refunds before the cut-over",
     "Finance could close the quarter on time.", ["profit"], ["ownership"], []),
    ("win", "search-relevance", "Shipped typo-tolerant product search for mobile",
     "Mobile users who misspell a product now find it.", ["revenue", "kpi"],
     ["craft", "collaboration"], ["search exits: 31 -> 22 %"]),
    ("win", "oncall-redesign", "Rewrote the payments alerts around customer impact",
     "Alerts now fire on failed payments, not on CPU.", ["sla", "culture"],
     ["ownership", "strategy"], ["pages per week: 24 -> 9"]),
    ("win", "oncall-redesign", "Automated the disk clean-up on the ledger databases",
     "The most frequent page of the rotation no longer needs a human.", ["sla", "culture"],
     ["craft", "ownership"], []),
    ("win", "onboarding", "Wrote the first-week guide for new backend engineers",
     "Two new hires shipped to production in their first week.", ["people"],
     ["mentoring", "communication"], ["days to first deploy: 9 -> 3"]),
    ("win", None, "Led the design review for idempotent payment retries",
     "Brought payments, risk and support to one design.", ["safety"],
     ["influence", "communication"], []),
    ("win", "search-relevance", "Cut search index build time for the nightly job",
     "Fresh prices reach search before the morning peak.", ["kpi"], ["craft"],
     ["index build: 95 -> 35 min"]),
    ("win", None, "Presented the checkout latency results at the engineering all-hands",
     "", ["culture"], ["communication", "influence"], []),
    ("win", "payments-migration", "Negotiated the retry policy with the provider's engineers",
     "Agreed limits that keep us inside their fair-use terms.", ["safety"],
     ["collaboration", "influence"], []),
    ("win", None, "Did some improvements to the services", "", [], ["craft"], []),
]

INVISIBLE: list[Template] = [
    ("invisible", None, "Spent a day tracing a flaky integration test for the mobile team",
     "Found a shared fixture leaking state; their pipeline is green again.", ["culture"],
     ["collaboration"], []),
    ("invisible", "oncall-redesign", "Answered support's questions about failed refunds",
     "", ["sla"], ["collaboration"], []),
    ("invisible", None, "Reviewed 12 pull requests for the search team during their crunch",
     "", ["culture"], ["collaboration"], []),
    ("invisible", None, "Cleaned up the staging database so QA could run the full suite",
     "", [], ["ownership"], []),
    ("invisible", "payments-migration", "Wrote the runbook for provider outages",
     "On-call can now switch providers without me.", ["safety", "sla"],
     ["ownership", "communication"], []),
]

LEARNING: list[Template] = [
    ("learning", "checkout-latency", "Learned continuous profiling with eBPF tools",
     "Used it the same month to find the price lookup bottleneck.", [], ["craft"], []),
    ("learning", None, "Completed the internal course on writing design documents",
     "", [], ["communication"], []),
    ("learning", "search-relevance", "Studied learning-to-rank papers with the search team",
     "", [], ["strategy"], []),
]

INCIDENTS: list[Template] = [
    ("incident", "payments-migration",
     "Mitigated a payment outage caused by an expired certificate",
     "Rolled traffic to the old provider in 12 minutes.", ["sla", "revenue"],
     ["ownership"], ["outage: 40 -> 12 min"]),
    ("incident", None, "Handled a night page for a full disk on the ledger database",
     "", ["sla"], ["ownership"], []),
    ("incident", "checkout-latency", "Rolled back a cache change that slowed checkout",
     "", ["sla"], ["ownership"], []),
]

PREVENTION: list[Template] = [
    ("prevention", "payments-migration", "Added certificate expiry alerts 30 days ahead",
     "The outage we had in spring cannot recur silently.", ["safety", "sla"],
     ["ownership", "craft"], []),
    ("prevention", "oncall-redesign", "Added load-shedding to the checkout gateway",
     "Peak traffic now degrades gracefully instead of failing.", ["sla"],
     ["craft", "strategy"], []),
    ("prevention", None, "Wrote the post-incident review for the cache rollback",
     "Action items: canary for cache changes, owner per cache.", ["safety"],
     ["communication", "ownership"], []),
]

MENTORING: list[Template] = [
    ("mentoring", "onboarding", "Paired with Tom on his first production change",
     "", ["people"], ["mentoring"], []),
    ("mentoring", None, "Coached Tom through his first design document",
     "He presented it himself at the design review.", ["people"], ["mentoring"], []),
    ("mentoring", "oncall-redesign", "Handed the payments runbook over to Marcus",
     "Marcus now leads the rotation's weekly review, a step towards covering my role.",
     ["people"], ["mentoring", "ownership"], []),
    ("mentoring", None, "Ran a lunch-and-learn on profiling for six engineers",
     "", ["people", "culture"], ["mentoring", "communication"], []),
]

PLANS = [
    "Present the on-call redesign at the architecture review",
    "Ask Priya for feedback on the payments migration write-up",
    "Finish the search ranking experiment design",
]

EXPECTATIONS = [
    ("responsibility", "Own the reliability of the checkout and payments services", "Dana Kim",
     160),
    ("critical-task", "Keep checkout p99 under 300 ms through peak season", "Dana Kim", 60),
    ("critical-task", "Make the payments on-call rotation sustainable", "Dana Kim", 60),
    ("critical-task", "Grow a second engineer who can lead payments work", "Dana Kim", 60),
    ("success-definition", "Senior engineers set technical direction for their area and "
     "others follow it", "Dana Kim", 45),
    ("kpi", "Payment success rate at or above 99.5 %", "Priya Natarajan", 150),
]

FEEDBACK = [
    ("Dana Kim", "positive", "The latency work was thorough and well communicated.", "craft",
     True, "", 120),
    ("Priya Natarajan", "constructive", "Bring other teams in earlier; the retry design "
     "surprised risk.", "influence", True, "Share design drafts with partner teams in week one",
     90),
    ("Marcus Webb", "positive", "The runbook saved me during the certificate outage.",
     "ownership", False, "", 70),
    ("Lena Ortiz", "constructive", "Status updates were hard to follow for non-engineers.",
     "communication", True, "Write weekly updates in terms of customer impact", 50),
    ("Tom Becker", "positive", "Pairing sessions made my first month much easier.", "mentoring",
     False, "", 30),
    ("Dana Kim", "constructive", "Let others answer first in design reviews.", "influence",
     True, "Ask two questions before proposing a solution", 75),
]

TESTIMONIALS = {
    "Cut checkout p99 latency by batching price lookups": (
        "Checkout felt instant during the sale; that was Sam's work.", "Lena Ortiz"),
    "Wrote the runbook for provider outages": (
        "I fixed the outage at 3am with Sam's runbook, without waking anyone.", "Marcus Webb"),
}

# Recurring pages of the payments rotation: (title pattern, service, share of pages).
PAGES = [
    ("Disk full on ledger-db-{n}", "ledger-db", 0.34),
    ("CPU high on payments-api-{n}", "payments-api", 0.22),
    ("Provider timeout rate above 5% in region eu-{n}", "payments-api", 0.16),
    ("Checkout p99 above 800ms", "checkout", 0.12),
    ("Certificate expires in {n} days on gateway", "gateway", 0.06),
    ("Queue depth high on refunds-worker-{n}", "refunds", 0.06),
    ("Search index build failed", "search", 0.04),
]
