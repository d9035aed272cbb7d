"""Every list page, its export, the API lists, the month view, the public page and the cards read a
fixed number of queries, whatever the number of rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.errands import services
from dangjian.orgs.services import create_org
from dangjian.stations import services as station_services
from dangjian.stations.choices import Post

from .conftest import D

TODAY = D(2026, 11, 20)


def add_rows(world, n, start=0):
    """`n` more services, centres with a half-day each, diaries and stations with staff under 镇甲."""
    root, township = world.root, world.orgs["township"]
    office = world.users["township_staff"]
    for i in range(start, start + n):
        services.create_service(
            root, township, category=f"类{i % 3}", name=f"测事项{i}", promised_days=i, documents="身份证"
        )
        centre = services.create_centre(root, township, name=f"测中心{i}", phone="010-69201234")
        services.schedule_session(
            root, centre, date=D(2026, 11, 1 + i), half="am", sections="司法所、民政科", served=i, today=TODAY
        )
        services.write_diary(
            office, world.orgs["branch"], written_on=D(2026, 11, 1 + i), content=f"测日记{i}", today=TODAY
        )
        station = create_org(root, parent=township, name=f"测站{i}", kind="station", code=f"TS{i}")
        station_services.add_staff(
            root, station, name=f"测站长{i}", post=Post.CHIEF, since=D(2026, 1, 1), today=TODAY
        )


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url, HTTP_ACCEPT="application/json") if "/api/" in url else client.get(url)
        assert r.status_code == 200, url
    return len(ctx)


def test_query_counts_do_not_grow(world, users, client_for):
    client = client_for(users.office)
    township = world.orgs["township"].pk
    urls = (
        "/errands/",
        "/errands/?export=xlsx",
        "/errands/centres/",
        "/errands/sessions/",
        "/errands/sessions/?export=xlsx",
        "/errands/diaries/",
        "/errands/diaries/?export=xlsx",
        "/errands/cards/",
        "/errands/cards/?export=xlsx",
        f"/errands/schedule/?township={township}&month=2026-11",
        f"/errands/public/{township}/",
        f"/errands/cards/{township}/",
        "/api/v1/errand-services/",
        "/api/v1/service-centres/",
        "/api/v1/service-sessions/",
        "/api/v1/diaries/",
    )
    add_rows(world, 2)
    small = {url: count(client, url) for url in urls}
    add_rows(world, 6, start=2)
    large = {url: count(client, url) for url in urls}
    assert large == small
