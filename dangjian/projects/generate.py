"""Projects of the generated province, in bulk: for every township one or two township projects shared by
some of its villages, and for about one village in four a village project; each with one to three funding
sources (some short of the budget), two or three milestones, a status that agrees with them, and one or two
outcomes in the unit table's units. Rows are buffered in `members.demo.Table`s and written per county."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from zoneinfo import ZoneInfo

from dangjian.cases.generate import county_admins
from dangjian.members.demo import Table, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import ProgressMode, ProjectKind, ProjectStatus, SourceKind
from .models import FundingSource, Milestone, Outcome, Project
from .services import ensure_units

PROVINCE_LABELS: dict[str, str] = {
    "project": "项目",
    "project_source": "项目资金来源",
    "project_milestone": "项目节点",
    "project_outcome": "项目成效",
}
VILLAGE_SHARE = 0.25
SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = "生成的演示省"
# title, kind, outcome (measure, unit code, low, high)
TEMPLATES: tuple[tuple[str, str, tuple[str, str, int, int]], ...] = (
    ("灌溉水渠整修", ProjectKind.INFRASTRUCTURE, ("有效灌溉农田", "mu", 100, 1200)),
    ("村内道路硬化", ProjectKind.INFRASTRUCTURE, ("硬化道路", "m", 300, 3000)),
    ("自来水入户", ProjectKind.LIVELIHOOD, ("解决饮水困难", "household", 20, 300)),
    ("日间照料中心", ProjectKind.LIVELIHOOD, ("服务老人", "person", 30, 200)),
    ("蔬菜大棚", ProjectKind.INDUSTRY, ("种植蔬菜", "mu", 50, 800)),
    ("果品网络销售", ProjectKind.INDUSTRY, ("销售农产品", "jin", 20_000, 600_000)),
    ("停车位改造", ProjectKind.LIVELIHOOD, ("新增停车位", "space", 10, 80)),
)
SOURCES = (SourceKind.SUPERIOR, SourceKind.COUNTY, SourceKind.TOWNSHIP, SourceKind.VILLAGE, SourceKind.PAIRED)
PROJECT_COLUMNS = (
    "id", "org_id", "township_id", "county_id", "title", "kind", "status", "year", "description", "budget",
    "start_on", "planned_end", "finished_on", "progress_mode", "reported_progress", "decision_id",
    "demo_source", "created_by_id", "created_at", "updated_at",
)  # fmt: skip


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


class Writer:
    def __init__(self, today: datetime.date, units: dict[str, int]) -> None:
        self.today, self.units = today, units
        self.project = Table(Project, PROJECT_COLUMNS)
        self.villages = Table(Project.villages.through, ("id", "project_id", "org_id"))
        self.source = Table(FundingSource, ("id", "project_id", "kind", "name", "amount"))
        self.milestone = Table(Milestone, ("id", "project_id", "title", "due", "done_on", "sort_order"))
        self.outcome = Table(
            Outcome, ("id", "project_id", "measure", "quantity", "unit_id", "recorded_on", "note")
        )

    @property
    def tables(self) -> list[Table]:
        return [self.project, self.villages, self.source, self.milestone, self.outcome]

    def make(
        self,
        rng: random.Random,
        place: tuple[int, int | None, int],
        name: str,
        user: int,
        villages: list[int] | None = None,
    ) -> None:
        org, township, county = place
        title, kind, (measure, unit, low, high) = TEMPLATES[rng.randrange(len(TEMPLATES))]
        year = self.today.year - (1 if rng.random() < 0.3 else 0)
        start = datetime.date(year, 3, 1) + datetime.timedelta(days=rng.randrange(90))
        start = min(start, self.today - datetime.timedelta(days=30))
        end = start + datetime.timedelta(days=120 + rng.randrange(180))
        budget = Decimal(rng.randrange(5, 200) * 5000)
        steps = 2 + rng.randrange(2)
        due = [start + (end - start) * (i + 1) / steps for i in range(steps)]
        done = sum(1 for d in due if d < self.today and rng.random() < 0.85)
        if done == steps and rng.random() < 0.9:
            status, finished = ProjectStatus.COMPLETED, due[-1]
        else:
            status, finished = (ProjectStatus.UNDER_WAY if done else ProjectStatus.PLANNED), None
        if status != ProjectStatus.COMPLETED and rng.random() < 0.05:
            status = ProjectStatus.SUSPENDED
        pk = self.project.take_id()
        self.project.add(
            (
                pk, org, township, county, f"{name}{title}", kind, status, year, "", budget, start, end,
                finished, ProgressMode.MILESTONES, 0, None, SOURCE, user, _at(start), _at(finished or start),
            )
        )  # fmt: skip
        for v in villages or ():
            self.villages.add((self.villages.take_id(), pk, v))
        funded = budget if rng.random() < 0.7 else budget * Decimal(rng.randrange(40, 95)) / 100
        kinds = rng.sample(SOURCES, 1 + rng.randrange(3))
        left = funded.quantize(Decimal("0.01"))
        for i, k in enumerate(kinds):
            amount = (
                left
                if i == len(kinds) - 1
                else (left * Decimal(rng.randrange(30, 70)) / 100).quantize(Decimal("1"))
            )
            left -= amount
            self.source.add((self.source.take_id(), pk, k, "", amount))
        for i, d in enumerate(due):
            self.milestone.add(
                (self.milestone.take_id(), pk, ("立项", "施工", "竣工验收")[i if i < steps - 1 else 2], d,
                 d if i < done else None, i + 1)
            )  # fmt: skip
        if done:
            quantity = Decimal(rng.randrange(low, high))
            self.outcome.add(
                (
                    self.outcome.take_id(),
                    pk,
                    measure,
                    quantity,
                    self.units[unit],
                    min(due[done - 1], self.today),
                    "",
                )
            )
            if kind == ProjectKind.LIVELIHOOD and rng.random() < 0.5:
                people = Decimal(rng.randrange(50, 600))
                self.outcome.add(
                    (self.outcome.take_id(), pk, "受益群众", people, self.units["person"], due[done - 1], "")
                )


def _places(plan, org_ids: list[int]) -> dict[int, dict[int, list[int]]]:
    """Per county id: per township id, the ids of its village branches (in plan order)."""
    parent = {i: o.parent for i, o in enumerate(plan.orgs)}
    found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.TOWNSHIP and parent[i] is not None:
            found[org_ids[parent[i]]].setdefault(org_ids[i], [])
        if o.kind != OrgKind.BRANCH:
            continue
        up: dict[str, int] = {}
        j = parent[i]
        while j is not None:
            up.setdefault(plan.orgs[j].kind, org_ids[j])
            j = parent[j]
        if OrgKind.COUNTY in up and OrgKind.TOWNSHIP in up:
            found[up[OrgKind.COUNTY]][up[OrgKind.TOWNSHIP]].append(org_ids[i])
    return found


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """A few projects per township and village of every county, written in bulk per county."""
    writer = Writer(today, {code: unit.pk for code, unit in ensure_units().items()})
    places = _places(plan, org_ids)
    admins = county_admins(list(places))
    names = {pk: o.name for pk, o in zip(org_ids, plan.orgs, strict=True)}
    codes = {pk: o.code for pk, o in zip(org_ids, plan.orgs, strict=True)}
    for county_id, townships in places.items():
        rng = random.Random(f"projects-{plan.seed}-{codes[county_id]}")
        user = (admins.get(county_id) or admins[None])[0]
        for township_id, villages in townships.items():
            for _ in range(1 + rng.randrange(2)):
                shared = rng.sample(villages, min(len(villages), 2 + rng.randrange(4))) if villages else []
                writer.make(rng, (township_id, township_id, county_id), names[township_id], user, shared)
            for village in villages:
                if rng.random() < VILLAGE_SHARE:
                    writer.make(rng, (village, township_id, county_id), names[village], user)
        flush(writer.tables)
    org_demo.reset_sequences(Project, Project.villages.through, FundingSource, Milestone, Outcome)
    return {
        "project": writer.project.total,
        "project_source": writer.source.total,
        "project_milestone": writer.milestone.total,
        "project_outcome": writer.outcome.total,
    }
