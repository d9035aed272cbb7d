"""The weekly-cycle pages and API: the right roles get 200, everyone else 403/404 (outside scope 404), bad
input a 400 with the Chinese message beside its field and nothing written, the exports open in openpyxl,
list pages read a constant number of queries, and the station chief's week — relay, see one village late,
draft, edit, send to the township — through the pages as in the 榆舍 browser journey."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.models import AuditEvent, RuleOverride
from dangjian.core.roles import Role
from dangjian.orgs.services import create_org
from dangjian.tasks import services, weekly
from dangjian.tasks.choices import CompilationState
from dangjian.tasks.models import Assignment, Compilation, WeeklyCycle

D = datetime.date
MON = D(2026, 11, 30)
THU, FRI = MON + datetime.timedelta(3), MON + datetime.timedelta(4)
TASK = {"title": "入户走访", "target_kind": "number", "target_value": 10, "unit": "户"}


def at(day, hour=10, minute=0):
    return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def clock(monkeypatch):
    """Set the time the pages see (timezone.now, hence localdate): `clock(at(...))`."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def rows(world):
    return world.weekly


def html(r) -> str:
    return r.content.decode()


def field_errors(r, name: str) -> list[str]:
    return re.findall(rf'<div class="invalid-feedback d-block" data-field="{name}">(.*?)</div>', html(r))


def sheet(r) -> list[tuple]:
    data = b"".join(r.streaming_content) if r.streaming else r.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in wb.worksheets[0].iter_rows(values_only=True)]


def api(client, method, url, data=None):
    if method == "get":
        return client.get(url, data, HTTP_ACCEPT="application/json")
    return getattr(client, method)(url, data or {}, content_type="application/json")


# --- pages by role, scope -------------------------------------------------------------------------


def test_township_pages(world, rows, client_for):
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    cycle = rows["in"]["cycle"]
    page = c.get("/tasks/weeks/")
    assert page.status_code == 200 and "镇甲" in html(page) and "外镇" not in html(page)
    detail = c.get(cycle.get_absolute_url())
    assert detail.status_code == 200
    text = html(detail)
    assert (
        "站甲" in text
        and "村甲一" in text
        and "村甲二" in text
        and "逾期未报" in text
        and "status-red" in text
    )
    assert c.get(rows["out"]["cycle"].get_absolute_url()).status_code == 404
    station = c.get(f"/tasks/weeks/station/{world.orgs['station'].pk}/?cycle={cycle.pk}")
    assert station.status_code == 200 and "全乡镇情况" in html(station)
    assert c.get(f"/tasks/weeks/station/{world.orgs['out_station'].pk}/").status_code == 404
    assert c.get("/tasks/weeks/new/").status_code == 200
    assert c.get("/tasks/weeks/mine/")["Location"] == "/tasks/weeks/"
    comps = c.get("/tasks/weeks/compilations/")
    assert comps.status_code == 200 and "站甲" in html(comps) and "外站" not in html(comps)
    assert c.get(rows["in"]["compilation"].get_absolute_url()).status_code == 200
    assert c.get(rows["out"]["compilation"].get_absolute_url()).status_code == 404
    settings_page = c.get("/tasks/weeks/settings/")
    assert settings_page.status_code == 200 and "只有县委组织部管理员可以修改" in html(settings_page)


