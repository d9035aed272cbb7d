"""Study pushes: to the members on the roll of a subtree or only its mobile members; each member's public
read link shows the push and a masked name only, marks the receipt read once, and an unknown token is
a 404; the sender sees read counts per branch and who has not read."""

import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.errors import DomainError
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.notices import services
from dangjian.notices.choices import Audience
from dangjian.notices.models import Attachment, StudyPush, StudyReceipt
from dangjian.notices.selectors import mask_name
from dangjian.orgs.models import Org

from .conftest import page, pdf

pytestmark = pytest.mark.django_db
KNOWN = {"甲党员一", "甲党员二", "甲预备党员", "外党员"}


def names(push) -> set[str]:
    return set(StudyReceipt.objects.filter(push=push).values_list("member__person__name", flat=True)) & KNOWN


def test_push_to_all_members_on_the_roll(world):
    Member.objects.filter(pk=world.members["sibling"].pk).update(standing=Standing.SUSPENDED)
    push = services.send_study_push(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "第二期", body="内容"
    )
    assert names(push) == {"甲党员一", "甲预备党员"}
    receipts = StudyReceipt.objects.filter(push=push)
    assert push.recipient_count == receipts.count()
    tokens = list(receipts.values_list("token", flat=True))
    assert len(set(tokens)) == len(tokens) and all(len(t) >= 20 for t in tokens)
    mine = receipts.get(member=world.members["member"])
    assert mine.org == world.orgs["branch"] and mine.read_at is None
    assert AuditEvent.objects.filter(action="notices.push", object_id=str(push.pk)).exists()


def test_archived_branches_are_left_out(world):
    Org.objects.filter(pk=world.orgs["sibling"].pk).update(archived_at=timezone.now())
    push = services.send_study_push(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "第二期", body="内容"
    )
    assert "甲党员二" not in names(push)


def test_push_to_mobile_members_only(world):
    Member.objects.filter(org__path__startswith=world.orgs["township"].path).update(is_mobile=False)
    Member.objects.filter(pk=world.members["sibling"].pk).update(is_mobile=True)
    push = services.send_study_push(
        world.user(Role.TOWNSHIP_STAFF),
        world.orgs["township"],
        "流动党员第一期",
        body="内容",
        audience=Audience.MOBILE,
    )
    assert names(push) == {"甲党员二"} and push.recipient_count == 1
    with pytest.raises(DomainError, match="没有流动党员"):
        services.send_study_push(
            world.user(Role.VILLAGE_SECRETARY),
            world.orgs["branch"],
            "村学习",
            body="内容",
            audience=Audience.MOBILE,
        )


def test_mask_name():
    assert mask_name("张三根") == "张*根"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳小明") == "欧**明"
    assert mask_name("张") == "张"


def test_public_read_link(world, client):
    push = world.pushes["push"]
    receipt = StudyReceipt.objects.get(push=push, member=world.members["member"])
    r = client.get(f"/notices/s/{receipt.token}/")
    assert r.status_code == 200
    text = page(r)
    assert "镇甲学习第一期" in text and "学习内容。" in text and "甲**一同志" in text
    # nothing else: not the full name, the branch, the phone, the sender or the ID number
    person = world.members["member"].person
    for secret in ("甲党员一", "村甲一", "镇甲", "甲镇办干部", person.phone, person.id_number):
        assert secret not in text.replace("镇甲学习第一期", "")
    assert r["Referrer-Policy"] == "no-referrer" and "no-store" in r["Cache-Control"]
    first = StudyReceipt.objects.get(pk=receipt.pk).read_at
    assert first is not None
    assert client.get(f"/notices/s/{receipt.token}/").status_code == 200
    assert StudyReceipt.objects.get(pk=receipt.pk).read_at == first
    others = StudyReceipt.objects.filter(push=push).exclude(pk=receipt.pk)
    assert not others.filter(read_at__isnull=False).exists()


