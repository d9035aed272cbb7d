"""The compliance page: default org and period, drill-down, evidence links, colours, Excel export,
scope (a secretary sees only her branch; another org answers 404) and a constant number of queries."""

import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.models import Meeting
from dangjian.orgs.services import create_org

from .compliance_support import meeting, office, pin_today

D = datetime.date
URL = "/meetings/compliance/"


@pytest.fixture
def w(world):
    Meeting.objects.all().delete()
    office(world.orgs["township"])
    world.theme = meeting(world.orgs["branch"], K.THEME_DAY, D(2026, 5, 8))
    meeting(world.orgs["out_branch"], K.THEME_DAY, D(2026, 5, 8), topic="外村主题党日")
    return world


@pytest.fixture
def today(monkeypatch):
    """Pin the pages' today (the engine is tested with explicit dates elsewhere)."""

    def pin(day):
        pin_today(monkeypatch, day)

    pin(D(2026, 11, 22))
    return pin


def rows(response) -> dict[str, dict]:
    table = response.context["table"]
    return {r.name: r for r in table.rows}


def test_url_names():
    assert reverse("meeting-compliance") == URL and reverse("meeting-calendar") == "/meetings/calendar/"


def test_default_is_the_users_top_org_and_this_month(w, client_for, today):
    r = client_for(w.user(Role.COUNTY_ADMIN)).get(URL)
    assert r.status_code == 200
    assert r.context["org"] == w.orgs["county"] and r.context["period"].key == "2026-11"
    assert list(rows(r)) == ["镇甲", "县甲 合计"]
    text = r.content.decode()
    assert "2026年11月" in text and "2026年10月" in text and "2026年12月" in text
    assert "外村" not in text


def test_drill_down_from_county_to_branch(w, client_for, today):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    r = client.get(URL, {"period": "2026-05"})
    town = rows(r)["镇甲"]
    assert town.drill and f'href="?org={w.orgs["township"].pk}&period=2026-05"' in r.content.decode()
    r = client.get(URL, {"org": w.orgs["township"].pk, "period": "2026-05"})
    assert list(rows(r)) == ["社区甲", "站甲", "联甲", "镇甲（本级）", "镇甲 合计"]
    assert [o.name for o in r.context["breadcrumb"]] == ["县甲"]
    r = client.get(URL, {"org": w.orgs["station"].pk, "period": "2026-05"})
    assert list(rows(r)) == ["村甲一", "村甲二", "站甲（本级）", "站甲 合计"]
    r = client.get(URL, {"org": w.orgs["branch"].pk, "period": "2026-05"})
    assert list(rows(r)) == ["村甲一"]


def test_cells_link_to_the_meetings_behind_them_and_are_coloured(w, client_for, today):
    r = client_for(w.user(Role.STATION_CHIEF)).get(URL, {"period": "2026-05"})
    branch = rows(r)["村甲一"]
    theme = next(c for c in branch.cells if c.kind == K.THEME_DAY)
    assert (theme.text, theme.state, theme.css) == ("1/1", "met", "table-success")
    parts = urlsplit(theme.url)
    assert parts.path == reverse("meeting-list")
    assert parse_qs(parts.query) == {
        "org": [str(w.orgs["branch"].pk)],
        "kind": ["theme_day"],
        "status": ["held"],
        "date_from": ["2026-05-01"],
        "date_to": ["2026-05-31"],
    }
    listed = client_for(w.user(Role.STATION_CHIEF)).get(theme.url, {"format": "json"})
    assert listed.status_code == 200
    assert [m.pk for m in listed.context["table"].data] == [w.theme.pk]
    sibling = next(c for c in rows(r)["村甲二"].cells if c.kind == K.THEME_DAY)
    assert (sibling.text, sibling.state, sibling.css) == ("0/1", "overdue", "table-danger")
    body = r.content.decode()
    assert 'class="text-center table-danger"' in body and 'class="text-center table-success"' in body
    r = client_for(w.user(Role.STATION_CHIEF)).get(URL, {"period": "2026-11"})  # 8 days left: open, white
    assert next(c for c in rows(r)["村甲二"].cells if c.kind == K.THEME_DAY).state == "pending"
    today(D(2026, 11, 24))
    r = client_for(w.user(Role.STATION_CHIEF)).get(URL, {"period": "2026-11"})
    assert next(c for c in rows(r)["村甲二"].cells if c.kind == K.THEME_DAY).css == "table-warning"