def test_station_and_village_pages(world, rows, client_for):
    chief = client_for(world.user(Role.STATION_CHIEF))
    station = world.orgs["station"]
    assert chief.get("/tasks/weeks/mine/")["Location"] == f"/tasks/weeks/station/{station.pk}/"
    page = chief.get(f"/tasks/weeks/station/{station.pk}/")
    assert page.status_code == 200 and "村甲一" in html(page) and "甲已走访8户" in html(page)
    assert "/tasks/weeks/new/" not in html(page)  # no tab for what the chief may not do
    assert 'data-testid="relay"' not in html(page)  # relayed, and the report day is past
    assert chief.get(rows["in"]["cycle"].get_absolute_url()).status_code == 404  # the township's board
    assert chief.get(f"/tasks/weeks/station/{world.orgs['out_station'].pk}/").status_code == 404
    assert chief.get(rows["in"]["compilation"].get_absolute_url()).status_code == 200
    assert chief.get("/tasks/weeks/new/").status_code == 403
    # a non-station org in scope goes to the user's own week
    assert chief.get(f"/tasks/weeks/station/{world.orgs['branch'].pk}/")["Location"] == "/tasks/weeks/mine/"

    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    assert secretary.get("/tasks/weeks/mine/")["Location"] == "/tasks/weeks/villages/"
    mine = secretary.get("/tasks/weeks/villages/")
    text = html(mine)
    assert mine.status_code == 200 and "村甲一" in text and "村甲二" not in text and "外村" not in text
    assert "甲入户走访" in text and "甲主题党日" in text
    assignment = rows["in"]["assignment"]
    assert f'href="/tasks/assignments/{assignment.pk}/"' in text
    assert secretary.get(f"/tasks/weeks/station/{station.pk}/").status_code == 404
    assert secretary.get(rows["in"]["compilation"].get_absolute_url()).status_code == 404
    assert secretary.get("/tasks/weeks/new/").status_code == 403

    leader = client_for(world.user(Role.READONLY_LEADER))
    assert leader.get("/tasks/weeks/").status_code == 200
    comp = rows["in"]["compilation"]
    assert leader.get(comp.get_absolute_url()).status_code == 200
    assert leader.post(f"/tasks/weeks/compilations/{comp.pk}/submit/").status_code == 403
    assert Compilation.objects.get(pk=comp.pk).state == CompilationState.DRAFT


def test_exports_open_in_openpyxl(world, rows, client_for):
    c = client_for(world.user(Role.COUNTY_ADMIN))
    weeks = sheet(c.get("/tasks/weeks/?export=xlsx"))
    assert weeks[1][:2] == ("周（周一）", "乡镇（街道）") and any("镇甲" in r for r in weeks)
    assert not any("外镇" in str(r) for r in weeks)
    comps = sheet(c.get("/tasks/weeks/compilations/?export=xlsx"))
    assert any("站甲" in r and "草稿，逾期未上报" in r for r in comps)
    villages = sheet(c.get("/tasks/weeks/villages/?export=xlsx&state=missing"))
    assert {r[0] for r in villages[2:]} == {"村甲一", "村甲二"} and "操作" not in villages[1]
    board = sheet(c.get(f"{rows['in']['cycle'].get_absolute_url()}?export=xlsx"))
    assert ("村甲二", "村（站甲）", "逾期未报", None, "0/2") in board


# --- issue form -----------------------------------------------------------------------------------


def issue_data(township, week, *tasks):
    data = {
        "township": township.pk,
        "week_start": f"{week:%Y-%m-%d}",
        "note": "",
        "tasks-TOTAL_FORMS": str(max(len(tasks), 3)),
        "tasks-INITIAL_FORMS": "0",
        "tasks-MIN_NUM_FORMS": "0",
        "tasks-MAX_NUM_FORMS": "30",
    }
    for i in range(max(len(tasks), 3)):
        data[f"tasks-{i}-target_kind"] = "number"
    for i, t in enumerate(tasks):
        for k, v in t.items():
            data[f"tasks-{i}-{k}"] = "\n".join(v) if isinstance(v, list) else v
    return data


def test_issue_through_the_form(world, client_for, clock):
    clock(at(MON, 8))
    c = client_for(world.user(Role.TOWNSHIP_STAFF))
    township = world.orgs["township"]
    form = c.get("/tasks/weeks/new/")
    assert 'value="2026-11-30"' in html(form)  # the next week open for issue
    before = (WeeklyCycle.objects.count(), AuditEvent.objects.count())
    bad = c.post("/tasks/weeks/new/", issue_data(township, MON + datetime.timedelta(1), TASK))
    assert bad.status_code == 400 and "2026-12-01不是周一：周任务清单须从周一开始。" in field_errors(
        bad, "week_start"
    )
    bad = c.post("/tasks/weeks/new/", issue_data(township, MON, TASK, {"title": "无目标"}))
    assert bad.status_code == 400
    assert field_errors(bad, "tasks-1-target_value") == ["第2项任务：数量指标须填写目标值。"]
    bad = c.post("/tasks/weeks/new/", issue_data(township, MON))
    assert bad.status_code == 400 and "请至少填写一项任务。" in html(bad)
    bad = c.post("/tasks/weeks/new/", issue_data(world.orgs["out_township"], MON, TASK))
    assert bad.status_code == 400 and field_errors(bad, "township")
    assert (WeeklyCycle.objects.count(), AuditEvent.objects.count()) == before
    ok = c.post(
        "/tasks/weeks/new/",
        issue_data(
            township,
            MON,
            TASK,
            {"title": "主题党日", "target_kind": "checklist", "checklist": ["学习", "讨论"], "key": "on"},
        ),
    )
    cycle = WeeklyCycle.objects.get(org=township, week_start=MON)
    assert ok.status_code == 302 and ok["Location"] == cycle.get_absolute_url()
    assert [(t.title, t.key, t.checklist) for t in cycle.task_list.tasks.order_by("sort_order")] == [
        ("入户走访", False, []),
        ("主题党日", True, ["学习", "讨论"]),
    ]
    again = c.post("/tasks/weeks/new/", issue_data(township, MON, TASK))
    assert again.status_code == 400 and "镇甲2026-11-30周的任务已下达，不能重复下达。" in field_errors(
        again, "week_start"
    )


