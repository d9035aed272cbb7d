"""A case's page: each kind taken from open to closed through the buttons people press, only the actions
the reader may take shown, evidence downloads, the resident's phone masked, and scope (404 outside,
the grid leader and the department liaison seeing only their own)."""

import re

import pytest
from django.urls import reverse

from dangjian.cases import services
from dangjian.cases.models import Case, CaseFile, CaseRoute
from dangjian.core.roles import Role

from . import test_pages_support as support
from .test_pages_support import RESIDENT_PHONE, html, pdf, png, text

pytestmark = pytest.mark.django_db
cases, media, users = support.cases, support.media, support.users  # shared fixtures


def act(client, case, code, **data):
    case.refresh_from_db()
    payload = {"code": code, "version": case.version, **data}
    return client.post(reverse("case-act", args=[case.pk]), payload)


def state(case) -> str:
    return Case.objects.get(pk=case.pk).state


def panels(response) -> set[str]:
    return set(re.findall(r'data-testid="panel-([\w:]+)"', html(response)))


def test_problem_from_open_to_closed(client_for, users, cases):
    problem = cases["in_problem"]
    secretary = client_for(users.secretary)
    page = secretary.get(problem.get_absolute_url())
    assert page.status_code == 200
    assert {"act:start", "act:report_done"} <= panels(page)
    assert "act:accept" not in panels(page) and "act:sign_off" not in panels(page)

    r = act(secretary, problem, "start", note="已安排制作")
    assert r.status_code == 302 and state(problem) == "rectifying"
    r = act(secretary, problem, "report_done", note="制度已上墙", files=[png("上墙照片.png")])
    assert r.status_code == 302 and state(problem) == "done"

    chief = client_for(users.chief)
    assert "act:accept" in panels(chief.get(problem.get_absolute_url()))
    r = act(chief, problem, "accept", note="现场查看属实")
    assert r.status_code == 302 and state(problem) == "accepted"
    r = act(chief, problem, "sign_off")
    assert r.status_code == 302 and state(problem) == "closed"

    page = chief.get(problem.get_absolute_url())
    body = text(page)
    assert "已销号" in body and "上墙照片.png" in body and "验收通过" in body
    assert "act:sign_off" not in panels(page)
    closed = Case.objects.get(pk=problem.pk)
    assert closed.accepted_by_id == users.chief.pk and closed.closed_by_id == users.chief.pk


def test_errand_from_promise_to_archive(client_for, users, cases):
    errand = cases["in_errand"]
    secretary = client_for(users.secretary)
    r = act(secretary, errand, "promise", deadline="2099-01-01")
    assert r.status_code == 302 and state(errand) == "promised"
    assert str(Case.objects.get(pk=errand.pk).deadline) == "2099-01-01"
    r = act(secretary, errand, "feedback", note="已代缴，回执交群众")
    assert r.status_code == 302 and state(errand) == "done"
    chief = client_for(users.chief)
    r = act(chief, errand, "accept")
    assert r.status_code == 302 and state(errand) == "accepted"
    r = act(chief, errand, "sign_off")
    assert r.status_code == 302 and state(errand) == "closed"
    page = chief.get(errand.get_absolute_url())
    assert "已归档" in text(page) and "satisfaction" in panels(page)
    r = chief.post(reverse("case-satisfaction", args=[errand.pk]), {"score": 3, "note": "电话回访"})
    assert r.status_code == 302 and Case.objects.get(pk=errand.pk).satisfaction == 3


