"""The ledger report and department-rate pages and their API: figures, links to the cases behind them,
Excel with one sheet per table, bad input (400 in Chinese), scope (404 outside, a liaison's own department)
and a constant number of queries."""

from __future__ import annotations

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from dangjian.core.roles import Role

from .test_stats import PROBLEMS, SEPTEMBER, TODAY, build_september, more_cases

pytestmark = pytest.mark.django_db

D = datetime.date
REPORT, RATES = "/cases/report/", "/cases/departments/"


@pytest.fixture
def today(monkeypatch):
    """Pin today to 2026-10-20 (the hand-built month is September 2026); localdate(value) still converts."""
    real = timezone.localdate

    def localdate(value=None, timezone=None):
        return TODAY if value is None else real(value, timezone)

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)


def sheets(response) -> dict[str, list[tuple]]:
    data = b"".join(response.streaming_content)
    wb = load_workbook(io.BytesIO(data), read_only=True)
    return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}


def test_the_default_is_the_users_top_org_and_last_month(world, client_for, today):
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(REPORT)
    assert r.status_code == 200
    assert r.context["org"] == world.orgs["township"] and r.context["month"].key == "2026-09"
    text = r.content.decode()
    assert "镇甲2026年9月案件月度台账" in text and 'value="2026-09"' in text


def test_the_townships_ledger_and_its_links(world, client_for, today):
    build_september(world)
    r = client_for(world.user(Role.TOWNSHIP_STAFF)).get(REPORT, {"month": "2026-09"})
    assert r.status_code == 200
    problems = next(i for i in r.context["rows"] if i["row"].category == "甲组织建设")
    assert {c["code"]: c["value"] for c in problems["cells"]} == PROBLEMS
    late = next(c for c in problems["cells"] if c["code"] == "closed_late")
    query = parse_qs(urlsplit(late["url"]).query)
    assert urlsplit(late["url"]).path == "/cases/"
    assert query == {
        "org": [str(world.orgs["township"].pk)],
        "kind": ["problem"],
        "category": [str(problems["row"].category_id)],
        "ledger": ["closed_late:2026-09"],
    }
    assert late["css"] == "status-red"
    text = r.content.decode()
    for title in ("问题C", "问题F", "吹哨3", "吹哨4"):
        assert title in text  # overdue at month end
    assert "问题A" not in text and "问题E" not in text


def test_a_countys_ledger_has_a_row_per_township(world, client_for, today):
    build_september(world)
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(REPORT, {"month": "2026-09"})
    assert r.context["org"] == world.orgs["county"]
    (town,) = r.context["org_rows"]
    assert town["row"].name == "镇甲"
    opened = next(c for c in town["cells"] if c["code"] == "opened")
    assert opened["value"] == 6 and f"org={world.orgs['township'].pk}" in opened["url"]
    assert 'data-testid="township-table"' in r.content.decode()


