"""The records panel on the member page: what it shows, which buttons, and a fixed number of queries."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext

from dangjian.members.choices import TransferKind
from dangjian.members.models import (
    DuesPayment,
    Household,
    HouseholdLink,
    Member,
    MobileRecord,
    StandingDecision,
    Transfer,
)

from .conftest import html

pytestmark = pytest.mark.django_db


def render(member_pk: int, can_change: bool = True) -> tuple[str, int]:
    member = Member.objects.select_related("person", "org").get(pk=member_pk)
    with CaptureQueriesContext(connection) as ctx:
        text = render_to_string("members/_records_panel.html", {"member": member, "can_change": can_change})
    return text, len(ctx)


def add_records(world, member, n: int) -> None:
    root, org = world.root, member.org
    for i in range(n):
        day = datetime.date(2025, 1 + i, 1)
        MobileRecord.objects.create(member=member, org=org, destination=f"甲地{i}", since=day, ended_on=day)
        StandingDecision.objects.create(
            member=member, org=org, kind="found", decided_on=day, decided_by="村甲一", recorded_by=root
        )
        Transfer.objects.create(
            member=member,
            kind=TransferKind.INTERNAL,
            from_org=org,
            to_org=world.orgs["sibling"],
            issued_on=day,
            status="cancelled",
            created_by=root,
        )
        hh = Household.objects.create(org=org, head_name=f"甲户主{i}")
        HouseholdLink.objects.create(member=member, household=hh, org=org, since=day)
        DuesPayment.objects.create(
            member=member, org=org, month=day, amount="0.50", paid_on=day, recorded_by=root
        )


def test_panel_shows_each_kind_of_record_with_links(world):
    m = world.members["member"]
    text, _ = render(m.pk)
    assert (
        "外出至甲外出地" in text and "登记失联" in text and "甲户主户" in text and "2026年10月 0.50元" in text
    )
    assert f"/members/{m.pk}/transfer/" in text and f"/members/{m.pk}/standing/" in text
    assert f"/members/{m.pk}/dues/" in text
    text, _ = render(world.members["sibling"].pk)
    assert "系统内转接" in text and "待接收" in text


def test_panel_buttons_follow_can_change(world):
    text, _ = render(world.members["member"].pk, can_change=False)
    assert "/transfer/" not in text and "/standing/" not in text and '/mobile/"' not in text


def test_panel_queries_do_not_grow_with_records(world, new_member):
    few, many = new_member("甲少"), new_member("甲多")
    add_records(world, few, 1)
    add_records(world, many, 6)
    _, q_few = render(few.pk)
    text, q_many = render(many.pk)
    assert q_few == q_many == 5
    assert "甲户主5户" in text


def test_member_page_includes_the_panel(client_for, users, world):
    r = client_for(users.secretary).get(f"/members/{world.members['member'].pk}/")
    assert r.status_code == 200 and 'data-testid="records-panel"' in html(r)
