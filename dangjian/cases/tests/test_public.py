"""The public board and the receipt lookup: no login, only published cases of that township, no personal
data, paging and filters, a constant number of queries; the lookup's checks and its failure limit."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dangjian.cases import public_views, services
from dangjian.cases.choices import CaseKind
from dangjian.cases.models import Case
from dangjian.core.roles import Role
from dangjian.orgs.models import Org

from .support import errand, fresh, problem

pytestmark = pytest.mark.django_db

BOARD, LOOKUP = "/cases/board/{}/", "/cases/lookup/"


def board_url(world, key: str = "township") -> str:
    return BOARD.format(world.orgs[key].pk)


def published_errand(world, **kw) -> Case:
    """An errand with a resident, an owner and a note, published under a public title."""
    case = errand(world, **kw)
    services.act(world.user(Role.VILLAGE_SECRETARY), case, "feedback", note="已电话告知李大妈13912345678")
    services.publish(
        world.user(Role.TOWNSHIP_STAFF), fresh(case), public_title="医保代缴", public_result="已办结"
    )
    return fresh(case)


def test_the_board_shows_the_townships_published_cases_without_personal_data(world, client):
    case = published_errand(world)
    hidden = errand(world, title="未公开的代办")
    r = client.get(board_url(world))
    assert r.status_code == 200
    text = r.content.decode()
    assert "镇甲事项公开栏" in text
    assert "甲村活动室制度上墙" in text and "医保代缴" in text and "已办结" in text
    assert "村甲一" in text and case.state_label in text and f"{case.opened_on:%Y-%m-%d}" in text
    for secret in (
        "李大妈",
        "13912345678",
        "1391",
        "5678",
        "甲群众张某",
        "13800001234",
        "甲村书记",
        "甲镇办干部",
        case.receipt_no,
        world.cases["in_problem"].receipt_no,
        "代缴医保",  # the internal title
        "未公开的代办",
        hidden.receipt_no,
        "外",
    ):
        assert secret not in text, secret


def test_another_townships_board_shows_only_its_own(world, client):
    text = client.get(board_url(world, "out_township")).content.decode()
    assert "外村活动室制度上墙" in text and "甲村活动室制度上墙" not in text


def test_only_a_live_township_has_a_board(world, client):
    for key in ("county", "station", "branch", "community"):
        assert client.get(board_url(world, key)).status_code == 404, key
    assert client.get(BOARD.format(999999)).status_code == 404
    Org.objects.filter(pk=world.orgs["township"].pk).update(archived_at=timezone.now())
    assert client.get(board_url(world)).status_code == 404


def stages(response) -> list[tuple[str, int]]:
    return [(code, n) for code, _, n in response.context["stages"]]


def test_counts_and_filters_by_state_and_kind(world, client):
    published_errand(world)  # done: waiting for acceptance
    closed = problem(world, title="已销号的问题")
    services.act(world.user(Role.VILLAGE_SECRETARY), closed, "report_done", note="完成")
    services.act(world.user(Role.TOWNSHIP_STAFF), fresh(closed), "accept")
    services.act(world.user(Role.STATION_CHIEF), fresh(closed), "sign_off")
    services.publish(world.user(Role.TOWNSHIP_STAFF), fresh(closed), public_title="公开的已销号问题")
    r = client.get(board_url(world))
    assert [(code, n) for code, _, n in r.context["stages"]] == [
        ("running", 1),
        ("checking", 1),
        ("closed", 1),
    ]
    assert r.context["total"] == 3
    r = client.get(board_url(world), {"state": "closed"})
    assert [i["title"] for i in r.context["items"]] == ["公开的已销号问题"]
    assert r.context["items"][0]["closed_on"] == timezone.localdate()
    r = client.get(board_url(world), {"kind": CaseKind.ERRAND})
    assert [i["title"] for i in r.context["items"]] == ["医保代缴"]
    assert [(code, n) for code, _, n in r.context["stages"]] == [
        ("running", 0),
        ("checking", 1),
        ("closed", 0),
    ]
    r = client.get(board_url(world), {"state": "nonsense", "kind": "nonsense", "page": "x"})
    assert r.status_code == 200 and len(r.context["items"]) == 3


def test_an_overdue_running_case_is_marked_red(world, client):
    today = timezone.localdate()
    case = problem(world, title="逾期问题", opened_on=today - datetime.timedelta(days=40))
    Case.objects.filter(pk=case.pk).update(deadline=today - datetime.timedelta(days=3))
    services.publish(world.user(Role.TOWNSHIP_STAFF), fresh(case), public_title="公开的逾期问题")
    r = client.get(board_url(world))
    item = next(i for i in r.context["items"] if i["title"] == "公开的逾期问题")
    assert item["overdue"] and "（已逾期）" in r.content.decode()


def publish_many(world, n: int) -> None:
    office = world.user(Role.TOWNSHIP_STAFF)
    for i in range(n):
        case = problem(world, title=f"批量问题{i}")
        services.publish(office, case, public_title=f"公开问题{i:02d}")


def board_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_paging_and_a_constant_number_of_queries(world, client):
    url = board_url(world)
    few = board_queries(client, url)
    publish_many(world, public_views.BOARD_PAGE_SIZE + 5)
    assert board_queries(client, url) == few
    assert board_queries(client, url, {"page": 2}) == few
    r = client.get(url, {"page": 2})
    assert len(r.context["items"]) == 6 and "第 2 / 2 页" in r.content.decode()


# --- the lookup ----------------------------------------------------------------------------------------


def look(client, receipt: str, phone: str = ""):
    return client.post(LOOKUP, {"receipt": receipt, "phone": phone})


def test_the_lookup_form(client):
    r = client.get(LOOKUP)
    assert r.status_code == 200 and "受理编号" in r.content.decode()


def test_a_resident_sees_status_steps_and_deadline_without_names_or_notes(world, client):
    case = published_errand(world)
    services.add_note(world.user(Role.VILLAGE_SECRETARY), case, note="内部备注：李大妈家住三组")
    r = look(client, case.receipt_no, "5678")
    assert r.status_code == 200
    result = r.context["result"]
    assert result["state"] == "已反馈结果" and result["deadline"] == case.deadline
    assert [s["label"] for s in result["steps"]] == ["受理", "反馈办理结果"]
    text = r.content.decode()
    assert "甲医保代缴" in text and f"{case.deadline:%Y-%m-%d}" in text and "镇甲" in text
    for secret in ("李大妈", "13912345678", "内部备注", "三组", "甲村书记", "系统管理员", "代缴医保"):
        assert secret not in text, secret


def test_the_receipt_is_read_as_residents_type_it(world, client):
    case = errand(world)
    messy = "  " + case.receipt_no.lower().replace("-", " ") + " "
    full_width = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in case.receipt_no)
    for typed in (messy, case.receipt_no.replace("-", ""), full_width):
        assert look(client, typed, "５６７８").status_code == 200, typed


def test_a_case_without_a_phone_needs_only_the_receipt(world, client):
    case = world.cases["in_problem"]
    r = look(client, case.receipt_no)
    assert r.status_code == 200 and r.context["result"]["item"] == "甲村活动室制度上墙"  # its public title


@pytest.mark.parametrize(
    "receipt, phone, message",
    [
        ("", "", "请填写受理编号"),
        ("ABC", "", "受理编号格式不正确"),
        ("D-261202-7KQ3M-EXTRA", "", "受理编号格式不正确"),
        ("D-" + "9" * 500, "", "受理编号格式不正确"),
        ("D-261202-7KQ3M", "12a4", "电话后四位应为4位数字"),
        ("D-261202-ZZZZZ", "1234", "没有查到"),
    ],
)
def test_wrong_input_is_a_clear_400(client, receipt, phone, message):
    r = look(client, receipt, phone)
    assert r.status_code == 400 and message in r.content.decode()


def test_the_phone_must_match_where_one_was_taken(world, client):
    case = errand(world)
    for phone in ("", "1234"):
        r = look(client, case.receipt_no, phone)
        assert r.status_code == 400 and "没有查到" in r.content.decode()
        assert "result" not in r.context


def test_ten_failures_an_hour_then_refused(world, client, monkeypatch):
    case = errand(world)
    now = [1_800_000_000.0]
    monkeypatch.setattr(public_views.time, "time", lambda: now[0])
    assert look(client, "ABC").status_code == 400  # a bad format is not counted, a miss is
    for _ in range(public_views.LOOKUP_MAX_FAILURES):
        r = look(client, case.receipt_no, "0000")
        assert r.status_code == 400
    assert "一小时内不能再查询" in r.content.decode()
    r = look(client, case.receipt_no, "5678")
    assert r.status_code == 429 and "查询失败次数过多" in r.content.decode() and "result" not in r.context
    now[0] += 3601
    assert look(client, case.receipt_no, "5678").status_code == 200
