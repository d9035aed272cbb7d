"""The notices app's part of the two-county test world: a notice with receipts and a file, a study push,
and a training with attendance, inside county 甲 and outside it (外), so the scope matrix has
something to hide on every route."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dangjian.core.roles import Role

from . import services
from .choices import Audience, TrainingKind
from .models import Attachment

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(notice, name: str) -> Attachment:
    """A real file (written once, shared by every test world) so a download answers 200."""
    path = f"notices/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(PDF))
    return Attachment.objects.create(org=notice.org, notice=notice, file=path, name=name, size=len(PDF))


def populate(world) -> None:
    o, root = world.orgs, world.root
    county_admin, office = world.users[Role.COUNTY_ADMIN], world.users[Role.TOWNSHIP_STAFF]
    sign_by = timezone.localdate() + datetime.timedelta(days=7)
    world.notices = {
        "notice": services.send_notice(
            county_admin, o["county"], "县甲学习通知", "请各单位组织学习。", sign_by=sign_by
        ),
        "village_notice": services.send_notice(
            office, o["township"], "镇甲致各村通知", "请各村书记签收。", kinds=["branch"], sign_by=sign_by
        ),
        "out_notice": services.send_notice(root, o["out_county"], "外县通知", "外县正文。", sign_by=sign_by),
    }
    world.notice_files = {
        "file": _file(world.notices["notice"], "县甲通知附件.pdf"),
        "out_file": _file(world.notices["out_notice"], "外县通知附件.pdf"),
    }
    world.pushes = {
        "push": services.send_study_push(office, o["township"], "镇甲学习第一期", body="学习内容。"),
        "out_push": services.send_study_push(
            root, o["out_township"], "外镇学习第一期", body="外镇内容。", audience=Audience.ALL
        ),
    }
    held = timezone.localdate() - datetime.timedelta(days=3)
    world.trainings = {}
    for key, org, title, user, member in (
        ("training", "township", "镇甲党课", office, world.members["member"]),
        ("out_training", "out_township", "外镇党课", root, world.members["out"]),
    ):
        training = services.create_training(
            user,
            o[org],
            title=title,
            kind=TrainingKind.LECTURE,
            start_on=held,
            hours=Decimal(2),
            place="会议室",
        )
        services.record_attendance(user, training, [services.AttendanceEntry(member_id=member.pk)])
        world.trainings[key] = training
