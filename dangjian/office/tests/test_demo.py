"""The office's demo rows: 老牛湾镇's 11 posts and 59 duties, one of its 9 branches uncovered, one staff
member short of field days last week; contact leaders with visits; a second run creates nothing."""

from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts.demo import ensure_admin, load_demo_users
from dangjian.office import checks, demo
from dangjian.office.models import ContactLeader, ContactLeaderVisit, ContactPoint, Duty, FieldVisit, Post
from dangjian.office.selectors import branches_under
from dangjian.orgs.demo import code_of, load_demo_orgs
from dangjian.orgs.models import Org

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def loaded_once(django_db_setup, django_db_blocker):
    """The demo tree, its logins and this app's rows, loaded once for the module (it takes seconds) inside
    a transaction rolled back after, so the next module on this worker starts clean and the rows that
    migrations seed (e.g. projects' units) stay."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=[MD5]):
                created, skipped = Counter(), Counter()
                admin = ensure_admin(make_password("x"), created, skipped)
                load_demo_orgs(admin, created, skipped)
                load_demo_users(admin, make_password("x"), created, skipped)
                mine = Counter()
                demo.load_demo(admin, mine, Counter())
            yield admin, mine
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(loaded_once, db):
    return loaded_once


def org(name):
    return Org.objects.get(code=code_of(name))


def test_laoniuwan_has_the_reports_figures(loaded):
    _, created = loaded
    town = org("老牛湾镇")
    assert Post.objects.filter(org=town).count() == 11
    assert Duty.objects.filter(org=town).count() == 59
    assert created["党建办岗位"] == 11 and created["岗位职责"] == 59
    assert all(p.holders.filter(until__isnull=True).exists() for p in Post.objects.filter(org=town))
    branches = list(branches_under(town))
    covered = set(
        ContactPoint.objects.filter(township=town, until__isnull=True).values_list("org_id", flat=True)
    )
    assert len(branches) == 9 and len([b for b in branches if b.pk not in covered]) == 1
    staff_with = set(ContactPoint.objects.filter(township=town).values_list("staff_id", flat=True))
    assert len(staff_with) == 8


def test_anding_is_fully_covered_and_leaders_have_visits(loaded):
    town = org("安定镇")
    branches = branches_under(town).count()
    assert ContactPoint.objects.filter(township=town).count() == branches == 33
    assert ContactLeader.objects.filter(org=org("偏关县")).count() == 2
    jc = ContactLeader.objects.get(org=org("交城县"))
    assert jc.user.username == "leader_jiaocheng"
    assert ContactLeaderVisit.objects.filter(leader=jc).count() == 12


def test_one_staff_member_was_short_last_week(loaded):
    admin, _ = loaded
    today = timezone.localdate()
    town = org("老牛湾镇")
    short = [f for f in checks.field_days_short(admin, today) if f.org_id == town.pk]
    assert len(short) == 1 and "1.5天" in short[0].message
    gaps = [
        f
        for f in checks.branch_without_contact(admin, today)
        if f.org_name in {b.name for b in branches_under(town)}
    ]
    assert len(gaps) == 1
    assert not [f for f in checks.staff_without_branch(admin, today) if f.org_id == town.pk]
    assert FieldVisit.objects.filter(township=town).count() > 100


def test_a_second_run_creates_nothing(loaded):
    admin, _ = loaded
    created, skipped = Counter(), Counter()
    before = (Post.objects.count(), ContactPoint.objects.count(), FieldVisit.objects.count())
    demo.load_demo(admin, created, skipped)
    assert sum(created.values()) == 0 and skipped["党建办岗位"] == 11
    assert (Post.objects.count(), ContactPoint.objects.count(), FieldVisit.objects.count()) == before
    assert set(created) | set(skipped) <= set(demo.DEMO_LABELS)


def test_the_generated_province_gets_nothing(loaded):
    assert demo.insert_province(None, [], timezone.localdate()) == {} and demo.PROVINCE_LABELS == {}


def test_wuzhai_offices_have_requests_approved_pending_and_returned(loaded):
    from dangjian.office.models import PostHolder, StaffRequest

    requests = StaffRequest.objects.filter(org__in=[org("孙家坪乡"), org("李家坪乡")])
    assert sorted(requests.values_list("kind", "status")) == [
        ("appoint", "approved"),
        ("appraise", "pending"),
        ("transfer", "returned"),
    ]
    appointed = requests.get(status="approved")
    assert PostHolder.objects.get(post=appointed.post, until__isnull=True).user.real_name == "苗佳怡"
    assert [s.action for s in requests.get(status="returned").steps.all()] == ["submit", "return"]
    assert Post.objects.filter(org=org("李家坪乡"), name="纪检岗", holders__isnull=True).exists()  # a vacancy
