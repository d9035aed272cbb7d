"""A year of cases for every village branch of the generated province, in bulk.

What is written, for the year before `today` (opened from 365 days ago to yesterday, so no timestamp
lies in the future):
- about `per_branch` (default 200, drawn 150–250) cases per village branch: half errands (群众代办), a
  third problems (问题台账), the rest grid whistles (网格吹哨) on one of the township's grids — ≈4.8
  million cases for the default province of 24,000 branches;
- each case goes as far along its kind's path (kinds.py) as its drawn pace allows by yesterday: most are
  closed, 80 % of them within their deadline and 15 % late; one in twenty stalls, so each township has
  some two hundred overdue cases, escalated a level at once and another each 7 days (as the daily
  `escalate_cases` job would have done); whistles are answered on day 1–4 (day 4 is late), 30 % are
  taken by the village without a department; running problems were last supervised 1–45 days ago (some
  past the 15-day rule); 1 % of closed cases were reopened; 10 % of closed problems and whistles are
  published; 85 % of closed errands have a satisfaction call;
- per county: six problem and five whistle categories (whistles routed by default to one of the
  county's departments); a route row (CaseRoute) for every whistle sent to a department;
- timeline events (CaseEvent) only in the first county — every event the services would have written
  (opening, each transition, route/报到, supervision, escalation, publication, reopening, satisfaction),
  ≈250,000 rows. For the whole province that would be ≈25 million rows and as long again as the cases
  themselves. Lists, rates and most ledger figures read the case's own columns (answered_at, done_at, …);
  the ledger's supervision, escalation and reopening counts come from the timeline, so only the first
  county has them, and a generated case of another county shows an empty timeline.

The generated province's only users are its county admins: each county's cases are opened, owned,
accepted and signed off by its admin. Errand cases use the township's catalogue where the errands
generator wrote one, else no catalogue entry and 3 working days. Receipt numbers keep the services' form
(W-261202-XXXXX) but the tail starts with one of 0/1/I/O, which the services never draw, so a generated
receipt never equals a real one; they are unique by construction within a generation and between
generations whose seeds differ modulo 256.

On PostgreSQL a large load drops the tables' plain indexes and foreign keys and puts them back at the end
(see `loading_without_indexes`): about 6–7 minutes for the default province on an idle 2-core machine
(docs/performance.md).

Deterministic from `plan.seed` and `today` (one random generator per county, seeded by its code); ids
follow each table's current maximum. Rows are buffered in `dangjian.members.demo.Table`s and written per
county: binary COPY on PostgreSQL, batched INSERT elsewhere.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from django.db import connection

from dangjian.accounts.models import User
from dangjian.core.roles import Role
from dangjian.core.workdays import add_working_days
from dangjian.members.demo import Table, draw_name, draw_phone, flush
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Department, Grid

from . import rules as R
from .choices import CaseKind, EventType, Level, Priority, RouteState, Satisfaction, Source
from .kinds import KINDS
from .models import Case, CaseEvent, CaseRoute, Category

PROVINCE_LABELS: dict[str, str] = {
    "case": "案件",
    "case_event": "案件办理记录",
    "case_route": "派单部门",
    "case_category": "案件类别",
}

PER_BRANCH = 200
BULK_ROWS = 200_000  # from this many cases on, load without indexes and keys (see loading_without_indexes)
# Plain strings and per-kind lookups for the inner loop (enum members are slow to reach and to adapt).
PROBLEM, ERRAND, WHISTLE = CaseKind.PROBLEM.value, CaseKind.ERRAND.value, CaseKind.WHISTLE.value
WINDOW, RESIDENTS, GRID = Source.WINDOW.value, Source.RESIDENTS.value, Source.GRID.value
HIGH, NORMAL = Priority.HIGH.value, Priority.NORMAL.value
PUBLISH, SATISFACTION, REOPEN = EventType.PUBLISH.value, EventType.SATISFACTION.value, EventType.REOPEN.value
SUPERVISE, ESCALATE = EventType.SUPERVISE.value, EventType.ESCALATE.value
ACCEPTED, PENDING = RouteState.ACCEPTED.value, RouteState.PENDING.value
MAX_ESCALATIONS = Level.COUNTY - Level.VILLAGE
DONE = {PROBLEM: "report_done", ERRAND: "feedback", WHISTLE: "solve"}
INITIAL = {k: spec.initial for k, spec in KINDS.items()}
REOPEN_TO = {k: spec.reopen_to for k, spec in KINDS.items()}
RUNNING = {k: frozenset(spec.running_states) for k, spec in KINDS.items()}
PREFIX = {k: spec.receipt_prefix for k, spec in KINDS.items()}
SHANGHAI = ZoneInfo("Asia/Shanghai")
DAYS = 365
ERRAND_DAYS = 3  # promised working days where a township has no catalogue
CASE_COLUMNS = (
    "id", "kind", "receipt_no", "org_id", "township_id", "station_id", "county_id", "category_id", "source",
    "title", "description", "measures", "responsibility", "owner_id", "priority", "level", "grid_id",
    "place", "resident_name", "resident_phone", "state", "opened_on", "opened_by_id", "answer_due",
    "deadline", "answered_at", "done_at", "accepted_at", "accepted_by_id", "closed_at", "closed_by_id",
    "last_supervised_on", "reopen_count", "reopened_at", "escalated_on", "published_at", "public_title",
    "public_result", "satisfaction", "satisfaction_note", "service_id", "version", "demo_source",
    "created_at", "updated_at",
)  # fmt: skip
EVENT_COLUMNS = (
    "id", "case_id", "type", "transition", "from_state", "to_state", "actor_id", "actor_name", "at", "note",
    "data",
)  # fmt: skip
ROUTE_COLUMNS = (
    "id", "case_id", "department_id", "lead", "state", "routed_by_id", "routed_at", "decided_by_id",
    "decided_at", "reason",
)  # fmt: skip
CATEGORY_COLUMNS = (
    "id", "county_id", "kind", "name", "deadline_days", "answer_days", "solve_days", "sort_order",
)  # fmt: skip
CATEGORY_DEPT_COLUMNS = ("id", "category_id", "department_id")

# (name, own deadline days or None for the county rule)
PROBLEM_CATEGORIES = (
    ("组织建设", None),
    ("基础设施", 60),
    ("人居环境", None),
    ("矛盾纠纷", 15),
    ("民生保障", None),
    ("产业发展", 90),
)
# (name, which of the county's two departments takes it by default)
WHISTLE_CATEGORIES = (("停车难", 0), ("道路设施", 0), ("供水供暖", 0), ("矛盾纠纷", 1), ("困难救助", 1))
PROBLEM_TITLES = (
    ("组织建设", "党员活动室制度未上墙"),
    ("组织建设", "“三会一课”记录不完整"),
    ("组织建设", "党费收缴未按月公示"),
    ("基础设施", "通组路坑洼，雨天出行难"),
    ("基础设施", "水窖渗漏，夏季吃水困难"),
    ("基础设施", "路灯损坏，夜间出行不便"),
    ("人居环境", "垃圾集中清运不及时"),
    ("人居环境", "村内排水沟堵塞"),
    ("人居环境", "残垣断壁未清理"),
    ("矛盾纠纷", "宅基地边界纠纷"),
    ("矛盾纠纷", "土地流转租金纠纷"),
    ("民生保障", "独居老人冬季取暖困难"),
    ("民生保障", "残疾人补贴未及时到账"),
    ("产业发展", "小杂粮销售渠道窄"),
    ("产业发展", "合作社账目未公开"),
)
WHISTLE_TITLES = (
    ("停车难", "小区停车难，车辆乱停乱放"),
    ("道路设施", "雨水井盖破损"),
    ("道路设施", "路面塌陷"),
    ("供水供暖", "供暖管道漏水"),
    ("供水供暖", "停水未提前通知"),
    ("矛盾纠纷", "邻里噪音纠纷"),
    ("困难救助", "困难家庭申请临时救助"),
)
ERRAND_TITLES = (
    "城乡居民医保代缴",
    "养老保险资格认证",
    "残疾人证办理",
    "低保申请",
    "户籍证明代办",
    "农机补贴申请",
)
PROBLEM_SOURCES = tuple(
    s.value
    for s in (
        Source.COUNTY_INSPECTION,
        Source.STATION_INSPECTION,
        Source.FIELD_VISIT,
        Source.FIELD_VISIT,
        Source.RESEARCH,
        Source.RESIDENTS,
        Source.RESIDENTS,
    )
)
# Receipt tails: a first character the services never draw, then four from their alphabet.
TAIL_FIRST = "01IO"
TAIL_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
PAIRS = [a + b for a in TAIL_ALPHABET for b in TAIL_ALPHABET]
PER_DAY_BITS = 14  # up to 16,384 receipts of one kind a day per generation
SEED_BITS = 8
TAIL_MASK = (1 << 22) - 1
TAIL_MULTIPLIER = 0x2F5A3  # odd: a bijection on 2**22, so distinct counters give distinct tails
OPENING = datetime.time(8, 30)
SLOTS = 48  # moments of a day, every 20 minutes from 08:30
AHEAD = 200  # deadlines lie at most this many days after today


class Writer:
    """Case, event, route and category rows, flushed once per county; days are counted back from today
    (index 0 = today, 1 = yesterday, negative = ahead)."""

    def __init__(self, seed: int, today: datetime.date) -> None:
        self.seed = seed
        self.source = f"生成（种子{seed}）"
        self.category = Table(Category, CATEGORY_COLUMNS)
        self.category_dept = Table(Category.departments.through, CATEGORY_DEPT_COLUMNS)
        self.case = Table(Case, CASE_COLUMNS)
        self.event = Table(CaseEvent, EVENT_COLUMNS, json_columns=("data",))
        self.route = Table(CaseRoute, ROUTE_COLUMNS)
        self.tables = [self.category, self.category_dept, self.case, self.route, self.event]
        self.today = today
        self.dates = {i: today - datetime.timedelta(days=i) for i in range(-AHEAD, DAYS + 1)}
        self.codes = {i: f"{d:%y%m%d}" for i, d in self.dates.items()}
        self.moments = {
            i: [
                datetime.datetime.combine(d, OPENING, SHANGHAI) + datetime.timedelta(minutes=20 * k)
                for k in range(SLOTS)
            ]
            for i, d in self.dates.items()
            if i >= 0
        }
        self.receipts: dict[tuple[str, int], int] = defaultdict(int)
        self.spans: dict[tuple[int, int], int] = {}
        self.base = (seed % (1 << SEED_BITS)) << PER_DAY_BITS

    def receipt(self, prefix: str, day: int) -> str:
        """The services' form (W-261202-XXXXX), unique by construction (see the module's docstring)."""
        key = (prefix, day)
        n = self.receipts[key]
        if n >= 1 << PER_DAY_BITS:
            raise ValueError(
                f"{self.dates[day]}的{prefix}类案件超过{1 << PER_DAY_BITS}件，无法生成唯一受理编号"
            )
        self.receipts[key] = n + 1
        code = ((self.base | n) * TAIL_MULTIPLIER) & TAIL_MASK
        tail = TAIL_FIRST[code >> 20] + PAIRS[(code >> 10) & 1023] + PAIRS[code & 1023]
        return f"{prefix}-{self.codes[day]}-{tail}"

    def span(self, day: int, working_days: int) -> int:
        """Calendar days from `day` to the date `working_days` working days on (national holidays)."""
        key = (day, working_days)
        found = self.spans.get(key)
        if found is None:
            found = self.spans[key] = (add_working_days(self.dates[day], working_days) - self.dates[day]).days
        return found


class Place:
    """Where a branch lies, with what its county offers (categories, departments, grids, catalogue)."""

    __slots__ = ("org", "township", "station", "county", "grids", "services")

    def __init__(self, org, township, station, county, grids, services) -> None:
        self.org, self.township, self.station, self.county = org, township, station, county
        self.grids, self.services = grids, services


class County:
    """What every case of one county shares: its admin, categories and departments."""

    def __init__(self, county_id: int, user_id: int, user_name: str, departments: list[int]) -> None:
        self.id = county_id
        self.user = user_id
        self.name = user_name
        self.departments = departments
        self.problem: dict[str, tuple[int, int]] = {}  # name -> (category id, deadline days)
        self.whistle: dict[str, tuple[int, int]] = {}  # name -> (category id, department id)


def insert_province_cases(
    plan,
    org_ids: list[int],
    today: datetime.date,
    *,
    per_branch: int = PER_BRANCH,
    bulk: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """A year of cases for every village branch of `plan` (see the module's docstring)."""
    if not 0 <= per_branch <= 1000:
        raise ValueError("参数超出范围：每村案件0–1000件")
    writer = Writer(plan.seed, today)
    children: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.parent is not None:
            children[o.parent].append(i)
    counties = [i for i, o in enumerate(plan.orgs) if o.kind == OrgKind.COUNTY]
    admins = county_admins([org_ids[i] for i in counties])
    departments = _departments(plan)
    grids = _grids(plan)
    services = _services([org_ids[i] for i, o in enumerate(plan.orgs) if o.kind == OrgKind.TOWNSHIP])
    branches = sum(1 for o in plan.orgs if o.kind == OrgKind.BRANCH)
    if bulk is None:
        bulk = branches * per_branch >= BULK_ROWS
    with loading_without_indexes([Case, CaseRoute, CaseEvent] if bulk else []):
        for n, county in enumerate(counties):
            county_id = org_ids[county]
            user_id, user_name = admins.get(county_id) or admins[None]
            ctx = County(county_id, user_id, user_name, departments.get(county_id, []))
            _categories(writer, ctx)
            rng = random.Random(f"cases-{plan.seed}-{plan.orgs[county].code}")
            gen = CaseMaker(writer, ctx, rng, timelines=n == 0)
            for place in _branches(plan, org_ids, county, children, grids, services):
                for _ in range(per_branch * 3 // 4 + rng.randrange(per_branch // 2 + 1)):
                    gen.make(place)
            copy_rows(writer.tables)
            if progress:
                progress(f"{n + 1}/{len(counties)} 县：案件 {writer.case.total:,}")
    org_demo.reset_sequences(Category, Category.departments.through, Case, CaseRoute, CaseEvent)
    return {
        "case": writer.case.total,
        "case_event": writer.event.total,
        "case_route": writer.route.total,
        "case_category": writer.category.total,
    }


def copy_rows(tables: list[Table]) -> None:
    """Write the buffered rows: on PostgreSQL by binary COPY with each column's type given (a third of the
    client's time of text COPY, which `members.demo.flush` uses), elsewhere through that flush."""
    if connection.vendor != "postgresql":
        flush(tables)
        return
    quote = connection.ops.quote_name
    with connection.cursor() as c:
        for t in tables:
            if not t.rows:
                continue
            table = t.model._meta.db_table
            c.execute(
                "SELECT attname, format_type(atttypid, NULL) FROM pg_attribute "
                "WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
                [table],
            )
            types = dict(c.fetchall())
            columns = ", ".join(quote(col) for col in t.columns)
            with c.cursor.copy(f"COPY {quote(table)} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types([types[col] for col in t.columns])
                for row in t.rows:
                    copy.write_row(row)
            t.total += len(t.rows)
            t.rows = []


@contextmanager
def loading_without_indexes(models: list) -> Iterator[None]:
    """On PostgreSQL, load `models`' tables without their plain indexes and foreign keys, then put them
    back: the same names and definitions, each index built in one sort and each foreign key checked in
    one join. Row by row, two dozen indexes and a dozen key checks made a case cost ~10× its COPY.

    Runs inside the generator's transaction (a failure leaves everything as it was); until it commits,
    the tables are locked, and writes to the tables the keys point at (orgs, users) wait."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [m._meta.db_table for m in models]
    with connection.cursor() as c:
        c.execute("SET CONSTRAINTS ALL IMMEDIATE")  # check each row now, and run any checks still queued
        c.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = ANY(%s::regclass[]) AND NOT indisunique AND NOT indisprimary",
            [tables],
        )
        indexes = c.fetchall()
        c.execute(
            "SELECT conrelid::regclass::text, quote_ident(conname), pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u') "
            "ORDER BY 1, 2",
            [tables],
        )
        constraints = c.fetchall()
        for table, name, _ in constraints:
            c.execute(f"ALTER TABLE {table} DROP CONSTRAINT {name}")
        for name, _ in indexes:
            c.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as c:
        c.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _, definition in indexes:
            c.execute(definition)
        for table, name, definition in constraints:
            c.execute(f"ALTER TABLE {table} ADD CONSTRAINT {name} {definition}")
        c.execute("SET CONSTRAINTS ALL DEFERRED")


def county_admins(county_ids: list[int]) -> dict[int | None, tuple[int, str]]:
    """Each county's admin (its first), and under None the first superuser for a county without one."""
    rows = (
        User.objects.filter(roles__org_id__in=county_ids, roles__role=Role.COUNTY_ADMIN)
        .order_by("-pk")
        .values_list("roles__org_id", "pk", "real_name", "username")
    )
    found: dict[int | None, tuple[int, str]] = {org: (pk, name or login) for org, pk, name, login in rows}
    admin = User.objects.filter(is_superuser=True).order_by("pk").values_list("pk", "real_name").first()
    if admin is not None:
        found[None] = (admin[0], admin[1] or "系统管理员")
    if len(found) < len(county_ids) and None not in found:
        raise ValueError("生成案件需要各县的县级管理员账号（或一个系统管理员）")
    return found


def _departments(plan) -> dict[int, list[int]]:
    ids: dict[int, list[int]] = defaultdict(list)
    for county_id, pk in (
        Department.objects.filter(code__startswith=f"{plan.code}-")
        .order_by("code")
        .values_list("county_id", "pk")
    ):
        ids[county_id].append(pk)
    return ids


def _grids(plan) -> dict[int, list[int]]:
    ids: dict[int, list[int]] = defaultdict(list)
    for org_id, pk in (
        Grid.objects.filter(code__startswith=f"{plan.code}-").order_by("code").values_list("org_id", "pk")
    ):
        ids[org_id].append(pk)
    return ids


def _services(township_ids: list[int]) -> dict[int, list[tuple[int, str, int]]]:
    """The errands catalogue of each township, where the errands generator wrote one."""
    from dangjian.errands.models import ErrandService

    found: dict[int, list[tuple[int, str, int]]] = defaultdict(list)
    rows = (
        ErrandService.objects.filter(org_id__in=township_ids, archived_at__isnull=True)
        .order_by("org_id", "sort_order", "pk")
        .values_list("org_id", "pk", "name", "promised_days")
    )
    for org_id, pk, name, days in rows:
        found[org_id].append((pk, name[:100], days))
    return found


def _categories(writer: Writer, ctx: County) -> None:
    deadline = int(R.PROBLEM_DEADLINE_DAYS.value)
    for order, (name, days) in enumerate(PROBLEM_CATEGORIES, 1):
        pk = writer.category.take_id()
        writer.category.add((pk, ctx.id, CaseKind.PROBLEM, name, days, None, None, order))
        ctx.problem[name] = (pk, days or deadline)
    for order, (name, dept) in enumerate(WHISTLE_CATEGORIES, 1):
        pk = writer.category.take_id()
        writer.category.add((pk, ctx.id, CaseKind.WHISTLE, name, None, None, None, order))
        department = ctx.departments[dept % len(ctx.departments)] if ctx.departments else None
        if department is not None:
            writer.category_dept.add((writer.category_dept.take_id(), pk, department))
        ctx.whistle[name] = (pk, department)


def _branches(plan, org_ids, county: int, children, grids, services) -> Iterator[Place]:
    """Every branch of the county with its township and station, in plan order."""
    county_id = org_ids[county]
    for t in children[county]:
        if plan.orgs[t].kind != OrgKind.TOWNSHIP:
            continue
        township_id = org_ids[t]
        stack = [(c, None) for c in reversed(children[t])]
        while stack:
            i, station = stack.pop()
            kind = plan.orgs[i].kind
            if kind == OrgKind.BRANCH:
                yield Place(
                    org_ids[i],
                    township_id,
                    station,
                    county_id,
                    grids.get(township_id, []),
                    services.get(township_id, []),
                )
            elif kind in (OrgKind.STATION, OrgKind.JOINT_BRANCH):
                stack.extend((c, org_ids[i]) for c in reversed(children[i]))


class CaseMaker:
    """Draws one case at a time: its kind, pace and how far along its path it has got by yesterday.

    Days are indices back from today (see Writer); a step `lag` days after opening on day `age` happened
    on day `age - lag`, and has happened if that is yesterday or before."""

    def __init__(self, writer: Writer, ctx: County, rng: random.Random, *, timelines: bool) -> None:
        self.w, self.ctx, self.rng, self.rand = writer, ctx, rng, rng.random
        self.timelines = timelines
        self.names = [draw_name(rng, rng.random() < 0.5) for _ in range(200)]
        self.phones = [draw_phone(rng) for _ in range(200)]
        self.problem_titles = [(ctx.problem[c], t) for c, t in PROBLEM_TITLES]
        self.whistle_titles = [(ctx.whistle[c], t) for c, t in WHISTLE_TITLES]
        self.answer_days = int(R.WHISTLE_ANSWER_DAYS.value)
        self.solve_days = int(R.WHISTLE_SOLVE_DAYS.value)
        self.every = int(R.ESCALATION_INTERVAL_DAYS.value)

    def make(self, p: Place) -> None:
        rand, w = self.rand, self.w
        r, age, pace, v, u, t = rand(), 1 + int(rand() * DAYS), rand(), rand(), rand(), rand()
        slot = int(rand() * 18)
        priority = HIGH if rand() < 0.05 else NORMAL
        grid = service = department = answer_due = None
        resident = ("", "")
        if r < 0.5:
            kind, category, source = ERRAND, None, WINDOW if u < 0.7 else RESIDENTS
            if p.services:
                service, title, promised = p.services[int(t * len(p.services))]
            else:
                title, promised = ERRAND_TITLES[int(t * len(ERRAND_TITLES))], ERRAND_DAYS
            span = w.span(age, promised)
            resident = (self.names[int(u * 200)], self.phones[int(v * 200)])
            path = [("promise", "received", "promised", 0)]
        elif r < 0.85 or not p.grids:
            kind, source = PROBLEM, PROBLEM_SOURCES[int(u * len(PROBLEM_SOURCES))]
            (category, span), title = self.problem_titles[int(t * len(self.problem_titles))]
            path = [("start", "open", "rectifying", 1 + int(u * 3))]
        else:
            kind, source, span = WHISTLE, GRID, self.solve_days
            (category, department), title = self.whistle_titles[int(t * len(self.whistle_titles))]
            grid = p.grids[int(t * 7 % 1 * len(p.grids))]
            answer_due = w.dates[age - self.answer_days]
            answer = 1 + int(v * 4)  # day 4 is late against the 3-day rule
            if u < 0.3 or department is None:
                department = None
                path = [("take", "raised", "answered", answer)]
            else:
                path = [("route", "raised", "routed", 0), ("answer", "routed", "answered", answer)]
        # The pace: 80 % done within the deadline, 15 % late, 5 % stalled.
        if pace < 0.95:
            done = 1 + int(v * max(1, span - 1)) if pace < 0.80 else span + 1 + int(u * span)
            done = max(done, path[-1][3])
            accept = done + 1 + int(u * 3)
            close = accept + int(v * 9) % 3
            path += [
                (DONE[kind], path[-1][2], "done", done),
                ("accept", "done", "accepted", accept),
                ("sign_off", "accepted", "closed", close),
            ]
        steps = [s for s in path if s[3] < age]
        state = steps[-1][2] if steps else INITIAL[kind]
        if kind == PROBLEM and state == "rectifying" and pace >= 0.95 and v < 0.2:
            steps, state = [], "open"  # some stalled problems were never even started
        extra: list[tuple[str, int]] = []  # (event type, lag) after or beside the path
        satisfaction = reopened = supervised = None
        escalations: list[int] = []
        if state == "closed":
            close = steps[-1][3]
            if kind != ERRAND and v < 0.1:
                extra.append((PUBLISH, close))
            if kind == ERRAND and u < 0.85 and close + 1 + int(v * 5) < age:
                score = 3 if pace < 0.9 else 2 if pace < 0.98 else 1
                satisfaction = (score, close + 1 + int(v * 5))
                extra.append((SATISFACTION, satisfaction[1]))
            if rand() < 0.01 and close + 3 + int(u * 7) < age:
                reopened = close + 3 + int(u * 7)
                state = REOPEN_TO[kind]
                extra.append((REOPEN, reopened))
        elif state in RUNNING[kind]:
            if kind == PROBLEM and age > 15:
                supervised = age - (1 + int(u * 14) if u < 0.8 else min(age, 16 + int(u * 30)))
                extra.append((SUPERVISE, supervised))
            first = span + 1  # escalated the day after the deadline, then every interval
            if first < age:
                levels = min(MAX_ESCALATIONS, 1 + (age - 1 - first) // self.every)
                escalations = [first + k * self.every for k in range(levels)]
                extra += [(ESCALATE, d) for d in escalations]
        ctx, moments = self.ctx, w.moments
        when = {code: moments[age - lag][slot + 1 + n] for n, (code, _, _, lag) in enumerate(steps)}
        opened_at = moments[age][slot]
        closed = state == "closed"
        accepted = closed or state == "accepted"
        answered_at = when.get("answer") or when.get("take")
        published = when["sign_off"] if extra and extra[0][0] == PUBLISH else None
        touched = max([lag for *_, lag in steps] + [lag for _, lag in extra] + [0])
        pk = w.case.take_id()
        w.case.add(
            (pk, kind, w.receipt(PREFIX[kind], age), p.org, p.township, p.station, p.county, category,
             source, title, "", "", "", ctx.user if kind != WHISTLE or answered_at else None,
             priority, 1 + len(escalations), grid, "", resident[0], resident[1], state,
             w.dates[age], ctx.user, answer_due, w.dates[age - span], answered_at,
             when.get(DONE[kind]) if accepted or state == "done" else None,
             when.get("accept") if accepted else None, ctx.user if accepted else None,
             when.get("sign_off") if closed else None, ctx.user if closed else None,
             w.dates[age - supervised] if supervised is not None else None, 1 if reopened else 0,
             moments[age - reopened][slot] if reopened else None,
             w.dates[age - escalations[-1]] if escalations else None, published,
             title if published else "", "已办结" if published else "",
             satisfaction[0] if satisfaction else None, "", service, len(steps) + (1 if reopened else 0),
             w.source, opened_at, moments[age - touched][min(slot + 12, SLOTS - 1)])
        )  # fmt: skip
        if department is not None and "route" in when:
            answered = when.get("answer")
            w.route.add(
                (w.route.take_id(), pk, department, True,
                 ACCEPTED if answered else PENDING, ctx.user, when["route"],
                 ctx.user if answered else None, answered, "")
            )  # fmt: skip
        if self.timelines:
            self.events(
                pk,
                KINDS[kind],
                age,
                slot,
                steps,
                when,
                extra,
                department,
                title,
                satisfaction,
                escalations,
                span,
            )

    def events(
        self, pk, spec, age, slot, steps, when, extra, department, title, satisfaction, escalations, span
    ):
        """The timeline the services would have written for this case, in order."""
        w = self.w
        ev, user, name = w.event, self.ctx.user, self.ctx.name

        def add(type_, at, note="", transition="", source="", target="", data=None, actor=user):
            ev.add(
                (ev.take_id(), pk, type_, transition, source, target, actor,
                 name if actor else "系统", at, note, data or {})
            )  # fmt: skip

        add(EventType.OPEN, w.moments[age][slot], target=spec.initial)
        for code, source, target, _ in steps:
            at = when[code]
            if code == "route":
                data = {"departments": [department], "lead": department}
                add(EventType.ROUTE, at, "派单到部门", source=source, target=target, data=data)
            elif code == "answer":
                add(
                    EventType.DEPT_ACCEPT,
                    at,
                    "部门报到",
                    source=source,
                    target=target,
                    data={"department": department},
                )
            else:
                note = "已办结" if spec.transition(code).note_required else ""
                add(EventType.TRANSITION, at, note, transition=code, source=source, target=target)
        for n, (kind, lag) in enumerate(sorted(extra, key=lambda e: e[1])):
            at = w.moments[age - lag][slot + 8 + n]
            if kind == EventType.REOPEN:
                add(kind, at, "群众反映问题复发，重新办理", source="closed", target=spec.reopen_to)
            elif kind == EventType.PUBLISH:
                add(kind, at, title)
            elif kind == EventType.SATISFACTION:
                add(kind, at, f"{Satisfaction(satisfaction[0]).label}。")
            elif kind == EventType.SUPERVISE:
                add(kind, at, "请加快办理进度")
            else:
                level = Level.VILLAGE + 1 + escalations.index(lag)
                note = f"逾期未办结（时限{w.dates[age - span]:%Y-%m-%d}），自动上报至{Level(level).label}"
                add(EventType.ESCALATE, at, note, data={"level": level}, actor=None)
