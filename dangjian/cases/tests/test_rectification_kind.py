"""The fourth kind of case, `rectify` (整顿事项, the rectification app's plan items): a problem's path, opened
by the township office or county, accepted by someone other than the owner, signed off by the township
office or the county (not by the station chief, who signs off problems under a station)."""

import datetime

import pytest
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.checks import overdue
from dangjian.cases.choices import CaseKind, Source
from dangjian.cases.kinds import KINDS
from dangjian.cases.models import Case
from dangjian.cases.selectors import overdue_q
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.roles import Role
from dangjian.rectification.testing import add_item

TODAY = timezone.localdate()


@pytest.fixture
def item(world):
    return Case.objects.get(pk=add_item(world).item_id)


def test_the_kind_is_declared_as_data():
    spec = KINDS[CaseKind.RECTIFICATION]
    assert spec.states == KINDS[CaseKind.PROBLEM].states
    assert spec.sources == (Source.RECTIFICATION,)
    assert spec.transition("sign_off").roles == {Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF}


def test_only_the_office_or_county_opens_one(world):
    with pytest.raises(ActionDenied):
        services.open_case(
            world.user(Role.VILLAGE_SECRETARY),
            kind=CaseKind.RECTIFICATION,
            org=world.orgs["branch"],
            title="自拟整顿事项",
            owner=world.user(Role.VILLAGE_SECRETARY),
        )


def test_from_open_to_signed_off(world, item):
    owner, station = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    services.act(owner, item, "start")
    with pytest.raises(DomainError, match="须填写说明"):
        services.act(owner, item, "report_done")
    services.act(owner, item, "report_done", note="责任清单已上墙")
    with pytest.raises(ActionDenied, match="无权验收"):
        services.act(owner, item, "accept")
    services.act(station, item, "accept")
    with pytest.raises(ActionDenied):
        services.act(station, item, "sign_off")
    services.act(world.user(Role.TOWNSHIP_STAFF), item, "sign_off")
    item.refresh_from_db()
    assert item.state == "closed" and item.closed_by == world.user(Role.TOWNSHIP_STAFF)
    assert list(item.events.values_list("transition", flat=True)) == [
        "", "start", "report_done", "accept", "sign_off",
    ]  # fmt: skip


def test_the_county_may_sign_off(world, item):
    admin = world.user(Role.COUNTY_ADMIN)
    for code in ("report_done", "accept", "sign_off"):
        services.act(admin, item, code, note="完成")
    assert item.state == "closed"


def test_a_late_item_is_overdue(world, item):
    Case.objects.filter(pk=item.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    assert Case.objects.filter(overdue_q(TODAY), pk=item.pk).exists()
    Case.objects.filter(pk=item.pk).update(deadline=TODAY)
    assert not Case.objects.filter(overdue_q(TODAY), pk=item.pk).exists()


def test_a_late_item_is_a_finding(world, item):
    Case.objects.filter(pk=item.pk).update(deadline=TODAY - datetime.timedelta(days=1))
    found = [f for f in overdue(world.user(Role.COUNTY_ADMIN), TODAY) if f.url.endswith(f"/{item.pk}/")]
    assert found and "整顿事项" in found[0].subject


def test_the_case_pages_show_an_item(world, client_for, item):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get(f"/cases/{item.pk}/")
    assert page.status_code == 200 and "整顿事项" in page.content.decode()
    listed = client.get("/cases/", {"kind": CaseKind.RECTIFICATION})
    assert listed.status_code == 200 and item.receipt_no in listed.content.decode()
