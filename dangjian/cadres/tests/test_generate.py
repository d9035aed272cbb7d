"""The province generator's pool, mentoring and pay schemes on a tiny plan: two reserve cadres per village,
about a third mentored by their village's secretary with the three kinds of activity, one scheme per
county; the same rows for the same seed."""

import datetime

import pytest

from dangjian.accounts import demo as account_demo
from dangjian.cadres import demo
from dangjian.cadres.models import MentorActivity, Mentorship, PayScheme, ReserveCadre
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.villages import demo as villages_demo

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan = org_demo.plan_province(7, counties=2, townships=2, branches=6, grids=1)
            org_ids = org_demo.insert_province(plan)
            account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
            villages_demo.insert_province(plan, org_ids, TODAY)
            yield plan, org_ids, demo.insert_province(plan, org_ids, TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def province(_generated, db):
    return _generated


def test_counts_and_shape(province):
    plan, org_ids, counts = province
    villages = Org.objects.filter(pk__in=org_ids, kind="branch").count()
    assert set(counts) == set(demo.PROVINCE_LABELS)
    assert counts["reserve_cadre"] == ReserveCadre.objects.count() == 2 * villages
    assert counts["pay_scheme"] == PayScheme.objects.count() == 2
    assert 0 < counts["mentorship"] == Mentorship.objects.count() < counts["reserve_cadre"]
    assert MentorActivity.objects.count() == 3 * counts["mentorship"]
    for m in Mentorship.objects.select_related("mentor_post", "reserve"):
        assert m.mentor_post.kind == "secretary" and m.mentor_post.org_id == m.org_id == m.reserve.org_id
        assert m.mentor_post.until is None and m.started_on >= m.reserve.entered_on
    assert all(
        r.org.kind == "branch" and 24 <= TODAY.year - r.birth_date.year <= 40
        for r in ReserveCadre.objects.all()
    )


def test_deterministic(province):
    plan, org_ids, counts = province
    first = sorted(ReserveCadre.objects.values_list("org_id", "name", "birth_date", "education"))
    MentorActivity.objects.all().delete()
    Mentorship.objects.all().delete()
    ReserveCadre.objects.all().delete()
    PayScheme.objects.all().delete()
    assert demo.insert_province(plan, org_ids, TODAY) == counts
    assert sorted(ReserveCadre.objects.values_list("org_id", "name", "birth_date", "education")) == first
