"""Reports through the services: every bad input refused with its message and nothing written; the
report's effect on the assignment (state, late, done) and its files; the findings."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.findings import findings_for
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, TaskReport, TaskReportFile
from dangjian.tasks.testing import SCENARIO_DUE, scenario

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour))


def _xlsx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


def _state(a: Assignment) -> tuple:
    a = Assignment.objects.get(pk=a.pk)
    return a.done_amount, a.checklist_done, a.state, TaskReport.objects.count(), AuditEvent.objects.count()


def test_report_number_and_checklist(world):
    s = scenario(world)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    rep = services.report(
        secretary,
        s["branch"],
        text="又修了100米",
        amount="1100",
        files=[SimpleUploadedFile("现场.pdf", PDF), SimpleUploadedFile("台账.xlsx", _xlsx())],
        now=_at(SCENARIO_DUE),
    )
    assert not rep.late and rep.amount == 1100 and rep.org_id == world.orgs["branch"].pk
    assert [f.name for f in TaskReportFile.objects.filter(report=rep)] == ["现场.pdf", "台账.xlsx"]
    a = Assignment.objects.get(pk=s["branch"].pk)
    assert a.state == "done" and a.percent == 100 and a.completed_on == datetime.date(2027, 3, 1)
    # a later, lower figure takes the assignment back out of "done"; a report after the due day is late
    rep = services.report(
        secretary, a, text="复核后为900米", amount=900, now=_at(SCENARIO_DUE + datetime.timedelta(1))
    )
    a.refresh_from_db()
    assert rep.late and a.state == "reported" and a.completed_on is None
    rep = services.report(secretary, s["s_branch"], text="三项都完成", checklist_done=["2", 0, 1])
    a = Assignment.objects.get(pk=s["s_branch"].pk)
    assert a.checklist_done == [0, 1, 2] and a.done_amount == 3 and a.state == "done"
    assert AuditEvent.objects.filter(action="tasks.report", object_id=str(a.pk)).count() == 2


@pytest.mark.parametrize(
    "which, kw, field, message",
    [
        ("s_branch", {"checklist_done": [0, 1, 2, 3]}, "checklist_done", "完成事项超过清单总数"),
        ("s_branch", {"checklist_done": [0, 0, 1, 2]}, "checklist_done", "完成事项超过清单总数"),
        ("s_branch", {"checklist_done": [5]}, "checklist_done", "没有第6项"),
        ("s_branch", {"checklist_done": [-1]}, "checklist_done", "完成事项超过清单总数"),
        ("s_branch", {"checklist_done": ["x"]}, "checklist_done", "清单中的序号"),
        ("branch", {"amount": -1}, "amount", "不能为负数"),
        ("branch", {"amount": None}, "amount", "请填写当前完成值（米）"),
        ("branch", {"amount": "一千"}, "amount", "须为数字"),
        ("branch", {"amount": 10, "text": " "}, "text", "请填写完成情况"),
        ("branch", {"amount": 10, "text": "长" * 3001}, "text", "不能超过3000个字"),
        ("branch", {"amount": 10, "files": [SimpleUploadedFile("a.exe", b"MZ")]}, "files", "不是图片或文档"),
        (
            "branch",
            {"amount": 10, "files": [SimpleUploadedFile("假.pdf", b"<html>")]},
            "files",
            "不是有效的PDF",
        ),
    ],
)
def test_report_refusals(world, which, kw, field, message):
    s = scenario(world)
    a = s[which]
    before = _state(a)
    kw = {"text": "报告"} | kw
    with pytest.raises(DomainError, match=message) as exc:
        services.report(world.user(Role.VILLAGE_SECRETARY), a, **kw)
    assert field in {e.field for e in getattr(exc.value, "errors", None) or [exc.value]}
    assert _state(a) == before


def test_file_size_limit_per_county(world):
    s = scenario(world)
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="tasks.report_file_max_mb",
        value=1,
        source="县委组织部通知",
        effective_from=datetime.date(2020, 1, 1),
    )
    exact = SimpleUploadedFile("刚好.pdf", PDF + b"0" * (1024 * 1024 - len(PDF)))
    services.report(world.root, s["branch"], text="1MB整", amount=1, files=[exact])
    over = SimpleUploadedFile("超了.pdf", PDF + b"0" * (1024 * 1024 - len(PDF) + 1))
    with pytest.raises(DomainError, match="超过1MB"):
        services.report(world.root, s["branch"], text="超1字节", amount=1, files=[over])


def test_report_permission_and_relayed(world):
    s = scenario(world)
    before = _state(s["branch"])
    with pytest.raises(NotInScope):
        services.report(world.user("out_admin"), s["branch"], text="x", amount=1)
    with pytest.raises(NotInScope):  # 村甲一's secretary cannot see 村甲二
        services.report(world.user(Role.VILLAGE_SECRETARY), s["sibling"], text="x", amount=1)
    with pytest.raises(ActionDenied):
        services.report(world.user(Role.READONLY_LEADER), s["branch"], text="x", amount=1)
    with pytest.raises(DomainError, match="由下级报告"):
        services.report(world.user(Role.STATION_CHIEF), s["station"], text="x", amount=1)
    assert _state(s["branch"]) == before


def test_report_for(world):
    s = scenario(world)
    rep = services.report_for(
        world.user(Role.STATION_CHIEF), s["canal"], world.orgs["sibling"], text="代报", amount=500
    )
    assert rep.assignment_id == s["sibling"].pk
    before = TaskReport.objects.count()
    with pytest.raises(DomainError, match="该组织未承办此任务，不能报告") as exc:
        services.report_for(
            world.user(Role.TOWNSHIP_STAFF), s["study"], world.orgs["community"], text="x", checklist_done=[0]
        )
    assert exc.value.field == "org"
    with pytest.raises(NotInScope):
        services.report_for(world.user("out_admin"), s["study"], world.orgs["community"], text="x")
    assert TaskReport.objects.count() == before


def test_findings(world):
    scenario(world)
    office = world.user(Role.TOWNSHIP_STAFF)
    late = [f for f in findings_for(office, datetime.date(2027, 3, 21), ["tasks.assignment_overdue"])]
    mine = {(f.org_name, f.subject) for f in late}
    assert ("社区甲", "任务“甲镇修渠”") in mine and ("村甲二", "任务“甲镇修渠”") in mine
    assert ("村甲一", "任务“甲镇修渠”") not in mine  # done
    assert all(f.severity == "overdue" and f.url.startswith("/tasks/assignments/") for f in late)
    assert not [f for f in late if "站甲" == f.org_name]  # the relayed station assignment is not a finding
    outside = findings_for(world.user("out_admin"), datetime.date(2027, 3, 21), ["tasks.assignment_overdue"])
    assert outside and not [f for f in outside if "甲" in f.org_name]
    # due soon: default window 3 days — day N-1 / N / N+1 of the boundary
    soon = lambda day: {  # noqa: E731
        f.org_name for f in findings_for(office, day, ["tasks.assignment_due_soon"]) if "甲镇" in f.subject
    }
    assert soon(SCENARIO_DUE - datetime.timedelta(4)) == set()
    assert soon(SCENARIO_DUE - datetime.timedelta(3)) == {"社区甲", "村甲二", "村甲一"}
    assert soon(SCENARIO_DUE) == {"社区甲", "村甲二", "村甲一"}
    assert soon(SCENARIO_DUE + datetime.timedelta(1)) == set()
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="tasks.due_soon_days",
        value=5,
        source="县委组织部通知",
        effective_from=datetime.date(2020, 1, 1),
    )
    assert soon(SCENARIO_DUE - datetime.timedelta(5)) == {"社区甲", "村甲二", "村甲一"}
    assert soon(SCENARIO_DUE - datetime.timedelta(6)) == set()
