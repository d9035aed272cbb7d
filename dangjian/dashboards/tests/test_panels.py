"""Each panel's figures against the world's own rows, read independently of the panel, and its
click-through URLs into the existing lists with the right filters."""

import datetime
from urllib.parse import parse_qs, urlparse

import pytest
from django.db.models import Q
from django.utils import timezone

from dangjian.cases.models import Case
from dangjian.cases.selectors import overdue_q
from dangjian.core.roles import Role
from dangjian.dashboards.panels import PANELS, panels_for
from dangjian.development.models import DevelopmentCase
from dangjian.meetings.compliance import Period, evaluate
from dangjian.rectification.models import PlanItem, RectificationCase
from dangjian.tasks.models import Assignment

from .helpers import panels

pytestmark = pytest.mark.django_db
MINE = ["meetings.obligations", "tasks.trend", "cases.by_state", "development.funnel", "rectification.status"]


def query(url: str) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(url).query).items()}


@pytest.mark.parametrize("key", ["county", "township", "station", "branch"])
def test_every_level_answers_its_panels_as_json(world, client_for, key):
    got = panels(client_for(world.user(Role.COUNTY_ADMIN)), world.orgs[key])
    level = key
    assert list(got) == [p.code for p in panels_for(level)]
    for code in MINE:
        p = got[code]
        assert "error" not in p, p
        assert p["option"]["series"] and p["columns"] and p["list_url"] and p["note"]
        assert all(set(r) == {k for k, _ in p["columns"]} for r in p["rows"])


