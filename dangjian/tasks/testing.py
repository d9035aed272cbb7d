"""The tasks app's part of the two-county test world: one monthly list of 镇甲 (a number task and a
checklist task, each dispatched to 村甲一 and 村甲二, one report) and the same in 外镇 (to 外村)."""

import datetime

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from . import weekly_testing

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _file(report, name: str):
    """A real file (written once, shared by every test world) on the report, so a download answers 200
    inside scope and 404 outside."""
    from .models import TaskReportFile

    path = f"tasks/testing/{name}"
    if not default_storage.exists(path):
        default_storage.save(path, ContentFile(PDF))
    return TaskReportFile.objects.create(report=report, org=report.org, file=path, name=name, size=len(PDF))


def _list(world, township_key: str, village_keys: list[str], prefix: str) -> dict:
    from . import services

    root, o = world.root, world.orgs
    today = timezone.localdate()
    due = services.month_end(today)
    tl = services.create_task_list(
        root, org=o[township_key], kind="monthly", period_start=today, title=f"{prefix}月度任务清单"
    )
    number = services.add_task(
        root,
        tl,
        title=f"{prefix}修缮水渠",
        due=due,
        target_kind="number",
        target_value=1000,
        unit="米",
        key=True,
    )
    checklist = services.add_task(
        root,
        tl,
        title=f"{prefix}学习清单",
        due=due,
        target_kind="checklist",
        checklist=["学习党章", "观看专题片", "撰写心得"],
        sort_order=1,
    )
    villages = [o[k] for k in village_keys]
    a_number = services.dispatch(root, number, orgs=villages, today=today)
    a_checklist = services.dispatch(root, checklist, orgs=villages, today=today)
    report = services.report(root, a_number[0], text="已修缮600米", amount=600)
    return {
        "list": tl,
        "number": number,
        "checklist": checklist,
        "assignment": a_number[0],
        "checklist_assignment": a_checklist[0],
        "report": report,
        "file": _file(report, f"{prefix}修渠照片.pdf"),
    }


def populate(world) -> None:
    world.task_core = {
        "in": _list(world, "township", ["branch", "sibling"], "镇甲"),
        "out": _list(world, "out_township", ["out_branch"], "外镇"),
    }
    weekly_testing.populate(world)


# --- a fuller scenario for the roll-up and page tests (not part of the world) -------------------------

SCENARIO_DISPATCH = datetime.date(2027, 2, 10)
SCENARIO_DUE = datetime.date(2027, 3, 20)
SCENARIO_LATE = datetime.date(2027, 3, 25)


def scenario(world) -> dict:
    """镇甲's March 2027 list: 修渠 1000 米 to 站甲 (relayed to 村甲一, 村甲二) and 社区甲; a checklist of
    three items to 村甲一 and 村甲二. Reports: 村甲一 1050 米 (over target), 村甲二 400 米, 社区甲 none;
    checklist 村甲一 two items, 村甲二 all three."""
    from . import services

    root, o = world.root, world.orgs
    day = SCENARIO_DISPATCH
    tl = services.create_task_list(
        root, org=o["township"], kind="monthly", period_start=datetime.date(2027, 3, 1), title="镇甲三月任务"
    )
    canal = services.add_task(
        root, tl, title="甲镇修渠", due=SCENARIO_DUE, target_value=1000, unit="米", key=True
    )
    study = services.add_task(
        root, tl, title="甲镇学习", due=SCENARIO_DUE, target_kind="checklist", checklist=["一", "二", "三"]
    )
    (station, community) = services.dispatch(root, canal, orgs=[o["station"], o["community"]], today=day)
    branch, sibling = services.relay(root, station, kind="branch", today=day)
    now = timezone.make_aware(datetime.datetime(2027, 3, 1, 10))
    services.report(root, branch, text="村甲一修渠1050米", amount=1050, now=now)
    services.report(root, sibling, text="村甲二修渠400米", amount=400, now=now)
    s_branch, s_sibling = services.dispatch(root, study, orgs=[o["branch"], o["sibling"]], today=day)
    services.report(root, s_branch, text="学了两项", checklist_done=[0, 1], now=now)
    services.report(root, s_sibling, text="全部完成", checklist_done=[0, 1, 2], now=now)
    return {
        "list": tl,
        "canal": canal,
        "study": study,
        "station": station,
        "community": community,
        "branch": branch,
        "sibling": sibling,
        "s_branch": s_branch,
        "s_sibling": s_sibling,
    }
