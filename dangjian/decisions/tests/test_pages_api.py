"""四议两公开 through the pages, the Excel export and the API: scope, the next-step form, bad input
answered 400 with the rule's message beside its field and nothing written."""

import datetime
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.decisions import services
from dangjian.decisions.models import Decision, DecisionStep, Opinion, State
from dangjian.decisions.tests.support import hold_both_posts

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def ymd(days_ago=0):
    return (today() - datetime.timedelta(days=days_ago)).isoformat()


# --- list and export ------------------------------------------------------------------------------


def test_list_shows_only_rows_in_scope_and_exports(world, client_for):
    c = client_for(world.user("village_secretary"))
    r = c.get("/decisions/")
    assert r.status_code == 200
    text = r.content.decode()
    assert "村甲道路硬化事项" in text and "村外道路硬化事项" not in text
    assert "登记事项" in text
    r = c.get("/decisions/?export=xlsx&state=deliberation")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active
    cells = [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert "村甲道路硬化事项" in cells and not any("外" in v for v in cells)
    assert "待两委商议" in cells
    assert "村甲道路硬化事项" not in c.get("/decisions/?state=resolution").content.decode()
    assert "村甲道路硬化事项" in c.get("/decisions/?q=村甲一").content.decode()


def test_list_readonly_sees_but_cannot_add_and_grid_leader_sees_nothing(world, client_for):
    r = client_for(world.user("readonly_leader")).get("/decisions/")
    assert "村甲道路硬化事项" in r.content.decode() and "decision-new" not in r.content.decode()
    r = client_for(world.user("grid_leader")).get("/decisions/")
    assert "村甲道路硬化事项" not in r.content.decode()


def test_list_queries_do_not_grow_with_rows(world, client_for):
    c = client_for(world.user("county_admin"))
    with CaptureQueriesContext(connection) as one:
        assert c.get("/decisions/").status_code == 200
    admin = world.user("county_admin")
    for i in range(15):
        d = services.open_decision(
            admin, org=world.orgs["sibling" if i % 2 else "branch"], title=f"事项甲{i}"
        )
        services.add_opinion(admin, d, text="意见")
    with CaptureQueriesContext(connection) as many:
        r = c.get("/decisions/")
    assert "事项甲14" in r.content.decode()
    assert len(many.captured_queries) <= len(one.captured_queries)


# --- new ------------------------------------------------------------------------------------------


def test_new_decision_page(world, client_for):
    c = client_for(world.user("village_secretary"))
    assert c.get("/decisions/new/").status_code == 200
    r = c.post(
        "/decisions/new/",
        {"org": world.orgs["branch"].pk, "title": "村甲一光伏项目", "meeting_kind": "villagers"},
    )
    assert r.status_code == 302
    d = Decision.objects.get(title="村甲一光伏项目")
    assert r["Location"] == f"/decisions/{d.pk}/" and d.meeting_kind == "villagers"


def test_new_decision_bad_input(world, client_for):
    c = client_for(world.user("village_secretary"))
    before = Decision.objects.count()
    r = c.post("/decisions/new/", {"org": world.orgs["branch"].pk, "title": "", "meeting_kind": "villagers"})
    assert r.status_code == 400 and "该字段是必填项" in r.content.decode()
    r = c.post(
        "/decisions/new/", {"org": world.orgs["out_branch"].pk, "title": "事项", "meeting_kind": "villagers"}
    )
    assert r.status_code == 400 and "不在您的管辖范围内" in r.content.decode()
    r = c.post(
        "/decisions/new/", {"org": world.orgs["branch"].pk, "title": "事项", "opened_on": "2099-01-01"}
    )
    assert r.status_code == 400
    assert Decision.objects.count() == before
    assert client_for(world.user("readonly_leader")).get("/decisions/new/").status_code == 403


# --- detail, next step, opinions -----------------------------------------------------------------


def test_detail_shows_timeline_and_only_the_next_step_form(world, client_for):
    d = world.decisions["decision"]
    c = client_for(world.user("village_secretary"))
    r = c.get(f"/decisions/{d.pk}/")
    text = r.content.decode()
    assert r.status_code == 200
    assert "登记：村“两委”会议商议" in text and "村甲群众：建议先修排水沟" in text
    assert 'name="present"' not in text  # the deliberation has no quorum fields
    assert client_for(world.user("out_admin")).get(f"/decisions/{d.pk}/").status_code == 404
    text = client_for(world.user("readonly_leader")).get(f"/decisions/{d.pk}/").content.decode()
    assert "step-form" not in text and "opinion-form" not in text


def test_recording_steps_through_the_page(world, client_for):
    d = world.decisions["decision"]
    c = client_for(world.user("village_secretary"))
    assert c.post(f"/decisions/{d.pk}/step/", {"held_on": ymd(2), "notes": "两委会商议"}).status_code == 302
    text = c.get(f"/decisions/{d.pk}/").content.decode()
    assert "应到会党员人数" in text and 'name="in_favour"' in text
    r = c.post(
        f"/decisions/{d.pk}/step/", {"held_on": ymd(1), "expected": 30, "present": 19, "in_favour": 19}
    )
    assert r.status_code == 400
    assert "到会党员19人，不足应到会党员30人的三分之二" in r.content.decode()
    assert Decision.objects.get(pk=d.pk).state == State.ASSEMBLY_REVIEW
    r = c.post(
        f"/decisions/{d.pk}/step/", {"held_on": ymd(1), "expected": 30, "present": 20, "in_favour": 16}
    )
    assert r.status_code == 302
    assert Decision.objects.get(pk=d.pk).state == State.RESOLUTION
    r = c.post(f"/decisions/{d.pk}/step/", {"held_on": "不是日期", "expected": "x"})
    assert r.status_code == 400


def test_step_page_refuses_readonly_and_out_of_scope(world, client_for):
    d, out = world.decisions["decision"], world.decisions["out_decision"]
    assert (
        client_for(world.user("readonly_leader"))
        .post(f"/decisions/{d.pk}/step/", {"held_on": ymd()})
        .status_code
        == 403
    )
    assert (
        client_for(world.user("village_secretary"))
        .post(f"/decisions/{out.pk}/step/", {"held_on": ymd()})
        .status_code
        == 404
    )
    assert DecisionStep.objects.filter(decision__in=[d, out]).count() == 2


def test_opinions_through_the_page(world, client_for):
    d = world.decisions["decision"]
    c = client_for(world.user("station_chief"))
    r = c.post(
        f"/decisions/{d.pk}/opinions/", {"text": "希望公开预算", "channel": "box", "resident_name": "张某"}
    )
    assert r.status_code == 302
    r = c.post(
        f"/decisions/{d.pk}/opinions/", {"text": "意见", "channel": "box", "received_on": "2099-01-01"}
    )
    assert r.status_code == 400 and "收到日期不能晚于今天" in r.content.decode()
    assert d.opinions.count() == 2


# --- API ------------------------------------------------------------------------------------------


def test_api_list_retrieve_and_scope(world, client_for):
    c = client_for(world.user("village_secretary"))
    body = c.get("/api/v1/decisions/").json()
    titles = [row["title"] for row in body["results"]]
    assert titles == ["村甲道路硬化事项"]
    d, out = world.decisions["decision"], world.decisions["out_decision"]
    detail = c.get(f"/api/v1/decisions/{d.pk}/").json()
    assert [s["step"] for s in detail["steps"]] == ["proposal"] and detail["state"] == "deliberation"
    assert c.get(f"/api/v1/decisions/{out.pk}/").status_code == 404
    assert (
        c.post(
            f"/api/v1/decisions/{out.pk}/record-step/", {"step": "deliberation", "held_on": ymd()}
        ).status_code
        == 404
    )


def test_api_create_record_step_and_opinions(world, client_for):
    c = client_for(world.user("township_staff"))
    r = c.post(
        "/api/v1/decisions/",
        {
            "org": world.orgs["branch"].pk,
            "title": "村甲一集体经济分红",
            "meeting_kind": "representatives",
        },
        content_type="application/json",
    )
    assert r.status_code == 201, r.json()
    pk = r.json()["id"]
    url = f"/api/v1/decisions/{pk}/record-step/"
    r = c.post(
        url,
        {"step": "resolution", "held_on": ymd(3), "expected": 30, "present": 25, "in_favour": 20},
        content_type="application/json",
    )
    assert r.status_code == 400
    assert r.json()["step"] == [
        "须先由村党组织提议，才能形成村民代表会议决议（四议两公开，农村基层组织工作条例）"
    ]
    r = c.post(url, {"step": "proposal", "held_on": ymd(3), "merge": True}, content_type="application/json")
    assert r.status_code == 400 and "不是同一人" in r.json()["merge"][0]
    hold_both_posts(world)
    r = c.post(url, {"step": "proposal", "held_on": ymd(3), "merge": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "assembly_review"
    r = c.post(
        url,
        {"step": "assembly_review", "held_on": ymd(2), "expected": 30, "present": 30, "in_favour": 15},
        content_type="application/json",
    )
    assert r.status_code == 400 and "未超过应到会党员30人的半数" in r.json()["in_favour"][0]
    failed = {"step": "assembly_review", "held_on": ymd(2), "expected": 30, "present": 30, "in_favour": 15}
    r = c.post(url, {**failed, "rejected": True}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    assert r.json()["steps"][-1]["passed"] is False
    r = c.post(f"/api/v1/decisions/{pk}/opinions/", {"text": "建议按户分红"}, content_type="application/json")
    assert r.status_code == 201
    assert [o["text"] for o in c.get(f"/api/v1/decisions/{pk}/opinions/").json()] == ["建议按户分红"]
    assert Opinion.objects.filter(decision_id=pk).count() == 1


def test_api_bad_input(world, client_for):
    c = client_for(world.user("village_secretary"))
    r = c.post(
        "/api/v1/decisions/",
        {"org": world.orgs["out_branch"].pk, "title": "事项"},
        content_type="application/json",
    )
    assert r.status_code == 400 and "org" in r.json()
    d = world.decisions["decision"]
    r = c.post(
        f"/api/v1/decisions/{d.pk}/record-step/",
        {"step": "飞", "held_on": "x"},
        content_type="application/json",
    )
    assert r.status_code == 400 and {"step", "held_on"} <= set(r.json())
    r = client_for(world.user("readonly_leader")).post(
        f"/api/v1/decisions/{d.pk}/opinions/", {"text": "意见"}, content_type="application/json"
    )
    assert r.status_code == 403
    assert Decision.objects.get(pk=d.pk).steps.count() == 1 and d.opinions.count() == 1
