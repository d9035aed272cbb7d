"""The demo: 安定镇's "55819" (19 services in 3 categories, 5 centres, 5 half-days a month with 8
sections), 西营镇's catalogue, 老牛湾镇's diaries; a second run creates nothing; and the generated
province's catalogues. These tests build the demo tree, not the test world."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.db.models import Count

from dangjian.accounts.demo import ensure_admin, load_demo_users
from dangjian.core.models import AuditEvent
from dangjian.errands import demo
from dangjian.errands.checks import service_half_days_short
from dangjian.errands.models import Diary, ErrandService, ServiceCentre, ServiceSession
from dangjian.errands.selectors import Month, half_day_slots
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

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


def test_anding_55819(loaded):
    _, created, _ = loaded
    anding = Org.objects.get(name="安定镇")
    catalogue = ErrandService.objects.filter(org=anding)
    assert catalogue.count() == 19 and created["代办事项目录"] == ErrandService.objects.count()
    assert set(catalogue.values_list("category", flat=True)) == {"咨询", "培训技能", "服务"}
    assert {"法律咨询", "低保申请", "养老保险认证", "医保代缴"} <= set(
        catalogue.values_list("name", flat=True)
    )
    assert all("004" in s and "虚构" in s for s in catalogue.values_list("demo_source", flat=True))
    centres = list(ServiceCentre.objects.filter(org=anding).order_by("pk"))
    assert len(centres) == 5 and all("004" in c.demo_source for c in centres)
    assert "第五、第六联村党总支区域" in centres[4].place
    for month in (Month.of(TODAY).previous(), Month.of(TODAY)):
        sessions = list(ServiceSession.objects.filter(month.q(), org=anding))
        assert len(sessions) == 5 and half_day_slots(sessions) == 5
        assert {s.centre_id for s in sessions} == {c.pk for c in centres}
        assert all(
            len(s.sections) == 8 and s.sections[:3] == ["司法所", "规划科", "民政科"] for s in sessions
        )
        assert all((s.served is None) == (s.date > TODAY) for s in sessions)
    assert not [f for f in service_half_days_short(loaded[0], TODAY) if f.subject == "安定镇"]


def test_xiying_catalogue_for_the_errands_of_zhaizi(loaded):
    names = set(ErrandService.objects.filter(org__name="西营镇").values_list("name", flat=True))
    assert {"医保代缴", "养老认证"} <= names


def test_laoniuwan_staff_diaries(loaded):
    diaries = Diary.objects.select_related("author", "org")
    assert diaries.count() == len(demo.DIARIES)
    assert {d.author.username for d in diaries} <= {f"laoniuwan_staff{i}" for i in range(2, 9)}
    assert all(d.org.path.startswith(Org.objects.get(name="老牛湾镇").path) for d in diaries)
    assert all(d.written_on <= TODAY and d.demo_source == org_demo.INVENTED for d in diaries)


def test_a_second_run_creates_nothing(loaded):
    admin, _, _ = loaded
    counts = {m: m.objects.count() for m in (ErrandService, ServiceCentre, ServiceSession, Diary)}
    events = AuditEvent.objects.filter(action="errands.demo").count()
    created, skipped = Counter(), Counter()
    demo.load_demo(admin, created, skipped, today=TODAY)
    assert sum(created.values()) == 0
    assert skipped["代办事项目录"] == 19 + len(demo.XIYING_SERVICES)
    assert (
        skipped["便民服务中心"] == 5
        and skipped["下村服务半天"] == 10
        and skipped["民情日记"] == len(demo.DIARIES)
    )
    assert {m: m.objects.count() for m in counts} == counts
    assert AuditEvent.objects.filter(action="errands.demo").count() == events == 1
    assert set(demo.DEMO_LABELS) >= set(skipped)


def test_half_day_dates_are_working_days():
    days = demo.half_day_dates(Month(2026, 10), 5)  # the National Day week and its 调休
    assert len(set(days)) == 5 and all(d.month == 10 for d in days)
    assert not any(datetime.date(2026, 10, 1) <= d <= datetime.date(2026, 10, 7) for d in days)


def test_insert_province_gives_each_township_a_catalogue(db):
    plan = org_demo.plan_province(7, 2, 2, 8)
    ids = org_demo.insert_province(plan)
    counts = demo.insert_province(plan, ids, TODAY)
    townships = sum(1 for o in plan.orgs if o.kind == "township")
    assert counts == {"errand_service": len(demo.PROVINCE_CATALOGUE) * townships}
    assert set(counts) <= set(demo.PROVINCE_LABELS)
    per = ErrandService.objects.filter(org_id__in=ids).values("org").annotate(n=Count("pk"))
    assert {row["n"] for row in per} == {len(demo.PROVINCE_CATALOGUE)} and len(per) == townships
    assert (
        ErrandService.objects.filter(demo_source="生成（种子7）", published=True).count()
        == counts["errand_service"]
    )
    new = ErrandService.objects.create(org_id=ids[3], category="服务", name="新增", promised_days=1)
    assert new.pk > max(ErrandService.objects.exclude(pk=new.pk).values_list("pk", flat=True))