def test_one_panel_and_a_panel_not_at_this_level(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    one = client.get(f"/dashboards/{world.orgs['county'].pk}/data/", {"panel": "cases.by_state"}).json()
    assert [p["code"] for p in one["panels"]] == ["cases.by_state"]
    branch = world.orgs["branch"].pk
    assert client.get(f"/dashboards/{branch}/data/", {"panel": "rectification.progress"}).status_code == 404
    assert client.get(f"/dashboards/{branch}/data/", {"panel": "nope"}).status_code == 404


def test_cases_by_state_and_overdue(world, client_for):
    user, org = world.user(Role.COUNTY_ADMIN), world.orgs["township"]
    p = panels(client_for(user), org)["cases.by_state"]
    today = timezone.localdate()
    mine = Case.objects.filter(org__path__startswith=org.path)
    assert sum(r["count"] for r in p["rows"]) == mine.count() > 0
    assert sum(r["overdue"] for r in p["rows"]) == mine.filter(overdue_q(today)).count() > 0
    assert p["extra"]["open"] == mine.exclude(state="closed").count()
    late = [d for d in p["option"]["series"][1]["data"] if d["value"]]
    assert late
    q = query(late[0]["url"])
    assert q["view"] == "overdue" and q["org"] == str(org.pk) and ":" in q["state"]
    listed = client_for(user).get(late[0]["url"])
    assert listed.status_code == 200


def test_development_funnel(world, client_for):
    org = world.orgs["county"]
    p = panels(client_for(world.user(Role.COUNTY_ADMIN)), org)["development.funnel"]
    mine = DevelopmentCase.objects.filter(org__path__startswith=org.path)
    steps = {r["step"]: r["count"] for r in p["rows"]}
    assert list(steps)[:3] == ["申请入党", "入党积极分子", "发展对象"]
    assert steps["申请入党"] == mine.filter(status="open", stage=1).count()
    assert steps["预备党员"] == mine.filter(status="probation").count()
    assert steps["已转正"] == mine.filter(status="full").count()
    assert sum(steps.values()) == mine.exclude(status="stopped").count() > 0
    first = p["option"]["series"][0]["data"][0]
    assert query(first["url"]) == {"org": str(org.pk), "status": "open", "stage": "1"}


def test_rectification_status_and_progress(world, client_for):
    org = world.orgs["county"]
    got = panels(client_for(world.user(Role.COUNTY_ADMIN)), org)
    year = timezone.localdate().year
    mine = RectificationCase.objects.filter(org__path__startswith=org.path, year=year)
    status = {r["status"]: r["count"] for r in got["rectification.status"]["rows"]}
    assert sum(status.values()) == mine.count() > 0
    for case in mine:
        assert status[case.get_status_display()] >= 1
    for d in got["rectification.status"]["option"]["series"][0]["data"]:
        assert query(d["url"])["year"] == str(year) and query(d["url"])["status"]
    items = PlanItem.objects.filter(plan__case__in=mine)
    progress = got["rectification.progress"]["rows"]
    assert sum(r["items"] for r in progress) == items.count()
    assert sum(r["closed"] for r in progress) == items.filter(item__state="closed").count()


def test_tasks_trend(world, client_for):
    org, today = world.orgs["county"], timezone.localdate()
    p = panels(client_for(world.user(Role.COUNTY_ADMIN)), org)["tasks.trend"]
    assert len(p["rows"]) == 6
    leaves = Assignment.objects.filter(
        relayed=False, org__path__startswith=org.path, task__task_list__kind="monthly"
    )
    this_month = leaves.filter(period_start=today.replace(day=1))
    row = p["rows"][-1]
    assert row["assignments"] == this_month.count()
    assert row["done_count"] == this_month.filter(state="done").count()
    assert row["late"] == this_month.filter(Q(due__lt=today) & ~Q(state="done")).count()
    assert (
        sum(r["assignments"] for r in p["rows"])
        == leaves.filter(period_start__gt=today.replace(day=1) - datetime.timedelta(days=180)).count()
    )
    q = query(p["option"]["series"][0]["data"][-1]["url"])
    assert q == {"org": str(org.pk), "month": f"{today:%Y-%m}", "leaf": "true", "status": "late"}


def test_meetings_heat_map_is_the_compliance_engines(world, client_for):
    user, org, today = world.user(Role.COUNTY_ADMIN), world.orgs["township"], timezone.localdate()
    p = panels(client_for(user), org)["meetings.obligations"]
    period = Period.containing(today, "quarter")
    result = evaluate([org.path], period, today, user=user)
    branches = sorted(
        (o for o in result.orgs.values() if o.kind in ("branch", "community")), key=lambda o: o.path
    )
    assert p["option"]["yAxis"]["data"] == [o.name for o in branches]
    assert sum(r["due"] for r in p["rows"]) == sum(o.due for o in branches) > 0
    assert sum(r["met"] for r in p["rows"]) == sum(o.met for o in branches)
    cell = p["option"]["series"][0]["data"][0]
    assert query(cell["url"]) == {"org": str(branches[0].id), "period": period.key}


def test_a_county_heat_map_has_a_row_per_township(world, client_for):
    p = panels(client_for(world.user(Role.COUNTY_ADMIN)), world.orgs["county"])["meetings.obligations"]
    assert p["option"]["yAxis"]["data"] == ["镇甲"]


def test_a_past_month_reads_as_of_its_last_day(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    today = timezone.localdate()
    last = today.replace(day=1) - datetime.timedelta(days=1)
    r = client.get(f"/dashboards/{world.orgs['county'].pk}/data/", {"month": f"{last:%Y-%m}"}).json()
    assert r["as_of"] == last.isoformat()
    trend = next(p for p in r["panels"] if p["code"] == "tasks.trend")
    assert trend["rows"][-1]["month"] == f"{last.year}年{last.month}月"


def test_the_village_secretary_sees_only_their_village(world, client_for):
    user, org = world.user(Role.VILLAGE_SECRETARY), world.orgs["branch"]
    got = panels(client_for(user), org)
    assert sum(r["count"] for r in got["cases.by_state"]["rows"]) == (
        Case.objects.restrict(user).filter(org__path__startswith=org.path).count()
    )
    assert "村甲二" not in str(got)


def test_panels_are_registered_once_each():
    for code in MINE + ["rectification.progress"]:
        assert code in PANELS
