"""Helpers for the engine tests: open a case of each kind in county 甲 as a given user."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dangjian.cases import services
from dangjian.cases.choices import CaseKind, Source
from dangjian.cases.models import Case
from dangjian.core.roles import Role

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name: str = "佐证.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def fresh(case: Case) -> Case:
    return Case.objects.select_related("org", "owner", "acceptor", "county").get(pk=case.pk)


def problem(world, *, opened_on: datetime.date | None = None, actor: str = Role.STATION_CHIEF, **kw) -> Case:
    args = dict(
        kind=CaseKind.PROBLEM,
        org=world.orgs["branch"],
        title="活动室制度未上墙",
        source=Source.STATION_INSPECTION,
        owner=world.user(Role.VILLAGE_SECRETARY),
        acceptor=world.user(Role.TOWNSHIP_STAFF),
        measures="制作上墙",
        opened_on=opened_on,
        today=timezone.localdate(),
    )
    args.update(kw)
    return fresh(services.open_case(world.user(actor), **args))


def whistle(world, *, opened_on: datetime.date | None = None, **kw) -> Case:
    args = dict(
        kind=CaseKind.WHISTLE,
        grid=world.grids["grid"],
        title="小区停车难",
        source=Source.GRID,
        opened_on=opened_on,
    )
    args.update(kw)
    return fresh(services.open_case(world.user(Role.GRID_LEADER), **args))


def errand(world, **kw) -> Case:
    from dangjian.errands.models import ErrandService

    service = ErrandService.objects.get(name="甲医保代缴")
    args = dict(
        kind=CaseKind.ERRAND,
        org=world.orgs["branch"],
        title="代缴医保",
        source=Source.WINDOW,
        service=service,
        resident_name="李大妈",
        resident_phone="13912345678",
    )
    args.update(kw)
    return fresh(services.open_case(world.user(Role.VILLAGE_SECRETARY), **args))


def big_file(mb: int) -> SimpleUploadedFile:
    data = io.BytesIO(PDF + b"0" * (mb * 1024 * 1024))
    return SimpleUploadedFile("大文件.pdf", data.getvalue(), content_type="application/pdf")
