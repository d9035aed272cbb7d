"""The services' rules: an outcome needs a unit; sources may fall short of the budget (a gap) but not
exceed it; milestones are due in order and done in order; completion needs every milestone; only the
right roles write, and every write leaves its audit row."""

import datetime
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError, DomainErrors, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.decisions.models import Decision
from dangjian.projects import services
from dangjian.projects.choices import ProgressMode, ProjectKind, ProjectStatus, SourceKind
from dangjian.projects.models import Milestone, Outcome, Project, ProjectFile, Unit
from dangjian.projects.selectors import gap, ledger_rows

TODAY = timezone.localdate()


def new(world, org="branch", budget="100000", **kw):
    return services.create_project(
        world.user(Role.TOWNSHIP_STAFF),
        org=world.orgs[org],
        title=kw.pop("title", "甲村便民桥"),
        kind=kw.pop("kind", ProjectKind.INFRASTRUCTURE),
        year=TODAY.year,
        budget=budget,
        **kw,
    )


def messages(exc) -> str:
    return "；".join(e.message for e in (getattr(exc, "errors", None) or [exc]))


def test_an_outcome_without_a_unit_is_refused_with_the_rule(world):
    project = world.projects["甲"]
    with pytest.raises(DomainError) as exc:
        services.record_outcome(world.root, project, measure="受益群众", quantity=160, unit=None)
    assert exc.value.field == "unit"
    assert "计量单位" in exc.value.message and "无法汇总" in exc.value.message
    assert not Outcome.objects.filter(measure="受益群众").exists()


@pytest.mark.parametrize("quantity", [0, -5, "很多"])
def test_an_outcome_needs_a_positive_number(world, quantity):
    with pytest.raises(DomainError) as exc:
        services.record_outcome(
            world.root,
            world.projects["甲"],
            measure="受益户",
            quantity=quantity,
            unit=Unit.objects.get(code="household"),
        )
    assert exc.value.field == "quantity"


def test_outcome_recorded_in_its_unit(world):
    o = services.record_outcome(
        world.root,
        world.projects["甲"],
        measure="受益户",
        quantity="67",
        unit=Unit.objects.get(code="household"),
    )
    assert str(o) == "受益户 67户"
    assert AuditEvent.objects.filter(
        action="projects.outcome.add", object_id=str(world.projects["甲"].pk)
    ).exists()


def test_sources_short_of_the_budget_show_a_gap(world):
    project = new(world, budget="230000", sources=[(SourceKind.COUNTY, "", "200000")])
    row = ledger_rows().get(pk=project.pk)
    assert row.funded == Decimal("200000") and gap(row.budget, row.funded) == Decimal("30000")
    services.add_source(world.root, project, kind=SourceKind.VILLAGE, amount="30000")
    row = ledger_rows().get(pk=project.pk)
    assert gap(row.budget, row.funded) == 0


def test_sources_over_the_budget_are_refused(world):
    with pytest.raises(DomainError) as exc:
        new(
            world,
            budget="100000",
            sources=[(SourceKind.COUNTY, "", "80000"), (SourceKind.DONATION, "", "30000")],
        )
    assert "超过项目预算" in messages(exc.value)
    assert not Project.objects.filter(title="甲村便民桥").exists()
    project = world.projects["甲"]  # 300,000 fully funded
    with pytest.raises(DomainError) as exc:
        services.add_source(world.root, project, kind=SourceKind.DONATION, amount="0.01")
    assert exc.value.field == "amount"
    with pytest.raises(DomainError) as exc:
        services.update_project(world.root, project, budget="299999.99")
    assert exc.value.field == "budget"


def test_boundary_sources_equal_to_budget_are_accepted(world):
    project = new(world, budget="100000.00", sources=[(SourceKind.COUNTY, "", "100000")])
    assert gap(project.budget, ledger_rows().get(pk=project.pk).funded) == 0


@pytest.mark.parametrize("budget", ["0", "-1", "abc", ""])
def test_budget_must_be_a_positive_amount(world, budget):
    with pytest.raises(DomainError) as exc:
        new(world, budget=budget)
    assert "项目预算" in messages(exc.value)


def test_milestones_are_due_in_order(world):
    project = new(world)
    services.add_milestone(world.root, project, title="立项", due=TODAY + datetime.timedelta(days=10))
    with pytest.raises(DomainError) as exc:
        services.add_milestone(world.root, project, title="招标", due=TODAY + datetime.timedelta(days=9))
    assert "不能早于上一节点" in exc.value.message and exc.value.field == "due"
    same_day = services.add_milestone(
        world.root, project, title="开工", due=TODAY + datetime.timedelta(days=10)
    )
    assert same_day.sort_order == 2


def test_milestones_are_done_in_order_and_not_in_the_future(world):
    project = new(world)
    a = services.add_milestone(world.root, project, title="立项", due=TODAY)
    b = services.add_milestone(world.root, project, title="完工", due=TODAY + datetime.timedelta(days=5))
    with pytest.raises(DomainError) as exc:
        services.complete_milestone(world.root, b, done_on=TODAY)
    assert "请先完成前面的节点：立项" in messages(exc.value)
    with pytest.raises(DomainError):
        services.complete_milestone(world.root, a, done_on=TODAY + datetime.timedelta(days=1), today=TODAY)
    services.complete_milestone(world.root, a, done_on=TODAY - datetime.timedelta(days=2), today=TODAY)
    project.refresh_from_db()
    assert project.status == ProjectStatus.UNDER_WAY  # the first milestone done starts the project
    with pytest.raises(DomainError) as exc:
        services.complete_milestone(world.root, b, done_on=TODAY - datetime.timedelta(days=3), today=TODAY)
    assert "前一节点的完成日期" in messages(exc.value)
    services.complete_milestone(world.root, b, done_on=TODAY, today=TODAY)
    row = ledger_rows().get(pk=project.pk)
    assert row.progress_from(row.ms_done, row.ms_total) == 100


