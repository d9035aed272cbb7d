"""A member's page: particulars with the ID number and phone masked; the audited reveal for roles that may
see full values, refused (403) for the others; its history."""

from __future__ import annotations

import pytest

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.testing import add_member

pytestmark = pytest.mark.django_db


def detail(member) -> str:
    return f"/members/{member.pk}/"


def reveal(member) -> str:
    return f"/members/{member.pk}/reveal/"


def test_the_page_shows_particulars_masked(world, client_for):
    member = world.members["member"]
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(detail(member))
    html = r.content.decode()
    assert r.status_code == 200
    assert "甲党员一" in html and "村甲一" in html and "正式党员" in html
    assert member.person.id_masked in html and "138****0001" in html
    assert member.person.id_number not in html and member.person.phone not in html
    assert "显示完整信息" in html
    assert r.context["history"] is not None


@pytest.mark.parametrize("role", [Role.COUNTY_ADMIN, Role.TOWNSHIP_STAFF, Role.VILLAGE_SECRETARY])
def test_reveal_shows_full_values_and_is_audited(world, client_for, role):
    member = world.members["member"]
    client = client_for(world.user(role))
    r = client.post(reveal(member), {"reason": "核对党费"})
    html = r.content.decode()
    assert r.status_code == 200
    assert member.person.id_number in html and member.person.phone in html
    assert "no-store" in r["Cache-Control"]
    event = AuditEvent.objects.get(action="member.reveal_pii")
    assert (event.object_type, event.object_id, event.note) == ("members.member", str(member.pk), "核对党费")
    assert event.actor == world.user(role)
    # The page itself shows it in the history afterwards, and still masks by default.
    again = client.get(detail(member)).content.decode()
    assert "查看完整身份证号和电话" in again
    assert member.person.id_number not in again


def test_reveal_is_post_only(world, client_for):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(reveal(world.members["member"]))
    assert r.status_code == 405


def test_a_station_chief_may_not_reveal(world, client_for):
    member = world.members["member"]
    client = client_for(world.user(Role.STATION_CHIEF))
    page = client.get(detail(member)).content.decode()
    assert "显示完整信息" not in page
    r = client.post(reveal(member))
    assert r.status_code == 403
    assert member.person.id_number not in r.content.decode()
    assert not AuditEvent.objects.filter(action="member.reveal_pii").exists()


def test_a_grid_leader_may_not_reveal(world, client_for):
    neighbour = add_member(world.orgs["community"], "甲社区党员", 30)
    client = client_for(world.user(Role.GRID_LEADER))
    assert client.get(detail(neighbour)).status_code == 200
    r = client.post(reveal(neighbour))
    assert r.status_code == 403
    assert not AuditEvent.objects.filter(action="member.reveal_pii").exists()


def test_outside_scope_is_not_found(world, client_for):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert client.get(detail(world.members["sibling"])).status_code == 404
    assert client.post(reveal(world.members["out"])).status_code == 404
    assert not AuditEvent.objects.filter(action="member.reveal_pii").exists()
