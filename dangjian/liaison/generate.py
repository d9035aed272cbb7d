"""Deputies of the generated province, in bulk.

Every work station gets three deputies (a county party congress deputy, a county people's congress deputy,
a township people's congress deputy) with invented names, two contacts each with the station's first
branches this year, and one consultation meeting they all attended. Rows are buffered in
`members.demo.Table`s and written per county with `members.demo.flush`; no audit rows (the province
generator records one event for the whole generation)."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from zoneinfo import ZoneInfo

from dangjian.members.demo import Table, draw_name, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind

from .choices import ContactWay, DeputyKind, Level
from .models import Consultation, Contact, Deputy

PROVINCE_LABELS: dict[str, str] = {
    "deputy": "代表委员",
    "deputy_contact": "代表委员联系",
    "consultation": "协商议事会",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
SOURCE = "生成的演示省"
DEPUTY_COLUMNS = (
    "id", "org_id", "person_id", "name", "kind", "level", "term_start", "term_end", "unit", "demo_source",
    "created_at",
)  # fmt: skip
CONTACT_COLUMNS = (
    "id", "deputy_id", "org_id", "branch_id", "resident_name", "way", "contacted_on", "topic", "outcome",
    "case_ref", "created_by_id", "demo_source", "created_at",
)  # fmt: skip
MEETING_COLUMNS = (
    "id", "org_id", "held_on", "topic", "place", "result", "others", "created_by_id", "demo_source",
    "created_at",
)  # fmt: skip
ATTENDEE_COLUMNS = ("id", "consultation_id", "deputy_id")
KINDS = ((DeputyKind.PARTY, Level.COUNTY), (DeputyKind.NPC, Level.COUNTY), (DeputyKind.NPC, Level.TOWNSHIP))


def _at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10), tzinfo=SHANGHAI)


def _stations(plan, org_ids: list[int]) -> dict[int, list[tuple[int, list[int]]]]:
    """Per county id: (station id, ids of its branches) in plan order."""
    county: dict[int, int] = {}
    branches: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.COUNTY:
            county[i] = i
        elif o.parent is not None and o.parent in county:
            county[i] = county[o.parent]
        if o.kind == OrgKind.BRANCH and o.parent is not None and plan.orgs[o.parent].kind == OrgKind.STATION:
            branches[o.parent].append(org_ids[i])
    found: dict[int, list] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.kind == OrgKind.STATION and i in county:
            found[org_ids[county[i]]].append((org_ids[i], branches[i]))
    return found


def insert_province(plan, org_ids: list[int], today: datetime.date) -> dict[str, int]:
    """Three deputies per station with contacts this year and one consultation meeting, per county."""
    deputies = Table(Deputy, DEPUTY_COLUMNS)
    contacts = Table(Contact, CONTACT_COLUMNS)
    meetings = Table(Consultation, MEETING_COLUMNS)
    attendees = Table(Consultation.attendees.through, ATTENDEE_COLUMNS)
    start = datetime.date(today.year - 2, 12, 1)
    end = start.replace(year=start.year + 5)
    codes = {pk: o.code for pk, o in zip(org_ids, plan.orgs, strict=True)}
    for county_id, stations in _stations(plan, org_ids).items():
        rng = random.Random(f"liaison-{plan.seed}-{codes[county_id]}")
        for station, branches in stations:
            ids = []
            for kind, level in KINDS:
                pk = deputies.take_id()
                name = draw_name(rng, rng.random() < 0.7)
                deputies.add((pk, station, None, name, kind, level, start, end, "", SOURCE, _at(start)))
                ids.append(pk)
                for k in range(2):
                    on = today - datetime.timedelta(days=1 + rng.randrange(min(300, (today - start).days)))
                    branch = branches[(len(ids) + k) % len(branches)] if branches else None
                    contacts.add(
                        (contacts.take_id(), pk, station, branch, "" if branch else "群众", ContactWay.VISIT,
                         on, "走访了解村情民意", "已记录并反馈工作站", "", None, SOURCE, _at(on))
                    )  # fmt: skip
            held = today - datetime.timedelta(days=1 + rng.randrange(120))
            meeting = meetings.take_id()
            meetings.add(
                (meeting, station, held, "村级重大事项协商", "", "形成一致意见，提交镇党委审核", "", None,
                 SOURCE, _at(held))
            )  # fmt: skip
            for pk in ids:
                attendees.add((attendees.take_id(), meeting, pk))
        flush([deputies, contacts, meetings, attendees])
    org_demo.reset_sequences(Deputy, Contact, Consultation, Consultation.attendees.through)
    return {"deputy": deputies.total, "deputy_contact": contacts.total, "consultation": meetings.total}
