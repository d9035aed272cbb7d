"""Shared helpers of the dashboards' tests: fetching a dashboard's JSON and growing the world's rows."""

from __future__ import annotations

from dangjian.cases.models import Case
from dangjian.development.models import DevelopmentCase
from dangjian.meetings.models import Meeting
from dangjian.orgs.services import create_org
from dangjian.rectification.models import RectificationCase
from dangjian.tasks.models import Assignment


def panels(client, org, **query) -> dict[str, dict]:
    r = client.get(f"/dashboards/{org.pk}/data/", query)
    assert r.status_code == 200, r.content
    return {p["code"]: p for p in r.json()["panels"]}


def grow(world, n: int, tag: str) -> None:
    """Add `n` branches under the station, each with a copy of one of the world's cases, development
    cases, meetings, leaf assignments and rectification cases: more rows of every kind a panel reads."""
    station = world.orgs["station"]
    samples = {
        "case": Case.objects.filter(org__path__startswith=station.path).first(),
        "dev": DevelopmentCase.objects.filter(org__path__startswith=station.path).first(),
        "meeting": Meeting.objects.filter(org__path__startswith=station.path).first(),
        "assignment": Assignment.objects.filter(relayed=False, org__path__startswith=station.path).first(),
        "rect": RectificationCase.objects.filter(org__path__startswith=station.path).first(),
    }
    for i in range(n):
        branch = create_org(
            world.root, parent=station, name=f"村甲增{tag}{i}", kind="branch", code=f"X{tag}{i}", confirm=True
        )
        for key, obj in samples.items():
            if obj is None:
                continue
            obj.pk = obj.id = None
            obj.org = branch
            if key == "case":
                obj.receipt_no = f"Z{tag}{i}"
            if key == "dev":
                obj.member = None
            obj.save()
