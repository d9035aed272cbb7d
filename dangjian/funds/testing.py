"""This app's part of the two-county test world: in 县甲 and in 外县 a fund, an allocation to the township,
one passed on to the village and a disbursement there, so every route has rows inside and outside scope."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .choices import Purpose


def populate(world) -> None:
    root, o = world.root, world.orgs
    today = timezone.localdate()
    on = today - datetime.timedelta(days=30)
    world.funds = {}
    for county, township, branch, tag in (
        ("county", "township", "branch", "甲"),
        ("out_county", "out_township", "out_branch", "外"),
    ):
        fund = services.create_fund(
            root,
            o[county],
            name=f"{tag}县产业发展资金",
            year=today.year,
            purpose=Purpose.INDUSTRY,
            amount="100000.00",
            document=f"{tag}财农〔{today.year}〕1号",
        )
        to_township = services.allocate(root, fund, org=o[township], amount="60000.00", on=on, today=today)
        to_village = services.allocate(
            root, fund, org=o[branch], amount="20000.00", on=on, parent=to_township, today=today
        )
        spent = services.disburse(
            root,
            to_village,
            amount="5000.00",
            on=on,
            spent_on=f"{tag}村大棚修缮",
            payee=f"{tag}村合作社",
            today=today,
        )
        world.funds[tag] = {"fund": fund, "township": to_township, "village": to_village, "spent": spent}
