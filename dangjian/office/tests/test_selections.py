"""Staff selection: self-nomination or a leader's recommendation, then the township's review, then
appointment; each step with who and when, in that order only."""

import datetime

import pytest

from dangjian.core.errors import ActionDenied, DomainError
from dangjian.office.choices import ReviewDecision, SelectionRoute, SelectionStatus, StepKind
from dangjian.office.models import SelectionStep, StaffSelection
from dangjian.office.services import selections

from .conftest import TODAY, audit_count, html

pytestmark = pytest.mark.django_db
D = datetime.date


def open_one(users, world, **kw):
    values = {"done_on": D(2026, 11, 1), "today": TODAY} | kw
    route = values.pop("route", SelectionRoute.SELF)
    return selections.open_selection(users.office, world.orgs["township"], "甲新人", route, **values)


def step(users, s, kind, day, **kw):
    return selections.record_step(users.office, s, kind, done_on=day, today=TODAY, **kw)


def test_opening_records_the_first_step_with_who_and_when(users, world):
    s = open_one(users, world, route=SelectionRoute.RECOMMENDED, by_name="分管领导 甲某")
    first = s.steps.get()
    assert (first.kind, first.by_name, first.done_on, first.recorded_by) == (
        StepKind.RECOMMENDATION,
        "分管领导 甲某",
        D(2026, 11, 1),
        users.office,
    )
    assert s.status == SelectionStatus.PENDING
    with pytest.raises(DomainError, match="推荐领导"):
        open_one(users, world, route=SelectionRoute.RECOMMENDED)
    with pytest.raises(DomainError, match="不能晚于今天"):
        open_one(users, world, done_on=D(2026, 11, 26))


def test_steps_in_order_review_then_appointment(users, world):
    s = open_one(users, world, candidate_user=users.staff2)
    step(users, s, StepKind.RECOMMENDATION, D(2026, 11, 2), by_name="分管领导")
    with pytest.raises(DomainError, match="已登记过"):
        step(users, s, StepKind.NOMINATION, D(2026, 11, 3))
    with pytest.raises(DomainError, match="只有乡镇审核同意的人选才能任用"):
        step(users, s, StepKind.APPOINTMENT, D(2026, 11, 3), post=world.office["post"])
    with pytest.raises(DomainError, match="不能早于上一环节"):
        step(users, s, StepKind.REVIEW, D(2026, 11, 1), decision=ReviewDecision.APPROVED, opinion="同意")
    with pytest.raises(DomainError, match="审核意见"):
        step(users, s, StepKind.REVIEW, D(2026, 11, 5), decision=ReviewDecision.APPROVED)
    step(users, s, StepKind.REVIEW, D(2026, 11, 5), decision=ReviewDecision.APPROVED, opinion="同意纳入")
    s.refresh_from_db()
    assert s.status == SelectionStatus.APPROVED
    with pytest.raises(DomainError, match="审核之后不能再登记"):
        step(users, s, StepKind.RECOMMENDATION, D(2026, 11, 6), by_name="x")
    with pytest.raises(DomainError, match="已经过乡镇审核"):
        step(users, s, StepKind.REVIEW, D(2026, 11, 6), decision=ReviewDecision.APPROVED, opinion="x")
    step(users, s, StepKind.APPOINTMENT, D(2026, 11, 10), post=world.office["post"])
    s.refresh_from_db()
    assert s.status == SelectionStatus.APPOINTED and s.appointed_post == world.office["post"]
    assert world.office["post"].holders.get(until__isnull=True).user == users.staff2
    assert [x.kind for x in s.steps.order_by("done_on", "pk")] == [
        StepKind.NOMINATION,
        StepKind.RECOMMENDATION,
        StepKind.REVIEW,
        StepKind.APPOINTMENT,
    ]


def test_review_needs_a_nomination_or_recommendation(users, world):
    s = open_one(users, world)
    SelectionStep.objects.filter(selection=s).delete()  # a record brought in without its first step
    with pytest.raises(DomainError, match="须在个人自荐或分管领导推荐之后"):
        step(users, s, StepKind.REVIEW, D(2026, 11, 5), decision=ReviewDecision.APPROVED, opinion="同意")