# --- the station chief's week (the 榆舍 journey, on a phone-sized flow) -----------------------------


def test_station_chief_compiles_sees_one_village_late_and_sends_it_on(world, client_for, clock):
    office, chief_user = world.user(Role.TOWNSHIP_STAFF), world.user(Role.STATION_CHIEF)
    station = world.orgs["station"]
    clock(at(MON, 8))
    cycle = weekly.issue_week(office, township=world.orgs["township"], week_start=MON, tasks=[TASK])
    chief = client_for(chief_user)
    url = f"/tasks/weeks/station/{station.pk}/?cycle={cycle.pk}"
    first = chief.get(url)
    assert 'data-testid="relay"' in html(first) and 'data-testid="draft"' not in html(first)
    r = chief.post(f"/tasks/weeks/station/{station.pk}/relay/", {"cycle": cycle.pk})
    assert r.status_code == 302 and "?cycle=" in r["Location"]
    again = chief.post(f"/tasks/weeks/station/{station.pk}/relay/", {"cycle": cycle.pk})
    assert again.status_code == 400 and "本周任务已分解到各村，无需重复分解。" in html(again)
    # 村甲一 reports on Thursday, 村甲二 on Friday morning (late)
    secretary = world.user(Role.VILLAGE_SECRETARY)
    services.report(
        secretary,
        Assignment.objects.get(task__task_list=cycle.task_list, org=world.orgs["branch"]),
        text="走访10户",
        amount=10,
        now=at(THU, 16),
    )
    services.report(
        world.root,
        Assignment.objects.get(task__task_list=cycle.task_list, org=world.orgs["sibling"]),
        text="走访6户",
        amount=6,
        now=at(FRI, 8),
    )
    clock(at(FRI, 9))
    chief = client_for(chief_user)  # a new day, a new sign-in (sessions time out when idle)
    page = chief.get(url)
    text = html(page)
    assert "逾期报送 1 个村" in text and "村甲二（逾期报）" in text and "村甲一（已报）" in text
    drafted = chief.post(f"/tasks/weeks/station/{station.pk}/draft/", {"cycle": cycle.pk})
    assert drafted.status_code == 302
    comp = Compilation.objects.get(cycle=cycle, org=station)
    assert "村甲二（逾期）：完成6户，走访6户" in comp.body and comp.figures["tasks"][0]["late"] == ["村甲二"]
    page = chief.get(url)
    assert 'data-testid="compilation-form"' in html(page)
    empty = chief.post(f"/tasks/weeks/compilations/{comp.pk}/edit/", {"body": " ", "submit": "0"})
    assert empty.status_code == 400 and field_errors(empty, "body") == ["请填写汇总报告。"]
    body = comp.body + "\n村甲二周五补报，已提醒按时汇报。"
    sent = chief.post(
        f"/tasks/weeks/compilations/{comp.pk}/edit/", {"body": body, "submit": "1", "next": url}
    )
    assert sent.status_code == 302 and sent["Location"] == url
    comp.refresh_from_db()
    assert (
        comp.state == CompilationState.SUBMITTED and not comp.late and comp.body.endswith("已提醒按时汇报。")
    )
    done = chief.get(url)
    assert "已上报" in html(done) and 'data-testid="compilation-form"' not in html(done)
    twice = chief.post(f"/tasks/weeks/compilations/{comp.pk}/submit/")
    assert twice.status_code == 400 and "本周已汇总上报，不能重复汇总" in html(twice)
    redraft = chief.post(f"/tasks/weeks/station/{station.pk}/draft/", {"cycle": cycle.pk})
    assert redraft.status_code == 400 and "本周已汇总上报，不能重复汇总" in html(redraft)
    # the township sees the station as submitted and the village as late
    board = html(client_for(office).get(cycle.get_absolute_url()))
    assert "已上报" in board and "逾期报" in board


