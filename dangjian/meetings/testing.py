"""The meetings app's part of the two-county test world (in county 甲 and outside it, 外): meetings of
a branch, a party group, a community, a station and a township office, with attendance, approved
minutes and a photo, so the scope matrix has a row of every meetings model to hide."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dangjian.core.roles import Role

from . import (
    record_rules,  # noqa: F401  (the sign-in and upload rules the services read)
    services,
)
from .choices import Attendance, FileKind, MeetingKind
from .models import MeetingFile
from .services import AttendanceEntry, MeetingData

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 24

MEETINGS = (
    ("meeting", "branch", MeetingKind.THEME_DAY, "甲村十月主题党日"),
    ("sibling", "sibling", MeetingKind.COMMITTEE, "甲二村支委会"),
    ("group", "group", MeetingKind.GROUP, "甲组学习会"),
    ("community", "community", MeetingKind.THEME_DAY, "甲社区主题党日"),
    ("station", "station", MeetingKind.STATION_MONTHLY, "甲站十月小结"),
    ("township", "township", MeetingKind.OFFICE_WEEKLY, "甲镇第42周小结"),
    ("out", "out_branch", MeetingKind.THEME_DAY, "外村十月主题党日"),
    ("out_station", "out_station", MeetingKind.STATION_MONTHLY, "外站十月小结"),
    ("out_township", "out_township", MeetingKind.OFFICE_WEEKLY, "外镇第42周小结"),
)


def _photo(world, meeting, name: str) -> MeetingFile:
    """A real file (written once, shared by every test world) so a download answers 200."""
    path = f"meetings/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(PNG))
    return MeetingFile.objects.create(
        meeting=meeting, org=meeting.org, kind=FileKind.PHOTO, file=path, name=name, uploaded_by=world.root
    )


def populate(world) -> None:
    o, root = world.orgs, world.root
    planned = timezone.make_aware(datetime.datetime(2026, 10, 15, 9, 0))
    world.meetings, world.meeting_files = {}, {}
    for key, org, kind, topic in MEETINGS:
        world.meetings[key] = services.plan_meeting(
            root, o[org], MeetingData(kind=kind, topic=topic, planned_at=planned, place=f"{topic[:2]}活动室")
        )
    held = planned + datetime.timedelta(minutes=5)
    inside, outside = world.meetings["meeting"], world.meetings["out"]
    rows = {r.member_id: r for r in inside.attendances.all()}
    services.record_held(
        root,
        inside,
        held,
        entries=[
            AttendanceEntry(attendance=rows[world.members["member"].pk].pk, status=Attendance.PRESENT),
            AttendanceEntry(
                attendance=rows[world.members["probationary"].pk].pk,
                status=Attendance.EXCUSED,
                reason="家中有事",
            ),
        ],
    )
    services.save_minutes(root, inside, "甲村主题党日：学习党章，交纳党费。")
    services.approve_minutes(world.user(Role.VILLAGE_SECRETARY), inside)
    out_row = outside.attendances.get()
    services.record_held(
        root, outside, held, entries=[AttendanceEntry(attendance=out_row.pk, status=Attendance.PRESENT)]
    )
    for key in ("station", "township"):
        services.record_held(root, world.meetings[key], held)
    world.meeting_files["file"] = _photo(world, inside, "甲村主题党日照片.png")
    world.meeting_files["out_file"] = _photo(world, outside, "外村主题党日照片.png")


def plan(world, org: str = "branch", kind: str = MeetingKind.THEME_DAY, actor=None, **fields):
    """A meeting planned through the service, for tests (the world's secretary plans by default)."""
    data = {"topic": "甲村测试会议", "planned_at": timezone.now() + datetime.timedelta(days=1), **fields}
    return services.plan_meeting(
        actor or world.user(Role.VILLAGE_SECRETARY), world.orgs[org], MeetingData(kind=kind, **data)
    )
