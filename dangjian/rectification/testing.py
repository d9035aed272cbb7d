"""This app's part of the two-county test world: in 县甲 (村甲一) and in 外县 (外村) a county addition to the
situations, a 必访 item, a case identified with a visit, a plan, a county-leader support with a visit, and
last year's screening, so every route has a row inside and outside each user's scope. Only 外村's plan has
an item (a case of the case engine): one in 村甲一 would change what the case engine's own tests count in
county 甲; tests here add it with `add_item(world)`."""

from __future__ import annotations

import datetime

from django.utils import timezone

from dangjian.core.roles import Role

from . import services
from .choices import SupportKind, VisitItemKind


def populate(world) -> None:
    root, o, u = world.root, world.orgs, world.users
    today = timezone.localdate()
    start = today - datetime.timedelta(days=20)
    world.rectification = {}
    for county, branch, tag, owner in (
        ("county", "branch", "甲", u[Role.VILLAGE_SECRETARY]),
        ("out_county", "out_branch", "外", u["out_admin"]),
    ):
        services.add_situation(
            root, o[county], title=f"{tag}县增补：存在“村霸”问题", source=f"{tag}县排查办法"
        )
        item = services.add_visit_item(
            root, o[county], kind=VisitItemKind.VISIT, text=f"{tag}县必访：困难党员户"
        )
        case = services.open_case(
            root, org=o[branch], year=today.year, basis=f"{tag}县预警：书记不在状态", today=start
        )
        services.record_check_visit(
            root,
            case,
            visited_on=start,
            visitors=f"{tag}县组织部",
            items=[item],
            findings=f"{tag}村班子软弱",
            today=today,
        )
        services.identify(
            root, case, situations=["N2"], evidence=f"{tag}村书记工作不在状态", on=start, today=today
        )
        services.set_plan(
            root,
            case,
            targets=f"{tag}村班子转化升级",
            responsible=f"{tag}镇党委",
            deadline=today + datetime.timedelta(days=60),
            measures="调整书记、建立责任清单",
            expected_result="年底前验收销号",
            approved_on=start,
            today=today,
        )
        plan_item = add_item(world, case, owner) if tag == "外" else None
        support = services.assign_support(
            root,
            case,
            kind=SupportKind.COUNTY_LEADER,
            name=f"{tag}县韩振华",
            title="县级包联领导",
            since=start,
        )
        services.record_support_visit(
            root, support, visited_on=start, activity=f"{tag}村调研指导", today=today
        )
        screening = services.create_screening(
            root, o[county], year=today.year - 1, quota_percent=10, today=today
        )
        services.set_rows(root, screening, [(o[branch], 1, 60, 0)])
        world.rectification[tag] = {
            "case": case,
            "item": plan_item,
            "support": support,
            "screening": screening,
        }


def add_item(world, case=None, owner=None):
    """A plan item (a `rectify` case) on 村甲一's case, or on `case`, owned by 村甲一's secretary."""
    case = case or world.rectification["甲"]["case"]
    owner = owner or world.users[Role.VILLAGE_SECRETARY]
    tag = "外" if "外" in case.org.name else "甲"
    return services.add_item(world.root, case, title=f"{tag}村建立两委责任清单", owner=owner)
