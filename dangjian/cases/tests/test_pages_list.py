"""The case list: its tabs per role, filters, search, colours, the ledger export (its columns and never
a resident's name or phone), and a number of queries that does not grow with the rows."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.choices import Source
from dangjian.cases.models import Case

from . import test_pages_support as support
from .test_pages_support import (
    LEDGER_HEADERS,
    RESIDENT_NAME,
    RESIDENT_PHONE,
    add_cases,
    html,
    sheet_rows,
    text,
)

pytestmark = pytest.mark.django_db
cases, media, users = support.cases, support.media, support.users  # shared fixtures
LIST = reverse("case-list")


def listed(client, **params) -> str:
    r = client.get(LIST, params)
    assert r.status_code == 200
    return text(r)


def test_tabs_for_the_owner(client_for, users, cases):
    secretary = client_for(users.secretary)
    mine = listed(secretary, view="mine")
    assert cases["in_problem"].receipt_no in mine and cases["in_errand"].receipt_no in mine
    assert cases["in_problem"].receipt_no not in listed(client_for(users.office), view="mine")


def test_tabs_for_acceptance_and_sign_off(client_for, users, cases):
    problem = cases["in_problem"]
    services.act(users.secretary, problem, "report_done", note="已上墙")
    chief = client_for(users.chief)
    assert problem.receipt_no in listed(chief, view="acceptance")
    assert problem.receipt_no not in listed(client_for(users.secretary), view="acceptance")
    services.act(users.chief, Case.objects.get(pk=problem.pk), "accept")
    assert problem.receipt_no in listed(client_for(users.chief), view="signoff")
    # under a station the station chief signs off, not the township office
    assert problem.receipt_no not in listed(client_for(users.office), view="signoff")


def test_overdue_and_escalated_tabs_and_colours(client_for, users, cases):
    today = timezone.localdate()
    late, soon = cases["in_problem"], cases["in_errand"]
    Case.objects.filter(pk=late.pk).update(deadline=today - datetime.timedelta(days=3))
    Case.objects.filter(pk=soon.pk).update(deadline=today + datetime.timedelta(days=1))
    office = client_for(users.office)
    overdue = listed(office, view="overdue")
    assert late.receipt_no in overdue and soon.receipt_no not in overdue
    page = html(office.get(LIST))
    assert 'data-status="overdue"' in page and 'class="status-red' in page
    assert 'data-status="soon"' in page and 'class="status-amber' in page
    assert late.receipt_no not in listed(office, view="escalated")
    services.escalate(users.office, Case.objects.get(pk=late.pk), note="上报镇级")
    assert late.receipt_no in listed(office, view="escalated")


def test_closed_on_time_is_green(client_for, users, cases):
    problem = cases["in_problem"]
    services.act(users.secretary, problem, "report_done", note="已上墙")
    services.act(users.chief, Case.objects.get(pk=problem.pk), "accept")
    services.act(users.chief, Case.objects.get(pk=problem.pk), "sign_off")
    page = html(client_for(users.office).get(LIST, {"view": "all", "state": "closed"}))
    assert problem.receipt_no in page and 'data-status="on_time"' in page


def test_filters_and_search(client_for, users, world, cases):
    office = client_for(users.office)
    p, e, w = cases["in_problem"], cases["in_errand"], cases["in_whistle"]

    def only(expected, **params):
        body = listed(office, **params)
        for key, case in (("p", p), ("e", e), ("w", w)):
            assert (case.receipt_no in body) == (key in expected), (params, key)

    only("pew")
    only("p", kind="problem")
    only("p", state="problem:open")
    only("w", state="whistle:routed")
    only("", state="closed")
    only("w", category=w.category_id)
    only("pe", org=world.orgs["branch"].pk)
    only("", org=world.orgs["sibling"].pk)
    only("w", grid=world.grids["grid"].pk)
    only("w", department=world.departments["dept"].pk)
    only("pew", level=1)
    only("p", source=Source.STATION_INSPECTION)
    only("", priority="high")
    only("pew", month=f"{p.opened_on:%Y-%m}")
    only("", month="2001-01")
    only("p", published="true")
    only("ew", published="false")
    only("pe", category=0)
    only("pew", ledger=f"opened:{p.opened_on:%Y-%m}")
    only("", ledger="opened:2001-01")
    only("", ledger="nonsense")
    only("p", q=p.receipt_no)
    only("w", q="停车")
    assert "共 3 条" in listed(office)


def test_list_filter_options_come_from_the_users_scope(client_for, users):
    page = html(client_for(users.office).get(LIST))
    assert "外县住建" not in page and "外网格" not in page and "外停车难" not in page and "外村" not in page


def test_export_has_the_ledger_columns_and_no_personal_data(client_for, users, cases):
    problem = cases["in_problem"]
    services.supervise(users.chief, problem, note="第一次督办")
    services.supervise(users.office, problem, note="第二次督办")
    office = client_for(users.office)
    r = office.get(LIST, {"export": "xlsx"})
    assert r.status_code == 200
    rows = sheet_rows(r)
    assert rows[0][0].startswith("案件台账")
    assert rows[1] == LEDGER_HEADERS
    by_receipt = {row[1]: dict(zip(LEDGER_HEADERS, row, strict=True)) for row in rows[2:]}
    assert set(by_receipt) == {cases[k].receipt_no for k in ("in_problem", "in_errand", "in_whistle")}
    row = by_receipt[problem.receipt_no]
    assert row["类型"] == "问题台账" and row["所属村(社区)"] == "村甲一" and row["乡镇"] == "镇甲"
    assert row["责任人"] == "甲村书记" and row["验收人"] == "甲站站长" and row["督办次数"] == 2
    assert row["状态"] == "待整改" and row["是否逾期"] == "否" and row["整改措施"] == "三日内制作上墙"
    assert by_receipt[cases["in_whistle"].receipt_no]["派单部门"] == "部门甲住建"
    assert by_receipt[cases["in_whistle"].receipt_no]["网格"] == "网格甲"
    assert [r[0] for r in rows[2:]] == [1, 2, 3]
    dump = "\n".join(str(c) for row in rows for c in row if c is not None)
    assert RESIDENT_NAME not in dump and RESIDENT_PHONE not in dump
    page = html(office.get(LIST))
    assert RESIDENT_NAME not in page and RESIDENT_PHONE not in page


def test_export_follows_the_filters(client_for, users, cases):
    rows = sheet_rows(client_for(users.office).get(LIST, {"kind": "whistle", "export": "xlsx"}))
    assert [r[1] for r in rows[2:]] == [cases["in_whistle"].receipt_no]


def test_readonly_leader_sees_everything_in_the_county_and_cannot_open(client_for, users, cases):
    leader = client_for(users.leader)
    body = listed(leader)
    assert all(cases[k].receipt_no in body for k in ("in_problem", "in_errand", "in_whistle"))
    assert all(cases[k].receipt_no not in body for k in ("out_problem", "out_errand", "out_whistle"))
    assert 'data-testid="case-new"' not in html(leader.get(LIST))
    assert leader.get(reverse("case-new")).status_code == 403


def count_queries(client, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(LIST, params)
        if r.streaming:
            b"".join(r.streaming_content)
    assert r.status_code == 200
    return len(ctx)


@pytest.mark.parametrize("params", [{}, {"view": "mine"}, {"view": "escalated"}, {"export": "xlsx"}])
def test_queries_do_not_grow_with_rows(client_for, users, world, params):
    office = client_for(users.office)
    add_cases(world, users, 2, "少")
    few = count_queries(office, **params)
    add_cases(world, users, 12, "多")
    many = count_queries(office, **params)
    assert many == few, (few, many)
