"""The demo stories (seeds 003 and 000) and the province generator: a second demo load creates nothing;
小武州村 is flagged and identified with an item `county_wuzhai` can take from open to signed off, one
done and one signed off; 连家寨村 has 8 signed-off systems and 12 county-leader visits; 柏叶口村 is in
consolidation. The generator flags about 5% of branches, each with a plan of 3–5 item cases."""

import datetime
from collections import Counter

import pytest
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.accounts.models import User
from dangjian.cases import services as case_services
from dangjian.cases.choices import CaseKind
from dangjian.cases.models import Case
from dangjian.office import demo as office_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.rectification import demo, generate, services
from dangjian.rectification.choices import CaseStatus, SupportKind
from dangjian.rectification.models import PlanItem, RectificationCase, StatusChange, Support, SupportVisit
from dangjian.rectification.warning import early_warning

TODAY = timezone.localdate()


@pytest.fixture(scope="module")
def _loaded(django_db_setup, django_db_blocker):
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                created, skipped = Counter(), Counter()
                admin = account_demo.ensure_admin(make_password("x"), created, skipped)
                org_demo.load_demo_orgs(admin, created, skipped)
                account_demo.load_demo_users(admin, make_password("x"), created, skipped)
                office_demo.load_demo(admin, created, skipped)
                first, again, skipped_again = Counter(), Counter(), Counter()
                demo.load_demo(admin, first, Counter(), today=TODAY)
                demo.load_demo(admin, again, skipped_again, today=TODAY)
                plan = org_demo.plan_province(7, counties=2, townships=3, branches=10, grids=1)
                org_ids = org_demo.insert_province(plan)
                account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
                counts = generate.insert_province(plan, org_ids, TODAY)
            yield first, again, skipped_again, plan, counts
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def loaded(_loaded, db):
    return _loaded


def case_of(name: str, year: int = TODAY.year) -> RectificationCase:
    return RectificationCase.objects.get(org__name=name, org__kind="branch", year=year)


def test_a_second_load_creates_nothing(loaded):
    first, again, skipped, *_ = loaded
    assert first["软弱涣散整顿"] == 7 and first["整顿事项"] >= 20
    assert not any(again[label] for label in demo.DEMO_LABELS) and not again["用户"]
    assert skipped["软弱涣散整顿"] == 7


def test_jiaocheng_stories(loaded):
    assert len(services.checklist(Org.objects.get(name="交城县"))) == 12
    zhaizi = case_of("寨子村")
    assert zhaizi.status == CaseStatus.RECTIFYING and zhaizi.visits.get().items.count() == 7
    lian = case_of("连家寨村")
    systems = Case.objects.filter(rectification_item__plan__case=lian)
    assert systems.count() == 8 and set(systems.values_list("state", flat=True)) == {"closed"}
    leader = Support.objects.get(case=lian, kind=SupportKind.COUNTY_LEADER)
    assert leader.visits.count() == 12 and leader.contact_leader is not None
    assert lian.supports.count() == 4
    assert PlanItem.objects.filter(plan__case=case_of("牛头咀村")).count() == 4
    assert Case.objects.filter(
        rectification_item__plan__case=case_of("南堡村"), title__contains="23万元"
    ).exists()
    assert case_of("市庄村").supports.get().kind == SupportKind.PAIRED_UNIT
    old = case_of("柏叶口村", TODAY.year - 1)
    assert old.status == CaseStatus.CONSOLIDATING and not old.labelled and old.recheck_due > TODAY


def test_xiaowuzhou_journey(loaded):
    wuzhai = User.objects.get(username="county_wuzhai")
    case = case_of("小武州村")
    assert case.status == CaseStatus.RECTIFYING and case.situations == ["N2"]
    flagged = {r.name: r for r in early_warning(wuzhai, TODAY)}
    assert "bottom_rank" in flagged["小武州村"].signals
    kinds = set(case.supports.values_list("kind", flat=True))
    assert kinds == set(SupportKind.values)
    states = dict(Case.objects.filter(rectification_item__plan__case=case).values_list("state", "kind"))
    assert set(states) == {"open", "done", "closed"} and set(states.values()) == {CaseKind.RECTIFICATION}
    item = Case.objects.get(rectification_item__plan__case=case, state="open")
    for code in ("start", "report_done", "accept", "sign_off"):
        case_services.act(wuzhai, item, code, note="已完成")
    assert item.state == "closed"
    assert StatusChange.objects.filter(case=case).count() == 3


def test_generator_flags_about_five_percent(loaded):
    *_, plan, counts = loaded
    assert set(counts) == set(generate.PROVINCE_LABELS)
    generated = RectificationCase.objects.filter(demo_source=generate.SOURCE)
    branches = sum(1 for o in plan.orgs if o.kind == "branch")
    assert counts["rectification_case"] == generated.count() and 0 < generated.count() <= branches * 0.15
    per_plan = PlanItem.objects.filter(plan__case__in=generated).values_list("plan_id", flat=True)
    sizes = Counter(per_plan)
    assert set(sizes.values()) <= {3, 4, 5} and len(sizes) == generated.count()
    assert counts["rectification_item"] == sum(sizes.values())
    assert Support.objects.filter(case__in=generated).count() == 4 * generated.count()
    assert (
        counts["rectification_visit"] == SupportVisit.objects.filter(support__case__in=generated).count() > 0
    )
    consolidating = generated.filter(status=CaseStatus.CONSOLIDATING)
    assert (
        not Case.objects.filter(rectification_item__plan__case__in=consolidating)
        .exclude(state="closed")
        .exists()
    )
    assert all(c.changes.first().to_status == CaseStatus.CHECKING for c in generated[:5])
    assert datetime.date(TODAY.year, 12, 31) >= max(generated.values_list("identified_on", flat=True))