def test_period_picker_fields_and_names(w, client_for, today):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    r = client.get(URL, {"kind": "quarter", "year": "2026", "quarter": "3", "month": "5"})
    assert r.context["period"].label == "2026年第三季度"
    assert client.get(URL, {"kind": "year", "year": "2025"}).context["period"].label == "2025年"
    assert (
        client.get(URL, {"kind": "month", "year": "2026", "month": "2"}).context["period"].label
        == "2026年2月"
    )
    bad = client.get(URL, {"period": "2026-13"})
    assert bad.status_code == 400 and "期间格式不正确" in bad.content.decode()


def test_a_secretary_sees_only_her_branch(w, client_for, today):
    client = client_for(w.user(Role.VILLAGE_SECRETARY))
    r = client.get(URL, {"period": "2026-05"})
    assert r.context["org"] == w.orgs["branch"] and list(rows(r)) == ["村甲一"]
    assert "村甲二" not in r.content.decode()
    for key in ("sibling", "station", "out_branch"):
        assert client.get(URL, {"org": w.orgs[key].pk}).status_code == 404
    assert client.get(URL, {"org": "abc"}).status_code == 404
    assert client.get(URL, {"org": w.orgs["out_branch"].pk, "export": "xlsx"}).status_code == 404


def test_out_of_scope_org_is_404_for_the_county_too(w, client_for, today):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    assert client.get(URL, {"org": w.orgs["out_township"].pk}).status_code == 404
    assert client.post(URL, {"org": w.orgs["out_branch"].pk}).status_code == 405


def test_a_role_without_meetings_is_refused(w, client_for, today):
    assert client_for(w.user(Role.DEPT_LIAISON)).get(URL).status_code == 403


def test_excel_export_is_the_same_table(w, client_for, today):
    client = client_for(w.user(Role.TOWNSHIP_STAFF))
    page = client.get(URL, {"period": "2026-05"})
    r = client.get(URL, {"period": "2026-05", "export": "xlsx"})
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxmlformats")
    data = b"".join(r.streaming_content)
    sheet = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert "镇甲 2026年5月 组织生活完成情况" in sheet[0][0]
    assert sheet[1][:4] == ("组织", "类型", "会议完成率", "参会率")
    table = page.context["table"]
    assert [row[0] for row in sheet[2:]] == [r.name for r in table.rows]
    total = sheet[-1]
    theme_col = sheet[1].index("主题党日")
    assert total[theme_col] == "1/3（未完成（已过期））"
    assert total[2] == table.rows[-1].held_pct


def _grow(world, n):
    """n more branches under a new station, each with a theme day."""
    station = create_org(
        world.root, parent=world.orgs["township"], name=f"站甲{n}", kind="station", code=f"SX{n}"
    )
    for i in range(n):
        b = create_org(
            world.root, parent=station, name=f"村{n}-{i}", kind="branch", code=f"BX{n}-{i}", confirm=True
        )
        meeting(b, K.THEME_DAY, D(2026, 5, 8))


def test_constant_queries_at_two_sizes(w, client_for, today):
    client = client_for(w.user(Role.COUNTY_ADMIN))
    counts = []
    for n in (2, 12):
        _grow(w, n)
        for org in ("county", "township"):
            client.get(URL, {"org": w.orgs[org].pk, "period": "2026-Q2"})  # warm the session
            with CaptureQueriesContext(connection) as q:
                r = client.get(URL, {"org": w.orgs[org].pk, "period": "2026-Q2"})
            assert r.status_code == 200
            counts.append(len(q))
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
    assert max(counts) <= 16, counts
