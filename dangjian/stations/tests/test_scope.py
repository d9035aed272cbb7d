"""Scope: every route of the app is declared, and who sees which station's rows.

Decision: a village secretary sees the inspections of their own branch (an inspection is scoped by
the branch inspected) and nothing else of the station above them; a station chief sees and records
only their own station's work; the department liaison sees no station rows."""

from dangjian.core.routes import route_scope_of
from dangjian.core.tests.test_scope_matrix import ROUTES
from dangjian.stations.models import (
    ResearchAppraisal,
    ResearchRound,
    ResearchScore,
    ServiceHalfDay,
    StationInspection,
    StationStaff,
)

from .conftest import html

MINE = [
    (route, cb)
    for route, cb in ROUTES
    if route.startswith("stations/")
    or any(
        f"v1/^{name}" in route
        for name in (
            "station-staff",
            "station-checklist",
            "station-systems",
            "station-inspections",
            "service-half-days",
            "research-",
        )
    )
]


def test_every_route_of_the_app_is_declared():
    """The role x route matrix (core/tests/test_scope_matrix.py) covers these routes; the test world
    has a row of every model of this app inside county 甲 and outside it."""
    assert len(MINE) >= 40
    assert all(route_scope_of(cb) is not None for _, cb in MINE)


def names(qs) -> set[str]:
    return {str(x) for x in qs}


def test_station_chief_sees_only_their_station(world, users):
    chief = users.chief
    assert names(StationStaff.objects.restrict(chief)) == {
        "甲站长（站甲站长）",
        "甲副站长（站甲副站长）",
        "甲专职（站甲专职党务工作者）",
    }
    assert ServiceHalfDay.objects.restrict(chief).count() == 1
    assert ResearchAppraisal.objects.restrict(chief).count() == 0  # the township's meeting
    assert names(ResearchScore.objects.restrict(chief)) == {"站甲调研报告得分88.5"}  # but their own score


def test_secretary_sees_their_branchs_inspections_only(world, users, client_for):
    sec = users.secretary
    assert names(StationInspection.objects.restrict(sec)) == {"村甲一 2026-11-03 督查"}
    assert StationStaff.objects.restrict(sec).count() == 0
    assert ResearchRound.objects.restrict(sec).count() == 0
    client = client_for(sec)
    page = client.get("/stations/inspections/")
    assert page.status_code == 200 and "村甲一" in html(page)
    assert client.get(f"/stations/{world.orgs['station'].pk}/").status_code == 404
    assert client.get("/stations/").status_code == 200


def test_liaison_sees_no_station(world, users, client_for):
    client = client_for(users.liaison)
    assert "站甲" not in html(client.get("/stations/"))
    assert client.get(f"/stations/{world.orgs['station'].pk}/").status_code == 403
    assert StationStaff.objects.restrict(users.liaison).count() == 0


def test_a_non_station_org_goes_to_the_list_of_its_subtree(world, users, client_for):
    township = world.orgs["township"]
    r = client_for(users.office).get(f"/stations/{township.pk}/")
    assert r.status_code == 302 and r["Location"] == f"/stations/?org={township.pk}"
    listing = client_for(users.office).get(r["Location"])
    assert "站甲" in html(listing)


def test_roles_that_may_not_write_get_403(world, users, client_for):
    station = world.orgs["station"]
    assert client_for(users.chief).get(f"/stations/{station.pk}/staff/new/").status_code == 403
    assert client_for(users.leader).get(f"/stations/{station.pk}/inspections/new/").status_code == 403
    assert client_for(users.chief).get(f"/stations/{station.pk}/inspections/new/").status_code == 200
    appraisal = world.station_rows["in_appraisal"]
    assert (
        client_for(users.leader).post(f"/stations/research/appraisals/{appraisal.pk}/scores/").status_code
        == 403
    )
