"""The volunteer panel: this year's hours per team in the user's subtree, its export rows the same."""

import datetime

from dangjian.core.roles import Role
from dangjian.dashboards.panels import PANELS


def test_hours_by_team(world):
    panel = PANELS["volunteers.hours_by_team"]
    user = world.user(Role.TOWNSHIP_STAFF)
    chart = panel.build(user, world.orgs["township"], datetime.date(2026, 11, 30))
    assert chart.rows == [{"team": "甲镇党员志愿服务队", "people": 1, "hours": 8.0}]
    assert chart.option["series"][0]["data"][0]["url"].endswith(f"/{world.volunteers['甲']['team'].pk}/")
    empty = panel.build(user, world.orgs["township"], datetime.date(2025, 11, 30))
    assert empty.rows == [] and empty.option["title"]["text"]
