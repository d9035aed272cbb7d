"""The only writer of the scoring app: one function per thing a person does, each validating, checking the
permission, writing in one transaction and leaving its audit row (before → after).

Scores roll up into results (`rebuild_results`) whichever way they were made, so a manual score changes the
ranking at once; computed scores are replaced as a whole for their period."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dangjian.core import audit
from dangjian.core.audit import snapshot
from dangjian.core.errors import DomainError, DomainErrors
from dangjian.core.rules import rule_value
from dangjian.core.scope import can, require, scope_prefixes
from dangjian.meetings.compliance import Period
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org
from dangjian.orgs.services import joint_branch_of, speaks_for

from . import indicators as I
from . import rules as R
from .choices import LEVEL_KINDS, RANKED, AwardKind, Cadence, Level, Method, Nature, PeriodStatus, Rollup
from .models import (
    AssessmentPeriod,
    Award,
    Indicator,
    IndicatorSet,
    Result,
    Score,
    Scorecard,
    ScorecardRead,
)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
KIND_LEVEL = {kind: level for level in RANKED for kind in LEVEL_KINDS[level]}


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


# --- periods --------------------------------------------------------------------------------------------


def parse_period(text: Any, today: datetime.date | None = None) -> Period:
    """`2026-11` (a month) or `2026` (a year); a period that has not begun is refused."""
    today = today or timezone.localdate()
    try:
        period = Period.parse(str(text or "").strip())
    except (TypeError, ValueError) as exc:
        raise DomainError("考核期格式不正确：月度填“2026-11”，年度填“2026”。", "period") from exc
    if period.kind not in ("month", "year"):
        raise DomainError("考核期只能是月度（2026-11）或年度（2026）。", "period")
    if period.start > today:
        raise DomainError("考核期尚未开始。", "period")
    return period


# --- indicator sets (一定: targets set at the start) -----------------------------------------------------


def _decimal(value: Any, label: str, field: str, low: Decimal, high: Decimal) -> Decimal:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise DomainError(f"{label}应为数字。", field) from exc
    if not number.is_finite() or not low <= number <= high:
        raise DomainError(f"{label}应在{low}到{high}之间。", field)
    return q2(number)


def _indicator(row: dict[str, Any], n: int) -> Indicator:
    where = f"第{n}项指标"
    code = str(row.get("code") or "").strip()
    name = str(row.get("name") or "").strip()
    if not code or len(code) > 20:
        raise DomainError(f"{where}：请填写编码（20字以内）。", "indicators")
    if not name or len(name) > 100:
        raise DomainError(f"{where}：请填写指标名称（100字以内）。", "indicators")
    level = str(row.get("level") or "")
    if level not in Level.values:
        raise DomainError(f"{where}“{name}”：考核对象无效。", "indicators")
    cadence = str(row.get("cadence") or Cadence.MONTHLY)
    if cadence not in Cadence.values:
        raise DomainError(f"{where}“{name}”：周期应为月度或年度。", "indicators")
    weight = _decimal(row.get("weight"), f"{where}“{name}”的权重", "indicators", CENT, Decimal(1000))
    target = _decimal(row.get("target", 100), f"{where}“{name}”的目标值", "indicators", CENT, HUNDRED)
    computation = str(row.get("computation") or "").strip()
    formula = str(row.get("formula") or "").strip()
    if computation:
        comp = I.describe(computation)
        if comp is None:
            raise DomainError(f"{where}“{name}”：没有名为“{computation}”的计算函数。", "indicators")
        if level not in comp.levels:
            raise DomainError(
                f"{where}“{name}”：“{comp.title}”不能用于考核{Level(level).label}。", "indicators"
            )
        formula = formula or comp.formula
        method = Method.COMPUTED
    else:
        if not formula:
            raise DomainError(f"{where}“{name}”：人工评分指标须写明评分标准（计分公式）。", "indicators")
        method = Method.MANUAL
    return Indicator(
        code=code,
        name=name,
        level=level,
        cadence=cadence,
        weight=weight,
        target=target,
        method=method,
        computation=computation,
        formula=formula[:300],
        sort_order=n,
    )


def validate_indicators(rows: Iterable[dict[str, Any]], total: Decimal) -> list[Indicator]:
    """The rows as unsaved Indicators; refused unless codes are unique and the weights add up to `total`."""
    built: list[Indicator] = []
    errors: list[DomainError] = []
    for n, row in enumerate(rows, start=1):
        try:
            built.append(_indicator(row, n))
        except DomainError as exc:
            errors.append(exc)
    if errors:
        raise DomainErrors(errors)
    if not built:
        raise DomainError("请至少设置一项考核指标。", "indicators")
    codes = [i.code for i in built]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise DomainError(f"指标编码重复：{'、'.join(dupes)}。", "indicators")
    weights = sum((i.weight for i in built), Decimal(0))
    if weights != total:
        raise DomainError(
            f"各项指标权重合计为{weights.normalize():f}分，应等于满分{total.normalize():f}分"
            f"（量化赋分：权重之和须等于本县满分）。",
            "weight",
        )
    return built


def create_set(
    actor: Any,
    county: Org,
    *,
    year: Any,
    title: str = "",
    rollup: str = Rollup.OWN_PLUS,
    indicators: Iterable[dict[str, Any]],
    today: datetime.date | None = None,
) -> IndicatorSet:
    """A county's indicators for a year, set before the year's scoring (一定二考三有: 定目标)."""
    if county.kind != "county":
        raise DomainError("考核指标体系按县设置。", "county")
    probe = IndicatorSet(county=county)
    require(actor, "add", probe)
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise DomainError("请填写考核年度。", "year") from exc
    if not 2000 <= year <= today.year + 1:
        raise DomainError(f"考核年度应在2000年到{today.year + 1}年之间。", "year")
    if rollup not in Rollup.values:
        raise DomainError("汇总方法无效。", "rollup")
    if IndicatorSet.objects.filter(county=county, year=year).exists():
        raise DomainError(f"{county.name}{year}年的考核指标体系已经建立。", "year")
    total = q2(Decimal(str(rule_value(R.TOTAL.code, county))))
    built = validate_indicators(indicators, total)
    with transaction.atomic():
        s = IndicatorSet.objects.create(
            county=county,
            year=year,
            title=(title or f"{county.name}{year}年度基层党建考核指标").strip()[:100],
            total=total,
            rollup=rollup,
            created_by=actor,
        )
        for i in built:
            i.indicator_set, i.county = s, county
        Indicator.objects.bulk_create(built)
        audit.record(
            actor, "scoring.set.create", s, org=county, after=snapshot(s) | {"indicators": _codes(built)}
        )
    return s


def _codes(items: Iterable[Indicator]) -> list[str]:
    return [f"{i.code}:{i.weight}" for i in items]


def replace_indicators(actor: Any, indicator_set: IndicatorSet, rows: Iterable[dict[str, Any]]) -> None:
    """Replace the set's indicators as a whole (weights are checked together); scores of a dropped
    indicator go with it."""
    require(actor, "change", indicator_set)
    built = validate_indicators(rows, indicator_set.total)
    with transaction.atomic():
        old = list(indicator_set.indicators.all())
        by_code = {i.code: i for i in old}
        keep = []
        for i in built:
            existing = by_code.get(i.code)
            i.indicator_set, i.county = indicator_set, indicator_set.county
            if existing is not None:
                i.pk = existing.pk
                keep.append(i.pk)
        Indicator.objects.filter(indicator_set=indicator_set).exclude(pk__in=keep).delete()
        for i in built:
            i.save()
        audit.record(
            actor,
            "scoring.set.indicators",
            indicator_set,
            org=indicator_set.county,
            before={"indicators": _codes(old)},
            after={"indicators": _codes(built)},
        )


def set_rollup(actor: Any, indicator_set: IndicatorSet, rollup: str) -> None:
    require(actor, "change", indicator_set)
    if rollup not in Rollup.values:
        raise DomainError("汇总方法无效。", "rollup")
    with transaction.atomic():
        before = snapshot(indicator_set)
        indicator_set.rollup = rollup
        indicator_set.save(update_fields=["rollup"])
        audit.record(
            actor,
            "scoring.set.rollup",
            indicator_set,
            org=indicator_set.county,
            before=before,
            after=snapshot(indicator_set),
        )
        for period in AssessmentPeriod.objects.filter(indicator_set=indicator_set).values_list(
            "period", flat=True
        ):
            rebuild_results(indicator_set, period)


# --- scores ---------------------------------------------------------------------------------------------


def points_for(indicator: Indicator, value: Decimal | None) -> Decimal:
    """weight × min(value ÷ target, 1); nothing due (None) earns the full weight."""
    if value is None:
        return indicator.weight
    return q2(indicator.weight * min(value / indicator.target, Decimal(1)))


def _units(county: Org) -> dict[int, I.Unit]:
    rows = Org.objects.filter(path__startswith=county.path, archived_at__isnull=True).values_list(
        "pk", "name", "path", "kind", "parent_id"
    )
    return {r[0]: I.Unit(*r) for r in rows}


def _cadence(period: Period) -> str:
    return Cadence.MONTHLY if period.kind == "month" else Cadence.ANNUAL


def compute(
    actor: Any, indicator_set: IndicatorSet, period: Any, today: datetime.date | None = None
) -> AssessmentPeriod:
    """Run every computed indicator of the period's cadence for all orgs of its level (月考评/年考核), keep
    the manual scores already entered, and rebuild the results and ranks."""
    require(actor, "change", indicator_set)
    today = today or timezone.localdate()
    p = parse_period(period, today)
    if p.year != indicator_set.year:
        raise DomainError(f"考核期应在{indicator_set.year}年内。", "period")
    county = indicator_set.county
    ap = AssessmentPeriod.objects.filter(indicator_set=indicator_set, period=p.key).first()
    if ap is not None and ap.status == PeriodStatus.CLOSED:
        raise DomainError(f"{p.label}考核结果已确定，不能重新计算。", "period")
    units = _units(county)
    ctx = I.Context(county=county, period=p, today=today, units=units)
    rows: list[Score] = []
    for ind in indicator_set.indicators.filter(method=Method.COMPUTED, cadence=_cadence(p)):
        level_units = [u for u in units.values() if u.kind in LEVEL_KINDS.get(ind.level, ())]
        if not level_units:
            continue
        for pk, c in I.COMPUTATIONS[ind.computation].run(ctx, level_units).items():
            rows.append(
                Score(
                    indicator=ind,
                    org_id=pk,
                    county=county,
                    period=p.key,
                    value=c.value,
                    points=points_for(ind, c.value),
                    numerator=c.numerator,
                    denominator=c.denominator,
                    note=(c.note if c.value is not None else f"{c.note}（本期无应达事项，记满分）")[:300],
                    details=c.details,
                    method=Method.COMPUTED,
                )
            )
    with transaction.atomic():
        Score.objects.filter(
            indicator__indicator_set=indicator_set, period=p.key, method=Method.COMPUTED
        ).delete()
        Score.objects.bulk_create(rows, batch_size=500)
        ap, _ = AssessmentPeriod.objects.get_or_create(
            indicator_set=indicator_set, period=p.key, defaults={"county": county}
        )
        ap.computed_at = timezone.now()
        ap.save(update_fields=["computed_at"])
        count = rebuild_results(indicator_set, p.key)
        audit.record(
            actor,
            "scoring.compute",
            ap,
            org=county,
            after={"period": p.key, "scores": len(rows), "results": count},
        )
    return ap


def joint_appraisers(user: Any, county: Org) -> list[Org]:
    """The joint branches `user` holds a role on in `county`, where the county gives joint branches the
    appraisal of their villages (干部考核评议权, seed 004); empty otherwise."""
    if not rule_value(R.JOINT_APPRAISAL.code, county):
        return []
    return [
        r.org
        for r in user.roles.select_related("org")
        if r.org.kind == OrgKind.JOINT_BRANCH and r.org.path.startswith(county.path)
    ]


def appraising_joint(actor: Any, indicator: Indicator, org: Org) -> Org | None:
    """The joint branch through which `actor` scores `org` on `indicator`: a village-level indicator, a
    county that gives the appraisal, and the village's own joint branch (or the county) speaking."""
    if indicator.level != Level.BRANCH or not rule_value(R.JOINT_APPRAISAL.code, indicator.county):
        return None
    joint = joint_branch_of(org)
    return joint if joint is not None and speaks_for(actor, joint) else None


