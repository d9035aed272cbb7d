"""The demo counties reproduce the reports' figures exactly, their logins work, and loading twice is safe."""

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from pytest_django import Settings

from dangjian.accounts.demo import ADMIN_USERNAME, ALL_LOGINS, DEMO_PASSWORD, load_demo
from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.demo import INVENTED, SOURCE_VILLAGES, code_of
from dangjian.orgs.models import Department, Grid, Office, Org
from dangjian.orgs.services import layout_findings

MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


@pytest.fixture(autouse=True)
def fast_hasher(settings: Settings) -> None:
    """PBKDF2 costs ~0.25 s per check; the test is about the password, not the hasher."""
    settings.PASSWORD_HASHERS = [MD5]


@pytest.fixture(scope="module")
def demo_loaded(django_db_setup, django_db_blocker):
    """The demo takes seconds to load: load it once for this module, and empty the database after so
    the next module on this worker starts clean."""
    from django.core.management import call_command
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=[MD5]):
        result = load_demo()
    yield result
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(demo_loaded: dict, db: None) -> dict:
    return demo_loaded


def org(name: str) -> Org:
    return Org.objects.get(code=code_of(name))


def below(name: str, kind: str) -> list[Org]:
    return list(Org.objects.filter(path__startswith=org(name).path, kind=kind))


def names(orgs: list[Org]) -> set[str]:
    return {o.name for o in orgs}


def login(username: str) -> User | None:
    return authenticate(request=RequestFactory().post("/"), username=username, password=DEMO_PASSWORD)


def test_wuzhai(demo: dict) -> None:
    townships = org("五寨县").children.filter(kind=OrgKind.TOWNSHIP)
    assert names(list(townships)) == {
        "东秀庄乡",
        "李家坪乡",
        "小河头镇",
        "胡会乡",
        "孙家坪乡",
        "前所乡",
        "砚城镇",
        "韩家楼乡",
    }
    assert len(below("孙家坪乡", OrgKind.BRANCH)) == 17
    for t in townships.exclude(name="孙家坪乡"):
        assert 3 <= t.children.filter(kind=OrgKind.BRANCH).count() <= 8, t.name
    for township, village in [
        ("东秀庄乡", "郭家河村"),
        ("李家坪乡", "大辛庄村"),
        ("小河头镇", "小武州村"),
        ("胡会乡", "大胡会村"),
        ("韩家楼乡", "韩家楼村"),
    ]:
        assert village in names(below(township, OrgKind.BRANCH))
    assert Grid.objects.filter(org__path__startswith=org("砚城镇").path).count() == 58
    assert org("北苑社区").parent == org("砚城镇")
    assert Department.objects.filter(county=org("五寨县"), name__contains="住房和城乡建设").exists()
    assert Office.objects.get(township=org("孙家坪乡")).staff_quota == 9
    assert names(below("大辛庄村", OrgKind.GROUP)) == {"第一党小组", "第二党小组", "第三党小组"}


def test_laoniuwan(demo: dict) -> None:
    branches = names(below("老牛湾镇", OrgKind.BRANCH))
    assert len(branches) == 9
    assert {"老牛湾村", "乾坤湾村", "柏林峁村", "麦虎村", "滑石村", "阳洼子村"} <= branches
    office = Office.objects.get(township=org("老牛湾镇"))
    assert (office.name, office.staff_quota) == ("老牛湾镇党建办", 8)
    staff = RoleAssignment.objects.filter(org=org("老牛湾镇"), role=Role.TOWNSHIP_STAFF)
    assert staff.count() == 8
    assert names(below("老牛湾村", OrgKind.GROUP)) == {"第一党小组", "第二党小组"}


