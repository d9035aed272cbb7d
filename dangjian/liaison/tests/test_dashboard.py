"""The liaison panel: in-term deputies by contacts this year against the target."""

import datetime

from dangjian.core.roles import Role
from dangjian.dashboards.panels import PANELS


def test_contacts_standing(world):
    panel = PANELS["liaison.contacts_standing"]
    user = world.user(Role.STATION_CHIEF)
    chart = panel.build(user, world.orgs["station"], datetime.date(2026, 6, 1))
    assert {r["standing"]: r["count"] for r in chart.rows} == {"达到4次": 0, "不足4次": 1, "全年未联系": 1}
    later = panel.build(
        user, world.orgs["station"], datetime.date(2026, 11, 30)
    )  # both terms ended 2026-10-01
    assert sum(r["count"] for r in later.rows) == 0
