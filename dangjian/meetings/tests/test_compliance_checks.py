"""Findings: an obligation of the last closed month, quarter and year unmet (red); the current period
closing within the warning window (amber at 7 and 6 days before its end, not at 8; a county may widen
it); each finding names the rule, the org, the period and links to its evidence."""

import datetime

import pytest

from dangjian.core.findings import CHECKS, findings_for
from dangjian.core.models import RuleOverride
from dangjian.core.roles import Role
from dangjian.meetings import rules as R
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.models import Meeting

from .compliance_support import cell, meeting, office

D = datetime.date


@pytest.fixture
def w(world):
    Meeting.objects.all().delete()
    office(world.orgs["township"])
    return world


def found(code, user, today):
    return list(CHECKS[code].run(user, today))


def about(findings, org, rule):
    return [f for f in findings if f.org_id == org.pk and f.rule == rule.code]


@pytest.mark.parametrize(
    "today, state, warned",
    [
        (D(2026, 11, 22), "pending", False),  # 8 days before 30 November
        (D(2026, 11, 23), "due_soon", True),  # 7 days
        (D(2026, 11, 24), "due_soon", True),  # 6 days
        (D(2026, 11, 30), "due_soon", True),  # the last day
        (D(2026, 12, 1), "overdue", False),
    ],
)
def test_warning_window_before_the_month_closes(w, today, state, warned):
    sibling = w.orgs["sibling"]
    assert cell(sibling, R.THEME_DAY.code, "2026-11", today).state == state
    soon = about(found("meetings.due_soon", w.user(Role.STATION_CHIEF), today), sibling, R.THEME_DAY)
    assert bool(soon) is warned
    if warned:
        [f] = soon
        assert (f.severity, f.due_on, f.subject) == ("due_soon", D(2026, 11, 30), "2026年11月 主题党日")
        left = (D(2026, 11, 30) - today).days
        assert f.message == f"2026年11月尚未召开主题党日（应至少1次），2026-11-30截止，还剩{left}天。"
        assert f.url == f"/meetings/compliance/?org={sibling.pk}&period=2026-11"


def test_a_held_meeting_silences_the_warning(w):
    sibling = w.orgs["sibling"]
    meeting(sibling, K.THEME_DAY, D(2026, 11, 3))
    assert not about(
        found("meetings.due_soon", w.user(Role.STATION_CHIEF), D(2026, 11, 25)), sibling, R.THEME_DAY
    )


def test_a_county_may_widen_the_window(w):
    RuleOverride.objects.create(
        county=w.orgs["county"],
        code=R.WARNING_DAYS.code,
        value=10,
        source="县通知",
        effective_from=D(2026, 1, 1),
    )
    sibling = w.orgs["sibling"]
    assert cell(sibling, R.THEME_DAY.code, "2026-11", D(2026, 11, 20)).state == "due_soon"
    assert cell(sibling, R.THEME_DAY.code, "2026-11", D(2026, 11, 19)).state == "pending"
    assert about(found("meetings.due_soon", w.user(Role.COUNTY_ADMIN), D(2026, 11, 20)), sibling, R.THEME_DAY)
    out = found("meetings.due_soon", w.user("out_admin"), D(2026, 11, 20))
    assert not about(out, w.orgs["out_branch"], R.THEME_DAY)  # 外县 keeps the default 7 days


def test_quarter_and_year_warnings_in_december(w):
    branch = w.orgs["branch"]
    user = w.user(Role.VILLAGE_SECRETARY)
    assert not about(found("meetings.due_soon", user, D(2026, 12, 23)), branch, R.LECTURE)
    soon = found("meetings.due_soon", user, D(2026, 12, 24))
    [lecture] = about(soon, branch, R.LECTURE)
    assert lecture.message.startswith("2026年第四季度尚未召开党课（应至少1次），2026-12-31截止")
    assert about(soon, branch, R.ORG_LIFE)[0].subject == "2026年 组织生活会"


def test_unmet_reports_the_last_closed_month_quarter_and_year(w):
    branch, township = w.orgs["branch"], w.orgs["township"]
    meeting(branch, K.THEME_DAY, D(2026, 11, 30))
    meeting(branch, K.LECTURE, D(2026, 9, 30))
    today = D(2026, 12, 1)
    findings = found("meetings.unmet", w.user(Role.COUNTY_ADMIN), today)
    assert not about(findings, branch, R.THEME_DAY) and not about(findings, branch, R.LECTURE)
    [assembly] = about(findings, branch, R.MEMBER_ASSEMBLY)
    assert assembly.message == "2026年第三季度未召开支部党员大会（应至少1次）。"
    assert (assembly.severity, assembly.due_on) == ("overdue", D(2026, 9, 30))
    assert assembly.url == f"/meetings/compliance/?org={branch.pk}&period=2026-Q3"
    [lecture] = about(findings, w.orgs["sibling"], R.LECTURE)
    assert lecture.message == "2026年第三季度未召开党课（应至少1次）。"
    [year] = about(findings, branch, R.ORG_LIFE)
    assert year.message == "2025年未召开组织生活会（应至少1次）。"
    [group] = about(findings, branch, R.GROUP)
    assert group.message == "2026年11月未召开党小组会（应至少1次，每个党小组1次）。"
    weekly = about(findings, township, R.OFFICE_WEEKLY)
    assert weekly[0].message.startswith("2026年11月有5周未召开党建办周小结（10月26日—11月1日、")
    [talk] = about(findings, branch, R.TALK)
    assert talk.subject == "2025年 谈心谈话" and talk.due_on == D(2025, 12, 31)
    assert all(f.check == "" for f in findings)
    assert {f.check for f in findings_for(w.user(Role.COUNTY_ADMIN), today, ["meetings.unmet"])} == {
        "meetings.unmet"
    }


def test_weeks_already_past_in_this_month_are_reported_now(w):
    township = w.orgs["township"]
    meeting(township, K.OFFICE_WEEKLY, D(2026, 12, 2))
    findings = about(
        found("meetings.unmet", w.user(Role.TOWNSHIP_STAFF), D(2026, 12, 15)), township, R.OFFICE_WEEKLY
    )
    december = [f for f in findings if f.subject.startswith("2026年12月")]
    assert [f.message for f in december] == [
        "2026年12月有1周未召开党建办周小结（12月7日—13日；应每周至少1次）。"
    ]
    assert december[0].due_on == D(2026, 12, 13)


def test_findings_are_scoped(w):
    today = D(2026, 12, 1)
    secretary = found("meetings.unmet", w.user(Role.VILLAGE_SECRETARY), today)
    assert secretary and {f.org_name for f in secretary} == {"村甲一"}
    assert not found("meetings.unmet", w.user(Role.DEPT_LIAISON), today)
    outside = {f.org_name for f in found("meetings.unmet", w.user("out_admin"), today)}
    assert outside and all("外" in name for name in outside)


def test_findings_page_shows_them_with_the_rule_source(w, client_for, monkeypatch):
    from .compliance_support import pin_today

    pin_today(monkeypatch, D(2026, 12, 1))
    r = client_for(w.user(Role.VILLAGE_SECRETARY)).get("/findings/", {"check": "meetings.unmet"})
    body = r.content.decode()
    assert r.status_code == 200 and "2026年第三季度未召开党课（应至少1次）。" in body
    assert "《中国共产党支部工作条例（试行）》" in body and "/meetings/compliance/?org=" in body
