"""Property tests, on the test world, of the checks of the cadres, dashboards, office, reviews, scoring
and villages rule modules that read the database: whatever value a county sets (or the rule module
holds), the service or finding the app uses follows it at the boundary, and the other county keeps the
default. Each example's writes are rolled back, since the examples of one test share its savepoint."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from unittest import mock

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dangjian.core.dates import add_months
from dangjian.core.errors import DomainError
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role

DB = settings(
    max_examples=20,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
FEW = settings(DB, max_examples=6)
CENT = Decimal("0.01")


@contextmanager
def undone() -> Iterator[None]:
    """Run one example's writes and roll them back."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def set_override(county, code: str, value) -> None:
    RuleOverride.objects.update_or_create(
        county=county,
        code=code,
        defaults={"value": value, "source": "测试", "effective_from": datetime.date(2000, 1, 1)},
    )


def extra_orgs(world, parent: str, kind: str, count: int) -> list:
    """`count` more orgs of `kind` under one of the world's orgs, made once per test and kept across its
    examples."""
    from dangjian.orgs.models import Org
    from dangjian.orgs.services import create_org

    out = []
    for n in range(count):
        code = f"PX{kind[:2].upper()}{n}"
        out.append(
            Org.objects.filter(code=code).first()
            or create_org(world.root, parent=world.orgs[parent], name=f"加{kind}{n}", kind=kind, code=code)
        )
    return out


# --- cadres.rules: one batch a township a month (cadres.pay_monthly), performance in the county's month --


@DB
@given(
    month=st.integers(1, 12),
    pay_month=st.integers(1, 12),
    months=st.integers(0, 12),
    coefficient=st.decimals(min_value=0, max_value=5, places=1),
)
def test_a_township_is_paid_once_a_month_with_performance_only_in_the_county_month(
    world, month, pay_month, months, coefficient
):
    from dangjian.cadres import rules as R
    from dangjian.cadres import services
    from dangjian.cadres.choices import AssessmentGrade
    from dangjian.cadres.models import PayBatch

    township, day, today = world.orgs["township"], datetime.date(2024, month, 1), datetime.date(2024, 12, 31)
    with undone():
        services.set_pay_scheme(
            world.root,
            world.orgs["county"],
            base_pay=R.DEFAULT_BASE_PAY,
            dual_allowance=R.DEFAULT_DUAL_ALLOWANCE,
            coefficients={**R.DEFAULT_COEFFICIENTS, AssessmentGrade.EXCELLENT: coefficient},
            performance_months=months,
            performance_month=pay_month,
            source="测试",
            today=today,
        )
        approved = PayBatch.objects.filter(township=township, month=day).first()
        if approved is None:
            batch = services.generate_batch(world.root, township, day, today=today)
            # The secretary (since March 2024) was graded 优秀 for 2023.
            for line in batch.lines.filter(name="甲书记郭凯"):
                due = (coefficient * line.base * months).quantize(CENT, ROUND_HALF_UP)
                assert line.performance == (due if month == pay_month else 0)
                assert line.amount == line.base + line.allowance + line.performance
        else:
            with pytest.raises(DomainError, match="已审核，不能改动"):
                services.update_line(world.root, approved.lines.first(), amount=months)
        with pytest.raises(DomainError, match="每乡镇每月只生成一次"):
            services.generate_batch(world.root, township, day, today=today)


# --- dashboards.rules: the trend's months (dashboards.trend_months), the screen's refresh -------------


@DB
@given(
    months=st.integers(1, 24),
    today=st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31)),
)
def test_the_trend_shows_the_rule_months_ending_with_the_current_one(world, months, today):
    from dangjian.dashboards import rules as DR
    from dangjian.tasks.dashboard import trend

    with mock.patch.object(DR, "TREND_MONTHS", replace(DR.TREND_MONTHS, value=months)):
        rows = trend(world.root, world.orgs["county"], today).rows
    first = add_months(today.replace(day=1), 1 - months)
    shown = [add_months(first, i) for i in range(months)]
    assert [r["month"] for r in rows] == [f"{m.year}年{m.month}月" for m in shown]
    assert shown[-1] == today.replace(day=1)


