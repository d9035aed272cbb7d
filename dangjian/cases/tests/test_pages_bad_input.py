"""Bad input through the pages: each refused with its Chinese message and a 4xx, nothing written (no
state change, no timeline event, no file, no audit row)."""

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.models import Case, CaseEvent, CaseFile
from dangjian.core.models import RuleOverride

from . import test_pages_support as support
from .test_pages_support import audit_count, exe_as_pdf, html, png, text

pytestmark = pytest.mark.django_db
cases, media, users = support.cases, support.media, support.users  # shared fixtures


def snapshot(case):
    case = Case.objects.get(pk=case.pk)
    return (
        case.state,
        case.version,
        case.reopen_count,
        CaseEvent.objects.filter(case=case).count(),
        CaseFile.objects.filter(case=case).count(),
        audit_count(),
    )


def post_act(client, case, code, **data):
    case = Case.objects.get(pk=case.pk)
    return client.post(reverse("case-act", args=[case.pk]), {"code": code, "version": case.version, **data})


def to_done(users, case):
    services.act(users.secretary, case, "report_done", note="已整改")
    return Case.objects.get(pk=case.pk)


def to_closed(users, case):
    case = to_done(users, case)
    services.act(users.chief, case, "accept")
    services.act(users.chief, case, "sign_off")
    return Case.objects.get(pk=case.pk)


def test_sign_off_before_acceptance(client_for, users, cases):
    problem = to_done(users, cases["in_problem"])
    before = snapshot(problem)
    r = post_act(client_for(users.chief), problem, "sign_off")
    assert r.status_code == 400
    assert "案件当前状态为“待验收”，不能销号。" in text(r)
    assert snapshot(problem) == before


def test_acceptance_by_the_owner(client_for, users, cases):
    problem = to_done(users, cases["in_problem"])
    before = snapshot(problem)
    r = post_act(client_for(users.secretary), problem, "accept")
    assert r.status_code == 403
    assert "验收须由责任人以外的人办理" in html(r)
    assert snapshot(problem) == before


def test_report_done_needs_a_note_beside_the_field(client_for, users, cases):
    problem = cases["in_problem"]
    before = snapshot(problem)
    r = post_act(client_for(users.secretary), problem, "report_done")
    assert r.status_code == 400
    assert 'data-field="note">报告整改完成须填写说明。' in html(r)
    assert snapshot(problem) == before


def test_deadline_before_opening(client_for, users, world):
    count, audits = Case.objects.count(), audit_count()
    r = client_for(users.chief).post(
        reverse("case-new") + "?kind=problem",
        {
            "org": world.orgs["branch"].pk,
            "source": "station_inspection",
            "title": "党员活动室无人值守",
            "owner": users.secretary.pk,
            "deadline": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "priority": "normal",
        },
    )
    assert r.status_code == 400
    assert 'data-field="deadline">办结时限不能早于立项日期。' in html(r)
    assert Case.objects.count() == count and audit_count() == audits


def test_promise_before_receipt(client_for, users, cases):
    errand = cases["in_errand"]
    before = snapshot(errand)
    r = post_act(client_for(users.secretary), errand, "promise", deadline="2000-01-01")
    assert r.status_code == 400 and "承诺办结时限不能早于受理日期。" in html(r)
    assert snapshot(errand) == before


def test_routing_to_a_department_outside_the_county(client_for, users, world, cases):
    whistle = cases["in_whistle"]
    before = snapshot(whistle)
    r = client_for(users.office).post(
        reverse("case-route", args=[whistle.pk]),
        {"departments": [world.departments["out_dept"].pk], "version": whistle.version},
    )
    assert r.status_code == 400
    assert "只能派单到本县部门，所选部门不存在或不属于本县。" in html(r)
    assert "外县住建" not in html(r)
    assert snapshot(whistle) == before


