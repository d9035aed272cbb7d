"""Scoped reads of member development: the board, the case page, deadlines and their rules.

Pages, the API and the checks share these, so "overdue" and "due soon" mean the same everywhere.
Every function reads a fixed number of queries, however many cases there are.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, QuerySet

from dangjian.core.dates import add_years
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.rules import REGISTRY, Rule
from dangjian.core.scope import path_q, scope_prefixes
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from . import rules as R
from .models import CaseStatus, CaseStep, DevelopmentCase, Stage

ACTIVE = (CaseStatus.OPEN, CaseStatus.PROBATION)
BRANCH_KINDS = (OrgKind.BRANCH, OrgKind.COMMUNITY)
BOARD_LIMIT = 2000  # cards on one board; beyond that the page asks for an org filter

# The rule behind each step's deadline (plan() computes the date; this names its source).
DEADLINE_RULES: dict[str, Rule] = {
    "talk": R.TALK_MONTHS,
    "pre_review": R.PRE_REVIEW_DAYS,
    "approval": R.APPROVAL_MONTHS,
    "conversion_application": R.PROBATION_YEARS,
    "conversion_assembly": R.CONVERSION_ASSEMBLY_MONTHS,
    "conversion_approval": R.CONVERSION_APPROVAL_MONTHS,
}
# The rule behind each step's earliest day.
EARLIEST_RULES: dict[str, Rule] = {
    "activist": R.ACTIVIST_WAIT_MONTHS,
    "candidate": R.ACTIVIST_YEARS,
    "candidate_publicity": R.ACTIVIST_YEARS,
    "conversion_application": R.CONVERSION_LEAD_DAYS,
    "conversion_assembly": R.PROBATION_YEARS,
}
# Other rules a step is checked against, shown beside its form.
CONTENT_RULES: dict[str, tuple[Rule, ...]] = {
    "application": (R.MIN_AGE,),
    "contacts": (R.CONTACTS_MIN, R.CONTACTS_MAX),
    "assessment": (R.ASSESSMENT_MONTHS,),
    "candidate_publicity": (R.PUBLICITY_DAYS_2026,),
    "sponsors": (R.SPONSORS,),
    "training": (R.TRAINING_DAYS, R.TRAINING_HOURS),
    "branch_assembly": (R.QUORUM, R.MAJORITY),
    "approval": (R.APPROVAL_MAX_MONTHS,),
    "conversion_assembly": (R.QUORUM, R.MAJORITY, R.EXTENSION_MIN_MONTHS, R.EXTENSION_MAX_MONTHS),
}


# --- rules in force per county, in one query ------------------------------------------------------


@dataclass(frozen=True)
class CountyRule:
    """A local rule's value everywhere at once: the default, and each county's own value by path."""

    default: Any
    overrides: tuple[tuple[str, Any], ...] = ()

    def for_path(self, path: str) -> Any:
        for prefix, value in self.overrides:
            if path.startswith(prefix):
                return value
        return self.default

    def q(self, lookup: str, build: Callable[[Any], Q]) -> Q:
        """`build(value)` applied to the rows under each county, with the default elsewhere."""
        result, elsewhere = Q(), Q()
        for prefix, value in self.overrides:
            under = Q(**{f"{lookup}__startswith": prefix})
            result |= under & build(value)
            elsewhere &= ~under
        return result | (elsewhere & build(self.default))


def county_rules(codes: Iterable[str], today: datetime.date) -> dict[str, CountyRule]:
    codes = list(codes)
    found: dict[str, list[tuple[str, Any]]] = {c: [] for c in codes}
    wanted = [c for c in codes if REGISTRY[c].overridable]
    if wanted:
        rows = RuleOverride.objects.filter(code__in=wanted, effective_from__lte=today).values_list(
            "code", "county__path", "value"
        )
        for code, path, value in rows:
            found[code].append((path, int(value)))
    return {c: CountyRule(int(REGISTRY[c].value), tuple(found[c])) for c in codes}


# --- what the user may see and act on ---------------------------------------------------------------


def cases(user: Any, action: str = "view") -> QuerySet[DevelopmentCase]:
    return DevelopmentCase.objects.restrict(user, action).select_related("person", "org")


def dev_orgs(user: Any, action: str, kinds: Iterable[str] = BRANCH_KINDS) -> QuerySet[Org]:
    """Open orgs of `kinds` where the development policy lets the user `action` (a village secretary
    may open a case in her branch although she may not add orgs to it)."""
    qs = Org.objects.filter(kind__in=list(kinds), archived_at__isnull=True).order_by("path")
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return qs.none()
    if user.is_superuser:
        return qs
    prefixes = scope_prefixes(user, DevelopmentCase.scope.roles_for(action))
    return qs.filter(path_q("path", prefixes)) if prefixes else qs.none()


def org_choices(user: Any, limit: int = 500) -> list[tuple[int, str]]:
    """Orgs to filter by (a subtree each), indented by depth."""
    kinds = [k for k in OrgKind.values if k != OrgKind.GROUP]
    orgs = list(dev_orgs(user, "view", kinds).values_list("pk", "name", "depth")[:limit])
    top = min((d for _, _, d in orgs), default=0)
    return [(pk, "\u3000" * (depth - top) + name) for pk, name, depth in orgs]


def subtree_path(user: Any, org_id: Any) -> str | None:
    """The path of an org the user may see, or None (then a filter by it shows nothing)."""
    try:
        pk = int(org_id)
    except (TypeError, ValueError):
        return None
    return Org.objects.restrict(user).filter(pk=pk).values_list("path", flat=True).first()


# --- deadlines ---------------------------------------------------------------------------------------


def due_state(due: datetime.date | None, today: datetime.date, window: int) -> str:
    """red overdue, amber within the warning window, green otherwise; "" without a deadline."""
    if due is None:
        return ""
    if due < today:
        return "overdue"
    if due <= today + datetime.timedelta(days=window):
        return "due_soon"
    return "ok"


def deadline_rule(case: DevelopmentCase) -> Rule | None:
    """The rule that sets the case's current deadline. Between activist and candidate the half-yearly
    assessment is what falls due (plan() takes the earlier date)."""
    if not case.next_step:
        return None
    if case.activist_on and not case.candidate_on:
        return R.ASSESSMENT_MONTHS
    extra = R.VERSIONS[case.rule_version].extra_deadlines.get(case.next_step)
    return extra[1] if extra else DEADLINE_RULES.get(case.next_step)


def step_rules(version: str, code: str) -> list[Rule]:
    """Every rule that governs taking step `code` under `version`, for the form's "依据" line."""
    found: list[Rule] = []
    extra = R.VERSIONS[version].extra_deadlines.get(code)
    candidates = [EARLIEST_RULES.get(code), DEADLINE_RULES.get(code), extra[1] if extra else None]
    if code == "candidate" and version == "2014":
        candidates.append(R.PUBLICITY_DAYS)
    for rule in [*candidates, *CONTENT_RULES.get(code, ())]:
        if rule is not None and rule not in found:
            found.append(rule)
    return found


