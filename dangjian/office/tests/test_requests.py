"""人员提级管理: the township submits, the county approves (the change made on the posts) or returns,
every step kept; each refusal, including anyone approving what they submitted."""

import pytest

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.office.choices import AppraisalGrade, RequestAction, RequestKind, RequestStatus
from dangjian.office.models import PostHolder, StaffRequest
from dangjian.office.services import posts
from dangjian.office.services import requests as svc

from .conftest import TODAY, audit_count

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(world, users):
    township = world.orgs["township"]
    post = world.office["post"]  # 组织岗, held by users.office
    propaganda = posts.create_post(world.root, township, "宣传岗")
    return township, post, propaganda


def current(post):
    return (
        PostHolder.objects.filter(post=post, until__isnull=True)
        .values_list("user__username", flat=True)
        .first()
    )


def test_appointment_submitted_approved_takes_effect_with_its_trail(world, users, office):
    township, _, propaganda = office
    before = audit_count()
    req = svc.submit_request(
        users.office,
        township,
        RequestKind.APPOINT,
        person=users.staff2,
        post=propaganda,
        reason="工作需要",
        today=TODAY,
    )
    assert req.status == RequestStatus.PENDING and current(propaganda) is None
    done = svc.approve_request(users.admin, req, note="同意", today=TODAY)
    assert done.status == RequestStatus.APPROVED and done.decided_on == TODAY
    assert current(propaganda) == "office_staff2"
    steps = list(done.steps.values_list("action", "actor__username", "note"))
    assert steps == [(RequestAction.SUBMIT, "office", "工作需要"), (RequestAction.APPROVE, "county", "同意")]
    assert audit_count() - before >= 3  # submit, the holder's appointment, approve


def test_township_staff_cannot_approve_their_own_request(world, users, office):
    township, _, propaganda = office
    req = svc.submit_request(
        users.office,
        township,
        RequestKind.APPOINT,
        person=users.staff2,
        post=propaganda,
        reason="工作需要",
        today=TODAY,
    )
    for who in (users.office, users.staff2):
        with pytest.raises(ActionDenied, match="须由县委组织部审批，乡镇党建办不能审批本乡镇报送的申请"):
            svc.approve_request(who, req, today=TODAY)
        with pytest.raises(ActionDenied):
            svc.return_request(who, req, note="退回", today=TODAY)
    assert StaffRequest.objects.get(pk=req.pk).status == RequestStatus.PENDING
    assert current(propaganda) is None


def test_no_one_approves_what_they_submitted(world, users, office):
    township, _, propaganda = office
    req = svc.submit_request(
        world.root,
        township,
        RequestKind.APPOINT,
        person=users.staff2,
        post=propaganda,
        reason="工作需要",
        today=TODAY,
    )
    with pytest.raises(ActionDenied, match="不能审批本人报送的申请"):
        svc.approve_request(world.root, req, today=TODAY)


def test_the_county_does_not_submit_and_outsiders_see_nothing(world, users, office):
    township, post, _ = office
    with pytest.raises(ActionDenied, match="由镇甲党建办报送"):
        svc.submit_request(
            users.admin, township, RequestKind.APPRAISE, person=users.office, post=post, year=2025,
            grade=AppraisalGrade.EXCELLENT, reason="年度考核", today=TODAY,
        )  # fmt: skip
    with pytest.raises(NotInScope):
        svc.approve_request(world.user("out_admin"), world.office["request"], today=TODAY)


@pytest.mark.parametrize(
    ("kind", "extra", "field", "text"),
    [
        (RequestKind.APPRAISE, {}, "year", "请填写考核年度"),
        (RequestKind.APPRAISE, {"year": 2025}, "grade", "请选择考核等次"),
        (RequestKind.APPRAISE, {"year": 2099, "grade": "competent"}, "year", "请填写考核年度"),
        (RequestKind.TRANSFER, {}, "to_post", "请选择调整到的岗位，或填写调出到的单位"),
        (RequestKind.APPOINT, {}, "post", "已在该岗位"),
        ("promote", {}, "kind", "请选择事项"),
    ],
)
def test_bad_requests_are_refused_beside_their_field(world, users, office, kind, extra, field, text):
    township, post, _ = office
    before = StaffRequest.objects.count()
    with pytest.raises(DomainError) as exc:
        svc.submit_request(
            users.office, township, kind, person=users.office, post=post, reason="理由", today=TODAY, **extra
        )
    errors = getattr(exc.value, "errors", None) or [exc.value]
    assert any(e.field == field and text in e.message for e in errors), [e.message for e in errors]
    assert StaffRequest.objects.count() == before


def test_a_person_without_a_role_in_the_township_or_a_post_elsewhere_is_refused(world, users, office):
    township, post, propaganda = office
    with pytest.raises(DomainError, match="在镇甲没有任职角色"):
        svc.submit_request(
            users.office,
            township,
            RequestKind.APPOINT,
            person=users.out_office,
            post=propaganda,
            reason="x",
            today=TODAY,
        )
    with pytest.raises(DomainError, match="请选择镇甲党建办的在设岗位"):
        svc.submit_request(
            users.office, township, RequestKind.APPOINT, person=users.staff2, post=world.office["out_post"],
            reason="x", today=TODAY,
        )  # fmt: skip
    with pytest.raises(DomainError, match="已有待审批的考核申请"):
        svc.submit_request(
            users.office, township, RequestKind.APPRAISE, person=users.office, post=post, year=2025,
            grade="competent", reason="x", today=TODAY,
        )  # fmt: skip


def test_transfer_to_another_post_and_out_of_the_office(world, users, office):
    township, post, propaganda = office
    req = svc.submit_request(
        users.staff2, township, RequestKind.TRANSFER, person=users.office, post=post, to_post=propaganda,
        reason="轮岗", today=TODAY,
    )  # fmt: skip
    svc.approve_request(users.admin, req, today=TODAY)
    assert current(post) is None and current(propaganda) == "office"
    out = svc.submit_request(
        users.staff2, township, RequestKind.TRANSFER, person=users.office, post=propaganda,
        to_unit="县委组织部", reason="上调", today=TODAY,
    )  # fmt: skip
    svc.approve_request(users.admin, out, today=TODAY)
    assert current(propaganda) is None


def test_returned_then_resubmitted_then_approved_keeps_every_step(world, users, office):
    req = world.office["request"]
    with pytest.raises(DomainError, match="请填写退回理由"):
        svc.return_request(users.admin, req, note="", today=TODAY)
    svc.return_request(users.admin, req, note="请补充考核材料", today=TODAY)
    with pytest.raises(DomainError, match="不能再审批"):
        svc.approve_request(users.admin, req, today=TODAY)
    with pytest.raises(ActionDenied):
        svc.resubmit_request(users.admin, req, reason="x", today=TODAY)
    svc.resubmit_request(users.office, req, reason="已补充材料", today=TODAY)
    done = svc.approve_request(users.admin, req, today=TODAY)
    assert done.status == RequestStatus.APPROVED
    assert [s.action for s in done.steps.order_by("at", "pk")] == ["submit", "return", "resubmit", "approve"]
    assert current(world.office["post"]) == "office"  # an appraisal changes no post