def manual_choices(user: Any, indicator_set: IndicatorSet) -> tuple[Any, Any]:
    """(indicators, orgs) `user` may score by hand in a set: the office every manual indicator within its
    scope; a joint branch with the appraisal, the village-level ones of its own villages; nobody else any."""
    manual = indicator_set.indicators.filter(method=Method.MANUAL)
    orgs = Org.objects.restrict(user, "view").filter(
        path__startswith=indicator_set.county.path, archived_at__isnull=True
    )
    if user.is_superuser or scope_prefixes(user, Score.scope.tree_roles("change")):
        kinds = {k for i in manual for k in LEVEL_KINDS.get(i.level, ())}
        return manual, orgs.filter(kind__in=kinds)
    joints = joint_appraisers(user, indicator_set.county)
    if not joints:
        return manual.none(), orgs.none()
    under = Q()
    for joint in joints:
        under |= Q(path__startswith=joint.path)
    return manual.filter(level=Level.BRANCH), orgs.filter(under, kind__in=LEVEL_KINDS[Level.BRANCH])


def enter_score(
    actor: Any,
    indicator: Indicator,
    org: Org,
    *,
    period: Any,
    value: Any,
    evidence: Any,
    today: datetime.date | None = None,
) -> Score:
    """A manual score (人工评分): refused without evidence; results and ranks follow at once."""
    today = today or timezone.localdate()
    if indicator.method != Method.MANUAL:
        raise DomainError(f"“{indicator.name}”由系统计算，不能人工评分。", "indicator")
    p = parse_period(period, today)
    when = "某月（如2026-11）" if indicator.cadence == Cadence.MONTHLY else "全年"
    if p.year != indicator.indicator_set.year or _cadence(p) != indicator.cadence:
        raise DomainError(
            f"“{indicator.name}”是{indicator.get_cadence_display()}指标，考核期应为"
            f"{indicator.indicator_set.year}年的{when}。",
            "period",
        )
    if org.kind not in LEVEL_KINDS.get(indicator.level, ()) or not org.path.startswith(indicator.county.path):
        raise DomainError(
            f"“{indicator.name}”考核{indicator.get_level_display()}，所选组织不在考核范围内。", "org"
        )
    score = Score.objects.filter(indicator=indicator, org=org, period=p.key).first() or Score(
        indicator=indicator, org=org, county=indicator.county, period=p.key, method=Method.MANUAL
    )
    joint = None if can(actor, "change", score) else appraising_joint(actor, indicator, org)
    if joint is None:
        require(actor, "change", score)
    if indicator.level in (Level.TOWNSHIP, Level.STAFF) and not can(actor, "change", indicator):
        raise DomainError("乡镇及党建办人员的指标由县委组织部评分。", "org")
    number = _decimal(value, "完成值", "value", Decimal(0), HUNDRED)
    evidence = str(evidence or "").strip()
    need = int(rule_value(R.MANUAL_EVIDENCE_MIN.code))
    if len(evidence) < need:
        raise DomainError(
            f"人工评分须附评分依据（至少{need}个字，写明材料、检查记录或扣分事由），没有依据的评分不予登记。",
            "evidence",
        )
    with transaction.atomic():
        before = snapshot(score) if score.pk else None
        score.value, score.points = number, points_for(indicator, number)
        score.evidence, score.entered_by = evidence[:2000], actor
        score.note = f"人工评分：完成{number.normalize():f}%，目标{indicator.target.normalize():f}%"
        if joint is not None:
            score.note = f"{joint.name}评议（干部考核评议权）：" + score.note.removeprefix("人工评分：")
        score.details = []
        score.save()
        AssessmentPeriod.objects.get_or_create(
            indicator_set=indicator.indicator_set, period=p.key, defaults={"county": indicator.county}
        )
        rebuild_results(indicator.indicator_set, p.key)
        audit.record(actor, "scoring.score.manual", score, org=org, before=before, after=snapshot(score))
    return score


