"""The pages: lists with filters and Excel export, the forms that send and record (a refusal is a 400 with
the message beside its field and nothing written), and a constant number of queries per list page."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.notices import services
from dangjian.notices.choices import TrainingKind
from dangjian.notices.models import Attachment, Notice, NoticeReceipt, StudyPush, Training

from .conftest import page, pdf

pytestmark = pytest.mark.django_db


def sheet(response) -> list[tuple]:
    data = b"".join(response.streaming_content)
    return list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_lists_show_what_is_in_scope(world, client_for):
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    for url, inside, outside in (
        ("/notices/", "县甲学习通知", "外县通知"),
        ("/notices/receipts/", "县甲学习通知", "外县通知"),
        ("/notices/study/", "镇甲学习第一期", "外镇学习第一期"),
        ("/notices/study/receipts/", "甲党员一", "外党员"),
        ("/notices/trainings/", "镇甲党课", "外镇党课"),
    ):
        r = office.get(url)
        assert r.status_code == 200, url
        assert inside in page(r) and outside not in page(r), url
        export = office.get(url, {"export": "xlsx"})
        text = str(sheet(export))
        assert inside in text and outside not in text, url


def test_notice_list_counts_and_filters(world, client_for):
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    notice = world.notices["notice"]
    services.sign_notice(world.user(Role.VILLAGE_SECRETARY), notice)
    rows = sheet(admin.get("/notices/", {"export": "xlsx"}))
    header = rows[1]
    assert header[:4] == ("标题", "发文组织", "发送范围", "发送时间")
    row = next(r for r in rows[2:] if r[0] == "县甲学习通知")
    values = dict(zip(header, row, strict=True))
    n = NoticeReceipt.objects.filter(notice=notice).count()
    assert values["接收人数"] == n and values["已签收"] == 1 and values["未签收"] == n - 1
    assert values["发送范围"] == "全部下级"
    village = next(r for r in rows[2:] if r[0] == "镇甲致各村通知")
    assert dict(zip(header, village, strict=True))["发送范围"] == "村党支部"
    assert "镇甲致各村通知" not in page(admin.get("/notices/", {"q": "学习"}))
    assert "县甲学习通知" in page(admin.get("/notices/", {"org": world.orgs["county"].pk}))
    assert "县甲学习通知" not in page(admin.get("/notices/", {"org": world.orgs["township"].pk}))
    Notice.objects.filter(pk=notice.pk).update(sign_by=timezone.localdate() - datetime.timedelta(days=1))
    late = page(admin.get("/notices/", {"overdue": "true"}))
    assert "县甲学习通知" in late and "镇甲致各村通知" not in late and "（逾期）" in late


def test_receipt_table_export_and_status_filter(world, client_for):
    notice = world.notices["notice"]
    services.mark_notice_read(world.user(Role.STATION_CHIEF), notice)
    services.sign_notice(world.user(Role.VILLAGE_SECRETARY), notice, "收到")
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    rows = sheet(admin.get("/notices/receipts/", {"notice": notice.pk, "export": "xlsx"}))
    header = rows[1]
    assert header == ("通知", "接收人", "角色", "所在组织", "签阅情况", "阅读时间", "签收时间", "签收意见")
    by_name = {r[1]: dict(zip(header, r, strict=True)) for r in rows[2:]}
    assert by_name["甲村书记"]["签阅情况"] == "已签收" and by_name["甲村书记"]["签收意见"] == "收到"
    assert by_name["甲站站长"]["签阅情况"] == "已读未签" and by_name["甲县领导"]["签阅情况"] == "未读"
    assert by_name["甲村书记"]["角色"] == "村党支部书记" and by_name["甲村书记"]["所在组织"] == "村甲一"
    signed = page(admin.get("/notices/receipts/", {"notice": notice.pk, "status": "signed"}))
    assert "甲村书记" in signed and "甲站站长" not in signed
    unread = page(admin.get("/notices/receipts/", {"notice": notice.pk, "status": "unread"}))
    assert "甲县领导" in unread and "甲站站长" not in unread
    assert "甲村书记" in page(admin.get("/notices/receipts/", {"q": "jcs"}))


def test_inbox_lists_my_notices_unsigned_first(world, client_for):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    services.sign_notice(secretary, world.notices["village_notice"])
    r = client_for(secretary).get("/notices/inbox/")
    text = page(r)
    assert r.status_code == 200
    assert text.index("县甲学习通知") < text.index("镇甲致各村通知")
    assert "待签收 1" in text and "外县通知" not in text
    assert client_for(world.user(Role.COUNTY_ADMIN)).get("/notices/inbox/").status_code == 200


def test_send_a_notice_through_the_form(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert client.get("/notices/new/").status_code == 200
    r = client.post(
        "/notices/new/",
        {
            "org": world.orgs["township"].pk,
            "title": "关于报送材料的通知",
            "body": "请按时报送。",
            "kinds": ["branch"],
            "sign_by": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
            "files": [pdf("材料清单.pdf")],
        },
    )
    assert r.status_code == 302
    notice = Notice.objects.get(title="关于报送材料的通知")
    assert notice.kinds == ["branch"] and notice.files.get().name == "材料清单.pdf"
    assert set(notice.receipts.values_list("user__username", flat=True)) >= {"secretary"}
    detail = client.get(r["Location"])
    assert "材料清单.pdf" in page(detail)
    download = client_for(world.user(Role.VILLAGE_SECRETARY)).get(f"/notices/files/{notice.files.get().pk}/")
    assert download.status_code == 200
    assert (
        client_for(world.user(Role.STATION_CHIEF)).get(f"/notices/files/{notice.files.get().pk}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    "change, message",
    [
        ({"title": ""}, "该字段是必填项"),
        ({"sign_by": "2020-01-01"}, "签阅期限不能早于今天"),
        ({"files": [pdf("病毒.exe")]}, "类型不受支持"),
        ({"files": [pdf("大.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024))]}, "超过10MB"),
        ({"org": "out_township"}, "选择一个有效的选项"),
    ],
)
def test_bad_notice_form_is_400_and_writes_nothing(world, client_for, change, message):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    data = {"org": world.orgs["township"].pk, "title": "通知", "body": "正文"} | change
    if data["org"] == "out_township":
        data["org"] = world.orgs["out_township"].pk
    before = (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )
    r = client.post("/notices/new/", data)
    assert r.status_code == 400 and message in page(r)
    assert 'class="invalid-feedback d-block"' in page(r)
    after = (
        Notice.objects.count(),
        NoticeReceipt.objects.count(),
        Attachment.objects.count(),
        AuditEvent.objects.count(),
    )
    assert after == before


def test_roles_that_cannot_send_get_403(world, client_for):
    for role in (Role.READONLY_LEADER, Role.GRID_LEADER, Role.DEPT_LIAISON):
        client = client_for(world.user(role))
        for url in ("/notices/new/", "/notices/study/new/", "/notices/trainings/new/"):
            assert client.get(url).status_code == 403, (role, url)


def test_push_and_training_forms(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.post(
        "/notices/study/new/",
        {
            "org": world.orgs["township"].pk,
            "audience": "all",
            "title": "第二期学习",
            "body": "内容",
            "link": "",
        },
    )
    assert r.status_code == 302 and StudyPush.objects.filter(title="第二期学习").exists()
    bad = client.post(
        "/notices/study/new/",
        {"org": world.orgs["township"].pk, "audience": "all", "title": "第三期", "link": "abc"},
    )
    assert bad.status_code == 400 and "学习链接须为以 http:// 或 https:// 开头的网址" in page(bad)
    assert not StudyPush.objects.filter(title="第三期").exists()
    day = timezone.localdate().isoformat()
    r = client.post(
        "/notices/trainings/new/",
        {
            "org": world.orgs["township"].pk,
            "title": "线上研讨",
            "kind": "online",
            "start_on": day,
            "hours": "1.5",
        },
    )
    assert r.status_code == 302 and Training.objects.get(title="线上研讨").online
    bad = client.post(
        "/notices/trainings/new/",
        {
            "org": world.orgs["township"].pk,
            "title": "集中培训",
            "kind": "central",
            "start_on": day,
            "hours": "30",
        },
    )
    assert bad.status_code == 400 and "请填写培训地点" in page(bad) and "最多计12" in page(bad)
    assert not Training.objects.filter(title="集中培训").exists()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(world, n: int) -> None:
    office = world.user(Role.TOWNSHIP_STAFF)
    day = timezone.localdate() - datetime.timedelta(days=1)
    for i in range(n):
        services.send_notice(office, world.orgs["township"], f"批量通知{i}", "正文")
        services.send_study_push(office, world.orgs["township"], f"批量学习{i}", body="内容")
        t = services.create_training(
            office,
            world.orgs["township"],
            title=f"批量党课{i}",
            kind=TrainingKind.LECTURE,
            start_on=day,
            hours=Decimal(2),
            place="会议室",
        )
        services.record_attendance(
            office, t, [services.AttendanceEntry(member_id=world.members["member"].pk)]
        )


@pytest.mark.parametrize(
    "url",
    [
        "/notices/",
        "/notices/receipts/",
        "/notices/inbox/",
        "/notices/study/",
        "/notices/study/receipts/",
        "/notices/trainings/",
    ],
)
def test_list_pages_use_a_constant_number_of_queries(world, client_for, url, django_assert_max_num_queries):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    _grow(world, 1)
    small = _queries(client, url)
    _grow(world, 8)
    with django_assert_max_num_queries(small):
        client.get(url)
    assert _queries(client, url) == small, url


@pytest.mark.parametrize("kind", ["notice", "push", "training"])
def test_detail_pages_use_a_constant_number_of_queries(world, client_for, kind):
    office = world.user(Role.TOWNSHIP_STAFF)
    client = client_for(office)
    urls = {
        "notice": f"/notices/{world.notices['village_notice'].pk}/",
        "push": f"/notices/study/{world.pushes['push'].pk}/",
        "training": f"/notices/trainings/{world.trainings['training'].pk}/",
    }
    small = _queries(client, urls[kind])
    from dangjian.core.testing import make_user
    from dangjian.members.testing import add_member

    for i in range(6):
        make_user(world.root, f"village{i}", f"甲村干部{i}", world.orgs["sibling"], Role.VILLAGE_SECRETARY)
        add_member(world.orgs["sibling"], f"甲新党员{i}", 40 + i)
    world.notices["village_notice"] = services.send_notice(
        office, world.orgs["township"], "再发一次", "正文", kinds=["branch"]
    )
    world.pushes["push"] = services.send_study_push(office, world.orgs["township"], "再推一次", body="内容")
    urls["notice"] = f"/notices/{world.notices['village_notice'].pk}/"
    urls["push"] = f"/notices/study/{world.pushes['push'].pk}/"
    assert _queries(client, urls[kind]) <= small
