"""The rota's pages and API: the week (statuses, gaps red), the forms (refusals beside the field, a 4xx,
nothing written), the gap list with filters and Excel, scope 404s and constant queries."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.roles import Role
from dangjian.villages import duty
from dangjian.villages.models import DutyCheckIn, DutySlot, DutyStatus, Post, PostKind

from .duty_world import MONDAY, TODAY, day, village, weekly

pytestmark = pytest.mark.django_db


@pytest.fixture
def rota(world):
    secretary, member = village(world)
    slots = [weekly(world, secretary, w) for w in (0, 1, 4)]
    duty.check_in(world.root, slots[0], date=MONDAY, status=DutyStatus.PRESENT, today=TODAY)
    duty.check_in(world.root, slots[1], date=day(1), status=DutyStatus.ABSENT, note="未请假", today=TODAY)
    duty.check_in(
        world.root, slots[2], date=day(4), status=DutyStatus.REPLACED, replaced_by_id=member.pk, today=TODAY
    )
    return secretary, member, slots


def url(world, org="sibling"):
    return f"/villages/village/{world.orgs[org].pk}/duty/"


def test_week_page_shows_who_was_there_and_the_gaps(world, client_for, rota):
    page = client_for(world.user(Role.VILLAGE_SECRETARY)).get(url(world, "branch")).status_code
    assert page == 200
    html = client_for(world.user(Role.TOWNSHIP_STAFF)).get(f"{url(world)}?week={MONDAY}").content.decode()
    assert "郭凯" in html and "在岗" in html and "缺岗" in html and "替班：委员甲" in html
    assert "工作日无人坐班" in html  # Thursday
    assert "休息日" in html  # 县甲's 07-01 and the weekend
    assert "外村" not in html


def test_week_page_is_404_outside_and_for_roles_that_do_not_read_villages(world, client_for, rota):
    assert client_for(world.user("out_admin")).get(url(world)).status_code == 404
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).get(url(world)).status_code == 404  # 村甲一's
    assert client_for(world.user(Role.COUNTY_ADMIN)).get(url(world, "out_branch")).status_code == 404


def test_week_page_runs_constant_queries(world, client_for, rota):
    secretary, member, _ = rota
    client = client_for(world.user(Role.COUNTY_ADMIN))
    with CaptureQueriesContext(connection) as small:
        assert client.get(f"{url(world)}?week={MONDAY}").status_code == 200
    for w in (2, 3, 5, 6):
        slot = weekly(world, member, w)
        duty.check_in(world.root, slot, date=day(w), status=DutyStatus.PRESENT, today=TODAY)
    weekly(world, member, 0, start=duty.datetime.time(14), end=duty.datetime.time(17))
    with CaptureQueriesContext(connection) as big:
        assert client.get(f"{url(world)}?week={MONDAY}").status_code == 200
    assert len(big) == len(small)


def test_slot_form_refuses_a_cadre_of_another_village_beside_the_field(world, client_for, rota):
    other = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    before = DutySlot.objects.count()
    page = client.post(
        f"{url(world)}new/", {"post_id": other.pk, "date": "2026-07-06", "start": "08:30", "end": "12:00"}
    )
    assert page.status_code == 400
    assert "不是村甲二“两委”现任成员，不能安排坐班值班" in page.content.decode()
    assert DutySlot.objects.count() == before
    ok = client.post(
        f"{url(world)}new/", {"post_id": rota[1].pk, "date": "2026-07-06", "start": "08:30", "end": "12:00"}
    )
    assert ok.status_code == 302 and "week=2026-07-06" in ok["Location"]
    form = client.get(f"{url(world)}new/").content.decode()
    assert "委员甲" in form and "甲书记郭凯" not in form


def test_check_in_form_and_roles(world, client_for, rota):
    slot = rota[2][0]
    path = f"/villages/duty-slot/{slot.pk}/check/"
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    bad = client.post(path, {"date": "2026-07-07", "status": "present"})
    assert bad.status_code == 400 and "不在该值班安排之内" in bad.content.decode()
    assert client.post(path, {"date": "2026-07-06", "status": "absent"}).status_code == 302
    assert DutyCheckIn.objects.get(slot=slot, date=day(7)).status == DutyStatus.ABSENT
    assert client_for(world.user(Role.READONLY_LEADER)).post(path, {"date": "2026-07-06"}).status_code == 403
    assert client_for(world.user("out_admin")).get(path).status_code == 404


def test_gap_list_filters_exports_and_stays_in_scope(world, client_for, rota):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/villages/duty-gaps/", {"start": MONDAY, "end": day(6)})
    html = page.content.decode()
    assert page.status_code == 200 and "村甲二" in html and "外村" not in html and "共 " in html
    only = client.get("/villages/duty-gaps/", {"start": MONDAY, "end": day(6), "kind": "absent", "q": "甲二"})
    assert (
        "未请假" in only.content.decode() and "工作日无人坐班" not in only.content.decode().split("<tbody")[1]
    )
    export = client.get(
        "/villages/duty-gaps/", {"start": MONDAY, "end": day(6), "q": "甲二", "export": "xlsx"}
    )
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert rows[1] == ("日期", "乡镇", "村（社区）", "缺口类别", "说明")
    kinds = sorted(r[3] for r in rows[2:])
    assert kinds == ["工作日无人坐班", "缺岗"]
    assert all(r[1] == "镇甲" for r in rows[2:])
    out = client_for(world.user("out_admin")).get("/villages/duty-gaps/", {"start": MONDAY, "end": day(6)})
    assert "村甲二" not in out.content.decode()


def test_gap_list_runs_constant_queries(world, client_for, rota):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    args = {"start": MONDAY, "end": day(6)}
    with CaptureQueriesContext(connection) as small:
        client.get("/villages/duty-gaps/", args)
    village(world, "community")
    for w in range(5):
        weekly(world, Post.objects.get(org=world.orgs["community"], kind=PostKind.MEMBER), w, org="community")
    with CaptureQueriesContext(connection) as big:
        client.get("/villages/duty-gaps/", args)
    assert len(big) == len(small)


def test_api_lists_in_scope_creates_through_the_service_and_checks_in(world, client_for, rota):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    listed = client.get("/api/v1/village-duty-slots/").json()
    names = {r["org_name"] for r in listed["results"]}
    assert "村甲二" in names and "外村" not in names
    other = Post.objects.get(org=world.orgs["branch"], kind=PostKind.SECRETARY)
    org = world.orgs["sibling"].pk
    bad = client.post(
        "/api/v1/village-duty-slots/",
        {"org": org, "post_id": other.pk, "date": "2026-07-06", "start": "08:30", "end": "12:00"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "不是村甲二“两委”现任成员" in bad.json()["post_id"][0]
    made = client.post(
        "/api/v1/village-duty-slots/",
        {"org": org, "post_id": rota[1].pk, "weekday": 3, "valid_from": "2026-06-29", "start": "08:30",
         "end": "12:00"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["cadre"] == "委员甲"
    slot = made.json()["id"]
    checked = client.post(
        f"/api/v1/village-duty-slots/{slot}/check-in/",
        {"date": "2026-07-02", "status": "present"},
        content_type="application/json",
    )
    assert checked.status_code == 200 and checked.json()["status"] == "present"
    gaps = client.get("/api/v1/village-duty-gaps/", {"start": "2026-06-29", "end": "2026-07-05"}).json()
    kinds = {(g["org_name"], g["kind"]) for g in gaps["results"]}
    assert ("村甲二", "absent") in kinds and ("村甲二", "uncovered") not in kinds
    assert all(g["org_name"] != "外村" for g in gaps["results"])
    out = client_for(world.user("out_admin"))
    assert out.get(f"/api/v1/village-duty-slots/{slot}/").status_code == 404
    assert (
        out.post(
            f"/api/v1/village-duty-slots/{slot}/check-in/", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.get("/api/v1/village-duty-gaps/", {"start": "x"}).status_code == 400