# --- roll-up and ranks ----------------------------------------------------------------------------------


@dataclass
class Node:
    unit: I.Unit
    level: str
    points: Decimal = Decimal(0)
    own: Decimal | None = None
    score: Decimal | None = None
    branches: int = 0
    counts: dict[str, list[int]] | None = None


def level_weights(indicators: Iterable[Indicator]) -> dict[str, Decimal]:
    """Weight of the indicators scoring each ranked level (office staff count at the township)."""
    out: dict[str, Decimal] = defaultdict(Decimal)
    for i in indicators:
        out[Level.TOWNSHIP if i.level == Level.STAFF else i.level] += i.weight
    return out


def roll_up(
    method: str, own: Decimal | None, children: list[tuple[Decimal, int]], share: Decimal
) -> Decimal | None:
    """A parent's score from its own score (rescaled to the total) and its children's (score, branches).

    weighted: children's mean weighted by the branches below each (a big unit weighs more);
    average: children's plain mean (each child counts once);
    own_plus: own × share + children's mean × (1 − share), share being the own level's part of the weights
    below it — the own score plus the children's average, which does not favour big units."""
    if not children:
        return own
    if method == Rollup.WEIGHTED:
        weight = sum(n for _, n in children)
        if weight:
            return q2(sum(s * n for s, n in children) / weight)
    mean = sum(s for s, _ in children) / len(children)
    if method == Rollup.OWN_PLUS and own is not None:
        return q2(own * share + mean * (1 - share))
    return q2(mean)


