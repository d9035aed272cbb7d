"""Demo logins on the demo tree, and one county admin per county of a generated province.

Users are the last layer of the demo data (they need the orgs, departments and grids), so the two
entry points that build a whole demo, `load_demo` and `generate_province`, live here.
All demo accounts have the password demo12345 and `is_demo=True`, so they only log in while
DEMO_LOGINS_ENABLED is on.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any, NamedTuple, TextIO

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from dangjian.cadres import demo as cadres_demo
from dangjian.cases import demo as cases_demo
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.roles import Role
from dangjian.decisions import demo as decisions_demo
from dangjian.development import demo as development_demo
from dangjian.economy import demo as economy_demo
from dangjian.errands import demo as errands_demo
from dangjian.funds import demo as funds_demo
from dangjian.joint import demo as joint_demo
from dangjian.liaison import demo as liaison_demo
from dangjian.meetings import demo as meetings_demo
from dangjian.members import demo as member_demo
from dangjian.notices import demo as notices_demo
from dangjian.notifications import demo as notifications_demo
from dangjian.office import demo as office_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Department, Grid, Org
from dangjian.projects import demo as projects_demo
from dangjian.rectification import demo as rectification_demo
from dangjian.reviews import demo as reviews_demo
from dangjian.scoring import demo as scoring_demo
from dangjian.stations import demo as stations_demo
from dangjian.tasks import demo as tasks_demo
from dangjian.villages import demo as villages_demo
from dangjian.volunteers import demo as volunteers_demo

from . import services
from .models import RoleAssignment, User

DEMO_PASSWORD = "demo12345"
ADMIN_USERNAME = "admin"
ADMIN_NAME = "系统管理员"


class DemoLogin(NamedTuple):
    username: str
    real_name: str
    phone: str
    role: str
    org: str  # the demo org's name
    title: str = ""
    department: str = ""  # code suffix of a department of the county, for liaisons
    grid: str = ""  # name of a grid of the org, for grid leaders


# Invented people: none of these names is taken from the reports.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin("county_wuzhai", "白晓燕", "13800001001", Role.COUNTY_ADMIN, "五寨县", "县委组织部"),
    DemoLogin(
        "office_laoniuwan",
        "乔志强",
        "13800002001",
        Role.TOWNSHIP_STAFF,
        "老牛湾镇",
        "党建办主任（党委副书记）",
    ),
    DemoLogin(
        "station_yushe", "薛振华", "13800003001", Role.STATION_CHIEF, "榆舍党建工作站", "站长（镇党委委员）"
    ),
    DemoLogin(
        "secretary_laoniuwan", "杜建军", "13800004001", Role.VILLAGE_SECRETARY, "老牛湾村", "村党支部书记"
    ),
    DemoLogin(
        "grid_yancheng",
        "霍晓梅",
        "13800005001",
        Role.GRID_LEADER,
        "北苑社区",
        "网格长",
        grid="阳光家园小区网格",
    ),
    DemoLogin(
        "dept_zhujian",
        "武国庆",
        "13800006001",
        Role.DEPT_LIAISON,
        "五寨县",
        "住建局联络员",
        department="D-ZJ",
    ),
    DemoLogin("leader_jiaocheng", "韩振国", "13800007001", Role.READONLY_LEADER, "交城县", "县级包联领导"),
    DemoLogin("county_pianguan", "贾永刚", "13800001002", Role.COUNTY_ADMIN, "偏关县", "县委组织部"),
    DemoLogin("county_yijun", "任晓东", "13800001003", Role.COUNTY_ADMIN, "宜君县", "县委组织部"),
    DemoLogin("county_jiaocheng", "温丽华", "13800001004", Role.COUNTY_ADMIN, "交城县", "县委组织部"),
    DemoLogin("county_daxing", "于海涛", "13800001005", Role.COUNTY_ADMIN, "大兴区", "区委组织部"),
    DemoLogin("office_anding", "周立新", "13800002101", Role.TOWNSHIP_STAFF, "安定镇", "党建办主任"),
    DemoLogin(
        "joint_anding",
        "邢立伟",
        "13800003101",
        Role.STATION_CHIEF,
        "第二联村党总支",
        "联村党总支书记（镇党委委员）",
    ),
    DemoLogin("office_yancheng", "冯雅琴", "13800002201", Role.TOWNSHIP_STAFF, "砚城镇", "党建办主任"),
    DemoLogin("office_xiying", "马春生", "13800002301", Role.TOWNSHIP_STAFF, "西营镇", "党建办主任"),
)
# 老牛湾镇's office has 8 staff (seed 001); office_laoniuwan is the first.
LAONIUWAN_STAFF: tuple[DemoLogin, ...] = tuple(
    DemoLogin(f"laoniuwan_staff{i}", name, f"138000020{i:02d}", Role.TOWNSHIP_STAFF, "老牛湾镇", title)
    for i, (name, title) in enumerate(
        [
            ("张慧敏", "常务副主任（组织委员）"),
            ("刘文斌", "组织岗"),
            ("高丽娟", "宣传岗"),
            ("王鹏飞", "纪检岗"),
            ("杨雪梅", "党员教育岗"),
            ("李俊杰", "综合岗"),
            ("郭春燕", "信息岗"),
        ],
        2,
    )
)
ALL_LOGINS = DEMO_LOGINS + LAONIUWAN_STAFF


def ensure_admin(password_hash: str, created: Counter[str], skipped: Counter[str]) -> User:
    """The superuser every demo write is done by; bootstrapped directly, as no actor exists yet."""
    admin = User.objects.filter(username=ADMIN_USERNAME).first()
    if admin is not None:
        if not admin.is_superuser:
            raise DomainError(f"用户名“{ADMIN_USERNAME}”已被一个非系统管理员账号使用，无法载入演示数据。")
        skipped["用户"] += 1
        return admin
    full, initials = pinyin_keys(ADMIN_NAME)
    admin = User.objects.create_superuser(
        ADMIN_USERNAME,
        password=None,
        real_name=ADMIN_NAME,
        is_demo=True,
        name_pinyin=full,
        name_initials=initials,
    )
    admin.password = password_hash
    admin.save(update_fields=["password"])
    created["用户"] += 1
    return admin


def load_demo_users(admin: User, password_hash: str, created: Counter[str], skipped: Counter[str]) -> None:
    """Create the missing demo logins and roles; an existing user is never changed."""
    codes = {login.org: org_demo.code_of(login.org) for login in ALL_LOGINS}
    orgs = {o.code: o for o in Org.objects.filter(code__in=codes.values())}
    existing = {u.username: u for u in User.objects.filter(username__in=[x.username for x in ALL_LOGINS])}
    new_ids = []
    for login in ALL_LOGINS:
        org = orgs[codes[login.org]]
        user = existing.get(login.username)
        if user is None:
            # password=None: create_user hashes every password (PBKDF2, ~0.25 s); the one hash is set below.
            user = services.create_user(
                admin,
                username=login.username,
                real_name=login.real_name,
                password=None,
                phone=login.phone,
                org=org,
                is_demo=True,
                skip_checks=True,
            )
            new_ids.append(user.pk)
            created["用户"] += 1
        else:
            skipped["用户"] += 1
        department = (
            Department.objects.get(code=f"{org.code}-{login.department}") if login.department else None
        )
        grid = Grid.objects.get(org=org, name=login.grid) if login.grid else None
        if RoleAssignment.objects.filter(user=user, org=org, role=login.role).exists():
            skipped["角色"] += 1
        else:
            services.grant_role(
                admin,
                user=user,
                org=org,
                role=login.role,
                title=login.title,
                department=department,
                grid=grid,
            )
            created["角色"] += 1
        if grid is not None and grid.leader_id is None:
            _set_grid_leader(admin, grid, user)
    User.objects.filter(pk__in=new_ids).update(password=password_hash)


def _set_grid_leader(actor: User, grid: Grid, user: User) -> None:
    """No service edits a grid yet, so this writes the change and its audit row the way one would."""
    before = audit.snapshot(grid)
    grid.leader, grid.leader_name, grid.leader_phone = user, user.real_name, user.phone
    grid.save(update_fields=["leader", "leader_name", "leader_phone"])
    audit.record(actor, "grid.update", grid, org=grid.org, before=before, after=audit.snapshot(grid))


def login_rows() -> list[tuple[str, str, str, str]]:
    """(username, role, org, title) of every demo login, for the table the command prints."""
    rows = [(ADMIN_USERNAME, "系统管理员（超级用户）", "全部组织", "")]
    rows += [(x.username, Role(x.role).label, x.org, x.title) for x in ALL_LOGINS]
    return rows


LABELS = (
    "组织",
    "部门",
    "网格",
    "党建办",
    "用户",
    "角色",
    "党员",
    "流动党员外出登记",
    "失联党员",
    "发展党员",
)


# Apps whose demo rows load after members and development (meetings first: others may refer to them).
APP_DEMOS = (
    meetings_demo,
    office_demo,
    stations_demo,
    notices_demo,
    errands_demo,
    cases_demo,
    tasks_demo,
    reviews_demo,
    notifications_demo,
    villages_demo,
    decisions_demo,
    cadres_demo,
    rectification_demo,
    economy_demo,
    projects_demo,
    funds_demo,
    scoring_demo,
    volunteers_demo,
    liaison_demo,
    joint_demo,
)


def load_demo(stdout: TextIO | None = None) -> dict[str, Any]:
    """Load the demo counties and logins in one transaction; a second run creates nothing."""
    created: Counter[str] = Counter()
    skipped: Counter[str] = Counter()
    password_hash = make_password(DEMO_PASSWORD)
    with transaction.atomic():
        admin = ensure_admin(password_hash, created, skipped)
        org_demo.load_demo_orgs(admin, created, skipped)
        load_demo_users(admin, password_hash, created, skipped)
        member_demo.load_demo_members(admin, created, skipped)
        development_demo.load_demo_cases(admin, created, skipped)
        for app_demo in APP_DEMOS:
            app_demo.load_demo(admin, created, skipped)
    if stdout is not None:
        for label in LABELS + tuple(label for app_demo in APP_DEMOS for label in app_demo.DEMO_LABELS):
            stdout.write(f"{label}：新建 {created[label]}，已存在，跳过 {skipped[label]}\n")
    return {"created": dict(created), "skipped": dict(skipped), "logins": login_rows()}


# --- The generated province ------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
)
GIVEN_NAMES = tuple(
    "建国 志强 秀英 丽华 晓东 海燕 红梅 国庆 文静 永刚 春燕 "
    "卫东 玉兰 俊杰 雪梅 振华 桂英 建军 晓燕 鹏飞 立新 海涛".split()
)


PROVINCE_LABELS = {
    "province": "省",
    "city": "市",
    "county": "县",
    "township": "乡镇",
    "station": "党建工作站",
    "branch": "村党支部",
    "department": "县直部门",
    "office": "乡镇党建办",
    "grid": "网格",
    "user": "县级管理员账号",
    "person": "人员",
    "member": "党员",
    "mobile": "流动党员外出登记",
    "development_case": "发展党员档案",
    "case_step": "发展党员步骤",
}
for _app_demo in APP_DEMOS:
    PROVINCE_LABELS |= _app_demo.PROVINCE_LABELS


class PlannedUser(NamedTuple):
    username: str
    real_name: str
    org: int  # index into ProvincePlan.orgs
    role: str
    title: str


def plan_province_users(plan: org_demo.ProvincePlan) -> list[PlannedUser]:
    """One county admin per generated county: enough to log in anywhere, few enough to hash once."""
    rng = random.Random(f"users-{plan.seed}")
    counties = [i for i, o in enumerate(plan.orgs) if o.kind == "county"]
    return [
        PlannedUser(
            f"g{plan.seed}_county{n:03d}",
            rng.choice(SURNAMES) + rng.choice(GIVEN_NAMES),
            i,
            Role.COUNTY_ADMIN,
            "县委组织部",
        )
        for n, i in enumerate(counties, 1)
    ]


def insert_province_users(users: list[PlannedUser], org_ids: list[int]) -> None:
    password_hash = make_password(DEMO_PASSWORD)
    first_user, first_role = org_demo.next_id(User), org_demo.next_id(RoleAssignment)
    keys = {name: pinyin_keys(name) for name in {u.real_name for u in users}}
    User.objects.bulk_create(
        [
            User(
                id=first_user + i,
                username=u.username,
                real_name=u.real_name,
                password=password_hash,
                is_demo=True,
                name_pinyin=keys[u.real_name][0],
                name_initials=keys[u.real_name][1],
            )
            for i, u in enumerate(users)
        ],
        batch_size=org_demo.BATCH,
    )
    RoleAssignment.objects.bulk_create(
        [
            RoleAssignment(
                id=first_role + i, user_id=first_user + i, org_id=org_ids[u.org], role=u.role, title=u.title
            )
            for i, u in enumerate(users)
        ],
        batch_size=org_demo.BATCH,
    )
    org_demo.reset_sequences(User, RoleAssignment)


def generate_province(
    *,
    seed: int,
    counties: int,
    townships: int,
    branches: int,
    grids: int = 2,
    members: int = 100,
    cases: int = 2,
) -> dict[str, int]:
    """Write the synthetic province for `seed` in one transaction with one audit event; refuse a repeat."""
    plan = org_demo.plan_province(seed, counties, townships, branches, grids)
    users = plan_province_users(plan)
    if (
        org_demo.province_exists(seed)
        or User.objects.filter(username__in=[u.username for u in users]).exists()
    ):
        raise DomainError(
            f"种子{seed}的演示省（编码 {plan.code}）已经生成过，本次未写入任何数据；"
            f"如需再生成一个，请换一个 --seed。"
        )
    counts = plan.counts() | {"user": len(users)}
    with transaction.atomic():
        org_ids = org_demo.insert_province(plan)
        insert_province_users(users, org_ids)
        counts |= member_demo.insert_province_people(plan, org_ids, members=members, cases=cases)
        today = timezone.localdate()
        for app_demo in APP_DEMOS:
            counts |= app_demo.insert_province(plan, org_ids, today)
        province = Org.objects.get(pk=org_ids[0])
        note = f"生成演示省（种子{seed}）：" + "，".join(
            f"{PROVINCE_LABELS[k]}{v}" for k, v in counts.items()
        )
        audit.record(None, "org.import", province, org=province, after=counts, note=note[:300])
    return counts
