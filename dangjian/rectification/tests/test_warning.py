"""The early warning's signals at their boundaries, its fixed number of queries, and the contact leader's
monthly visit finding."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.cases.choices import CaseKind, Source
from dangjian.cases.models import Case
from dangjian.core.dates import add_months
from dangjian.core.roles import Role
from dangjian.members.records.common import cutoff
from dangjian.orgs.services import create_org
from dangjian.rectification import checks, services
from dangjian.rectification.warning import SIGNALS, early_warning
from dangjian.villages.models import Post, PostKind
from dangjian.villages.services import end_post

TODAY = timezone.localdate()


def signals_of(user, org, today=TODAY):
    return next((r.signals for r in early_warning(user, today) if r.org_id == org.pk), {})


def closed_cases(world, org, scores):
    now = timezone.now()
    Case.objects.bulk_create(
        Case(
            kind=CaseKind.PROBLEM,
            receipt_no=f"T-{org.pk}-{i}-{s}",
            org=org,
            county=world.orgs["county"],
            source=Source.OTHER,
            title="测试",
            state="closed",
            opened_on=TODAY,
            opened_by=world.root,
            closed_at=now,
            satisfaction=s,
        )
        for i, s in enumerate(scores)
    )


def test_satisfaction_below_60_percent_is_a_signal_and_60_is_not(world):
    admin, org = world.user(Role.COUNTY_ADMIN), world.orgs["sibling"]
    closed_cases(world, org, [3, 2, 3, 1, 1])  # 3 of 5 = 60%
    assert "low_satisfaction" not in signals_of(admin, org)
    closed_cases(world, org, [1])  # 3 of 6 = 50%
    assert "满意率50.0%" in signals_of(admin, org)["low_satisfaction"][0]


def test_secretary_vacant_more_than_three_months(world):
    admin, org = world.user(Role.COUNTY_ADMIN), world.orgs["branch"]
    post = Post.objects.get(org=org, kind=PostKind.SECRETARY, until__isnull=True)
    edge = cutoff(TODAY - datetime.timedelta(days=1), 3)
    end_post(world.root, post, until=edge + datetime.timedelta(days=1), reason="调离", today=TODAY)
    assert "secretary_vacant" not in signals_of(admin, org)
    Post.objects.filter(org=org, kind=PostKind.SECRETARY, vacant_since__isnull=False).update(
        vacant_since=edge
    )
    assert "secretary_vacant" in signals_of(admin, org)


def test_screening_signals_read_the_latest_sheet(world):
    admin, o = world.user(Role.COUNTY_ADMIN), world.orgs
    got = signals_of(admin, o["branch"])
    assert {"bottom_rank", "no_income"} <= set(got)  # last year's sheet: one row, income 0
    s = services.create_screening(admin, o["county"], year=TODAY.year, quota_percent=5, today=TODAY)
    services.set_rows(admin, s, [(o["branch"], 1, 90, 3), (o["sibling"], 2, 80, 0)])
    assert not {"bottom_rank", "no_income"} & set(signals_of(admin, o["branch"]))
    assert {"bottom_rank", "no_income"} <= set(signals_of(admin, o["sibling"]))


def test_out_of_scope_villages_never_appear(world):
    rows = early_warning(world.user(Role.COUNTY_ADMIN), TODAY)
    assert rows and all("外" not in r.name for r in rows)
    assert {r.name for r in early_warning(world.user(Role.VILLAGE_SECRETARY), TODAY)} <= {"村甲一"}


def test_a_fixed_number_of_queries_whatever_the_villages(world):
    admin = world.user(Role.COUNTY_ADMIN)
    early_warning(admin, TODAY)
    with CaptureQueriesContext(connection) as small:
        early_warning(admin, TODAY)
    for i in range(6):
        org = create_org(
            world.root, parent=world.orgs["township"], name=f"村甲加{i}", kind="branch", code=f"BX{i}"
        )
        closed_cases(world, org, [1, 1])
    with CaptureQueriesContext(connection) as large:
        rows = early_warning(admin, TODAY)
    assert sum(1 for r in rows if "low_satisfaction" in r.signals) >= 6
    assert len(large) <= len(small) + 2  # the satisfaction and the county lookups start running
    assert set(SIGNALS) >= {"secretary_vacant", "meetings_unmet", "no_admission", "low_satisfaction"}


@pytest.mark.parametrize("visits,found", [(0, True), (1, False)])
def test_contact_leader_visits_at_least_once_a_month(world, visits, found):
    support = world.rectification["甲"]["support"]
    first = TODAY.replace(day=1)
    last_month = add_months(first, -1)
    support.since = add_months(first, -2)
    support.save(update_fields=["since"])
    support.visits.all().delete()
    for _ in range(visits):
        services.record_support_visit(
            world.root, support, visited_on=last_month, activity="指导", today=TODAY
        )
    got = [
        f
        for f in checks.leader_visits(world.user(Role.COUNTY_ADMIN), TODAY)
        if f.org_id == support.case.org_id
    ]
    assert bool(got) is found
    if found:
        assert "每月1次" in got[0].message and "漳县" in got[0].message


def test_benchmark_agrees_with_raw_sql(world):
    from dangjian.rectification import bench

    closed_cases(world, world.orgs["sibling"], [1, 1, 3])
    rows = bench.warning_benchmark(root_user=world.root, root=world.orgs["province"], today=TODAY, runs=1)
    assert [r["rows"] for r in rows][1] >= 3  # 村甲一 and 外村 (screening), 村甲二 (satisfaction)
    assert all(r["app"]["median_ms"] > 0 and r["raw_sql"]["median_ms"] > 0 for r in rows)
