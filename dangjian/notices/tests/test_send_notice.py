"""send_notice: exactly the right receipts (subtree, kinds, archived orgs and inactive users left out),
and bad input refused with a Chinese message and nothing written."""

import datetime

import pytest
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment
from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.core.testing import make_user
from dangjian.notices import services
from dangjian.notices.models import Attachment, Notice, NoticeReceipt

from .conftest import docx, pdf

pytestmark = pytest.mark.django_db


# The logins of the test world; other apps may add users, which these tests leave aside.
KNOWN = {"county", "office", "station", "secretary", "grid", "dept", "leader", "outadmin", "sib", "sib2"}


def recipients(notice) -> set[str]:
    names = set(NoticeReceipt.objects.filter(notice=notice).values_list("user__username", flat=True))
    paths = NoticeReceipt.objects.filter(notice=notice).values_list("org__path", flat=True)
    assert all(p.startswith(notice.org.path) for p in paths)
    assert notice.recipient_count == len(names)
    return names & KNOWN


def test_whole_subtree_without_the_sender(world):
    notice = services.send_notice(world.user(Role.COUNTY_ADMIN), world.orgs["county"], "县甲冬训通知", "正文")
    assert recipients(notice) == {"office", "station", "secretary", "grid", "dept", "leader"}
    assert notice.kinds == []
    receipt = NoticeReceipt.objects.get(notice=notice, user__username="secretary")
    assert receipt.org == world.orgs["branch"] and receipt.role == Role.VILLAGE_SECRETARY
    assert receipt.read_at is None and receipt.signed_at is None
    event = AuditEvent.objects.get(action="notices.send", object_id=str(notice.pk))
    assert event.org_id == world.orgs["county"].pk and f"发送给{notice.recipient_count}人" in event.note


def test_only_chosen_kinds(world):
    office = world.user(Role.TOWNSHIP_STAFF)
    only_villages = services.send_notice(office, world.orgs["township"], "致各村", "正文", kinds=["branch"])
    assert recipients(only_villages) == {"secretary"}
    with_community = services.send_notice(
        office, world.orgs["township"], "致各村和社区", "正文", kinds=["branch", "community"]
    )
    assert recipients(with_community) == {"secretary", "grid"}
    assert with_community.kinds == ["branch", "community"]


def test_archived_orgs_inactive_users_and_outside_left_out(world):
    root = world.root
    make_user(root, "sib", "甲村二书记", world.orgs["sibling"], Role.VILLAGE_SECRETARY)
    make_user(root, "sib2", "甲村二委员", world.orgs["sibling"], Role.VILLAGE_SECRETARY)
    world.orgs["sibling"].__class__.objects.filter(pk=world.orgs["sibling"].pk).update(
        archived_at=timezone.now()
    )
    station = world.user(Role.STATION_CHIEF)
    station.is_active = False
    station.save()
    notice = services.send_notice(world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "通知", "正文")
    assert recipients(notice) == {"secretary", "grid"}
    assert "outadmin" not in recipients(notice)


def test_one_receipt_per_user_at_the_highest_org(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    RoleAssignment.objects.create(user=secretary, org=world.orgs["station"], role=Role.STATION_CHIEF)
    notice = services.send_notice(world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "通知", "正文")
    mine = NoticeReceipt.objects.filter(notice=notice, user=secretary)
    assert mine.count() == 1 and mine.get().org == world.orgs["station"]


def test_files_are_kept(world):
    notice = services.send_notice(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "附件通知", "", files=[pdf(), docx()]
    )
    assert sorted(Attachment.objects.filter(notice=notice).values_list("name", flat=True)) == [
        "方案.docx",
        "通知.pdf",
    ]


def test_a_village_secretary_may_send_to_her_branch_only(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        services.send_notice(secretary, world.orgs["township"], "越级通知", "正文")
    with pytest.raises(DomainError, match="没有可以接收通知的用户"):
        services.send_notice(secretary, world.orgs["branch"], "支部通知", "正文")


TODAY = timezone.localdate


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"title": "  "}, "title", "请填写标题"),
        ({"title": "长" * 101}, "title", "标题不能超过100个字"),
        ({"sign_by": "yesterday"}, "sign_by", "签阅期限不能早于今天"),
        ({"files": [pdf("病毒.exe")]}, "files", "类型不受支持"),
        ({"files": [pdf("伪装.pdf", b"MZ\x90\x00 not a pdf")]}, "files", "内容与扩展名不符"),
        ({"files": [pdf("伪装.docx")]}, "files", "内容与扩展名不符"),
        ({"files": [pdf("大.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))]}, "files", "超过10MB"),
        ({"body": "", "files": []}, "body", "请填写正文或上传附件"),
        ({"kinds": ["planet"]}, "kinds", "未知的组织类型"),
        ({"org": "out_township"}, "org", "不在您的管辖范围内"),
    ],
)
def test_bad_input_writes_nothing(world, kwargs, field, message):
    office = world.user(Role.TOWNSHIP_STAFF)
    values = {"title": "通知", "body": "正文", "files": [], "kinds": None, "sign_by": None, "org": "township"}
    values.update(kwargs)
    if values["sign_by"] == "yesterday":
        values["sign_by"] = TODAY() - datetime.timedelta(days=1)
    before = (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )
    with pytest.raises(DomainError) as info:
        services.send_notice(
            office,
            world.orgs[values["org"]],
            values["title"],
            values["body"],
            kinds=values["kinds"],
            sign_by=values["sign_by"],
            files=values["files"],
        )
    errors = getattr(info.value, "errors", None) or [info.value]
    assert any(e.field == field and message in e.message for e in errors), [e.message for e in errors]
    after = (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_sign_by_today_is_accepted(world):
    notice = services.send_notice(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "今日签收", "正文", sign_by=TODAY()
    )
    assert notice.sign_by == TODAY()
