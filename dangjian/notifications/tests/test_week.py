""" "My week" per role: the right items with one-click links, nothing out of scope, constant queries."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.cases import services as cases
from dangjian.cases.choices import CaseKind, Source
from dangjian.core.roles import Role
from dangjian.development.models import DevelopmentCase
from dangjian.notifications.week import my_week
from dangjian.tasks.weekly_testing import WEEK

pytestmark = pytest.mark.django_db

# Friday of the world's week: 村甲一's checklist report (due Thursday) is late, 站甲's compilation is due.
TODAY = WEEK + datetime.timedelta(days=4)


def titles(week, section=None) -> list[str]:
    return [i["title"] for s in week["sections"] if section in (None, s["code"]) for i in s["items"]]


def items(week) -> list[dict]:
    return [i for s in week["sections"] for i in s["items"]]


def _waiting_case(world, acceptor, owner, title="甲村路灯不亮"):
    case = cases.open_case(
        world.root,
        kind=CaseKind.PROBLEM,
        org=world.orgs["branch"],
        title=title,
        source=Source.FIELD_VISIT,
        owner=owner,
        acceptor=acceptor,
        opened_on=TODAY - datetime.timedelta(days=3),
        today=TODAY,
    )
    cases.act(owner, case, "report_done", note="已修复", today=TODAY)
    return case


def test_village_secretary(world):
    sec = world.user(Role.VILLAGE_SECRETARY)
    week = my_week(sec, TODAY)
    assert (week["week_start"], week["week_end"]) == (WEEK, WEEK + datetime.timedelta(days=6))
    overdue = titles(week, "overdue")
    assert any("甲主题党日" in t and "已逾期1天" in t for t in overdue)  # the late weekly report
    assert any(i["url"].startswith("/tasks/") or "assignment" in i["url"] for i in items(week))
    waiting = titles(week, "waiting")
    assert any("镇甲修缮水渠" in t and "已报告，尚未完成" in t for t in waiting)
    assert any("镇甲学习清单" in t and "待报告" in t for t in waiting)
    assert not any("外" in t for t in titles(week))
    assert all(i["org"] for i in items(week))


def test_station_chief_compiles_and_accepts(world):
    chief, sec = world.user(Role.STATION_CHIEF), world.user(Role.VILLAGE_SECRETARY)
    case = _waiting_case(world, chief, sec)
    week = my_week(chief, TODAY)
    waiting = {i["title"]: i for i in items(week) if i in week["sections"][2]["items"]}
    compile_ = next(i for t, i in waiting.items() if "工作汇总待上报" in t)
    assert compile_["org"] == "站甲" and compile_["due"] == TODAY and compile_["state"] == "info"
    assert compile_["url"] == world.weekly["in"]["cycle"].get_absolute_url()
    accept = next(i for t, i in waiting.items() if "甲村路灯不亮待验收" in t)
    assert accept["url"] == f"/cases/{case.pk}/"
    assert not any("外" in t for t in titles(week))
    assert not any("甲主题党日" in t for t in titles(week))  # the village's report, not the station's


def test_township_staff_signs_off_and_approves(world):
    office, sec = world.user(Role.TOWNSHIP_STAFF), world.user(Role.VILLAGE_SECRETARY)
    dev = DevelopmentCase.objects.get(person__name="甲申请人一")
    DevelopmentCase.objects.filter(pk=dev.pk).update(
        next_step="pre_review", next_due=TODAY + datetime.timedelta(days=40)
    )
    out = DevelopmentCase.objects.get(person__name="外申请人")
    DevelopmentCase.objects.filter(pk=out.pk).update(next_step="pre_review", next_due=TODAY)
    week = my_week(office, TODAY)
    waiting = titles(week, "waiting")
    assert any("甲申请人一" in t and "上级党委预审" in t for t in waiting)
    assert not any("外" in t for t in titles(week))
    link = next(i["url"] for i in items(week) if "甲申请人一" in i["title"])
    assert link == f"/development/cases/{dev.pk}/"
    assert not any("甲申请人一" in t for t in titles(my_week(sec, TODAY)))  # approvals are above the branch


def test_county_admin_sees_what_is_addressed_to_them_only(world):
    admin, sec = world.user(Role.COUNTY_ADMIN), world.user(Role.VILLAGE_SECRETARY)
    assert not titles(my_week(admin, TODAY))  # the villages' own deadlines are not the county's week
    _waiting_case(world, admin, sec, title="甲村危房待验收")
    week = my_week(admin, TODAY)
    assert [t for t in titles(week, "waiting") if "甲村危房" in t]
    out_admin = world.user("out_admin")
    assert not any("甲" in t for t in titles(my_week(out_admin, TODAY)))


def test_my_week_page_and_constant_queries(world, client_for):
    sec, chief = world.user(Role.VILLAGE_SECRETARY), world.user(Role.STATION_CHIEF)
    _waiting_case(world, chief, sec, title="甲村问题")
    my_week(chief, TODAY)  # the user's roles are read once per user object
    with CaptureQueriesContext(connection) as one:
        my_week(chief, TODAY)
    for n in range(6):
        _waiting_case(world, chief, sec, title=f"甲村问题{n}")
    with CaptureQueriesContext(connection) as many:
        week = my_week(chief, TODAY)
    assert len([t for t in titles(week) if "甲村问题" in t]) == 7
    assert len(many) == len(one)
    r = client_for(sec).get("/notifications/week/")
    assert r.status_code == 200
    assert "我的本周" in r.content.decode() and 'data-testid="my-week"' in r.content.decode()
    partial = client_for(sec).get("/notifications/week/", {"partial": 1}).content.decode()
    assert partial.lstrip().startswith("{#") is False and 'data-testid="my-week"' in partial
    assert "<html" not in partial
