"""Reads of the joint branches, always through the scope layer, in a fixed number of queries however many
branches, posts and villages there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from dangjian.core.rules import REGISTRY, rule_values
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.villages.models import CommitteeKind, Post, PostKind, current_holder_q

from .choices import PostKind as JointKind
from .choices import Power
from .models import JointPost
from .services import VILLAGE_KINDS

# Where each power is exercised in the platform, and the county rule that turns it on (None: no flow yet;
# the power is exercised as before, on paper, and the roster shows it as such).
POWERS: tuple[tuple[str, str | None, str], ...] = (
    (Power.APPRAISAL, "scoring.joint_appraisal", "考核评分：村级人工评分指标由联村党总支评议录入"),
    (Power.TEAM_ADJUSTMENT, None, ""),
    (Power.FIRST_REVIEW, "decisions.joint_first_review", "“四议两公开”：两委商议后由联村党总支初审"),
    (Power.SUPERVISION, None, ""),
    (Power.EMERGENCY, None, ""),
    (Power.GUIDANCE, None, ""),
    (Power.PRE_REVIEW, "development.joint_pre_review", "发展党员：支部委员会审查后由联村党总支预审"),
)


def _count(qs, column: str = "pk") -> Coalesce:
    return Coalesce(
        Subquery(
            qs.order_by().values("_k").annotate(n=Count(column)).values("n")[:1], output_field=IntegerField()
        ),
        Value(0),
    )


def joint_branches(user) -> Any:
    """The joint branches in the user's scope with their secretary and the size of their team."""
    current = JointPost.objects.filter(org=OuterRef("pk"), until__isnull=True).annotate(_k=Value(1))
    secretary = current.filter(kind=JointKind.SECRETARY).order_by("since")
    return (
        Org.objects.restrict(user, "view")
        .filter(kind=OrgKind.JOINT_BRANCH, archived_at__isnull=True)
        .select_related("parent")
        .annotate(
            secretary_name=Coalesce(Subquery(secretary.values("name")[:1]), Value("")),
            deputy_count=_count(current.filter(kind=JointKind.DEPUTY)),
            village_count=_count(
                Org.objects.filter(
                    path__startswith=OuterRef("path"), kind__in=VILLAGE_KINDS, archived_at__isnull=True
                ).annotate(_k=Value(1))
            ),
        )
    )


@dataclass
class Roster:
    joint: Org
    secretary: JointPost | None = None
    deputies: list[JointPost] = field(default_factory=list)
    villages: list[Org] = field(default_factory=list)
    members: list[tuple[Org, Post | None]] = field(default_factory=list)  # village, its branch secretary
    past: list[JointPost] = field(default_factory=list)
    powers: list[dict[str, Any]] = field(default_factory=list)

    @property
    def vacant_villages(self) -> list[Org]:
        return [v for v, p in self.members if p is None]


def rosters(user, joints: list[Org]) -> list[Roster]:
    """Each joint branch's team: secretary, deputies with the villages they look after, members (the
    villages' current branch secretaries), who served before, and which powers its county has turned on."""
    if not joints:
        return []
    by_id = {j.pk: Roster(joint=j) for j in joints}
    posts = (
        JointPost.objects.restrict(user, "view")
        .filter(org__in=list(by_id))
        .select_related("org")
        .prefetch_related("villages")
        .order_by("org_id", "kind", "since", "pk")
    )
    for p in posts:
        r = by_id[p.org_id]
        if p.until is not None:
            r.past.append(p)
        elif p.kind == JointKind.SECRETARY:
            r.secretary = p
        else:
            r.deputies.append(p)
    under = Q()
    for j in joints:
        under |= Q(path__startswith=j.path)
    villages = list(
        Org.objects.restrict(user, "view")
        .filter(under, kind__in=VILLAGE_KINDS, archived_at__isnull=True)
        .order_by("path")
    )
    holders = {
        p.org_id: p
        for p in Post.objects.restrict(user, "view")
        .filter(
            current_holder_q(),
            org__in=villages,
            kind=PostKind.SECRETARY,
            committee__kind=CommitteeKind.BRANCH,
        )
        .order_by("since")
    }
    paths = sorted(((j.path, j.pk) for j in joints), key=lambda t: -len(t[0]))
    for v in villages:
        owner = next(pk for path, pk in paths if v.path.startswith(path))
        by_id[owner].villages.append(v)
        by_id[owner].members.append((v, holders.get(v.pk)))
    ancestors = {i for j in joints for i in j.ancestor_ids()}
    county_ids = set(Org.objects.filter(pk__in=ancestors, kind=OrgKind.COUNTY).values_list("pk", flat=True))
    counties = {j.pk: next((i for i in j.ancestor_ids() if i in county_ids), None) for j in joints}
    values = {code: rule_values(code, set(counties.values())) for _, code, _ in POWERS if code}
    for r in by_id.values():
        county = counties[r.joint.pk]
        for power, code, where in POWERS:
            r.powers.append(
                {
                    "name": Power(power).label,
                    "code": code,
                    "on": bool(values[code][county]) if code else None,
                    "where": where or "平台暂无专门流程，按总支议事规则线下行使并在会议记录中体现",
                    "rule": REGISTRY[code].title if code else "",
                }
            )
    return [by_id[j.pk] for j in joints]
