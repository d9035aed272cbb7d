"""The province generator: right counts, valid paths, stations of 3–7, reproducible, never run twice."""

import random
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory
from pytest_django import Settings

from dangjian.accounts.demo import DEMO_PASSWORD, plan_province_users
from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.orgs import services
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.demo import plan_province, station_sizes
from dangjian.orgs.models import Department, Grid, Office, Org, path_segment

ARGS = ["--counties", "2", "--townships", "3", "--branches", "8", "--seed", "7"]


@pytest.fixture(autouse=True)
def fast_hasher(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    """One generated province for the module (generating it is most of each test's time), inside a
    transaction rolled back when the module ends; each test runs in a savepoint inside it."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                admin = User.objects.create_superuser("root", password="x", real_name="管理员")
                # Generated after an org already exists, so the generator must allocate ids past it.
                services.create_org(admin, parent=None, name="已有省", kind=OrgKind.PROVINCE, code="OLD")
                call_command("gen_province", *ARGS, stdout=StringIO())
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def admin(_generated, db: None) -> User:
    return User.objects.get(username="root")


@pytest.fixture
def province(admin: User) -> Org:
    return Org.objects.get(code="G7")


def subtree(province: Org):
    return Org.objects.filter(path__startswith=province.path)


def test_counts(province: Org) -> None:
    kinds = {k: subtree(province).filter(kind=k).count() for k in OrgKind.values}
    assert kinds == {
        "province": 1,
        "city": 1,
        "county": 2,
        "township": 6,
        "station": 12,
        "joint_branch": 0,
        "branch": 48,
        "community": 0,
        "group": 0,
    }
    assert province.name == "演示省（生成，种子7）"
    assert Department.objects.filter(code__startswith="G7-").count() == 4
    assert Office.objects.filter(township__path__startswith=province.path).count() == 6
    assert Grid.objects.filter(code__startswith="G7-").count() == 12
    roles = RoleAssignment.objects.filter(org__path__startswith=province.path)
    assert sorted(roles.values_list("role", "org__kind")) == [(Role.COUNTY_ADMIN, "county")] * 2
    events = AuditEvent.objects.filter(action="org.import")
    assert events.count() == 1 and events.get().org == province


def test_paths_and_depths(province: Org) -> None:
    by_id = {o.pk: o for o in subtree(province)}
    assert province.path == "/" + path_segment(province.pk) and province.depth == 0
    for o in by_id.values():
        if o.parent_id is not None:
            parent = by_id[o.parent_id]
            assert o.path == parent.path + path_segment(o.pk)
            assert o.depth == parent.depth + 1
    assert len({o.name_initials for o in by_id.values()}) > 1


def test_every_branch_in_a_station_of_three_to_seven(province: Org) -> None:
    for station in subtree(province).filter(kind=OrgKind.STATION):
        assert 3 <= station.children.filter(kind=OrgKind.BRANCH).count() <= 7
    assert not subtree(province).filter(kind=OrgKind.BRANCH).exclude(parent__kind=OrgKind.STATION).exists()
    findings = services.layout_findings(subtree(province))
    assert findings["out_of_bounds"] == [] and not findings["loose_branches"].exists()


def test_ids_continue_after_generation(province: Org, admin: User) -> None:
    township = Org.objects.get(code="G7-C001-T01")
    station = services.create_org(admin, parent=township, name="新设工作站", kind=OrgKind.STATION)
    assert station.pk > max(subtree(province).exclude(pk=station.pk).values_list("pk", flat=True))


def test_county_admins_log_in(province: Org) -> None:
    user = authenticate(request=RequestFactory().post("/"), username="g7_county001", password=DEMO_PASSWORD)
    assert user is not None and user.is_demo


def test_second_run_with_same_seed_refuses(province: Org) -> None:
    models = [Org, User, RoleAssignment, Department, Grid, Office, AuditEvent]
    before = {m: m.objects.count() for m in models}
    with pytest.raises(CommandError, match="已经生成过"):
        call_command("gen_province", *ARGS, stdout=StringIO())
    assert {m: m.objects.count() for m in models} == before


def test_plan_is_deterministic() -> None:
    first, second = plan_province(7, 2, 3, 8), plan_province(7, 2, 3, 8)
    assert [(o.name, o.code) for o in first.orgs] == [(o.name, o.code) for o in second.orgs]
    assert first == second
    assert plan_province_users(first) == plan_province_users(second)
    assert [o.name for o in plan_province(8, 2, 3, 8).orgs] != [o.name for o in first.orgs]


def test_station_sizes_cover_every_branch() -> None:
    rng = random.Random(0)
    for n in range(3, 80):
        sizes = station_sizes(rng, n)
        assert sum(sizes) == n and all(3 <= s <= 7 for s in sizes)