def rebuild_results(indicator_set: IndicatorSet, period: str) -> int:
    """Results and ranks of every org of the county for the period, from its scores (a few queries)."""
    county = indicator_set.county
    total = indicator_set.total
    p = Period.parse(period)
    cadence = _cadence(p)
    inds = [i for i in indicator_set.indicators.all() if i.cadence == cadence]
    if not inds:
        return 0
    weights = level_weights(inds)
    units = _units(county)
    nodes: dict[int, Node] = {}
    for u in units.values():
        level = KIND_LEVEL.get(u.kind)
        if level is not None:
            nodes[u.pk] = Node(u, level, counts={})
    for org_id, pts in Score.objects.filter(
        indicator__indicator_set=indicator_set, period=period
    ).values_list("org_id", "points"):
        node = nodes.get(org_id)
        if node is not None:
            node.points += pts
    for node in nodes.values():
        w = weights.get(node.level)
        node.own = q2(node.points / w * total) if w else None
    children: dict[int, list[Node]] = defaultdict(list)
    for node in nodes.values():
        parent = _ranked_parent(node.unit, units, nodes)
        if parent is not None:
            children[parent].append(node)
    below = _weights_below(weights)
    for level in reversed(RANKED):
        for node in (n for n in nodes.values() if n.level == level):
            kids = [(k.score, k.branches) for k in children[node.unit.pk] if k.score is not None]
            node.branches = 1 if level == Level.BRANCH else sum(k.branches for k in children[node.unit.pk])
            share = weights.get(level, Decimal(0)) / below[level] if below[level] else Decimal(0)
            node.score = roll_up(indicator_set.rollup, node.own, kids, share)
    prev = _previous_ranks(indicator_set, p)
    notes = _notes(indicator_set, period, units, nodes)
    rows = []
    groups: dict[tuple[str, int], list[Node]] = defaultdict(list)
    for node in nodes.values():
        if node.score is not None:
            groups[(node.level, _group_of(node, units))].append(node)
    for (level, group), members in groups.items():
        members.sort(key=lambda n: (-n.score, n.unit.path))
        rank = 0
        last = None
        for i, node in enumerate(members, start=1):
            if node.score != last:
                rank, last = i, node.score
            rows.append(
                Result(
                    indicator_set=indicator_set,
                    org_id=node.unit.pk,
                    county=county,
                    group_id=group,
                    period=period,
                    level=level,
                    own=node.own,
                    score=node.score,
                    rank=rank,
                    rank_prev=prev.get(node.unit.pk),
                    peers=len(members),
                    note=notes.get(node.unit.pk, "")[:500],
                )
            )
    with transaction.atomic():
        Result.objects.filter(indicator_set=indicator_set, period=period).delete()
        Result.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _ranked_parent(unit: I.Unit, units: dict[int, I.Unit], nodes: dict[int, Node]) -> int | None:
    parent = unit.parent_id
    while parent is not None and parent in units:
        if parent in nodes:
            return parent
        parent = units[parent].parent_id
    return None


