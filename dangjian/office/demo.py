"""The office app's part of the demo counties and of the generated province.

老牛湾镇 (report 001): 8 office staff, 11 posts with 59 duties, every staff member with a branch
contact point, and ≥2 field days a week. The report gives those figures but not the post names or
duty texts: the director and executive deputy are the report's (党委副书记任主任、组织委员任常务副主任);
the working posts follow the posts 五寨县 names (组织岗、宣传岗、纪检岗, report 000); duties quoted or
paraphrased from a report carry its id, the rest are marked invented (虚构). So the coverage page has
something to show, exactly one of 老牛湾镇's 9 branches is left without a contact, and one staff member
spent only 1.5 days in the villages last week.

The generated province has no township office staff (its only users are county admins), so it gets
no contact points, posts or field visits: `insert_province` writes nothing.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.roles import Role
from dangjian.orgs.demo import code_of
from dangjian.orgs.models import Org

from .choices import CandidateSource, PostKind, ReviewDecision, SelectionRoute, StepKind
from .models import ContactLeader, ContactPoint, Duty, FieldVisit, Post, StaffSelection
from .selectors import branches_under
from .services import contacts, field, leaders, posts, selections
from .weeks import ONE_WEEK, monday_of

# Labels of the counters load_demo prints, and of the counts generate_province reports.
DEMO_LABELS: tuple[str, ...] = (
    "党建办岗位",
    "岗位职责",
    "岗位任职",
    "人员选拔",
    "支部联系点",
    "县级包联领导",
    "包联领导到村",
    "到村工作记录",
    "党建办工作人员（五寨县）",
    "党建办岗位（五寨县）",
    "岗位任职（五寨县）",
    "提级管理申请",
)
PROVINCE_LABELS: dict[str, str] = {}

S000 = "000 五寨县"
S001 = "001 老牛湾镇"
S003 = "003 交城县"
INVENTED = "虚构（演示）"
OFFICE_SINCE = datetime.date(2025, 9, 1)  # the report (2025-09-12) describes an office already running

# (post, kind, full time, holder's username, source of the post, [(duty, source), …])
POSTS: tuple[tuple[str, str, bool, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "主任",
        PostKind.DIRECTOR,
        True,
        "office_laoniuwan",
        S001,
        (
            ("全面负责镇党建办工作，统筹党建与业务工作、产业发展、基层治理融合推进", S001),
            ("主持“周小结、月例会、季总结、年盘点”党建工作例会", S001),
            ("组织学习习近平总书记关于基层党建工作重要指示批示精神和上级会议、文件精神", S001),
            ("研判基层党建工作面临的新形势、新要求，提出年度工作思路", S001),
            ("审定党建办人员分工、岗位调整和考核意见", INVENTED),
            ("牵头推进软弱涣散村党组织整顿", INVENTED),
        ),
    ),
    (
        "常务副主任",
        PostKind.EXECUTIVE_DEPUTY,
        True,
        "laoniuwan_staff2",
        S001,
        (
            ("协助主任处理党建办日常工作，主任外出时主持工作", INVENTED),
            ("落实《偏关县乡镇党建办规范化运行管理办法》各项要求", S001),
            ("组织党建办工作人员每周到村工作不少于2天，汇总下沉情况", S001),
            ("统筹安排定点联系，确保全镇9个村支部包联全覆盖", S001),
            ("组织开展专项调研，形成调研报告", S001),
            ("牵头党建办考核评价，与评优评先、年度考核挂钩", S001),
        ),
    ),
    (
        "组织岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff3",
        S000,
        (
            ("负责党员发展与考核", S000),
            ("落实“三会一课”、主题党日、组织生活会等组织生活制度", S000),
            ("列席指导村党支部组织生活", S001),
            ("管理党员组织关系转接", INVENTED),
            ("收缴、管理党费，按月公示", INVENTED),
            ("组织民主评议党员", INVENTED),
            ("指导村党组织按期换届", INVENTED),
        ),
    ),
    (
        "宣传岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff4",
        S000,
        (
            ("策划党员学习活动", S000),
            ("宣传上级会议及文件精神和基层党建业务知识", S001),
            ("依托新时代文明实践所（站）开展政策宣传、志愿服务", S001),
            ("倡导移风易俗、孝老敬老、婚事新办、丧事简办", S001),
            ("总结推广基层党建工作经验，撰写信息稿件", INVENTED),
        ),
    ),
    (
        "纪检岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff5",
        S000,
        (
            ("监督干部作风", S000),
            ("开展中央八项规定精神学习教育", S001),
            ("督促村级事务落实“四议两公开”", INVENTED),
            ("受理群众对村干部的意见和反映", INVENTED),
            ("开展村务监督委员会业务指导", INVENTED),
        ),
    ),
    (
        "党员教育岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff6",
        S000,
        (
            ("统筹党员教育管理", S000),
            ("为流动党员推送线上学习内容，组织线上座谈", S000),
            ("组织党员集中培训", INVENTED),
            ("组织汛期党员突击队和党员志愿服务队", S001),
            ("建立党员先锋岗，发挥党员在重大项目、重大任务中的作用", S001),
            ("关心关爱老党员、困难党员", INVENTED),
        ),
    ),
    (
        "党员发展岗",
        PostKind.STAFF,
        False,
        "laoniuwan_staff3",
        INVENTED,
        (
            ("受理入党申请，指导村党支部派人谈话", INVENTED),
            ("审核入党积极分子、发展对象培养考察材料", INVENTED),
            ("组织发展对象集中培训", INVENTED),
            ("办理发展党员预审和备案", INVENTED),
            ("建立发展党员工作台账", INVENTED),
        ),
    ),
    (
        "村干部管理岗",
        PostKind.STAFF,
        False,
        "laoniuwan_staff2",
        INVENTED,
        (
            ("负责村干部日常管理", S000),
            ("按常住人口和工作量核定村“两委”职数，细化职责清单", S000),
            ("管理后备干部库，落实导师帮带", INVENTED),
            ("考核村干部坐班值班、履职尽责情况", INVENTED),
            ("核发村干部基本报酬，绩效与党建办考核结果挂钩", S000),
        ),
    ),
    (
        "综合岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff7",
        INVENTED,
        (
            ("推荐“两优一先”和年度考核优秀等次人选", S001),
            ("排查收集群众急难愁盼问题，建立台账跟踪解决", S001),
            ("协调推进自来水入户、道路改造等民生项目", S001),
            ("协商推动村集体经济发展项目", S001),
            ("承担党建办会务、文稿和后勤保障", INVENTED),
        ),
    ),
    (
        "信息岗",
        PostKind.STAFF,
        True,
        "laoniuwan_staff8",
        INVENTED,
        (
            ("维护党建工作平台数据，按时报送各类报表", INVENTED),
            ("管理党员信息库，核对党员基本信息", INVENTED),
            ("制作党建宣传展板和新媒体内容", INVENTED),
            ("统计到村工作和定点联系情况，每周通报", INVENTED),
        ),
    ),
    (
        "档案管理岗",
        PostKind.STAFF,
        False,
        "laoniuwan_staff7",
        INVENTED,
        (
            ("管理党员档案和发展党员档案", INVENTED),
            ("整理党建工作台账，做到一事一档", INVENTED),
            ("收集整理例会、调研、考核等资料", INVENTED),
            ("指导村级党建档案规范化建设", INVENTED),
            ("办理档案查阅、借阅登记", INVENTED),
        ),
    ),
)

PURPOSES = (
    ("列席指导主题党日", "", ""),
    ("督导“三会一课”记录", "支部委员会会议记录缺少两个月", "指导补齐会议记录，下周复查"),
    ("走访困难党员", "", ""),
    ("调研村集体经济发展", "集体经济项目缺少启动资金", "协调争取上级扶持资金"),
    ("指导村“两委”坐班值班", "", ""),
    ("排查矛盾纠纷", "两户邻里因宅基地边界产生纠纷", "联系司法所调解"),
    ("宣讲政策、收集民意", "", ""),
    ("检查党员活动室规范化建设", "党务公开栏内容未更新", "督促本周内更新"),
)


def _org(name: str) -> Org | None:
    return Org.objects.filter(code=code_of(name)).first()


def _users(usernames: list[str]) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=usernames)}


def load_demo(admin, created: Counter[str], skipped: Counter[str]) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    today = timezone.localdate()
    laoniuwan = _org("老牛湾镇")
    if laoniuwan is None:
        return
    staff = _staff(laoniuwan)
    _posts(admin, laoniuwan, created, skipped, today)
    _selections(admin, laoniuwan, created, skipped, today)
    _contact_points(admin, laoniuwan, staff, created, skipped, today, leave_last_open=True)
    anding = _org("安定镇")
    if anding is not None:
        _contact_points(admin, anding, _staff(anding), created, skipped, today)
    _field_visits(admin, laoniuwan, staff, created, skipped, today)
    _leaders(admin, created, skipped, today)
    _elevated(admin, created, skipped, today)


def _staff(township: Org) -> list[User]:
    return [
        ra.user
        for ra in RoleAssignment.objects.filter(org=township, role=Role.TOWNSHIP_STAFF)
        .select_related("user")
        .order_by("user__username")
    ]


def _since(today: datetime.date) -> datetime.date:
    return min(OFFICE_SINCE, today)


def _posts(admin, township: Org, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    """The 11 posts and their 59 duties; holders from the office's 8 staff (信息岗's through selection)."""
    users = _users([p[3] for p in POSTS])
    existing = {p.name: p for p in Post.objects.filter(org=township, archived_at__isnull=True)}
    for order, (name, kind, full_time, holder, source, duties) in enumerate(POSTS, 1):
        post = existing.get(name)
        if post is not None:
            skipped["党建办岗位"] += 1
            skipped["岗位职责"] += post.duties.count()
            continue
        post = posts.create_post(
            admin, township, name, kind, full_time=full_time, sort_order=order, demo_source=source
        )
        created["党建办岗位"] += 1
        posts.set_duties(admin, post, [text for text, _ in duties])
        for text, duty_source in duties:
            Duty.objects.filter(post=post, text=text).update(demo_source=duty_source)
        created["岗位职责"] += len(duties)
        if name != "信息岗" and holder in users:
            posts.appoint_holder(admin, post, users[holder], _since(today), today=today)
            created["岗位任职"] += 1


def _selections(
    admin, township: Org, created: Counter[str], skipped: Counter[str], today: datetime.date
) -> None:
    """Three selections: one appointed (to 信息岗), one waiting for review, one refused."""
    if StaffSelection.objects.filter(org=township).exists():
        skipped["人员选拔"] += StaffSelection.objects.filter(org=township).count()
        return
    users = _users(["laoniuwan_staff8"])
    info = Post.objects.filter(org=township, name="信息岗", archived_at__isnull=True).first()
    start = _since(today)
    day = lambda n: max(start - datetime.timedelta(days=n), datetime.date(2025, 1, 1))  # noqa: E731
    if (
        "laoniuwan_staff8" in users
        and info is not None
        and not info.holders.filter(until__isnull=True).exists()
    ):
        s = selections.open_selection(
            admin,
            township,
            users["laoniuwan_staff8"].display_name,
            SelectionRoute.SELF,
            done_on=day(21),
            opinion="选调生，熟悉信息化工作，自荐到党建办信息岗",
            candidate_user=users["laoniuwan_staff8"],
            source=CandidateSource.SELECTED_GRADUATE,
            intended_post=info,
            demo_source=INVENTED,
            today=today,
        )
        selections.record_step(
            admin,
            s,
            StepKind.RECOMMENDATION,
            done_on=day(18),
            by_name="分管领导（镇党委组织委员）",
            opinion="工作踏实，同意推荐",
            today=today,
        )
        selections.record_step(
            admin,
            s,
            StepKind.REVIEW,
            done_on=day(11),
            decision=ReviewDecision.APPROVED,
            opinion="经镇党委会研究，同意纳入镇党建办",
            today=today,
        )
        selections.record_step(admin, s, StepKind.APPOINTMENT, done_on=start, post=info, today=today)
        created["人员选拔"] += 1
        created["岗位任职"] += 1
    selections.open_selection(
        admin,
        township,
        "白宇航",
        SelectionRoute.RECOMMENDED,
        done_on=today - datetime.timedelta(days=6),
        by_name="分管领导（镇党委副书记）",
        opinion="老乡镇干部，长期联系村级党建工作，推荐纳入党建办（兼职）",
        source=CandidateSource.VETERAN,
        demo_source=INVENTED,
        today=today,
    )
    refused = selections.open_selection(
        admin,
        township,
        "贺晓宁",
        SelectionRoute.SELF,
        done_on=today - datetime.timedelta(days=40),
        opinion="自荐到党建办宣传岗",
        source=CandidateSource.PARTY_WORKER,
        demo_source=INVENTED,
        today=today,
    )
    selections.record_step(
        admin,
        refused,
        StepKind.REVIEW,
        done_on=today - datetime.timedelta(days=30),
        decision=ReviewDecision.REFUSED,
        opinion="所在岗位工作任务重，暂不调整，纳入下一批考虑",
        today=today,
    )
    created["人员选拔"] += 2


def _contact_points(
    admin,
    township: Org,
    staff: list[User],
    created: Counter[str],
    skipped: Counter[str],
    today: datetime.date,
    *,
    leave_last_open: bool = False,
) -> None:
    """Each staff member takes branches in turn; 老牛湾镇 leaves its last branch without a contact."""
    if not staff:
        return
    existing = ContactPoint.objects.filter(township=township).count()
    if existing:
        skipped["支部联系点"] += existing
        return
    branches = list(branches_under(township))
    if leave_last_open:
        branches = branches[:-1]
    for i, branch in enumerate(branches):
        contacts.assign_contact(
            admin, branch, staff[i % len(staff)], _since(today), demo_source=INVENTED, today=today
        )
        created["支部联系点"] += 1


def _field_visits(
    admin,
    township: Org,
    staff: list[User],
    created: Counter[str],
    skipped: Counter[str],
    today: datetime.date,
) -> None:
    """Eight weeks of field days for every staff member, 2–2.5 days a week, except one who spent only
    1.5 days in the villages last week; plus what has been done of the current week."""
    existing = FieldVisit.objects.filter(township=township).exclude(demo_source="").count()
    if existing:
        skipped["到村工作记录"] += existing
        return
    branches = list(branches_under(township))
    if not staff or not branches:
        return
    contact = {
        p.staff_id: p.org
        for p in ContactPoint.objects.filter(township=township, until__isnull=True).select_related("org")
    }
    this_monday = monday_of(today)
    short = staff[min(6, len(staff) - 1)]
    n = 0
    for week in range(8, -1, -1):
        monday = this_monday - ONE_WEEK * week
        for s_index, person in enumerate(staff):
            plan = [(1, 2), (3, 2)]  # Tuesday and Thursday, full days
            if (week + s_index) % 3 == 0:
                plan.append((4, 1))  # and Friday morning
            if week == 1 and person == short:
                plan = [(1, 2), (3, 1)]
            for weekday, half_days in plan:
                day = monday + datetime.timedelta(days=weekday)
                if day > today:
                    continue
                branch = contact.get(person.pk) if weekday == 1 else branches[(n + s_index) % len(branches)]
                purpose, found, follow_up = PURPOSES[n % len(PURPOSES)]
                field.record_field_visit(
                    admin,
                    person,
                    branch or branches[0],
                    day,
                    half_days,
                    purpose,
                    found=found,
                    follow_up=follow_up,
                    needs_follow_up=bool(found) and week <= 2,
                    demo_source=INVENTED,
                    today=today,
                )
                n += 1
    created["到村工作记录"] += n


LEADERS = (
    # county, name, title, username, source, ((village, visit step: see _visit_days), …)
    ("偏关县", "郝建平", "偏关县委副书记", "", INVENTED, (("老牛湾村", 1), ("乾坤湾村", 1), ("柏林峁村", 0))),
    (
        "偏关县",
        "任俊明",
        "偏关县人民政府副县长",
        "",
        INVENTED,
        (("麦虎村", 2), ("滑石村", 2), ("阳洼子村", 3)),
    ),
)


def _leaders(admin, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    """Two contact leaders of 偏关县 (one village never visited this year) and 交城县's leader with the
    12 visits report 003 counts for 连家寨村."""
    year = today.year
    rows = [*LEADERS, ("交城县", "韩振国", "县级包联领导", "leader_jiaocheng", S003, (("连家寨村", -12),))]
    for county_name, name, title, username, source, villages in rows:
        county = _org(county_name)
        if county is None:
            continue
        if ContactLeader.objects.filter(org=county, name=name, year=year).exists():
            skipped["县级包联领导"] += 1
            continue
        orgs = {v: _org(v) for v, _ in villages}
        if any(o is None for o in orgs.values()):
            continue
        user = User.objects.filter(username=username).first() if username else None
        leader = leaders.create_leader(
            admin, county, name, title, year, list(orgs.values()), user=user, demo_source=source, today=today
        )
        created["县级包联领导"] += 1
        for village, step in villages:
            for day in _visit_days(year, today, step):
                leaders.record_leader_visit(
                    admin,
                    leader,
                    orgs[village],
                    day,
                    "到村指导整顿，听取村“两委”工作汇报，走访党员群众",
                    demo_source=source,
                    today=today,
                )
                created["包联领导到村"] += 1


def _visit_days(year: int, today: datetime.date, step: int) -> list[datetime.date]:
    """`step` > 0: a visit every `step` months (on the 12th) up to today; < 0: that many visits spread
    evenly from 5 January to today; 0: none."""
    if step == 0:
        return []
    if step < 0:
        start = datetime.date(year, 1, 5)
        if today < start:
            return []
        span = (today - start).days
        count = -step
        return [start + datetime.timedelta(days=span * i // count) for i in range(count)]
    days = [datetime.date(year, m, 12) for m in range(1, 13, step)]
    return [d for d in days if d <= today]


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Nothing to add: contact points, posts and field days need township office staff, and the
    generated province has only county admin accounts."""
    return {}


