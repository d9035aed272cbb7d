"""Excel export of each panel (the Chart's rows under its columns) and of the whole dashboard."""

import io

import pytest
from openpyxl import load_workbook

from dangjian.core.roles import Role
from dangjian.dashboards.panels import panels_for

from .helpers import panels

pytestmark = pytest.mark.django_db


def sheets(response) -> dict[str, list[tuple]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb}


@pytest.mark.parametrize("key", ["county", "township", "station", "branch"])
def test_each_panel_exports_its_rows(world, client_for, key):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    org = world.orgs[key]
    data = panels(client, org)
    for panel in panels_for(key):
        p = data[panel.code]
        if "error" in p:
            continue
        book = sheets(client.get(f"/dashboards/{org.pk}/export/", {"panel": panel.code}))
        assert len(book) == 1
        rows = next(iter(book.values()))
        header = tuple(label for _, label in p["columns"])
        at = rows.index(header)
        assert org.name in rows[0][0] and p["title"] in rows[0][0]
        body = rows[at + 1 :]
        assert len(body) == len(p["rows"])
        keys = [k for k, _ in p["columns"]]
        for got, want in zip(body, p["rows"], strict=True):
            assert list(got) + [None] * (len(keys) - len(got)) == [want[k] for k in keys]


def test_the_whole_dashboard_exports_one_sheet_per_panel(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    org = world.orgs["county"]
    ok = [p for p in panels(client, org).values() if "error" not in p]
    book = sheets(client.get(f"/dashboards/{org.pk}/export/"))
    assert len(book) == len(ok)


def test_export_of_a_panel_not_at_this_level_is_404(world, client_for):
    client = client_for(world.user(Role.COUNTY_ADMIN))
    r = client.get(f"/dashboards/{world.orgs['branch'].pk}/export/", {"panel": "rectification.progress"})
    assert r.status_code == 404
