"""The notices app's part of the demo counties and of the generated province.

From the reports: 前所乡 (五寨县, source 000) "今年以来，党建办已为流动党员推送84期线上学习内容，组织4次线上
座谈会" — so 84 study pushes to its mobile members over the past year, with a realistic read rate, and
4 online seminars as trainings; 五寨县委组织部 "组织党建办工作人员开展培训2次，课程聚焦‘发展党员流程模拟’
‘组织生活规范开展模拟’". The contents, dates, places and attendance are invented (and say so). Two
notices with partial read-sign (偏关县 → its townships and villages, one past its sign-by date; 老牛湾镇 →
its village secretaries) and a few trainings of 老牛湾镇 and 安定镇 are invented.

Rows are written through the services (so they have an audit trail), then dated back; a second run
finds them by organisation and title and creates nothing.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone

from dangjian.accounts.models import RoleAssignment, User
from dangjian.core.errors import DomainError
from dangjian.members.choices import Standing
from dangjian.members.models import Member
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

from . import services
from .choices import Audience, TrainingKind
from .models import Notice, NoticeReceipt, StudyPush, StudyReceipt, Training

# Labels of the counters load_demo prints, and of the counts generate_province reports.
DEMO_LABELS: tuple[str, ...] = ("学习推送", "学习推送阅读记录", "培训", "培训出勤", "通知", "通知签阅")
PROVINCE_LABELS: dict[str, str] = {"notice": "通知", "notice_receipt": "通知签阅回执"}

QIANSUO_PUSHES = 84  # 000: "为流动党员推送84期线上学习内容"
QIANSUO_SOURCE = "000 五寨县（期数出自报告，内容、日期为虚构）"
WUZHAI_SOURCE = "000 五寨县（课程出自报告，日期、地点为虚构）"
INVENTED = org_demo.INVENTED
STUDY_TOPICS = (
    ("学习《中国共产党章程》", "逐章学习党章，重点领会党员的义务和权利。"),
    ("学习《中国共产党支部工作条例（试行）》", "了解党支部的职责、组织生活制度和党员教育管理要求。"),
    ("流动党员如何参加组织生活", "介绍流动党员通过线上方式参加“三会一课”、主题党日和交纳党费的办法。"),
    ("党员先锋模范作用", "学习身边优秀共产党员事迹，在务工地立足岗位作贡献。"),
    ("乡村振兴政策解读", "解读产业扶持、返乡创业和农村人居环境整治有关政策。"),
    ("党纪学习教育", "学习《中国共产党纪律处分条例》，知敬畏、存戒惧、守底线。"),
    ("安全生产与务工维权", "外出务工安全生产常识和劳动合同、工资支付等权益保障知识。"),
    ("党史学习", "回顾党的光辉历程，传承红色基因。"),
    ("家乡发展动态", "通报乡党委近期重点工作和民生实事进展，欢迎流动党员建言献策。"),
    ("党费交纳知识", "介绍党费交纳标准和流入地、线上交纳党费的方式。"),
    ("移风易俗与文明新风", "倡导婚事新办、丧事简办，带头弘扬文明乡风。"),
    ("网络安全与防范电信诈骗", "提高警惕，守好“钱袋子”，不给违法犯罪分子可乘之机。"),
)
LINK = "https://www.12371.cn/"  # 共产党员网
SEMINARS = (
    ("流动党员线上座谈会：在外务工党员谈家乡发展", 300),
    ("流动党员线上座谈会：学习党的创新理论交流", 210),
    ("流动党员线上座谈会：返乡创业政策解读与交流", 120),
    ("流动党员线上座谈会：年度组织生活会准备", 40),
)


DEMO_ORGS = ("前所乡", "五寨县", "偏关县", "老牛湾镇", "老牛湾村", "安定镇", "后安定村", "徐柏村")
DEMO_USERS = (
    "county_pianguan",
    "office_laoniuwan",
    "office_anding",
    "secretary_laoniuwan",
    *(f"laoniuwan_staff{i}" for i in range(2, 9)),
)


def _code(name: str) -> str:
    return org_demo.code_of(name)


def load_demo(admin, created: Counter[str], skipped: Counter[str]) -> None:
    """Add this app's demo rows (idempotent: a second run creates nothing)."""
    now = timezone.now()
    orgs = {o.name: o for o in Org.objects.filter(code__in=[_code(n) for n in DEMO_ORGS]).select_related()}
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS)}
    qiansuo = orgs.get("前所乡")
    if qiansuo is not None:
        _qiansuo_pushes(admin, qiansuo, now, created, skipped)
    for spec in _training_specs(orgs, users, admin):
        _training(spec, now, created, skipped)
    _notices(orgs, users, now, created, skipped)


