"""The two-down two-up week through its services: issuing (Monday only, not past, not twice, on the county's
cadence, inside the issuer's subtree), relaying, the weekday boundaries of the village report and the
station compilation (on the day = on time, a day later = late, none = missing only after the day), drafting
from the villages' reports, a second compile or submit refused, the county's settings, and the findings."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from dangjian.core.errors import ActionDenied, DomainError, NotInScope
from dangjian.core.findings import findings_for
from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.tasks import services, weekly
from dangjian.tasks import weekly_rules as WR
from dangjian.tasks.choices import AssignmentState, CompilationState
from dangjian.tasks.models import Assignment, Compilation, TaskList, WeeklyCycle

D = datetime.date
MON = D(2026, 11, 30)  # the world already holds the week of 2026-11-23 for 镇甲
THU, FRI = MON + datetime.timedelta(3), MON + datetime.timedelta(4)
TASKS = [
    {"title": "入户走访", "target_kind": "number", "target_value": 10, "unit": "户", "key": True},
    {"title": "主题党日", "target_kind": "checklist", "checklist": ["学习", "讨论", "总结"]},
]
CHECKS = ["tasks.report_missing", "tasks.compilation_missing", "tasks.weekly_due_soon"]


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def office(world):
    return world.user(Role.TOWNSHIP_STAFF)


@pytest.fixture
def chief(world):
    return world.user(Role.STATION_CHIEF)


@pytest.fixture
def secretary(world):
    return world.user(Role.VILLAGE_SECRETARY)


def issue(world, actor, week=MON, today=MON, tasks=TASKS, township="township"):
    return weekly.issue_week(actor, township=world.orgs[township], week_start=week, tasks=tasks, today=today)


def village_assignment(world, cycle, key: str, sort_order: int = 0) -> Assignment:
    return Assignment.objects.get(
        task__task_list=cycle.task_list, org=world.orgs[key], task__sort_order=sort_order
    )


def relayed_week(world, office, chief):
    cycle = issue(world, office)
    weekly.relay_week(chief, cycle, world.orgs["station"], today=MON)
    return cycle


# --- issue ----------------------------------------------------------------------------------------


def test_issue_builds_list_cycle_and_station_assignments(world, office):
    cycle = issue(world, office)
    assert (cycle.week_start, cycle.report_due, cycle.compile_due) == (MON, THU, FRI)
    assert cycle.task_list.kind == "weekly" and cycle.task_list.period_end == MON + datetime.timedelta(6)
    tasks = list(cycle.task_list.tasks.order_by("sort_order"))
    assert [t.title for t in tasks] == ["入户走访", "主题党日"] and tasks[0].key
    assert all(t.due == FRI for t in tasks)
    tops = Assignment.objects.filter(task__task_list=cycle.task_list)
    assert {(a.org_id, a.due) for a in tops} == {(world.orgs["station"].pk, FRI)}
    assert tops.count() == 2  # one per task, to the only station of 镇甲
    assert AuditEvent.objects.filter(action="tasks.week_issue", object_id=str(cycle.pk)).exists()


@pytest.mark.parametrize(
    ("week", "today", "message"),
    [
        (MON + datetime.timedelta(1), MON, "不是周一"),
        (MON - datetime.timedelta(14), MON, "已过去"),
        (D(2026, 11, 23), MON, "已下达，不能重复下达"),  # the world's week
        (MON, THU + datetime.timedelta(1), "村级汇报期限（2026-12-03，周四）已过"),
    ],
)
def test_issue_refusals_write_nothing(world, office, week, today, message):
    before = (WeeklyCycle.objects.count(), TaskList.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as err:
        issue(world, office, week=week, today=today)
    assert message in err.value.message and err.value.field == "week_start"
    assert (WeeklyCycle.objects.count(), TaskList.objects.count(), AuditEvent.objects.count()) == before


def test_issue_on_the_report_day_is_still_allowed(world, office):
    assert issue(world, office, today=THU).report_due == THU


def test_issue_bad_rows_and_scope(world, office, chief, secretary):
    with pytest.raises(DomainError, match="至少填写一项任务"):
        issue(world, office, tasks=[{"title": "  "}])
    with pytest.raises(DomainError) as err:
        issue(world, office, tasks=[TASKS[0], {"title": "无目标", "target_kind": "number"}])
    assert err.value.field == "tasks.1.target_value" and err.value.message.startswith("第2项任务：")
    assert not WeeklyCycle.objects.filter(week_start=MON).exists()
    assert not TaskList.objects.filter(period_start=MON).exists()
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        issue(world, office, township="out_township")
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        issue(world, chief)  # a station chief issues to its villages, not for its township
    with pytest.raises(DomainError, match="不在您的管辖范围内"):
        issue(world, secretary)
    leader = world.user(Role.READONLY_LEADER)
    with pytest.raises(ActionDenied):
        issue(world, leader)
    with pytest.raises(DomainError, match="由乡镇（街道）下达"):
        weekly.issue_week(world.root, township=world.orgs["station"], week_start=MON, tasks=TASKS, today=MON)
    assert not WeeklyCycle.objects.filter(week_start=MON).exists()


def test_county_admin_issues_for_a_township_of_its_county(world):
    cycle = issue(world, world.user(Role.COUNTY_ADMIN))
    assert cycle.org_id == world.orgs["township"].pk


def test_cadence_is_counted_from_the_first_week(world, office):
    admin = world.user(Role.COUNTY_ADMIN)
    weekly.set_week_rules(admin, world.orgs["county"], report_weekday=1, compile_weekday=2, cadence_weeks=2)
    with pytest.raises(DomainError) as err:
        issue(world, office)  # 11-23 was the first week: 11-30 is off the two-week cadence
    assert (
        "每2周一次（自2026-11-23周起算）" in err.value.message and "可下达2026-12-07周" in err.value.message
    )
    cycle = issue(world, office, week=MON + datetime.timedelta(7))
    assert (cycle.report_due, cycle.compile_due) == (D(2026, 12, 8), D(2026, 12, 9))  # Tuesday, Wednesday
    old = WeeklyCycle.objects.get(org=world.orgs["township"], week_start=D(2026, 11, 23))
    assert (old.report_due, old.compile_due) == (D(2026, 11, 26), D(2026, 11, 27))  # fixed at issue time
    assert weekly.next_issuable(world.orgs["township"], weekly.week_rules(world.orgs["county"]), MON) == D(
        2026, 12, 21
    )
    # the other county keeps the defaults
    assert weekly.week_rules(world.orgs["out_county"]) == weekly.WeekRules(3, 4, 1)


def test_settings_service(world, office):
    admin, county = world.user(Role.COUNTY_ADMIN), world.orgs["county"]
    with pytest.raises(DomainError) as err:
        weekly.set_week_rules(admin, county, report_weekday=4, compile_weekday=3, cadence_weeks=1)
    assert err.value.field == "compile_weekday" and "不能早于" in err.value.message
    with pytest.raises(DomainError):
        weekly.set_week_rules(admin, county, report_weekday=7, compile_weekday="x", cadence_weeks=0)
    with pytest.raises(ActionDenied):
        weekly.set_week_rules(office, county, report_weekday=1, compile_weekday=2, cadence_weeks=1)
    with pytest.raises(NotInScope):
        weekly.set_week_rules(
            world.user("out_admin"), county, report_weekday=1, compile_weekday=2, cadence_weeks=1
        )
    assert not RuleOverride.objects.filter(county=county, code__startswith="tasks.weekly").exists()
    weekly.set_week_rules(
        admin, county, report_weekday=2, compile_weekday=2, cadence_weeks=1, source="组织部通知"
    )
    assert weekly.week_rules(county) == weekly.WeekRules(2, 2, 1)
    event = AuditEvent.objects.get(action="tasks.weekly_settings")
    assert event.after[WR.REPORT_WEEKDAY.code] == 2 and event.before[WR.REPORT_WEEKDAY.code] == 3
    cycle = issue(world, office)
    assert cycle.report_due == cycle.compile_due == MON + datetime.timedelta(2)


# --- relay ----------------------------------------------------------------------------------------


def test_relay_to_all_villages_with_the_report_day(world, office, chief, secretary):
    cycle = issue(world, office)
    station = world.orgs["station"]
    with pytest.raises(NotInScope):
        weekly.relay_week(secretary, cycle, station, today=MON)
    with pytest.raises(DomainError, match="已过，不能再分解"):
        weekly.relay_week(chief, cycle, station, today=THU + datetime.timedelta(1))
    with pytest.raises(DomainError, match="不属于本周任务的乡镇"):
        weekly.relay_week(chief, cycle, world.orgs["out_station"], today=MON)
    made = weekly.relay_week(chief, cycle, station, today=MON)
    assert {(a.org_id, a.due) for a in made} == {
        (world.orgs["branch"].pk, THU),
        (world.orgs["sibling"].pk, THU),
    }
    assert len(made) == 4
    assert all(a.relayed for a in Assignment.objects.filter(task__task_list=cycle.task_list, org=station))
    with pytest.raises(DomainError, match="无需重复分解"):
        weekly.relay_week(chief, cycle, station, today=MON)
    assert AuditEvent.objects.filter(action="tasks.week_relay", object_id=str(cycle.pk)).count() == 1


# --- weekday boundaries ---------------------------------------------------------------------------


def test_village_report_on_the_day_is_on_time_a_day_later_is_late(world, office, chief, secretary):
    cycle = relayed_week(world, office, chief)
    on_time = services.report(
        secretary, village_assignment(world, cycle, "branch"), text="走访10户", amount=10, now=at(THU, 23, 59)
    )
    late = services.report(
        world.root, village_assignment(world, cycle, "sibling"), text="走访4户", amount=4, now=at(FRI, 0, 1)
    )
    assert (on_time.late, late.late) == (False, True)
    board = {v.name: v for v in weekly.week_board(office, cycle, FRI)[0].villages}
    assert weekly.village_state(at(THU, 23, 59), THU, FRI) == weekly.REPORTED
    assert weekly.village_state(at(FRI, 0, 1), THU, FRI) == weekly.LATE
    # 村甲一 reported the number task on time but not the checklist: missing after Thursday
    assert board["村甲一"].states == [weekly.REPORTED, weekly.MISSING]
    assert board["村甲二"].states == [weekly.LATE, weekly.MISSING]


def test_no_report_is_missing_only_after_the_report_day(world, office, chief):
    cycle = relayed_week(world, office, chief)
    assert weekly.village_state(None, THU, THU) == weekly.PENDING
    assert weekly.village_state(None, THU, FRI) == weekly.MISSING
    on_day = {v.name: v.state for v in weekly.week_board(office, cycle, THU)[0].villages}
    after = {v.name: v.state for v in weekly.week_board(office, cycle, FRI)[0].villages}
    assert on_day == {"村甲一": weekly.PENDING, "村甲二": weekly.PENDING}
    assert after == {"村甲一": weekly.MISSING, "村甲二": weekly.MISSING}

    def missing(today):
        return {
            (f.org_name, f.due_on)
            for f in findings_for(office, today, ["tasks.report_missing"])
            if f.due_on == THU
        }

    assert missing(THU) == set()
    assert missing(FRI) == {("村甲一", THU), ("村甲二", THU)}
    soon = findings_for(office, THU - datetime.timedelta(1), ["tasks.weekly_due_soon"])
    assert {f.org_name for f in soon if f.due_on == THU} == {"村甲一", "村甲二"}
    assert all(f.severity == "due_soon" for f in soon)
    assert not [
        f
        for f in findings_for(office, THU - datetime.timedelta(2), ["tasks.weekly_due_soon"])
        if f.due_on == THU
    ]
    # a village secretary sees only its own village's finding; outside the county nothing
    mine = findings_for(world.user(Role.VILLAGE_SECRETARY), FRI, ["tasks.report_missing"])
    assert {f.org_name for f in mine} == {"村甲一"}
    assert {f.org_name for f in findings_for(world.user("out_admin"), FRI, ["tasks.report_missing"])} == {
        "外村"
    }


def test_compile_day_boundary(world, office, chief):
    cycle = relayed_week(world, office, chief)
    station = world.orgs["station"]
    comp = weekly.draft_compilation(chief, cycle, station, now=at(THU, 18))
    assert weekly.station_state(comp, FRI, FRI) == weekly.DRAFT
    assert weekly.station_state(comp, FRI, FRI + datetime.timedelta(1)) == weekly.STATION_MISSING
    assert weekly.station_state(None, FRI, FRI) == weekly.NOT_STARTED

    def owing(today):
        return [f for f in findings_for(office, today, ["tasks.compilation_missing"]) if f.due_on == FRI]

    assert owing(FRI) == []
    assert [f.org_name for f in owing(FRI + datetime.timedelta(1))] == ["站甲"]
    on_day = weekly.submit_compilation(chief, comp, now=at(FRI, 23, 59))
    assert on_day.state == CompilationState.SUBMITTED and on_day.late is False
    assert weekly.station_state(on_day, FRI, FRI + datetime.timedelta(3)) == weekly.SUBMITTED
    assert owing(FRI + datetime.timedelta(1)) == []


def test_compilation_a_day_late(world, office, chief):
    cycle = relayed_week(world, office, chief)
    comp = weekly.draft_compilation(chief, cycle, world.orgs["station"], now=at(FRI, 9))
    late = weekly.submit_compilation(chief, comp, now=at(FRI + datetime.timedelta(1), 0, 1))
    assert late.late is True
    assert weekly.station_state(late, FRI, FRI + datetime.timedelta(1)) == weekly.SUBMITTED_LATE


# --- draft, edit, submit --------------------------------------------------------------------------


def test_draft_from_village_reports_and_submit_once(world, office, chief, secretary):
    cycle = relayed_week(world, office, chief)
    station = world.orgs["station"]
    services.report(
        secretary, village_assignment(world, cycle, "branch"), text="走访12户", amount=12, now=at(THU)
    )
    services.report(
        world.root,
        village_assignment(world, cycle, "sibling", 1),
        text="已学习",
        checklist_done=[0],
        now=at(FRI, 8),
    )
    with pytest.raises(NotInScope):
        weekly.draft_compilation(secretary, cycle, station, now=at(FRI, 9))
    comp = weekly.draft_compilation(chief, cycle, station, now=at(FRI, 9))
    first, second = comp.figures["tasks"]
    assert first | {"villages": None} == {
        "task_id": first["task_id"],
        "title": "入户走访",
        "unit": "户",
        "target_kind": "number",
        "target": "20",
        "done": "12",
        "capped": "10",
        "percent": 50,
        "reported": 1,
        "expected": 2,
        "late": [],
        "missing": ["村甲二"],
        "villages": None,
    }
    assert (second["target"], second["done"], second["percent"]) == ("6", "1", 16)
    assert (second["late"], second["missing"]) == (["村甲二"], ["村甲一"])
    assert "一、入户走访：目标每村10户，共20户，已完成12户（50%）；应报2村，已报1村" in comp.body
    assert "村甲一（已报）：完成12户，走访12户" in comp.body and "村甲二（未报）" in comp.body
    assert "二、主题党日" in comp.body and "村甲二（逾期）：完成1项，已学习" in comp.body
    # the station's own assignment carries its villages' sums (services' bookkeeping)
    top = Assignment.objects.get(task__task_list=cycle.task_list, org=station, task__sort_order=0)
    assert (top.target_amount, top.done_amount, top.state) == (20, 12, AssignmentState.REPORTED)

    # edits, then a re-draft refreshes the draft
    weekly.update_compilation(chief, comp, body="本周走访12户。")
    with pytest.raises(DomainError, match="请填写汇总报告"):
        weekly.update_compilation(chief, comp, body="   ")
    with pytest.raises(DomainError, match="不能超过10000"):
        weekly.update_compilation(chief, comp, body="字" * 10001)
    assert Compilation.objects.get(pk=comp.pk).body == "本周走访12户。"
    redrafted = weekly.draft_compilation(chief, cycle, station, now=at(FRI, 10))
    assert redrafted.pk == comp.pk and redrafted.body.startswith("站甲2026-11-30周工作汇总")
    assert Compilation.objects.filter(cycle=cycle).count() == 1

    done = weekly.submit_compilation(chief, redrafted, now=at(FRI, 11))
    assert (done.state, done.late, done.submitted_by_id) == (CompilationState.SUBMITTED, False, chief.pk)
    before = (AuditEvent.objects.count(), Compilation.objects.get(pk=comp.pk).body)
    for again in (
        lambda: weekly.submit_compilation(chief, done, now=at(FRI, 12)),
        lambda: weekly.draft_compilation(chief, cycle, station, now=at(FRI, 12)),
    ):
        with pytest.raises(DomainError, match="本周已汇总上报，不能重复汇总"):
            again()
    with pytest.raises(DomainError, match="已上报，不能再修改"):
        weekly.update_compilation(chief, done, body="改")
    with pytest.raises(DomainError, match="已汇总上报"):
        weekly.relay_week(chief, cycle, station, today=MON)
    assert (AuditEvent.objects.count(), Compilation.objects.get(pk=comp.pk).body) == before
    actions = set(AuditEvent.objects.filter(object_id=str(comp.pk)).values_list("action", flat=True))
    assert {"tasks.compilation_draft", "tasks.compilation_update", "tasks.compilation_submit"} <= actions


def test_draft_needs_a_relayed_week(world, office, chief):
    cycle = issue(world, office)
    with pytest.raises(DomainError, match="尚未分解到各村"):
        weekly.draft_compilation(chief, cycle, world.orgs["station"], now=at(MON, 12))
    assert not Compilation.objects.filter(cycle=cycle).exists()


def test_world_week_is_in_place(world):
    """The test world's rows, in county 甲 and outside, for the scope matrix."""
    for key, station in (("in", "站甲"), ("out", "外站")):
        comp = world.weekly[key]["compilation"]
        assert comp.org.name == station and comp.state == CompilationState.DRAFT
        assert comp.figures["tasks"][0]["reported"] == 1


def test_helpers():
    assert [weekly.numeral(n) for n in (1, 9, 10, 11, 20, 23)] == ["一", "九", "十", "十一", "二十", "二十三"]
    assert (weekly.num(1000), weekly.num("12.50"), weekly.num(0)) == ("1000", "12.5", "0")
    assert WR.weekday_name(3) == "周四"
