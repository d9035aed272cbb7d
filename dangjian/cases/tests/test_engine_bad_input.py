"""Bad input the issue names: each refused with a clear message, nothing written."""

import datetime

import pytest
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.models import Case, CaseFile
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role

from .support import big_file, fresh, pdf, problem

pytestmark = pytest.mark.django_db


def _accepted(world) -> Case:
    case = problem(world)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "accept")
    return fresh(case)


def test_sign_off_before_acceptance(world):
    case = problem(world)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    with pytest.raises(DomainError, match="不能销号"):
        services.act(world.user(Role.STATION_CHIEF), fresh(case), "sign_off")
    assert fresh(case).state == "done"


def test_acceptance_by_the_owner(world):
    case = problem(world, acceptor=None)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成")
    with pytest.raises(ActionDenied, match="责任人以外"):
        services.act(world.user(Role.VILLAGE_SECRETARY), fresh(case), "accept")
    with pytest.raises(DomainError, match="验收人不能是责任人"):
        problem(world, acceptor=world.user(Role.VILLAGE_SECRETARY))


def test_deadline_before_opening(world):
    today = timezone.localdate()
    before = Case.objects.count()
    with pytest.raises(DomainError, match="不能早于立项日期"):
        problem(world, deadline=today - datetime.timedelta(days=1))
    assert Case.objects.count() == before


def test_reopening_twice_in_the_same_minute(world):
    case = _accepted(world)
    services.act(world.user(Role.STATION_CHIEF), case, "sign_off")
    now = timezone.now().replace(second=5)
    services.reopen(world.user(Role.TOWNSHIP_STAFF), fresh(case), reason="群众反映又坏了", now=now)
    case = fresh(case)
    assert case.state == "rectifying" and case.reopen_count == 1 and case.closed_at is None
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="再次完成")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(case), "accept")
    with pytest.raises(DomainError, match="同一分钟"):
        services.reopen(
            world.user(Role.TOWNSHIP_STAFF), fresh(case), reason="再开", now=now.replace(second=50)
        )
    services.reopen(
        world.user(Role.TOWNSHIP_STAFF), fresh(case), reason="再开", now=now + datetime.timedelta(minutes=1)
    )
    assert fresh(case).reopen_count == 2


def test_reopen_needs_a_reason_and_a_finished_case(world):
    case = problem(world)
    with pytest.raises(DomainError, match="理由"):
        services.reopen(world.user(Role.TOWNSHIP_STAFF), case, reason=" ")
    with pytest.raises(DomainError, match="尚未办结"):
        services.reopen(world.user(Role.TOWNSHIP_STAFF), case, reason="再看看")


@pytest.mark.parametrize(
    "upload,message",
    [
        (pdf("病毒.exe", b"MZ\x90\x00"), "不是图片或文档"),
        (pdf("伪装.pdf", b"MZ\x90\x00 not a pdf"), "不是有效的PDF"),
        (pdf("网页.html", b"<script>alert(1)</script>"), "不是图片或文档"),
    ],
)
def test_attachments_that_are_not_documents_or_images(world, upload, message):
    case = problem(world)
    events, files = case.events.count(), CaseFile.objects.count()
    with pytest.raises(DomainError, match=message):
        services.act(world.user(Role.VILLAGE_SECRETARY), case, "report_done", note="完成", files=[upload])
    case = fresh(case)
    assert case.state == "open" and case.events.count() == events and CaseFile.objects.count() == files


def test_attachments_over_the_size_limit(world):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="cases.file_max_mb",
        value=1,
        source="测试",
        effective_from="2020-01-01",
    )
    case = problem(world)
    with pytest.raises(DomainError, match="超过1MB"):
        services.add_note(world.user(Role.VILLAGE_SECRETARY), case, note="照片", files=[big_file(2)])


def test_two_sign_offs_at_once_exactly_one_succeeds(world):
    case = _accepted(world)
    first, second = fresh(case), fresh(case)
    audit = AuditEvent.objects.filter(action="cases.sign_off").count()
    services.act(world.user(Role.STATION_CHIEF), first, "sign_off")
    with pytest.raises(DomainError, match="刚被他人办理"):
        services.act(world.user(Role.STATION_CHIEF), second, "sign_off")
    assert AuditEvent.objects.filter(action="cases.sign_off").count() == audit + 1
    assert fresh(case).events.filter(transition="sign_off").count() == 1


def test_a_transition_the_kind_does_not_have(world):
    case = problem(world)
    with pytest.raises(DomainError, match="无此办理动作"):
        services.act(world.user(Role.STATION_CHIEF), case, "solve")
    with pytest.raises(DomainError, match="无此办理动作"):
        services.act(world.user(Role.STATION_CHIEF), case, "route")