def test_reopen_twice_in_the_same_minute(client_for, users, cases):
    problem = to_closed(users, cases["in_problem"])
    office = client_for(users.office)
    moment = timezone.now().replace(second=5)
    with mock.patch("dangjian.cases.services._now", return_value=moment):
        r = office.post(
            reverse("case-reopen", args=[problem.pk]),
            {"reason": "群众反映仍未上墙", "version": problem.version},
        )
        assert r.status_code == 302
        reopened = Case.objects.get(pk=problem.pk)
        assert reopened.state == "rectifying" and reopened.reopen_count == 1
        before = snapshot(problem)
        r = office.post(
            reverse("case-reopen", args=[problem.pk]), {"reason": "再次打开", "version": reopened.version}
        )
    assert r.status_code == 400
    assert "同一分钟内不能重复重新打开同一案件。" in html(r)
    assert snapshot(problem) == before


def test_a_program_renamed_pdf_is_refused(client_for, users, cases):
    problem = cases["in_problem"]
    before = snapshot(problem)
    r = client_for(users.chief).post(
        reverse("case-note", args=[problem.pk]), {"note": "整改报告", "files": [exe_as_pdf()]}
    )
    assert r.status_code == 400
    assert "“整改报告.pdf”的内容不是有效的PDF文件。" in html(r)
    assert snapshot(problem) == before


def test_a_file_over_the_county_limit_is_refused(client_for, users, world, cases):
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="cases.file_max_mb",
        value=1,
        source="县委组织部通知",
        effective_from=datetime.date(2020, 1, 1),
    )
    problem = cases["in_problem"]
    before = snapshot(problem)
    r = post_act(
        client_for(users.secretary),
        problem,
        "report_done",
        note="照片",
        files=[png("大照片.png", size=1024 * 1024 + 10)],
    )
    assert r.status_code == 400
    assert "“大照片.png”超过1MB，请压缩后再上传。" in html(r)
    assert snapshot(problem) == before


def test_not_a_document_or_image(client_for, users, cases):
    from django.core.files.uploadedfile import SimpleUploadedFile

    problem = cases["in_problem"]
    before = snapshot(problem)
    r = client_for(users.chief).post(
        reverse("case-supervise", args=[problem.pk]),
        {"note": "督办", "files": [SimpleUploadedFile("run.exe", b"MZ\x90\x00")]},
    )
    assert r.status_code == 400
    assert "“run.exe”不是图片或文档" in html(r)
    assert snapshot(problem) == before


def test_a_second_sign_off_is_told_the_case_just_changed(client_for, users, cases, world):
    problem = to_done(users, cases["in_problem"])
    services.act(users.chief, problem, "accept")
    drawn = Case.objects.get(pk=problem.pk)
    chief = client_for(users.chief)
    r = chief.post(reverse("case-act", args=[drawn.pk]), {"code": "sign_off", "version": drawn.version})
    assert r.status_code == 302
    before = snapshot(problem)
    root = client_for(world.root)
    r = root.post(reverse("case-act", args=[drawn.pk]), {"code": "sign_off", "version": drawn.version})
    assert r.status_code == 400
    assert "该案件刚被他人办理，请刷新后再试。" in text(r)
    assert snapshot(problem) == before


def test_new_errand_needs_a_service_of_the_township(client_for, users, world, cases):
    out_service = cases["out_errand"].service
    count = Case.objects.count()
    r = client_for(users.secretary).post(
        reverse("case-new") + "?kind=errand",
        {
            "org": world.orgs["branch"].pk,
            "service": out_service.pk,
            "source": "window",
            "resident_name": "李某",
        },
    )
    assert r.status_code == 400 and "代办事项不在本乡镇的目录中。" in html(r)
    assert Case.objects.count() == count


def test_grid_leader_may_only_raise_whistles(client_for, users):
    r = client_for(users.grid).get(reverse("case-new") + "?kind=problem")
    assert r.status_code == 403
