"""The demo: 前所乡's 84 pushes to its mobile members and 4 online seminars (source 000), trainings of
老牛湾镇 and 安定镇, two notices with partial read-sign; a second run creates nothing. The province
generator adds one notice from the province with a receipt per county admin."""

import datetime
from collections import Counter

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from dangjian.accounts.demo import generate_province
from dangjian.accounts.models import User
from dangjian.core.roles import Role
from dangjian.notices import checks, demo
from dangjian.notices.choices import Audience, TrainingKind
from dangjian.notices.models import (
    Notice,
    NoticeReceipt,
    StudyPush,
    StudyReceipt,
    Training,
    TrainingAttendance,
)
from dangjian.orgs.demo import code_of
from dangjian.orgs.models import Org

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo takes seconds to load: load it once for this module, and empty the database after."""
    from django.core.management import call_command
    from django.test import override_settings

    from dangjian.accounts.demo import load_demo

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5]):
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def loaded(demo_loaded, db):
    return None


def org(name: str) -> Org:
    return Org.objects.get(code=code_of(name))


def test_qiansuo_pushed_84_items_to_its_mobile_members(loaded):
    qiansuo = org("前所乡")
    pushes = StudyPush.objects.filter(org=qiansuo)
    assert pushes.count() == demo.QIANSUO_PUSHES == 84
    assert set(pushes.values_list("audience", flat=True)) == {Audience.MOBILE}
    assert all("000" in s for s in pushes.values_list("demo_source", flat=True))
    now = timezone.now()
    assert pushes.filter(sent_at__lt=now - datetime.timedelta(days=366)).count() == 0
    assert pushes.filter(sent_at__gt=now).count() == 0
    receipts = StudyReceipt.objects.filter(push__in=pushes)
    assert receipts.exists() and not receipts.filter(member__is_mobile=False).exists()
    rate = receipts.filter(read_at__isnull=False).count() / receipts.count()
    assert 0.5 < rate < 0.95
    assert not receipts.filter(read_at__lt=timezone.now() - datetime.timedelta(days=400)).exists()


def test_four_online_seminars_and_other_trainings(loaded):
    seminars = Training.objects.filter(org=org("前所乡"), kind=TrainingKind.ONLINE)
    assert seminars.count() == 4 and all(t.online for t in seminars)
    assert TrainingAttendance.objects.filter(training__in=seminars, present=True).exists()
    assert Training.objects.filter(org__path__startswith=org("老牛湾镇").path).count() >= 2
    assert Training.objects.filter(org__path__startswith=org("安定镇").path).count() >= 2
    wuzhai = Training.objects.filter(org=org("五寨县"))
    assert {t.title.split("：")[1] for t in wuzhai} == {"发展党员流程模拟", "组织生活规范开展模拟"}
    staff = TrainingAttendance.objects.filter(user__username__startswith="laoniuwan_staff")
    assert staff.exists()


def test_two_notices_with_partial_read_sign(loaded):
    county = Notice.objects.get(org=org("偏关县"))
    town = Notice.objects.get(org=org("老牛湾镇"))
    today = timezone.localdate()
    assert county.sign_by < today <= town.sign_by
    counts = NoticeReceipt.objects.filter(notice=county).aggregate(
        n=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False))
    )
    assert 0 < counts["signed"] < counts["n"]
    secretary = NoticeReceipt.objects.get(notice=county, user__username="secretary_laoniuwan")
    assert secretary.signed_at is None and secretary.read_at is not None
    late = checks.unsigned(User.objects.get(username="county_pianguan"), today)
    assert "杜建军" in {f.subject for f in late}
    assert NoticeReceipt.objects.get(notice=town, user__username="secretary_laoniuwan").signed_at is None
    assert town.kinds == ["branch"]


def test_second_run_creates_nothing(loaded):
    admin = User.objects.get(username="admin")
    before = [
        m.objects.count()
        for m in (Notice, NoticeReceipt, StudyPush, StudyReceipt, Training, TrainingAttendance)
    ]
    created, skipped = Counter(), Counter()
    demo.load_demo(admin, created, skipped)
    assert created == Counter()
    assert skipped["学习推送"] == 84 and skipped["通知"] == 2
    assert set(skipped) <= set(demo.DEMO_LABELS)
    after = [
        m.objects.count()
        for m in (Notice, NoticeReceipt, StudyPush, StudyReceipt, Training, TrainingAttendance)
    ]
    assert after == before


@pytest.mark.django_db
def test_province_gets_one_notice_to_its_county_admins(settings):
    settings.PASSWORD_HASHERS = [MD5]
    counts = generate_province(seed=11, counties=2, townships=1, branches=3, grids=1, members=2)
    assert counts["notice"] == 1 and counts["notice_receipt"] == 2
    notice = Notice.objects.get(org__code__startswith="G11")
    assert notice.org.kind == "province" and notice.kinds == ["county"] and notice.recipient_count == 2
    receipts = NoticeReceipt.objects.filter(notice=notice).select_related("org")
    assert {r.org.kind for r in receipts} == {"county"} and {r.role for r in receipts} == {Role.COUNTY_ADMIN}
    assert set(demo.PROVINCE_LABELS) == {"notice", "notice_receipt"}
