"""Roll-up arithmetic at each level (village, station, township, county), over-achievement capped,
checklists, relayed parents not double-counted, the read-side selectors, and constant query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.roles import Role
from dangjian.tasks import selectors, services, stats
from dangjian.tasks.models import Assignment
from dangjian.tasks.testing import SCENARIO_LATE, scenario

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2027, 3, 1)


def _row(rows, org):
    return next(r for r in rows if r.org_id == org.pk)


def test_relayed_parent_in_step_with_children(world):
    s = scenario(world)
    station = Assignment.objects.get(pk=s["station"].pk)
    assert station.relayed and station.target_amount == 2000 and station.done_amount == 1450
    assert station.state == "reported" and station.first_report_at is not None
    services.report(world.root, s["sibling"], text="完成", amount=1000)
    station.refresh_from_db()
    assert station.done_amount == 2050 and station.state == "done" and station.percent == 100
    assert Assignment.objects.get(pk=s["branch"].pk).state == "done"


def test_rollup_at_each_level(world):
    s = scenario(world)
    o, root = world.orgs, world.root
    canal = s["canal"]
    # village: its own leaf assignment, over-achievement capped at the target
    (village,) = stats.rollup(root, under=o["branch"], task=canal, today=SCENARIO_LATE)
    assert village.own and (village.target, village.capped, village.done, village.percent) == (
        1000,
        1000,
        1050,
        100,
    )
    # station: its villages
    rows = stats.rollup(root, under=o["station"], task=canal, today=SCENARIO_LATE)
    assert [r.org_id for r in rows] == [o["branch"].pk, o["sibling"].pk]
    assert (_row(rows, o["sibling"]).percent, _row(rows, o["sibling"]).late) == (40, 1)
    assert stats.total(rows)["percent"] == 70  # (1000 + 400) / 2000
    # township: the station (its villages summed, its relayed assignment not counted), the community
    rows = stats.rollup(root, under=o["township"], task=canal, today=SCENARIO_LATE)
    st, cm = _row(rows, o["station"]), _row(rows, o["community"])
    assert (st.target, st.capped, st.done, st.assignments, st.reported, st.late) == (
        2000,
        1400,
        1450,
        2,
        2,
        1,
    )
    assert (cm.target, cm.capped, cm.percent, cm.reported, cm.late) == (1000, 0, 0, 0, 1)
    # county: one township, 1400 of 3000 = 46.67 → 46
    (tw,) = stats.rollup(root, under=o["county"], task=canal, today=SCENARIO_LATE)
    assert (tw.org_id, tw.target, tw.capped, tw.percent, tw.late) == (o["township"].pk, 3000, 1400, 46, 2)
    # before the due date nothing is late
    assert stats.rollup(root, under=o["county"], task=canal, today=datetime.date(2027, 3, 20))[0].late == 0


def test_checklist_rollup(world):
    s = scenario(world)
    rows = stats.rollup(world.root, under=world.orgs["station"], task=s["study"], today=SCENARIO_LATE)
    assert [(r.target, r.capped, r.percent) for r in rows] == [(3, 2, 66), (3, 3, 100)]
    assert stats.total(rows)["percent"] == 83


def test_task_rollup_and_period(world):
    s = scenario(world)
    rows = stats.task_rollup(world.root, under=world.orgs["county"], period_start=MARCH, today=SCENARIO_LATE)
    assert rows == []  # the tasks were issued by the township, below the county
    rows = stats.task_rollup(
        world.root, under=world.orgs["township"], period_start=MARCH, today=SCENARIO_LATE
    )
    canal, study = rows
    assert (canal.task_id, canal.target, canal.capped, canal.percent) == (s["canal"].pk, 3000, 1400, 46)
    assert canal.late_orgs == ["村甲二", "社区甲"] and canal.key and canal.unit == "米"
    assert (study.target, study.capped, study.percent, study.late_orgs, study.unit) == (
        6,
        5,
        83,
        ["村甲一"],
        "项",
    )
    rows = stats.task_rollup(world.root, under=world.orgs["station"], period_start=MARCH, today=SCENARIO_LATE)
    assert [r.target for r in rows] == [2000, 6]
    keys = stats.task_rollup(
        world.root, under=world.orgs["township"], period_start=MARCH, key_only=True, today=SCENARIO_LATE
    )
    assert [r.task_id for r in keys] == [s["canal"].pk]
    assert (
        stats.rollup(world.root, under=world.orgs["township"], period_start=datetime.date(2027, 4, 1)) == []
    )


def test_rollup_is_scoped(world):
    scenario(world)
    out = world.user("out_admin")
    assert stats.rollup(out, under=world.orgs["township"], period_start=MARCH) == []
    # a village secretary sees only its own village's figures, even asked about the whole township
    rows = stats.rollup(world.user(Role.VILLAGE_SECRETARY), under=world.orgs["township"], period_start=MARCH)
    assert [r.org_id for r in rows] == [world.orgs["station"].pk] and rows[0].target == Decimal(1003)


def test_selectors(world):
    s = scenario(world)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    march = {"task__task_list": s["list"]}
    assert list(selectors.due_for(secretary, datetime.date(2027, 3, 15)).filter(**march)) == [s["s_branch"]]
    assert list(selectors.due_for(secretary, datetime.date(2027, 3, 1), days=7).filter(**march)) == []
    assert list(selectors.overdue_for(secretary, SCENARIO_LATE).filter(**march)) == [s["s_branch"]]
    chief = world.user(Role.STATION_CHIEF)
    assert list(selectors.overdue_for(chief, SCENARIO_LATE).filter(**march)) == []  # the station's is relayed
    assert list(selectors.late_reports(world.root, SCENARIO_LATE).filter(**march)) == []


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_constant_queries(world):
    s = scenario(world)
    user = world.user(Role.COUNTY_ADMIN)
    county = world.orgs["county"]

    def both():
        stats.rollup(user, under=county, period_start=MARCH, today=SCENARIO_LATE)
        stats.rollup(user, under=world.orgs["township"], period_start=MARCH, today=SCENARIO_LATE)
        stats.task_rollup(user, under=world.orgs["township"], period_start=MARCH, today=SCENARIO_LATE)

    few = _queries(both)
    for i in range(5):
        t = services.add_task(
            world.root, s["list"], title=f"甲任务{i}", due=datetime.date(2027, 3, 30), target_value=5
        )
        services.dispatch(world.root, t, kind="branch", today=datetime.date(2027, 2, 10))
        services.dispatch(world.root, t, orgs=[world.orgs["community"]], today=datetime.date(2027, 2, 10))
    user = world.user(Role.COUNTY_ADMIN)
    assert _queries(both) == few