# --- the board ---------------------------------------------------------------------------------------


@dataclass
class Card:
    case: DevelopmentCase
    title: str
    state: str


@dataclass
class BranchBoard:
    org: Org
    columns: list[tuple[str, list[Card]]]
    count: int = 0


@dataclass
class Board:
    branches: list[BranchBoard] = field(default_factory=list)
    overdue: list[Card] = field(default_factory=list)
    due_soon: list[Card] = field(default_factory=list)
    quiet: list[Org] = field(default_factory=list)
    truncated: bool = False
    window: int = 0
    quiet_years: int = 0


STATUS_FILTERS = {
    "active": ACTIVE,
    CaseStatus.OPEN: (CaseStatus.OPEN,),
    CaseStatus.PROBATION: (CaseStatus.PROBATION,),
    CaseStatus.FULL: (CaseStatus.FULL,),
    CaseStatus.STOPPED: (CaseStatus.STOPPED,),
    "all": tuple(CaseStatus.values),
}


def board(user: Any, today: datetime.date, org_id: Any = None, status: str = "active") -> Board:
    """Cases by branch and stage, the overdue and due-soon lists, and the branches that have admitted
    no one for years: four queries whatever the number of cases."""
    rules = county_rules([R.DUE_SOON_DAYS.code, R.NO_ADMISSION_YEARS.code], today)
    window = rules[R.DUE_SOON_DAYS.code]
    qs = cases(user).filter(status__in=STATUS_FILTERS.get(status, ACTIVE))
    under = None
    if org_id:
        under = subtree_path(user, org_id) or "-"  # an org not visible shows nothing
        qs = qs.filter(org__path__startswith=under)
    rows = list(qs.order_by("org__path", "stage", "next_due", "pk")[: BOARD_LIMIT + 1])
    result = Board(
        truncated=len(rows) > BOARD_LIMIT,
        window=window.default,
        quiet_years=rules[R.NO_ADMISSION_YEARS.code].default,
    )
    by_org: dict[int, BranchBoard] = {}
    for case in rows[:BOARD_LIMIT]:
        state = due_state(case.next_due, today, window.for_path(case.org.path))
        card = Card(case, R.step_title(case.rule_version, case.next_step) if case.next_step else "", state)
        branch = by_org.get(case.org_id)
        if branch is None:
            branch = by_org[case.org_id] = BranchBoard(case.org, [(label, []) for label in Stage.labels])
            result.branches.append(branch)
        branch.columns[Stage.values.index(case.stage)][1].append(card)
        branch.count += 1
        if case.status in ACTIVE and state == "overdue":
            result.overdue.append(card)
        elif case.status in ACTIVE and state == "due_soon":
            result.due_soon.append(card)
    result.overdue.sort(key=lambda c: c.case.next_due)
    result.due_soon.sort(key=lambda c: c.case.next_due)
    result.quiet = no_admission(user, today, under=under, rule=rules[R.NO_ADMISSION_YEARS.code])
    return result


