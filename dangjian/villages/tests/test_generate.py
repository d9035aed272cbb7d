"""The province generator's two committees and 四议两公开 on a tiny plan: counts as reported, every village
with both committees and a secretary post, seats per the county's table, decisions whose recorded steps
are always the prefix of the six the services would allow, with every passed vote meeting its quorum,
and the same rows for the same seed."""

import datetime

import pytest

from dangjian.accounts import demo as account_demo
from dangjian.decisions import demo as decisions_demo
from dangjian.decisions.models import BASE_ORDER, Decision, DecisionStep, State, Step
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.villages import demo, generate
from dangjian.villages.models import Committee, Post, PostKind, SeatTable, VillageProfile

TODAY = datetime.date(2026, 11, 26)


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan = org_demo.plan_province(11, counties=2, townships=2, branches=5, grids=1)
            org_ids = org_demo.insert_province(plan)
            account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
            counts = demo.insert_province(plan, org_ids, TODAY)
            counts.update(decisions_demo.insert_province(plan, org_ids, TODAY))
            snapshot = sorted(Post.objects.values_list("org_id", "kind", "name"))
            yield plan, counts, snapshot, org_ids
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def generated(_generated, db):
    return _generated


def test_counts_and_committees(generated):
    plan, counts, _, _ = generated
    villages = sum(1 for o in plan.orgs if o.kind == OrgKind.BRANCH)
    assert counts["village_committee"] == Committee.objects.count() == 2 * villages
    assert counts["village_post"] == Post.objects.count()
    assert VillageProfile.objects.count() == villages and SeatTable.objects.count() == 2 * len(generate.SEATS)
    assert Post.objects.filter(kind=PostKind.SECRETARY).count() == villages
    assert set(counts) == set(demo.PROVINCE_LABELS) | set(decisions_demo.PROVINCE_LABELS)
    start = generate.last_election(TODAY)
    assert set(Committee.objects.values_list("term_start", flat=True)) == {start}


def test_decisions_follow_the_order_and_quorums(generated):
    _, counts, _, _ = generated
    assert counts["decision"] == Decision.objects.count() > 0
    for d in Decision.objects.prefetch_related("steps"):
        steps = sorted(d.steps.all(), key=lambda s: BASE_ORDER.index(s.step))
        assert [s.step for s in steps] == list(BASE_ORDER[: len(steps)])
        if d.state == State.REJECTED:
            assert not steps[-1].passed
        else:
            assert all(s.passed for s in steps)
            assert d.state == (BASE_ORDER[len(steps)] if len(steps) < 6 else State.DONE)
        for s in steps:
            if s.step == Step.ASSEMBLY_REVIEW:
                assert 3 * s.present >= 2 * s.expected and (2 * s.in_favour > s.expected) == s.passed
            if s.step == Step.RESOLUTION:
                assert 3 * s.present >= 2 * s.expected and (2 * s.in_favour > s.present) == s.passed
    assert DecisionStep.objects.filter(merged=True).exists()


def test_same_seed_same_rows(generated):
    plan, _, snapshot, org_ids = generated
    for model in (Post, Committee, VillageProfile, SeatTable):
        model.objects.all().delete()
    generate.insert_province_villages(plan, org_ids, TODAY)
    assert sorted(Post.objects.values_list("org_id", "kind", "name")) == snapshot
