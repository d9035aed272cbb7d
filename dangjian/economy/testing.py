"""This app's part of the two-county test world: last year's income for 村甲一 (rent and a share held in
村甲二), 村甲二 recorded as none, 社区甲 not recorded; 外村 with rent in 外县. Assets: 村甲一's 机动地 rented
since 1 January last year for 80000 a year (its recorded rent), ending in 30 days; an idle 粮仓 in 村甲一;
外村's 粮库 rented for 30000."""

from __future__ import annotations

import datetime

from django.utils import timezone

from . import services
from .choices import AssetKind, AssetUnit, AssetUse, ContractUse, IncomeKind


def populate(world) -> None:
    root, o = world.root, world.orgs
    year = timezone.localdate().year - 1
    world.economy = {
        "branch": services.record_income(
            root,
            o["branch"],
            year=year,
            lines=[
                services.Line(IncomeKind.RENT, "80000.00", note="甲村机动地出租"),
                services.Line(IncomeKind.SHARE, "12000.00", o["sibling"], "入股村甲二合作社"),
            ],
        ),
        "sibling": services.record_income(root, o["sibling"], year=year, lines=[]),
        "out": services.record_income(
            root,
            o["out_branch"],
            year=year,
            lines=[services.Line(IncomeKind.RENT, "30000.00", note="外村粮库出租")],
        ),
    }

    today = timezone.localdate()
    land = services.save_asset(
        root, o["branch"], name="甲村机动地", kind=AssetKind.RESERVE_LAND, quantity="120", unit=AssetUnit.MU,
        location="村北", use=AssetUse.RENTED,
    )  # fmt: skip
    granary = services.save_asset(
        root, o["branch"], name="甲村粮仓", kind=AssetKind.GRANARY, quantity="1", unit=AssetUnit.SEAT
    )
    out = services.save_asset(
        root, o["out_branch"], name="外村粮库", kind=AssetKind.GRANARY, quantity="2", unit=AssetUnit.SEAT,
        use=AssetUse.RENTED,
    )  # fmt: skip
    world.assets = {
        "land": land,
        "granary": granary,
        "out": out,
        "land_contract": services.save_contract(
            root,
            o["branch"],
            land,
            counterparty="甲村种植合作社",
            use=ContractUse.RENTED,
            start=datetime.date(year, 1, 1),
            end=today + datetime.timedelta(days=30),
            annual_amount="80000",
            payment_terms="每年1月一次付清",
        ),  # fmt: skip
        "out_contract": services.save_contract(
            root,
            o["out_branch"],
            out,
            counterparty="外县粮贸公司",
            use=ContractUse.RENTED,
            start=datetime.date(year, 1, 1),
            end=datetime.date(year + 3, 12, 31),
            annual_amount="30000",
        ),  # fmt: skip
    }
