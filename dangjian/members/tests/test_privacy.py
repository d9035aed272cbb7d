"""A person's data: the export gathers every record about them across apps and is audited; anonymising
is refused for anyone on a roll and blanks what identifies a former member, keeping the records."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from openpyxl import load_workbook

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Standing
from dangjian.members.models import DuesPayment, Member, Person
from dangjian.members.services import privacy
from dangjian.members.testing import add_person

pytestmark = pytest.mark.django_db


def former(world) -> Member:
    """甲党员一, removed from the roll (a former member: anonymisable)."""
    member = world.members["member"]
    Member.objects.filter(pk=member.pk).update(
        standing=Standing.REMOVED, standing_since=datetime.date(2026, 5, 1)
    )
    return Member.objects.select_related("person").get(pk=member.pk)


def test_export_gathers_records_from_every_app_and_is_audited(world):
    member = world.members["member"]
    data = privacy.export_person(world.user(Role.COUNTY_ADMIN), member.person)
    titles = [s["title"] for s in data["sections"]]
    assert titles[:2] == ["个人信息", "党员信息"]
    for title in ("党费交纳", "流动党员外出登记", "党籍处置", "党员包户"):
        assert any(title in t for t in titles), (title, titles)
    person_row = data["sections"][0]["rows"][0]
    assert person_row["公民身份号码"] == member.person.id_number
    assert person_row["联系电话"] == member.person.phone
    assert "name_pinyin" not in json.dumps(data, ensure_ascii=False)
    event = AuditEvent.objects.get(action="person.export")
    assert event.object_id == str(member.person.pk)


@pytest.mark.parametrize("role", [Role.TOWNSHIP_STAFF, Role.VILLAGE_SECRETARY, Role.STATION_CHIEF])
def test_only_county_admins_may_export(world, role):
    with pytest.raises(ActionDenied):
        privacy.export_person(world.user(role), world.members["member"].person)
    assert not AuditEvent.objects.filter(action="person.export").exists()


def test_a_member_on_the_roll_cannot_be_anonymised(world):
    person = world.members["member"].person
    with pytest.raises(DomainError, match="在册党员"):
        privacy.anonymise_person(world.user(Role.COUNTY_ADMIN), person, "本人申请")
    person.refresh_from_db()
    assert person.name == "甲党员一" and person.id_number


def test_a_reason_is_required(world):
    with pytest.raises(DomainError) as exc:
        privacy.anonymise_person(world.user(Role.COUNTY_ADMIN), former(world).person, "  ")
    assert exc.value.field == "reason"


def test_anonymising_a_former_member_blanks_identity_and_keeps_records(world):
    member = former(world)
    dues = DuesPayment.objects.filter(member=member).count()
    person = privacy.anonymise_person(world.user(Role.COUNTY_ADMIN), member.person, "本人申请，保存期限届满")
    person.refresh_from_db()
    assert person.name == "已匿名" and person.id_number is None and person.phone == ""
    assert person.name_pinyin == "" and person.id_tail == "" and person.household is None
    assert person.birth_date == datetime.date(member.person.birth_date.year, 1, 1)
    assert DuesPayment.objects.filter(member=member).count() == dues
    assert Member.objects.get(pk=member.pk).person_id == person.pk
    event = AuditEvent.objects.get(action="person.anonymise")
    assert event.note == "本人申请，保存期限届满"
    assert "甲党员一" not in json.dumps([event.before, event.after], ensure_ascii=False)
    with pytest.raises(DomainError, match="已经匿名化"):
        privacy.anonymise_person(world.user(Role.COUNTY_ADMIN), person, "再来一次")


def test_a_non_member_can_be_anonymised(world):
    admin = world.user(Role.COUNTY_ADMIN)
    plain = add_person(world.orgs["branch"], "甲群众", datetime.date(1990, 1, 1), 77)
    privacy.anonymise_person(admin, plain, "本人申请")
    assert Person.objects.get(pk=plain.pk).name == "已匿名"


def test_out_of_scope_people_read_as_absent(world):
    from dangjian.core.errors import NotInScope

    with pytest.raises(NotInScope):
        privacy.export_person(world.user(Role.COUNTY_ADMIN), world.members["out"].person)


# --- pages and API --------------------------------------------------------------------------------


def test_member_page_offers_export_and_anonymise_to_county_admins_only(world, client_for):
    member = former(world)
    page = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/members/{member.pk}/").content.decode()
    assert 'data-testid="person-export"' in page and 'data-testid="anonymise-form"' in page
    page = client_for(world.user(Role.TOWNSHIP_STAFF)).get(f"/members/{member.pk}/").content.decode()
    assert "person-export" not in page and "anonymise-form" not in page
    on_roll = world.members["sibling"]
    page = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/members/{on_roll.pk}/").content.decode()
    assert "person-export" in page and "anonymise-form" not in page


def test_export_page_sends_a_workbook(world, client_for):
    person = world.members["member"].person
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(f"/members/people/{person.pk}/export/")
    assert r.status_code == 200 and r["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(r.content), read_only=True)
    assert wb.sheetnames[:2] == ["个人信息", "党员信息"]
    assert r["Cache-Control"].startswith("max-age=0")
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(f"/members/people/{person.pk}/export/")
    assert r.status_code == 403


def test_anonymise_page_refuses_with_a_message_and_then_succeeds(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    on_roll = world.members["sibling"]
    r = client.post(f"/members/people/{on_roll.person_id}/anonymise/", {"reason": "本人申请"}, follow=True)
    assert "在册党员" in r.content.decode()
    member = former(world)
    r = client.post(f"/members/people/{member.person_id}/anonymise/", {"reason": "本人申请"})
    assert r.status_code == 302 and r["Location"] == f"/members/{member.pk}/"
    assert Person.objects.get(pk=member.person_id).name == "已匿名"


def test_api_export_and_anonymise(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    member = former(world)
    r = client.get(f"/api/v1/people/{member.person_id}/export/")
    assert r.status_code == 200 and r.json()["sections"][0]["title"] == "个人信息"
    r = client.post(f"/api/v1/people/{member.person_id}/anonymise/", {}, content_type="application/json")
    assert r.status_code == 400 and "reason" in r.json()
    r = client.post(
        f"/api/v1/people/{member.person_id}/anonymise/",
        {"reason": "本人申请"},
        content_type="application/json",
    )
    assert r.status_code == 200 and r.json()["name"] == "已匿名"
    out = world.members["out"].person_id
    assert client.get(f"/api/v1/people/{out}/export/").status_code == 404
    staff = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert staff.get(f"/api/v1/people/{world.members['sibling'].person_id}/export/").status_code == 403