# 五寨县 (report 000): "建立人员提级管理机制" — two township offices with invented staff, and three
# requests to the county: one approved (an appointment, made on the posts), one pending, one returned.
WUZHAI_POSTS: tuple[tuple[str, str], ...] = (
    ("主任", PostKind.DIRECTOR),
    ("常务副主任", PostKind.EXECUTIVE_DEPUTY),
    ("组织岗", PostKind.STAFF),
    ("宣传岗", PostKind.STAFF),
    ("纪检岗", PostKind.STAFF),
)
# township → [(username, invented name, post or "" for none yet, since)]
WUZHAI_STAFF: dict[str, tuple[tuple[str, str, str, datetime.date], ...]] = {
    "孙家坪乡": (
        ("wuzhai_sjp1", "康丽萍", "常务副主任", datetime.date(2025, 8, 20)),
        ("wuzhai_sjp2", "闫志斌", "组织岗", datetime.date(2025, 8, 20)),
        ("wuzhai_sjp3", "贺晓东", "宣传岗", datetime.date(2023, 3, 1)),
        ("wuzhai_sjp4", "苗佳怡", "", datetime.date(2025, 8, 20)),
    ),
    "李家坪乡": (
        ("wuzhai_ljp1", "任国栋", "主任", datetime.date(2025, 8, 20)),
        ("wuzhai_ljp2", "吕海燕", "组织岗", datetime.date(2021, 9, 1)),
    ),
}
ELEVATED_LABELS = ("党建办工作人员（五寨县）", "提级管理申请")


