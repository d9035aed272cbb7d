"""The cadres demo on top of the orgs, logins and the villages demo: 小武州村's secretary chosen from the
pool of three with the trail and five coaching sessions, 寨上村's mentoring with the three kinds of
activity, the two counties' pay schemes and 李家坪乡's two approved batches (大辛庄村's 定补干部 for
e-commerce paid); a second run creates nothing."""

from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.cadres import demo
from dangjian.cadres.choices import BatchStatus, ReserveStatus
from dangjian.cadres.models import (
    Coaching,
    Mentorship,
    PayBatch,
    PayLine,
    PayScheme,
    PoolSelection,
    ReserveCadre,
)
from dangjian.core.dates import add_months
from dangjian.orgs import demo as org_demo
from dangjian.villages import demo as villages_demo
from dangjian.villages.models import Post, PostKind


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
                villages_demo.load_demo(admin, created, skipped)
                mine = Counter()
                demo.load_demo(admin, mine, Counter())
            yield admin, mine
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def test_xiaowuzhou_secretary_from_the_pool(loaded):
    today = timezone.localdate()
    pool = ReserveCadre.objects.filter(org__name="小武州村")
    assert pool.count() == 3
    cao = pool.get(name="曹爱玲")
    assert cao.status == ReserveStatus.CHOSEN and cao.get_education_display() == "大学专科"
    selection = PoolSelection.objects.get(reserve=cao)
    assert selection.decided_by == "小河头镇党委" and "会议纪要" in selection.basis
    assert sorted(c.name for c in selection.considered.all()) == ["李晓军", "赵红梅"]
    posts = Post.objects.filter(org__name="小武州村", kind=PostKind.SECRETARY).order_by("pk")
    assert [(p.name, p.until) for p in posts] == [("王志刚", add_months(today, -8)), ("曹爱玲", None)]
    assert "不在状态" in posts[0].end_reason
    coaching = Coaching.objects.get(selection=selection)
    assert coaching.coachee_name == "曹爱玲" and 4 <= coaching.sessions.count() <= 6


def test_zhaishang_mentoring_pay_and_idempotent(loaded):
    admin, created = loaded
    m = Mentorship.objects.get(org__name="寨上村")
    assert sorted(m.activities.values_list("kind", flat=True)) == ["governance", "meeting", "shadowing"]
    assert m.evaluations.count() == 1
    assert set(PayScheme.objects.values_list("county__name", flat=True)) == {"五寨县", "交城县"}
    batches = PayBatch.objects.filter(township__name="李家坪乡").order_by("month")
    assert [b.status for b in batches] == [BatchStatus.APPROVED] * 2
    subsidy = PayLine.objects.filter(batch=batches[1], org__name="大辛庄村", posts__contains="电商营销")
    assert subsidy.count() == 1 and subsidy.get().account_no
    assert all(created[label] for label in demo.DEMO_LABELS)
    again, skipped = Counter(), Counter()
    demo.load_demo(admin, again, skipped)
    assert sum(again.values()) == 0 and skipped[demo.BATCH] == 2