def test_yijun(demo: dict) -> None:
    townships = org("宜君县").children.filter(kind=OrgKind.TOWNSHIP)
    assert names(list(townships)) == {
        "宜阳街道",
        "彭镇",
        "五里镇",
        "太安镇",
        "棋盘镇",
        "尧生镇",
        "哭泉镇",
        "云梦乡",
    }
    stations = below("宜君县", OrgKind.STATION)
    branches = below("宜君县", OrgKind.BRANCH)
    assert (len(stations), len(branches)) == (29, 117)
    sizes = [s.children.filter(kind=OrgKind.BRANCH).count() for s in stations]
    assert all(3 <= n <= 7 for n in sizes) and {3, 7} <= set(sizes)
    assert all(b.parent.kind == OrgKind.STATION for b in branches)
    for station, township, village in [
        ("榆舍党建工作站", "五里镇", "榆舍村"),
        ("黄堡寨党建工作站", "棋盘镇", "黄堡寨村"),
        ("淌泥河党建工作站", "哭泉镇", "淌泥河村"),
    ]:
        assert org(station).parent == org(township)
        assert org(village).parent == org(station)
    findings = layout_findings(Org.objects.filter(path__startswith=org("宜君县").path))
    assert findings["out_of_bounds"] == [] and not findings["loose_branches"].exists()


def test_jiaocheng(demo: dict) -> None:
    for town, village in [
        ("西营镇", "寨子村"),
        ("水峪贯镇", "牛头咀村"),
        ("夏家营镇", "连家寨村"),
        ("天宁镇", "寨上村"),
        ("西社镇", "南堡村"),
        ("东坡底乡", "柏叶口村"),
        ("洪相镇", "裴家山村"),
        ("庞泉沟镇", "市庄村"),
    ]:
        assert org(town).parent == org("交城县")
        assert org(village).parent == org(town)


def test_anding(demo: dict) -> None:
    joints = org("安定镇").children.filter(kind=OrgKind.JOINT_BRANCH)
    assert joints.count() == 6
    assert len(below("安定镇", OrgKind.BRANCH)) == 33
    assert all(b.parent.kind == OrgKind.JOINT_BRANCH for b in below("安定镇", OrgKind.BRANCH))
    assert org("后安定村").parent.name == "第二联村党总支"
    assert org("徐柏村").parent.name == "第三联村党总支"


def test_every_name_says_where_it_comes_from(demo: dict) -> None:
    assert not Org.objects.filter(demo_source="").exists()
    assert not Grid.objects.filter(demo_source="").exists()
    villages = Org.objects.filter(kind=OrgKind.BRANCH)
    assert set(villages.exclude(demo_source=INVENTED).values_list("name", flat=True)) == SOURCE_VILLAGES
    assert Org.objects.filter(code=None).count() == 0


def test_demo_logins(demo: dict) -> None:
    admin = login(ADMIN_USERNAME)
    assert admin is not None and admin.is_superuser and admin.is_demo and admin.real_name == "系统管理员"
    for x in ALL_LOGINS:
        user = login(x.username)
        assert user is not None, x.username
        assert user.is_demo and user.real_name == x.real_name
        assert RoleAssignment.objects.filter(user=user, org=org(x.org), role=x.role).exists(), x.username
    liaison = RoleAssignment.objects.get(user__username="dept_zhujian")
    assert (liaison.org, liaison.department.name) == (org("五寨县"), "五寨县住房和城乡建设局")
    leader = RoleAssignment.objects.get(user__username="grid_yancheng")
    assert leader.grid is not None and leader.grid.org == leader.org
    assert leader.grid.leader == leader.user
    assert leader.org.path.startswith(org("砚城镇").path)


def test_demo_logins_refused_when_disabled(demo: dict, settings: Settings) -> None:
    settings.DEMO_LOGINS_ENABLED = False
    for username in [ADMIN_USERNAME, *(x.username for x in ALL_LOGINS)]:
        assert login(username) is None, username


def test_second_run_creates_nothing(demo: dict) -> None:
    models = [Org, User, RoleAssignment, Department, Grid, Office, AuditEvent]
    before = {m: m.objects.count() for m in models}
    again = load_demo()
    assert again["created"] == {}
    assert {m: m.objects.count() for m in models} == before
    assert again["skipped"]["组织"] == before[Org]
