"""Reserve cadres, mentoring and pay schemes for the generated province, in bulk.

Each village gets two reserve cadres (ages 24–40, mostly 大专 or 本科, entered within the last three
years); about a third of them are mentored by their village's current secretary (where the villages
generator left one), with one activity of each of the three kinds; each county gets the default pay
scheme. Deterministic from `plan.seed`; written by COPY on PostgreSQL."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from dangjian.cases.generate import copy_rows
from dangjian.members.choices import Education
from dangjian.members.demo import Table, draw_name
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.villages.models import Post, PostKind

from . import rules as R
from .choices import ActivityKind, PoliticalStatus, ReserveStatus
from .models import MentorActivity, Mentorship, PayScheme, ReserveCadre

PROVINCE_LABELS: dict[str, str] = {
    "reserve_cadre": "村级后备干部",
    "mentorship": "导师帮带",
    "pay_scheme": "村干部报酬标准",
}
RESERVE_COLUMNS = (
    "id", "org_id", "county_id", "person_id", "name", "gender", "birth_date", "education", "skills",
    "political_status", "entered_on", "status", "left_on", "left_reason", "created_at",
)  # fmt: skip
MENTORSHIP_COLUMNS = (
    "id", "org_id", "reserve_id", "mentor_post_id", "mentor_user_id", "mentor_name", "mentor_title",
    "started_on", "ended_on", "created_at",
)  # fmt: skip
EDUCATION = (Education.COLLEGE, Education.COLLEGE, Education.BACHELOR, Education.SECONDARY)
POLITICAL = (
    PoliticalStatus.MEMBER,
    PoliticalStatus.MEMBER,
    PoliticalStatus.PROBATIONARY,
    PoliticalStatus.LEAGUE,
)
SKILLS = ("电商销售", "种植技术", "养殖技术", "财务会计", "文书写作", "农机维修", "乡村旅游")
ACTIVITIES = (
    (ActivityKind.SHADOWING, "跟岗处理村务"),
    (ActivityKind.MEETING, "列席村“两委”会议"),
    (ActivityKind.GOVERNANCE, "参与矛盾纠纷调解"),
)


def insert_province_cadres(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    county_of: dict[int, int] = {}
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.COUNTY:
            county_of[i] = i
        elif o.parent is not None and o.parent in county_of:
            county_of[i] = county_of[o.parent]
    villages = [i for i, o in enumerate(plan.orgs) if o.kind == OrgKind.BRANCH and i in county_of]
    secretaries = {
        org_id: (pk, name)
        for org_id, pk, name in Post.objects.filter(
            org_id__in=[org_ids[i] for i in villages], kind=PostKind.SECRETARY, until__isnull=True
        )
        .exclude(name="")
        .values_list("org_id", "pk", "name")
    }
    org_names = dict(zip(org_ids, (o.name for o in plan.orgs), strict=True))
    reserves = Table(ReserveCadre, RESERVE_COLUMNS)
    mentorships = Table(Mentorship, MENTORSHIP_COLUMNS)
    activities = Table(MentorActivity, ("id", "mentorship_id", "org_id", "kind", "held_on", "note"))
    schemes = Table(
        PayScheme,
        (
            "id",
            "county_id",
            "base_pay",
            "dual_allowance",
            "coefficients",
            "performance_months",
            "performance_month",
            "source",
            "updated_on",
        ),  # fmt: skip
        json_columns=("base_pay", "coefficients"),
    )
    rng = random.Random(f"cadres-{plan.seed}")
    now = timezone.now()
    base = {k: str(v) for k, v in R.DEFAULT_BASE_PAY.items()}
    for county in sorted(set(county_of.values())):
        schemes.add(
            (
                schemes.take_id(),
                org_ids[county],
                base,
                R.DEFAULT_DUAL_ALLOWANCE,
                dict(R.DEFAULT_COEFFICIENTS),
                R.DEFAULT_PERFORMANCE_MONTHS,
                R.DEFAULT_PERFORMANCE_MONTH,
                f"{R.DEFAULTS}（生成数据）",
                today,
            )  # fmt: skip
        )
    for v in villages:
        org_id, county_id = org_ids[v], org_ids[county_of[v]]
        for _ in range(2):
            male = rng.random() < 0.6
            entered = today - datetime.timedelta(days=rng.randint(30, 1000))
            birth = datetime.date(today.year - rng.randint(24, 40), rng.randint(1, 12), rng.randint(1, 28))
            pk = reserves.take_id()
            reserves.add(
                (
                    pk,
                    org_id,
                    county_id,
                    None,
                    draw_name(rng, male),
                    "male" if male else "female",
                    birth,
                    rng.choice(EDUCATION),
                    rng.choice(SKILLS),
                    rng.choice(POLITICAL),
                    entered,
                    ReserveStatus.IN_POOL.value,
                    None,
                    "",
                    now,
                )  # fmt: skip
            )
            mentor = secretaries.get(org_id)
            if mentor is None or rng.random() >= 1 / 3:
                continue
            started = entered + datetime.timedelta(days=rng.randint(0, 20))
            m = mentorships.take_id()
            title = f"{org_names[org_id]}{PostKind.SECRETARY.label}"
            mentorships.add((m, org_id, pk, mentor[0], None, mentor[1], title, started, None, now))
            for step, (kind, note) in enumerate(ACTIVITIES, start=1):
                day = min(started + datetime.timedelta(days=10 * step), today)
                activities.add((activities.take_id(), m, org_id, kind.value, day, note))
    copy_rows([schemes, reserves, mentorships, activities])
    org_demo.reset_sequences(PayScheme, ReserveCadre, Mentorship, MentorActivity)
    return {"reserve_cadre": reserves.total, "mentorship": mentorships.total, "pay_scheme": schemes.total}
