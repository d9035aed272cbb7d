"""Staffing: 1 chief, 1–2 deputies, 1–2 full-time workers (seed 002, local, overridable)."""

import datetime

import pytest

from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.models import RuleOverride
from dangjian.stations import services
from dangjian.stations.checks import staffing
from dangjian.stations.choices import Post
from dangjian.stations.models import StationStaff

from .conftest import D, audit_count, html, sheet_rows

TODAY = D(2026, 11, 22)


def findings(user):
    return [f for f in staffing(user, TODAY)]


def deputies(world, n):
    """Make 站甲 have exactly `n` serving deputies (the test world gives it one)."""
    root, station = world.root, world.orgs["station"]
    StationStaff.objects.filter(org=station, post=Post.DEPUTY).update(until=D(2026, 11, 10))
    for i in range(n):
        services.add_staff(
            root, station, name=f"甲副站长{i}", post=Post.DEPUTY, since=D(2026, 11, 11), today=TODAY
        )


@pytest.mark.parametrize(("n", "flagged"), [(0, True), (1, False), (2, False), (3, True)])
def test_deputies_bounds(world, users, n, flagged):
    deputies(world, n)
    found = [f for f in findings(users.office) if f.org_id == world.orgs["station"].pk]
    assert bool(found) is flagged
    if flagged:
        f = found[0]
        assert f.severity == "overdue" and f"副站长{n}名（应为1–2名）" in f.message
        assert f.rule == ("stations.deputies_min" if n == 0 else "stations.deputies_max")
        assert (
            "宜君县《党建工作站建设实施方案》" in f.message
            and f.url == f"/stations/{world.orgs['station'].pk}/"
        )


def test_workers_and_chief_bounds(world, users):
    station = world.orgs["station"]
    StationStaff.objects.filter(org=station, post__in=[Post.WORKER, Post.CHIEF]).update(until=D(2026, 11, 1))
    found = [f for f in findings(users.office) if f.org_id == station.pk]
    assert len(found) == 1
    assert "站长0名（应为1名）" in found[0].message and "专职党务工作者0名（应为1–2名）" in found[0].message
    assert found[0].rule == "stations.chiefs"


def test_a_county_may_set_its_own_bounds(world, users):
    deputies(world, 3)
    RuleOverride.objects.create(
        county=world.orgs["county"],
        code="stations.deputies_max",
        value=3,
        source="县甲实施方案",
        effective_from=D(2026, 1, 1),
    )
    assert not [f for f in findings(users.office) if f.org_id == world.orgs["station"].pk]
    assert [f.subject for f in findings(users.out_admin)] == []  # 外站 has 1 of each


def test_staff_who_left_do_not_count_and_until_is_checked(world):
    staff = world.station_rows["in_worker"]
    with pytest.raises(DomainError, match="离任日期不能早于任职日期"):
        services.end_staff(world.root, staff, until=D(2026, 11, 1), today=TODAY)
    services.end_staff(world.root, staff, until=D(2026, 11, 20), today=TODAY)
    with pytest.raises(DomainError, match="已于2026-11-20离任"):
        services.end_staff(world.root, staff, until=D(2026, 11, 21), today=TODAY)
    assert [f.subject for f in staffing(world.root, TODAY)] == ["站甲"]


def test_a_second_serving_chief_is_refused(world):
    before = (StationStaff.objects.count(), audit_count())
    with pytest.raises(DomainError, match="本站已有站长“甲站长”在任"):
        services.add_staff(
            world.root, world.orgs["station"], name="乙", post=Post.CHIEF, since=TODAY, today=TODAY
        )
    assert (StationStaff.objects.count(), audit_count()) == before


def test_bad_input_is_refused_with_every_message(world):
    before = (StationStaff.objects.count(), audit_count())
    with pytest.raises(DomainErrors) as exc:
        services.add_staff(
            world.root,
            world.orgs["station"],
            name="",
            post="boss",
            since=D(2026, 12, 30),
            phone="12ab",
            today=TODAY,
        )
    fields = {e.field for e in exc.value.errors}
    assert fields == {"name", "post", "since", "phone"}
    with pytest.raises(DomainError, match="不是党建工作站"):
        services.add_staff(
            world.root, world.orgs["branch"], name="乙", post=Post.WORKER, since=TODAY, today=TODAY
        )
    assert (StationStaff.objects.count(), audit_count()) == before


def test_a_linked_account_must_serve_there(world, users):
    with pytest.raises(DomainError, match="没有任职角色"):
        services.add_staff(
            world.root,
            world.orgs["station"],
            name="甲村书记",
            post=Post.WORKER,
            since=TODAY,
            user=users.secretary,
            today=TODAY,
        )
    staff = services.add_staff(
        world.root,
        world.orgs["station"],
        name="甲站长二",
        post=Post.DEPUTY,
        since=TODAY,
        user=users.chief,
        today=TODAY,
    )
    assert staff.user == users.chief


def test_page_shows_gaps_in_red_and_masks_phones(world, users, client_for):
    deputies(world, 0)
    page = html(client_for(users.office).get(f"/stations/{world.orgs['station'].pk}/"))
    assert 'data-testid="staff-gaps"' in page and "副站长0名（应为1–2名）" in page
    assert "139****5678" in page and "13912345678" not in page


def test_add_and_end_through_the_pages(world, users, client_for):
    station = world.orgs["station"]
    client = client_for(users.office)
    r = client.post(
        f"/stations/{station.pk}/staff/new/", {"name": "", "post": Post.WORKER, "since": "2026-11-20"}
    )
    assert r.status_code == 400 and "该字段是必填项" in html(r)
    r = client.post(
        f"/stations/{station.pk}/staff/new/",
        {"name": "甲专职二", "post": Post.WORKER, "since": "2099-01-01", "phone": "13900001111"},
    )
    assert r.status_code == 400 and "任职日期不能晚于今天" in html(r)
    assert not StationStaff.objects.filter(name="甲专职二").exists()
    r = client.post(
        f"/stations/{station.pk}/staff/new/",
        {"name": "甲专职二", "post": Post.WORKER, "since": "2026-11-20", "phone": "13900001111"},
    )
    assert r.status_code == 302
    staff = StationStaff.objects.get(name="甲专职二")
    r = client.post(f"/stations/staff/{staff.pk}/end/", {"until": "2026-11-01"})
    assert r.status_code == 400 and "离任日期不能早于任职日期" in html(r)
    assert client.post(f"/stations/staff/{staff.pk}/end/", {"until": "2026-11-21"}).status_code == 302
    assert StationStaff.objects.get(pk=staff.pk).until == D(2026, 11, 21)


def test_staff_list_and_export_mask_phones(world, users, client_for):
    client = client_for(users.admin)
    page = html(client.get("/stations/staff/"))
    assert "甲站长" in page and "139****5678" in page and "外站长" not in page
    rows = sheet_rows(client.get("/stations/staff/", {"export": "xlsx"}))
    text = "\n".join(str(c) for r in rows for c in r)
    assert "139****5678" in text and "13912345678" not in text and "外站长" not in text


def test_audit_never_stores_the_phone(world):
    from dangjian.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="stations.staff_add", object_repr__startswith="甲站长").get()
    assert event.after["phone"] == "(已隐藏)"
    assert datetime.date.fromisoformat(event.after["since"]) == D(2026, 11, 3)
