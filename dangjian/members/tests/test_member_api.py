"""/api/v1/members/: the roster's FilterSet, masked reads, writes through the services with per-field
Chinese messages, the audited reveal, and 404 for anything outside scope."""

from __future__ import annotations

import json

import pytest

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.models import Member, Person
from dangjian.members.testing import make_id_number

pytestmark = pytest.mark.django_db

URL = "/api/v1/members/"


class Api:
    def __init__(self, client):
        self.client = client

    def get(self, url, params=None):
        return self.client.get(url, params or {})

    def post(self, url, data=None):
        return self.client.post(url, json.dumps(data or {}), content_type="application/json")

    def patch(self, url, data):
        return self.client.patch(url, json.dumps(data), content_type="application/json")


@pytest.fixture
def api_as(world, client_for):
    return lambda role: Api(client_for(world.user(role)))


def counts():
    return Member.objects.count(), Person.objects.count(), AuditEvent.objects.count()


def new_member(world, **changes):
    import datetime

    data = {
        "org": world.orgs["branch"].pk,
        "name": "甲接口党员",
        "id_number": make_id_number(datetime.date(1988, 8, 8), 60, male=False),
        "phone": "13700001111",
        "status": "full",
        "joined_on": "2012-07-01",
        "full_on": "2013-07-01",
    }
    data.update(changes)
    return data


def test_the_list_is_scoped_and_masked(world, api_as):
    r = api_as(Role.COUNTY_ADMIN).get(URL)
    assert r.status_code == 200
    body = r.json()
    assert {m["name"] for m in body["results"]} == {"甲党员一", "甲党员二", "甲预备党员"}
    one = next(m for m in body["results"] if m["name"] == "甲党员一")
    person = world.members["member"].person
    assert one["id_number_masked"] == person.id_masked
    assert one["phone_masked"] == "138****0001"
    assert "id_number" not in one and "phone" not in one
    assert person.id_number not in r.content.decode() and person.phone not in r.content.decode()
    assert one["org_name"] == "村甲一" and one["age"] == person.age


def test_the_list_uses_the_pages_filters(world, api_as):
    api = api_as(Role.COUNTY_ADMIN)

    def names(params):
        return [m["name"] for m in api.get(URL, params).json()["results"]]

    assert names({"q": "jdyy"}) == ["甲党员一"]
    assert names({"status": "probationary"}) == ["甲预备党员"]
    assert sorted(names({"org": world.orgs["branch"].pk})) == ["甲党员一", "甲预备党员"]
    assert names({"org": world.orgs["out_branch"].pk}) == []
    assert names({"ordering": "-birth_date"}) == ["甲预备党员", "甲党员二", "甲党员一"]


def test_outside_scope_is_not_found(world, api_as):
    api = api_as(Role.VILLAGE_SECRETARY)
    out = world.members["sibling"]
    before = counts()
    assert api.get(f"{URL}{out.pk}/").status_code == 404
    assert api.patch(f"{URL}{out.pk}/", {"occupation": "越权"}).status_code == 404
    assert api.post(f"{URL}{out.pk}/reveal/").status_code == 404
    assert counts() == before


def test_create_through_the_service(world, api_as):
    r = api_as(Role.VILLAGE_SECRETARY).post(URL, new_member(world, group=world.orgs["group"].pk))
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["name"] == "甲接口党员" and body["gender"] == "female" and body["birth_date"] == "1988-08-08"
    assert body["group_name"] == "组甲"
    assert body["phone_masked"] == "137****1111" and "13700001111" not in r.content.decode()
    assert AuditEvent.objects.filter(action="member.create", object_id=str(body["id"])).exists()


def test_create_with_bad_input_answers_400_per_field(world, api_as):
    before = counts()
    r = api_as(Role.VILLAGE_SECRETARY).post(
        URL, new_member(world, joined_on="1980-01-01", full_on="1980-06-01", phone="123")
    )
    assert r.status_code == 400
    body = r.json()
    assert body["joined_on"] == ["入党时间不能早于出生日期。"]
    assert body["phone"] == ["联系电话格式不正确：手机号为11位数字，座机如0350-1234567。"]
    assert body["full_on"][0].startswith("转正时间早于预备期满")
    assert counts() == before


def test_create_in_a_branch_outside_scope_is_not_found(world, api_as):
    before = counts()
    r = api_as(Role.VILLAGE_SECRETARY).post(URL, new_member(world, org=world.orgs["out_branch"].pk))
    assert r.status_code == 404
    r = api_as(Role.VILLAGE_SECRETARY).post(URL, new_member(world, org=world.orgs["sibling"].pk))
    assert r.status_code in (403, 404)
    assert counts() == before


def test_a_group_elsewhere_is_refused(world, api_as):
    r = api_as(Role.COUNTY_ADMIN).post(
        URL, new_member(world, org=world.orgs["sibling"].pk, group=world.orgs["group"].pk)
    )
    assert r.status_code == 400
    assert r.json()["group"] == ["所选党小组不属于该党支部。"]


def test_a_readonly_leader_may_read_but_not_write(world, api_as):
    api = api_as(Role.READONLY_LEADER)
    assert api.get(URL).status_code == 200
    before = counts()
    assert api.post(URL, new_member(world)).status_code == 403
    assert api.patch(f"{URL}{world.members['member'].pk}/", {"occupation": "x"}).status_code == 403
    assert counts() == before


def test_patch_changes_only_what_is_sent(world, api_as):
    member = world.members["member"]
    r = api_as(Role.VILLAGE_SECRETARY).patch(
        f"{URL}{member.pk}/", {"occupation": "村医", "education": "college"}
    )
    assert r.status_code == 200, r.content
    member.person.refresh_from_db()
    assert (member.person.occupation, member.person.education) == ("村医", "college")
    assert member.person.phone == "13800000001"
    r = api_as(Role.VILLAGE_SECRETARY).patch(f"{URL}{member.pk}/", {"full_on": "2000-12-01"})
    assert r.status_code == 400
    assert r.json()["full_on"][0].startswith("转正时间早于预备期满")
    member.refresh_from_db()
    assert str(member.full_on) == "2001-07-01"


def test_reveal_returns_full_values_and_is_audited(world, api_as):
    member = world.members["member"]
    r = api_as(Role.TOWNSHIP_STAFF).post(f"{URL}{member.pk}/reveal/", {"reason": "换届审查"})
    assert r.status_code == 200
    assert r.json() == {"id_number": member.person.id_number, "phone": "13800000001"}
    event = AuditEvent.objects.get(action="member.reveal_pii")
    assert event.note == "换届审查" and event.object_id == str(member.pk)


def test_reveal_is_refused_for_a_station_chief(world, api_as):
    r = api_as(Role.STATION_CHIEF).post(f"{URL}{world.members['member'].pk}/reveal/")
    assert r.status_code == 403
    assert r.json()["detail"] == "您的角色无权查看完整的身份证号和电话。"
    assert not AuditEvent.objects.filter(action="member.reveal_pii").exists()
