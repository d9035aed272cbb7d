"""The roll-up by level (township and county totals per status, kind and unit, funds and gaps) and the
dashboard panels built on it: scoped, in figures that match the ledger, with click-through URLs."""

from decimal import Decimal

from django.utils import timezone

from dangjian.core.roles import Role
from dangjian.dashboards.panels import PANELS
from dangjian.projects import services, stats
from dangjian.projects.choices import ProjectKind, ProjectStatus, SourceKind
from dangjian.projects.models import Unit

TODAY = timezone.localdate()


def test_township_and_county_rollup(world):
    admin = world.user(Role.COUNTY_ADMIN)
    [town] = stats.rollup(admin, "township")
    assert town.name == "镇甲" and town.projects == 2
    assert (
        town.budget == Decimal("400000") and town.funded == Decimal("360000") and town.gap == Decimal("40000")
    )
    assert town.by_status == {ProjectStatus.UNDER_WAY: 1, ProjectStatus.PLANNED: 1}
    assert town.by_kind == {ProjectKind.INFRASTRUCTURE: 1, ProjectKind.LIVELIHOOD: 1}
    assert town.outcomes == {"亩": Decimal("200")}
    [county] = stats.rollup(admin, "county")
    assert county.name == "县甲" and county.projects == 2
    both = stats.rollup(world.root, "county")
    assert {r.name for r in both} == {"县甲", "外县"}
    grand = stats.total(both)
    assert grand.projects == 3 and grand.outcomes == {"亩": Decimal("400")}


def test_rollup_filters_and_units_add_within_a_unit_only(world):
    admin = world.user(Role.COUNTY_ADMIN)
    p = world.projects["镇甲"]
    services.record_outcome(world.root, p, measure="硬化道路", quantity=1000, unit=Unit.objects.get(code="m"))
    services.record_outcome(
        world.root, world.projects["甲"], measure="整修水渠", quantity=500, unit=Unit.objects.get(code="m")
    )
    [town] = stats.rollup(admin, "township")
    assert town.outcomes == {"亩": Decimal("200"), "米": Decimal("1500")}
    [only] = stats.rollup(admin, "township", kind=ProjectKind.LIVELIHOOD)
    assert only.projects == 1 and only.outcomes == {"米": Decimal("1000")}
    assert stats.rollup(admin, "township", year=TODAY.year - 5) == []
    assert stats.rollup(admin, "township", status=ProjectStatus.COMPLETED) == []


def test_a_village_secretary_rolls_up_only_their_village(world):
    [town] = stats.rollup(world.user(Role.VILLAGE_SECRETARY), "township")
    assert town.projects == 1 and town.budget == Decimal("300000")


def test_projects_panel(world):
    admin = world.user(Role.COUNTY_ADMIN)
    chart = PANELS["projects"].build(admin, world.orgs["county"], TODAY)
    under_way = next(r for r in chart.rows if r["status"] == "实施中" and r["kind"] == "基础设施")
    assert under_way == {"status": "实施中", "kind": "基础设施", "count": 1, "budget": 30.0}
    assert sum(r["count"] for r in chart.rows) == 2
    infra = next(s for s in chart.option["series"] if s["name"] == "基础设施")
    assert "status=under_way" in infra["data"][1]["url"] and "kind=infrastructure" in infra["data"][1]["url"]
    assert f"org={world.orgs['county'].pk}" in chart.list_url
    outside = PANELS["projects"].build(admin, world.orgs["out_county"], TODAY)
    assert sum(r["count"] for r in outside.rows) == 0


def test_outcomes_panel(world):
    services.add_source(world.root, world.projects["镇甲"], kind=SourceKind.OTHER, amount=1)
    services.record_outcome(
        world.root,
        world.projects["镇甲"],
        measure="受益户",
        quantity=67,
        unit=Unit.objects.get(code="household"),
    )
    chart = PANELS["outcomes"].build(world.user(Role.TOWNSHIP_STAFF), world.orgs["township"], TODAY)
    assert chart.rows == [{"unit": "亩", "total": 200.0}, {"unit": "户", "total": 67.0}]
    assert chart.option["yAxis"]["type"] == "log"


def test_panels_answer_through_the_dashboard(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    for code in ("projects", "outcomes"):
        r = client.get(f"/dashboards/{world.orgs['township'].pk}/data/", {"panel": code})
        assert r.status_code == 200, code
    r = client.get(f"/dashboards/{world.orgs['out_township'].pk}/data/", {"panel": "projects"})
    assert r.status_code == 404