def no_admission(
    user: Any, today: datetime.date, *, under: str | None = None, rule: CountyRule | None = None
) -> list[Org]:
    """Branches and communities in scope whose newest member joined at least the rule's number of
    years ago, or that have none; each with `last_joined`. One query (two without `rule`)."""
    rule = rule or county_rules([R.NO_ADMISSION_YEARS.code], today)[R.NO_ADMISSION_YEARS.code]
    qs = dev_orgs(user, "view")
    if under:
        qs = qs.filter(path__startswith=under)
    qs = qs.annotate(last_joined=Max("members__joined_on")).filter(
        rule.q(
            "path",
            lambda years: Q(last_joined__isnull=True) | Q(last_joined__lte=add_years(today, -int(years))),
        )
    )
    return list(qs.order_by("path"))


# --- the case page -----------------------------------------------------------------------------------

RESULT_LABELS = {"passed": "合格", "failed": "不合格", "approved": "批准", "rejected": "不批准"}
OUTCOME_LABELS = {"convert": "按期转正", "extend": "延长预备期", "cancel": "取消预备党员资格"}


def summary(step: CaseStep, groups: dict[int, str]) -> str:
    """What a step's data says, as a clerk would write it in the ledger."""
    d = step.data or {}
    parts: list[str] = []
    if d.get("decided_by"):
        parts.append(f"决定机构：{d['decided_by']}")
    if d.get("names"):
        parts.append("、".join(d["names"]))
    if d.get("publicity_from"):
        parts.append(f"公示 {d['publicity_from']} 至 {d.get('publicity_to', '')}")
    if step.code in ("branch_assembly", "conversion_assembly") and "entitled" in d:
        parts.append(
            f"应到{d['entitled']}人，实到{d.get('present', 0)}人；赞成{d.get('in_favour', 0)}、"
            f"反对{d.get('against', 0)}、弃权{d.get('abstain', 0)}"
        )
    if d.get("outcome"):
        months = f"{d['months']}个月" if d.get("outcome") == "extend" and d.get("months") else ""
        parts.append(OUTCOME_LABELS.get(d["outcome"], d["outcome"]) + months)
    if d.get("result"):
        parts.append(RESULT_LABELS.get(d["result"], str(d["result"])))
    if d.get("days") or d.get("hours"):
        parts.append(f"{d.get('days') or 0}天、{d.get('hours') or 0}学时")
    if d.get("group"):
        parts.append(f"党小组：{groups.get(int(d['group']), d['group'])}")
    if step.code in ("branch_assembly", "conversion_assembly") and not step.passed:
        parts.append("未通过")
    return "；".join(str(p) for p in parts)


@dataclass
class StepRow:
    """One step of the version, with every row recorded for it (superseded ones included)."""

    code: str
    stage: int
    title: str
    article: str
    by_higher: bool
    records: list[CaseStep]
    state: str  # done, next, allowed, pending
    joint: bool = False


def step_rows(case: DevelopmentCase, allowed: frozenset[str]) -> list[StepRow]:
    """All steps of the case's version in order, each with its records, documents and summaries."""
    version = R.VERSIONS[case.rule_version]
    steps = list(
        case.steps.select_related("superseded_by", "recorded_by")
        .prefetch_related("documents")
        .order_by("done_on", "pk")
    )
    groups = dict(Org.objects.filter(parent=case.org_id, kind=OrgKind.GROUP).values_list("pk", "name"))
    by_code: dict[str, list[CaseStep]] = {}
    for s in steps:
        s.summary = summary(s, groups)
        by_code.setdefault(s.code, []).append(s)
    from .services import joint_reviewer

    joint = any(d.joint for d in version.steps) and joint_reviewer(case) is not None
    rows = []
    for d in version.steps:
        records = by_code.get(d.code, [])
        if d.joint and not joint and not records:
            continue
        if d.code == case.next_step:
            state = "next"
        elif d.code in allowed:
            state = "allowed"
        elif any(r.superseded_by_id is None for r in records):
            state = "done"
        else:
            state = "pending"
        rows.append(StepRow(d.code, d.stage, d.title, d.article, d.by_higher, records, state, d.joint))
    return rows


def branch_full_members(user: Any, case: DevelopmentCase) -> QuerySet[Member]:
    """Who may cultivate or sponsor: full members of the branch in normal standing."""
    return (
        Member.objects.restrict(user)
        .filter(org=case.org_id, status=MemberStatus.FULL, standing=Standing.NORMAL)
        .select_related("person")
        .order_by("person__name_pinyin")
    )


def branch_groups(case: DevelopmentCase) -> QuerySet[Org]:
    return Org.objects.filter(parent=case.org_id, kind=OrgKind.GROUP, archived_at__isnull=True).order_by(
        "sort_order", "name"
    )


def case_history(user: Any, case: DevelopmentCase, limit: int = 30) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.restrict(user).filter(
        object_type="development.developmentcase", object_id=str(case.pk)
    )[:limit]
