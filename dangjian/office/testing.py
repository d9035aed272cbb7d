"""The office app's part of the two-county test world (in county 甲 and outside it, 外).

Each township gets an office with one post (two duties, a holder), a selection, a contact point, a
field visit, an appraisal request awaiting the county (人员提级管理),
and each county a contact leader paired with a village and one visit. 村甲二 and 社区甲
are left without a contact, so the coverage findings have something to say."""

from __future__ import annotations

import datetime

from dangjian.core.roles import Role

from .choices import AppraisalGrade, RequestKind, SelectionRoute
from .services import contacts, field, leaders, posts, requests, selections

DAY = datetime.date(2026, 9, 1)


def populate(world) -> None:
    """Add rows inside and outside county 甲 so the scope matrix has something to hide."""
    from dangjian.core.testing import make_user

    o, root = world.orgs, world.root
    world.users["out_office"] = make_user(
        root, "office_out_staff", "外镇办干部", o["out_township"], Role.TOWNSHIP_STAFF
    )
    world.office = {}
    sides = (
        ("", o["township"], o["branch"], o["county"], world.users[Role.TOWNSHIP_STAFF], "甲"),
        ("out_", o["out_township"], o["out_branch"], o["out_county"], world.users["out_office"], "外"),
    )
    for prefix, township, branch, county, staff, mark in sides:
        post = posts.create_post(root, township, "组织岗", full_time=True)
        posts.set_duties(root, post, [f"{mark}负责党员发展与考核", f"{mark}落实组织生活制度"])
        world.office[f"{prefix}post"] = post
        world.office[f"{prefix}holder"] = posts.appoint_holder(root, post, staff, DAY, today=DAY)
        world.office[f"{prefix}request"] = requests.submit_request(
            root, township, RequestKind.APPRAISE, person=staff, post=post, year=2025,
            grade=AppraisalGrade.COMPETENT, reason=f"{mark}年度考核", today=DAY,
        )  # fmt: skip
        world.office[f"{prefix}selection"] = selections.open_selection(
            root, township, f"{mark}候选人", SelectionRoute.SELF, done_on=DAY, today=DAY
        )
        world.office[f"{prefix}contact"] = contacts.assign_contact(root, branch, staff, DAY, today=DAY)
        world.office[f"{prefix}field_visit"] = field.record_field_visit(
            root, staff, branch, DAY, 2, f"{mark}列席指导主题党日", today=DAY
        )
        leader = leaders.create_leader(root, county, f"李{mark}", "县委副书记", DAY.year, [branch], today=DAY)
        world.office[f"{prefix}leader"] = leader
        world.office[f"{prefix}leader_visit"] = leaders.record_leader_visit(
            root, leader, branch, DAY, f"{mark}督导整顿", today=DAY
        )