def _members(org: Org, mobile: bool = False) -> list[int]:
    qs = Member.objects.filter(org__path__startswith=org.path, standing=Standing.NORMAL)
    if mobile:
        qs = qs.filter(is_mobile=True)
    return list(qs.order_by("org__path", "pk").values_list("pk", flat=True))


# --- 前所乡: 84 pushes to its mobile members ----------------------------------------------------------


def _qiansuo_pushes(admin, org: Org, now, created: Counter[str], skipped: Counter[str]) -> None:
    existing = StudyPush.objects.filter(org=org, demo_source=QIANSUO_SOURCE)
    if existing.exists():
        skipped["学习推送"] += existing.count()
        skipped["学习推送阅读记录"] += StudyReceipt.objects.filter(push__in=existing).count()
        return
    rng = random.Random("qiansuo-pushes")
    pushes = []
    for n in range(1, QIANSUO_PUSHES + 1):
        topic, text = STUDY_TOPICS[(n - 1) % len(STUDY_TOPICS)]
        # One push every four to five days over the past year, the latest yesterday, at office hours.
        day = (
            now - datetime.timedelta(days=round((QIANSUO_PUSHES - n) * 363 / (QIANSUO_PUSHES - 1)) + 1)
        ).date()
        sent = timezone.make_aware(
            datetime.datetime.combine(day, datetime.time(9 + rng.randrange(8), rng.randrange(60)))
        )
        try:
            push = services.send_study_push(
                admin,
                org,
                f"流动党员线上学习第{n}期：{topic}",
                body=f"{text}\n\n请各位流动党员认真学习，有问题可联系乡党建办。",
                link=LINK if n % 3 == 0 else "",
                audience=Audience.MOBILE,
                now=sent,
            )
        except DomainError:  # no mobile members in the demo roster: nothing to push to
            return
        pushes.append(push)
    StudyPush.objects.filter(pk__in=[p.pk for p in pushes]).update(demo_source=QIANSUO_SOURCE)
    created["学习推送"] += len(pushes)
    created["学习推送阅读记录"] += _read_some(pushes, now, "qiansuo-reads")


def _read_some(pushes: list[StudyPush], now, seed: str) -> int:
    """Members differ (some read nearly everything, a few rarely); a push of the last days is read less."""
    rng = random.Random(seed)
    receipts = list(StudyReceipt.objects.filter(push__in=pushes).select_related("push").order_by("pk"))
    keen = {m: rng.uniform(0.55, 0.97) for m in sorted({r.member_id for r in receipts})}
    for r in receipts:
        age_days = (now - r.push.sent_at).days
        chance = keen[r.member_id] * (0.5 if age_days < 3 else 1)
        if rng.random() < chance:
            r.read_at = min(now, r.push.sent_at + datetime.timedelta(minutes=rng.randint(5, 72 * 60)))
    StudyReceipt.objects.bulk_update([r for r in receipts if r.read_at], ["read_at"], batch_size=1000)
    return len(receipts)


# --- trainings -----------------------------------------------------------------------------------------


