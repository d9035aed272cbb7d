"""Station size (rule orgs.station_max_branches, 3–7 branches by default, per-county overrides) and the
layout findings that list stations out of bounds and branches left outside any station."""

from __future__ import annotations

import datetime
import io

import pytest
from openpyxl import load_workbook

from dangjian.core.errors import NeedsConfirmation
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.core.rules import REGISTRY, rule_value
from dangjian.orgs.models import Org
from dangjian.orgs.services import archive_org, create_org, layout_findings, move_org

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(world):
    return world.user(Role.COUNTY_ADMIN)


def fill(actor, station: Org, up_to: int, prefix: str = "新村") -> None:
    """Add branches until `station` has `up_to` active branches."""
    have = station.children.filter(kind__in=["branch", "community"], archived_at__isnull=True).count()
    for i in range(have, up_to):
        create_org(actor, parent=station, name=f"{prefix}{i}", kind="branch", confirm=True)


def branch_count(station: Org) -> int:
    return station.children.filter(kind="branch", archived_at__isnull=True).count()


def test_rule_is_registered_with_its_source():
    rule = REGISTRY["orgs.station_max_branches"]
    assert rule.value == 7
    assert rule.unit == "个"
    assert "党建工作站" in rule.source and "3到7" in rule.source
    assert rule.overridable is True
    assert REGISTRY["orgs.station_min_branches"].value == 3


def test_seventh_branch_needs_no_confirmation(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 6)
    org = create_org(admin, parent=station, name="第七村", kind="branch")
    assert branch_count(station) == 7
    assert AuditEvent.objects.get(action="org.create", object_id=str(org.pk)).note == ""


def test_eighth_branch_needs_confirmation_and_writes_nothing(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 7)
    orgs, events = Org.objects.count(), AuditEvent.objects.count()
    with pytest.raises(NeedsConfirmation) as exc:
        create_org(admin, parent=station, name="第八村", kind="branch")
    assert exc.value.code == "needs_confirmation"
    assert exc.value.message == "“站甲”已管辖7个村级党组织，本县规定每站至多7个。确认仍要加入吗？"
    assert (Org.objects.count(), AuditEvent.objects.count()) == (orgs, events)


def test_eighth_branch_with_confirmation_is_saved_and_the_note_says_so(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 7)
    org = create_org(admin, parent=station, name="第八村", kind="branch", confirm=True)
    assert branch_count(station) == 8
    event = AuditEvent.objects.get(action="org.create", object_id=str(org.pk))
    assert event.note == "“站甲”已管辖7个村级党组织，本县规定每站至多7个。用户已确认超出上限。"


@pytest.mark.parametrize(("existing", "needs_confirmation"), [(5, False), (6, False), (7, True), (8, True)])
def test_boundaries_of_the_default_limit(world, admin, existing, needs_confirmation):
    station = world.orgs["station"]
    fill(admin, station, existing)
    if needs_confirmation:
        with pytest.raises(NeedsConfirmation, match=f"已管辖{existing}个村级党组织，本县规定每站至多7个"):
            create_org(admin, parent=station, name="再加一村", kind="branch")
        assert branch_count(station) == existing
    else:
        create_org(admin, parent=station, name="再加一村", kind="branch")
        assert branch_count(station) == existing + 1


def test_a_community_counts_towards_the_limit_but_a_group_does_not(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 6)
    create_org(admin, parent=station, name="新社区", kind="community")
    create_org(admin, parent=world.orgs["branch"], name="二组", kind="group")
    with pytest.raises(NeedsConfirmation):
        create_org(admin, parent=station, name="再加一村", kind="branch")


def test_archived_branches_do_not_count(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 7)
    archive_org(admin, Org.objects.get(name="新村2"))
    create_org(admin, parent=station, name="第八村", kind="branch")
    assert branch_count(station) == 7


def test_other_kinds_of_parent_have_no_limit(world, admin):
    township = world.orgs["township"]
    for i in range(9):
        create_org(admin, parent=township, name=f"镇直村{i}", kind="branch")
    assert township.children.filter(kind="branch").count() == 9


def override(county: Org, value, effective_from=datetime.date(2024, 1, 1)) -> RuleOverride:
    return RuleOverride.objects.create(
        county=county,
        code="orgs.station_max_branches",
        value=value,
        source="县委组织部2024年3号文件",
        effective_from=effective_from,
    )


def test_county_override_lowers_the_limit_for_that_county_only(world, admin):
    override(world.orgs["county"], 5)
    assert rule_value("orgs.station_max_branches", world.orgs["county"]) == 5
    assert rule_value("orgs.station_max_branches", world.orgs["out_county"]) == 7
    station = world.orgs["station"]
    fill(admin, station, 4)
    create_org(admin, parent=station, name="第五村", kind="branch")
    with pytest.raises(NeedsConfirmation) as exc:
        create_org(admin, parent=station, name="第六村", kind="branch")
    assert exc.value.message == "“站甲”已管辖5个村级党组织，本县规定每站至多5个。确认仍要加入吗？"
    # the other county still has the national default of 7
    out_station = world.orgs["out_station"]
    fill(world.root, out_station, 7, prefix="外新村")
    assert branch_count(out_station) == 7
    with pytest.raises(NeedsConfirmation, match="至多7个"):
        create_org(world.root, parent=out_station, name="外第八村", kind="branch")


