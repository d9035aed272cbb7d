"""Development cases (发展党员) of the demo, at every stage, and of the synthetic province.

A scenario fixes where a case stands today: each is anchored a number of days before today and walks
the steps of its rule version on plausible dates, stopping at the first step whose date is still to
come (or at a named step, for cases that are late). Because the anchor counts back from the day the
demo is loaded, the case is at the same stage whenever it is loaded: an applicant still awaiting the
talk, a talk overdue, activists in their first year, a candidate trained, an approval past its
deadline, probationary members, one about to convert, one converted.

The demo goes through `open_case` and `record_step` (with `today=`), so every step is checked by the
rules and has its audit event. The province writes the same steps in bulk; the case's milestones and
next step are computed by the same `services.plan` the services use.
"""

from __future__ import annotations

import datetime
import math
import random
from collections import Counter
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.dates import add_months, add_years
from dangjian.core.rule_settings import set_county_rule
from dangjian.core.rules import rule_value
from dangjian.members import demo as member_demo
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member, Person
from dangjian.members.services.roster import PersonData
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import county_of

from . import rules as R
from . import services
from .models import CaseContact, CaseStatus, CaseStep, DevelopmentCase, Stage

D = datetime.timedelta
APPLICANT_AGES = (22.0, 42.0, 28.0)


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    applied_days_ago: int
    until: str = ""  # stop before this step even if its date has come (the case is late with it)


# Days from the application: activist at +60; branch assembly (B) at activist + 455.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("awaiting_talk", "已递交申请，等待谈话", 10, until="talk"),
    Scenario("talk_overdue", "递交申请超过一个月仍未谈话", 45, until="talk"),
    Scenario("activist_new", "入党积极分子（确定约三个月）", 160),
    Scenario("activist_assessed", "入党积极分子（已考察一次）", 310),
    Scenario("candidate_trained", "发展对象（已完成集中培训）", 485),
    Scenario("joint_pre_review_due", "支部委员会已审查，等待联村党总支预审", 500, until="joint_pre_review"),
    Scenario("approval_overdue", "支部大会已通过，上级党委审批逾期", 625, until="approval"),
    Scenario("probationary", "预备党员（预备期内）", 665),
    Scenario("conversion_due", "预备期即将期满（已提出转正申请）", 876),
    Scenario("converted", "已按期转正并归档", 1035),
)
BY_KEY = {s.key: s for s in SCENARIOS}


def schedule(
    version: str, applied_on: datetime.date, wait_months: int = 0
) -> list[tuple[str, datetime.date]]:
    """Every step of `version` after the application, on plausible dates that keep every rule."""
    a = applied_on
    ac = max(a + D(60), add_months(a, wait_months))
    b = ac + D(455)
    end = add_years(b, 1)
    dates: dict[str, list[datetime.date]] = {
        "talk": [a + D(20)],
        "activist": [ac],
        "activist_filed": [ac + D(5)],
        "contacts": [ac + D(10)],
        "assessment": [ac + D(170), ac + D(340)],
        "candidate_publicity": [ac + D(368)],
        "candidate": [ac + D(375)],
        "candidate_filed": [ac + D(380)],
        "sponsors": [ac + D(385)],
        "political_review": [ac + D(400)],
        "training": [ac + D(420)],
        "committee_review": [ac + D(430)],
        "joint_pre_review": [ac + D(435)],
        "pre_review": [ac + D(440)],
        "application_form": [ac + D(445)],
        "branch_assembly": [b],
        "committee_talk": [b + D(10)],
        "approval": [b + D(30)],
        "approval_filed": [b + D(35)],
        "placement": [b + D(40)],
        "oath": [b + D(45)],
        "probation_education": [b + D(180)],
        "conversion_application": [end - D(5)],
        "conversion_assembly": [end + D(3)],
        "conversion_approval": [end + D(25)],
        "archive": [end + D(30)],
    }
    return [(s.code, d) for s in R.VERSIONS[version].steps if s.code != "application" for d in dates[s.code]]


