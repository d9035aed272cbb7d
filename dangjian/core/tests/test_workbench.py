"""The workbench: this month's organisational life, meetings planned soon, and the user's unsigned notices."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dangjian.core.roles import Role
from dangjian.meetings.models import Meeting
from dangjian.notices.models import NoticeReceipt
from dangjian.notices.services import send_notice


def life(client) -> dict:
    r = client.get("/")
    assert r.status_code == 200
    assert 'data-testid="life-counts"' in r.content.decode()
    return r.context["life"]


@pytest.mark.django_db
def test_workbench_shows_meetings_planned_and_unsigned_notices(world, client_for):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    before = life(client_for(secretary))
    Meeting.objects.create(
        org=world.orgs["branch"],
        kind="theme_day",
        topic="下周主题党日",
        planned_at=timezone.now() + datetime.timedelta(days=3),
    )
    Meeting.objects.create(
        org=world.orgs["out_branch"],
        kind="theme_day",
        topic="外村主题党日",
        planned_at=timezone.now() + datetime.timedelta(days=3),
    )
    notice = send_notice(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "关于做好冬季防火的通知", "请各村落实。"
    )
    assert NoticeReceipt.objects.filter(user=secretary, notice=notice).count() == 1
    after = life(client_for(secretary))
    assert after["planned"] == before["planned"] + 1
    assert after["unsigned"] == before["unsigned"] + 1
    assert after["rate"] is None or 0 <= after["rate"] <= 100
    assert after["due"] >= after["met"] >= 0


@pytest.mark.django_db
def test_workbench_query_count_does_not_grow_with_meetings(world, client_for, django_assert_max_num_queries):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    client.get("/")
    with django_assert_max_num_queries(40) as first:
        client.get("/")
    for i in range(20):
        Meeting.objects.create(
            org=world.orgs["sibling"],
            kind="committee",
            topic=f"支委会{i}",
            planned_at=timezone.now() - datetime.timedelta(days=i + 1),
            status="held",
            held_at=timezone.now() - datetime.timedelta(days=i + 1),
            held_on=timezone.localdate() - datetime.timedelta(days=i + 1),
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get("/")


@pytest.mark.django_db
def test_superuser_workbench_leaves_the_engine_to_the_compliance_page(world, client_for):
    assert life(client_for(world.root))["rate"] is None
