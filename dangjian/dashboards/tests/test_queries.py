"""The dashboard runs a constant number of queries per panel whatever the row count: measured at two
sizes of the world, for the page, the whole JSON and each panel alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.roles import Role
from dangjian.dashboards.panels import panels_for

from .helpers import grow

pytestmark = pytest.mark.django_db
URLS = ["/dashboards/{pk}/", "/dashboards/{pk}/screen/", "/dashboards/{pk}/data/", "/dashboards/{pk}/export/"]


def counts(client, org) -> dict[str, int]:
    out = {}
    urls = [u.format(pk=org.pk) for u in URLS]
    urls += [f"/dashboards/{org.pk}/data/?panel={p.code}" for p in panels_for("county")]
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            r = client.get(url)
        assert r.status_code == 200, url
        if r.streaming:
            b"".join(r.streaming_content)
        out[url] = len(ctx.captured_queries)
    return out


@pytest.mark.parametrize("key", ["county", "station"])
def test_queries_do_not_grow_with_the_rows(world, client_for, key):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    org = world.orgs[key]
    client.get(f"/dashboards/{org.pk}/data/")  # session and caches warm
    small = counts(client, org)
    grow(world, 3, "a")
    middle = counts(client, org)
    grow(world, 9, "b")
    large = counts(client, org)
    assert large == middle == small, (small, middle, large)
