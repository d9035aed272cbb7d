"""The stations app's part of the two-county test world: staff, checklist, systems, an inspection, a
service half-day, a plan, a research round with its report (a real file) and a scored appraisal, in
county 甲 (站甲 under 镇甲) and outside it (外站 under 外镇), so the scope matrix has something to hide
on every stations route."""

from __future__ import annotations

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from . import services
from .choices import ChecklistItem, Post, Session, System
from .models import ResearchReport, StationChecklist

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored(name: str, content: bytes = PDF) -> str:
    """A real file under MEDIA_ROOT (written once, shared by every test world) so downloads answer 200."""
    path = f"stations/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(content))
    return path


def populate(world) -> None:
    o, root = world.orgs, world.root
    day = datetime.date(2026, 11, 3)
    at = timezone.make_aware(datetime.datetime(2026, 11, 3, 9, 30))
    world.station_rows = rows = {}
    for key, station, township, branch, name in (
        ("in", "station", "township", "branch", "甲"),
        ("out", "out_station", "out_township", "out_branch", "外"),
    ):
        st = o[station]
        rows[f"{key}_chief"] = services.add_staff(
            root, st, name=f"{name}站长", post=Post.CHIEF, since=day, phone="13912345678", today=day
        )
        rows[f"{key}_deputy"] = services.add_staff(
            root, st, name=f"{name}副站长", post=Post.DEPUTY, since=day, today=day
        )
        rows[f"{key}_worker"] = services.add_staff(
            root, st, name=f"{name}专职", post=Post.WORKER, since=day, today=day
        )
        check = services.check_item(
            root, st, item=ChecklistItem.SITE, met=True, checked_on=day, note="独立办公室并挂牌", today=day
        )
        StationChecklist.objects.filter(pk=check.pk).update(
            evidence=stored(f"{key}-site.pdf"), evidence_name=f"{name}站场所照片.pdf"
        )
        rows[f"{key}_check"] = check
        rows[f"{key}_system"] = services.set_system(
            root,
            st,
            system=System.RESEARCH,
            posted=True,
            in_force=True,
            adopted_on=day,
            checked_on=day,
            today=day,
        )
        rows[f"{key}_inspection"] = services.record_inspection(
            root,
            st,
            branch=o[branch],
            inspected_at=at,
            inspectors=f"{name}站长",
            items_checked="三会一课落实情况",
            now=at,
        )
        rows[f"{key}_half_day"] = services.record_half_day(
            root,
            st,
            held_on=day,
            session=Session.MORNING,
            place=f"{name}站便民服务室",
            staff_on_duty=f"{name}专职",
            residents_served=6,
            today=day,
        )
        rows[f"{key}_plan"] = services.create_plan(
            root, o[township], year=2026, topics="村集体经济发展", today=day
        )
        rnd = services.record_round(
            root,
            st,
            topic=f"{name}站村集体经济调研",
            started_on=day,
            ended_on=day,
            villages=[o[branch]],
            participants=f"{name}站长、{name}副站长",
            today=day,
        )
        report = services.submit_report(
            root, rnd, title=f"{name}站调研报告", text="调研发现……", submitted_on=day, today=day
        )
        ResearchReport.objects.filter(pk=report.pk).update(
            file=stored(f"{key}-report.pdf"), file_name="调研报告.pdf"
        )
        appraisal = services.hold_appraisal(
            root,
            o[township],
            year=2026,
            held_on=datetime.date(2026, 11, 20),
            reviewers="镇党委班子",
            today=day + datetime.timedelta(days=30),
        )
        services.score_reports(root, appraisal, [services.ScoreInput(report.pk, "88.5", "建议可行")])
        rows[f"{key}_round"], rows[f"{key}_report"], rows[f"{key}_appraisal"] = rnd, report, appraisal
