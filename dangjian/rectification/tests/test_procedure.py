"""The procedure's refusals and its happy path (排查→认定→一村一策→整顿→县级验收→巩固提升→复查): each
step refused out of order, a plan without one of its five essentials, acceptance with open items, a
quota outside 5–10%, and the classification history written on every change."""

import datetime

import pytest
from django.utils import timezone

from dangjian.cases import services as case_services
from dangjian.core.dates import add_months
from dangjian.core.errors import ActionDenied, DomainError
from dangjian.core.roles import Role
from dangjian.rectification import services
from dangjian.rectification.choices import CaseStatus
from dangjian.rectification.models import StatusChange
from dangjian.rectification.testing import add_item

TODAY = timezone.localdate()
PLAN = {
    "targets": "班子转化升级",
    "responsible": "镇党委",
    "deadline": TODAY + datetime.timedelta(days=30),
    "measures": "调整书记",
    "expected_result": "验收销号",
}


def fresh_case(world, org="sibling"):
    return services.open_case(world.root, org=world.orgs[org], year=TODAY.year, basis="预警", today=TODAY)


@pytest.mark.parametrize("missing,label", [(f, label) for f, label in services.ESSENTIALS])
def test_plan_without_an_essential_is_refused_naming_it(world, missing, label):
    case = fresh_case(world)
    services.identify(world.root, case, situations=["N1"], evidence="书记长期缺职", today=TODAY)
    given = dict(PLAN, **{missing: None if missing == "deadline" else " "})
    with pytest.raises(DomainError) as err:
        services.set_plan(world.root, case, **given, today=TODAY)
    assert f"缺少“{label}”" in err.value.message and "五个要件" in err.value.message
    case.refresh_from_db()
    assert case.status == CaseStatus.IDENTIFIED


def test_steps_out_of_order_are_refused(world):
    admin = world.user(Role.COUNTY_ADMIN)
    case = fresh_case(world)
    with pytest.raises(DomainError, match="制定一村一策方案须在"):
        services.set_plan(admin, case, **PLAN, today=TODAY)
    with pytest.raises(DomainError, match="县级验收须在"):
        services.accept(admin, case, passed=True, basis="好", today=TODAY)
    with pytest.raises(DomainError, match="复查须在"):
        services.recheck(admin, case, passed=True, basis="好", today=TODAY)
    with pytest.raises(DomainError, match="不在本县的情形清单"):
        services.identify(admin, case, situations=["C999999"], evidence="x", today=TODAY)
    services.identify(admin, case, situations=["N1"], evidence="书记长期缺职", today=TODAY)
    with pytest.raises(DomainError, match="认定须在"):
        services.identify(admin, case, situations=["N1"], evidence="again", today=TODAY)
    with pytest.raises(DomainError, match="请先制定一村一策方案"):
        services.add_item(admin, case, title="x", owner=world.user(Role.VILLAGE_SECRETARY), today=TODAY)


def test_acceptance_with_open_items_is_refused_naming_them(world):
    admin = world.user(Role.COUNTY_ADMIN)
    case = world.rectification["甲"]["case"]
    add_item(world)
    with pytest.raises(DomainError) as err:
        services.accept(admin, case, passed=True, basis="验收", today=TODAY)
    assert "还有1项未销号" in err.value.message and "“甲村建立两委责任清单”（待整改）" in err.value.message
    # Not passed is allowed: the branch stays in rectification, the history says so.
    services.accept(admin, case, passed=False, basis="班子仍不健全", today=TODAY)
    last = StatusChange.objects.filter(case=case).last()
    assert (last.from_status, last.to_status) == (CaseStatus.RECTIFYING, CaseStatus.RECTIFYING)
    assert "未通过" in last.basis


def test_only_the_county_accepts(world):
    case = world.rectification["甲"]["case"]
    with pytest.raises(ActionDenied):
        services.accept(world.user(Role.TOWNSHIP_STAFF), case, passed=False, basis="x", today=TODAY)


def test_full_path_to_closed_with_history(world):
    admin = world.user(Role.COUNTY_ADMIN)
    case = world.rectification["甲"]["case"]
    item = add_item(world).item
    for code, who in (("report_done", admin), ("accept", admin), ("sign_off", admin)):
        case_services.act(who, item, code, note="已完成")
    services.accept(admin, case, passed=True, basis="验收合格", today=TODAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.CONSOLIDATING and not case.labelled
    assert case.recheck_due == add_months(TODAY, 12)
    with pytest.raises(DomainError, match="期满后才能复查"):
        services.recheck(admin, case, passed=True, basis="好", today=TODAY)
    later = case.recheck_due
    services.recheck(admin, case, passed=False, basis="有反弹", on=later, today=later)
    assert case.status == CaseStatus.RECTIFYING and case.recheck_due is None
    services.accept(admin, case, passed=True, basis="再次验收", on=later, today=later)
    services.recheck(admin, case, passed=True, basis="巩固", on=case.recheck_due, today=case.recheck_due)
    assert case.status == CaseStatus.CLOSED
    steps = list(StatusChange.objects.filter(case=case).values_list("to_status", flat=True))
    assert steps == [
        CaseStatus.CHECKING,
        CaseStatus.IDENTIFIED,
        CaseStatus.RECTIFYING,
        CaseStatus.CONSOLIDATING,
        CaseStatus.RECTIFYING,
        CaseStatus.CONSOLIDATING,
        CaseStatus.CLOSED,
    ]


@pytest.mark.parametrize(
    "quota,ok", [("4.9", False), ("5", True), ("10", True), ("10.1", False), ("abc", False)]
)
def test_quota_must_be_within_5_to_10_percent(world, quota, ok):
    admin = world.user(Role.COUNTY_ADMIN)
    if ok:
        assert services.create_screening(
            admin, world.orgs["county"], year=TODAY.year, quota_percent=quota, today=TODAY
        )
    else:
        with pytest.raises(DomainError) as err:
            services.create_screening(
                admin, world.orgs["county"], year=TODAY.year, quota_percent=quota, today=TODAY
            )
        assert "5%—10%" in err.value.message or "数字" in err.value.message


def test_screening_proposes_the_bottom_and_refuses_hiding_one(world):
    admin = world.user(Role.COUNTY_ADMIN)
    o = world.orgs
    s = services.create_screening(admin, o["county"], year=TODAY.year, quota_percent=10, today=TODAY)
    services.set_rows(
        admin, s, [(o["branch"], 1, 90, 5), (o["sibling"], 2, 50, 0), (o["community"], 3, 40, 1)]
    )
    proposed = {r.org_id for r in s.rows.filter(proposed=True)}
    assert proposed == {o["community"].pk}  # ⌈3 × 10%⌉ = 1, the lowest-ranked
    with pytest.raises(DomainError, match="不捂不盖"):
        services.confirm_screening(admin, s, orgs=[o["sibling"]], today=TODAY)
    cases = services.confirm_screening(admin, s, orgs=[o["community"], o["sibling"]], today=TODAY)
    assert {c.org_id for c in cases} == {o["community"].pk, o["sibling"].pk}
    assert all(c.status == CaseStatus.CHECKING for c in cases)
