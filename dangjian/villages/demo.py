"""The two committees of the demo counties' villages, and of the generated province.

- 五寨县 (seed 000): every village's two committees and profile; 李家坪乡大辛庄村 "按188名常住人口的工作量，
  科学核定村“两委”职数5人，细化职责清单，并明确1名“定补”干部负责电商营销工作" — 188 residents, five
  seats, 郭凯 branch secretary and villagers' committee director (一肩挑), a fixed-subsidy cadre for
  e-commerce sales; one village of 孙家坪乡 whose secretary left four months ago (a finding).
  小河头镇小武州村 is left to the cadres demo, which tells its secretary-from-the-pool story.
- 大兴区 (seed 004): every village's two committees, so 安定镇's six joint branches have their 33 village
  secretaries as members (the joint demo reads them).
- 交城县 (seed 003): every village's two committees; two invented villages still on the last term
  (换届 overdue), so the term check has something to say. 夏家营镇连家寨村 "明确村干部坐班值班" gets a
  rota (four weeks: mornings Monday to Friday, afternoons Monday to Thursday) with every day's check-ins,
  one absence, one replacement, and two Fridays before the Friday slot began (uncovered working days).

大辛庄村 is written through the services; the other villages in bulk (generate.Writer), with the
village's own party members as holders where it has them, so the roll and the member records agree."""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict

from django.db import transaction
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.dates import add_months
from dangjian.members.choices import Gender
from dangjian.members.demo import draw_name
from dangjian.members.models import Person
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import generate, services
from .models import Committee, CommitteeKind, Post, PostKind, SeatTable

DEMO_LABELS: tuple[str, ...] = ("村“两委”班子", "村“两委”职数表", "村干部坐班值班安排", "村干部坐班值班登记")
PROVINCE_LABELS: dict[str, str] = generate.PROVINCE_LABELS
COUNTIES = ("五寨县", "交城县", "大兴区")
SEAT_SOURCE = {
    "五寨县": "五寨县村“两委”职数按常住人口和工作量核定（大辛庄村188人核定5人，据报告000）",
    "交城县": "交城县村“两委”职数核定办法（演示数据）",
    "大兴区": "大兴区村“两委”职数核定办法（演示数据）",
}
SKIPPED_VILLAGES = frozenset({"小武州村"})  # the cadres demo builds its committees
DAXINZHUANG = "大辛庄村"
GUO_KAI = "郭凯"
VACANT_TOWNSHIP = "孙家坪乡"
OVERDUE_TOWNSHIP = "洪相镇"


