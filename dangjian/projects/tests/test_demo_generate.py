"""The demo (the seeds' projects with their figures, each in its village or township, sourced) and the
province generator (a few projects per township and village, consistent with the services' rules)."""

from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.decisions import demo as decision_demo
from dangjian.orgs import demo as org_demo
from dangjian.projects import demo, generate, stats
from dangjian.projects.choices import ProjectStatus
from dangjian.projects.models import FundingSource, Milestone, Outcome, Project
from dangjian.villages import demo as village_demo

TODAY = timezone.localdate()


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
                village_demo.load_demo(admin, Counter(), Counter(), today=TODAY)
                decision_demo.load_demo(admin, Counter(), Counter(), today=TODAY)
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
                plan = org_demo.plan_province(7, counties=2, townships=3, branches=10, grids=1)
                org_ids = org_demo.insert_province(plan)
                account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
                counts = generate.insert_province(plan, org_ids, TODAY)
            yield admin, first, again, skipped_again, plan, org_ids, counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def outcome(title: str, unit: str) -> Decimal:
    return Outcome.objects.get(project__title=title, unit__name=unit).quantity


def test_a_second_load_creates_nothing(loaded):
    _, first, again, skipped, *_ = loaded
    assert first["项目"] == len(demo.STORIES)
    assert not again and skipped["项目"] == len(demo.STORIES)


def test_the_seed_figures_are_in_their_places(loaded):
    canal = Project.objects.get(title="小武州村水渠整修")
    assert canal.org.name == "小武州村" and canal.township.name == "小河头镇" and canal.budget == 300_000
    assert outcome("小武州村水渠整修", "亩") == 200
    qiansuo = Project.objects.get(title="前所乡灌溉渠整修")
    assert qiansuo.org.name == "前所乡" and qiansuo.budget == Decimal("505000")
    assert outcome("前所乡灌溉渠整修", "米") == 1000 and outcome("前所乡灌溉渠整修", "亩") == 950
    water = "麦虎村、滑石村自来水入户和阳洼子村道路改造"
    assert outcome(water, "户") == 67 and outcome(water, "人") == 160
    assert set(Project.objects.get(title=water).villages.values_list("name", flat=True)) == {
        "麦虎村",
        "滑石村",
        "阳洼子村",
    }
    parking = Project.objects.get(title="阳光家园小区停车位改造")
    assert parking.org.name == "北苑社区" and outcome(parking.title, "个") == 30
    veg = Project.objects.get(title="徐柏村带动周边6村蔬菜种植")
    assert veg.villages.count() == 6 and "徐柏村" not in set(veg.villages.values_list("name", flat=True))
    assert outcome(veg.title, "亩") == 800 and veg.status == ProjectStatus.UNDER_WAY
    fruit = Project.objects.get(title="后安定村果业技术帮带和滞销水果网络销售")
    assert fruit.year == 2021 and outcome(fruit.title, "斤") == 630_000


def test_nanbao_links_its_decision(loaded):
    nanbao = Project.objects.get(org__name="南堡村", title="拱形排水渠修缮及日间照料中心设施更新")
    assert nanbao.budget == 230_000 and nanbao.status == ProjectStatus.COMPLETED
    assert nanbao.decision is not None and "23万元" in nanbao.decision.title
    assert nanbao.decision.org_id == nanbao.org_id


def test_every_demo_project_cites_its_source(loaded):
    for p in Project.objects.filter(title__in=[s.title for s in demo.STORIES]):
        assert p.demo_source.startswith("种子00"), p.title
        assert not Milestone.objects.filter(project=p, done_on__gt=TODAY).exists()


def test_generator_writes_a_few_projects_per_township_and_village(loaded):
    *_, plan, org_ids, counts = loaded
    generated = Project.objects.filter(demo_source=generate.SOURCE)
    assert counts["project"] == generated.count() > 0
    townships = sum(1 for o in plan.orgs if o.kind == "township")
    assert generated.filter(org__kind="township").count() >= townships
    assert generated.filter(org__kind="branch").exists()
    assert FundingSource.objects.filter(project__in=generated).count() == counts["project_source"]
    over = generated.annotate(f=Sum("sources__amount")).filter(f__gt=F("budget"))
    assert not over.exists()
    # completed projects have every milestone done, and milestones are done in order
    completed = generated.filter(status=ProjectStatus.COMPLETED).annotate(
        open=Count("milestones", filter=Q(milestones__done_on__isnull=True))
    )
    assert not completed.filter(open__gt=0).exists()
    assert Outcome.objects.filter(project__in=generated).count() == counts["project_outcome"] > 0


def test_rollup_over_the_generated_county_agrees_with_raw_sql(loaded):
    admin, *_ = loaded
    from dangjian.projects.bench import raw_rollup

    county = Project.objects.filter(demo_source=generate.SOURCE).values_list("county", flat=True).first()
    rows = stats.rollup(admin, "township", county=county)
    assert rows
    assert sorted((r.org_id, r.projects, r.budget) for r in rows) == [
        (t, n, b) for t, n, b, *_ in raw_rollup(county)
    ]


def test_benchmark_runs_and_agrees(loaded):
    from dangjian.projects.bench import rollup_benchmark

    [row] = rollup_benchmark(runs=1)
    assert row["rows"] > 0 and row["app"]["runs"] == 1 and "raw_sql" in row
