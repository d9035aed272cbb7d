"""The demo (seeds 000, 002) and the province generator: each demo county has this year's standard set
computed for several months (ranks with changes), 宜君县 rewards 5 model stations × 20,000 yuan, 五寨县's
scorecard is published and read; a second load creates nothing. The generator ranks every township,
station and branch for three months, and the benchmark's app and raw SQL agree."""

from collections import Counter
from decimal import Decimal

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.scoring import bench, demo
from dangjian.scoring.choices import Level
from dangjian.scoring.models import Award, IndicatorSet, Result, Scorecard, ScorecardRead

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
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
                plan = org_demo.plan_province(11, counties=2, townships=3, branches=8, grids=1)
                org_ids = org_demo.insert_province(plan)
                account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
                counts = demo.insert_province(plan, org_ids, TODAY)
            yield first, again, skipped_again, plan, org_ids, counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def test_demo_counties_have_their_sets_and_a_second_load_creates_nothing(loaded):
    first, again, skipped, *_ = loaded
    assert first["考核指标体系"] >= 3 and not any(again.values())
    assert skipped["考核指标体系"] == first["考核指标体系"]
    names = set(IndicatorSet.objects.filter(year=TODAY.year).values_list("county__name", flat=True))
    assert {"五寨县", "宜君县", "交城县"} <= names


def test_rankings_have_changes_from_last_month(loaded):
    wuzhai = IndicatorSet.objects.get(county__name="五寨县", year=TODAY.year)
    periods = sorted(set(Result.objects.filter(indicator_set=wuzhai).values_list("period", flat=True)))
    if len(periods) < 2:
        pytest.skip("January: no earlier month this year")
    assert Result.objects.filter(indicator_set=wuzhai, period=periods[-1], rank_prev__isnull=False).exists()
    assert Result.objects.filter(indicator_set=wuzhai, level=Level.TOWNSHIP).exists()


def test_yijun_model_stations(loaded):
    awards = Award.objects.filter(county__name="宜君县", kind="model_station", year=TODAY.year)
    assert awards.count() == 5
    assert {a.amount for a in awards} == {Decimal(20000)}
    assert all(a.org.kind in ("station", "joint_branch") for a in awards)


def test_wuzhai_scorecard_published_and_read(loaded):
    card = Scorecard.objects.filter(county__name="五寨县").first()
    if card is None:
        pytest.skip("January: last month belongs to last year's set")
    assert ScorecardRead.objects.filter(scorecard=card, user__username="county_wuzhai").exists()


def test_generator_ranks_every_level(loaded):
    *_, plan, org_ids, counts = loaded
    assert set(counts) == set(demo.PROVINCE_LABELS)
    ids = [org_ids[i] for i, o in enumerate(plan.orgs) if o.kind in ("township", "station", "branch")]
    months = len(demo._months(TODAY, demo.PROVINCE_MONTHS))
    assert counts["scoring_result"] == Result.objects.filter(org_id__in=ids).count() == len(ids) * months
    assert counts["scoring_set"] == sum(1 for o in plan.orgs if o.kind == "county")
    last = max(demo._months(TODAY, demo.PROVINCE_MONTHS))
    townships = Result.objects.filter(org_id__in=ids, period=last, level=Level.TOWNSHIP)
    assert sorted(townships.values_list("rank", flat=True)) == sorted(
        r for c in Counter(townships.values_list("group_id", flat=True)).values() for r in range(1, c + 1)
    )
    if months > 1:
        assert townships.filter(rank_prev__isnull=False).count() == townships.count()


def test_benchmark_app_equals_raw_sql(loaded):
    *_, plan, org_ids, _ = loaded
    root = Org.objects.get(pk=org_ids[0])
    rows = bench.ranking_benchmark(root=root, today=TODAY, runs=1)
    townships = sum(1 for o in plan.orgs if o.kind == "township")
    assert rows[0]["rows"] == townships and rows[0]["app"]["runs"] == 1
    assert set(rows[0]) == {"name", "rows", "app", "raw_sql"}
