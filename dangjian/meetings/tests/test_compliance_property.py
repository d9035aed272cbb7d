"""The set-based engine agrees with a naive per-org computation in plain Python (every org, every rule,
every month or week walked day by day) on random sets of meetings, periods and days."""

import datetime
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.meetings import rules as R
from dangjian.meetings.choices import MeetingKind, MeetingStatus
from dangjian.meetings.compliance import Period, evaluate
from dangjian.meetings.models import Meeting
from dangjian.members.choices import MemberStatus, Standing
from dangjian.members.models import Member
from dangjian.orgs.models import Office, Org

from .compliance_support import full_members, meeting, office

D = datetime.date
START = D(2025, 12, 1)
ORG_KEYS = ["branch", "sibling", "community", "station", "township", "group", "out_branch"]
KINDS = sorted({o.kind for o in R.OBLIGATIONS} | {MeetingKind.CONSULTATION})
PERIODS = ["2026-01", "2026-03", "2026-04", "2026-11", "2026-12", "2026-Q1", "2026-Q4", "2026"]
STATUSES = [MeetingStatus.HELD, MeetingStatus.HELD, MeetingStatus.HELD, MeetingStatus.PLANNED]

meetings_st = st.lists(
    st.tuples(
        st.sampled_from(ORG_KEYS),
        st.sampled_from(KINDS),
        st.integers(min_value=0, max_value=420),
        st.sampled_from(STATUSES),
        st.sampled_from([0, 9, 23]),
    ),
    max_size=40,
)


def naive(root: Org, period: Period, today: datetime.date) -> dict[tuple[int, str], tuple]:
    """Per (org, rule): due, met, meetings, overdue, due_soon — one org and one day at a time."""
    orgs = [o for o in Org.objects.all() if o.path.startswith(root.path) and o.archived_at is None]
    days = [period.start + datetime.timedelta(n) for n in range((period.end - period.start).days + 1)]
    held = [m for m in Meeting.objects.all() if m.status == MeetingStatus.HELD]
    result = {}
    for org in orgs:
        full = sum(
            1
            for m in Member.objects.filter(org=org)
            if m.status == MemberStatus.FULL and m.standing == Standing.NORMAL
        )
        groups = [g for g in orgs if g.parent_id == org.pk and g.kind == "group"]
        has_office = Office.objects.filter(township=org).exists()
        for ob in R.OBLIGATIONS:
            order = R.PERIOD_ORDER
            if order.index(ob.period) > order.index(period.kind) or org.kind not in ob.org_kinds:
                continue
            if ob.needs == "committee" and full < 7 or ob.needs == "office" and not has_office:
                continue
            required = len(groups) if ob.needs == "groups" else 1
            if required == 0:
                continue
            if ob.period == "week":
                sundays = [d for d in days if d.weekday() == 6]
                stretches = [(s - datetime.timedelta(6), s) for s in sundays]
            elif ob.period == period.kind:
                stretches = [(period.start, period.end)]
            else:  # months of a quarter or year, quarters of a year
                size = 1 if ob.period == "month" else 3
                key = {d: (d.month - 1) // size for d in days}
                stretches = [
                    (min(d for d in days if key[d] == k), max(d for d in days if key[d] == k))
                    for k in sorted(set(key.values()))
                ]
            counted = {org.pk} | ({g.pk for g in groups} if ob.kind == MeetingKind.GROUP else set())
            due = met = n_meetings = overdue = soon = 0
            for start, end in stretches:
                if start > today:
                    continue
                n = sum(
                    1 for m in held if m.kind == ob.kind and m.org_id in counted and start <= m.held_on <= end
                )
                due += 1
                n_meetings += n
                if n >= required:
                    met += 1
                elif end < today:
                    overdue += 1
                elif (end - today).days <= 7:
                    soon += 1
            result[(org.pk, ob.code)] = (due, met, n_meetings, overdue, soon)
    return result


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=meetings_st,
    period=st.sampled_from(PERIODS),
    today=st.dates(min_value=D(2026, 1, 1), max_value=D(2027, 1, 10)),
    committee=st.booleans(),
)
def test_engine_agrees_with_naive(world, rows, period, today, committee):
    Meeting.objects.all().delete()
    office(world.orgs["township"])
    branch = world.orgs["branch"]
    have = Member.objects.filter(org=branch, status=MemberStatus.FULL, standing=Standing.NORMAL).count()
    if committee and have < 7:
        full_members(branch, 7 - have)
    for key, kind, offset, status, hour in rows:
        meeting(
            world.orgs[key], kind, START + datetime.timedelta(offset), hour=hour, minute=59, status=status
        )
    county = world.orgs["county"]
    p = Period.parse(period)
    result = evaluate([county.path], p, today)
    got = {
        (org.id, code): (c.due, c.met, c.meetings, c.overdue, c.due_soon)
        for org in result.orgs.values()
        for code, c in org.own.items()
    }
    assert got == naive(county, p, today)
    total = Counter()
    for org in result.orgs.values():
        for c in org.own.values():
            total.update(due=c.due, met=c.met)
    top = result.orgs[county.pk]
    assert (top.due, top.met) == (total["due"], total["met"])
    assert world.orgs["out_branch"].pk not in result.orgs
