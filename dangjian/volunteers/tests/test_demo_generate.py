"""The demo (seed 001, 老牛湾镇) and the province generator: the teams named by the report with the demo's
老牛湾 members, holiday, flood and practice-station call-outs with attendance; a second load creates
nothing; the generator gives every township two teams with members and a call-out each."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.core.models import AuditEvent
from dangjian.members import demo as member_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.volunteers import demo, generate, selectors
from dangjian.volunteers.choices import CallOutKind
from dangjian.volunteers.models import Attendance, CallOut, Team, TeamMember

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
                member_demo.load_demo_members(admin, created, skipped)
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
                plan = org_demo.plan_province(7, counties=2, townships=3, branches=10, grids=1)
                org_ids = org_demo.insert_province(plan)
                account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
                member_demo.insert_province_people(plan, org_ids, members=3, cases=0, today=TODAY)
                counts = generate.insert_province(plan, org_ids, TODAY)
            yield first, again, skipped_again, plan, org_ids, counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def test_a_second_load_creates_nothing(loaded):
    first, again, skipped, *_ = loaded
    assert first["志愿服务队"] == 3 and first["队员"] >= 16 and first["出动记录"] == len(demo.CALLOUTS)
    assert not any(again[label] for label in demo.DEMO_LABELS) and skipped["志愿服务队"] == 3


def test_laoniuwan_teams_and_callouts(loaded):
    township = Org.objects.get(name="老牛湾镇")
    teams = {t.name: t for t in Team.objects.filter(org__path__startswith=township.path)}
    assert set(teams) == {name for name, *_ in demo.TEAMS}
    service = teams["老牛湾镇党员志愿服务队"]
    people = TeamMember.objects.filter(team=service)
    assert (
        people.filter(member__isnull=False).count() == 8 and people.filter(member__isnull=True).count() == 2
    )
    assert all(m.member.org.path.startswith(township.path) for m in people.filter(member__isnull=False))
    holiday = CallOut.objects.filter(team=service, kind=CallOutKind.HOLIDAY)
    assert holiday.count() == 6 and {c.place for c in holiday} >= {"老牛湾景区售票处", "老牛湾景区停车场"}
    flood = CallOut.objects.filter(team=teams["老牛湾镇汛期党员突击队"], kind=CallOutKind.FLOOD)
    assert flood.count() == 2
    practice = CallOut.objects.filter(kind=CallOutKind.PRACTICE, practice_station="老牛湾村新时代文明实践站")
    assert practice.count() == 3
    assert all(
        c.starts_at.date() <= TODAY for c in CallOut.objects.filter(org__path__startswith=township.path)
    )
    assert Attendance.objects.filter(callout__team=service, present=True).count() >= 12
    assert "演示虚构" in holiday.first().demo_source and service.demo_source.startswith("001")
    assert AuditEvent.objects.filter(action="volunteers.attendance.record").count() == len(demo.CALLOUTS)


def test_office_login_sees_the_totals(loaded):
    office = User.objects.get(username="office_laoniuwan")
    rows = {t.name: t for t in selectors.teams(office)}
    assert (
        rows["老牛湾镇党员志愿服务队"].callout_count == 6 and rows["老牛湾镇党员志愿服务队"].total_hours > 0
    )


def test_generated_province(loaded):
    *_, plan, org_ids, counts = loaded
    townships = sum(1 for o in plan.orgs if o.kind == "township")
    assert counts["volunteer_team"] == 2 * townships and counts["volunteer_callout"] == 2 * townships
    generated = Team.objects.filter(demo_source=generate.SOURCE)
    assert generated.count() == 2 * townships
    assert TeamMember.objects.filter(team__in=generated, member__isnull=False).exists()
    present = Attendance.objects.filter(callout__team__in=generated)
    assert present.filter(present=True).count() >= present.count() - 2 * townships
    assert CallOut.objects.filter(team__in=generated, starts_at__date__gte=TODAY).count() == 0


def test_generated_days_are_in_the_past():
    assert generate._last(datetime.date(2026, 10, 2), 10, 2) == datetime.date(2025, 10, 2)
    assert demo._last(datetime.date(2026, 10, 3), 10, 2) == datetime.date(2026, 10, 2)