@FEW
@given(seconds=st.integers(5, 3600))
def test_the_screen_refreshes_every_rule_seconds(world, client_for, seconds):
    from django.urls import reverse

    from dangjian.dashboards import rules as DR

    client = client_for(world.users[Role.COUNTY_ADMIN])
    with mock.patch.object(DR, "SCREEN_REFRESH_SECONDS", replace(DR.SCREEN_REFRESH_SECONDS, value=seconds)):
        page = client.get(reverse("dashboard-screen", args=[world.orgs["county"].pk])).content.decode()
    assert f'data-refresh="{seconds}"' in page
    assert f"每{seconds}秒自动刷新" in page


# --- office.rules: field days a week, contacts a branch and branches a staff member, leader visits ------


@DB
@given(
    required_half_days=st.integers(0, 8),
    week=st.lists(st.sampled_from([0, 0, 1, 2]), min_size=7, max_size=7),
)
def test_staff_are_short_of_field_days_iff_under_their_county_days_in_the_last_week(
    world, required_half_days, week
):
    from dangjian.office import rules as R
    from dangjian.office.checks import field_days_short
    from dangjian.office.services.field import record_field_visit

    monday = datetime.date(2025, 3, 3)
    today = monday + datetime.timedelta(days=7 + required_half_days % 7)  # any day of the next week
    staff, out = world.users[Role.TOWNSHIP_STAFF], world.users["out_office"]
    with undone():
        set_override(world.orgs["county"], R.FIELD_DAYS.code, required_half_days / 2)
        for i, half_days in enumerate(week):
            if half_days:
                day = monday + datetime.timedelta(days=i)
                record_field_visit(
                    world.root, staff, world.orgs["branch"], day, half_days, "到村指导", today=today
                )
        short = {f.subject for f in field_days_short(world.root, today)}
    assert (staff.display_name in short) == (sum(week) < required_half_days)
    assert (out.display_name in short) == (0 < 2 * R.FIELD_DAYS.value)  # no visit that week, default days


@DB
@given(branch_min=st.integers(0, 3), staff_min=st.integers(0, 3))
def test_branches_and_staff_are_flagged_iff_under_their_county_minimum_contacts(world, branch_min, staff_min):
    from dangjian.office import rules as R
    from dangjian.office.checks import branch_without_contact, staff_without_branch
    from dangjian.office.selectors import coverage

    today = datetime.date(2026, 10, 1)
    staff = world.users[Role.TOWNSHIP_STAFF]
    with undone():
        set_override(world.orgs["county"], R.BRANCH_MIN_CONTACTS.code, branch_min)
        set_override(world.orgs["county"], R.STAFF_MIN_BRANCHES.code, staff_min)
        flagged = {f.org_id for f in branch_without_contact(world.root, today)}
        idle = {f.subject for f in staff_without_branch(world.root, today)}
        ours = coverage(world.root, world.orgs["township"], today)
        theirs = coverage(world.root, world.orgs["out_township"], today)
    assert ours.branches and theirs.branches
    for row in ours.branches:
        assert (row.org.pk in flagged) == (len(row.contacts) < branch_min) == row.short
    for row in theirs.branches:
        assert (row.org.pk in flagged) == (len(row.contacts) < R.BRANCH_MIN_CONTACTS.value)
    [mine] = [s for s in ours.staff if s.user.pk == staff.pk]
    assert (staff.display_name in idle) == (len(mine.contacts) < staff_min) == mine.short


@DB
@given(
    rate=st.integers(0, 4),
    today=st.dates(min_value=datetime.date(2025, 6, 1), max_value=datetime.date(2027, 6, 30)),
)
def test_a_leader_owes_the_county_visits_a_month_per_village_for_each_month_begun(world, rate, today):
    from dangjian.office import rules as R
    from dangjian.office.models import ContactLeader
    from dangjian.office.selectors import leader_rows

    leader = ContactLeader.objects.get(pk=world.office["leader"].pk)
    begun = sum(1 for m in range(1, 13) if datetime.date(leader.year, m, 1) <= today)
    with undone():
        set_override(world.orgs["county"], R.LEADER_VISITS.code, rate)
        [row] = leader_rows(world.root, [leader], today)
    assert row.villages and row.per_month == rate
    assert row.expected == rate * begun * len(row.villages)
    assert row.short == (row.visits < rate * begun * len(row.villages))


# --- reviews.rules: the scorecard's deduction per red finding and its top and bottom places -----------


