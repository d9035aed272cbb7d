"""The findings page lists what every registered check reports, in the user's scope, with sources."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from dangjian.core.findings import CHECKS, Finding, register_check
from dangjian.core.roles import Role
from dangjian.members.models import Member


@pytest.fixture
def probe_check():
    @register_check("test.probationary", "预备党员测试检查", "测试")
    def check(user, today):
        return [
            Finding(
                rule="development.probation_years",
                org_id=m.org_id,
                org_name=m.org.name,
                subject=m.person.name,
                message="预备期需关注",
                severity="due_soon",
                due_on=today + datetime.timedelta(days=3),
                url=f"/members/{m.pk}/",
            )
            for m in Member.objects.restrict(user)
            .select_related("org", "person")
            .filter(status="probationary")
        ]

    yield check
    CHECKS.pop("test.probationary")


@pytest.mark.django_db
def test_findings_page_shows_rule_source_and_exports(world, client_for, probe_check):
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = client.get("/findings/", {"check": "test.probationary"})
    text = page.content.decode()
    assert page.status_code == 200
    assert "甲预备党员" in text and "预备期需关注" in text and "中国共产党章程" in text
    export = client.get("/findings/", {"check": "test.probationary", "export": "xlsx"})
    wb = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[1][:3] == ("类别", "组织", "对象")
    assert rows[2][2] == "甲预备党员"


@pytest.mark.django_db
def test_findings_filter_by_severity(world, client_for, probe_check):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    only = {"check": "test.probationary"}
    assert "甲预备党员" not in client.get("/findings/", only | {"severity": "overdue"}).content.decode()
    assert "甲预备党员" in client.get("/findings/", only | {"severity": "due_soon"}).content.decode()


@pytest.mark.django_db
def test_findings_narrowed_to_an_org_of_the_scope(world, client_for, probe_check):
    """The 3+X scorecard links each unit's reasons here with ?org=: only that subtree, and an org outside
    the user's scope shows nothing rather than everything."""
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    only = {"check": "test.probationary"}
    member_org = Member.objects.filter(person__name="甲预备党员").values_list("org_id", flat=True).first()
    assert "甲预备党员" in client.get("/findings/", only | {"org": member_org}).content.decode()
    other = world.orgs["sibling"] if member_org != world.orgs["sibling"].pk else world.orgs["branch"]
    page = client.get("/findings/", only | {"org": other.pk}).content.decode()
    assert "甲预备党员" not in page and f"范围：<strong>{other.name}" in page
    assert (
        "甲预备党员"
        not in client.get("/findings/", only | {"org": world.orgs["out_branch"].pk}).content.decode()
    )
    assert "甲预备党员" not in client.get("/findings/", only | {"org": "x"}).content.decode()


@pytest.mark.django_db
def test_warning_only_checks_never_report_red(world):
    """Readers of red findings (the 3+X scorecard) skip the checks registered red=False: none of them may
    ever report something overdue, whatever the day."""
    from django.utils import timezone

    from dangjian.core.findings import findings_for, red_checks

    warning_only = sorted(set(CHECKS) - set(red_checks()))
    assert warning_only == [
        "cases.due_soon",
        "development.due_soon",
        "development.no_admission",
        "meetings.due_soon",
        "tasks.assignment_due_soon",
        "tasks.weekly_due_soon",
    ]
    admin = world.user(Role.COUNTY_ADMIN)
    today = timezone.localdate()
    seen = []
    for days in (-30, 0, 1, 3, 7, 30, 400, 800):
        found = findings_for(admin, today + datetime.timedelta(days=days), warning_only)
        assert not [f for f in found if f.severity == "overdue"]
        seen += found
    assert seen  # the world gives the warning-only checks something to report