def steps_to_take(
    scenario: Scenario,
    version: str,
    applied_on: datetime.date,
    today: datetime.date,
    wait_months: int = 0,
    joint: bool = False,
) -> list[tuple[str, datetime.date]]:
    """The scenario's steps up to today; the joint branch's pre-review only where it applies (`joint`)."""
    taken = []
    for code, d in schedule(version, applied_on, wait_months):
        if code == scenario.until or d > today:
            break
        if code == "joint_pre_review" and not joint:
            continue
        taken.append((code, d))
    return taken


def votes(entitled: int) -> dict[str, int]:
    entitled = max(entitled, 1)
    present = min(entitled, max(math.ceil(entitled * 0.8), entitled // 2 + 1))
    return {"entitled": entitled, "present": present, "in_favour": present, "against": 0, "abstain": 0}


def step_data(
    code: str, d: datetime.date, version: str, entitled: int, contacts: list[int], sponsors: list[int]
) -> dict[str, Any]:
    publicity = {"publicity_from": (d - D(18)).isoformat(), "publicity_to": (d - D(2)).isoformat()}
    return {
        "activist": {"decided_by": "支部委员会"},
        "contacts": {"members": contacts},
        "assessment": {"result": "良好"},
        "candidate_publicity": publicity,
        "candidate": publicity if version == "2014" else {},
        "sponsors": {"members": sponsors},
        "political_review": {"result": "passed"},
        "training": {"days": 3, "hours": 24},
        "joint_pre_review": {"result": "passed"},
        "pre_review": {"result": "passed"},
        "branch_assembly": votes(entitled),
        "approval": {"result": "approved"},
        "probation_education": {"result": "良好"},
        "conversion_assembly": votes(entitled) | {"outcome": "convert"},
        "conversion_approval": {"result": "approved"},
    }.get(code, {})


# --- The demo --------------------------------------------------------------------------------------


class DemoCases(NamedTuple):
    village: str
    branch_login: str  # who records the branch's steps
    higher_login: str  # who records the higher committee's (filing, pre-review, talk, approval)
    scenarios: tuple[str, ...]
    joint_login: str = ""  # who records the joint branch's pre-review, where the county turned it on


# 老牛湾村 is secretary_laoniuwan's branch: a case at every stage. 安定镇's cases stop before approval,
# so its roll stays at the 1,619 members of source 004.
DEMO_CASES: tuple[DemoCases, ...] = (
    DemoCases("老牛湾村", "secretary_laoniuwan", "office_laoniuwan", tuple(s.key for s in SCENARIOS)),
    DemoCases("乾坤湾村", "office_laoniuwan", "office_laoniuwan", ("awaiting_talk", "probationary")),
    DemoCases("后安定村", "office_anding", "office_anding", ("activist_new", "approval_overdue")),
    DemoCases("郭家河村", "county_wuzhai", "county_wuzhai", ("talk_overdue",)),
    DemoCases("榆舍村", "station_yushe", "county_yijun", ("candidate_trained",)),
    # 大兴区 gives 安定镇's joint branches the pre-review (seed 004): one candidate waits for 第二联村党总支.
    DemoCases("后安定村", "office_anding", "office_anding", ("joint_pre_review_due",), "joint_anding"),
)


class PlannedCase(NamedTuple):
    village: str
    scenario: Scenario
    applicant: member_demo.PlannedMember
    branch_login: str
    higher_login: str
    joint_login: str = ""


# Applicants' order codes start at 800 (seq 400), far above any the demo members reach (a handful of
# people per county share a birth date), so their ID numbers never meet without planning the members.
APPLICANT_SEQ = 400


def plan_demo_cases(today: datetime.date | None = None) -> list[PlannedCase]:
    """The demo's applicants: invented people, with ID numbers apart from the demo members'."""
    today = today or timezone.localdate()
    ids = member_demo.IdAllocator(start=APPLICANT_SEQ)
    areas = {b.name: b.area for b in member_demo.demo_branches()}
    planned = []
    for spec in DEMO_CASES:
        rng = random.Random(f"cases-{org_demo.code_of(spec.village)}{spec.joint_login}")
        for key in spec.scenarios:
            applicant = member_demo.draw_member(
                rng, ids, areas[spec.village], today, probationary=True, ages=APPLICANT_AGES
            )
            planned.append(
                PlannedCase(
                    spec.village,
                    BY_KEY[key],
                    applicant,
                    spec.branch_login,
                    spec.higher_login,
                    spec.joint_login,
                )
            )
    return planned


def load_demo_cases(
    admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Open and walk the demo cases that do not exist yet (an applicant's ID number marks a case as there)."""
    today = today or timezone.localdate()
    planned = plan_demo_cases(today)
    existing = set(
        Person.objects.filter(id_number__in=[c.applicant.id_number for c in planned]).values_list(
            "id_number", flat=True
        )
    )
    logins = {c.branch_login for c in planned} | {c.higher_login for c in planned}
    users = {
        u.username: u for u in User.objects.filter(username__in=logins | {c.joint_login for c in planned})
    }
    orgs = {o.name: o for o in Org.objects.filter(code__in=[org_demo.code_of(c.village) for c in planned])}
    used: Counter[str] = Counter()
    for c in planned:
        if c.applicant.id_number in existing:
            skipped["发展党员"] += 1
            continue
        org = orgs[c.village]
        if c.joint_login:
            grant_joint_pre_review(admin, county_of(org))
        actors = (
            users.get(c.branch_login, admin),
            users.get(c.higher_login, admin),
            users.get(c.joint_login),
        )
        walk_demo_case(org, c, *actors, today=today, index=used[c.village])
        used[c.village] += 1
        created["发展党员"] += 1


def grant_joint_pre_review(admin: User, county: Org | None) -> None:
    """大兴区 gives 安定镇's joint branches the pre-review of development candidates (seed 004)."""
    if county is None or rule_value(R.JOINT_PRE_REVIEW.code, county):
        return
    set_county_rule(
        admin,
        county,
        R.JOINT_PRE_REVIEW.code,
        True,
        source="004 安定镇：赋予联村党总支党员发展预审权等7项权限（2010年起）",
        effective_from=datetime.date(2010, 1, 1),
    )


@transaction.atomic
def walk_demo_case(
    org: Org,
    c: PlannedCase,
    branch_actor: User,
    higher_actor: User,
    joint_actor: User | None = None,
    *,
    today: datetime.date,
    index: int = 0,
) -> DevelopmentCase:
    p = c.applicant
    applied_on = today - D(c.scenario.applied_days_ago)
    case = services.open_case(
        branch_actor,
        org,
        PersonData(
            name=p.name,
            gender=p.gender,
            birth_date=p.birth,
            id_number=p.id_number,
            phone=p.phone,
            education=p.education,
            occupation=p.occupation,
        ),
        applied_on=applied_on,
        responsible=_name(branch_actor),
        note="本人递交入党申请书",
        today=today,
    )
    Person.objects.filter(pk=case.person_id).update(demo_source=member_demo.INVENTED)
    county = county_of(org)
    wait = int(rule_value(R.ACTIVIST_WAIT_MONTHS.code, county))
    full = list(
        Member.objects.filter(org=org, status=MemberStatus.FULL, standing=Standing.NORMAL)
        .exclude(person_id=case.person_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    picks = [full[(4 * index + k) % len(full)] for k in range(4)] if len(full) >= 4 else full
    joint = services.joint_reviewer(case, county) is not None
    for code, d in steps_to_take(c.scenario, case.rule_version, applied_on, today, wait, joint):
        step_def = R.VERSIONS[case.rule_version].step(code)
        actor = higher_actor if step_def.by_higher else branch_actor
        if step_def.joint:
            actor = joint_actor or higher_actor
        data = step_data(code, d, case.rule_version, len(full), picks[:2], picks[2:4])
        services.record_step(actor, case, code, done_on=d, responsible=_name(actor), data=data, today=today)
    case.refresh_from_db()
    if case.member_id:
        Member.objects.filter(pk=case.member_id).update(demo_source=member_demo.INVENTED)
    DevelopmentCase.objects.filter(pk=case.pk).update(demo_source=member_demo.INVENTED)
    return case


def _name(user: User) -> str:
    return user.real_name or user.username


# --- The synthetic province ------------------------------------------------------------------------

JITTER_DAYS = 20
SECRETARY, HIGHER = "村党支部书记", "乡镇党委组织委员"
CASE_COLUMNS = (
    "id", "person_id", "org_id", "rule_version", "status", "stage", "next_step", "next_earliest", "next_due",
    "applied_on", "activist_on", "candidate_on", "admitted_on", "approved_on", "probation_ends_on", "full_on",
    "member_id", "stopped_reason", "demo_source", "created_at", "updated_at",
)  # fmt: skip
STEP_COLUMNS = (
    "id", "case_id", "org_id", "code", "round", "done_on", "passed", "responsible", "note", "late_reason",
    "data", "correction_reason", "recorded_by_id", "recorded_at",
)  # fmt: skip
CONTACT_COLUMNS = ("id", "case_id", "member_id", "kind", "step_id")


@dataclass(frozen=True)
class Template:
    """A case of one scenario applied on one day: its steps, and the fields the services would store."""

    scenario: str
    version: str
    applied_on: datetime.date
    steps: tuple[tuple[str, datetime.date], ...]
    fields: dict[str, Any]

    @property
    def has_member(self) -> bool:
        return self.fields["approved_on"] is not None


def template(scenario: Scenario, today: datetime.date, jitter: int = 0) -> Template:
    """What `open_case` and `record_step` would leave behind, computed without the database: the
    milestones as `_refresh` and `_apply` set them, the next step by `services.plan` itself (default
    rule values; a generated county has no overrides)."""
    applied_on = today - D(scenario.applied_days_ago + jitter)
    version = services.version_for(applied_on, None)
    taken = steps_to_take(scenario, version, applied_on, today)
    on = {code: d for code, d in reversed(taken)}  # the first date of each code
    approved = on.get("approval")
    case = DevelopmentCase(
        org=Org(kind=OrgKind.BRANCH, path=""),
        rule_version=version,
        applied_on=applied_on,
        status=CaseStatus.OPEN,
        activist_on=on.get("activist"),
        candidate_on=on.get("candidate"),
        admitted_on=on.get("branch_assembly"),
        approved_on=approved,
    )
    if approved:
        case.status = CaseStatus.PROBATION
        case.probation_ends_on = add_years(case.admitted_on, R.PROBATION_YEARS.value)
    if "conversion_approval" in on:
        case.status, case.full_on = CaseStatus.FULL, case.probation_ends_on
    steps = [CaseStep(code="application", done_on=applied_on, passed=True, round=1)]
    steps += [CaseStep(code=code, done_on=d, passed=True, round=1) for code, d in taken]
    plan = services.plan(case, steps)
    stage = R.VERSIONS[version].step(plan.next_step).stage if plan.next_step else Stage.PROBATION
    fields = {
        "status": case.status,
        "stage": stage,
        "next_step": plan.next_step,
        "next_earliest": plan.earliest,
        "next_due": plan.due,
        "activist_on": case.activist_on,
        "candidate_on": case.candidate_on,
        "admitted_on": case.admitted_on,
        "approved_on": case.approved_on,
        "probation_ends_on": case.probation_ends_on,
        "full_on": case.full_on,
    }
    return Template(scenario.key, version, applied_on, (("application", applied_on), *taken), fields)


class ProvinceCases:
    """Development cases of the generated province, written beside its members."""

    def __init__(self, writer: member_demo.RowWriter, today: datetime.date) -> None:
        self.writer = writer
        self.today = today
        self.case = member_demo.Table(DevelopmentCase, CASE_COLUMNS)
        self.step = member_demo.Table(CaseStep, STEP_COLUMNS, json_columns=["data"])
        self.contact = member_demo.Table(CaseContact, CONTACT_COLUMNS)
        self.tables = [self.case, self.step, self.contact]
        self.templates: dict[tuple[str, int], Template] = {}
        self.recorder: int | None = None

    def start_county(self, recorder: int | None) -> None:
        """Steps are recorded by the county's admin account (every step row names who entered it)."""
        self.recorder = recorder

    def template(self, key: str, jitter: int) -> Template:
        found = self.templates.get((key, jitter))
        if found is None:
            found = self.templates[key, jitter] = template(BY_KEY[key], self.today, jitter)
        return found

    def choose(self, rng: random.Random, n: int, slots: int) -> list[Template]:
        """`n` cases; one that has reached approval takes one of the branch's `slots` member places."""
        if self.recorder is None:
            return []
        chosen = []
        for _ in range(n):
            t = self.template(rng.choice(SCENARIOS).key, rng.randrange(JITTER_DAYS))
            if t.has_member:
                if slots == 0:
                    t = self.template("activist_new", 0)
                else:
                    slots -= 1
            chosen.append(t)
        return chosen

    def add_cases(
        self,
        rng: random.Random,
        ids: member_demo.IdAllocator,
        area: str,
        org_id: int,
        chosen: list[Template],
        placed: list[tuple[int, member_demo.PlannedMember]],
    ) -> None:
        w, now = self.writer, self.writer.now
        full = [(pk, p) for pk, p in placed if p.status == MemberStatus.FULL]
        for t in chosen:
            p = member_demo.draw_member(rng, ids, area, self.today, probationary=True, ages=APPLICANT_AGES)
            person_id = w.add_person(org_id, p)
            member_id = None
            f = t.fields
            if t.has_member:
                status = MemberStatus.FULL if f["full_on"] else MemberStatus.PROBATIONARY
                p = p._replace(status=status, joined_on=f["admitted_on"], full_on=f["full_on"], mobile=None)
                member_id = w.add_member(org_id, person_id, p)
                if status == MemberStatus.FULL:
                    full.append((member_id, p))
            case_id = self.case.take_id()
            self.case.add(
                (case_id, person_id, org_id, t.version, f["status"], f["stage"], f["next_step"],
                 f["next_earliest"], f["next_due"], t.applied_on, f["activist_on"], f["candidate_on"],
                 f["admitted_on"], f["approved_on"], f["probation_ends_on"], f["full_on"], member_id, "",
                 w.source, now, now)
            )  # fmt: skip
            start = rng.randrange(max(1, len(full)))
            picks = [full[(start + k) % len(full)] for k in range(min(4, len(full)))]
            version = R.VERSIONS[t.version]
            for code, d in t.steps:
                step_id = self.step.take_id()
                by_higher = version.step(code).by_higher
                named = picks[:2] if code == "contacts" else picks[2:4] if code == "sponsors" else []
                ids_named = [pk for pk, _ in named]
                data = step_data(code, d, t.version, len(full), ids_named, ids_named)
                if named:
                    data["names"] = [m.name for _, m in named]
                self.step.add(
                    (step_id, case_id, org_id, code, 1, d, True, HIGHER if by_higher else SECRETARY,
                     "", "", data, "", self.recorder, now)
                )  # fmt: skip
                kind = {"contacts": CaseContact.Kind.CONTACT, "sponsors": CaseContact.Kind.SPONSOR}.get(code)
                for pk, _ in named:
                    self.contact.add((self.contact.take_id(), case_id, pk, kind, step_id))