@DB
@given(
    deduction=st.integers(0, 40),
    top_n=st.integers(0, 4),
    reds=st.lists(st.integers(0, 6), min_size=1, max_size=5),
)
def test_the_scorecard_deducts_per_red_finding_and_praises_and_rectifies_the_rule_places(
    world, deduction, top_n, reds
):
    from dangjian.core.findings import Finding
    from dangjian.reviews import rules as R
    from dangjian.reviews.stats import build_pack

    county, review, today = world.orgs["county"], world.reviews["review"], timezone.localdate()
    towns = [world.orgs["township"], *extra_orgs(world, "county", "township", len(reds) - 1)]
    red = [
        Finding(R.RED_DEDUCTION.code, t.pk, t.name, f"问题{i}", "逾期未办", "overdue", today)
        for t, n in zip(towns, reds, strict=True)
        for i in range(n)
    ]
    with undone(), mock.patch("dangjian.reviews.stats.findings_for", return_value=red):
        set_override(county, R.RED_DEDUCTION.code, deduction)
        set_override(county, R.SCORECARD_TOP_N.code, top_n)
        pack = build_pack(world.users[Role.COUNTY_ADMIN], review, today=today)
    rows = pack.scorecard
    assert (pack.deduction, pack.top_n) == (deduction, top_n)
    by_org = {r.org_id: r for r in rows}
    for t, n in zip(towns, reds, strict=True):
        assert by_org[t.pk].red == n
        assert by_org[t.pk].score == max(0, by_org[t.pk].base - deduction * n)
    assert [r.score for r in rows] == sorted((r.score for r in rows), reverse=True)
    places = min(top_n, len(rows) // 2)
    for r in rows:
        top, bottom = r.rank <= places, r.rank > len(rows) - places
        assert (r.verdict == "praise") == (top and r.assignments > 0)
        assert (r.verdict == "rectify") == (bottom and r.score < 100 and r.verdict != "praise")


# --- scoring.rules: evidence of a manual score, model stations a year and their reward ----------------


@DB
@given(evidence=st.text(alphabet="依据检查记录 ", max_size=9))
def test_a_manual_score_is_refused_iff_its_evidence_is_shorter_than_the_rule(world, evidence):
    from dangjian.scoring import rules as R
    from dangjian.scoring.services import enter_score

    manual = world.scoring_sets["county"].indicators.get(code="B3")
    kw = dict(period=world.scoring_month, value=90, evidence=evidence, today=timezone.localdate())
    with undone():
        if len(evidence.strip()) >= R.MANUAL_EVIDENCE_MIN.value:
            assert enter_score(world.root, manual, world.orgs["branch"], **kw).evidence == evidence.strip()
        else:
            with pytest.raises(DomainError, match="评分依据"):
                enter_score(world.root, manual, world.orgs["branch"], **kw)


@DB
@given(most=st.integers(0, 4), chosen=st.integers(1, 3), reward=st.integers(0, 50000))
def test_model_stations_are_refused_beyond_the_county_number_and_paid_the_county_reward(
    world, most, chosen, reward
):
    from dangjian.scoring import rules as R
    from dangjian.scoring.choices import AwardKind
    from dangjian.scoring.models import Award
    from dangjian.scoring.services import choose_model_stations

    indicator_set, county = world.scoring_sets["county"], world.orgs["county"]
    stations = extra_orgs(world, "township", "station", 3)[:chosen]
    with undone():
        set_override(county, R.MODEL_STATIONS.code, most)
        set_override(county, R.MODEL_STATION_REWARD.code, reward)
        already = Award.objects.filter(county=county, year=indicator_set.year, kind=AwardKind.MODEL_STATION)
        before = already.count()
        if before + chosen <= most:
            awards = choose_model_stations(world.root, indicator_set, stations)
            assert [a.amount for a in awards] == [reward] * chosen
        else:
            with pytest.raises(DomainError, match=f"不超过{most}个"):
                choose_model_stations(world.root, indicator_set, stations)
            assert already.count() == before


# --- villages.rules: secretary vacancy, election warning, term, the villagers' committee's size ------


@DB
@given(
    months=st.integers(0, 12),
    vacant=st.dates(min_value=datetime.date(2024, 3, 1), max_value=datetime.date(2025, 12, 31)),
    shift=st.integers(-3, 3) | st.integers(-400, 400),
)
def test_a_secretary_post_is_flagged_once_vacant_more_than_the_county_months(world, months, vacant, shift):
    from dangjian.villages import rules as R
    from dangjian.villages import services
    from dangjian.villages.checks import secretary_vacant
    from dangjian.villages.models import Post, PostKind

    branch = world.orgs["branch"]
    today = max(vacant, add_months(vacant, months) + datetime.timedelta(days=shift))
    with undone():
        set_override(world.orgs["county"], R.SECRETARY_VACANT_MONTHS.code, months)
        post = Post.objects.get(org=branch, kind=PostKind.SECRETARY, until__isnull=True)
        services.end_post(world.root, post, until=vacant, reason="调任", today=today)
        found = {f.org_id for f in secretary_vacant(world.root, today)}
    assert (branch.pk in found) == (add_months(vacant, months) < today)
    assert world.orgs["out_branch"].pk not in found


@DB
@given(warn=st.integers(0, 24), shift=st.integers(-3, 3) | st.integers(-2000, 1000))
def test_a_committee_is_flagged_from_the_county_months_before_its_election(world, warn, shift):
    from dangjian.villages import rules as R
    from dangjian.villages.checks import term_ending
    from dangjian.villages.models import Committee

    ours = Committee.objects.get(org=world.orgs["branch"])
    today = max(ours.term_start, add_months(ours.next_election_on, -warn) + datetime.timedelta(days=shift))
    with undone():
        set_override(world.orgs["county"], R.ELECTION_WARN_MONTHS.code, warn)
        found = {(f.org_id, f.severity) for f in term_ending(world.root, today)}
    for key, months in (("branch", warn), ("out_branch", R.ELECTION_WARN_MONTHS.value)):
        org = world.orgs[key]
        due = Committee.objects.get(org=org).next_election_on
        expected = set()
        if due <= add_months(today, months):
            expected = {(org.pk, "overdue" if due < today else "due_soon")}
        assert {x for x in found if x[0] == org.pk} == expected


@DB
@given(
    start=st.dates(min_value=datetime.date(2030, 1, 1), max_value=datetime.date(2090, 12, 31)),
    offset=st.integers(-2500, 400),
)
def test_a_committee_serves_the_rule_years_and_its_election_falls_within_them(world, start, offset):
    from dangjian.villages import rules as R
    from dangjian.villages.models import CommitteeKind
    from dangjian.villages.services import create_committee

    years = int(R.TERM_YEARS.value)
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February, ending in a common year
        end = start.replace(year=start.year + years, day=28)
    day = datetime.timedelta(days=1)
    for election in (start, start + day, end, end + day, end + offset * day):
        kw = dict(kind=CommitteeKind.VILLAGERS, term_start=start, next_election_on=election)
        with undone():
            if start < election <= end:
                committee = create_committee(world.root, world.orgs["sibling"], **kw)
                assert (committee.term_end, committee.next_election_on) == (end, election)
            else:
                with pytest.raises(DomainError, match=f"每届任期{years}年"):
                    create_committee(world.root, world.orgs["sibling"], **kw)


@DB
@given(women=st.lists(st.booleans(), max_size=9))
def test_a_villagers_committee_holds_at_most_the_max_and_is_flagged_under_the_min_or_without_a_woman(
    world, women
):
    from dangjian.members.choices import Gender
    from dangjian.villages import rules as R
    from dangjian.villages import services
    from dangjian.villages.checks import committee_size, no_woman_member
    from dangjian.villages.models import Committee, CommitteeKind, PostKind

    village, start, today = world.orgs["sibling"], datetime.date(2024, 3, 1), datetime.date(2024, 6, 1)
    committee = Committee.objects.filter(org=village, kind=CommitteeKind.VILLAGERS).first()
    committee = committee or services.create_committee(
        world.root, village, kind=CommitteeKind.VILLAGERS, term_start=start
    )
    kept: list[bool] = []
    with undone():
        for i, woman in enumerate(women):
            kw = dict(
                name=f"委员{i}", gender=Gender.FEMALE if woman else Gender.MALE, since=start, today=today
            )
            kind = PostKind.DIRECTOR if i == 0 else PostKind.MEMBER
            if len(kept) < R.VC_MAX.value:
                services.appoint(world.root, committee, kind, **kw)
                kept.append(woman)
            else:
                with pytest.raises(DomainError, match=f"不能超过{R.VC_MAX.value}人"):
                    services.appoint(world.root, committee, kind, **kw)
        small = village.pk in {f.org_id for f in committee_size(world.root, today)}
        no_woman = village.pk in {f.org_id for f in no_woman_member(world.root, today)}
        notes = "".join(services.notes_for(world.root, village))
    assert small == (len(kept) < R.VC_MIN.value) == (f"少于{R.VC_MIN.value}人" in notes)
    assert no_woman == (not any(kept)) == ("没有妇女成员" in notes)