def test_the_export_has_one_sheet_per_table(world, client_for, today):
    build_september(world)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(REPORT, {"month": "2026-09", "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = sheets(r)
    assert list(book) == ["分类汇总", "各乡镇", "月末逾期案件"]
    summary = book["分类汇总"]
    assert "县甲2026年9月月度台账" in summary[0][0]
    assert summary[1][:4] == ("类型", "类别", "上月结转", "本月新增")
    problems = next(row for row in summary[2:] if row[1] == "甲组织建设")
    assert problems[2:] == tuple(PROBLEMS.values())
    assert summary[-1][0] == "合计"
    assert book["各乡镇"][2][0] == "镇甲"
    overdue = book["月末逾期案件"]
    assert overdue[1][0] == "受理编号" and {row[1] for row in overdue[2:]} == {
        "问题C",
        "问题F",
        "吹哨3",
        "吹哨4",
    }
    station = sheets(
        client.get(REPORT, {"org": world.orgs["station"].pk, "month": "2026-09", "export": "xlsx"})
    )
    assert list(station) == ["分类汇总", "月末逾期案件"]


@pytest.mark.parametrize(
    "params, message",
    [
        ({"month": "2026-13"}, "月份格式不正确"),
        ({"month": "九月"}, "月份格式不正确"),
        ({"month": "2026-11"}, "尚未开始"),
        ({"org": "abc"}, "组织参数不正确"),
        ({"org": "branch"}, "只能按县、乡镇或工作站"),
    ],
)
def test_bad_month_or_org_is_a_400_in_chinese(world, client_for, today, params, message):
    if params.get("org") == "branch":
        params = {"org": world.orgs["branch"].pk}
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(REPORT, params)
    assert r.status_code == 400 and message in r.content.decode()


def test_an_org_outside_scope_is_a_404(world, client_for, today):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    assert client.get(REPORT, {"org": world.orgs["out_township"].pk}).status_code == 404
    assert client.get(REPORT, {"org": world.orgs["county"].pk}).status_code == 404
    assert client.get(REPORT, {"org": world.orgs["station"].pk}).status_code == 200


def test_a_user_with_no_township_in_scope_is_told_so(world, client_for, today):
    for role in (Role.VILLAGE_SECRETARY, Role.GRID_LEADER):
        r = client_for(world.user(role)).get(REPORT)
        assert r.status_code == 200 and "无法生成月度台账" in r.content.decode()


def test_department_rates_page_and_export(world, client_for, today):
    build_september(world)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(RATES, {"start": "2026-09-01", "end": "2026-09-30"})
    assert r.status_code == 200
    text = r.content.decode()
    assert "部门甲住建" in text and "部门甲民政" in text and "33.3%" in text and "66.7%" in text
    r = client.get(RATES)  # last month by default
    assert r.context["rates"].start == SEPTEMBER and r.context["rates"].end == D(2026, 9, 30)
    book = sheets(client.get(RATES, {"start": "2026-09-01", "end": "2026-09-30", "export": "xlsx"}))
    rows = book["部门报到率"]
    assert rows[1][:3] == ("部门", "按时报到率（%）", "按期办结率（%）")
    assert rows[2] == ("部门甲住建", 33.3, 50.0, 4, 2, 1, 3, 1, 1, 2, 1, 2)
    assert rows[-1][:3] == ("合计", 25.0, 66.7)


def test_a_liaison_sees_only_their_department_on_the_page(world, client_for, today):
    build_september(world)
    r = client_for(world.user(Role.DEPT_LIAISON)).get(RATES, {"start": "2026-09-01", "end": "2026-09-30"})
    assert [row.name for row in r.context["rates"].rows] == ["部门甲住建"]
    assert "部门甲民政" not in r.content.decode()


@pytest.mark.parametrize(
    "params, message",
    [
        ({"start": "2026-9-1x"}, "开始日期格式不正确"),
        ({"start": "2026-09-30", "end": "2026-09-01"}, "结束日期不能早于开始日期"),
        ({"county": "x"}, "县参数不正确"),
    ],
)
def test_bad_rate_input_is_a_400(world, client_for, today, params, message):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(RATES, params)
    assert r.status_code == 400 and message in r.content.decode()


def test_a_county_outside_scope_is_a_404(world, client_for, today):
    r = client_for(world.user(Role.COUNTY_ADMIN)).get(RATES, {"county": world.orgs["out_county"].pk})
    assert r.status_code == 404


def test_the_api_gives_the_same_figures(world, client_for, today):
    build_september(world)
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    r = client.get("/api/v1/case-reports/", {"month": "2026-09"})
    assert r.status_code == 200
    body = r.json()
    assert body["org"]["name"] == "镇甲" and body["month"]["key"] == "2026-09"
    row = next(x for x in body["rows"] if x["category"] == "甲组织建设")
    assert row["counts"] == PROBLEMS
    assert {c["title"] for c in body["overdue"]} == {"问题C", "问题F", "吹哨3", "吹哨4"}
    assert client.get("/api/v1/case-reports/", {"month": "2026-13"}).status_code == 400
    assert client.get("/api/v1/case-reports/", {"org": world.orgs["out_township"].pk}).status_code == 404
    rates = client_for(world.user(Role.DEPT_LIAISON)).get(
        "/api/v1/case-department-rates/", {"start": "2026-09-01", "end": "2026-09-30"}
    )
    assert rates.status_code == 200
    assert [x["name"] for x in rates.json()["rows"]] == ["部门甲住建"]
    assert rates.json()["rows"][0]["answer_rate"] == 33.3


def test_the_report_endpoints_are_in_the_schema(client):
    text = client.get("/api/schema/").content.decode()
    assert "/api/v1/case-reports/" in text and "/api/v1/case-department-rates/" in text


def count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_constant_query_counts(world, client_for, today):
    build_september(world)
    client = client_for(world.user(Role.COUNTY_ADMIN))
    month = {"month": "2026-09"}
    period = {"start": "2026-09-01", "end": "2026-09-30"}
    few = count(client, REPORT, month), count(client, RATES, period)
    more_cases(world, 12)
    assert (count(client, REPORT, month), count(client, RATES, period)) == few


@pytest.mark.parametrize("role", [*Role.values, "out_admin"])
def test_the_role_route_matrix_on_the_report_routes(world, client_for, today, role):
    """The scope matrix's list check (no out-of-scope case in the page, the export or the API; a POST
    with an out-of-scope parent writes nothing), on this module's routes with September's cases."""
    from dangjian.core.routes import route_scope_of
    from dangjian.core.tests.test_scope_matrix import ROUTES, check_list_route

    build_september(world)
    user = world.user(role)
    pages = {"cases/report/", "cases/departments/"}
    mine = pages | {"api/v1/^case-reports/$", "api/v1/^case-department-rates/$"}
    routes = [(route, cb) for route, cb in ROUTES if route in mine]
    assert len(routes) == len(mine)
    failures = []
    for route, cb in routes:
        failures += check_list_route(client_for(user), user, world, route, route_scope_of(cb))
    assert not failures
