"""Never invent: a number appears in a report only if it was recorded (dates and the templates'
own wording aside), whatever numbers the ledger holds."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from levelup.cli.common import Env
from levelup.domain.metrics import display_metric, format_number
from levelup.domain.models import Metric
from levelup.reports.documents import ladder_expectations
from levelup.reports.model import KINDS
from levelup.reports.render import PACKAGE_TEMPLATES
from levelup.services import reports as service
from levelup.settings import load
from levelup.store.people import get_profile
from tests import factories as f

NUMBER = re.compile(r"\d+(?:\.\d+)?")
NOT_FACTS = re.compile(r"\d{4}-\d{2}-\d{2}|\d{4}-Q\d|\d{4}-\d{2}|#\d+|<svg.*?</svg>", re.S)


def numbers(text: str) -> set[str]:
    return set(NUMBER.findall(NOT_FACTS.sub(" ", text)))


@pytest.fixture(scope="module")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty SQLite ledger to copy for each example."""
    path = tmp_path_factory.mktemp("ledger") / "ledger.db"
    env = Env(settings=load(environ={}, home=path.parent, database_url=f"sqlite:///{path}"))
    env.ctx.engine().dispose()
    return path


def fresh_env(template: Path) -> Iterator[Env]:
    folder = Path(tempfile.mkdtemp())
    shutil.copyfile(template, folder / "ledger.db")
    env = Env(settings=load(environ={}, home=folder, database_url=f"sqlite:///{folder}/ledger.db"),
              today=f.TODAY)
    yield env
    env.ctx.engine().dispose()
    shutil.rmtree(folder)


values = st.one_of(st.integers(0, 10**6).map(float),
                   st.decimals(0, 10**4, places=2).map(float))
words = st.text(alphabet="abcdefgh 0123456789", min_size=1, max_size=20).map(str.strip).filter(
    bool)
recorded = st.lists(st.tuples(words, values, st.none() | values, st.integers(0, 60),
                              st.sampled_from(["win", "prevention", "invisible", "incident"])),
                    min_size=1, max_size=8)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=recorded)
def test_every_number_in_a_report_was_recorded(template_db: Path,
                                               rows: list[tuple[str, float, float | None, int,
                                                                str]]) -> None:
    for env in fresh_env(template_db):
        allowed = set(numbers(" ".join(p.read_text() for p in PACKAGE_TEMPLATES.glob("*.j2"))))
        with env.ctx.begin() as conn:
            made = f.ledger(conn)
            for i, (title, result, baseline, age, kind) in enumerate(rows):
                metric = Metric(name=f"m {title}", result=result, baseline=baseline, unit="ms")
                made[f"row {i}"] = f.entry(conn, f"Did {title}", day=f.days_ago(age), kind=kind,
                                      competencies=("craft",), outcomes=("kpi",),
                                      metrics=(metric,), details=title)
            profile = get_profile(conn)
        allowed |= numbers(f"{profile.level} {profile.target_level}")
        allowed |= numbers(str(ladder_expectations(profile, env.settings.home)))
        for entry in made.values():
            allowed |= numbers(entry.title + entry.details)
            allowed |= {format_number(v) for m in entry.metrics for v in (m.result, m.baseline)
                        if v is not None} | numbers(" ".join(m.name for m in entry.metrics))
            # Computed from those: the change (a percentage) and the short display (12k).
            allowed |= numbers(" ".join(display_metric(m) for m in entry.metrics))
        for kind in KINDS:
            report = service.build_report(env.ctx, kind=kind)
            for fmt in ("md", "html"):
                text = unescape(str(service.render_report(env.ctx, report=report, fmt=fmt).data))
                invented = numbers(text) - allowed
                assert not invented, f"{kind}.{fmt} shows {invented} nobody recorded"
