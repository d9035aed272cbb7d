"""The station list (columns, filters, sorting, export) and every list page's query count, which must
not grow with the number of rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.orgs.services import create_org
from dangjian.stations import services
from dangjian.stations.choices import ChecklistItem, Post, System

from .conftest import D, at, html, sheet_rows

LISTS = (
    "/stations/",
    "/stations/staff/",
    "/stations/inspections/",
    "/stations/half-days/",
    "/stations/research/",
    "/stations/research/plans/",
    "/stations/research/appraisals/",
    "/api/v1/station-staff/",
    "/api/v1/station-checklist/",
    "/api/v1/station-systems/",
    "/api/v1/station-inspections/",
    "/api/v1/service-half-days/",
    "/api/v1/research-plans/",
    "/api/v1/research-rounds/",
    "/api/v1/research-reports/",
    "/api/v1/research-appraisals/",
)


def add_stations(world, n, start=0):
    """`n` more stations under 镇甲, each with a branch, staff, a check, an inspection, a half-day and a
    round with a report, scored at a new appraisal."""
    root, township = world.root, world.orgs["township"]
    meeting = services.hold_appraisal(
        root, township, year=2026, held_on=D(2026, 11, 28), reviewers="镇党委", today=D(2026, 11, 30)
    )
    for i in range(start, start + n):
        st = create_org(root, parent=township, name=f"测站{i}", kind="station", code=f"TS{i}")
        b = create_org(root, parent=st, name=f"测村{i}", kind="branch", code=f"TB{i}")
        for post in (Post.CHIEF, Post.DEPUTY, Post.WORKER):
            services.add_staff(
                root, st, name=f"测{post}{i}", post=post, since=D(2026, 1, 1), today=D(2026, 11, 1)
            )
        services.check_item(
            root, st, item=ChecklistItem.SITE, met=True, checked_on=D(2026, 11, 1), today=D(2026, 11, 1)
        )
        services.set_system(
            root,
            st,
            system=System.ERRAND,
            posted=True,
            in_force=True,
            adopted_on=D(2026, 1, 1),
            checked_on=D(2026, 11, 1),
            today=D(2026, 11, 1),
        )
        services.record_inspection(
            root,
            st,
            branch=b,
            inspected_at=at(2026, 11, 5, 9),
            inspectors="测",
            items_checked="测",
            now=at(2026, 11, 6),
        )
        services.record_half_day(
            root,
            st,
            held_on=D(2026, 11, 5),
            session="morning",
            place="测",
            staff_on_duty="测",
            today=D(2026, 11, 6),
        )
        rnd = services.record_round(
            root,
            st,
            topic="测",
            started_on=D(2026, 11, 1),
            ended_on=D(2026, 11, 2),
            villages=[b],
            participants="测",
            today=D(2026, 11, 6),
        )
        rep = services.submit_report(
            root, rnd, title=f"测报告{i}", text="测", submitted_on=D(2026, 11, 3), today=D(2026, 11, 6)
        )
        services.score_reports(root, meeting, [services.ScoreInput(rep.pk, "80")])


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, HTTP_ACCEPT="application/json") if "/api/" in url else client.get(url)
        assert r.status_code == 200, url
    return len(ctx)


def test_query_counts_do_not_grow(world, users, client_for):
    client = client_for(users.admin)
    station = world.orgs["station"]
    add_stations(world, 2)
    urls = (*LISTS, f"/stations/{station.pk}/", "/stations/?export=xlsx", "/stations/research/?export=xlsx")
    small = {url: count(client, url) for url in urls}
    add_stations(world, 6, start=2)
    large = {url: count(client, url) for url in urls}
    assert large == small


def test_station_list_columns(world, users, client_for):
    client = client_for(users.office)
    page = html(client.get("/stations/"))
    assert "站甲" in page and "外站" not in page
    assert "甲站长" in page  # the chief
    assert "3名（站长1、副站长1、专职1；应3–5名）" in page
    assert "1/6" in page and "1/8" in page
    rows = sheet_rows(client.get("/stations/", {"export": "xlsx"}))
    assert rows[1] == (
        "党建工作站",
        "乡镇（街道）",
        "站长",
        "人员（现有/规定）",
        "六个到位",
        "8项制度",
        "本月督查村数",
        "最近便民服务",
        "今年集中调研",
    )
    data = rows[2]
    assert data[:5] == ("站甲", "镇甲", "甲站长", "3名（站长1、副站长1、专职1；应3–5名）", "1/6")
    assert data[5] == "1/8" and str(data[7]).startswith("2026-11-03")


def test_station_list_filters_and_sorting(world, users, client_for):
    add_stations(world, 2)
    client = client_for(users.office)
    services.check_item(
        world.root,
        world.orgs["station"],
        item=ChecklistItem.FUNDS,
        met=True,
        checked_on=D(2026, 11, 1),
        today=D(2026, 11, 1),
    )
    names = lambda r: [n for n in ("站甲", "测站0", "测站1") if n in html(r)]  # noqa: E731
    assert names(client.get("/stations/", {"q": "测站1"})) == ["测站1"]
    assert names(client.get("/stations/", {"township": world.orgs["township"].pk})) == [
        "站甲",
        "测站0",
        "测站1",
    ]
    assert names(client.get("/stations/", {"gap": "checklist"})) == ["站甲", "测站0", "测站1"]
    services.add_staff(
        world.root, world.orgs["station"], name="甲副站长二", post=Post.DEPUTY, since=D(2026, 1, 1)
    )
    services.add_staff(
        world.root, world.orgs["station"], name="甲副站长三", post=Post.DEPUTY, since=D(2026, 1, 1)
    )
    assert names(client.get("/stations/", {"gap": "staff"})) == ["站甲"]
    body = html(client.get("/stations/", {"sort": "-checklist"}))
    assert body.index("站甲") < body.index("测站0")
    body = html(client.get("/stations/", {"sort": "name"}))
    assert body.index("测站0") < body.index("站甲")


@pytest.mark.parametrize("url", LISTS[:7])
def test_lists_hide_other_counties(world, users, client_for, url):
    text = html(client_for(users.admin).get(url))
    assert "外站" not in text and "外村" not in text and "外镇" not in text