def load_demo(
    admin, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Add the two counties' seat tables, profiles and committees (idempotent)."""
    today = today or timezone.localdate()
    for name in COUNTIES:
        county = Org.objects.filter(code=org_demo.code_of(name)).first()
        if county is None:
            continue
        with transaction.atomic():
            if SeatTable.objects.filter(county=county).exists():
                skipped["村“两委”职数表"] += 1
            else:
                services.set_seat_table(admin, county, generate.SEATS, source=SEAT_SOURCE[name])
                created["村“两委”职数表"] += 1
            made = _county(admin, county, today, skipped)
            if made:
                created["村“两委”班子"] += made
                audit.record(
                    admin, "villages.demo", None, org=county, after={"村“两委”班子": made},
                    note=f"载入{name}村“两委”演示数据：{made}个班子",
                )  # fmt: skip
    _lianjiazhai_rota(admin, created, skipped, today)


def _county(admin, county: Org, today: datetime.date, skipped: Counter[str]) -> int:
    """The story villages through the services; the others in bulk with their own members as holders
    (a few hundred appointments through the services took a minute)."""
    villages = list(
        Org.objects.filter(
            path__startswith=county.path,
            kind__in=(OrgKind.BRANCH, OrgKind.COMMUNITY),
            archived_at__isnull=True,
        )
        .exclude(name__in=SKIPPED_VILLAGES)
        .order_by("path")
    )
    done = set(Committee.objects.filter(org__in=villages).values_list("org_id", flat=True))
    if done:
        skipped["村“两委”班子"] += 2 * len(done)
    todo = [v for v in villages if v.pk not in done]
    townships = dict(
        Org.objects.filter(path__startswith=county.path, kind=OrgKind.TOWNSHIP).values_list("pk", "name")
    )
    people: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    for org_id, pk, name, gender in (
        Person.objects.filter(org__in=todo)
        .order_by("org_id", "pk")
        .values_list("org_id", "pk", "name", "gender")
    ):
        people[org_id].append((pk, name, gender))
    writer = generate.Writer()
    start = generate.last_election(today)
    vacant: list[Org] = []
    stories: list[Org] = []
    for village in todo:
        if village.name == DAXINZHUANG:
            stories.append(village)
            continue
        township = next((townships[i] for i in village.ancestor_ids() if i in townships), "")
        term = start
        if township == OVERDUE_TOWNSHIP and village.name not in org_demo.SOURCE_VILLAGES:
            term = datetime.date(start.year - 5, start.month, start.day)
        rng = random.Random(f"villages-demo-{village.code}")
        writer.village(rng, county.pk, village.pk, term, today, people[village.pk], vacancy=0)
        if township == VACANT_TOWNSHIP and not vacant:
            vacant.append(village)
    writer.write()
    writer.done()
    for village in stories:  # after the bulk rows: the writer took its ids when it was made
        _daxinzhuang(admin, village, today)
    for village in vacant:
        post = Post.objects.get(org=village, kind=PostKind.SECRETARY, until__isnull=True)
        services.end_post(
            admin, post, until=add_months(today, -4), reason="因病辞去村党组织书记职务", today=today
        )
    return 2 * len(todo)


def _daxinzhuang(admin, village: Org, today: datetime.date) -> None:
    """188 residents → 5 seats: 郭凯 (书记、主任一肩挑), two cross-holding members, one more villagers'
    committee member, and the fixed-subsidy cadre for e-commerce sales — through the services."""
    rng = random.Random("villages-demo-daxinzhuang")
    services.set_profile(admin, village, residents=188, households=72, adults=151, today=today)
    start = generate.last_election(today)
    branch = services.create_committee(admin, village, kind=CommitteeKind.BRANCH, term_start=start)
    villagers = services.create_committee(admin, village, kind=CommitteeKind.VILLAGERS, term_start=start)
    pool = list(
        Person.objects.filter(org__path__startswith=village.path).exclude(name=GUO_KAI).order_by("pk")
    )

    def holder(gender: str) -> dict:
        person = next((p for p in pool if p.gender == gender), None)
        if person is None:
            return {"name": draw_name(rng, gender == Gender.MALE), "gender": gender}
        pool.remove(person)
        return {"person": person}

    guo = Person.objects.filter(org__path__startswith=village.path, name=GUO_KAI).first()
    guo_kai = {"person": guo} if guo else {"name": GUO_KAI, "gender": Gender.MALE}
    deputy, woman = holder(Gender.MALE), holder(Gender.FEMALE)
    for committee, kind, who, answers_for in (
        (branch, PostKind.SECRETARY, guo_kai, ""),
        (villagers, PostKind.DIRECTOR, guo_kai, ""),
        (branch, PostKind.MEMBER, deputy, ""),
        (villagers, PostKind.DEPUTY_DIRECTOR, deputy, ""),
        (branch, PostKind.MEMBER, woman, ""),
        (villagers, PostKind.MEMBER, woman, ""),
        (villagers, PostKind.MEMBER, holder(Gender.MALE), ""),
        (branch, PostKind.SUBSIDY, holder(Gender.FEMALE), "电商营销"),
    ):
        services.appoint(
            admin,
            committee,
            kind,
            since=start,
            answers_for=answers_for,
            duties=generate.DUTIES[kind],
            today=today,
            **who,
        )


LIANJIAZHAI = "连家寨村"


def _lianjiazhai_rota(admin, created: Counter[str], skipped: Counter[str], today: datetime.date) -> None:
    """Four weeks of 连家寨村's rota and check-ins through the services (seed 003: 坐班值班)."""
    from .duty import add_slot, check_in, is_workday, on_duty_posts, workday_map
    from .models import DutySlot, DutyStatus

    village = Org.objects.filter(code=org_demo.code_of(LIANJIAZHAI)).first()
    if village is None:
        return
    if DutySlot.objects.filter(org=village).exists():
        skipped["村干部坐班值班安排"] += DutySlot.objects.filter(org=village).count()
        return
    holders, seen = [], set()
    for post in on_duty_posts(village):
        key = post.person_id or post.name
        if key not in seen:
            seen.add(key)
            holders.append(post)
    if not holders:
        return
    a, b, c = (holders * 3)[:3]
    start = today - datetime.timedelta(days=today.weekday() + 28)  # the Monday four weeks back
    friday = start + datetime.timedelta(days=18)  # the Friday slot starts in the third week
    morning, noon = datetime.time(8, 30), datetime.time(12, 0)
    after, close = datetime.time(14, 30), datetime.time(17, 30)
    plan = [(a, 0, morning, noon, start), (b, 1, morning, noon, start), (a, 2, morning, noon, start)]
    plan += [(b, 3, morning, noon, start), (c, 4, morning, noon, friday)]
    plan += [(c, w, after, close, start) for w in range(4)]
    with transaction.atomic():
        slots = []
        for post, weekday, begin, end, since in plan:
            slots.append(
                add_slot(
                    admin,
                    village,
                    post_id=post.pk,
                    weekday=weekday,
                    valid_from=since,
                    start=begin,
                    end=end,
                    note="村委会便民服务室坐班",
                    today=today,
                )  # fmt: skip
            )
        created["村干部坐班值班安排"] += len(slots)
        county = county_of(village)
        worked = workday_map(start, today, [county.pk])[county.pk]
        absent_on = start + datetime.timedelta(days=8)  # Tuesday of the second week
        replaced_on = start + datetime.timedelta(days=16)  # Wednesday of the third week
        day = start
        while day < today:
            if is_workday(worked, day):
                for slot in slots:
                    if not slot.applies_on(day):
                        continue
                    kw: dict = {"status": DutyStatus.PRESENT}
                    if day == absent_on and slot.start == morning:
                        kw = {"status": DutyStatus.ABSENT, "note": "未请假，未到岗"}
                    elif day == replaced_on and slot.start == morning and c.pk != slot.post_id:
                        kw = {
                            "status": DutyStatus.REPLACED,
                            "replaced_by_id": c.pk,
                            "note": "外出开会，由其替班",
                        }
                    check_in(admin, slot, date=day, today=today, **kw)
                    created["村干部坐班值班登记"] += 1
            day += datetime.timedelta(days=1)


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    return generate.insert_province_villages(plan, org_ids, today)