def _group_of(node: Node, units: dict[int, I.Unit]) -> int:
    """Townships rank within their county; stations and branches within their township."""
    want = "county" if node.level == Level.TOWNSHIP else "township"
    parent = node.unit.parent_id
    while parent is not None and parent in units:
        if units[parent].kind == want:
            return parent
        parent = units[parent].parent_id
    return next(u.pk for u in units.values() if u.kind == "county")


def _weights_below(weights: dict[str, Decimal]) -> dict[str, Decimal]:
    out, acc = {}, Decimal(0)
    for level in reversed(RANKED):
        acc += weights.get(level, Decimal(0))
        out[level] = acc
    return out


def _previous_ranks(indicator_set: IndicatorSet, p: Period) -> dict[int, int]:
    """Ranks of the month before (within the set's year, or the previous year's set for January)."""
    if p.kind != "month":
        return {}
    before = p.previous()
    return dict(
        Result.objects.filter(
            county=indicator_set.county, period=before.key, indicator_set__year=before.year
        ).values_list("org_id", "rank")
    )


def _notes(
    indicator_set: IndicatorSet, period: str, units: dict[int, I.Unit], nodes: dict[int, Node]
) -> dict:
    """The context beside each rank (本月应开会议12次，未开3次): per computed indicator, the counts of the
    org's own score, else of the nearest level below it that has one (each already covers its subtree)."""
    found: dict[int, dict[str, tuple[int, list[int]]]] = defaultdict(dict)
    for org_id, code, num, den in Score.objects.filter(
        indicator__indicator_set=indicator_set,
        period=period,
        method=Method.COMPUTED,
        denominator__isnull=False,
    ).values_list("org_id", "indicator__computation", "numerator", "denominator"):
        depth = len(units[org_id].path) if org_id in units else 0
        pk: int | None = org_id
        while pk is not None and pk in units:
            if pk in nodes:
                best = found[pk].get(code)
                if best is None or depth < best[0]:
                    found[pk][code] = (depth, [num or 0, den or 0])
                elif depth == best[0]:
                    best[1][0] += num or 0
                    best[1][1] += den or 0
            pk = units[pk].parent_id
    out = {}
    for pk, by_code in found.items():
        parts = []
        for code, (_, (num, den)) in sorted(by_code.items()):
            if den:
                template = NOTE_TEMPLATES.get(code, "{code}：应达{den}，未达{miss}")
                parts.append(template.format(code=code, den=den, miss=den - num))
        out[pk] = "；".join(parts)
    return out


