"""The demo's two committees and 四议两公开 stories (sources 000 and 003): 大辛庄村 188 residents → five
seats with 郭凯 as secretary and director and a fixed-subsidy cadre for e-commerce sales, its development
plan with 28 opinions in one month and the first two steps merged; 市庄村's 100+ opinions; 南堡村's
23万元 drainage decided by a villagers' meeting; 裴家山村's lease voted down and the levelling passed; a
secretary vacant four months in 孙家坪乡 and overdue elections in 洪相镇 as findings. Only the orgs, the
logins and these two apps' rows are loaded; a second run creates nothing."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.core.findings import findings_for
from dangjian.decisions import demo as decisions_demo
from dangjian.decisions.models import Decision, Opinion, State, Step
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.villages import demo
from dangjian.villages.models import Committee, Post, PostKind
from dangjian.villages.selectors import cross_holdings, seats_of


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
                decisions_demo.load_demo(admin, created, skipped)
                again, skipped_again = Counter(), Counter()
                demo.load_demo(admin, again, skipped_again)
                decisions_demo.load_demo(admin, again, skipped_again)
            yield created, again
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def org(name: str) -> Org:
    return Org.objects.get(code=org_demo.code_of(name))


def test_a_second_run_creates_nothing(loaded):
    created, again = loaded
    assert created["村“两委”班子"] > 100 and created["四议两公开事项"] == 8
    assert not any(again[label] for label in demo.DEMO_LABELS + decisions_demo.DEMO_LABELS)


def test_daxinzhuang_five_seats_for_188_residents(loaded):
    village = org("大辛庄村")
    seats = seats_of(village.pk, village.parent.parent_id)
    assert (seats.residents, seats.seats, seats.used, seats.full) == (188, 5, 5, True)
    assert cross_holdings([village.pk]) == {village.pk: "郭凯"}
    subsidy = Post.objects.get(org=village, kind=PostKind.SUBSIDY)
    assert subsidy.answers_for == "电商营销" and subsidy.is_current
    assert not Committee.objects.filter(org=org("小武州村")).exists()  # the cadres demo tells that story


def test_findings_of_the_demo_committees(loaded):
    wuzhai = User.objects.get(username="county_wuzhai")
    today = timezone.localdate()
    vacant = [f for f in findings_for(wuzhai, today, ["villages.secretary_vacant"])]
    assert len(vacant) == 1 and Org.objects.get(pk=vacant[0].org_id).parent.name == "孙家坪乡"
    admin = User.objects.filter(is_superuser=True).first()
    overdue = [f for f in findings_for(admin, today, ["villages.term_ending"])]
    assert {Org.objects.get(pk=f.org_id).parent.name for f in overdue} == {"洪相镇"}
    assert len(overdue) == 4  # two invented villages × two committees


def test_daxinzhuang_plan_with_28_opinions_in_one_month_merged_steps(loaded):
    d = Decision.objects.get(org=org("大辛庄村"))
    assert d.state == State.DONE
    days = list(Opinion.objects.filter(decision=d).values_list("received_on", flat=True))
    assert len(days) == 28 and (max(days) - min(days)) < datetime.timedelta(days=31)
    assert list(d.steps.filter(merged=True).values_list("step", flat=True).order_by("step")) == [
        Step.DELIBERATION,
        Step.PROPOSAL,
    ]


def test_shizhuang_more_than_a_hundred_opinions_and_the_failed_vote(loaded):
    assert Opinion.objects.filter(decision__org=org("市庄村")).count() >= 100
    states = dict(Decision.objects.filter(org=org("裴家山村")).values_list("title", "state"))
    assert states["闲置土地整体对外租赁"] == State.REJECTED
    assert states["党员带头平整闲置土地、村集体统一经营"] == State.RESULT_PUBLISHED
    nanbao = Decision.objects.get(org=org("南堡村"))
    assert "23万元" in nanbao.title and nanbao.steps.get(step=Step.RESOLUTION).households_present == 170


def test_houanding_matter_waits_for_its_joint_branch(loaded):
    d = Decision.objects.get(org=org("后安定村"))
    assert d.joint_review and d.state == State.JOINT_REVIEW


def test_lianjiazhai_rota_with_a_month_of_check_ins_and_a_couple_of_gaps(loaded):
    from dangjian.villages.duty import GapKind, gaps
    from dangjian.villages.models import DutyCheckIn, DutySlot, DutyStatus

    created, _ = loaded
    village = org("连家寨村")
    assert DutySlot.objects.filter(org=village).count() == created["村干部坐班值班安排"] == 9
    checks = DutyCheckIn.objects.filter(org=village)
    assert checks.count() == created["村干部坐班值班登记"] >= 30
    assert checks.filter(status=DutyStatus.ABSENT).count() == 1
    assert checks.filter(status=DutyStatus.REPLACED).count() == 1
    today = timezone.localdate()
    start = today - datetime.timedelta(days=today.weekday() + 28)
    root = User.objects.get(username=account_demo.ADMIN_USERNAME)
    found = gaps(root, start, today - datetime.timedelta(days=1), villages=[village.pk], today=today)
    kinds = sorted(g.kind for g in found)
    assert kinds.count(GapKind.ABSENT) == 1
    assert 1 <= kinds.count(GapKind.UNCOVERED) <= 2  # Fridays before the Friday slot, less holidays
    assert GapKind.NO_ROTA not in kinds
