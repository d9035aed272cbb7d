"""Members' part of the two-county test world: a row of every members model inside county 甲 and
outside it (外), so the scope matrix has something to hide on every route."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from .choices import DuesCategory, MemberStatus, TransferKind
from .models import (
    DuesPayment,
    Household,
    HouseholdLink,
    HouseholdVisit,
    Member,
    MobileActivity,
    MobileRecord,
    Person,
    StandingDecision,
    Transfer,
)
from .services.identity import check_char


def make_id_number(birth: datetime.date, seq: int = 1, male: bool = True, area: str = "140932") -> str:
    """A valid 18-digit ID for tests and demo data (area code 140932 = 偏关县)."""
    order = (seq % 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)


def add_person(org, name: str, birth: datetime.date, seq: int, male: bool = True, **extra: Any) -> Person:
    from dangjian.core.pinyin import pinyin_keys

    number = make_id_number(birth, seq, male)
    full, initials = pinyin_keys(name)
    return Person.objects.create(
        org=org,
        name=name,
        name_pinyin=full,
        name_initials=initials,
        gender="male" if male else "female",
        birth_date=birth,
        id_number=number,
        id_tail=number[-6:],
        phone=extra.pop("phone", f"1380000{seq:04d}"),
        education=extra.pop("education", "secondary"),
        **extra,
    )


def add_member(
    org, name: str, seq: int, *, status: str = MemberStatus.FULL, male: bool = True, **extra
) -> Member:
    birth = extra.pop("birth", datetime.date(1970, 3, 1) + datetime.timedelta(days=seq * 97))
    person = add_person(org, name, birth, seq, male)
    joined = extra.pop("joined_on", datetime.date(2000, 7, 1))
    return Member.objects.create(
        person=person,
        org=org,
        status=status,
        joined_on=joined,
        full_on=None
        if status == MemberStatus.PROBATIONARY
        else extra.pop("full_on", joined.replace(year=joined.year + 1)),
        dues_category=extra.pop("dues_category", DuesCategory.FARMER),
        **extra,
    )


def populate(world) -> None:
    o, root = world.orgs, world.root
    m = world.members = {}
    m["member"] = add_member(o["branch"], "甲党员一", 1)
    m["sibling"] = add_member(o["sibling"], "甲党员二", 2, male=False)
    m["probationary"] = add_member(
        o["branch"], "甲预备党员", 3, status=MemberStatus.PROBATIONARY, joined_on=datetime.date(2026, 3, 1)
    )
    m["out"] = add_member(o["out_branch"], "外党员", 4)
    for key, org in (("household", "branch"), ("out_household", "out_branch")):
        label = "外" if key.startswith("out") else "甲"
        hh = Household.objects.create(org=o[org], head_name=f"{label}户主", address=f"{label}村1号")
        member = m["out"] if key.startswith("out") else m["member"]
        link = HouseholdLink.objects.create(
            member=member, household=hh, org=o[org], since=datetime.date(2025, 1, 1)
        )
        HouseholdVisit.objects.create(
            link=link, org=o[org], visited_on=datetime.date(2026, 1, 5), note=f"{label}走访", recorded_by=root
        )
        rec = MobileRecord.objects.create(
            member=member, org=o[org], destination=f"{label}外出地", since=datetime.date(2026, 6, 1)
        )
        MobileActivity.objects.create(
            record=rec,
            org=o[org],
            kind="study",
            on=datetime.date(2026, 7, 1),
            content=f"{label}线上学习",
            recorded_by=root,
        )
        StandingDecision.objects.create(
            member=member,
            org=o[org],
            kind="lost",
            decided_on=datetime.date(2026, 1, 1),
            decided_by=f"{label}支部",
            recorded_by=root,
        )
        DuesPayment.objects.create(
            member=member,
            org=o[org],
            month=datetime.date(2026, 10, 1),
            amount=Decimal("0.50"),
            paid_on=datetime.date(2026, 10, 10),
            recorded_by=root,
        )
        world.__dict__.setdefault("records", {})[key] = hh
    Transfer.objects.create(
        member=m["out"],
        kind=TransferKind.OUT,
        from_org=o["out_branch"],
        outside_org_name="外省某党委",
        letter_no="外001",
        issued_on=datetime.date(2026, 10, 1),
        created_by=root,
    )
    # Incoming to 村甲一 and recent: the receiving side rightly sees the member's name, and no
    # "unconfirmed for a month" finding names them on pages the matrix checks for out-of-scope names.
    Transfer.objects.create(
        member=m["sibling"],
        kind=TransferKind.INTERNAL,
        from_org=o["sibling"],
        to_org=o["branch"],
        issued_on=timezone.localdate() - datetime.timedelta(days=3),
        created_by=root,
    )
