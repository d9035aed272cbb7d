"""This app's part of the two-county test world: a joint branch in each county (联甲 under 镇甲, 外联 under
外镇) with a secretary, so the role x route matrix has a post on each side."""

from __future__ import annotations

import datetime

from dangjian.orgs.services import create_org

from . import services
from .choices import PostKind

SINCE = datetime.date(2024, 1, 2)


def populate(world) -> None:
    root, o = world.root, world.orgs
    o["joint"] = create_org(root, parent=o["township"], name="联甲", kind="joint_branch", code="WJ1")
    o["out_joint"] = create_org(root, parent=o["out_township"], name="外联", kind="joint_branch", code="WJ2")
    world.joint = {
        key: services.appoint(
            root, o[key], kind=PostKind.SECRETARY, name=f"{tag}总支书记", title="镇党委委员", since=SINCE
        )
        for key, tag in (("joint", "甲"), ("out_joint", "外"))
    }
