"""The demo counties reproduce the reports' figures exactly, their logins work, and loading twice is safe.

One load of the whole demo serves every check that needs it (loading it is the slowest thing a test
does): the orgs and logins, the members and development cases, the notices, trainings and study pushes."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth import authenticate
from django.db.models import Count, Q
from django.test import RequestFactory
from django.utils import timezone
from pytest_django import Settings

from dangjian.accounts.demo import ADMIN_USERNAME, ALL_LOGINS, DEMO_PASSWORD, load_demo
from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.models import AuditEvent
from dangjian.core.roles import Role
from dangjian.development import demo as dev_demo
from dangjian.development.models import CaseStatus, CaseStep, DevelopmentCase
from dangjian.members import demo as member_demo
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, MobileRecord, Person, StandingDecision
from dangjian.members.services.identity import parse_id
from dangjian.notices import checks as notices_checks
from dangjian.notices import demo as notices_demo
from dangjian.notices.choices import Audience, TrainingKind
from dangjian.notices.models import (
    Notice,
    NoticeReceipt,
    StudyPush,
    StudyReceipt,
    Training,
    TrainingAttendance,
)
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
    models = [Org, User, RoleAssignment, Department, Grid, Office, AuditEvent, Person, Member, MobileRecord]
    models += [DevelopmentCase, CaseStep]
    before = {m: m.objects.count() for m in models}
    again = load_demo()
    assert again["created"] == {}
    assert {m: m.objects.count() for m in models} == before
    assert again["skipped"]["组织"] == before[Org]
    assert again["skipped"]["党员"] == before[Member]


def test_members_and_development_cases(demo: dict) -> None:
    result = demo
    today = timezone.localdate()
    anding = Org.objects.get(code=code_of("安定镇"))
    assert Member.objects.filter(org__path__startswith=anding.path).count() == 1619
    plan = member_demo.plan_demo_members(today)
    planned = sum(len(v) for v in plan.values())
    from_cases = Member.objects.filter(development_case__isnull=False).count()
    assert Member.objects.count() == planned + from_cases == result["created"]["党员"] + from_cases
    assert not Person.objects.exclude(demo_source=member_demo.INVENTED).exists()
    assert not Member.objects.exclude(demo_source=member_demo.INVENTED).exists()
    for number, birth, gender in Person.objects.values_list("id_number", "birth_date", "gender"):
        assert parse_id(number)[1:] == (birth, gender)

    # 老牛湾镇 went through the services: one audit event per member; the rest one per county.
    laoniuwan = Org.objects.get(code=code_of("老牛湾镇"))
    mine = Member.objects.filter(org__path__startswith=laoniuwan.path)
    creates = AuditEvent.objects.filter(action="member.create", org__path__startswith=laoniuwan.path)
    assert creates.count() == mine.count()
    assert AuditEvent.objects.filter(action="member.import").count() == 4  # 五寨, 宜君, 交城, 大兴
    assert MobileRecord.objects.count() == Member.objects.filter(is_mobile=True).count() > 100
    lost = Member.objects.filter(lost_contact_since__isnull=False)
    assert lost.count() == 2 and all(m.org.path.startswith(laoniuwan.path) for m in lost)
    assert StandingDecision.objects.filter(kind="lost").count() == 2
    assert Member.objects.filter(group__isnull=False, org__name="老牛湾村").exists()

    # Development cases at every stage in the secretary's branch.
    cases = {
        c.person.name: c
        for c in DevelopmentCase.objects.filter(org__code=code_of("老牛湾村")).select_related("person")
    }
    by_scenario = {
        p.scenario.key: cases[p.applicant.name]
        for p in dev_demo.plan_demo_cases(today)
        if p.village == "老牛湾村"
    }
    assert set(by_scenario) == {s.key for s in dev_demo.SCENARIOS}
    assert by_scenario["awaiting_talk"].next_step == "talk" and by_scenario["awaiting_talk"].next_due >= today
    assert by_scenario["talk_overdue"].next_step == "talk" and by_scenario["talk_overdue"].next_due < today
    assert by_scenario["activist_new"].activist_on and by_scenario["activist_new"].candidate_on is None
    assert by_scenario["activist_assessed"].steps.filter(code="assessment").count() == 1
    assert by_scenario["candidate_trained"].steps.filter(code="training").exists()
    assert by_scenario["candidate_trained"].next_step == "committee_review"
    overdue = by_scenario["approval_overdue"]
    assert overdue.next_step == "approval" and overdue.next_due < today and overdue.member is None
    assert by_scenario["probationary"].member.status == MemberStatus.PROBATIONARY
    assert by_scenario["conversion_due"].next_step == "conversion_assembly"
    converted = by_scenario["converted"]
    assert converted.status == CaseStatus.FULL and converted.member.status == MemberStatus.FULL
    assert CaseStep.objects.filter(case=converted).count() >= 25
    steps = AuditEvent.objects.filter(action="development.step", object_id=str(converted.pk))
    assert steps.count() == CaseStep.objects.filter(case=converted).count() - 1  # the application opens it
    assert DevelopmentCase.objects.count() == len(dev_demo.plan_demo_cases(today))


def test_notices_qiansuo_pushed_84_items_to_its_mobile_members(demo):
    qiansuo = org("前所乡")
    pushes = StudyPush.objects.filter(org=qiansuo)
    assert pushes.count() == notices_demo.QIANSUO_PUSHES == 84
    assert set(pushes.values_list("audience", flat=True)) == {Audience.MOBILE}
    assert all("000" in s for s in pushes.values_list("demo_source", flat=True))
    now = timezone.now()
    assert pushes.filter(sent_at__lt=now - datetime.timedelta(days=366)).count() == 0
    assert pushes.filter(sent_at__gt=now).count() == 0
    receipts = StudyReceipt.objects.filter(push__in=pushes)
    assert receipts.exists() and not receipts.filter(member__is_mobile=False).exists()
    rate = receipts.filter(read_at__isnull=False).count() / receipts.count()
    assert 0.5 < rate < 0.95
    assert not receipts.filter(read_at__lt=timezone.now() - datetime.timedelta(days=400)).exists()


def test_notices_four_online_seminars_and_other_trainings(demo):
    seminars = Training.objects.filter(org=org("前所乡"), kind=TrainingKind.ONLINE)
    assert seminars.count() == 4 and all(t.online for t in seminars)
    assert TrainingAttendance.objects.filter(training__in=seminars, present=True).exists()
    assert Training.objects.filter(org__path__startswith=org("老牛湾镇").path).count() >= 2
    assert Training.objects.filter(org__path__startswith=org("安定镇").path).count() >= 2
    wuzhai = Training.objects.filter(org=org("五寨县"))
    assert {t.title.split("：")[1] for t in wuzhai} == {"发展党员流程模拟", "组织生活规范开展模拟"}
    staff = TrainingAttendance.objects.filter(user__username__startswith="laoniuwan_staff")
    assert staff.exists()


def test_notices_two_with_with_partial_read_sign(demo):
    county = Notice.objects.get(org=org("偏关县"))
    town = Notice.objects.get(org=org("老牛湾镇"))
    today = timezone.localdate()
    assert county.sign_by < today <= town.sign_by
    counts = NoticeReceipt.objects.filter(notice=county).aggregate(
        n=Count("id"), signed=Count("id", filter=Q(signed_at__isnull=False))
    )
    assert 0 < counts["signed"] < counts["n"]
    secretary = NoticeReceipt.objects.get(notice=county, user__username="secretary_laoniuwan")
    assert secretary.signed_at is None and secretary.read_at is not None
    late = notices_checks.unsigned(User.objects.get(username="county_pianguan"), today)
    assert "杜建军" in {f.subject for f in late}
    assert NoticeReceipt.objects.get(notice=town, user__username="secretary_laoniuwan").signed_at is None
    assert town.kinds == ["branch"]


def test_notices_second_run_creates_nothing(demo):
    admin = User.objects.get(username="admin")
    before = [
        m.objects.count()
        for m in (Notice, NoticeReceipt, StudyPush, StudyReceipt, Training, TrainingAttendance)
    ]
    created, skipped = Counter(), Counter()
    notices_demo.load_demo(admin, created, skipped)
    assert created == Counter()
    assert skipped["学习推送"] == 84 and skipped["通知"] == 2
    assert set(skipped) <= set(notices_demo.DEMO_LABELS)
    after = [
        m.objects.count()
        for m in (Notice, NoticeReceipt, StudyPush, StudyReceipt, Training, TrainingAttendance)
    ]
    assert after == before
