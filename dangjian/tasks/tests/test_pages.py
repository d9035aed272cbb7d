"""The task pages: lists with filters and Excel export, list and task detail with the roll-up, dispatch,
report and relay forms (bad input → 400 with the message, nothing written), my assignments, the roll-up
page at each level with drill-down links, scope 404s and constant query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.tasks import services
from dangjian.tasks.models import Assignment, Task, TaskList, TaskReport
from dangjian.tasks.testing import scenario

pytestmark = pytest.mark.django_db


def _xlsx(response) -> list[tuple]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return [row for ws in wb for row in ws.iter_rows(values_only=True)]


def _text(response) -> str:
    return response.content.decode()


def test_list_pages_and_exports(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get(reverse("tasklist-list"), {"month": "2027-03"})
    assert page.status_code == 200 and "镇甲三月任务" in _text(page) and "镇甲月度任务清单" not in _text(page)
    assert "外镇" not in _text(page)
    assert "镇甲三月任务" not in _text(client.get(reverse("tasklist-list"), {"q": "不存在的任务"}))
    assert "镇甲三月任务" in _text(client.get(reverse("tasklist-list"), {"q": "修渠"}))
    rows = _xlsx(client.get(reverse("tasklist-list"), {"export": "xlsx", "org": world.orgs["township"].pk}))
    assert any(r and r[0] == "镇甲三月任务" for r in rows) and not any("外镇" in str(r) for r in rows)
    rows = _xlsx(
        client.get(
            reverse("assignment-list"),
            {"export": "xlsx", "task": s["canal"].pk, "leaf": "true", "status": "late"},
        )
    )
    assert rows[1][0] == "任务" and not any("外" in str(r) for r in rows)
    page = client.get(reverse("assignment-list"), {"task": s["canal"].pk, "leaf": "true"})
    assert page.status_code == 200 and "社区甲" in _text(page) and "站甲</td>" not in _text(page)


def test_detail_pages(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    page = client.get(s["list"].get_absolute_url())
    body = _text(page)
    assert page.status_code == 200 and "甲镇修渠" in body and "甲镇学习" in body and "下达" in body
    assert "table-danger" not in body or "有逾期" in body
    page = client.get(s["canal"].get_absolute_url())
    body = _text(page)
    assert page.status_code == 200 and 'data-testid="dispatch-form"' in body and "村甲一" in body
    page = client.get(reverse("assignment-detail", args=[s["station"].pk]))
    assert (
        page.status_code == 200
        and "下级完成情况" in _text(page)
        and 'data-testid="report-form"' not in _text(page)
    )
    # scope: 404 outside, the out county's rows
    out = client_for(world.user("out_admin"))
    for url in (
        s["list"].get_absolute_url(),
        s["canal"].get_absolute_url(),
        reverse("assignment-detail", args=[s["branch"].pk]),
        reverse("assignment-report", args=[s["branch"].pk]),
        reverse("task-dispatch", args=[s["canal"].pk]),
    ):
        assert out.get(url).status_code == 404
        assert out.post(url, {"text": "越权", "amount": 1}).status_code == 404
    assert out.get(reverse("task-rollup"), {"org": world.orgs["township"].pk}).status_code == 404


def test_new_list_add_task_dispatch(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert client.get(reverse("tasklist-new")).status_code == 200
    r = client.post(
        reverse("tasklist-new"),
        {"org": world.orgs["out_township"].pk, "kind": "monthly", "period_start": "2027-05-03"},
    )
    assert (
        r.status_code == 400 and not TaskList.objects.filter(period_start=datetime.date(2027, 5, 1)).exists()
    )
    r = client.post(
        reverse("tasklist-new"),
        {"org": world.orgs["township"].pk, "kind": "monthly", "period_start": "2027-05-03"},
    )
    tl = TaskList.objects.get(org=world.orgs["township"], period_start=datetime.date(2027, 5, 1))
    assert r.status_code == 302 and r["Location"] == reverse("task-new", args=[tl.pk])
    r = client.post(
        reverse("task-new", args=[tl.pk]), {"title": "甲镇植树", "target_kind": "number", "due": "2027-05-20"}
    )
    assert (
        r.status_code == 400
        and "数量指标须填写目标值" in _text(r)
        and not Task.objects.filter(task_list=tl).exists()
    )
    r = client.post(
        reverse("task-new", args=[tl.pk]),
        {
            "title": "甲镇清单",
            "target_kind": "checklist",
            "checklist": "一\n二\n",
            "due": "2027-05-20",
            "key": "on",
        },
    )
    task = Task.objects.get(task_list=tl)
    assert r.status_code == 302 and task.checklist == ["一", "二"] and task.key
    url = reverse("task-dispatch", args=[task.pk])
    r = client.post(url, {"orgs": [world.orgs["out_branch"].pk]})
    assert r.status_code == 400 and not Assignment.objects.filter(task=task).exists()
    r = client.post(url, {"orgs": [], "kind": ""})
    assert r.status_code == 400 and "请选择下达对象" in _text(r)
    r = client.post(url, {"kind": "branch", "due": "2020-01-01"})
    assert (
        r.status_code == 400
        and "完成期限不能早于下达日期" in _text(r)
        and not Assignment.objects.filter(task=task).exists()
    )
    r = client.post(url, {"orgs": [world.orgs["branch"].pk, world.orgs["community"].pk]})
    assert r.status_code == 302
    assert set(Assignment.objects.filter(task=task).values_list("org__name", flat=True)) == {
        "村甲一",
        "社区甲",
    }
    r = client.post(
        reverse("task-edit", args=[task.pk]),
        {
            "title": "甲镇清单（改）",
            "target_kind": "checklist",
            "checklist": "一\n二\n三",
            "due": "2027-05-20",
        },
    )
    assert r.status_code == 400 and "不能修改指标" in _text(r)
    r = client.post(
        reverse("task-edit", args=[task.pk]),
        {"title": "甲镇清单（改）", "target_kind": "checklist", "checklist": "一\n二", "due": "2027-05-20"},
    )
    assert r.status_code == 302 and Task.objects.get(pk=task.pk).title == "甲镇清单（改）"
    # a village secretary cannot open the new-list page
    assert client_for(world.user(Role.VILLAGE_SECRETARY)).get(reverse("tasklist-new")).status_code == 403


def test_report_and_relay_forms(world, client_for, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    s = scenario(world)
    secretary = client_for(world.user(Role.VILLAGE_SECRETARY))
    url = reverse("assignment-report", args=[s["s_branch"].pk])
    page = secretary.get(url)
    assert page.status_code == 200 and "学习" not in "" and 'name="checklist_done"' in _text(page)
    before = TaskReport.objects.count()
    r = secretary.post(url, {"text": "", "checklist_done": ["0"]})
    assert r.status_code == 400 and "请填写完成情况" in _text(r) and TaskReport.objects.count() == before
    r = secretary.post(url, {"text": "第三项也完成", "checklist_done": ["0", "1", "2"]})
    assert r.status_code == 302 and Assignment.objects.get(pk=s["s_branch"].pk).state == "done"
    r = secretary.post(reverse("assignment-report", args=[s["branch"].pk]), {"text": "负数", "amount": "-3"})
    assert r.status_code == 400 and "不能为负数" in _text(r)
    with open(tmp_path / "x.pdf", "wb") as fh:
        fh.write(b"%PDF-1.4\n%%EOF\n")
    with open(tmp_path / "x.pdf", "rb") as fh:
        r = secretary.post(
            reverse("assignment-report", args=[s["branch"].pk]),
            {"text": "附照片", "amount": "1000", "files": fh},
        )
    assert r.status_code == 302
    rep = TaskReport.objects.filter(assignment=s["branch"]).order_by("-pk").first()
    f = rep.files.get()
    assert secretary.get(reverse("taskreport-file", args=[f.pk])).status_code == 200
    assert client_for(world.user("out_admin")).get(reverse("taskreport-file", args=[f.pk])).status_code == 404
    # the readonly leader may look but not report
    assert client_for(world.user(Role.READONLY_LEADER)).post(url, {"text": "x"}).status_code == 403
    # relay: the township dispatches to the station, the station chief relays to its villages
    office = world.user(Role.TOWNSHIP_STAFF)
    t = services.add_task(
        office, s["list"], title="甲镇走访", due=datetime.date(2027, 3, 28), target_value=10, unit="户"
    )
    (station,) = services.dispatch(office, t, orgs=[world.orgs["station"]], today=datetime.date(2027, 3, 1))
    chief = client_for(world.user(Role.STATION_CHIEF))
    page = chief.get(reverse("assignment-detail", args=[station.pk]))
    assert 'data-testid="relay-form"' in _text(page)
    r = chief.post(reverse("assignment-relay", args=[station.pk]), {"orgs": [world.orgs["community"].pk]})
    assert r.status_code == 400 and Assignment.objects.filter(parent=station).count() == 0
    r = chief.post(reverse("assignment-relay", args=[station.pk]), {"kind": "branch"})
    assert r.status_code == 302 and Assignment.objects.filter(parent=station).count() == 2


def test_my_assignments(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.VILLAGE_SECRETARY))
    page = client.get(reverse("assignment-mine"))
    body = _text(page)
    assert (
        page.status_code == 200
        and "甲镇修渠" in body
        and reverse("assignment-report", args=[s["branch"].pk]) in body
    )
    assert "村甲二" not in body
    rows = _xlsx(client.get(reverse("assignment-mine"), {"export": "xlsx"}))
    assert any("甲镇学习" in str(r) for r in rows) and not any("村甲二" in str(r) for r in rows)


def test_rollup_page_levels_and_links(world, client_for):
    s = scenario(world)
    # the pages count lateness against the real today: move the canal's due date into the past
    Assignment.objects.filter(task=s["canal"]).update(due=datetime.date(2026, 11, 1))
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get(reverse("task-rollup"), {"month": "2027-03"})
    body = _text(page)
    assert page.status_code == 200 and "镇甲" in body and "46%" in body  # the county: its township
    assert f"?org={world.orgs['township'].pk}&month=2027-03" in body  # drill down
    page = client.get(reverse("task-rollup"), {"month": "2027-03", "org": world.orgs["township"].pk})
    body = _text(page)
    assert "站甲" in body and "社区甲" in body and "70%" in body and "村甲二、社区甲" in body
    link = f"org={world.orgs['community'].pk}&amp;leaf=true&amp;status=late"
    assert link in body
    page = client.get(reverse("task-rollup"), {"month": "2027-03", "org": world.orgs["station"].pk})
    assert "村甲一" in _text(page) and "村甲二" in _text(page)
    rows = _xlsx(
        client.get(
            reverse("task-rollup"), {"month": "2027-03", "org": world.orgs["township"].pk, "export": "xlsx"}
        )
    )
    # 站甲: canal 2000 + checklist 6 targets; capped 1000 + 400 + 2 + 3
    assert any(r[:5] == ("下级单位", "站甲", 2006, 1405, 1455) for r in rows)
    assert any(r[0] == "任务" and r[1].startswith("甲镇修渠") and r[9] == "村甲二、社区甲" for r in rows if r)
    assert client.get(reverse("task-rollup"), {"org": "abc"}).status_code == 404
    assert s  # the scenario is what the figures count


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, params)
        assert r.status_code == 200
    return len(ctx.captured_queries)


def test_constant_queries(world, client_for):
    s = scenario(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    pages = [
        (reverse("tasklist-list"), {}),
        (reverse("assignment-list"), {}),
        (reverse("assignment-mine"), {}),
        (reverse("task-rollup"), {"month": "2027-03", "org": world.orgs["township"].pk}),
        (s["list"].get_absolute_url(), {}),
    ]
    before = [_count(client, u, p) for u, p in pages]
    for i in range(4):
        tl = services.create_task_list(
            world.root, org=world.orgs["township"], kind="monthly", period_start=datetime.date(2027, 4 + i, 1)
        )
        for j in range(2):
            t = services.add_task(
                world.root, s["list"], title=f"甲任务{i}{j}", due=datetime.date(2027, 3, 30), target_value=5
            )
            services.dispatch(world.root, t, kind="branch", today=datetime.date(2027, 3, 1))
            services.add_task(
                world.root, tl, title=f"甲四月{i}{j}", due=datetime.date(2027, 8, 30), target_value=1
            )
    after = [_count(client, u, p) for u, p in pages]
    assert after == before