NOTE_TEMPLATES = {
    "meetings.held_rate": "应开会议{den}次，未开{miss}次",
    "tasks.on_time": "到期任务{den}项，未按期{miss}项",
    "cases.closed_on_time": "办结{den}件，逾期{miss}件",
    "cases.whistle_answer": "吹哨{den}次，未按时响应{miss}次",
    "cases.whistle_solved": "吹哨{den}次，未按期解决{miss}次",
    "development.pipeline": "在培养{den}人，步骤逾期{miss}人",
    "office.contact_coverage": "支部{den}个，缺定点联系{miss}个",
    "office.field_days": "应达标{den}人周，未达标{miss}人周",
}


def close_year(
    actor: Any, indicator_set: IndicatorSet, today: datetime.date | None = None
) -> AssessmentPeriod:
    """The annual result (年考核): the mean of the months' results, combined by weight with the annual
    indicators' result where the set has annual indicators; ranks follow; the year is then closed."""
    require(actor, "change", indicator_set)
    today = today or timezone.localdate()
    year = str(indicator_set.year)
    compute(actor, indicator_set, year, today)
    inds = list(indicator_set.indicators.all())
    monthly = sum((i.weight for i in inds if i.cadence == Cadence.MONTHLY), Decimal(0))
    annual = sum((i.weight for i in inds if i.cadence == Cadence.ANNUAL), Decimal(0))
    months: dict[int, list[Result]] = defaultdict(list)
    for r in Result.objects.filter(indicator_set=indicator_set, period__startswith=f"{year}-").order_by(
        "period"
    ):
        months[r.org_id].append(r)
    with transaction.atomic():
        yearly = {r.org_id: r for r in Result.objects.filter(indicator_set=indicator_set, period=year)}
        for org_id, rows in months.items():
            mean = sum(r.score for r in rows) / len(rows)
            r = yearly.get(org_id)
            if r is None:
                last = rows[-1]
                r = yearly[org_id] = Result(
                    indicator_set=indicator_set,
                    org_id=org_id,
                    county=last.county,
                    group_id=last.group_id,
                    period=year,
                    level=last.level,
                    score=q2(mean),
                    rank=0,
                    peers=0,
                    note=last.note,
                )
            elif annual:
                r.score = q2((mean * monthly + r.score * annual) / (monthly + annual))
            else:
                r.score = q2(mean)
        results = list(yearly.values())
        _rerank(results)
        Result.objects.filter(indicator_set=indicator_set, period=year).delete()
        for r in results:
            r.pk = None
        Result.objects.bulk_create(results, batch_size=500)
        ap = AssessmentPeriod.objects.get(indicator_set=indicator_set, period=year)
        ap.status, ap.closed_at = PeriodStatus.CLOSED, timezone.now()
        ap.save(update_fields=["status", "closed_at"])
        audit.record(actor, "scoring.close_year", ap, org=indicator_set.county, after={"period": year})
    return ap


