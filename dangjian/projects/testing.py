"""This app's part of the two-county test world: in 县甲 a village project (村甲一: a canal with two sources,
two milestones, one done, an outcome in 亩, a photo) and a township project shared by 村甲一 and 村甲二 (a
reported-progress road with a funding gap); in 外县 a village project (外村) with the same rows, so every
route has a row inside and outside each user's scope."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from dangjian.core.testing import World

from . import services
from .choices import FileKind, ProgressMode, ProjectKind, SourceKind
from .models import Project, ProjectFile, Unit

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
)


def photo(world: World, project: Project, name: str) -> ProjectFile:
    """A real file (written once, shared by every test world) so a download answers 200."""
    path = f"projects/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(PNG))
    return ProjectFile.objects.create(
        project=project, org=project.org, kind=FileKind.PHOTO, file=path, name=name, uploaded_by=world.root
    )


def village_project(world: World, branch: str, tag: str) -> Project:
    root, today = world.root, timezone.localdate()
    start = today - datetime.timedelta(days=60)
    project = services.create_project(
        root,
        org=world.orgs[branch],
        title=f"{tag}村水渠整修",
        kind=ProjectKind.INFRASTRUCTURE,
        year=today.year,
        budget="300000",
        start_on=start,
        planned_end=today + datetime.timedelta(days=60),
        sources=[(SourceKind.COUNTY, f"{tag}县水利局", "200000"), (SourceKind.VILLAGE, "", "100000")],
    )
    first = services.add_milestone(
        root, project, title=f"{tag}村渠道清淤", due=start + datetime.timedelta(days=30)
    )
    services.add_milestone(root, project, title=f"{tag}村渠道衬砌", due=today + datetime.timedelta(days=30))
    services.complete_milestone(root, first, done_on=start + datetime.timedelta(days=20), today=today)
    services.record_outcome(
        root, project, measure=f"{tag}村灌溉农田", quantity=200, unit=Unit.objects.get(code="mu"), today=today
    )
    photo(world, project, f"{tag}村水渠.png")
    return project


def populate(world: World) -> None:
    root, o, today = world.root, world.orgs, timezone.localdate()
    services.ensure_units()
    world.projects = {
        "甲": village_project(world, "branch", "甲"),
        "外": village_project(world, "out_branch", "外"),
    }
    world.projects["镇甲"] = services.create_project(
        root,
        org=o["township"],
        title="镇甲联村道路硬化",
        kind=ProjectKind.LIVELIHOOD,
        year=today.year,
        budget="100000",
        progress_mode=ProgressMode.REPORTED,
        villages=[o["branch"], o["sibling"]],
        sources=[(SourceKind.TOWNSHIP, "镇甲财政所", "60000")],
    )
