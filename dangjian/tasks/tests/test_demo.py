"""The tasks demo: 前所乡's monthly lists (online study every month, the four seminars, the 1000 m canal of
50.5万元 watering 950 mu, source 000), 五寨县's monthly key tasks to its townships with two short and two
late, and 五里镇's two-down two-up weeks where 榆舍 has still to compile the latest week with one village
late (source 002); 五寨县's 3+X analyses of the last two months built on them (reviews demo, which needs
these rows); a second run creates nothing. Only the orgs, logins, these rows and the reviews are loaded."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.reviews import demo as reviews_demo
from dangjian.reviews.models import MonthlyReview
from dangjian.reviews.stats import build_pack
from dangjian.tasks import demo, stats, weekly
from dangjian.tasks.choices import AssignmentState, CompilationState, ListKind
from dangjian.tasks.models import Assignment, Compilation, TaskList, TaskReport, WeeklyCycle


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                created, skipped = Counter(), Counter()
                admin = account_demo.ensure_admin(make_password("x"), created, skipped)
                org_demo.load_demo_orgs(admin, created, skipped)
                account_demo.load_demo_users(admin, make_password("x"), created, skipped)
                demo.load_demo(admin, created, skipped)
                reviews_demo.load_demo(admin, created, skipped)
            yield created
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def org(name: str) -> Org:
    return Org.objects.get(code=org_demo.code_of(name))


def test_qiansuo_lists_every_month_with_the_canal(loaded):
    today = timezone.localdate()
    qiansuo = org("前所乡")
    lists = TaskList.objects.filter(org=qiansuo, kind=ListKind.MONTHLY)
    assert lists.count() == today.month
    seminars = Assignment.objects.filter(task__task_list__org=qiansuo, task__title="组织流动党员线上座谈会")
    assert seminars.values("task_id").distinct().count() == sum(
        1 for m in demo.SEMINAR_MONTHS if m <= today.month
    )
    canal = Assignment.objects.get(task__title=demo.CANAL)
    assert (
        canal.target_amount == 1000
        and "50.5万元" in canal.task.description
        and "950亩" in canal.task.description
    )
    if today >= datetime.date(today.year, 9, 25):
        assert canal.done_amount == 1000 and canal.state == AssignmentState.DONE
        assert canal.reports.count() == 3


def test_wuzhai_scorecard_has_short_and_late_townships(loaded):
    county = org("五寨县")
    admin = User.objects.get(username="county_wuzhai")
    month = TaskList.objects.filter(org=county).order_by("period_start")[1].period_start
    rows = {r.org_name: r for r in stats.rollup(admin, under=county, period_start=month)}
    assert len(rows) == Org.objects.filter(parent=county, kind="township").count() == 8
    assert rows["孙家坪乡"].percent < rows["韩家楼乡"].percent < rows["前所乡"].percent == 100
    late = TaskReport.objects.filter(assignment__period_start=month, late=True)
    assert {r.org.name for r in late} == demo.WUZHAI_LATE


def test_yushe_has_the_latest_week_to_compile_with_one_village_late(loaded):
    today = timezone.localdate()
    chief = User.objects.get(username="station_yushe")
    station = org("榆舍党建工作站")
    cycle = (
        WeeklyCycle.objects.filter(org=org("五里镇"), report_due__lt=today).order_by("-week_start").first()
    )
    assert cycle is not None and not Compilation.objects.filter(cycle=cycle, org=station).exists()
    others = Compilation.objects.filter(cycle=cycle).exclude(org=station)
    assert others.count() == 3 and set(others.values_list("state", flat=True)) == {CompilationState.SUBMITTED}
    villages = Assignment.objects.filter(task__task_list=cycle.task_list, org__parent=station)
    late = {a.org.name for a in villages if a.reports.filter(late=True).exists()}
    assert len(late) == 1
    assert all(a.reports.exists() for a in villages)
    compilation = weekly.draft_compilation(chief, cycle, station)
    assert next(iter(late)) in compilation.body
    weekly.submit_compilation(chief, compilation)
    assert Compilation.objects.get(pk=compilation.pk).state == CompilationState.SUBMITTED


def test_second_run_creates_nothing(loaded):
    admin = User.objects.get(username="admin")
    models = (TaskList, Assignment, TaskReport, WeeklyCycle, Compilation)
    before = [m.objects.count() for m in models]
    created, skipped = Counter(), Counter()
    demo.load_demo(admin, created, skipped)
    assert created == Counter()
    assert set(skipped) <= set(demo.DEMO_LABELS) and skipped["任务清单"] > 0
    assert [m.objects.count() for m in models] == before
    assert Assignment.objects.filter(done_amount__gt=0).exists()
    assert loaded["任务清单"] > 0 and loaded["两下两上周工作"] >= demo.WEEKS_BACK + 1
    assert Decimal(0) <= min(Assignment.objects.values_list("done_amount", flat=True))


def test_wuzhai_has_two_3x_analyses_the_earlier_published(loaded):
    county = org("五寨县")
    reviews = list(MonthlyReview.objects.filter(org=county).order_by("month"))
    assert [r.state for r in reviews] == ["published", "draft"]
    assert reviews[0].notice is not None and reviews[0].notice.receipts.exists()
    assert all(r.topics.filter(department__isnull=False).count() == 1 for r in reviews)
    pack = build_pack(User.objects.get(username="county_wuzhai"), reviews[0])
    assert pack.completion and any(row.late_orgs for row in pack.completion)
    assert "孙家坪乡" in {r.org_name for r in pack.rectified}
    assert "孙家坪乡" not in {r.org_name for r in pack.praised}
