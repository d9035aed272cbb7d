"""Reading and signing (签阅): read when opened, signed once with a reply, the sign-by boundary (the day
itself is in time, the day after is overdue) on pages and in the `notices.unsigned` finding, and who
sees which notices and receipts."""

import datetime

import pytest
from django.utils import timezone

from dangjian.core.errors import DomainError
from dangjian.core.findings import findings_for
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notices import checks, services
from dangjian.notices.models import Notice, NoticeReceipt

from .conftest import page

pytestmark = pytest.mark.django_db


# The users of the test world; other apps may add more.
KNOWN = {
    "甲镇办干部",
    "甲站站长",
    "甲村书记",
    "甲网格长",
    "甲部门联络员",
    "甲县领导",
    "甲县管理员",
    "外县管理员",
}


def receipt(notice, username) -> NoticeReceipt:
    return NoticeReceipt.objects.get(notice=notice, user__username=username)


def test_opening_marks_read_once_and_signing_records_reply(world, client_for):
    notice = world.notices["notice"]
    secretary = world.user(Role.VILLAGE_SECRETARY)
    client = client_for(secretary)
    r = client.get(f"/notices/{notice.pk}/")
    assert r.status_code == 200 and "县甲学习通知" in page(r) and "签收" in page(r)
    first = receipt(notice, "secretary").read_at
    assert first is not None
    client.get(f"/notices/{notice.pk}/")
    assert receipt(notice, "secretary").read_at == first
    r = client.post(f"/notices/{notice.pk}/sign/", {"reply": "已收到，按要求落实。"})
    assert r.status_code == 302
    signed = receipt(notice, "secretary")
    assert signed.signed_at is not None and signed.reply == "已收到，按要求落实。" and signed.read_at == first
    assert AuditEvent.objects.filter(action="notices.sign", object_id=str(signed.pk)).count() == 1
    again = client.post(f"/notices/{notice.pk}/sign/", {"reply": ""})
    assert again.status_code == 400 and "无需重复签收" in page(again)
    assert AuditEvent.objects.filter(action="notices.sign").count() == 1


def test_signing_without_opening_sets_read_too(world):
    notice = world.notices["notice"]
    services.sign_notice(world.user(Role.GRID_LEADER), notice)
    r = receipt(notice, "grid")
    assert r.read_at == r.signed_at


def test_only_recipients_sign(world, client_for):
    notice = world.notices["village_notice"]  # to village branches only
    office = world.user(Role.TOWNSHIP_STAFF)  # the sender sees it but has no receipt
    with pytest.raises(DomainError, match="不是这份通知的接收人"):
        services.sign_notice(office, notice)
    r = client_for(office).post(f"/notices/{notice.pk}/sign/", {})
    assert r.status_code == 400 and "不是这份通知的接收人" in page(r)
    # the station chief neither covers the township nor received it: it does not exist for him
    assert (
        client_for(world.user(Role.STATION_CHIEF)).post(f"/notices/{notice.pk}/sign/", {}).status_code == 404
    )


def test_reply_too_long_is_refused(world, client_for):
    notice = world.notices["notice"]
    with pytest.raises(DomainError, match="签收意见不能超过500个字"):
        services.sign_notice(world.user(Role.VILLAGE_SECRETARY), notice, "长" * 501)
    assert receipt(notice, "secretary").signed_at is None


def _dated(world, sign_by) -> Notice:
    notice = world.notices["notice"]
    Notice.objects.filter(pk=notice.pk).update(sign_by=sign_by)
    return Notice.objects.get(pk=notice.pk)


def test_sign_by_boundary_in_the_finding(world):
    admin = world.user(Role.COUNTY_ADMIN)
    today = timezone.localdate()
    _dated(world, today)
    assert checks.unsigned(admin, today) == []
    late = checks.unsigned(admin, today + datetime.timedelta(days=1))
    assert {f.subject for f in late} >= {
        "甲镇办干部",
        "甲站站长",
        "甲村书记",
        "甲网格长",
        "甲部门联络员",
        "甲县领导",
    }
    f = next(f for f in late if f.subject == "甲村书记")
    assert f.severity == "overdue" and f.org_name == "村甲一" and f.due_on == today
    assert "已逾期1天未签收" in f.message and f.url == f"/notices/{world.notices['notice'].pk}/"
    services.sign_notice(world.user(Role.VILLAGE_SECRETARY), world.notices["notice"])
    assert "甲村书记" not in {f.subject for f in checks.unsigned(admin, today + datetime.timedelta(days=1))}


