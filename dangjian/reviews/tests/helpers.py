"""Task rows for the 3+X tests, made through the tasks services (the lists last month, dispatched
on its first day, reported on)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from dangjian.core.dates import add_months
from dangjian.core.findings import Finding
from dangjian.core.roles import Role
from dangjian.orgs.models import Org
from dangjian.orgs.services import create_org
from dangjian.tasks import services as tasks
from dangjian.tasks.models import Task, TaskList


def last_month() -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -1)


def task_list(actor, org: Org, month: datetime.date) -> TaskList:
    found = TaskList.objects.filter(org=org, kind="monthly", period_start=month).first()
    return found or tasks.create_task_list(actor, org=org, kind="monthly", period_start=month)


def make_task(actor, org: Org, month: datetime.date, title: str, *, to=(), done=(), **fields) -> Task:
    """A task of `org`'s list for `month`, dispatched (on the month's first day) to `to` and reported
    by each recipient as `done` says (None: not reported; a number; or a list of checklist indices)."""
    fields.setdefault("due", month.replace(day=20))
    task = tasks.add_task(actor, task_list(actor, org, month), title=title, **fields)
    if to:
        created = {a.org_id: a for a in tasks.dispatch(actor, task, orgs=to, today=month)}
        for org_, amount in zip(to, done or [None] * len(to), strict=True):
            if amount is None:
                continue
            kw = {"checklist_done": amount} if isinstance(amount, list) else {"amount": amount}
            tasks.report(actor, created[org_.pk], text="已完成情况", **kw)
    return task


def townships(world, names: list[str]) -> list[Org]:
    county = world.orgs["county"]
    return [
        create_org(world.root, parent=county, name=name, kind="township", code=f"RT{i}-{name}")
        for i, name in enumerate(names)
    ]


def red(org: Org, message: str, subject: str = "", severity: str = "overdue") -> Finding:
    return Finding(
        rule="reviews.red_finding_deduction",
        org_id=org.pk,
        org_name=org.name,
        subject=subject,
        message=message,
        severity=severity,
        url=f"/orgs/{org.pk}/",
        check="test",
    )


def scenario(world) -> dict:
    """Four townships of county 甲 with last month's tasks (see test_reviews for the arithmetic)."""
    o = world.orgs
    admin = world.users[Role.COUNTY_ADMIN]
    county, a = o["county"], o["township"]
    b, c, d = townships(world, ["镇甲乙", "镇甲丙", "镇甲丁"])
    month = last_month()
    four = [a, b, c, d]
    canal = make_task(
        admin,
        county,
        month,
        "修缮水渠",
        key=True,
        target_value=1000,
        unit="米",
        sort_order=1,
        to=four,
        done=[1050, 500, None, 1000],
    )
    study = make_task(
        admin,
        county,
        month,
        "流动党员学习",
        key=True,
        target_kind="checklist",
        checklist=["推送", "研讨", "测试", "总结"],
        sort_order=2,
        to=four,
        done=[[0, 1, 2, 3], [0, 1], [0, 1, 2, 3], None],
    )
    extra = make_task(
        admin, county, month, "走访困难党员", target_value=10, unit="户", sort_order=3, to=[a], done=[10]
    )
    nxt = add_months(month, 1)
    plan = make_task(
        admin,
        county,
        nxt,
        "下月组织生活会",
        key=True,
        target_value=1,
        unit="次",
        due=nxt.replace(day=25),
        to=four,
    )
    other = make_task(admin, county, nxt, "下月未下达到本镇的任务", target_value=1, unit="次", to=[b])
    own = make_task(world.users[Role.TOWNSHIP_STAFF], a, nxt, "镇甲自定任务", target_value=3, unit="次")
    return {
        "admin": admin,
        "month": month,
        "a": a,
        "b": b,
        "c": c,
        "d": d,
        "canal": canal,
        "study": study,
        "extra": extra,
        "plan": plan,
        "other": other,
        "own": own,
    }
