"""Pages and API: scoped lists with search and Excel, the station page, 404 outside scope, refusals as
400 beside the field, and a constant number of queries whatever the row count."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.liaison import services
from dangjian.liaison.choices import DeputyKind, Level
from dangjian.liaison.models import Contact, Deputy

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LISTS = ("/liaison/", "/liaison/contacts/", "/liaison/meetings/")


def sheet_text(response) -> str:
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return "\n".join(str(c) for ws in wb for row in ws.iter_rows(values_only=True) for c in row if c)


@pytest.mark.parametrize("url", LISTS)
def test_lists_are_scoped_and_export(world, client_for, url):
    client = client_for(world.user(Role.STATION_CHIEF))
    page = client.get(url).content.decode()
    assert "甲" in page and "外党代表" not in page and "外站" not in page
    r = client.get(url, {"export": "xlsx"})
    assert r["Content-Type"] == XLSX
    text = sheet_text(r)
    assert "甲" in text and "外" not in text


def test_deputy_list_search_filter_sort(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    page = client.get("/liaison/", {"kind": DeputyKind.NPC}).content.decode()
    assert "甲人大代表" in page and "甲党代表" not in page
    page = client.get("/liaison/", {"q": "党代表", "sort": "-contacts_year"}).content.decode()
    assert "共 1 条" in page
    page = client.get("/liaison/contacts/", {"q": "道路"}).content.decode()
    assert "甲村道路硬化" in page


def test_station_page_counts_this_years_contacts(world, client_for):
    client = client_for(world.user(Role.STATION_CHIEF))
    station = world.orgs["station"]
    page = client.get(f"/liaison/stations/{station.pk}/").content.decode()
    assert "甲党代表" in page and "甲人大代表" in page and "甲站产业项目协商" in page
    assert "外" not in page
    assert client.get(f"/liaison/stations/{world.orgs['out_station'].pk}/").status_code == 404


def test_detail_pages_404_outside_scope(world, client_for):
    client = client_for(world.user(Role.STATION_CHIEF))
    out, own = world.liaison["外"], world.liaison["甲"]
    assert client.get(f"/liaison/{out['party'].pk}/").status_code == 404
    assert client.get(f"/liaison/meetings/{out['meeting'].pk}/").status_code == 404
    page = client.get(f"/liaison/{own['party'].pk}/").content.decode()
    assert "甲村道路硬化" in page and "甲站产业项目协商" in page
    page = client.get(f"/liaison/meetings/{own['meeting'].pk}/").content.decode()
    assert "甲党代表" in page and "甲人大代表" in page


def test_ui_writes_and_refusals(world, client_for):
    client = client_for(world.user(Role.TOWNSHIP_STAFF))
    station = world.orgs["station"]
    base = {
        "org": station.pk,
        "name": "甲政协委员",
        "kind": "cppcc",
        "level": "township",
        "term_start": "2021-12-01",
    }
    r = client.post("/liaison/new/", base)
    assert r.status_code == 400 and "乡镇不设政协" in r.content.decode()
    r = client.post("/liaison/new/", base | {"level": "county"})
    assert r.status_code == 302
    deputy = Deputy.objects.get(name="甲政协委员")
    assert deputy.term_end == datetime.date(2026, 12, 1)
    r = client.post(
        f"/liaison/{deputy.pk}/contact/",
        {"contacted_on": "2026-06-01", "way": "visit", "topic": "t", "outcome": "o"},
    )
    assert r.status_code == 400 and "请选择联系的支部或填写联系的群众" in r.content.decode()
    r = client.post(
        f"/liaison/{deputy.pk}/contact/",
        {
            "contacted_on": "2026-06-01",
            "way": "visit",
            "branch": world.orgs["sibling"].pk,
            "topic": "t",
            "outcome": "o",
        },
    )
    assert r.status_code == 302 and Contact.objects.filter(deputy=deputy).count() == 1
    r = client.post(
        "/liaison/meetings/new/",
        {"org": station.pk, "held_on": "2026-06-02", "topic": "甲议题", "result": "通过"},
    )
    assert r.status_code == 400 and "至少有一名代表委员参加" in r.content.decode()
    r = client.post(
        "/liaison/meetings/new/",
        {
            "org": station.pk,
            "held_on": "2026-06-02",
            "topic": "甲议题",
            "result": "通过",
            "attendees": [deputy.pk],
        },
    )
    assert r.status_code == 302


def test_api_scoped_and_writes(world, client_for):
    client = client_for(world.user(Role.STATION_CHIEF))
    for url in ("/api/v1/deputies/", "/api/v1/deputy-contacts/", "/api/v1/consultations/"):
        body = client.get(url).content.decode()
        assert "甲" in body and "外" not in body, url
    out, own = world.liaison["外"], world.liaison["甲"]
    assert client.get(f"/api/v1/deputies/{out['party'].pk}/").status_code == 404
    r = client.post(
        f"/api/v1/deputies/{out['party'].pk}/contacts/",
        {"resident_name": "x", "contacted_on": "2026-05-01", "topic": "t", "outcome": "o"},
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.post(
        f"/api/v1/deputies/{own['party'].pk}/contacts/",
        {
            "resident_name": "甲村民",
            "contacted_on": "2026-05-01",
            "topic": "低保",
            "outcome": "已转办",
            "case_ref": "Z-1",
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["case_ref"] == "Z-1"
    r = client.post(
        "/api/v1/deputies/",
        {
            "org": world.orgs["station"].pk,
            "name": "甲乙",
            "kind": "cppcc",
            "level": "township",
            "term_start": "2022-01-01",
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["level"] == ["乡镇不设政协，政协委员只能登记为县级。"]
    r = client.post(
        "/api/v1/consultations/",
        {
            "org": world.orgs["station"].pk,
            "held_on": "2026-05-01",
            "topic": "t",
            "result": "r",
            "attendees": [own["party"].pk, out["party"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/consultations/",
        {
            "org": world.orgs["station"].pk,
            "held_on": "2026-05-01",
            "topic": "t",
            "result": "r",
            "attendees": [own["party"].pk],
        },
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["attendee_names"] == ["甲党代表"]


def _grow(world, n: int) -> None:
    station, branch = world.orgs["station"], world.orgs["branch"]
    for i in range(n):
        d = services.add_deputy(
            world.root,
            station,
            name=f"甲增代表{i}",
            kind=DeputyKind.NPC,
            level=Level.COUNTY,
            term_start=datetime.date(2022, 1, 1),
        )
        services.record_contact(
            world.root, d, branch=branch, contacted_on=datetime.date(2026, 3, 1), topic="t", outcome="o"
        )
        services.record_consultation(
            world.root,
            station,
            held_on=datetime.date(2026, 3, 2),
            topic=f"甲议题{i}",
            result="r",
            attendees=[d],
        )


def test_constant_queries(world, client_for):
    client = client_for(world.user(Role.STATION_CHIEF))
    own = world.liaison["甲"]
    urls = [
        *LISTS,
        f"/liaison/stations/{world.orgs['station'].pk}/",
        f"/liaison/{own['party'].pk}/",
        f"/liaison/meetings/{own['meeting'].pk}/",
        "/api/v1/deputies/",
        "/api/v1/consultations/",
    ]

    def counts():
        out = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            out.append(len(ctx.captured_queries))
        return out

    client.get(urls[0])
    small = counts()
    _grow(world, 6)
    assert counts() == small