def _training_specs(orgs: dict[str, Org], users: dict[str, User], admin) -> list[dict]:
    office_lnw = users.get("office_laoniuwan", admin)
    office_ad = users.get("office_anding", admin)
    staff = [
        u.pk for name, u in sorted(users.items()) if name.startswith(("office_laoniuwan", "laoniuwan_staff"))
    ]
    specs = []
    if "前所乡" in orgs:
        for i, (title, days_ago) in enumerate(SEMINARS):
            specs.append(
                dict(
                    actor=admin,
                    org=orgs["前所乡"],
                    title=title,
                    kind=TrainingKind.ONLINE,
                    days_ago=days_ago,
                    hours=Decimal("2"),
                    organiser="前所乡党建办",
                    source=QIANSUO_SOURCE.replace("期数", "座谈会次数"),
                    members=_members(orgs["前所乡"], mobile=True),
                    seed=f"qiansuo-seminar-{i}",
                    rate=0.8,
                )
            )
    if "五寨县" in orgs:
        for title, days_ago in (
            ("乡镇党建办工作人员培训：发展党员流程模拟", 230),
            ("乡镇党建办工作人员培训：组织生活规范开展模拟", 95),
        ):
            specs.append(
                dict(
                    actor=admin,
                    org=orgs["五寨县"],
                    title=title,
                    kind=TrainingKind.PRACTICE,
                    days_ago=days_ago,
                    hours=Decimal("6"),
                    place="五寨县委组织部会议室",
                    organiser="五寨县委组织部",
                    source=WUZHAI_SOURCE,
                    note="参训对象：各乡镇党建办工作人员。",
                )
            )
    if "老牛湾镇" in orgs:
        specs += [
            dict(
                actor=office_lnw,
                org=orgs["老牛湾镇"],
                title="党建办工作人员业务培训：发展党员工作流程",
                kind=TrainingKind.CENTRAL,
                days_ago=150,
                hours=Decimal("6"),
                place="老牛湾镇政府三楼会议室",
                organiser="老牛湾镇党建办",
                users=staff,
                seed="lnw-staff",
                rate=0.9,
            ),
            dict(
                actor=office_lnw,
                org=orgs["老牛湾镇"],
                title="流动党员线上研讨：返乡创业政策解读",
                kind=TrainingKind.ONLINE,
                days_ago=60,
                hours=Decimal("1.5"),
                organiser="老牛湾镇党建办",
                members=_members(orgs["老牛湾镇"], mobile=True),
                seed="lnw-online",
                rate=0.75,
            ),
        ]
    if "老牛湾村" in orgs:
        specs.append(
            dict(
                actor=office_lnw,
                org=orgs["老牛湾村"],
                title="专题党课：学习《中国共产党支部工作条例（试行）》",
                kind=TrainingKind.LECTURE,
                days_ago=75,
                hours=Decimal("2"),
                place="老牛湾村党群服务中心",
                organiser="老牛湾村党支部",
                members=_members(orgs["老牛湾村"]),
                seed="lnw-lecture",
                rate=0.85,
            )
        )
    if "安定镇" in orgs:
        villages = [orgs[n] for n in ("后安定村", "徐柏村") if n in orgs]
        specs.append(
            dict(
                actor=office_ad,
                org=orgs["安定镇"],
                title="党员冬训集中培训（后安定村、徐柏村）",
                kind=TrainingKind.CENTRAL,
                days_ago=330,
                duration=3,
                hours=Decimal("24"),
                place="安定镇党群服务中心",
                organiser="安定镇党建办",
                members=[m for v in villages for m in _members(v)],
                seed="anding-winter",
                rate=0.88,
            )
        )
        if "徐柏村" in orgs:
            specs.append(
                dict(
                    actor=office_ad,
                    org=orgs["徐柏村"],
                    title="专题党课：“我为群众办实事”",
                    kind=TrainingKind.LECTURE,
                    days_ago=45,
                    hours=Decimal("2"),
                    place="徐柏村党员活动室",
                    organiser="徐柏村党支部",
                    members=_members(orgs["徐柏村"]),
                    seed="anding-lecture",
                    rate=0.82,
                )
            )
    return specs


def _training(spec: dict, now, created: Counter[str], skipped: Counter[str]) -> None:
    org = spec["org"]
    found = Training.objects.filter(org=org, title=spec["title"]).annotate(n=Count("attendance")).first()
    if found is not None:
        skipped["培训"] += 1
        skipped["培训出勤"] += found.n
        return
    start = timezone.localdate(now) - datetime.timedelta(days=spec["days_ago"])
    training = services.create_training(
        spec["actor"],
        org,
        title=spec["title"],
        kind=spec["kind"],
        start_on=start,
        end_on=start + datetime.timedelta(days=spec.get("duration", 1) - 1),
        hours=spec["hours"],
        online=spec["kind"] == TrainingKind.ONLINE,
        place=spec.get("place", ""),
        organiser=spec.get("organiser", ""),
        note=spec.get("note", ""),
    )
    Training.objects.filter(pk=training.pk).update(demo_source=spec.get("source", INVENTED))
    created["培训"] += 1
    rng = random.Random(spec.get("seed", spec["title"]))
    entries = [
        services.AttendanceEntry(member_id=m, present=rng.random() < spec["rate"])
        for m in spec.get("members", ())
    ] + [
        services.AttendanceEntry(user_id=u, present=rng.random() < spec["rate"])
        for u in spec.get("users", ())
    ]
    for i, e in enumerate(entries):
        if not e.present:
            entries[i] = services.AttendanceEntry(
                member_id=e.member_id, user_id=e.user_id, present=False, note=rng.choice(ABSENCE_NOTES)
            )
    if entries:
        created["培训出勤"] += services.record_attendance(spec["actor"], training, entries)


ABSENCE_NOTES = ("外出务工", "因病请假", "农忙请假", "下村入户", "")


# --- notices -------------------------------------------------------------------------------------------


