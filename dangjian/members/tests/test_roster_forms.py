"""Adding and changing a member through the pages: the rules' Chinese messages beside their fields, a 400,
and nothing saved; branch and group choices limited to the user's scope."""

from __future__ import annotations

import datetime

import pytest

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.development.rules import MIN_AGE, PROBATION_YEARS
from dangjian.members.models import Member, Person
from dangjian.members.testing import make_id_number

pytestmark = pytest.mark.django_db

NEW = "/members/new/"
BIRTH = datetime.date(1990, 1, 1)


def valid(world, **changes) -> dict:
    data = {
        "org": world.orgs["branch"].pk,
        "name": "甲新党员",
        "id_number": make_id_number(BIRTH, 50),
        "gender": "",
        "birth_date": "",
        "ethnicity": "汉族",
        "phone": "13912345678",
        "education": "bachelor",
        "occupation": "务农",
        "status": "full",
        "joined_on": "2015-07-01",
        "full_on": "2016-07-01",
        "group": "",
        "dues_category": "farmer",
        "dues_base": "",
    }
    data.update(changes)
    return data


def counts() -> tuple[int, int, int]:
    return Member.objects.count(), Person.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def secretary(world, client_for):
    return client_for(world.user(Role.VILLAGE_SECRETARY))


def test_a_secretary_adds_a_member_to_her_branch(world, secretary):
    r = secretary.post(NEW, valid(world, group=world.orgs["group"].pk))
    member = Member.objects.get(person__name="甲新党员")
    assert r.status_code == 302 and r["Location"] == f"/members/{member.pk}/"
    assert member.person.birth_date == BIRTH  # from the ID number
    assert member.person.gender == "male"
    assert member.group == world.orgs["group"]
    assert member.person.name_initials == "jxdy"
    assert AuditEvent.objects.filter(action="member.create", object_id=str(member.pk)).count() == 1


def test_the_form_offers_only_branches_and_groups_in_scope(world, secretary):
    form = secretary.get(NEW).context["form"]
    assert list(form.fields["org"].queryset) == [world.orgs["branch"]]
    assert list(form.fields["group"].queryset) == [world.orgs["group"]]
    r = secretary.get(NEW, {"org": world.orgs["branch"].pk})
    assert r.context["form"].initial["org"] == world.orgs["branch"]


PROBATION = (
    f"转正时间早于预备期满（入党后满{PROBATION_YEARS.value}年，"
    f"依据：{PROBATION_YEARS.source} {PROBATION_YEARS.article}）。"
)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"joined_on": "1985-07-01", "full_on": "1986-07-01"}, "joined_on", "入党时间不能早于出生日期。"),
        ({"full_on": "2015-06-30"}, "full_on", "转正时间不能早于入党时间。"),
        ({"full_on": "2016-01-01"}, "full_on", PROBATION),
        (
            {"joined_on": "2007-07-01", "full_on": "2008-07-01"},
            "joined_on",
            f"入党时未满{MIN_AGE.value}周岁（依据：{MIN_AGE.source} {MIN_AGE.article}）。",
        ),
        (
            {"birth_date": "1990-01-02"},
            "birth_date",
            "出生日期1990-01-02与公民身份号码中的1990-01-01不一致。",
        ),
        ({"gender": "female"}, "gender", "性别与公民身份号码不一致：号码第17位表示男性。"),
        ({"status": "probationary"}, "full_on", "预备党员不应有转正时间。"),
        ({"full_on": ""}, "full_on", "正式党员请填写转正时间。"),
        ({"name": ""}, "name", "请填写姓名。"),
        ({"phone": "12345"}, "phone", "联系电话格式不正确：手机号为11位数字，座机如0350-1234567。"),
        ({"dues_category": "working"}, "dues_base", "在职和离退休党员请填写党费计算基数（月收入）。"),
    ],
)
def test_bad_input_is_refused_beside_the_field(world, secretary, changes, field, message):
    before = counts()
    r = secretary.post(NEW, valid(world, **changes))
    assert r.status_code == 400
    assert r.context["form"].errors[field] == [message]
    assert f'data-field="{field}">{message}' in r.content.decode()
    assert counts() == before


def test_an_id_number_already_registered_is_refused(world, secretary):
    existing = world.members["member"].person
    r = secretary.post(NEW, valid(world, id_number=existing.id_number.lower()))
    assert r.status_code == 400
    assert r.context["form"].errors["id_number"] == ["该公民身份号码已在系统中登记（甲党员一，村甲一）。"]


def test_a_group_of_another_branch_is_refused(world, client_for):
    before = counts()
    r = client_for(world.user(Role.COUNTY_ADMIN)).post(
        NEW, valid(world, org=world.orgs["sibling"].pk, group=world.orgs["group"].pk)
    )
    assert r.status_code == 400
    assert r.context["form"].errors["group"] == ["所选党小组不属于该党支部。"]
    assert counts() == before


def test_a_branch_outside_scope_is_refused_like_an_unknown_one(world, secretary):
    before = counts()
    for org in (world.orgs["out_branch"].pk, world.orgs["sibling"].pk, 999999):
        r = secretary.post(NEW, valid(world, org=org))
        assert r.status_code == 400
        assert "org" in r.context["form"].errors
    assert counts() == before
    assert secretary.get(NEW, {"org": world.orgs["out_branch"].pk}).status_code == 404


@pytest.mark.parametrize("role", [Role.READONLY_LEADER, Role.GRID_LEADER, Role.DEPT_LIAISON])
def test_roles_that_may_not_add_members_are_refused(world, client_for, role):
    client = client_for(world.user(role))
    assert client.get(NEW).status_code == 403
    before = counts()
    assert client.post(NEW, valid(world)).status_code == 403
    assert counts() == before


def test_editing_keeps_the_masked_values_when_left_blank(world, secretary):
    member = world.members["member"]
    url = f"/members/{member.pk}/edit/"
    page = secretary.get(url)
    html = page.content.decode()
    assert member.person.id_number not in html and member.person.phone not in html
    assert member.person.id_masked in html
    data = valid(world, name="甲党员一", id_number="", phone="", occupation="村医", birth_date="")
    data.pop("org")
    data.update(joined_on="2000-07-01", full_on="2001-07-01")
    r = secretary.post(url, data)
    assert r.status_code == 302
    member.refresh_from_db()
    member.person.refresh_from_db()
    assert member.person.occupation == "村医"
    assert member.person.id_number == world.members["member"].person.id_number
    assert member.person.phone == "13800000001"
    event = AuditEvent.objects.get(action="member.update", object_id=str(member.pk))
    assert event.after == {"occupation": "村医", "education": "bachelor"}


def test_a_bad_edit_changes_nothing(world, secretary):
    member = world.members["member"]
    before = counts()
    r = secretary.post(
        f"/members/{member.pk}/edit/",
        {
            "name": "甲党员一",
            "status": "full",
            "joined_on": "2000-07-01",
            "full_on": "2000-12-01",
            "ethnicity": "汉族",
            "dues_category": "farmer",
        },
    )
    assert r.status_code == 400
    assert r.context["form"].errors["full_on"] == [PROBATION]
    member.refresh_from_db()
    assert member.full_on == datetime.date(2001, 7, 1)
    assert counts() == before


def test_a_readonly_leader_may_not_edit(world, client_for):
    r = client_for(world.user(Role.READONLY_LEADER)).get(f"/members/{world.members['member'].pk}/edit/")
    assert r.status_code == 403