def test_whistle_from_raised_to_closed(client_for, users, world):
    grid = client_for(users.grid)
    new = grid.get(reverse("case-new") + "?kind=whistle")
    assert new.status_code == 200
    assert f'value="{world.grids["grid"].pk}" selected' in html(new)
    category = world.cases["in_whistle"].category
    r = grid.post(
        reverse("case-new") + "?kind=whistle",
        {
            "grid": world.grids["grid"].pk,
            "category": category.pk,
            "title": "北苑小区停车难",
            "description": "晚间车辆占道",
            "priority": "normal",
            "files": [png()],
        },
    )
    assert r.status_code == 302, text(r)
    whistle = Case.objects.get(title="北苑小区停车难")
    assert whistle.state == "raised" and whistle.files.count() == 1

    office = client_for(users.office)
    page = office.get(whistle.get_absolute_url())
    assert "route" in panels(page)
    dept = world.departments["dept"]
    assert re.search(rf'name="departments" value="{dept.pk}"[^>]*checked', html(page))  # the default
    r = office.post(
        reverse("case-route", args=[whistle.pk]), {"departments": [dept.pk], "version": whistle.version}
    )
    assert r.status_code == 302 and state(whistle) == "routed"

    liaison = client_for(users.liaison)
    page = liaison.get(whistle.get_absolute_url())
    assert panels(page) >= {"decide"} and "route" not in panels(page)
    whistle.refresh_from_db()
    r = liaison.post(
        reverse("case-decide", args=[whistle.pk]), {"decision": "accept", "version": whistle.version}
    )
    assert r.status_code == 302 and state(whistle) == "answered"
    assert CaseRoute.objects.get(case=whistle).decided_by_id == users.liaison.pk
    r = act(liaison, whistle, "solve", note="划出30个车位")
    assert r.status_code == 302 and state(whistle) == "done"

    office = client_for(users.office)  # one test client: log the office in again
    r = act(office, whistle, "accept")
    assert r.status_code == 302 and state(whistle) == "accepted"
    r = act(office, whistle, "sign_off")
    assert r.status_code == 302 and state(whistle) == "closed"
    r = office.post(reverse("case-publish", args=[whistle.pk]), {"public_result": "新增30个车位"})
    assert r.status_code == 302 and Case.objects.get(pk=whistle.pk).published_at is not None


def test_department_declines_with_a_reason(client_for, users, cases):
    whistle = cases["in_whistle"]
    liaison = client_for(users.liaison)
    r = liaison.post(
        reverse("case-decide", args=[whistle.pk]), {"decision": "decline", "version": whistle.version}
    )
    assert r.status_code == 400 and "退回须说明理由。" in html(r)
    r = liaison.post(
        reverse("case-decide", args=[whistle.pk]),
        {"decision": "decline", "reason": "不属本部门职责", "version": whistle.version},
    )
    assert r.status_code == 302
    assert state(whistle) == "raised"
    assert "不属本部门职责" in text(liaison.get(whistle.get_absolute_url()))


def test_only_the_actions_the_reader_may_take_are_shown(client_for, users, cases):
    problem = cases["in_problem"]
    leader = client_for(users.leader)
    page = leader.get(problem.get_absolute_url())
    assert page.status_code == 200 and not panels(page)
    assert "您目前没有可办理的操作。" in text(page)
    office = client_for(users.office)
    shown = panels(office.get(problem.get_absolute_url()))
    assert {"supervise", "note", "handover", "escalate", "publish", "unpublish"} <= shown
    assert "reopen" not in shown and "satisfaction" not in shown and "route" not in shown
    secretary_panels = panels(client_for(users.secretary).get(problem.get_absolute_url()))
    assert "supervise" not in secretary_panels and "publish" not in secretary_panels


def test_supervise_note_handover_escalate(client_for, users, cases):
    problem = cases["in_problem"]
    chief = client_for(users.chief)
    r = chief.post(reverse("case-supervise", args=[problem.pk]), {"note": "请本周内完成", "files": [pdf()]})
    assert r.status_code == 302
    assert Case.objects.get(pk=problem.pk).last_supervised_on is not None
    r = chief.post(reverse("case-note", args=[problem.pk]), {"note": "已电话提醒"})
    assert r.status_code == 302
    r = chief.post(reverse("case-handover", args=[problem.pk]), {"to": users.office.pk, "note": "转镇里"})
    assert r.status_code == 302 and Case.objects.get(pk=problem.pk).owner_id == users.office.pk
    r = chief.post(reverse("case-escalate", args=[problem.pk]), {"note": "村里解决不了"})
    assert r.status_code == 302 and Case.objects.get(pk=problem.pk).level == 2
    body = text(chief.get(problem.get_absolute_url()))
    assert "请本周内完成" in body and "已电话提醒" in body and "移交" in body and "镇级" in body


