"""The roster page (花名册): filters, search by name / pinyin / initials / ID tail, sorting, masking on
screen and in the export, the audited full-value export, and a query count that does not grow with rows."""

from __future__ import annotations

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.dates import add_years
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.members.testing import add_member

pytestmark = pytest.mark.django_db

URL = "/members/"


def names(response) -> set[str]:
    table = response.context["table"]
    return {row.record.person.name for row in table.paginated_rows}


def sheet_rows(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(r) for r in wb.active.iter_rows(values_only=True)]


@pytest.fixture
def admin_client(world, client_for):
    return client_for(world.user(Role.COUNTY_ADMIN))


def test_the_roster_lists_members_in_scope_only(world, admin_client):
    r = admin_client.get(URL)
    assert r.status_code == 200
    assert names(r) == {"甲党员一", "甲党员二", "甲预备党员"}
    assert "外党员" not in r.content.decode()


def test_a_village_secretary_sees_her_branch(world, client_for):
    r = client_for(world.user(Role.VILLAGE_SECRETARY)).get(URL)
    assert names(r) == {"甲党员一", "甲预备党员"}


def test_a_department_liaison_sees_no_roster(world, client_for):
    r = client_for(world.user(Role.DEPT_LIAISON)).get(URL)
    assert r.status_code == 200
    assert names(r) == set()


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("甲党员", {"甲党员一", "甲党员二"}),
        ("预备", {"甲预备党员"}),
        ("jdyy", {"甲党员一"}),  # initials of 甲党员一 (jia dang yuan yi)
        ("jdy", {"甲党员一", "甲党员二"}),  # 甲预备党员 is jybdy
        ("JiaYu", {"甲预备党员"}),  # full pinyin, any case
        ("dangyuan", set()),  # pinyin matches from the start of the name only
    ],
)
def test_search_by_name_pinyin_and_initials(world, admin_client, q, expected):
    assert names(admin_client.get(URL, {"q": q})) == expected


def test_search_by_the_tail_of_the_id_number(world, admin_client):
    number = world.members["sibling"].person.id_number
    assert names(admin_client.get(URL, {"q": number[-4:]})) == {"甲党员二"}
    full_width = number[-6:].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert names(admin_client.get(URL, {"q": full_width})) == {"甲党员二"}


def test_subtree_filter_and_an_org_outside_scope(world, admin_client):
    assert names(admin_client.get(URL, {"org": world.orgs["branch"].pk})) == {"甲党员一", "甲预备党员"}
    assert names(admin_client.get(URL, {"org": world.orgs["station"].pk})) == {
        "甲党员一",
        "甲党员二",
        "甲预备党员",
    }
    assert names(admin_client.get(URL, {"org": world.orgs["out_branch"].pk})) == set()


def test_status_gender_education_mobile_and_lost_filters(world, admin_client):
    assert names(admin_client.get(URL, {"status": "probationary"})) == {"甲预备党员"}
    assert names(admin_client.get(URL, {"gender": "female"})) == {"甲党员二"}
    Member.objects.filter(pk=world.members["member"].pk).update(is_mobile=True)
    Member.objects.filter(pk=world.members["sibling"].pk).update(lost_contact_since=datetime.date(2026, 1, 1))
    assert names(admin_client.get(URL, {"mobile": "true"})) == {"甲党员一"}
    assert names(admin_client.get(URL, {"lost": "true"})) == {"甲党员二"}
    assert names(admin_client.get(URL, {"lost": "false"})) == {"甲党员一", "甲预备党员"}
    world.members["member"].person.__class__.objects.filter(pk=world.members["member"].person_id).update(
        education="bachelor"
    )
    assert names(admin_client.get(URL, {"education": "bachelor"})) == {"甲党员一"}


def test_age_bands_are_counted_from_today(world, admin_client):
    today = timezone.localdate()
    add_member(
        world.orgs["branch"], "甲刚满三十五", 40, birth=add_years(today, -35), joined_on=add_years(today, -10)
    )
    add_member(
        world.orgs["branch"],
        "甲三十四",
        41,
        birth=add_years(today, -35) + datetime.timedelta(days=1),
        joined_on=add_years(today, -10),
    )
    assert names(admin_client.get(URL, {"age": "u35"})) == {"甲三十四"}
    assert "甲刚满三十五" in names(admin_client.get(URL, {"age": "35_45"}))
    # The seed members were born in 1970: 56 years old.
    assert {"甲党员一", "甲党员二", "甲预备党员"} <= names(admin_client.get(URL, {"age": "45_60"}))


