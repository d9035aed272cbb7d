"""Weak and lax branches of the generated province, in bulk.

About 5% of the village branches of every county (drawn per branch, deterministic from the plan's seed)
get a rectification case:
- four in five are this year's, identified in January–February with a plan (the five essentials) of 3–5
  items, each a case-engine row of kind `rectify` at some point of its path (open, rectifying, done,
  signed off);
- one in five is last year's, accepted by the county at year end with every item signed off, now in its
  consolidation year;
- each case has the 四个一 (county leader, township leader, first secretary, paired unit) and 1–4 visits
  of its county leader; its classification history (StatusChange) as the services would have written it.
The county admin is the actor and the owner of the items (the province's only users). No case-engine
timeline events are written (as for generated cases outside the first county). Rows are buffered in
`members.demo.Table`s and written per county with `members.demo.flush`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from dangjian.cases.choices import CaseKind, Level, Priority
from dangjian.cases.choices import Source as CaseSource
from dangjian.cases.generate import county_admins
from dangjian.cases.models import Case
from dangjian.members.demo import Table, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import NATIONAL_SITUATIONS, CaseStatus, SupportKind
from .models import PlanItem, RectificationCase, RectificationPlan, StatusChange, Support, SupportVisit

PROVINCE_LABELS: dict[str, str] = {
    "rectification_case": "软弱涣散整顿",
    "rectification_item": "整顿事项",
    "rectification_support": "四个一帮扶",
    "rectification_visit": "帮扶到村",
}
SHARE = 0.05
SHANGHAI = ZoneInfo("Asia/Shanghai")
ITEM_TITLES = (
    "配齐配强村“两委”班子",
    "规范“三会一课”和主题党日",
    "建立村务监督和财务公开制度",
    "化解信访积案",
    "建立党员联系户制度",
    "发展村集体经济项目",
    "完善便民服务站",
    "培养村级后备力量",
)
CASE_COLUMNS = (
    "id",
    "org_id",
    "township_id",
    "county_id",
    "year",
    "status",
    "basis",
    "situations",
    "evidence",
    "identified_on",
    "accepted_on",
    "recheck_due",
    "closed_on",
    "opened_on",
    "opened_by_id",
    "demo_source",
    "created_at",
)
CHANGE_COLUMNS = ("id", "case_id", "from_status", "to_status", "on", "by_id", "by_name", "basis")
PLAN_COLUMNS = (
    "id",
    "case_id",
    "targets",
    "responsible",
    "deadline",
    "measures",
    "expected_result",
    "approved_on",
    "created_by_id",
)
ITEM_COLUMNS = (
    "id",
    "kind",
    "receipt_no",
    "org_id",
    "township_id",
    "station_id",
    "county_id",
    "source",
    "title",
    "description",
    "measures",
    "responsibility",
    "owner_id",
    "priority",
    "level",
    "place",
    "resident_name",
    "resident_phone",
    "state",
    "opened_on",
    "opened_by_id",
    "deadline",
    "done_at",
    "accepted_at",
    "accepted_by_id",
    "closed_at",
    "closed_by_id",
    "reopen_count",
    "public_title",
    "public_result",
    "satisfaction_note",
    "version",
    "demo_source",
    "created_at",
    "updated_at",
)
LINK_COLUMNS = ("id", "plan_id", "item_id", "sort_order")
SUPPORT_COLUMNS = ("id", "case_id", "kind", "name", "title", "since")
VISIT_COLUMNS = ("id", "support_id", "visited_on", "visitor", "activity", "recorded_by_id")
SUPPORTS = (
    (SupportKind.COUNTY_LEADER, "县级包联领导"),
    (SupportKind.TOWNSHIP_LEADER, "乡镇包村领导"),
    (SupportKind.FIRST_SECRETARY, "第一书记"),
    (SupportKind.PAIRED_UNIT, "结对帮扶单位"),
)
SOURCE = "生成的演示省"


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


class Writer:
    def __init__(self, seed: int, today: datetime.date) -> None:
        self.seed, self.today = seed, today
        self.case = Table(RectificationCase, CASE_COLUMNS, json_columns=("situations",))
        self.change = Table(StatusChange, CHANGE_COLUMNS)
        self.plan = Table(RectificationPlan, PLAN_COLUMNS)
        self.item = Table(Case, ITEM_COLUMNS)
        self.link = Table(PlanItem, LINK_COLUMNS)
        self.support = Table(Support, SUPPORT_COLUMNS)
        self.visit = Table(SupportVisit, VISIT_COLUMNS)
        self.receipts = 0

    @property
    def tables(self) -> list[Table]:
        return [self.case, self.change, self.plan, self.item, self.link, self.support, self.visit]

    def receipt(self, day: datetime.date) -> str:
        """Z-261202-O01000A2: the tail starts with O, which the services never draw."""
        self.receipts += 1
        return f"Z-{day:%y%m%d}-O{self.seed % 256:02X}{self.receipts:05X}"

    def day(self, day: datetime.date) -> datetime.date:
        return min(day, self.today - datetime.timedelta(days=1))

    def make(
        self, rng: random.Random, place: tuple[int, int | None, int | None, int], user: tuple[int, str]
    ) -> None:
        org, township, station, county = place
        user_id, user_name = user
        last_year = rng.random() < 0.2
        year = self.today.year - 1 if last_year else self.today.year
        opened = self.day(datetime.date(year, 1, 5 + rng.randrange(20)))
        identified = self.day(opened + datetime.timedelta(days=10 + rng.randrange(30)))
        approved = self.day(identified + datetime.timedelta(days=7 + rng.randrange(14)))
        accepted = datetime.date(year, 12, 15 + rng.randrange(10)) if last_year else None
        recheck = accepted.replace(year=accepted.year + 1) if accepted else None
        situation, title = NATIONAL_SITUATIONS[rng.randrange(len(NATIONAL_SITUATIONS))]
        pk = self.case.take_id()
        status = CaseStatus.CONSOLIDATING if last_year else CaseStatus.RECTIFYING
        self.case.add(
            (
                pk,
                org,
                township,
                county,
                year,
                status,
                "年度排查倒排",
                [situation],
                title,
                identified,
                accepted,
                recheck,
                None,
                opened,
                user_id,
                SOURCE,
                _at(opened),
            )
        )
        history = [
            ("", CaseStatus.CHECKING, opened, "年度排查倒排"),
            (CaseStatus.CHECKING, CaseStatus.IDENTIFIED, identified, title),
            (CaseStatus.IDENTIFIED, CaseStatus.RECTIFYING, approved, "制定一村一策方案"),
        ]
        if accepted:
            history.append((CaseStatus.RECTIFYING, CaseStatus.CONSOLIDATING, accepted, "县级验收通过，摘帽"))
        for old, new, on, basis in history:
            self.change.add((self.change.take_id(), pk, old, new, on, user_id, user_name, basis))
        deadline = datetime.date(year, 12, 31)
        plan = self.plan.take_id()
        self.plan.add(
            (
                plan,
                pk,
                "班子转化升级，年底验收销号",
                "乡镇党委",
                deadline,
                "一村一策，四个一帮扶",
                "县级验收销号",
                approved,
                user_id,
            )
        )
        for n, item_title in enumerate(rng.sample(ITEM_TITLES, 3 + rng.randrange(3)), 1):
            state = (
                "closed" if last_year else rng.choice(("open", "rectifying", "rectifying", "done", "closed"))
            )
            due = min(deadline, approved + datetime.timedelta(days=60 + rng.randrange(240)))
            finished = self.day(min(due, approved + datetime.timedelta(days=30 + rng.randrange(120))))
            done_at = _at(finished) if state in ("done", "closed") else None
            closed_at = _at(finished) if state == "closed" else None
            item = self.item.take_id()
            self.item.add(
                (
                    item,
                    CaseKind.RECTIFICATION.value,
                    self.receipt(approved),
                    org,
                    township,
                    station,
                    county,
                    CaseSource.RECTIFICATION.value,
                    item_title,
                    "",
                    "按整顿方案推进",
                    "",
                    user_id,
                    Priority.NORMAL.value,
                    Level.VILLAGE.value,
                    "",
                    "",
                    "",
                    state,
                    approved,
                    user_id,
                    due,
                    done_at,
                    closed_at,
                    user_id if closed_at else None,
                    closed_at,
                    user_id if closed_at else None,
                    0,
                    "",
                    "",
                    "",
                    0,
                    SOURCE,
                    _at(approved),
                    closed_at or _at(approved),
                )
            )
            self.link.add((self.link.take_id(), plan, item, n))
        for kind, label in SUPPORTS:
            support = self.support.take_id()
            self.support.add((support, pk, kind, label, label, identified))
            if kind == SupportKind.COUNTY_LEADER:
                for _ in range(1 + rng.randrange(4)):
                    day = self.day(identified + datetime.timedelta(days=rng.randrange(200)))
                    self.visit.add((self.visit.take_id(), support, day, label, "到村指导整顿", user_id))


def _places(plan, org_ids: list[int]) -> dict[int, list[tuple[int, int | None, int | None, int]]]:
    """Per county id: (branch, township, station, county) ids of its branches, in plan order."""
    parent = {i: o.parent for i, o in enumerate(plan.orgs)}
    found: dict[int, list] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind != OrgKind.BRANCH:
            continue
        up: dict[str, int] = {}
        j = parent[i]
        while j is not None:
            up.setdefault(plan.orgs[j].kind, org_ids[j])
            j = parent[j]
        station = up.get(OrgKind.STATION) or up.get(OrgKind.JOINT_BRANCH)
        if OrgKind.COUNTY in up:
            found[up[OrgKind.COUNTY]].append(
                (org_ids[i], up.get(OrgKind.TOWNSHIP), station, up[OrgKind.COUNTY])
            )
    return found


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Flag about 5% of the province's village branches as weak, with their plans, items and supports."""
    writer = Writer(plan.seed, today)
    places = _places(plan, org_ids)
    admins = county_admins(list(places))
    codes = {pk: o.code for pk, o in zip(org_ids, plan.orgs, strict=True)}
    for county_id, branches in places.items():
        rng = random.Random(f"rectification-{plan.seed}-{codes[county_id]}")
        user = admins.get(county_id) or admins[None]
        for place in branches:
            if rng.random() < SHARE:
                writer.make(rng, place, user)
        flush(writer.tables)
    org_demo.reset_sequences(
        RectificationCase, StatusChange, RectificationPlan, Case, PlanItem, Support, SupportVisit
    )
    return {
        "rectification_case": writer.case.total,
        "rectification_item": writer.item.total,
        "rectification_support": writer.support.total,
        "rectification_visit": writer.visit.total,
    }