def _rerank(results: list[Result]) -> None:
    groups: dict[tuple[str, int], list[Result]] = defaultdict(list)
    for r in results:
        groups[(r.level, r.group_id)].append(r)
    for members in groups.values():
        members.sort(key=lambda r: (-r.score, r.org_id))
        last, rank = None, 0
        for i, r in enumerate(members, start=1):
            if r.score != last:
                rank, last = i, r.score
            r.rank, r.peers = rank, len(members)


# --- the scorecard (晒成绩单) ------------------------------------------------------------------------------


def publish_scorecard(
    actor: Any,
    indicator_set: IndicatorSet,
    *,
    period: Any,
    comment: str = "",
    today: datetime.date | None = None,
) -> Scorecard:
    require(actor, "change", indicator_set)
    p = parse_period(period, today)
    if not Result.objects.filter(indicator_set=indicator_set, period=p.key).exists():
        raise DomainError(f"{p.label}尚无考核结果，请先计算得分再晾晒成绩单。", "period")
    if Scorecard.objects.filter(indicator_set=indicator_set, period=p.key).exists():
        raise DomainError(f"{p.label}成绩单已经晾晒。", "period")
    comment = str(comment or "").strip()
    if len(comment) > 3000:
        raise DomainError("讲评不超过3000字。", "comment")
    with transaction.atomic():
        card = Scorecard.objects.create(
            indicator_set=indicator_set,
            county=indicator_set.county,
            period=p.key,
            title=f"{indicator_set.county.name}{p.label}基层党建工作成绩单",
            comment=comment,
            published_at=timezone.now(),
            published_by=actor,
        )
        audit.record(actor, "scoring.scorecard.publish", card, org=indicator_set.county, after=snapshot(card))
    return card


def sign_read(user: Any, scorecard: Scorecard) -> ScorecardRead:
    """The reader signs as having read the scorecard (阅知); once per person."""
    require(user, "view", scorecard)
    with transaction.atomic():
        read, created = ScorecardRead.objects.get_or_create(
            scorecard=scorecard, user=user, defaults={"read_at": timezone.now()}
        )
        if created:
            audit.record(
                user, "scoring.scorecard.read", scorecard, org=scorecard.county, after={"read": True}
            )
    return read


# --- rewards, penalties and honours (三有) -----------------------------------------------------------------


def record_award(
    actor: Any,
    org: Org,
    *,
    year: Any,
    kind: str,
    reason: str,
    nature: str | None = None,
    amount: Any = 0,
    person_name: str = "",
    result: Result | None = None,
    awarded_on: datetime.date | None = None,
) -> Award:
    county = _county_of(org)
    award = Award(org=org, county=county)
    require(actor, "add", award)
    if kind not in AwardKind.values:
        raise DomainError("奖惩类别无效。", "kind")
    nature = nature or (Nature.PENALTY if kind == AwardKind.PENALTY else Nature.REWARD)
    if nature not in Nature.values:
        raise DomainError("奖惩性质无效。", "nature")
    if kind == AwardKind.MODEL_STATION and org.kind not in LEVEL_KINDS[Level.STATION]:
        raise DomainError("党建示范站只能授予党建工作站。", "org")
    reason = str(reason or "").strip()
    if len(reason) < 4:
        raise DomainError("请写明奖惩事由和依据（如考核结果、表彰文件）。", "reason")
    try:
        year = int(year)
    except (TypeError, ValueError) as exc:
        raise DomainError("请填写年度。", "year") from exc
    money = _decimal(amount or 0, "奖励金额", "amount", Decimal(0), Decimal(10_000_000))
    with transaction.atomic():
        award.year, award.kind, award.nature, award.reason = year, kind, nature, reason[:300]
        award.amount, award.person_name = money, str(person_name or "").strip()[:40]
        award.result, award.awarded_on, award.created_by = result, awarded_on or timezone.localdate(), actor
        award.save()
        audit.record(actor, "scoring.award", award, org=org, after=snapshot(award))
    return award


