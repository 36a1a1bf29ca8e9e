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

# The story of the anchor entries, by title: context, why it mattered, what Sam did (their own
# part), the result now and later, and what it prevented. A part left out was not recorded.
STORIES: dict[str, dict[str, str]] = {
    "Cut checkout p99 latency by batching price lookups": {
        "context": "Checkout p99 sat at 900 ms with peak season eight weeks away.",
        "why": "Checkout is the step where slow pages cost the most abandoned carts.",
        "did": "I profiled the path, found the 14 sequential price calls and wrote the batch "
               "endpoint and its rollout plan.",
        "result_now": "p99 fell from 900 to 280 ms, under the 300 ms target.",
        "result_later": "Checkout held its latency target through the peak-season sale.",
        "prevented": "A slow checkout during the sale, when traffic triples.",
    },
    "Moved card payments to the new provider with zero downtime": {
        "context": "Card payments had to move to a new provider without stopping sales.",
        "why": "The new provider charges lower fees on every card payment.",
        "did": "I designed the parallel run behind a flag and led the region-by-region switch.",
        "result_now": "Payment fees went from 2.9 to 2.4 % with no downtime.",
        "result_later": "The old provider's contract could end on schedule.",
        "prevented": "A big-bang cut-over and the outage risk that came with it.",
    },
    "Shipped typo-tolerant product search for mobile": {
        "context": "Mobile users often misspell product names on small keyboards.",
        "why": "A search that finds nothing sends the customer away.",
        "did": "I built the typo-tolerant matching and tuned it with the search team.",
        "result_now": "Search exits fell from 31 to 22 %.",
    },
    "Rewrote the payments alerts around customer impact": {
        "context": "The payments rotation was paged for CPU spikes customers never noticed.",
        "why": "Noisy pages burn out on-call engineers and hide the real failures.",
        "did": "I rewrote every payments alert to fire on failed payments instead of CPU.",
        "result_now": "Pages per week went from 24 to 9.",
        "result_later": "The rotation is sustainable, one of the critical tasks agreed with "
                        "Dana.",
    },
    "Automated the disk clean-up on the ledger databases": {
        "context": "Disk-full pages on the ledger databases were the rotation's most frequent.",
        "why": "Each one woke an engineer for a manual clean-up.",
        "did": "I wrote and scheduled the clean-up job and its safety checks.",
        "result_now": "The disk-full page no longer needs a human.",
    },
    "Wrote the first-week guide for new backend engineers": {
        "context": "New backend engineers took over a week to make their first deploy.",
        "why": "Faster onboarding means new hires add value sooner.",
        "did": "I wrote the guide and walked the first two new hires through it.",
        "result_now": "Days to first deploy went from 9 to 3.",
        "result_later": "Two new hires shipped to production in their first week.",
    },
    "Cut search index build time for the nightly job": {
        "context": "The nightly search index build ran into the morning peak.",
        "why": "Stale prices in search confuse customers and support.",
        "did": "I parallelised the build and dropped unused fields from the index.",
        "result_now": "The index build went from 95 to 35 min.",
        "prevented": "Yesterday's prices showing in search during the morning peak.",
    },
    "Mitigated a payment outage caused by an expired certificate": {
        "context": "An expired certificate broke card payments with the new provider.",
        "why": "Every minute of the outage was lost sales.",
        "did": "I rolled traffic back to the old provider and confirmed payments recovered.",
        "result_now": "The outage lasted 12 minutes.",
    },
    "Added a weekly latency report for the checkout team": {
        "context": "Checkout latency was checked only when someone complained.",
        "why": "A regression caught in a week is cheaper than one found by customers.",
        "did": "I wrote the report job and the dashboard it links to.",
        "result_now": "The checkout team reviews p99 every Monday.",
    },
    "Removed the last card-payment calls to the old provider": {
        "context": "A few batch jobs still called the old payment provider.",
        "why": "The old provider's contract ends this quarter.",
        "did": "I found the remaining calls and moved each job to the new provider.",
        "result_now": "No job calls the old provider any more.",
        "prevented": "Failed batch payments on the day the old contract ends.",
    },
}

# Recent wins, so the showcase weekly has something to say on any weekday:
# (days after this week's Monday, template); the weekly covers last week until Wednesday.
RECENT: list[tuple[int, Template]] = [
    (-6, ("win", "checkout-latency", "Added a weekly latency report for the checkout team",
          "Latency regressions show up within a week.", ["sla"], ["ownership", "craft"], [])),
    (0, ("win", "payments-migration", "Removed the last card-payment calls to the old provider",
         "The migration is complete.", ["profit"], ["delivery", "ownership"], [])),
]
