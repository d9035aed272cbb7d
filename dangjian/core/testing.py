"""Test helpers shared by every app: a small two-county world with one user per role.

Everything in county 甲 is named with 甲/一/二; everything outside with 外, so a page that shows
an out-of-scope name is caught by a plain substring check.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from dangjian.accounts.models import User
from dangjian.accounts.services import create_user
from dangjian.core.roles import Role
from dangjian.orgs.models import Department, Grid, Org
from dangjian.orgs.services import create_department, create_grid, create_org

PASSWORD = "Test-pass-2026"


@dataclass
class World:
    root: User
    orgs: dict[str, Org] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    grids: dict[str, Grid] = field(default_factory=dict)

    def user(self, role: str) -> User:
        return User.objects.get(pk=self.users[role].pk)


def make_user(
    actor: User, username: str, real_name: str, org: Org | None = None, role: str | None = None, **kwargs: Any
) -> User:
    return create_user(
        actor,
        username=username,
        real_name=real_name,
        password=PASSWORD,
        org=org,
        role=role,
        skip_checks=True,
        **kwargs,
    )


def build_world() -> World:
    root = User.objects.create_superuser("root", password=PASSWORD, real_name="系统管理员")
    w = World(root=root)
    o = w.orgs
    o["province"] = create_org(root, parent=None, name="测试省", kind="province", code="P")
    o["county"] = create_org(root, parent=o["province"], name="县甲", kind="county", code="C1")
    o["township"] = create_org(root, parent=o["county"], name="镇甲", kind="township", code="T1")
    o["station"] = create_org(root, parent=o["township"], name="站甲", kind="station", code="S1")
    o["branch"] = create_org(root, parent=o["station"], name="村甲一", kind="branch", code="B1")
    o["sibling"] = create_org(root, parent=o["station"], name="村甲二", kind="branch", code="B2")
    o["group"] = create_org(root, parent=o["branch"], name="组甲", kind="group", code="G1")
    o["community"] = create_org(root, parent=o["township"], name="社区甲", kind="community", code="M1")
    o["out_county"] = create_org(root, parent=o["province"], name="外县", kind="county", code="C2")
    o["out_township"] = create_org(root, parent=o["out_county"], name="外镇", kind="township", code="T2")
    o["out_station"] = create_org(root, parent=o["out_township"], name="外站", kind="station", code="S2")
    o["out_branch"] = create_org(root, parent=o["out_station"], name="外村", kind="branch", code="B3")
    w.departments["dept"] = create_department(root, county=o["county"], name="部门甲住建", code="D1")
    w.departments["out_dept"] = create_department(root, county=o["out_county"], name="外县住建", code="D2")
    w.grids["grid"] = create_grid(root, org=o["community"], name="网格甲", code="GR1")
    w.grids["out_grid"] = create_grid(root, org=o["out_township"], name="外网格", code="GR2")
    u = w.users
    u[Role.COUNTY_ADMIN] = make_user(root, "county", "甲县管理员", o["county"], Role.COUNTY_ADMIN)
    u[Role.TOWNSHIP_STAFF] = make_user(root, "office", "甲镇办干部", o["township"], Role.TOWNSHIP_STAFF)
    u[Role.STATION_CHIEF] = make_user(root, "station", "甲站站长", o["station"], Role.STATION_CHIEF)
    u[Role.VILLAGE_SECRETARY] = make_user(root, "secretary", "甲村书记", o["branch"], Role.VILLAGE_SECRETARY)
    u[Role.GRID_LEADER] = make_user(
        root, "grid", "甲网格长", o["community"], Role.GRID_LEADER, grid=w.grids["grid"]
    )
    u[Role.DEPT_LIAISON] = make_user(
        root, "dept", "甲部门联络员", o["county"], Role.DEPT_LIAISON, department=w.departments["dept"]
    )
    u[Role.READONLY_LEADER] = make_user(root, "leader", "甲县领导", o["county"], Role.READONLY_LEADER)
    u["out_admin"] = make_user(root, "outadmin", "外县管理员", o["out_county"], Role.COUNTY_ADMIN)
    from dangjian.core.models import RuleOverride, WorkdayOverride

    for key, day in (("county", "2026-07-01"), ("out_county", "2026-07-02")):
        WorkdayOverride.objects.create(
            county=o[key], date=day, is_workday=False, name=f"{o[key].name}县庆", source="县政府办通知"
        )
        # A county's own value equal to the default, so the rule-override routes have a row each side.
        RuleOverride.objects.create(
            county=o[key],
            code="decisions.joint_first_review",
            value=False,
            source=f"{o[key].name}委组织部",
            effective_from=datetime.date(2020, 1, 1),
        )
    from dangjian.cadres.testing import populate as populate_cadres
    from dangjian.cases.testing import populate as populate_cases
    from dangjian.dashboards.testing import populate as populate_dashboards
    from dangjian.decisions.testing import populate as populate_decisions
    from dangjian.development.testing import populate as populate_development
    from dangjian.economy.testing import populate as populate_economy
    from dangjian.errands.testing import populate as populate_errands
    from dangjian.funds.testing import populate as populate_funds
    from dangjian.joint.testing import populate as populate_joint
    from dangjian.liaison.testing import populate as populate_liaison
    from dangjian.meetings.testing import populate as populate_meetings
    from dangjian.members.testing import populate as populate_members
    from dangjian.notices.testing import populate as populate_notices
    from dangjian.notifications.testing import populate as populate_notifications
    from dangjian.office.testing import populate as populate_office
    from dangjian.projects.testing import populate as populate_projects
    from dangjian.rectification.testing import populate as populate_rectification
    from dangjian.reviews.testing import populate as populate_reviews
    from dangjian.scoring.testing import populate as populate_scoring
    from dangjian.stations.testing import populate as populate_stations
    from dangjian.tasks.testing import populate as populate_tasks
    from dangjian.villages.testing import populate as populate_villages
    from dangjian.volunteers.testing import populate as populate_volunteers

    populate_members(w)
    populate_development(w)
    populate_meetings(w)
    populate_office(w)
    populate_stations(w)
    populate_notices(w)
    populate_errands(w)
    populate_cases(w)
    populate_tasks(w)
    populate_notifications(w)
    populate_reviews(w)
    populate_villages(w)
    populate_decisions(w)
    populate_cadres(w)
    populate_rectification(w)
    populate_economy(w)
    populate_projects(w)
    populate_funds(w)
    populate_scoring(w)
    populate_dashboards(w)
    populate_volunteers(w)
    populate_liaison(w)
    populate_joint(w)
    return w
