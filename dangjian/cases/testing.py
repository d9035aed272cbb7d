"""The case engine's part of the two-county test world: a problem, an errand and a whistle inside county
甲 (the whistle routed to 部门甲住建 and answered) and the same outside it (外), so the scope matrix has
something to hide on every route, including the grid and department views."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dangjian.core.roles import Role
from dangjian.errands.models import ErrandService

from . import services
from .choices import CaseKind, Source
from .models import CaseFile, Category

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(case, name: str) -> CaseFile:
    """A real file (written once, shared by every test world) on the case's opening event, so a download
    answers 200 inside scope and 404 outside."""
    path = f"cases/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(PDF))
    return CaseFile.objects.create(
        case=case, event=case.events.first(), file=path, name=name, size=len(PDF), uploaded_by=case.opened_by
    )


def populate(world) -> None:
    root, o, u = world.root, world.orgs, world.users
    today = timezone.localdate()
    opened = today - datetime.timedelta(days=5)
    for key, county, township, branch, grid, dept, tag in (
        ("in", "county", "township", "branch", "grid", "dept", "甲"),
        ("out", "out_county", "out_township", "out_branch", "out_grid", "out_dept", "外"),
    ):
        cat = Category.objects.create(county=o[county], kind=CaseKind.WHISTLE, name=f"{tag}停车难")
        cat.departments.add(world.departments[dept])
        Category.objects.create(county=o[county], kind=CaseKind.PROBLEM, name=f"{tag}组织建设")
        owner = u[Role.VILLAGE_SECRETARY] if key == "in" else root
        problem = services.open_case(
            root,
            kind=CaseKind.PROBLEM,
            org=o[branch],
            title=f"{tag}村活动室制度未上墙",
            source=Source.STATION_INSPECTION,
            owner=owner,
            acceptor=u[Role.STATION_CHIEF] if key == "in" else None,
            measures="三日内制作上墙",
            opened_on=opened,
            today=today,
        )
        world.__dict__.setdefault("cases", {})[f"{key}_problem"] = problem
        service = ErrandService.objects.create(
            org=o[township], category="服务", name=f"{tag}医保代缴", promised_days=3, documents="身份证"
        )
        errand = services.open_case(
            root,
            kind=CaseKind.ERRAND,
            org=o[branch],
            title=f"{tag}代缴医保",
            source=Source.WINDOW,
            service=service,
            owner=owner,
            resident_name=f"{tag}群众张某",
            resident_phone="13800001234",
            opened_on=opened,
            today=today,
        )
        world.cases[f"{key}_errand"] = errand
        whistle = services.open_case(
            root,
            kind=CaseKind.WHISTLE,
            grid=world.grids[grid],
            category=cat,
            title=f"{tag}小区停车难",
            source=Source.GRID,
            opened_on=opened,
            today=today,
        )
        services.route(root, whistle, [world.departments[dept]])
        world.cases[f"{key}_whistle"] = whistle
        services.publish(root, problem, public_title=f"{tag}村活动室制度上墙")
        for kind, case in (("problem", problem), ("errand", errand), ("whistle", whistle)):
            _evidence(case, f"{tag}{kind}佐证.pdf")
