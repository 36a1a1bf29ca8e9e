"""`levelup opportunities` and `levelup opportunity add|list|done`, on both databases."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from levelup.cli.common import Env
from levelup.domain.models import Profile
from levelup.domain.pareto import WorkHours
from levelup.services.opportunities import oncall_load
from levelup.store.people import save_profile
from tests.conftest import invoke
from tests.oncall_support import FIXTURES, run_json

HEADER = "id,description,service_name,created_on,resolved_on,assigned_to_user_names,urgency\n"


def _import_fixtures(env: Env) -> None:
    for name in ("pagerduty.csv", "pagerduty-page1.json", "pagerduty-page2.json",
                 "opsgenie.csv"):
        assert invoke(env, "import", "incidents", str(FIXTURES / name),
                      "--skip-bad").exit_code == 0


def test_the_pareto_in_json_is_largest_first_with_the_vital_few(env: Env) -> None:
    _import_fixtures(env)
    report = run_json(env, "opportunities")
    problems = report["problems"]
    assert [p["key"] for p in problems[:2]] == ["disk full on db-*", "cpu high on web-*"]
    disk = problems[0]
    assert set(disk) == {"key", "example_title", "count", "share", "cumulative_share",
                         "off_hours", "toil_hours"}
    assert disk["count"] == 7 and disk["share"] == pytest.approx(7 / 13, abs=1e-4)
    assert problems[-1]["cumulative_share"] == pytest.approx(1.0)
    # 02:14 Mon, 04:45 Wed, 13:10 Sun (PagerDuty), 03:12 Mon, 22:40 Sat (JSON), 02:10 (Opsgenie)
    assert disk["off_hours"] == 6
    assert disk["toil_hours"] == pytest.approx(47.5 / 60 + 0.5 + 1.5 + 0.5 + 1 + 0.5 + 40 / 60,
                                               abs=0.01)
    # 7 + 3 of 13 pages is 77%: the vital few need the next (ties by key) to reach 80%.
    assert report["vital_few"] == [p["key"] for p in problems[:3]]
    assert problems[2]["key"] == "certificate for api.example.com expires in * days"
    assert sum(w["count"] for w in report["weekly"]) == 13
    assert report["weekly"][0]["week"] == "2026-09-07"


def test_by_service_and_a_period(env: Env) -> None:
    _import_fixtures(env)
    report = run_json(env, "opportunities", "--by", "service", "--since", "2026-10-01",
                      "--until", "2026-10-12")
    assert {p["key"]: p["count"] for p in report["problems"]} == {
        "Orders DB": 2, "Storefront": 1, "orders-db": 1, "storefront": 1}
    assert invoke(env, "opportunities", "--by", "colour").exit_code == 2


def test_the_table_marks_the_vital_few_and_writes_charts(env: Env, tmp_path: Path) -> None:
    _import_fixtures(env)
    chart, trend = tmp_path / "pareto.svg", tmp_path / "weeks.svg"
    result = invoke(env, "opportunities", "--chart", str(chart), "--trend-chart", str(trend),
                    "--me", "Ada Lovelace")
    assert result.exit_code == 0, result.output
    assert "* disk full on db-*" in result.stdout
    assert "vital few: 3 of 5 problems" in result.stdout
    assert "pages per week" in result.stdout
    assert "your on-call load (Ada Lovelace): 6 pages" in result.stdout
    assert chart.read_text().startswith("<svg") and "polyline" in chart.read_text()
    assert "2026-09-07" in trend.read_text()


def test_the_users_on_call_load_comes_from_the_profile_name(env: Env) -> None:
    _import_fixtures(env)
    with env.ctx.begin() as conn:
        save_profile(conn, profile=Profile(name="Grace Hopper", level="L3", target_level="L4"))
    oncall = run_json(env, "opportunities")["oncall"]
    assert (oncall["person"], oncall["pages"]) == ("Grace Hopper", 5)
    assert oncall["off_hours"] == 1  # 2026-09-16 04:45, shared with Ada
    with env.ctx.read() as conn:
        load = oncall_load(conn, person=["ada lovelace", "ada@example.com"],
                           since=date(2026, 10, 1), until=None, hours=WorkHours(0, 24))
    assert (load.pages, load.off_hours) == (3, 1)  # only Saturday's page is off-hours


def _pages(path: Path, fix: date) -> Path:
    """Six disk pages a week for 10 weeks before ``fix``, five in the 8 weeks after."""
    lines = [HEADER]
    start = datetime.combine(fix, datetime.min.time()) - timedelta(weeks=10)
    for n in range(60):
        at = start + timedelta(hours=28 * n)
        lines.append(f"D{n},Disk full on db-{n % 7},DB,{at:%Y-%m-%dT%H:%M:%S},,Ada,high\n")
    for n, days in enumerate((2, 9, 30, 44, 58)):
        at = datetime.combine(fix, datetime.min.time()) + timedelta(days=days)
        lines.append(f"A{n},Disk full on db-{n},DB,{at:%Y-%m-%dT%H:%M:%S},,Ada,high\n")
    path.write_text("".join(lines))
    return path


def test_a_done_fix_gets_its_page_rate_and_later_imports_refresh_it(
    env: Env, tmp_path: Path
) -> None:
    fix = date(2026, 9, 1)
    data = _pages(tmp_path / "pages.csv", fix)
    before_fix = tmp_path / "early.csv"
    # First only the data up to 3 weeks after the fix.
    cut = [line for line in data.read_text().splitlines(keepends=True)
           if line == HEADER or line.split(",")[3] < "2026-09-23"]
    before_fix.write_text("".join(cut))
    assert invoke(env, "import", "incidents", str(before_fix)).exit_code == 0
    added = run_json(env, "opportunity", "add", "Auto-grow DB volumes", "--kind", "support-cost",
                     "--problem", "disk full on db-*", "--hypothesis", "disk pages go away")
    entry = int(invoke(env, "log", "Auto-grow volumes", "-d", "2026-09-01", "-k", "prevention",
                       "-q").stdout)
    done = run_json(env, "opportunity", "done", str(added["id"]), "--entry", str(entry))
    assert (done["status"], done["done_entry_id"], done["done_on"]) == ("done", entry,
                                                                        "2026-09-01")
    # Data ends 2026-09-10: one whole week after the fix day, so 1 week each side.
    assert done["measured"]["weeks"] == 1
    assert done["measured"]["metric"] == {"name": "pages/week for 'disk full on db-*'",
                                          "baseline": 6.0, "result": 1.0, "unit": ""}
    assert invoke(env, "import", "incidents", str(data)).exit_code == 0
    shown = run_json(env, "show", str(entry))
    assert [m for m in shown["metrics"] if m["name"].startswith("pages/week")] == [
        {"name": "pages/week for 'disk full on db-*'", "baseline": 6.0, "result": 0.5,
         "unit": "", "better": "lower"}]
    # now 8 weeks each side: 48 pages before, 4 after (day 58 is outside)
    listed = run_json(env, "opportunity", "list")
    assert [(o["id"], o["status"], o["kind"]) for o in listed] == [
        (added["id"], "done", "support-cost")]


def test_backlog_validation_and_a_fix_without_enough_data(env: Env) -> None:
    bad = invoke(env, "opportunity", "add", "x", "--kind", "suport")
    assert bad.exit_code == 2 and "support-cost" in bad.output
    assert invoke(env, "import", "incidents", str(FIXTURES / "custom.csv"), "--map",
                  "id=Ticket,created=Opened,resolved=Closed,service=App").exit_code == 0
    item = run_json(env, "opportunity", "add", "Retry budget", "--kind", "quality",
                    "--problem", "cpu high on web-*")
    entry = int(invoke(env, "log", "Added retry budget", "-q").stdout)
    done = run_json(env, "opportunity", "done", str(item["id"]), "--entry", str(entry))
    assert done["measured"]["metric"] is None and "not enough" in done["measured"]["note"]
    assert invoke(env, "opportunity", "done", "99", "--entry", str(entry)).exit_code == 2
    plain = invoke(env, "opportunity", "list")
    assert "[quality] Retry budget (problem: cpu high on web-*)" in plain.stdout


@pytest.mark.parametrize("command", [("opportunities",), ("opportunity", "add"),
                                     ("opportunity", "list"), ("opportunity", "done")])
def test_every_command_and_option_has_help(env: Env, command: tuple[str, ...]) -> None:
    from levelup.cli.main import command as root

    group = root()
    cmd = group
    for name in command:
        cmd = cmd.get_command(None, name)  # type: ignore[attr-defined, arg-type]
    assert cmd.help
    assert all(getattr(p, "help", None) for p in cmd.params
               if p.param_type_name == "option"), command


def test_charts_render_as_png_too(env: Env, tmp_path: Path) -> None:
    _import_fixtures(env)
    chart, trend = tmp_path / "pareto.png", tmp_path / "weeks.png"
    result = invoke(env, "opportunities", "--chart", str(chart), "--trend-chart", str(trend))
    assert result.exit_code == 0, result.output
    for path in (chart, trend):
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
        width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
        assert width > 100 and height > 100