def test_finding_is_scoped_and_set_based(world, django_assert_max_num_queries):
    today = timezone.localdate()
    _dated(world, today - datetime.timedelta(days=1))
    station = world.user(Role.STATION_CHIEF)
    with django_assert_max_num_queries(3):
        mine = checks.unsigned(station, today)
    # the station chief covers the station and its villages: his own receipt and the village secretary's
    assert {f.subject for f in mine} & KNOWN == {"甲站站长", "甲村书记"}
    liaison = world.user(Role.DEPT_LIAISON)  # sees only what is addressed to them
    assert {f.subject for f in checks.unsigned(liaison, today)} == {"甲部门联络员"}
    assert checks.unsigned(world.user("out_admin"), today) == []
    assert "notices.unsigned" in {f.check for f in findings_for(station, today, ["notices.unsigned"])}


def test_overdue_is_red_on_pages(world, client_for):
    today = timezone.localdate()
    notice = _dated(world, today)
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    text = page(admin.get(f"/notices/{notice.pk}/"))
    assert "已过期" not in text and "status-red" not in text.split('data-testid="by-org"')[1]
    notice = _dated(world, today - datetime.timedelta(days=1))
    text = page(admin.get(f"/notices/{notice.pk}/"))
    assert "已过期" in text and "（逾期）" in text
    inbox = page(client_for(world.user(Role.VILLAGE_SECRETARY)).get("/notices/inbox/"))
    assert "逾期未签" in inbox and "县甲学习通知" in inbox


def test_who_sees_which_notice(world):
    visible = {
        role: set(Notice.objects.restrict(world.user(role)).values_list("title", flat=True))
        for role in [*Role.values, "out_admin"]
    }
    assert visible[Role.COUNTY_ADMIN] == {"县甲学习通知", "镇甲致各村通知"}
    assert visible[Role.VILLAGE_SECRETARY] == {"县甲学习通知", "镇甲致各村通知"}  # both addressed to her
    assert visible[Role.STATION_CHIEF] == {"县甲学习通知"}
    assert visible[Role.DEPT_LIAISON] == {"县甲学习通知"}  # addressed to them; not the township's notice
    assert visible["out_admin"] == {"外县通知"}
    assert Notice.objects.restrict(world.user(Role.DEPT_LIAISON), "add").count() == 0


def test_who_sees_which_receipt(world):
    def seen(role):
        return set(
            NoticeReceipt.objects.restrict(world.user(role)).values_list("user__username", "notice__title")
        )

    assert seen(Role.DEPT_LIAISON) == {("dept", "县甲学习通知")}
    assert seen(Role.VILLAGE_SECRETARY) == {("secretary", "县甲学习通知"), ("secretary", "镇甲致各村通知")}
    assert ("secretary", "县甲学习通知") in seen(Role.TOWNSHIP_STAFF)
    assert ("office", "县甲学习通知") not in seen(Role.STATION_CHIEF)
    out = seen("out_admin")
    assert ("outadmin", "外县通知") in out and {title for _, title in out} == {"外县通知"}


def test_sender_sees_progress_per_org(world, client_for):
    notice = world.notices["notice"]
    services.mark_notice_read(world.user(Role.VILLAGE_SECRETARY), notice)
    services.sign_notice(world.user(Role.TOWNSHIP_STAFF), notice, "收到")
    text = page(client_for(world.user(Role.COUNTY_ADMIN)).get(f"/notices/{notice.pk}/"))
    n = NoticeReceipt.objects.filter(notice=notice).count()
    assert f"接收 {n} 人 · 已读 2 · 已签收 1 · 未签收" in text
    by_org = text.split('data-testid="by-org"')[1].split("</table>")[0]
    assert "村甲一" in by_org and "镇甲" in by_org and "县甲" in by_org
    unsigned = text.split('data-testid="unsigned"')[1].split("</table>")[0]
    assert "甲村书记" in unsigned and "甲镇办干部" not in unsigned
    # the station chief sees the progress of his subtree only
    text = page(client_for(world.user(Role.STATION_CHIEF)).get(f"/notices/{notice.pk}/"))
    assert "甲站站长" in text and "甲镇办干部" not in text