def test_completion_needs_every_milestone(world):
    project = world.projects["甲"]  # one of two milestones done
    assert ledger_rows().get(pk=project.pk).progress_from(1, 2) == 50
    with pytest.raises(DomainError) as exc:
        services.set_status(world.root, project, status=ProjectStatus.COMPLETED)
    assert "还有节点未完成" in messages(exc.value) and "甲村渠道衬砌" in messages(exc.value)
    m = Milestone.objects.get(project=project, done_on__isnull=True)
    services.complete_milestone(world.root, m)
    services.set_status(world.root, project, status=ProjectStatus.COMPLETED, note="竣工验收")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.finished_on == TODAY
    with pytest.raises(DomainError) as exc:
        services.set_status(world.root, project, status=ProjectStatus.UNDER_WAY)
    assert "只能转为无" in exc.value.message or "只能转为" in exc.value.message


def test_status_moves_only_along_its_path(world):
    project = new(world)
    with pytest.raises(DomainError):
        services.set_status(world.root, project, status=ProjectStatus.COMPLETED)
    services.set_status(world.root, project, status=ProjectStatus.SUSPENDED, note="资金未到位")
    services.set_status(world.root, project, status=ProjectStatus.UNDER_WAY)
    project.refresh_from_db()
    assert project.start_on == TODAY
    events = AuditEvent.objects.filter(action="projects.status", object_id=str(project.pk))
    assert events.count() == 2


def test_reported_progress(world):
    project = world.projects["镇甲"]
    services.report_progress(world.root, project, percent=40)
    assert ledger_rows().get(pk=project.pk).progress_from(0, 0) == 40
    for bad in (101, -1):
        with pytest.raises(DomainError):
            services.report_progress(world.root, project, percent=bad)
    with pytest.raises(DomainError) as exc:
        services.report_progress(world.root, world.projects["甲"], percent=40)
    assert "按节点" in exc.value.message


def test_shared_villages_must_be_villages_of_the_township(world):
    o = world.orgs
    with pytest.raises(DomainError) as exc:
        new(world, org="township", villages=[o["branch"], o["out_branch"]])
    assert "不在镇甲" in messages(exc.value)
    with pytest.raises(DomainError):
        new(world, org="township", villages=[o["station"]])
    with pytest.raises(DomainError) as exc:
        new(world, org="group")
    assert exc.value.field == "org"


def test_the_decision_must_be_the_projects_own_and_visible(world):
    staff = world.user(Role.TOWNSHIP_STAFF)
    inside = Decision.objects.restrict(staff).filter(org=world.orgs["branch"]).first()
    outside = Decision.objects.exclude(pk__in=Decision.objects.restrict(staff).values("pk")).first()
    assert inside is not None and outside is not None
    project = new(world, decision=inside)
    assert project.decision_id == inside.pk
    with pytest.raises(DomainError) as exc:
        new(world, title="甲村另一项目", decision=outside)
    assert exc.value.field == "decision"
    with pytest.raises(DomainError) as exc:
        new(world, org="sibling", title="甲二村项目", decision=inside)
    assert "不是本项目的实施单位或受益村" in messages(exc.value)


def test_roles_that_may_not_write(world):
    with pytest.raises(ActionDenied):
        services.create_project(
            world.user(Role.READONLY_LEADER),
            org=world.orgs["branch"],
            title="甲村只读",
            kind=ProjectKind.LIVELIHOOD,
            year=TODAY.year,
            budget=1,
        )
    with pytest.raises(NotInScope):
        services.add_source(
            world.user(Role.VILLAGE_SECRETARY), world.projects["外"], kind=SourceKind.OTHER, amount=1
        )
    # a village secretary registers a project of their own village
    project = services.create_project(
        world.user(Role.VILLAGE_SECRETARY),
        org=world.orgs["branch"],
        title="甲村文化广场",
        kind=ProjectKind.LIVELIHOOD,
        year=TODAY.year,
        budget="50000",
        progress_mode=ProgressMode.REPORTED,
    )
    assert AuditEvent.objects.filter(action="projects.create", object_id=str(project.pk)).exists()


def office_file(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(part, "<x/>")
    return buffer.getvalue()


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_uploads_reuse_the_content_check(world, media):
    project = world.projects["甲"]
    with pytest.raises(DomainError) as exc:
        services.upload_file(
            world.root, project, SimpleUploadedFile("照片.jpg", b"<script>alert(1)</script>")
        )
    assert "内容与扩展名" in exc.value.message
    with pytest.raises(DomainError) as exc:
        services.upload_file(world.root, project, SimpleUploadedFile("程序.exe", b"MZ"))
    assert "只能上传" in exc.value.message
    ok = services.upload_file(
        world.root, project, SimpleUploadedFile("验收单.docx", office_file("word/document.xml")), "document"
    )
    assert ProjectFile.objects.filter(pk=ok.pk, org=project.org).exists()
    services.delete_file(world.root, ok)
    assert not ProjectFile.objects.filter(pk=ok.pk).exists()


def test_several_problems_are_reported_together(world):
    with pytest.raises(DomainErrors) as exc:
        services.create_project(world.root, org=world.orgs["branch"], title="", kind="x", year=1, budget="-3")
    fields = {e.field for e in exc.value.errors}
    assert {"title", "kind", "year", "budget"} <= fields
