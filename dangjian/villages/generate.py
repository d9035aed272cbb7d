"""The two committees of every village of the generated province, in bulk.

Each county gets the demo's seat table; each village a profile (150–2,400 residents), a branch committee
and a villagers' committee elected at the last national 换届, with a secretary, a director (the same
person in four villages of five: 一肩挑), a deputy director who also sits on the branch committee, a woman
member on both, and one more villagers' committee member in villages above 300 residents. About one
village in a hundred has had its secretary leave within the last six months (a vacancy; past three
months it is a finding and a rectification warning), and one in fifty has no woman member. Deterministic
from `plan.seed`; written by COPY on PostgreSQL."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.utils import timezone

from dangjian.cases.generate import copy_rows
from dangjian.core.dates import add_years
from dangjian.members.choices import Gender
from dangjian.members.demo import Table, draw_name
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .models import Committee, CommitteeKind, Post, PostKind, SeatTable, VillageProfile

PROVINCE_LABELS: dict[str, str] = {
    "village_committee": "村“两委”班子",
    "village_post": "村“两委”职务",
}
SEATS = ((300, 5), (1000, 7), (3000, 9), (1_000_000, 11))
SOURCE = "县村“两委”职数核定办法（生成数据）"
DUTIES = {
    PostKind.SECRETARY: "主持村党组织全面工作；落实“三会一课”；抓班子、带队伍；牵头重大事项“四议两公开”。",
    PostKind.DEPUTY_SECRETARY: "协助书记抓党建；分管党员教育管理和发展党员。",
    PostKind.DIRECTOR: "主持村民委员会工作；组织实施村民会议、村民代表会议决议；村务公开。",
    PostKind.DEPUTY_DIRECTOR: "协助主任工作；分管集体经济、产业发展。",
    PostKind.MEMBER: "分管妇女、计生、民政、网格和矛盾调解等工作。",
    PostKind.SUBSIDY: "负责分管专项工作，按月报送工作情况。",
}
M, F = Gender.MALE.value, Gender.FEMALE.value
BRANCH, VILLAGERS = CommitteeKind.BRANCH.value, CommitteeKind.VILLAGERS.value
COMMITTEE_COLUMNS = (
    "id",
    "org_id",
    "county_id",
    "kind",
    "term_start",
    "term_end",
    "next_election_on",
    "created_at",
)
POST_COLUMNS = (
    "id", "committee_id", "org_id", "kind", "answers_for", "duties", "person_id", "name", "gender", "since",
    "until", "end_reason", "vacant_since",
)  # fmt: skip


def last_election(today: datetime.date) -> datetime.date:
    """The spring of the last national 换届 (2021, 2026, … every five years) on or before today."""
    year = today.year - (today.year - 2021) % 5
    day = datetime.date(year, 4, 10)
    return day if day <= today else datetime.date(year - 5, 4, 10)


class Writer:
    """Buffered rows of seat tables, profiles, committees and posts, one village at a time."""

    def __init__(self) -> None:
        self.seats = Table(SeatTable, ("id", "county_id", "max_residents", "seats", "source"))
        self.profiles = Table(
            VillageProfile, ("id", "org_id", "residents", "households", "adults", "updated_on")
        )
        self.committees = Table(Committee, COMMITTEE_COLUMNS)
        self.posts = Table(Post, POST_COLUMNS)
        self.created = timezone.now()

    def seat_table(self, county_id: int, source: str = SOURCE) -> None:
        for bound, n in SEATS:
            self.seats.add((self.seats.take_id(), county_id, bound, n, source))

    def village(
        self,
        rng: random.Random,
        county_id: int,
        org_id: int,
        start: datetime.date,
        today: datetime.date,
        people: list[tuple[int, str, str]] | None = None,
        vacancy: float = 0.01,
    ) -> None:
        """One village's profile and two committees; holders drawn from `people` (id, name, gender)
        where given, else invented."""
        residents = rng.randint(150, 2400)
        self.profiles.add(
            (self.profiles.take_id(), org_id, residents, residents * 10 // 26, residents * 4 // 5, start)
        )
        end = add_years(start, 5)
        ids = {}
        for kind in (BRANCH, VILLAGERS):
            ids[kind] = self.committees.take_id()
            self.committees.add((ids[kind], org_id, county_id, kind, start, end, end, self.created))
        pool = list(people or ())

        def holder(gender: str) -> tuple[int | None, str, str]:
            for i, row in enumerate(pool):
                if row[2] == gender:
                    return pool.pop(i)
            return None, draw_name(rng, gender == M), gender

        def post(kind: str, committee: str, who: tuple, vacant_since=None) -> None:
            person_id, name, gender = who
            self.posts.add(
                (
                    self.posts.take_id(), ids[committee], org_id, kind, "", DUTIES[kind], person_id, name,
                    gender, start if name else None, None, "", vacant_since,
                )
            )  # fmt: skip

        secretary = holder(M)
        if rng.random() < vacancy:
            post(PostKind.SECRETARY, BRANCH, (None, "", ""), today - datetime.timedelta(rng.randint(1, 180)))
        else:
            post(PostKind.SECRETARY, BRANCH, secretary)
        post(PostKind.DIRECTOR, VILLAGERS, secretary if rng.random() < 0.8 else holder(M))
        deputy = holder(M)
        post(PostKind.DEPUTY_DIRECTOR, VILLAGERS, deputy)
        post(PostKind.MEMBER, BRANCH, deputy)
        woman = holder(F) if rng.random() >= 0.02 else holder(M)
        post(PostKind.MEMBER, VILLAGERS, woman)
        post(PostKind.MEMBER, BRANCH, woman)
        if residents > 300:
            post(PostKind.MEMBER, VILLAGERS, holder(M))

    def write(self) -> None:
        copy_rows([self.seats, self.profiles, self.committees, self.posts])

    @staticmethod
    def done() -> None:
        org_demo.reset_sequences(SeatTable, VillageProfile, Committee, Post)


def insert_province_villages(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    county_of: dict[int, int] = {}
    villages: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.COUNTY:
            county_of[i] = i
        elif o.parent is not None and o.parent in county_of:
            county_of[i] = county_of[o.parent]
            if o.kind == OrgKind.BRANCH:
                villages[county_of[i]].append(i)
    w = Writer()
    start = last_election(today)
    for county, branch_indexes in villages.items():
        county_id = org_ids[county]
        rng = random.Random(f"villages-{plan.seed}-{plan.orgs[county].code}")
        w.seat_table(county_id)
        for b in branch_indexes:
            w.village(rng, county_id, org_ids[b], start, today)
        w.write()
    w.done()
    return {"village_committee": w.committees.total, "village_post": w.posts.total}
