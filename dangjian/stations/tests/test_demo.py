"""The demo stations of 宜君县 and the generated province's station staff."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.db.models import Count

from dangjian.accounts.demo import ensure_admin, load_demo_users
from dangjian.core.findings import findings_for
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.stations import demo
from dangjian.stations.choices import Post
from dangjian.stations.models import (
    ResearchAppraisal,
    ResearchPlan,
    ResearchReport,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationChecklist,
    StationInspection,
    StationStaff,
    StationSystem,
)
from dangjian.stations.selectors import last_closed_half_month, last_complete_week

TODAY = datetime.date(2026, 12, 2)


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo tree takes seconds to build: build it once for this module, and empty the database
    after so the next module on this worker starts clean."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        created, skipped = Counter(), Counter()
        admin = ensure_admin(make_password("x"), created, skipped)
        org_demo.load_demo_orgs(admin, created, skipped)
        load_demo_users(admin, make_password("x"), created, skipped)
        mine_c, mine_s = Counter(), Counter()
        demo.load_demo(admin, mine_c, mine_s, today=TODAY)
    yield admin, mine_c, mine_s
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(loaded_once, db):
    return loaded_once


def test_every_demo_station_is_staffed_within_the_rule(loaded):
    _, created, _ = loaded
    stations = Org.objects.filter(kind="station", code__startswith="SN-")
    assert stations.count() == 29
    counts = {
        (row["org"], row["post"]): row["n"]
        for row in StationStaff.objects.values("org", "post").annotate(n=Count("pk"))
    }
    for st in stations:
        assert counts[(st.pk, Post.CHIEF)] == 1
        assert 1 <= counts[(st.pk, Post.DEPUTY)] <= 2
        assert 1 <= counts[(st.pk, Post.WORKER)] <= 2
    assert StationStaff.objects.exclude(demo_source=org_demo.INVENTED).count() == 0
    yushe = StationStaff.objects.get(org__name=demo.SHOWCASE, post=Post.CHIEF)
    assert yushe.user.username == "station_yushe" and yushe.name == "薛振华"
    assert created["工作站人员"] == StationStaff.objects.count()
    assert (
        StationChecklist.objects.count() == 29 * 6 and StationChecklist.objects.filter(met=False).count() == 2
    )
    assert (
        StationSystem.objects.count() == 29 * 8 and StationSystem.objects.filter(in_force=False).count() == 1
    )


def test_gaps_the_demo_shows(loaded):
    chief = Org.objects.get(name=demo.SHOWCASE).station_staff.get(post=Post.CHIEF).user
    found = findings_for(chief, TODAY)
    codes = Counter(f.check for f in found)
    assert codes["stations.inspection_missed"] == 1
    assert codes["stations.service_half_day_missed"] == 1
    assert codes["stations.staffing"] == 0 and codes["stations.research_short"] == 0
    admin = loaded[0]
    everything = Counter(f.check for f in findings_for(admin, TODAY) if f.check.startswith("stations."))
    assert everything == {
        "stations.inspection_missed": 1,
        "stations.service_half_day_missed": 1,
        "stations.research_short": 1,  # 黄堡寨 with one round in December: due soon
    }
    closed = last_closed_half_month(TODAY)
    assert StationInspection.objects.filter(inspected_on__range=(closed.start, closed.end)).count() == 117 - 1
    week = last_complete_week(TODAY)
    assert ServiceHalfDay.objects.filter(held_on__range=(week.start, week.end)).count() == 28


def test_research_and_appraisal(loaded):
    assert ResearchPlan.objects.filter(year=2026).count() == 8
    assert ResearchRound.objects.count() == 29 * 2 - 1
    assert ResearchReport.objects.count() == ResearchRound.objects.count()
    assert ResearchAppraisal.objects.count() == 8
    assert ResearchScore.objects.count() == ResearchReport.objects.count()
    for appraisal in ResearchAppraisal.objects.all():
        ranked = list(appraisal.scores.order_by("rank"))
        assert ranked[0].rank == 1 and all(
            a.score >= b.score for a, b in zip(ranked, ranked[1:], strict=False)
        )
    assert all(r.villages.exists() for r in ResearchRound.objects.all())


def test_a_second_run_creates_nothing(loaded):
    admin, _, _ = loaded
    counts = {m: m.objects.count() for m in (StationStaff, StationInspection, ResearchScore, ResearchPlan)}
    created, skipped = Counter(), Counter()
    demo.load_demo(admin, created, skipped, today=TODAY)
    assert sum(created.values()) == 0
    assert skipped["工作站人员"] == 29 and skipped["专项调研计划"] == 8
    assert {m: m.objects.count() for m in counts} == counts
    assert set(demo.DEMO_LABELS) >= set(skipped)


def test_insert_province_gives_each_station_three_staff(db):
    plan = org_demo.plan_province(7, 2, 2, 8)
    ids = org_demo.insert_province(plan)
    counts = demo.insert_province(plan, ids, TODAY)
    stations = sum(1 for o in plan.orgs if o.kind == "station")
    assert counts == {"station_staff": 3 * stations}
    assert set(counts) <= set(demo.PROVINCE_LABELS)
    mine = StationStaff.objects.filter(org_id__in=ids)
    per = mine.values("org").annotate(n=Count("pk"))
    assert {row["n"] for row in per} == {3} and len(per) == stations
    assert mine.filter(post=Post.CHIEF).count() == stations
    assert mine.filter(demo_source="生成（种子7）").count() == 3 * stations
    new = StationStaff.objects.create(org_id=ids[-2], name="新增", post=Post.WORKER, since=TODAY)
    assert new.pk > max(StationStaff.objects.exclude(pk=new.pk).values_list("pk", flat=True))
