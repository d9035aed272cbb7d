"""The province generator's cases on a tiny plan: counts as reported, every branch with its share of the
three kinds, states as far as each case has got by yesterday, timelines only in the first county, the
same rows for the same seed; and on PostgreSQL the bulk path leaves the schema as it found it."""

import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.utils import timezone

from dangjian.accounts import demo as account_demo
from dangjian.cases import demo, generate
from dangjian.cases.choices import CaseKind, EventType, Level, RouteState
from dangjian.cases.kinds import KINDS
from dangjian.cases.models import Case, CaseEvent, CaseRoute, Category
from dangjian.cases.selectors import overdue_q
from dangjian.errands import demo as errands_demo
from dangjian.orgs import demo as org_demo
from dangjian.orgs.models import Org

TODAY = datetime.date(2026, 11, 22)
PER_BRANCH = 40
RECEIPT = re.compile(r"^[WDS]-\d{6}-[01IO][2-9A-HJ-NP-Z]{4}$")


@pytest.fixture
def province(db):
    plan = org_demo.plan_province(7, counties=2, townships=2, branches=3, grids=1)
    org_ids = org_demo.insert_province(plan)
    account_demo.insert_province_users(account_demo.plan_province_users(plan), org_ids)
    errands_demo.insert_province(plan, org_ids, TODAY)
    return plan, org_ids


def snapshot():
    return list(
        Case.objects.order_by("receipt_no").values_list(
            "receipt_no", "org__code", "kind", "state", "title", "opened_on", "deadline", "done_at",
            "closed_at", "level", "satisfaction", "published_at", "reopen_count", "resident_name",
            "grid__code",
        )
    ), sorted(
        CaseEvent.objects.values_list("case__receipt_no", "type", "transition", "to_state", "at", "note")
    )  # fmt: skip


def test_labels_and_counts(province):
    plan, org_ids = province
    counts = demo.insert_province(plan, org_ids, TODAY)  # the default: about 200 a branch
    assert set(counts) == set(generate.PROVINCE_LABELS) == set(demo.PROVINCE_LABELS)
    assert counts["case"] == Case.objects.count() > 0
    assert counts["case_event"] == CaseEvent.objects.count() > 0
    assert counts["case_route"] == CaseRoute.objects.count() > 0
    assert counts["case_category"] == Category.objects.count() == 2 * 11
    per_branch = Counter(Case.objects.values_list("org_id", flat=True))
    branches = Org.objects.filter(code__startswith=f"{plan.code}-", kind="branch")
    assert set(per_branch) == set(branches.values_list("pk", flat=True))
    assert all(150 <= n <= 250 for n in per_branch.values())


def test_cases_are_as_far_along_as_they_have_got_by_yesterday(province):
    plan, org_ids = province
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH)
    rows = Case.objects.all()
    kinds = Counter(rows.values_list("kind", flat=True))
    assert kinds[CaseKind.ERRAND] > kinds[CaseKind.PROBLEM] > kinds[CaseKind.WHISTLE] > 0
    for kind in (CaseKind.PROBLEM, CaseKind.ERRAND, CaseKind.WHISTLE):
        states = Counter(rows.filter(kind=kind).values_list("state", flat=True))
        assert set(states) <= set(KINDS[kind].states) and states["closed"] > sum(states.values()) / 2
    assert rows.filter(overdue_q(TODAY)).exists()
    assert rows.filter(level__gt=Level.VILLAGE, escalated_on__isnull=False).exists()
    assert not rows.filter(level__gt=Level.VILLAGE, escalated_on__isnull=True).exists()
    assert rows.filter(reopen_count=1).exists() and rows.filter(published_at__isnull=False).exists()
    assert rows.filter(kind=CaseKind.ERRAND, satisfaction__isnull=False).exists()
    assert not rows.filter(opened_on__gte=TODAY).exists()
    assert not rows.filter(opened_on__lt=TODAY - datetime.timedelta(days=generate.DAYS)).exists()
    for case in rows.filter(state="closed"):
        assert case.accepted_by_id and case.closed_by_id and case.opened_by_id
        assert (
            case.opened_on <= timezone.localdate(case.done_at) <= timezone.localdate(case.closed_at) < TODAY
        )
        assert case.done_at <= case.accepted_at <= case.closed_at
    for case in rows.filter(state__in=("open", "received", "raised")):
        assert case.done_at is None and case.closed_at is None
    assert all(RECEIPT.match(r) for r in rows.values_list("receipt_no", flat=True))
    errands = rows.filter(kind=CaseKind.ERRAND)
    assert errands.filter(service__isnull=False).count() == errands.count()
    assert not errands.filter(service__org_id__isnull=True).exists()
    whistles = rows.filter(kind=CaseKind.WHISTLE)
    assert not whistles.filter(grid__isnull=True).exists()
    routed = CaseRoute.objects.all()
    assert set(routed.values_list("case__kind", flat=True)) == {CaseKind.WHISTLE}
    assert routed.filter(state=RouteState.ACCEPTED, decided_at__isnull=False).exists()
    for route in routed.select_related("case"):
        assert route.case.state != "raised" and route.department.county_id == route.case.county_id