def _county_of(org: Org) -> Org:
    if org.kind == "county":
        return org
    county = Org.objects.filter(kind="county", pk__in=org.ancestor_ids()).first()
    if county is None:
        raise DomainError("该组织不属于任何县。", "org")
    return county


def choose_model_stations(
    actor: Any, indicator_set: IndicatorSet, stations: list[Org], awarded_on: datetime.date | None = None
) -> list[Award]:
    """The year's model stations (示范站), each rewarded the county's amount (宜君县: 5 × 2万元)."""
    require(actor, "change", indicator_set)
    county = indicator_set.county
    most = int(rule_value(R.MODEL_STATIONS.code, county))
    amount = Decimal(str(rule_value(R.MODEL_STATION_REWARD.code, county)))
    if not stations:
        raise DomainError("请选择示范站。", "stations")
    already = Award.objects.filter(county=county, year=indicator_set.year, kind=AwardKind.MODEL_STATION)
    if already.count() + len(stations) > most:
        raise DomainError(f"本县每年表彰党建示范站不超过{most}个{_cite(R.MODEL_STATIONS)}。", "stations")
    results = {
        r.org_id: r
        for r in Result.objects.filter(
            indicator_set=indicator_set, period=str(indicator_set.year), org__in=stations
        )
    }
    out = []
    with transaction.atomic():
        for station in stations:
            r = results.get(station.pk)
            basis = f"，年度考核得分{r.score}分、乡镇内第{r.rank}名" if r else ""
            out.append(
                record_award(
                    actor,
                    station,
                    year=indicator_set.year,
                    kind=AwardKind.MODEL_STATION,
                    amount=amount,
                    reason=f"{indicator_set.year}年“七一”评比表彰党建示范站，集中授牌{basis}",
                    result=r,
                    awarded_on=awarded_on,
                )
            )
    return out


def _cite(rule) -> str:
    return f"（{rule.source}）"


def export_to_cadres(actor: Any, indicator_set: IndicatorSet, today: datetime.date | None = None) -> int:
    """Send each village secretary's annual grade to the pay module (cadres.record_assessment): the top
    share of branches by annual score are 优秀, the last one in each township 基本称职, others 称职."""
    from dangjian.cadres.choices import AssessmentGrade
    from dangjian.cadres.services import record_assessment
    from dangjian.villages.models import PostKind
    from dangjian.villages.selectors import current_posts

    require(actor, "change", indicator_set)
    year = str(indicator_set.year)
    results = list(
        Result.objects.filter(indicator_set=indicator_set, period=year, level=Level.BRANCH).select_related(
            "org"
        )
    )
    if not results:
        raise DomainError(f"{year}年尚无年度考核结果，请先确定年度结果。", "period")
    share = Decimal(str(rule_value(R.HONOUR_SHARE.code, indicator_set.county))) / HUNDRED
    secretaries = {
        org_id: (person_id, name)
        for org_id, person_id, name in current_posts([r.org_id for r in results])
        .filter(kind=PostKind.SECRETARY)
        .values_list("org_id", "person_id", "name")
    }
    sent = 0
    with transaction.atomic():
        for r in results:
            who = secretaries.get(r.org_id)
            if who is None or not who[1]:
                continue
            if r.rank <= max(1, int(r.peers * share)):
                grade = AssessmentGrade.EXCELLENT
            elif r.rank == r.peers and r.peers > 2:
                grade = AssessmentGrade.BASIC
            else:
                grade = AssessmentGrade.COMPETENT
            record_assessment(
                actor,
                r.org,
                name=who[1],
                year=indicator_set.year,
                grade=grade,
                score=min(r.score / indicator_set.total * HUNDRED, HUNDRED),
                evidence=f"{indicator_set.title}：年度得分{r.score}分，乡镇内第{r.rank}/{r.peers}名",
                today=today,
            )
            sent += 1
        audit.record(
            actor, "scoring.export_cadres", indicator_set, org=indicator_set.county, after={"sent": sent}
        )
    return sent