def test_refused_cannot_be_appointed(users, world):
    s = open_one(users, world, candidate_user=users.staff2)
    step(users, s, StepKind.REVIEW, D(2026, 11, 5), decision=ReviewDecision.REFUSED, opinion="暂不调整")
    before = (SelectionStep.objects.count(), audit_count())
    with pytest.raises(DomainError, match="审核未通过"):
        step(users, s, StepKind.APPOINTMENT, D(2026, 11, 6), post=world.office["post"])
    assert (SelectionStep.objects.count(), audit_count()) == before


def test_a_candidate_without_an_account_cannot_be_appointed(users, world):
    s = open_one(users, world)
    step(users, s, StepKind.REVIEW, D(2026, 11, 5), decision=ReviewDecision.APPROVED, opinion="同意")
    with pytest.raises(DomainError, match="还没有系统账号"):
        step(users, s, StepKind.APPOINTMENT, D(2026, 11, 6), post=world.office["post"])
    with pytest.raises(DomainError, match="不是本党建办的现设岗位"):
        step(users, s, StepKind.APPOINTMENT, D(2026, 11, 6), post=world.office["out_post"])


def test_roles(users, world):
    s = world.office["selection"]
    with pytest.raises(ActionDenied):
        selections.record_step(
            users.leader, s, StepKind.REVIEW, done_on=TODAY, decision="approved", opinion="x"
        )


def test_pages(client_for, users, world):
    c = client_for(users.office)
    r = c.post(
        "/office/selections/new/",
        {
            "township": world.orgs["township"].pk,
            "candidate_name": "甲选调生",
            "source": "selected_graduate",
            "route": "self",
            "done_on": "2026-11-01",
        },
    )
    s = StaffSelection.objects.get(candidate_name="甲选调生")
    assert r.status_code == 302 and r["Location"] == f"/office/selections/{s.pk}/"
    r = c.post(
        f"/office/selections/{s.pk}/steps/",
        {"kind": "review", "done_on": "2026-11-02", "decision": "approved"},
    )
    assert r.status_code == 400 and "请填写审核意见" in html(r)
    r = c.post(
        f"/office/selections/{s.pk}/steps/",
        {"kind": "review", "done_on": "2026-11-02", "decision": "refused", "opinion": "暂不调整"},
    )
    assert r.status_code == 302
    page = html(c.get(f"/office/selections/{s.pk}/"))
    assert "审核未通过" in page and "暂不调整" in page and 'data-testid="step-form"' not in page
    listing = html(c.get("/office/selections/", {"status": "refused"}))
    assert "甲选调生" in listing and "甲候选人" not in listing and "外候选人" not in listing
    assert client_for(users.secretary).get(f"/office/selections/{s.pk}/").status_code == 404


def test_api(client_for, users, world):
    c = client_for(users.office)
    r = c.post(
        "/api/v1/staff-selections/",
        {
            "township": world.orgs["township"].pk,
            "candidate_name": "甲接口",
            "route": "recommended",
            "by_name": "分管领导",
            "done_on": "2026-11-01",
            "candidate_user": users.staff2.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["steps"][0]["kind"] == "recommendation"
    pk = r.json()["id"]
    r = c.post(
        f"/api/v1/staff-selections/{pk}/steps/",
        {"kind": "appointment", "done_on": "2026-11-02", "post": world.office["post"].pk},
        content_type="application/json",
    )
    assert r.status_code == 400 and "只有乡镇审核同意" in r.json()["kind"][0]
    r = c.post(
        f"/api/v1/staff-selections/{pk}/steps/",
        {"kind": "review", "done_on": "2026-11-02", "decision": "approved", "opinion": "同意"},
        content_type="application/json",
    )
    assert r.status_code == 201
    r = c.post(
        f"/api/v1/staff-selections/{pk}/steps/",
        {"kind": "appointment", "done_on": "2026-11-03", "post": world.office["post"].pk},
        content_type="application/json",
    )
    assert r.status_code == 201
    assert c.get(f"/api/v1/staff-selections/{pk}/").json()["status"] == "appointed"
    r = c.post(
        "/api/v1/staff-selections/",
        {
            "township": world.orgs["township"].pk,
            "candidate_name": "甲",
            "route": "self",
            "done_on": "2026-11-01",
            "candidate_user": users.out_office.pk,
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and "candidate_user" in r.json()