def _wuzhai_staff(admin, township: Org, created: Counter[str], skipped: Counter[str]) -> dict[str, User]:
    from django.contrib.auth.hashers import make_password

    from dangjian.accounts import services as accounts
    from dangjian.accounts.demo import DEMO_PASSWORD

    rows = WUZHAI_STAFF[township.name]
    users = _users([r[0] for r in rows])
    new = []
    for username, name, _, _ in rows:
        if username in users:
            skipped[ELEVATED_LABELS[0]] += 1
            continue
        user = accounts.create_user(
            admin,
            username=username,
            real_name=name,
            password=None,
            org=township,
            is_demo=True,
            skip_checks=True,
        )
        accounts.grant_role(admin, user=user, org=township, role=Role.TOWNSHIP_STAFF, title="党建办工作人员")
        users[username] = user
        new.append(user.pk)
        created[ELEVATED_LABELS[0]] += 1
    if new:
        User.objects.filter(pk__in=new).update(password=make_password(DEMO_PASSWORD))
    return users


def _elevated(admin, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    from .choices import AppraisalGrade, RequestKind
    from .models import StaffRequest
    from .services import requests

    townships = {name: _org(name) for name in WUZHAI_STAFF}
    if any(t is None for t in townships.values()):
        return
    if StaffRequest.objects.filter(org__in=townships.values()).exists():
        skipped[ELEVATED_LABELS[1]] += StaffRequest.objects.filter(org__in=townships.values()).count()
        return
    found: dict[str, dict[str, Post]] = {}
    people: dict[str, User] = {}
    for name, township in townships.items():
        people |= _wuzhai_staff(admin, township, created, skipped)
        existing = {p.name: p for p in Post.objects.filter(org=township, archived_at__isnull=True)}
        for order, (post_name, kind) in enumerate(WUZHAI_POSTS, 1):
            if post_name not in existing:
                existing[post_name] = posts.create_post(
                    admin, township, post_name, kind, sort_order=order, demo_source=S000
                )
                created["党建办岗位（五寨县）"] += 1
        found[name] = existing
        for username, _, post_name, since in WUZHAI_STAFF[name]:
            post = existing.get(post_name)
            if post is not None and not post.holders.filter(until__isnull=True).exists():
                posts.appoint_holder(admin, post, people[username], min(since, today), today=today)
                created["岗位任职（五寨县）"] += 1
    county = User.objects.filter(username="county_wuzhai").first()
    approver = county or admin
    sjp, ljp = townships["孙家坪乡"], townships["李家坪乡"]
    done = requests.submit_request(
        people["wuzhai_sjp1"], sjp, RequestKind.APPOINT, person=people["wuzhai_sjp4"],
        post=found["孙家坪乡"]["纪检岗"], reason="纪检岗空缺，拟由苗佳怡同志任纪检岗（演示）",
        demo_source=S000, today=today,
    )  # fmt: skip
    requests.approve_request(approver, done, note="同意任用", today=today)
    back = requests.submit_request(
        people["wuzhai_sjp1"], sjp, RequestKind.TRANSFER, person=people["wuzhai_sjp3"],
        post=found["孙家坪乡"]["宣传岗"], to_unit="县直单位", reason="本人申请调离（演示）",
        demo_source=S000, today=today,
    )  # fmt: skip
    requests.return_request(
        approver, back, note="调出去向未明确，且宣传岗暂无接替人选，请补充后重新报送", today=today
    )
    requests.submit_request(
        people["wuzhai_ljp1"], ljp, RequestKind.APPRAISE, person=people["wuzhai_ljp2"],
        post=found["李家坪乡"]["组织岗"], year=today.year - 1, grade=AppraisalGrade.EXCELLENT,
        reason="年度考核拟定为优秀（演示）", demo_source=S000, today=today,
    )  # fmt: skip
    created[ELEVATED_LABELS[1]] += 3