def test_timelines_only_in_the_first_county_and_matching_the_case(province):
    plan, org_ids = province
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH)
    counties = [org_ids[i] for i, o in enumerate(plan.orgs) if o.kind == "county"]
    events = CaseEvent.objects.all()
    assert events.exists() and not events.exclude(case__county_id=counties[0]).exists()
    first = Case.objects.filter(county_id=counties[0]).prefetch_related("events")
    for case in first:
        timeline = sorted(case.events.all(), key=lambda e: (e.at, e.pk))
        assert timeline[0].type == EventType.OPEN and timeline[0].at == case.created_at
        moves = [e for e in timeline if e.to_state and e.type != EventType.OPEN]
        assert len(moves) == case.version
        if moves:
            assert moves[-1].to_state == case.state
        if case.closed_at:
            assert case.closed_at == [e.at for e in timeline if e.transition == "sign_off"][-1]
        escalations = [e.data["level"] for e in timeline if e.type == EventType.ESCALATE]
        assert escalations == list(range(Level.VILLAGE + 1, case.level + 1))
        for e in timeline:
            if e.type == EventType.ROUTE:
                assert e.data == {"departments": [case.routes.get().department_id], "lead": e.data["lead"]}


def test_same_rows_for_the_same_seed(province):
    plan, org_ids = province
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH)
    first = snapshot()
    CaseEvent.objects.all().delete()
    CaseRoute.objects.all().delete()
    Case.objects.all().delete()
    Category.objects.all().delete()
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH)
    assert snapshot() == first


def test_receipts_never_meet_the_services_nor_another_seed():
    one, other = generate.Writer.__new__(generate.Writer), generate.Writer.__new__(generate.Writer)
    for writer, seed in ((one, 1), (other, 2)):
        writer.receipts = Counter()
        writer.base = (seed % (1 << generate.SEED_BITS)) << generate.PER_DAY_BITS
        writer.codes = {0: "261122"}
        writer.dates = {0: TODAY}
    tails = {one.receipt("W", 0) for _ in range(5000)}
    assert len(tails) == 5000 and not tails & {other.receipt("W", 0) for _ in range(5000)}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bulk path is PostgreSQL's")
def test_the_bulk_path_writes_the_same_rows_and_puts_the_schema_back(province):
    plan, org_ids = province

    def schema():
        with connection.cursor() as c:
            c.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename LIKE 'cases_%%' ORDER BY 1")
            indexes = c.fetchall()
            c.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), convalidated "
                "FROM pg_constraint WHERE conrelid::regclass::text LIKE 'cases_%%' ORDER BY 1, 2"
            )
            return indexes, c.fetchall()

    before = schema()
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH, bulk=False)
    plain = snapshot()
    CaseEvent.objects.all().delete()
    CaseRoute.objects.all().delete()
    Case.objects.all().delete()
    Category.objects.all().delete()
    generate.insert_province_cases(plan, org_ids, TODAY, per_branch=PER_BRANCH, bulk=True)
    assert snapshot() == plain
    assert schema() == before