def test_settings_page(world, client_for):
    admin = client_for(world.user(Role.COUNTY_ADMIN))
    county = world.orgs["county"]
    page = admin.get("/tasks/weeks/settings/")
    assert page.status_code == 200 and "每周一次：村周四前向工作站汇报，工作站周五前汇总上报乡镇" in html(
        page
    )
    bad = admin.post(
        "/tasks/weeks/settings/",
        {"county": county.pk, "report_weekday": 4, "compile_weekday": 2, "cadence_weeks": 1},
    )
    assert bad.status_code == 400 and field_errors(bad, "compile_weekday") == [
        "工作站汇总日不能早于村级汇报日。"
    ]
    out = admin.post(
        "/tasks/weeks/settings/",
        {
            "county": world.orgs["out_county"].pk,
            "report_weekday": 1,
            "compile_weekday": 2,
            "cadence_weeks": 1,
        },
    )
    assert out.status_code == 400
    assert not RuleOverride.objects.filter(code__startswith="tasks.weekly").exists()
    ok = admin.post(
        "/tasks/weeks/settings/",
        {
            "county": county.pk,
            "report_weekday": 2,
            "compile_weekday": 3,
            "cadence_weeks": 2,
            "source": "组织部通知",
        },
    )
    assert ok.status_code == 302
    assert weekly.week_rules(county) == weekly.WeekRules(2, 3, 2)
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    denied = office.post(
        "/tasks/weeks/settings/",
        {"county": county.pk, "report_weekday": 0, "compile_weekday": 0, "cadence_weeks": 1},
    )
    assert denied.status_code == 403 and weekly.week_rules(county) == weekly.WeekRules(2, 3, 2)


# --- API ------------------------------------------------------------------------------------------


def test_api(world, rows, client_for, clock):
    clock(at(MON, 8))
    office = client_for(world.user(Role.TOWNSHIP_STAFF))
    listed = api(office, "get", "/api/v1/weekly-cycles/").json()
    assert {r["id"] for r in listed["results"]} == {rows["in"]["cycle"].pk}
    assert api(office, "get", f"/api/v1/weekly-cycles/{rows['out']['cycle'].pk}/").status_code == 404
    detail = api(office, "get", f"/api/v1/weekly-cycles/{rows['in']['cycle'].pk}/").json()
    assert detail["stations"][0]["name"] == "站甲" and len(detail["stations"][0]["villages"]) == 2
    body = {"township": world.orgs["township"].pk, "week_start": "2026-12-01", "tasks": [TASK]}
    bad = api(office, "post", "/api/v1/weekly-cycles/", body)
    assert bad.status_code == 400 and bad.json()["week_start"] == [
        "2026-12-01不是周一：周任务清单须从周一开始。"
    ]
    outside = api(
        office, "post", "/api/v1/weekly-cycles/", body | {"township": world.orgs["out_township"].pk}
    )
    assert outside.status_code == 404
    made = api(office, "post", "/api/v1/weekly-cycles/", body | {"week_start": "2026-11-30"})
    assert made.status_code == 201 and made.json()["report_due"] == "2026-12-03"
    cycle_id = made.json()["id"]

    chief = client_for(world.user(Role.STATION_CHIEF))
    station = world.orgs["station"].pk
    assert api(chief, "get", f"/api/v1/weekly-cycles/{cycle_id}/").status_code == 404  # the township's own
    relay = api(chief, "post", "/api/v1/weekly-cycles/relay/", {"cycle": cycle_id, "station": station})
    assert relay.status_code == 201 and relay.json() == {"created": 2, "villages": ["村甲一", "村甲二"]}
    out = api(
        chief,
        "post",
        "/api/v1/weekly-cycles/relay/",
        {"cycle": rows["out"]["cycle"].pk, "station": world.orgs["out_station"].pk},
    )
    assert out.status_code == 404
    draft = api(chief, "post", "/api/v1/weekly-cycles/draft/", {"cycle": cycle_id, "station": station})
    assert draft.status_code == 200 and draft.json()["state"] == "draft"
    comp_id = draft.json()["id"]
    patched = api(chief, "patch", f"/api/v1/compilations/{comp_id}/", {"body": "本周情况良好。"})
    assert patched.status_code == 200 and patched.json()["body"] == "本周情况良好。"
    assert api(chief, "patch", f"/api/v1/compilations/{comp_id}/", {"body": ""}).json()["body"] == [
        "请填写汇总报告。"
    ]
    assert api(chief, "post", f"/api/v1/compilations/{comp_id}/submit/").json()["state"] == "submitted"
    twice = api(chief, "post", f"/api/v1/compilations/{comp_id}/submit/")
    assert twice.status_code == 400 and twice.json()["detail"] == "本周已汇总上报，不能重复汇总。"
    out_comp = rows["out"]["compilation"].pk
    assert api(chief, "get", f"/api/v1/compilations/{out_comp}/").status_code == 404
    assert api(chief, "patch", f"/api/v1/compilations/{out_comp}/", {"body": "越权"}).status_code == 404
    assert api(chief, "post", f"/api/v1/compilations/{out_comp}/submit/").status_code == 404
    assert Compilation.objects.get(pk=out_comp).state == CompilationState.DRAFT
    schema = office.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/weekly-cycles/relay/" in schema.content