def test_members_off_the_roll_are_hidden_unless_asked(world, admin_client):
    Member.objects.filter(pk=world.members["sibling"].pk).update(standing=Standing.REMOVED)
    assert names(admin_client.get(URL)) == {"甲党员一", "甲预备党员"}
    assert names(admin_client.get(URL, {"standing": "all"})) == {"甲党员一", "甲党员二", "甲预备党员"}
    assert names(admin_client.get(URL, {"standing": "removed"})) == {"甲党员二"}


def test_sorting_by_birth_date_and_by_age_column(world, admin_client):
    def order(params):
        r = admin_client.get(URL, params)
        return [row.record.person.name for row in r.context["table"].paginated_rows]

    # Births: 甲党员一 seq 1, 甲党员二 seq 2, 甲预备党员 seq 3 → later seq, later birth.
    assert order({"ordering": "birth_date"}) == ["甲党员一", "甲党员二", "甲预备党员"]
    assert order({"ordering": "-birth_date"}) == ["甲预备党员", "甲党员二", "甲党员一"]
    assert order({"sort": "age"}) == ["甲预备党员", "甲党员二", "甲党员一"]
    assert order({"ordering": "name"}) == ["甲党员二", "甲党员一", "甲预备党员"]  # jiadangyuaner < …yi


def test_id_numbers_and_phones_are_masked_in_the_list(world, admin_client):
    person = world.members["member"].person
    html = admin_client.get(URL).content.decode()
    assert f"{person.id_number[:6]}********{person.id_number[-4:]}" in html
    assert "138****0001" in html
    assert person.id_number not in html
    assert person.phone not in html


def test_the_export_is_masked_and_shows_derived_ages(world, admin_client):
    person = world.members["member"].person
    rows = sheet_rows(admin_client.get(URL, {"export": "xlsx"}))
    header = rows[1]
    assert header[:3] == ("姓名", "性别", "年龄")
    assert "身份证号" in header and "党龄" in header
    row = next(r for r in rows if r[0] == "甲党员一")
    record = dict(zip(header, row, strict=False))
    assert record["身份证号"] == f"{person.id_number[:6]}********{person.id_number[-4:]}"
    assert record["电话"] == "138****0001"
    assert record["年龄"] == person.age
    assert record["党龄"] == world.members["member"].party_age
    assert not any(person.id_number in str(c) for r in rows for c in r)
    assert not AuditEvent.objects.filter(action="member.export_pii").exists()


def test_the_full_value_export_is_audited_once(world, admin_client):
    person = world.members["member"].person
    r = admin_client.get(URL, {"export": "xlsx", "pii": "1", "org": world.orgs["branch"].pk})
    rows = sheet_rows(r)
    record = dict(zip(rows[1], next(x for x in rows if x[0] == "甲党员一"), strict=False))
    assert record["身份证号"] == person.id_number
    assert record["电话"] == person.phone
    assert {x[0] for x in rows[2:]} == {"甲党员一", "甲预备党员"}
    events = AuditEvent.objects.filter(action="member.export_pii")
    assert events.count() == 1
    assert events.get().note == "导出2名党员的完整身份证号和电话"
    assert events.get().org == world.orgs["county"]


@pytest.mark.parametrize("role", [Role.STATION_CHIEF, Role.GRID_LEADER, Role.READONLY_LEADER])
def test_roles_without_pii_cannot_export_full_values(world, client_for, role):
    r = client_for(world.user(role)).get(URL, {"export": "xlsx", "pii": "1"})
    assert r.status_code == 403
    assert not AuditEvent.objects.filter(action="member.export_pii").exists()


def test_queries_per_page_do_not_grow_with_the_number_of_members(
    world, admin_client, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as few:
        assert len(names(admin_client.get(URL))) == 3
    for i in range(27):
        add_member(world.orgs["branch"], f"甲加党员{i}", 100 + i)
    with django_assert_max_num_queries(len(few)):
        assert len(names(admin_client.get(URL))) == 30