def test_handover_list_searches_the_county_by_name(client_for, users, cases):
    problem = cases["in_problem"]
    office = client_for(users.office)
    page = html(office.get(problem.get_absolute_url() + "?who=部门"))
    assert "甲部门联络员" in page and "外县管理员" not in page
    r = office.post(reverse("case-handover", args=[problem.pk]), {"to": users.out_admin.pk})
    assert r.status_code == 400 and "所选人员不存在或不在本县工作。" in html(r)


def test_file_download_is_an_attachment_with_a_safe_type(client_for, users, cases):
    problem = cases["in_problem"]
    services.add_note(users.chief, problem, note="照片", files=[png("现场.png")])
    item = CaseFile.objects.get(case=problem, name="现场.png")
    r = client_for(users.secretary).get(reverse("case-file", args=[item.pk]))
    assert r.status_code == 200
    assert r["Content-Type"] == "image/png"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"].startswith("attachment")
    assert client_for(users.out_admin).get(reverse("case-file", args=[item.pk])).status_code == 404
    assert client_for(users.grid).get(reverse("case-file", args=[item.pk])).status_code == 404


def test_resident_phone_is_masked_except_for_owner_and_managers(client_for, users, cases):
    errand = cases["in_errand"]
    assert RESIDENT_PHONE in html(client_for(users.secretary).get(errand.get_absolute_url()))  # owner
    assert RESIDENT_PHONE in html(client_for(users.office).get(errand.get_absolute_url()))
    chief_page = html(client_for(users.chief).get(errand.get_absolute_url()))
    assert RESIDENT_PHONE not in chief_page and "138****1234" in chief_page


@pytest.mark.parametrize("role", [Role.GRID_LEADER, Role.DEPT_LIAISON])
def test_grid_leader_and_liaison_see_only_their_whistles(client_for, world, cases, role):
    client = client_for(world.user(role))
    assert client.get(cases["in_whistle"].get_absolute_url()).status_code == 200
    for key in ("in_problem", "in_errand", "out_whistle", "out_problem"):
        assert client.get(cases[key].get_absolute_url()).status_code == 404, key
    listed = text(client.get(reverse("case-list")))
    assert cases["in_whistle"].receipt_no in listed
    assert cases["in_problem"].receipt_no not in listed and cases["out_whistle"].receipt_no not in listed


def test_outside_scope_is_404_on_every_case_route(client_for, users, cases):
    out = cases["out_problem"]
    client = client_for(users.admin)
    assert client.get(out.get_absolute_url()).status_code == 404
    assert client.get(reverse("case-edit", args=[out.pk])).status_code == 404
    for name in ("case-act", "case-supervise", "case-note", "case-reopen", "case-publish"):
        r = client.post(reverse(name, args=[out.pk]), {"code": "start", "note": "越权"})
        assert r.status_code == 404, name
    assert Case.objects.get(pk=out.pk).state == out.state


def test_a_role_that_may_not_act_gets_403(client_for, users, cases):
    problem = cases["in_problem"]
    leader = client_for(users.leader)
    r = act(leader, problem, "start")
    assert r.status_code == 403 and "您的角色无权开始整改。" in html(r)
    r = leader.post(reverse("case-supervise", args=[problem.pk]), {"note": "越权督办"})
    assert r.status_code == 403
    assert Case.objects.get(pk=problem.pk).last_supervised_on is None


def test_edit_page_calls_update_case(client_for, users, cases):
    problem = cases["in_problem"]
    secretary = client_for(users.secretary)
    page = secretary.get(reverse("case-edit", args=[problem.pk]))
    assert page.status_code == 200
    r = secretary.post(
        reverse("case-edit", args=[problem.pk]),
        {
            "title": "村活动室制度未上墙（补充）",
            "description": "补充说明",
            "measures": "五日内完成",
            "priority": "high",
            "deadline": problem.deadline.isoformat(),
            "acceptor": users.chief.pk,
        },
    )
    assert r.status_code == 302, text(r)
    changed = Case.objects.get(pk=problem.pk)
    assert changed.title == "村活动室制度未上墙（补充）" and changed.priority == "high"
    r = secretary.post(
        reverse("case-edit", args=[problem.pk]),
        {"title": "x", "priority": "normal", "deadline": "2000-01-01"},
    )
    assert r.status_code == 400 and "办结时限不能早于立项日期。" in html(r)
    assert client_for(users.leader).get(reverse("case-edit", args=[problem.pk])).status_code == 403
