"""The province generator's task lists and weeks on a tiny plan: counts as reported, every village with a
year of monthly assignments and weekly reports, relayed station rows equal to their villages' sums (so
the roll-ups agree with the services' bookkeeping), the same rows for the same seed."""

import datetime
from collections import Counter
from decimal import Decimal

import pytest
from django.db.models import Sum

from dangjian.accounts import demo as account_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org
from dangjian.tasks import demo, generate, stats
from dangjian.tasks.choices import AssignmentState, ListKind
from dangjian.tasks.models import Assignment, Compilation, TaskList, TaskReport, WeeklyCycle

TODAY = datetime.date(2026, 11, 26)  # a Thursday: this week's village reports are due today


@pytest.fixture(scope="module")
def _generated(django_db_setup, django_db_blocker):
    """Generated once for the module inside a transaction rolled back at its end (tests run in savepoints)."""
    from django.db import transaction

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan = org_demo.plan_province(7, counties=2, townships=2, branches=4, grids=1)
            org_ids = org_demo.insert_province(plan)
            account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
            yield plan, org_ids, demo.insert_province(plan, org_ids, TODAY)
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def province(_generated, db):
    return _generated


def snapshot():
    return sorted(
        Assignment.objects.values_list(
            "task__task_list__org__code", "task__task_list__kind", "task__task_list__period_start",
            "task__title", "org__code", "due", "target_amount", "done_amount", "state", "relayed",
        )
    ), list(
        TaskReport.objects.order_by("org__code", "submitted_at", "pk").values_list(
            "org__code", "submitted_at", "amount", "late"
        )
    )  # fmt: skip


def test_labels_and_counts(province):
    plan, org_ids, counts = province
    assert set(counts) == set(generate.PROVINCE_LABELS) == set(demo.PROVINCE_LABELS)
    assert counts["task_list"] == TaskList.objects.count()
    assert counts["task_assignment"] == Assignment.objects.count()
    assert counts["task_report"] == TaskReport.objects.count()
    assert counts["weekly_cycle"] == WeeklyCycle.objects.count() == 4 * generate.WEEKS
    assert counts["compilation"] == Compilation.objects.count() > 0
    lists = Counter(TaskList.objects.values_list("kind", flat=True))
    # Each township's own monthly lists, each county's key tasks to its townships, the township weeks.
    assert lists == {ListKind.MONTHLY: (4 + 2) * generate.MONTHS, ListKind.WEEKLY: 4 * generate.WEEKS}
    county_tasks = Assignment.objects.filter(task__task_list__org__kind="county")
    assert set(county_tasks.values_list("org__kind", flat=True)) == {"township"}
    assert county_tasks.count() == 4 * generate.MONTHS * len(generate.COUNTY_MONTHLY)
    branches = set(
        Org.objects.filter(code__startswith=f"{plan.code}-", kind="branch").values_list("pk", flat=True)
    )
    monthly = Counter(
        Assignment.objects.filter(task__task_list__kind=ListKind.MONTHLY, org__kind="branch").values_list(
            "org_id", flat=True
        )
    )
    assert set(monthly) == branches and set(monthly.values()) == {generate.MONTHS * len(generate.MONTHLY)}


def test_relayed_stations_sum_their_villages_and_nothing_is_counted_twice(province):
    for parent in Assignment.objects.filter(relayed=True).order_by("pk")[:40]:
        children = Assignment.objects.filter(parent=parent).aggregate(
            t=Sum("target_amount"), d=Sum("done_amount")
        )
        assert (parent.target_amount, parent.done_amount) == (children["t"], children["d"])
    root = Org.objects.get(kind="province", code__startswith="G")
    from dangjian.accounts.models import User

    user = User.objects.filter(is_superuser=True).first() or User.objects.create_superuser(
        "root", password="x"
    )
    week = TaskList.objects.filter(kind=ListKind.WEEKLY).order_by("-period_start")[1].period_start
    rows = stats.rollup(user, under=root, period_start=week, today=TODAY)
    leaves = Assignment.objects.filter(relayed=False, period_start=week)
    assert sum(r.assignments for r in rows) == leaves.count()
    assert sum(r.target for r in rows) == leaves.aggregate(t=Sum("target_amount"))["t"]


def test_history_reads_as_lived(province):
    """Past months and weeks are reported (some late, a few never); nothing is stamped after today; the
    current week's reports are still coming in and no station has compiled it."""
    assert not TaskReport.objects.filter(submitted_at__date__gt=TODAY).exists()
    assert TaskReport.objects.filter(late=True).exists() and TaskReport.objects.filter(late=False).exists()
    this_week = TODAY - datetime.timedelta(days=TODAY.weekday())
    current = WeeklyCycle.objects.get(
        org__code__endswith="T01", org__code__contains="C001", week_start=this_week
    )
    assert not current.compilations.filter(state="submitted").exists()
    past = Assignment.objects.filter(period_start__lt=this_week - datetime.timedelta(weeks=1), relayed=False)
    states = Counter(past.values_list("state", flat=True))
    assert states[AssignmentState.DONE] > states[AssignmentState.PENDING] > 0
    assert Compilation.objects.filter(late=True).exists()
    assert Assignment.objects.filter(done_amount__gt=0).aggregate(s=Sum("done_amount"))["s"] > Decimal(0)


def test_same_seed_same_rows(province):
    plan, org_ids, _ = province
    first = snapshot()
    Compilation.objects.all().delete()
    TaskList.objects.all().delete()
    demo.insert_province(plan, org_ids, TODAY)
    assert snapshot() == first