@pytest.mark.parametrize("token", ["nonexistent-token-000000", "x", "a" * 60])
def test_unknown_token_is_404(world, client, token):
    assert client.get(f"/notices/s/{token}/").status_code == 404
    assert not StudyReceipt.objects.filter(read_at__isnull=False).exists()


def test_files_through_the_read_link(world, client):
    push = services.send_study_push(
        world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], "附件学习", files=[pdf("学习材料.pdf")]
    )
    token = StudyReceipt.objects.filter(push=push).first().token
    mine = Attachment.objects.get(push=push)
    assert "学习材料.pdf" in page(client.get(f"/notices/s/{token}/"))
    got = client.get(f"/notices/s/{token}/", {"file": mine.pk})
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    other = world.notice_files["file"]  # a notice's file: not reachable through a push's link
    assert client.get(f"/notices/s/{token}/", {"file": other.pk}).status_code == 404
    assert client.get(f"/notices/s/{token}/", {"file": "x"}).status_code == 404


def test_sender_sees_counts_per_branch_and_who_has_not_read(world, client_for, client):
    push = world.pushes["push"]
    token = StudyReceipt.objects.get(push=push, member=world.members["member"]).token
    client.get(f"/notices/s/{token}/")
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    text = page(office.get(f"/notices/study/{push.pk}/"))
    by_branch = text.split('data-testid="by-branch"')[1].split("</table>")[0]
    assert "村甲一" in by_branch and "村甲二" in by_branch and "50%" in by_branch
    unread = text.split('data-testid="unread"')[1].split("</table>")[0]
    assert "甲预备党员" in unread and "甲党员二" in unread and "甲党员一" not in unread
    export = office.get("/notices/study/receipts/", {"push": push.pk, "export": "xlsx"})
    rows = list(
        load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.iter_rows(values_only=True)
    )
    assert rows[1][:2] == ("党员", "党支部") and "阅读链接" in rows[1]
    links = {r[0]: r[rows[1].index("阅读链接")] for r in rows[2:]}
    assert links["甲党员一"] == f"http://testserver/notices/s/{token}/"


def test_member_names_need_a_roster_role(world, client_for):
    push = world.pushes["push"]
    assert client_for(world.user(Role.DEPT_LIAISON)).get(f"/notices/study/{push.pk}/").status_code == 404
    listing = page(client_for(world.user(Role.DEPT_LIAISON)).get("/notices/study/receipts/"))
    assert "甲党员一" not in listing
    secretary = page(client_for(world.user(Role.VILLAGE_SECRETARY)).get("/notices/study/receipts/"))
    assert "甲党员一" in secretary and "甲党员二" not in secretary  # her branch only


@pytest.mark.parametrize(
    "kwargs, field, message",
    [
        ({"title": ""}, "title", "请填写标题"),
        ({"link": "javascript:alert(1)"}, "link", "http://"),
        ({"link": "ftp://example.com/a"}, "link", "http://"),
        ({"body": "", "link": ""}, "body", "请填写学习内容、学习链接或上传附件"),
        ({"files": [pdf("学习.zip", b"PK\x03\x04")]}, "files", "类型不受支持"),
        ({"audience": "everyone"}, "audience", "请选择推送对象"),
        ({"org": "out_township"}, "org", "不在您的管辖范围内"),
    ],
)
def test_bad_input_writes_nothing(world, kwargs, field, message):
    values = {
        "title": "第二期",
        "body": "内容",
        "link": "",
        "files": [],
        "audience": Audience.ALL,
        "org": "township",
    }
    values.update(kwargs)
    before = (StudyPush.objects.count(), StudyReceipt.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as info:
        services.send_study_push(
            world.user(Role.TOWNSHIP_STAFF),
            world.orgs[values.pop("org")],
            values.pop("title"),
            **values,
        )
    errors = getattr(info.value, "errors", None) or [info.value]
    assert any(e.field == field and message in e.message for e in errors), [e.message for e in errors]
    assert (StudyPush.objects.count(), StudyReceipt.objects.count(), AuditEvent.objects.count()) == before
