"""Development's part of the two-county test world: a case with steps and a filed document inside
county 甲 and outside it (外), so the scope matrix has something to hide on every development route."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from dangjian.members.services.roster import PersonData
from dangjian.members.testing import make_id_number

from . import services
from .models import StepDocument


def _document(world, step, name: str) -> StepDocument:
    """A real file (written once, shared by every test world) so a download answers 200."""
    path = f"development/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(f"{name}（测试材料）".encode()))
    return StepDocument.objects.create(step=step, org=step.org, file=path, name=name, uploaded_by=world.root)


def populate(world) -> None:
    o, root = world.orgs, world.root
    applied, talked = datetime.date(2026, 9, 1), datetime.date(2026, 9, 10)
    world.cases = {}
    world.steps = {}
    world.documents = {}
    for key, org, name, birth, seq in (
        ("case", "branch", "甲申请人一", datetime.date(1998, 4, 1), 201),
        ("out_case", "out_branch", "外申请人", datetime.date(1997, 6, 1), 202),
    ):
        case = services.open_case(
            root,
            o[org],
            PersonData(name=name, id_number=make_id_number(birth, seq), phone="13900002222"),
            applied_on=applied,
            responsible=f"{name[0]}村书记",
            today=talked,
        )
        step = services.record_step(
            root, case, "talk", done_on=talked, responsible=f"{name[0]}谈话人", today=talked
        )
        world.cases[key], world.steps[key] = case, step
        world.documents[key] = _document(world, step, f"{name[0]}谈话记录.txt")
