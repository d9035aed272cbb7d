"""/api/v1/meeting-compliance/: the compliance page's rows as data, scoped, in the OpenAPI schema."""

import datetime

import pytest

from dangjian.core.roles import Role
from dangjian.meetings import rules as R
from dangjian.meetings.choices import MeetingKind as K
from dangjian.meetings.models import Meeting

from .compliance_support import meeting, office

D = datetime.date
API = "/api/v1/meeting-compliance/"


@pytest.fixture
def w(world):
    Meeting.objects.all().delete()
    office(world.orgs["township"])
    world.theme = meeting(world.orgs["branch"], K.THEME_DAY, D(2026, 5, 8))
    meeting(world.orgs["out_branch"], K.THEME_DAY, D(2026, 5, 8))
    return world


def get(client, **params):
    return client.get(API, params, HTTP_ACCEPT="application/json")


def test_the_same_rows_as_the_page(w, client_for):
    client = client_for(w.user(Role.STATION_CHIEF))
    r = get(client, period="2026-05")
    assert r.status_code == 200
    data = r.json()
    assert data["org"]["id"] == w.orgs["station"].pk and data["period"]["label"] == "2026年5月"
    assert data["period"]["closed"] is True and data["warning_days"] == 7
    page = client.get("/meetings/compliance/", {"period": "2026-05"}).context["table"]
    assert [(row["name"], row["role"], row["due"], row["met"]) for row in data["rows"]] == [
        (row.name, row.role, row.due, row.met) for row in page.rows
    ]
    branch = data["rows"][0]
    theme = next(c for c in branch["cells"] if c["rule"] == R.THEME_DAY.code)
    assert theme == {
        "rule": R.THEME_DAY.code,
        "kind": "theme_day",
        "state": "met",
        "text": "1/1",
        "required": 1,
        "meetings": 1,
        "due": 1,
        "met": 1,
        "meeting_ids": [w.theme.pk],
        "evidence_url": f"/meetings/?org={w.orgs['branch'].pk}&kind=theme_day"
        "&status=held&date_from=2026-05-01&date_to=2026-05-31",
    }
    rule = next(r for r in data["rules"] if r["code"] == R.THEME_DAY.code)
    assert rule["source"].startswith("《中国共产党支部工作条例") and rule["per"] == "month"


def test_scope_and_bad_input(w, client_for):
    client = client_for(w.user(Role.VILLAGE_SECRETARY))
    assert [row["name"] for row in get(client, period="2026-05").json()["rows"]] == ["村甲一"]
    for key in ("sibling", "out_branch"):
        r = get(client, org=w.orgs[key].pk)
        assert r.status_code == 404 and r.json() == {"detail": "未找到。"}
    bad = get(client, period="2026-Q9")
    assert bad.status_code == 400 and "期间格式不正确" in bad.json()["period"][0]
    assert get(client_for(w.user(Role.DEPT_LIAISON))).status_code == 403
    assert client.post(API, {"org": w.orgs["out_branch"].pk}).status_code == 405
    assert Meeting.objects.count() == 2


def test_in_the_schema(w, client_for):
    schema = client_for(w.root).get("/api/schema/", HTTP_ACCEPT="application/json").json()
    op = schema["paths"][API]["get"]
    assert {p["name"] for p in op["parameters"]} >= {"org", "period"}
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Compliance"
    }
    assert {"org", "period", "rules", "rows"} <= set(
        schema["components"]["schemas"]["Compliance"]["properties"]
    )
