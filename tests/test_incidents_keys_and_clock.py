"""`levelup import incidents`: one day order per file, pages that share an id, the clock pages
are judged on, `--map` columns that do not exist, and backlog problem keys."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from levelup.cli.common import Env
from levelup.domain.models import Incident
from levelup.store import tables as t
from levelup.store.incidents import upsert_incidents
from tests.conftest import invoke
from tests.oncall_support import FIXTURES, run_json

MAP = "id=Ticket,created=Opened,title=Summary"
Zone = Callable[[str], None]


def _stored(env: Env) -> list[tuple[str, str, datetime]]:
    with env.ctx.read() as conn:
        rows = conn.execute(select(t.incidents.c.source, t.incidents.c.source_id,
                                   t.incidents.c.created).order_by(t.incidents.c.created))
        return [(r[0], r[1], r[2]) for r in rows]


def _csv(path: Path, *rows: str, header: str = "Ticket,Opened,Summary") -> str:
    path.write_text("\n".join((header, *rows)) + "\n")
    return str(path)


def test_a_day_first_file_reads_day_first_throughout(env: Env, tmp_path: Path) -> None:
    path = _csv(tmp_path / "d.csv", "INC-1,03/04/2026 10:00,Disk full on db-1",
                "INC-2,13/04/2026 10:00,Disk full on db-2", "INC-3,12/04/2026 02:00,Disk full")
    summary = run_json(env, "import", "incidents", path, "--map", MAP)
    assert summary["new"] == 3
    assert [r[2] for r in _stored(env)] == [datetime(2026, 4, 3, 10), datetime(2026, 4, 12, 2),
                                           datetime(2026, 4, 13, 10)]


def test_dates_that_cannot_tell_their_order_need_date_format(env: Env, tmp_path: Path) -> None:
    path = _csv(tmp_path / "a.csv", "INC-1,2026-04-01T09:00:00,Disk full",
                "INC-2,03/04/2026 10:00,Disk full", "INC-3,05/04/2026,Disk full")
    result = invoke(env, "import", "incidents", path, "--map", MAP)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith(f"levelup: error: {path}:3: cannot tell whether "
                                    "'03/04/2026 10:00'"), result.output
    assert "--date-format %d/%m/%Y" in result.output and not _stored(env)
    assert run_json(env, "import", "incidents", path, "--map", MAP,
                    "--date-format", "%d/%m/%Y")["new"] == 3
    assert [r[2] for r in _stored(env)] == [datetime(2026, 4, 1, 9), datetime(2026, 4, 3, 10),
                                           datetime(2026, 4, 5)]


def test_a_file_showing_both_day_orders_is_refused(env: Env, tmp_path: Path) -> None:
    path = _csv(tmp_path / "m.csv", "INC-1,13/04/2026,Disk full", "INC-2,04/14/2026,Disk full")
    result = invoke(env, "import", "incidents", path, "--map", MAP)
    assert result.exit_code == 2
    assert f"{path}:3: this file has dates day first ('13/04/2026')" in result.output


def test_recurring_opsgenie_alerts_sharing_an_alias_stay_separate_pages(
    env: Env, tmp_path: Path
) -> None:
    header = "Alias,Message,Status,CreatedAt,Priority,Owner,Entity"
    path = _csv(tmp_path / "og.csv", *(f"disk-db-04,Disk full on db-04,closed,{at},P1,ada,db"
                                       for at in ("2026-10-12 02:10:00", "2026-10-19 03:40:00",
                                                  "2026-10-26 04:05:00")), header=header)
    first = run_json(env, "import", "incidents", path)
    assert (first["new"], first["unchanged"], first["formats"]) == (3, 0, ["opsgenie-csv"])
    assert [r[1] for r in _stored(env)] == ["disk-db-04@2026-10-12T02:10:00",
                                           "disk-db-04@2026-10-19T03:40:00",
                                           "disk-db-04@2026-10-26T04:05:00"]
    assert run_json(env, "import", "incidents", path)["unchanged"] == 3


def test_a_repeated_id_in_one_file_is_listed_as_skipped(env: Env, tmp_path: Path) -> None:
    text = (FIXTURES / "pagerduty.csv").read_text().splitlines(keepends=True)
    path = tmp_path / "twice.csv"
    path.write_text("".join([*text, text[1].replace("Disk full on db-07", "Disk full again")]))
    summary = run_json(env, "import", "incidents", str(path), "--skip-bad")
    assert summary["new"] == 7 and summary["unchanged"] == 0
    assert summary["skipped"][-1] == {
        "where": f"{path}:{len(text) + 1}",
        "reason": "repeats the id 'PT4KHLK' of an earlier row; the first is kept"}


def test_mapped_csvs_from_two_tools_do_not_overwrite_each_other(
    env: Env, tmp_path: Path
) -> None:
    header = "id,created,title,service"
    team_a = _csv(tmp_path / "a.csv", "1,2026-10-01 10:00,Disk full on db-1,orders",
                  "2,2026-10-02 10:00,CPU high on web-1,web", header=header)
    team_b = _csv(tmp_path / "b.csv", "1,2026-11-05 03:00,Payment gateway timeout,payments",
                  "2,2026-11-06 04:00,Payment gateway timeout,payments", header=header)
    assert run_json(env, "import", "incidents", team_a)["new"] == 2
    assert run_json(env, "import", "incidents", team_b)["new"] == 2
    both = run_json(env, "import", "incidents", team_a, team_b)
    assert (both["new"], both["updated"], both["unchanged"]) == (0, 0, 4)
    assert len(_stored(env)) == 4


def test_a_key_repeated_in_one_batch_counts_once_each_never_as_unchanged(env: Env) -> None:
    def page(title: str) -> Incident:
        return Incident(source="custom", source_id="X1", created=datetime(2026, 10, 1, 9),
                        title=title)

    with env.ctx.begin() as conn:
        counts = upsert_incidents(conn, incidents=[page("Disk full"), page("CPU high")])
        again = upsert_incidents(conn, incidents=[page("CPU high"), page("CPU high")])
    assert (counts["new"], counts["updated"], counts["unchanged"]) == (1, 1, 0)
    assert again["unchanged"] == 2
    with env.ctx.read() as conn:
        assert conn.execute(select(t.incidents.c.title)).scalars().all() == ["CPU high"]


def _page_files(tmp_path: Path) -> tuple[str, str]:
    csv = _csv(tmp_path / "pd.csv",
               "PABC001,Disk full on db-01,Orders DB,2026-09-08T02:00:00-07:00,Ada,high",
               "PABC002,Disk full on db-02,Orders DB,2026-09-08T10:00:00-07:00,Ada,high",
               header="id,description,service_name,created_on,assigned_to_user_names,urgency")
    items = ",".join(
        f'{{"id": "PABC00{n}", "title": "Disk full on db-0{n}", "created_at": "{at}", '
        f'"urgency": "high", "service": {{"summary": "Orders DB"}}, '
        f'"assignments": [{{"assignee": {{"summary": "Ada"}}}}]}}'
        for n, at in ((1, "2026-09-08T09:00:00Z"), (2, "2026-09-08T17:00:00Z")))
    json_path = tmp_path / "pd.json"
    json_path.write_text(f'{{"incidents": [{items}], "more": false}}')
    return csv, str(json_path)


def test_utc_times_are_judged_on_the_machines_clock_whatever_the_format(
    env: Env, tmp_path: Path, machine_zone: Zone
) -> None:
    machine_zone("America/Los_Angeles")
    csv, json_path = _page_files(tmp_path)
    assert run_json(env, "import", "incidents", json_path)["new"] == 2
    assert [r[2] for r in _stored(env)] == [datetime(2026, 9, 8, 2), datetime(2026, 9, 8, 10)]
    for path in (csv, json_path, csv):
        summary = run_json(env, "import", "incidents", path)
        assert (summary["updated"], summary["unchanged"]) == (0, 2)
    report = run_json(env, "opportunities", "--me", "Ada")
    assert report["oncall"]["off_hours"] == 1  # 02:00 in Los Angeles, not 09:00 UTC


def test_epoch_times_and_the_timezone_option(
    env: Env, tmp_path: Path, machine_zone: Zone
) -> None:
    machine_zone("Europe/Paris")
    run_json(env, "import", "incidents", str(FIXTURES / "opsgenie.csv"))
    epoch = [r for r in _stored(env) if r[1] == "102"]
    assert epoch[0][2] == datetime(2026, 10, 12, 21, 0)  # 19:00 UTC, on a Paris clock
    csv, json_path = _page_files(tmp_path)
    run_json(env, "import", "incidents", json_path, "--timezone", "Asia/Tokyo")
    tokyo = [r[2] for r in _stored(env) if r[1].startswith("PABC")]
    assert tokyo == [datetime(2026, 9, 8, 18), datetime(2026, 9, 9, 2)]
    bad = invoke(env, "import", "incidents", csv, "--timezone", "Mars/Olympus")
    assert bad.exit_code == 2 and "unknown time zone 'Mars/Olympus'" in bad.output


def test_a_mapped_column_that_does_not_exist_is_named(env: Env, tmp_path: Path) -> None:
    path = _csv(tmp_path / "r4.csv", "INC-1,2026-10-01 10:00,Disk full,Long notes,orders",
                header="Ticket,Opened,Headline,Description,App")
    result = invoke(env, "import", "incidents", path, "--map",
                    "id=Ticket,created=Opened,title=Headlin,service=App", "--dry-run")
    assert result.exit_code == 2
    assert result.output.strip() == (
        f"levelup: error: {path}:1: --map title=Headlin: no such column "
        "(columns: Ticket, Opened, Headline, Description, App)")


@pytest.mark.parametrize("problem", ["disk full on db*", "Disk ful on db"])
def test_an_unknown_problem_key_is_refused_with_the_closest(env: Env, problem: str) -> None:
    result = invoke(env, "opportunity", "add", "Auto-grow", "--kind", "support-cost",
                    "--problem", problem)
    assert result.exit_code == 2 and "import pages" in result.output
    run_json(env, "import", "incidents", str(FIXTURES / "pagerduty.csv"), "--skip-bad")
    result = invoke(env, "opportunity", "add", "Auto-grow", "--kind", "support-cost",
                    "--problem", problem)
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "did you mean 'disk full on db-*'" in result.output, result.output
    assert run_json(env, "opportunity", "list") == []


def test_a_page_title_names_its_problem_key(env: Env) -> None:
    run_json(env, "import", "incidents", str(FIXTURES / "pagerduty.csv"), "--skip-bad")
    added = run_json(env, "opportunity", "add", "Auto-grow", "--kind", "support-cost",
                     "--problem", "Disk full on db-11 (/var/lib/postgresql/data 99%)")
    assert added["problem_key"] == "disk full on db-*"


def test_a_stored_opportunity_with_an_unknown_key_gets_no_zero_metric(env: Env) -> None:
    from levelup.domain.models import Opportunity
    from levelup.store.opportunities import add_opportunity

    run_json(env, "import", "incidents", str(FIXTURES / "pagerduty.csv"), "--skip-bad")
    with env.ctx.begin() as conn:  # added before keys were checked
        item = add_opportunity(conn, opportunity=Opportunity(
            kind="support-cost", title="Auto-grow", problem_key="disk full on db*"),
            today=env.today)
    entry = int(invoke(env, "log", "Auto-grow shipped", "-d", "2026-09-12", "-q").stdout)
    done = run_json(env, "opportunity", "done", str(item.id), "--entry", str(entry))
    assert done["measured"]["metric"] is None
    assert "no imported page has the problem key 'disk full on db*'" in done["measured"]["note"]
    assert run_json(env, "show", str(entry))["metrics"] == []
