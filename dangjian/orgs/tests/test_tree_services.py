"""The tree's write services: create, rename, move, archive and restore — validated, scoped, audited."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.orgs.models import Org
from dangjian.orgs.services import archive_org, create_org, move_org, restore_org, update_org

pytestmark = pytest.mark.django_db


def fresh(org: Org) -> Org:
    return Org.objects.get(pk=org.pk)


def counts() -> tuple[int, int]:
    return Org.objects.count(), AuditEvent.objects.count()


@pytest.fixture
def admin(world):
    return world.user(Role.COUNTY_ADMIN)


# --- create -------------------------------------------------------------------------------------


def test_create_org_stores_path_depth_and_pinyin(world, admin):
    station = world.orgs["station"]
    org = create_org(admin, parent=station, name="大辛庄村", kind="branch", code="DXZ")
    org = fresh(org)
    assert org.path == f"{station.path}{org.pk:08d}/"
    assert org.path.count("/") == station.path.count("/") + 1
    assert org.depth == station.depth + 1 == 4
    assert org.parent_id == station.pk
    assert org.name_pinyin == "daxinzhuangcun"
    assert org.name_initials == "dxzc"
    event = AuditEvent.objects.get(action="org.create", object_id=str(org.pk))
    assert event.actor_id == admin.pk
    assert event.actor_name == "甲县管理员"
    assert event.after["name"] == "大辛庄村"
    assert event.after["path"] == org.path


def test_top_level_org_path_is_a_single_segment(world):
    org = create_org(world.root, parent=None, name="另一省", kind="province", code="P2")
    assert fresh(org).path == f"/{org.pk:08d}/"
    assert org.depth == 0


def test_sixty_character_name_is_accepted(world, admin):
    org = create_org(admin, parent=world.orgs["station"], name="村" * 60, kind="branch")
    assert len(fresh(org).name) == 60


@pytest.mark.parametrize(
    ("parent_key", "name", "kind", "message"),
    [
        ("station", "", "branch", "名称不能为空。"),
        ("station", "   ", "branch", "名称不能为空。"),
        ("station", "村" * 61, "branch", "名称不能超过60个字（现为61个字）。"),
        ("station", "新村", "village", "未知的组织类型“village”。"),
        ("branch", "新镇", "township", "“村甲一”（村党支部）下不能设立乡镇（街道）。"),
        ("county", "新村", "branch", "“县甲”（县（区））下不能设立村党支部。"),
        ("group", "新组", "group", "“组甲”（党小组）下不能设立党小组。"),
    ],
)
def test_create_org_refuses_bad_input_and_writes_nothing(world, admin, parent_key, name, kind, message):
    before = counts()
    with pytest.raises(DomainError) as exc:
        create_org(admin, parent=world.orgs[parent_key], name=name, kind=kind)
    assert exc.value.message == message
    assert counts() == before


def test_duplicate_sibling_name_is_refused(world, admin):
    before = counts()
    with pytest.raises(DomainError) as exc:
        create_org(admin, parent=world.orgs["station"], name="村甲一", kind="branch")
    assert exc.value.message == "同一上级下已有名为“村甲一”的组织。"
    assert exc.value.field == "name"
    assert counts() == before


def test_same_name_under_another_parent_is_allowed(world, admin):
    org = create_org(admin, parent=world.orgs["township"], name="村甲一", kind="branch")
    assert fresh(org).parent_id == world.orgs["township"].pk


def test_name_of_an_archived_sibling_may_be_reused(world, admin):
    archive_org(admin, world.orgs["sibling"])
    org = create_org(admin, parent=world.orgs["station"], name="村甲二", kind="branch")
    assert fresh(org).archived_at is None


@pytest.mark.parametrize("code", ["B1", "  B1 ", "B3"])
def test_duplicate_code_is_refused(world, admin, code):
    before = counts()
    with pytest.raises(DomainError) as exc:
        create_org(admin, parent=world.orgs["station"], name="新村", kind="branch", code=code)
    assert exc.value.message == f"编码“{code.strip()}”已被使用。"
    assert exc.value.field == "code"
    assert counts() == before


def test_cannot_create_under_an_archived_parent(world, admin):
    archive_org(admin, world.orgs["sibling"])
    before = counts()
    with pytest.raises(DomainError) as exc:
        create_org(admin, parent=fresh(world.orgs["sibling"]), name="新组", kind="group")
    assert exc.value.message == "上级组织已归档，不能在其下新建。"
    assert counts() == before


# --- rename ---------------------------------------------------------------------------------------


def test_rename_records_before_and_after_with_actor(world, admin):
    branch = world.orgs["branch"]
    update_org(admin, branch, name="大辛庄村")
    org = fresh(branch)
    assert (org.name, org.name_pinyin, org.name_initials) == ("大辛庄村", "daxinzhuangcun", "dxzc")
    event = AuditEvent.objects.get(action="org.update", object_id=str(branch.pk))
    assert event.before == {"name": "村甲一"}
    assert event.after == {"name": "大辛庄村"}
    assert event.actor_id == admin.pk
    assert event.actor_name == "甲县管理员"
    assert event.org_id == branch.pk


def test_rename_to_the_same_name_records_nothing(world, admin):
    before = counts()
    update_org(admin, world.orgs["branch"], name="村甲一")
    assert counts() == before


def test_rename_to_a_sibling_name_is_refused(world, admin):
    before = counts()
    with pytest.raises(DomainError) as exc:
        update_org(admin, world.orgs["branch"], name="村甲二")
    assert exc.value.message == "同一上级下已有名为“村甲二”的组织。"
    assert fresh(world.orgs["branch"]).name == "村甲一"
    assert counts() == before


def test_rename_to_an_empty_name_is_refused(world, admin):
    with pytest.raises(DomainError, match="名称不能为空"):
        update_org(admin, world.orgs["branch"], name=" ")
    assert fresh(world.orgs["branch"]).name == "村甲一"


def test_changing_code_to_a_used_one_is_refused(world, admin):
    with pytest.raises(DomainError) as exc:
        update_org(admin, world.orgs["branch"], code="B2")
    assert exc.value.message == "编码“B2”已被使用。"
    assert fresh(world.orgs["branch"]).code == "B1"


# --- move -----------------------------------------------------------------------------------------


def test_move_rewrites_the_whole_subtree(world, admin):
    township, station = world.orgs["township"], world.orgs["station"]
    branch, group, sibling = world.orgs["branch"], world.orgs["group"], world.orgs["sibling"]
    old_branch_path = branch.path
    move_org(admin, branch, township)
    b, g = fresh(branch), fresh(group)
    assert b.parent_id == township.pk
    assert b.path == f"{township.path}{branch.pk:08d}/"
    assert b.depth == township.depth + 1 == 3
    assert g.path == f"{township.path}{branch.pk:08d}/{group.pk:08d}/"
    assert g.depth == 4
    assert g.parent_id == branch.pk
    assert not Org.objects.filter(path__startswith=old_branch_path).exists()
    assert fresh(sibling).path == sibling.path
    assert fresh(station).path == station.path
    event = AuditEvent.objects.get(action="org.move", object_id=str(branch.pk))
    assert event.before == {"path": old_branch_path, "parent_id": station.pk}
    assert event.after == {"path": b.path, "parent_id": township.pk}
    assert event.actor_id == admin.pk


def test_moved_subtree_is_seen_through_its_new_ancestors(world, admin):
    move_org(admin, world.orgs["branch"], world.orgs["township"])
    station_subtree = Org.objects.filter(path__startswith=fresh(world.orgs["station"]).path)
    assert not station_subtree.filter(name__in=["村甲一", "组甲"]).exists()
    secretary = world.user(Role.VILLAGE_SECRETARY)
    assert set(Org.objects.restrict(secretary).values_list("name", flat=True)) == {"村甲一", "组甲"}


def _query_count(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_move_uses_the_same_number_of_queries_whatever_the_subtree_size(world, admin):
    township = world.orgs["township"]
    small = create_org(admin, parent=township, name="小站", kind="station")
    big = create_org(admin, parent=township, name="大站", kind="station")
    create_org(admin, parent=small, name="小村", kind="branch")
    for i in range(6):
        b = create_org(admin, parent=big, name=f"大村{i}", kind="branch")
        create_org(admin, parent=b, name="一组", kind="group")
        create_org(admin, parent=b, name="二组", kind="group")
    target = create_org(admin, parent=world.orgs["county"], name="镇乙", kind="township")
    # a fresh user object each time, so both moves load the actor's roles once
    n_small = _query_count(lambda: move_org(world.user(Role.COUNTY_ADMIN), small, target))
    n_big = _query_count(lambda: move_org(world.user(Role.COUNTY_ADMIN), big, target))
    assert n_small == n_big
    assert Org.objects.filter(path__startswith=fresh(big).path).count() == 19
    assert all(o.path.startswith(target.path) for o in Org.objects.filter(name__startswith="大村"))


@pytest.mark.parametrize("target_key", ["station", "branch", "group"])
def test_move_under_itself_or_a_descendant_is_refused(world, admin, target_key):
    station = world.orgs["station"]
    before = counts()
    with pytest.raises(DomainError) as exc:
        move_org(admin, station, world.orgs[target_key])
    assert exc.value.message == "不能把组织移动到它自己或它的下级组织之下。"
    assert fresh(station).path == station.path
    assert counts() == before


def test_move_to_the_current_parent_is_refused(world, admin):
    with pytest.raises(DomainError) as exc:
        move_org(admin, world.orgs["branch"], world.orgs["station"])
    assert exc.value.message == "该组织已在所选上级组织之下。"


def test_move_under_a_parent_of_the_wrong_kind_is_refused(world, admin):
    before = counts()
    with pytest.raises(DomainError) as exc:
        move_org(admin, world.orgs["branch"], world.orgs["county"])
    assert exc.value.message == "“县甲”（县（区））下不能设立村党支部。"
    assert counts() == before


def test_move_next_to_a_namesake_is_refused(world, admin):
    create_org(admin, parent=world.orgs["township"], name="村甲一", kind="branch")
    with pytest.raises(DomainError, match="同一上级下已有名为“村甲一”的组织"):
        move_org(admin, world.orgs["branch"], world.orgs["township"])
    assert fresh(world.orgs["branch"]).parent_id == world.orgs["station"].pk


def test_move_out_of_scope_is_not_found(world, admin):
    before = counts()
    with pytest.raises(NotInScope):
        move_org(admin, world.orgs["branch"], world.orgs["out_station"])
    with pytest.raises(NotInScope):
        move_org(admin, world.orgs["out_branch"], world.orgs["station"])
    assert counts() == before


# --- archive and restore --------------------------------------------------------------------------


def test_archive_archives_the_whole_subtree(world, admin):
    station = world.orgs["station"]
    n = archive_org(admin, station)
    assert n == 4
    subtree = Org.objects.filter(path__startswith=station.path)
    stamps = set(subtree.values_list("archived_at", flat=True))
    assert len(stamps) == 1 and None not in stamps
    assert fresh(world.orgs["community"]).archived_at is None
    assert fresh(world.orgs["township"]).archived_at is None
    event = AuditEvent.objects.get(action="org.archive", object_id=str(station.pk))
    assert event.before == {"archived_at": None}
    assert event.after["archived_at"] is not None
    assert event.note == "连同下级共归档4个组织"


def test_second_archive_is_refused(world, admin):
    archive_org(admin, world.orgs["station"])
    before = counts()
    with pytest.raises(DomainError) as exc:
        archive_org(admin, fresh(world.orgs["station"]))
    assert exc.value.message == "该组织已归档。"
    assert counts() == before


def test_restore_brings_back_what_was_archived_together(world, admin):
    branch, station = world.orgs["branch"], world.orgs["station"]
    archive_org(admin, branch)  # archived earlier, on its own
    archive_org(admin, station)
    restore_org(admin, fresh(station))
    assert fresh(station).archived_at is None
    assert fresh(world.orgs["sibling"]).archived_at is None
    assert fresh(branch).archived_at is not None, "archived separately earlier: stays archived"
    assert fresh(world.orgs["group"]).archived_at is not None
    assert AuditEvent.objects.filter(action="org.restore", object_id=str(station.pk)).count() == 1


def test_restore_of_an_active_org_is_refused(world, admin):
    with pytest.raises(DomainError) as exc:
        restore_org(admin, world.orgs["branch"])
    assert exc.value.message == "该组织未归档。"


def test_restore_under_an_archived_parent_is_refused(world, admin):
    archive_org(admin, world.orgs["station"])
    with pytest.raises(DomainError) as exc:
        restore_org(admin, fresh(world.orgs["branch"]))
    assert exc.value.message == "上级组织已归档，请先恢复上级组织。"
    assert fresh(world.orgs["branch"]).archived_at is not None


def test_restore_next_to_a_new_namesake_is_refused(world, admin):
    archive_org(admin, world.orgs["sibling"])
    create_org(admin, parent=world.orgs["station"], name="村甲二", kind="branch")
    with pytest.raises(DomainError, match="同一上级下已有名为“村甲二”的组织"):
        restore_org(admin, fresh(world.orgs["sibling"]))


def test_an_admin_cannot_archive_the_org_they_serve_on(world, admin):
    with pytest.raises(ActionDenied) as exc:
        archive_org(admin, world.orgs["county"])
    assert exc.value.message == "不能归档您自己任职的组织。"
    assert fresh(world.orgs["county"]).archived_at is None


# --- permissions ----------------------------------------------------------------------------------


def test_village_secretary_cannot_create_under_a_sibling_branch(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    before = counts()
    with pytest.raises(NotInScope):
        create_org(secretary, parent=world.orgs["sibling"], name="新组", kind="group")
    assert counts() == before


def test_village_secretary_cannot_create_under_own_branch(world):
    secretary = world.user(Role.VILLAGE_SECRETARY)
    with pytest.raises(ActionDenied):
        create_org(secretary, parent=world.orgs["branch"], name="新组", kind="group")
    assert not Org.objects.filter(name="新组").exists()


@pytest.mark.parametrize("role", [Role.VILLAGE_SECRETARY, Role.TOWNSHIP_STAFF, Role.STATION_CHIEF])
def test_only_county_admin_may_move(world, role):
    before = counts()
    with pytest.raises(ActionDenied):
        move_org(world.user(role), world.orgs["branch"], world.orgs["township"])
    assert fresh(world.orgs["branch"]).parent_id == world.orgs["station"].pk
    assert counts() == before


@pytest.mark.parametrize("role", [Role.VILLAGE_SECRETARY, Role.TOWNSHIP_STAFF, Role.READONLY_LEADER])
def test_only_county_admin_may_archive(world, role):
    with pytest.raises(ActionDenied):
        archive_org(world.user(role), world.orgs["branch"])
    assert fresh(world.orgs["branch"]).archived_at is None


def test_township_staff_may_create_and_rename_within_the_township(world):
    staff = world.user(Role.TOWNSHIP_STAFF)
    org = create_org(staff, parent=world.orgs["station"], name="新村", kind="branch")
    update_org(staff, org, name="新村二")
    assert fresh(org).name == "新村二"


@pytest.mark.parametrize("role", [Role.READONLY_LEADER, Role.STATION_CHIEF, Role.VILLAGE_SECRETARY])
def test_non_managers_cannot_rename(world, role):
    with pytest.raises(ActionDenied):
        update_org(world.user(role), world.orgs["branch"], name="改名")
    assert fresh(world.orgs["branch"]).name == "村甲一"


def test_other_county_admin_cannot_touch_this_county(world):
    out_admin = world.user("out_admin")
    before = counts()
    with pytest.raises(NotInScope):
        create_org(out_admin, parent=world.orgs["station"], name="越权村", kind="branch")
    with pytest.raises(NotInScope):
        update_org(out_admin, world.orgs["branch"], name="越权")
    with pytest.raises(NotInScope):
        archive_org(out_admin, world.orgs["branch"])
    assert counts() == before


def test_only_a_superuser_creates_top_level_orgs(world, admin):
    with pytest.raises(ActionDenied) as exc:
        create_org(admin, parent=None, name="新省", kind="province")
    assert exc.value.message == "只有系统管理员可以新建顶层组织。"