# --- query counts ---------------------------------------------------------------------------------


def add_weeks(world, n: int, start: int):
    """`n` more townships of county 甲, each with a station, two villages and a relayed week; and `n` more
    villages of 站甲 in the world's week, one of them reporting."""
    root, station = world.root, world.orgs["station"]
    week = world.weekly["in"]["cycle"]
    for i in range(start, start + n):
        village = create_org(root, parent=station, name=f"测站甲村{i}", kind="branch", code=f"QV{i}")
        made = weekly.relay_week(root, week, station, today=week.week_start)
        services.report(root, made[0], text="已走访", amount=3, now=at(week.report_due))
        assert {a.org_id for a in made} == {village.pk}
        t = create_org(root, parent=world.orgs["county"], name=f"测镇{i}", kind="township", code=f"QT{i}")
        s = create_org(root, parent=t, name=f"测站{i}", kind="station", code=f"QS{i}")
        for j in range(2):
            create_org(root, parent=s, name=f"测村{i}-{j}", kind="branch", code=f"QB{i}-{j}")
        cycle = weekly.issue_week(
            root, township=t, week_start=MON, tasks=[TASK, TASK | {"title": "二"}], today=MON
        )
        weekly.relay_week(root, cycle, s, today=MON)
        weekly.draft_compilation(root, cycle, s, now=at(THU))


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, HTTP_ACCEPT="application/json") if "/api/" in url else client.get(url)
        assert r.status_code == 200, url
    return len(ctx)


def test_query_counts_do_not_grow(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    cycle, station = world.weekly["in"]["cycle"], world.orgs["station"]
    comp = world.weekly["in"]["compilation"]
    urls = (
        cycle.get_absolute_url(),
        f"{cycle.get_absolute_url()}?export=xlsx",
        f"/tasks/weeks/station/{station.pk}/?cycle={cycle.pk}",
        comp.get_absolute_url(),
        f"/api/v1/weekly-cycles/{cycle.pk}/",
        "/tasks/weeks/",
        "/tasks/weeks/?export=xlsx",
        "/tasks/weeks/compilations/",
        "/tasks/weeks/compilations/?export=xlsx",
        "/tasks/weeks/villages/",
        "/tasks/weeks/villages/?export=xlsx",
        "/api/v1/weekly-cycles/",
        "/api/v1/compilations/",
    )
    add_weeks(world, 1, 0)
    small = {url: count(client, url) for url in urls}
    add_weeks(world, 4, 1)
    large = {url: count(client, url) for url in urls}
    assert large == small