def _notices(
    orgs: dict[str, Org], users: dict[str, User], now, created: Counter[str], skipped: Counter[str]
) -> None:
    today = timezone.localdate(now)
    specs = []
    if "偏关县" in orgs and "county_pianguan" in users:
        specs.append(
            dict(
                actor=users["county_pianguan"],
                org=orgs["偏关县"],
                title="关于做好2026年度党员冬训工作的通知",
                body=(
                    "各乡镇党委、各村党支部：\n"
                    "为扎实做好今冬明春党员教育培训工作，请各乡镇党建办制定冬训方案，各村党支部组织党员参加集中培训，"
                    "流动党员通过线上方式参学。请于签阅期限前签收，并于月底前报送冬训安排。\n\n偏关县委组织部"
                ),
                kinds=["township", "branch"],
                sent=now - datetime.timedelta(days=20),
                sign_by=today - datetime.timedelta(days=8),
                # everyone but these signs; office_laoniuwan and the secretary have read it, staff8 has not
                unsigned={"office_laoniuwan", "laoniuwan_staff8", "secretary_laoniuwan"},
                unread={"laoniuwan_staff8"},
            )
        )
    if "老牛湾镇" in orgs and "office_laoniuwan" in users:
        specs.append(
            dict(
                actor=users["office_laoniuwan"],
                org=orgs["老牛湾镇"],
                title="关于报送第四季度“三会一课”开展情况的通知",
                body=(
                    "各村党支部：\n请对照《中国共产党支部工作条例（试行）》，梳理本季度支委会、党员大会、党小组会和党课开展情况，"
                    "于签阅期限前签收本通知，并在平台上补齐会议记录。\n\n老牛湾镇党建办"
                ),
                kinds=["branch"],
                sent=now - datetime.timedelta(days=2),
                sign_by=today + datetime.timedelta(days=5),
                unsigned={"secretary_laoniuwan"},
                unread=set(),
            )
        )
    names = {u.pk: name for name, u in users.items()}
    rng = random.Random("demo-notices")
    for spec in specs:
        found = Notice.objects.filter(org=spec["org"], title=spec["title"]).first()
        if found is not None:
            skipped["通知"] += 1
            skipped["通知签阅"] += found.receipts.count()
            continue
        notice = services.send_notice(
            spec["actor"],
            spec["org"],
            spec["title"],
            spec["body"],
            kinds=spec["kinds"],
            sign_by=spec["sign_by"],
            now=spec["sent"],
        )
        Notice.objects.filter(pk=notice.pk).update(demo_source=INVENTED)
        created["通知"] += 1
        for receipt in NoticeReceipt.objects.filter(notice=notice).select_related("user").order_by("pk"):
            created["通知签阅"] += 1
            name = names.get(receipt.user_id, "")
            read = spec["sent"] + datetime.timedelta(hours=rng.randint(1, 40))
            if name not in spec["unsigned"]:
                services.sign_notice(
                    receipt.user, notice, rng.choice(REPLIES), now=read + datetime.timedelta(minutes=10)
                )
            elif name not in spec["unread"]:
                services.mark_notice_read(receipt.user, notice, now=read)


REPLIES = ("已收到，按要求落实。", "收到。", "已阅，按期报送。", "")


# --- the generated province ------------------------------------------------------------------------------


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """One notice from the province to its counties, with a receipt for each county's admin (the only
    logins a generated county has), a third of them signed. Cheap: one insert per table."""
    counties = [org_ids[i] for i, o in enumerate(plan.orgs) if o.kind == "county"]
    rows = (
        RoleAssignment.objects.filter(org_id__in=counties)
        .order_by("user_id", "pk")
        .values_list("user_id", "org_id", "role")
    )
    recipients, seen = [], set()
    for row in rows:
        if row[0] not in seen:
            seen.add(row[0])
            recipients.append(row)
    now = timezone.now()
    sent = now - datetime.timedelta(days=3)
    notice = Notice.objects.create(
        org_id=org_ids[0],
        title=f"关于开展{today.year}年度乡镇党建办规范化建设评估的通知",
        body="各县（市、区）委组织部：请组织开展乡镇党建办规范化建设自评，按期签收本通知。",
        kinds=["county"],
        sign_by=today + datetime.timedelta(days=4),
        sent_at=sent,
        recipient_count=len(recipients),
        demo_source=INVENTED,
    )
    NoticeReceipt.objects.bulk_create(
        [
            NoticeReceipt(
                notice=notice,
                user_id=u,
                org_id=o,
                role=r,
                read_at=sent + datetime.timedelta(hours=2) if i % 3 != 2 else None,
                signed_at=sent + datetime.timedelta(hours=3) if i % 3 == 0 else None,
            )
            for i, (u, o, r) in enumerate(recipients)
        ],
        batch_size=org_demo.BATCH,
    )
    return {"notice": 1, "notice_receipt": len(recipients)}