def test_county_override_applies_only_from_its_effective_date(world, admin):
    override(world.orgs["county"], 5, effective_from=datetime.date.today() + datetime.timedelta(days=30))
    station = world.orgs["station"]
    fill(admin, station, 5)
    create_org(admin, parent=station, name="第六村", kind="branch")
    assert branch_count(station) == 6


def test_moving_a_branch_into_a_full_station_needs_confirmation(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 7)
    other = create_org(admin, parent=world.orgs["township"], name="站乙", kind="station")
    mover = create_org(admin, parent=other, name="搬迁村", kind="branch")
    old_path = mover.path
    with pytest.raises(NeedsConfirmation) as exc:
        move_org(admin, mover, station)
    assert "至多7个" in exc.value.message
    assert Org.objects.get(pk=mover.pk).path == old_path
    assert not AuditEvent.objects.filter(action="org.move").exists()
    moved = move_org(world.user(Role.COUNTY_ADMIN), mover, station, confirm=True)
    assert moved.parent_id == station.pk
    assert branch_count(station) == 8
    event = AuditEvent.objects.get(action="org.move", object_id=str(mover.pk))
    assert event.note.endswith("用户已确认超出上限。")


def test_moving_into_a_station_with_room_needs_no_confirmation(world, admin):
    station = world.orgs["station"]
    fill(admin, station, 6)
    mover = create_org(admin, parent=world.orgs["township"], name="搬迁村", kind="branch")
    move_org(admin, mover, station)
    assert branch_count(station) == 7


# --- layout findings ------------------------------------------------------------------------------


@pytest.fixture
def layout(world, admin):
    """站甲 has 2 branches (below 3); 站丙 gets 8 (above 7); 站丁 3 and 站戊 7 (both in bounds);
    散村 sits directly under 镇甲, which has stations; 镇乙 has no station, so its 直属村 is fine."""
    township = world.orgs["township"]
    big = create_org(admin, parent=township, name="站丙", kind="station")
    fill(admin, big, 8, prefix="丙村")
    low = create_org(admin, parent=township, name="站丁", kind="station")
    fill(admin, low, 3, prefix="丁村")
    high = create_org(admin, parent=township, name="站戊", kind="station")
    fill(admin, high, 7, prefix="戊村")
    create_org(admin, parent=township, name="散村", kind="branch")
    other = create_org(admin, parent=world.orgs["county"], name="镇乙", kind="township")
    create_org(admin, parent=other, name="直属村", kind="branch")
    return world


def test_layout_findings_list_stations_out_of_bounds(layout, admin):
    findings = layout_findings(Org.objects.restrict(admin))
    found = {f["station"].name: (f["count"], f["min"], f["max"]) for f in findings["out_of_bounds"]}
    assert found == {"站甲": (2, 3, 7), "站丙": (8, 3, 7)}


def test_layout_findings_list_branches_outside_stations(layout, admin):
    findings = layout_findings(Org.objects.restrict(admin))
    loose = {b.name for b in findings["loose_branches"]}
    assert "散村" in loose
    assert "直属村" not in loose, "a township without stations may hold branches directly"
    assert not loose & {"村甲一", "丙村0", "丁村0"}


def test_layout_findings_follow_county_overrides(layout, admin):
    override(layout.orgs["county"], 3)
    findings = layout_findings(Org.objects.restrict(admin))
    found = {f["station"].name: (f["count"], f["max"]) for f in findings["out_of_bounds"]}
    assert found == {"站甲": (2, 3), "站丙": (8, 3), "站戊": (7, 3)}


def test_layout_findings_stay_in_scope(layout, world):
    out = world.user("out_admin")
    findings = layout_findings(Org.objects.restrict(out))
    # 外站 has one branch: below the minimum, and the only station this admin sees
    assert [f["station"].name for f in findings["out_of_bounds"]] == ["外站"]
    assert list(findings["loose_branches"]) == []


def test_layout_page_shows_findings(layout, client_for, admin):
    r = client_for(admin).get("/orgs/layout/")
    assert r.status_code == 200
    html = r.content.decode()
    for text in ("站甲", "站丙", "散村", "3–7"):
        assert text in html
    assert "站丁" not in html and "站戊" not in html and "外站" not in html


def test_layout_export_is_an_xlsx_with_the_findings(layout, client_for, admin):
    r = client_for(admin).get("/orgs/layout/", {"export": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    wb = load_workbook(io.BytesIO(b"".join(r.streaming_content)), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0] == ("问题", "组织", "所属乡镇", "管辖村数", "规定范围")
    body = {(r[0], r[1]): r for r in rows[1:]}
    assert body[("站点超出范围", "站甲")][2:] == ("镇甲", 2, "3–7")
    assert body[("站点超出范围", "站丙")][2:] == ("镇甲", 8, "3–7")
    assert ("未归入工作站", "散村") in body
    assert ("站点超出范围", "站丁") not in body
