"""This app's part of the demo counties (seed 004, 安定镇), written through the services so it has its audit
trail; idempotent per joint branch.

From the report: "将33个农村党支部……划分为6个联村党总支，由镇域领导班子成员担任党总支书记，25名包村科长和
33名村党支部书记分别担任副书记和委员". The six secretaries and 25 deputies here are invented (the report
names none; `demo_source` says so) except that 第二联村党总支's secretary is the `joint_anding` login; the 33
members are the villages' branch secretaries of the villages demo. 大兴区 also gives its joint branches the
appraisal of their villages (干部考核评议权), and 第二联村党总支 uses it once on 后安定村 (scoring)."""

from __future__ import annotations

import datetime
import random
from collections import Counter

from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.dates import add_months
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.rules import rule_value
from dangjian.members.demo import draw_name, draw_phone
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import services
from .choices import PostKind
from .models import JointPost

DEMO_LABELS: tuple[str, ...] = ("联村党总支班子成员", "联村党总支评议")
PROVINCE_LABELS: dict[str, str] = {}
SOURCE = "004 安定镇（做法）；姓名为演示虚构"
POWERS_SOURCE = "004 安定镇：赋予联村党总支干部考核评议权等7项权限（2010年起）"
SINCE = datetime.date(2021, 12, 1)  # invented: the township's current leadership took office
# Deputies per joint branch, 25 in all (the report's figure), for villages of (5, 6, 7, 5, 5, 5).
DEPUTIES = (4, 5, 5, 4, 4, 3)
SECRETARY_TITLES = (
    "镇党委副书记",
    "镇党委委员",
    "镇党委委员、副镇长",
    "镇党委委员、武装部长",
    "镇人大主席",
    "镇党委委员、组织委员",
)
SECTIONS = (
    "农业服务中心",
    "社会事务办",
    "司法所",
    "规划建设办",
    "民政科",
    "综合治理办",
    "经济发展办",
    "党群工作办",
)
JOINT_LOGIN = "joint_anding"
APPRAISED = "后安定村"


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add the six teams of 安定镇 (idempotent) and give 大兴区's joint branches the appraisal."""
    township = Org.objects.filter(code=org_demo.code_of("安定镇")).first()
    if township is None:
        return
    joints = list(
        Org.objects.filter(parent=township, kind=OrgKind.JOINT_BRANCH).order_by("sort_order", "path")
    )
    login = User.objects.filter(username=JOINT_LOGIN).first()
    for n, joint in enumerate(joints):
        if JointPost.objects.filter(org=joint).exists():
            skipped["联村党总支班子成员"] += 1
            continue
        rng = random.Random(f"joint-demo-{joint.code}")
        user = login if login is not None and login.roles.filter(org=joint).exists() else None
        services.appoint(
            admin,
            joint,
            kind=PostKind.SECRETARY,
            name=user.real_name if user else draw_name(rng, rng.random() < 0.8),
            title=SECRETARY_TITLES[n % len(SECRETARY_TITLES)],
            phone=draw_phone(rng),
            since=SINCE,
            user=user,
            demo_source=SOURCE,
            today=today,
        )
        villages = list(
            Org.objects.filter(path__startswith=joint.path, kind__in=services.VILLAGE_KINDS).order_by("path")
        )
        count = DEPUTIES[n % len(DEPUTIES)]
        for k in range(count):
            services.appoint(
                admin,
                joint,
                kind=PostKind.DEPUTY,
                name=draw_name(rng, rng.random() < 0.6),
                title=f"{SECTIONS[(n + k) % len(SECTIONS)]}科长（包村）",
                phone=draw_phone(rng),
                since=SINCE,
                villages=villages[k::count],
                demo_source=SOURCE,
                today=today,
            )
        created["联村党总支班子成员"] += 1 + count
    county = township.parent
    if (
        county is not None
        and county.kind == OrgKind.COUNTY
        and not rule_value("scoring.joint_appraisal", county)
    ):
        set_county_rule(
            admin,
            county,
            "scoring.joint_appraisal",
            True,
            source=POWERS_SOURCE,
            effective_from=datetime.date(2010, 1, 1),
        )
    if county is not None and login is not None:
        _appraise(login, county, today or timezone.localdate(), created)


def _appraise(user: User, county: Org, today: datetime.date, created: Counter[str]) -> None:
    """第二联村党总支 appraises 后安定村's 阵地建设 for last month through its appraisal power (invented
    finding), where the county's indicator set of that year exists."""
    from dangjian.scoring import services as scoring
    from dangjian.scoring.models import IndicatorSet, Score

    last = add_months(today.replace(day=1), -1)
    period = f"{last:%Y-%m}"
    indicator_set = IndicatorSet.objects.filter(county=county, year=last.year).first()
    village = Org.objects.filter(code=org_demo.code_of(APPRAISED)).first()
    if indicator_set is None or village is None:
        return
    indicator = indicator_set.indicators.filter(code="B5").first()
    if indicator is None or Score.objects.filter(indicator=indicator, org=village, period=period).exists():
        return
    scoring.enter_score(
        user,
        indicator,
        village,
        period=period,
        value=90,
        evidence="第二联村党总支月度例会评议：党员活动室“六有”齐全，便民服务登记缺一项（演示虚构）",
        today=today,
    )
    created["联村党总支评议"] += 1


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """The generated province's tree has no joint branches (county → township → station → village)."""
    return {}
