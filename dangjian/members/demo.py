"""Party members of the demo counties, and of the synthetic province.

Every person here is invented (`demo_source` = 虚构（演示）): names, birth dates, ID numbers and phones
are drawn from a seeded random generator, so the same demo is built on every machine. ID numbers are
valid under GB 11643 (check digit, birth date, gender digit) and unique: each county has its area code
and the order code counts up per birth date. The only figure taken from a report is 安定镇's 1,619
members in its 33 village branches (source 004); the other branches get 15–60 members each.

How the rows are written:
- 老牛湾镇, the township whose office, secretary and staff have demo logins, goes through the services
  (`create_member`, `start_mobility`, `mark_lost_contact`), so its members have a real audit trail.
- The other counties (about 8,650 members, 安定镇's 1,619 included) are written by one bulk path per
  county: the same `Person`, `Member` and `MobileRecord` rows `create_member` and `start_mobility`
  write (the same planned values, every column of the models), plus ONE audit event per county
  (`member.import`). Through `create_member` (about 3 ms a member on SQLite, plus the pinyin) the demo
  would take half a minute longer to load, every time a test or `make run` loads it.
- The synthetic province (~2.4 million members) streams rows per county with PostgreSQL's COPY
  (psycopg `cursor.copy()`), or batched `executemany` on other databases; its single audit event is
  the province generator's. The demo's bulk path writes through the same `RowWriter` and `flush`.
"""

from __future__ import annotations

import datetime
import json
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.dates import add_years
from dangjian.core.errors import DomainError
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.roles import Role
from dangjian.orgs import demo as org_demo
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from .choices import DuesCategory, Education, Gender, MemberStatus, Standing
from .models import Member, MobileRecord, Person
from .services import mobility, standing
from .services.roster import MemberData, create_member
from .testing import make_id_number

INVENTED = org_demo.INVENTED
ANDING_TOTAL = 1619  # 安定镇: 1,619 party members in its 33 village branches (source 004)
BRANCH_MIN, BRANCH_MAX = 15, 60
# Real area codes of the demo counties (行政区划代码); the people themselves are invented.
AREA_CODES = {"WZ": "140928", "PG": "140932", "YJ": "610222", "JC": "141122", "DX": "110115"}
# Birth dates and IDs are drawn against this fixed day, so they do not change with the day the demo is
# loaded; only what must stay recent (probation, a spell away, lost contact) counts back from today.
BIRTH_REFERENCE = datetime.date(2026, 7, 1)
SERVICE_TOWNSHIP = "老牛湾镇"
OFFICE_LOGIN = "office_laoniuwan"

SURNAMES = (
    "王王王王李李李李张张张刘刘刘赵赵杨杨郭郭高高武武贾贾韩冯吕白田薛乔侯任梁马孙石郝霍宋史杜温段"
    "范曹苏卫秦康常牛程闫贺陈周吴徐胡朱何罗宁邓许傅彭董雷"
)
MALE_FIRST = "建志国文永海振俊明德世云春金宝全有庆福贵长保军平兴旭鹏浩宇晓卫东红小新"
MALE_SECOND = "国强华军明平林生福贵成刚伟斌杰龙峰勇涛亮辉荣山祥忠义斌民虎文江"
FEMALE_FIRST = "秀桂玉丽春美翠淑凤小晓海红艳雪慧文金彩爱月"
FEMALE_SECOND = "英兰梅珍芳娥霞燕花琴萍莲娟玲凤华荣云香敏静"
PHONE_PREFIXES = (
    "38",
    "39",
    "35",
    "36",
    "37",
    "50",
    "51",
    "52",
    "58",
    "59",
    "82",
    "87",
    "88",
    "33",
    "53",
    "80",
)
DESTINATIONS = {
    "14": (
        "太原市小店区",
        "忻州市忻府区",
        "内蒙古鄂尔多斯市东胜区",
        "内蒙古呼和浩特市赛罕区",
        "北京市昌平区",
        "天津市滨海新区",
    ),
    "61": ("西安市雁塔区", "铜川市王益区", "咸阳市秦都区", "延安市宝塔区", "宁夏银川市金凤区"),
    "11": ("北京市朝阳区", "北京市丰台区", "天津市武清区", "河北省廊坊市广阳区"),
}
DESTINATIONS_OTHER = ("省城", "邻县县城", "北京市", "天津市", "上海市", "广东省深圳市", "江苏省苏州市")
# (occupation, share among members under 60, dues category, monthly base range or None)
WORKING_AGE = (
    ("务农", 50, DuesCategory.FARMER, None),
    ("外出务工", 12, DuesCategory.FARMER, None),
    ("个体经营", 10, DuesCategory.WORKING, (2000, 6000)),
    ("养殖户", 6, DuesCategory.FARMER, None),
    ("种植大户", 4, DuesCategory.FARMER, None),
    ("乡村教师", 4, DuesCategory.WORKING, (3500, 5600)),
    ("合作社负责人", 3, DuesCategory.WORKING, (2500, 5000)),
    ("村医", 2, DuesCategory.WORKING, (2600, 4200)),
    ("村委会干部", 5, DuesCategory.FARMER, None),
    ("务农（低保户）", 2, DuesCategory.LOW_INCOME, None),
    ("在读研究生", 1, DuesCategory.LOW_INCOME, None),
    ("乡镇企业职工", 1, DuesCategory.WORKING, (2800, 4800)),
)
ELDERLY = (
    ("务农", 80, DuesCategory.FARMER, None),
    ("退休教师", 7, DuesCategory.RETIRED, (3200, 6400)),
    ("退休干部", 3, DuesCategory.RETIRED, (3500, 7000)),
    ("务农（低保户）", 6, DuesCategory.LOW_INCOME, None),
    ("务农（困难党员）", 1, DuesCategory.EXEMPT, None),
    ("村医", 3, DuesCategory.FARMER, None),
)
PROBATIONARY_SHARE = 0.04
WOMEN_SHARE = 0.25


class MobilePlan(NamedTuple):
    destination: str
    since: datetime.date
    expected_until: datetime.date | None
    certificate_no: str
    certificate_issued_on: datetime.date | None


class PlannedMember(NamedTuple):
    name: str
    male: bool
    birth: datetime.date
    id_number: str
    phone: str
    education: str
    occupation: str
    status: str
    joined_on: datetime.date
    full_on: datetime.date | None
    dues_category: str
    dues_base: Decimal | None
    group: int | None = None  # index of the branch's party group
    mobile: MobilePlan | None = None
    lost_since: datetime.date | None = None

    @property
    def gender(self) -> str:
        return Gender.MALE if self.male else Gender.FEMALE


class IdAllocator:
    """Unique, valid ID numbers: the order code (3 digits, odd for men) counts up per area and birth date."""

    def __init__(self, start: int = 0) -> None:
        self.start = start
        self.used: dict[tuple[str, datetime.date], int] = defaultdict(lambda: start)

    def take(self, area: str, birth: datetime.date, male: bool) -> tuple[datetime.date, str]:
        while self.used[area, birth] >= 500:  # 500 people of one sex born on one day: move a day on
            birth += datetime.timedelta(days=1)
        seq = self.used[area, birth]
        self.used[area, birth] += 1
        return birth, make_id_number(birth, seq, male, area)


# --- Drawing one person ----------------------------------------------------------------------------


def draw_name(rng: random.Random, male: bool) -> str:
    surname = rng.choice(SURNAMES)
    first, second = (MALE_FIRST, MALE_SECOND) if male else (FEMALE_FIRST, FEMALE_SECOND)
    if rng.random() < 0.2:
        return surname + rng.choice(second)
    return surname + rng.choice(first) + rng.choice(second)


def draw_phone(rng: random.Random) -> str:
    return f"1{rng.choice(PHONE_PREFIXES)}{rng.randrange(100_000_000):08d}"


def draw_education(rng: random.Random, birth_year: int) -> str:
    r = rng.random()
    if birth_year < 1955:
        table = ((0.5, Education.PRIMARY), (0.9, Education.JUNIOR), (1, Education.SECONDARY))
    elif birth_year < 1970:
        table = (
            (0.15, Education.PRIMARY),
            (0.7, Education.JUNIOR),
            (0.95, Education.SECONDARY),
            (1, Education.COLLEGE),
        )
    elif birth_year < 1985:
        table = (
            (0.4, Education.JUNIOR),
            (0.75, Education.SECONDARY),
            (0.93, Education.COLLEGE),
            (1, Education.BACHELOR),
        )
    else:
        table = (
            (0.25, Education.SECONDARY),
            (0.65, Education.COLLEGE),
            (0.98, Education.BACHELOR),
            (1, Education.POSTGRADUATE),
        )
    return next(value for limit, value in table if r < limit)


def _weighted(rng: random.Random, table: Sequence[tuple[str, int, str, tuple[int, int] | None]]):
    total = sum(row[1] for row in table)
    r = rng.random() * total
    for row in table:
        r -= row[1]
        if r < 0:
            return row
    return table[-1]


def draw_birth(rng: random.Random, low_age: float, high_age: float, mode_age: float) -> datetime.date:
    age_days = int(rng.triangular(low_age, high_age, mode_age) * 365.25)
    return BIRTH_REFERENCE - datetime.timedelta(days=age_days)


def draw_member(
    rng: random.Random,
    ids: IdAllocator,
    area: str,
    today: datetime.date,
    *,
    probationary: bool | None = None,
    ages: tuple[float, float, float] | None = None,
    groups: int = 0,
    destinations: Sequence[str] = DESTINATIONS_OTHER,
) -> PlannedMember:
    """One plausible village party member: mostly older men who farm, a quarter women, a few away."""
    male = rng.random() >= WOMEN_SHARE
    if probationary is None:
        probationary = rng.random() < PROBATIONARY_SHARE
    if ages is None:
        ages = (21, 45, 27) if probationary else (24, 90, 62)
    birth = draw_birth(rng, *ages)
    birth, id_number = ids.take(area, birth, male)
    age = BIRTH_REFERENCE.year - birth.year
    occupation, _, dues, base_range = _weighted(rng, ELDERLY if age >= 60 else WORKING_AGE)
    base = Decimal(rng.randrange(base_range[0], base_range[1], 50)) if base_range else None
    if probationary:
        joined = today - datetime.timedelta(days=rng.randint(20, 340))
        full = None
    else:
        cap = add_years(today, -1) - datetime.timedelta(days=7)
        earliest = add_years(birth, 18) + datetime.timedelta(days=30)
        joined = add_years(birth, round(rng.triangular(19, 50, 25))) + datetime.timedelta(
            days=rng.randrange(365)
        )
        if joined > cap:
            joined = cap - datetime.timedelta(days=rng.randrange(max(1, min(600, (cap - earliest).days))))
        joined = max(joined, earliest)
        full = add_years(joined, 1)
    mobile = None
    if occupation == "外出务工" and not probationary:
        since = today - datetime.timedelta(days=rng.randint(30, 700))
        cert = rng.random() < 0.6
        mobile = MobilePlan(
            destination=rng.choice(destinations),
            since=since,
            expected_until=since + datetime.timedelta(days=rng.randint(150, 540)),
            certificate_no=f"流动{since.year}{rng.randrange(1, 10_000):04d}" if cert else "",
            certificate_issued_on=since + datetime.timedelta(days=rng.randint(0, 10)) if cert else None,
        )
        if mobile.certificate_issued_on and mobile.certificate_issued_on > today:
            mobile = mobile._replace(certificate_issued_on=today)
    return PlannedMember(
        name=draw_name(rng, male),
        male=male,
        birth=birth,
        id_number=id_number,
        phone=draw_phone(rng),
        education=draw_education(rng, birth.year),
        occupation=occupation,
        status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
        joined_on=joined,
        full_on=full,
        dues_category=dues,
        dues_base=base,
        group=rng.randrange(groups) if groups else None,
        mobile=mobile,
    )


def member_data(p: PlannedMember, group: Org | None = None) -> MemberData:
    return MemberData(
        name=p.name,
        gender=p.gender,
        birth_date=p.birth,
        id_number=p.id_number,
        phone=p.phone,
        education=p.education,
        occupation=p.occupation,
        status=p.status,
        joined_on=p.joined_on,
        full_on=p.full_on,
        group=group,
        dues_category=p.dues_category,
        dues_base=p.dues_base,
    )


# --- The demo counties -----------------------------------------------------------------------------


class DemoBranch(NamedTuple):
    code: str
    name: str
    county_code: str
    area: str  # the county's area code, for ID numbers
    township: str
    groups: int
    count: int


def demo_branches() -> list[DemoBranch]:
    """Every village branch of the demo tree with its member count, in tree order."""
    found: list[tuple[str, str, str, str, str, int]] = []
    county_code = area = township = ""
    for placed in org_demo.walk():
        spec = placed.spec
        if spec.kind == OrgKind.COUNTY:
            county_code, area = placed.code, AREA_CODES[spec.suffix]
        elif spec.kind == OrgKind.TOWNSHIP:
            township = spec.name
        elif spec.kind == OrgKind.BRANCH:
            groups = sum(1 for c in spec.children if c.kind == OrgKind.GROUP)
            found.append((placed.code, spec.name, county_code, area, township, groups))
    anding = split_total(ANDING_TOTAL, [f[0] for f in found if f[4] == "安定镇"])
    return [
        DemoBranch(
            *f,
            anding[f[0]]
            if f[4] == "安定镇"
            else random.Random(f"count-{f[0]}").randint(BRANCH_MIN, BRANCH_MAX),
        )
        for f in found
    ]


def split_total(total: int, keys: list[str]) -> dict[str, int]:
    """`total` shared among `keys` in varied, reproducible parts (largest remainder: it sums exactly)."""
    weights = [random.Random(f"count-{k}").randint(38, 60) for k in keys]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [int(s) for s in shares]
    order = sorted(range(len(keys)), key=lambda i: (counts[i] - shares[i], keys[i]))
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return dict(zip(keys, counts, strict=True))


def plan_demo_members(
    today: datetime.date | None = None, ids: IdAllocator | None = None
) -> dict[str, list[PlannedMember]]:
    """The members of every demo branch, by branch code; the same on every run (dates of probation,
    spells away and lost contact count back from `today`). `ids` continues to allocate after them."""
    today = today or timezone.localdate()
    ids = ids if ids is not None else IdAllocator()
    plan: dict[str, list[PlannedMember]] = {}
    for b in demo_branches():
        destinations = DESTINATIONS.get(b.area[:2], DESTINATIONS_OTHER)
        rng = random.Random(f"members-{b.code}")
        plan[b.code] = [
            draw_member(rng, ids, b.area, today, groups=b.groups, destinations=destinations)
            for _ in range(b.count)
        ]
    _mark_lost(plan, today)
    return plan


# Two members of 老牛湾镇 the branch cannot reach: one for eight months (due for suspension), one for two.
LOST = (("柏林峁村", 250, "外出后手机停机，家属称不知去向"), ("滑石村", 60, "多次电话、走访未能取得联系"))


def _mark_lost(plan: dict[str, list[PlannedMember]], today: datetime.date) -> None:
    for village, days, _ in LOST:
        people = plan[org_demo.code_of(village)]
        i = next(i for i, p in enumerate(people) if p.status == MemberStatus.FULL and not p.mobile)
        people[i] = people[i]._replace(lost_since=today - datetime.timedelta(days=days))


def _lost_note(village: str) -> str:
    return next(note for v, _, note in LOST if v == village)


def load_demo_members(
    admin: User, created: Counter[str], skipped: Counter[str], today: datetime.date | None = None
) -> None:
    """Create the members of every demo branch that has none yet; a branch with demo members is left alone."""
    today = today or timezone.localdate()
    plan = plan_demo_members(today)
    branches = demo_branches()
    orgs = {o.code: o for o in Org.objects.filter(code__in=list(plan))}
    done = set(
        Member.objects.filter(org__code__in=list(plan), demo_source=INVENTED).values_list(
            "org__code", flat=True
        )
    )
    if done:
        skipped["党员"] += Member.objects.filter(org__code__in=done, demo_source=INVENTED).count()
    groups: dict[int, list[Org]] = defaultdict(list)
    for g in Org.objects.filter(kind=OrgKind.GROUP, parent__code__in=list(plan)).order_by(
        "sort_order", "code"
    ):
        groups[g.parent_id].append(g)
    office = User.objects.filter(username=OFFICE_LOGIN).first() or admin
    by_county: dict[str, list[tuple[Org, list[PlannedMember]]]] = defaultdict(list)
    for b in branches:
        if b.code in done:
            continue
        org = orgs[b.code]
        if b.township == SERVICE_TOWNSHIP:
            _through_services(office, org, plan[b.code], groups[org.pk], created, today)
        else:
            by_county[b.county_code].append((org, plan[b.code]))
    for county_code, items in by_county.items():
        county = Org.objects.get(code=county_code)
        made, mobile = _bulk(admin, county, [(org, people, groups[org.pk]) for org, people in items])
        created["党员"] += made
        if mobile:
            created["流动党员外出登记"] += mobile


def _through_services(
    actor: User,
    org: Org,
    people: list[PlannedMember],
    groups: list[Org],
    created: Counter[str],
    today: datetime.date,
) -> None:
    ids = []
    for p in people:
        group = groups[p.group] if p.group is not None and p.group < len(groups) else None
        member = create_member(actor, org, member_data(p, group))
        ids.append(member.pk)
        created["党员"] += 1
        if p.mobile:
            mobility.start_mobility(
                actor,
                member,
                destination=p.mobile.destination,
                since=p.mobile.since,
                expected_until=p.mobile.expected_until,
                contact=p.phone,
                certificate_no=p.mobile.certificate_no,
                certificate_issued_on=p.mobile.certificate_issued_on,
                today=today,
            )
            created["流动党员外出登记"] += 1
        if p.lost_since:
            standing.mark_lost_contact(actor, member, p.lost_since, _lost_note(org.name), today=today)
            created["失联党员"] += 1
    _label_invented(ids)


def _label_invented(member_ids: list[int]) -> None:
    """The services take no `demo_source`; mark the rows they wrote as invented."""
    Member.objects.filter(pk__in=member_ids).update(demo_source=INVENTED)
    Person.objects.filter(member__pk__in=member_ids).update(demo_source=INVENTED)


@transaction.atomic
def _bulk(
    admin: User, county: Org, items: list[tuple[Org, list[PlannedMember], list[Org]]]
) -> tuple[int, int]:
    """The rows `create_member` (and `start_mobility`) would write, in bulk, and one audit event for the
    county. Same values: `member_data` feeds both paths, and the columns are the models' own."""
    writer = RowWriter(INVENTED, timezone.now())
    for org, planned, groups in items:
        for p in planned:
            group = groups[p.group] if p.group is not None and p.group < len(groups) else None
            writer.add_member(org.pk, writer.add_person(org.pk, p), p, group.pk if group else None)
    flush(writer.tables)
    org_demo.reset_sequences(*(t.model for t in writer.tables))
    rows, mobiles = writer.member.total, writer.mobile.total
    audit.record(
        admin,
        "member.import",
        county,
        org=county,
        after={"rows": rows, "branches": len(items), "mobile": mobiles},
        note=f"载入演示党员{rows}名（{len(items)}个党支部，其中流动党员{mobiles}名；虚构人员，批量写入）",
    )
    return rows, mobiles


# --- Bulk rows: COPY on PostgreSQL, executemany elsewhere ------------------------------------------


class Table:
    """Rows for one model, as tuples in `columns` order, with ids allocated after the current maximum."""

    def __init__(
        self, model: type[models.Model], columns: Sequence[str], json_columns: Iterable[str] = ()
    ) -> None:
        self.model = model
        self.columns = tuple(columns)
        self.json = {self.columns.index(c) for c in json_columns}
        self.rows: list[tuple] = []
        self.total = 0
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(self.columns) - set(fields)
        missing = [name for name, f in fields.items() if name not in self.columns and not f.null]
        if unknown or missing:
            raise DomainError(
                f"演示数据生成器与{model._meta.verbose_name}的表结构不一致：{sorted(unknown | set(missing))}"
            )
        self.fields = [fields[c] for c in self.columns]
        self.next_id = org_demo.next_id(model)

    def take_id(self) -> int:
        pk = self.next_id
        self.next_id += 1
        return pk

    def add(self, row: tuple) -> None:
        self.rows.append(row)

    def adapters(self) -> list[Callable[[Any], Any] | None]:
        """How each value goes to a database without COPY (what the field would do, minus the overhead)."""
        ops = connection.ops
        result: list[Callable[[Any], Any] | None] = []
        for i, f in enumerate(self.fields):
            if i in self.json:
                result.append(lambda v: json.dumps(v, ensure_ascii=False))
            elif isinstance(f, models.DateTimeField):
                result.append(ops.adapt_datetimefield_value)
            elif isinstance(f, models.DateField):
                result.append(ops.adapt_datefield_value)
            elif isinstance(f, models.DecimalField):
                result.append(lambda v, f=f: ops.adapt_decimalfield_value(v, f.max_digits, f.decimal_places))
            else:
                result.append(None)
        return result


def flush(tables: Sequence[Table]) -> None:
    """Write the buffered rows, table by table in the order given (parents first)."""
    quote = connection.ops.quote_name
    with connection.cursor() as c:
        for t in tables:
            if not t.rows:
                continue
            cols = ", ".join(quote(col) for col in t.columns)
            table = quote(t.model._meta.db_table)
            if connection.vendor == "postgresql":
                with c.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                    if t.json:
                        for row in t.rows:
                            copy.write_row(
                                [
                                    json.dumps(v, ensure_ascii=False) if i in t.json else v
                                    for i, v in enumerate(row)
                                ]
                            )
                    else:
                        for row in t.rows:
                            copy.write_row(row)
            else:
                adapt = list(enumerate(t.adapters()))
                rows = [
                    [v if f is None or v is None else f(v) for (_, f), v in zip(adapt, row, strict=True)]
                    for row in t.rows
                ]
                marks = ", ".join(["%s"] * len(t.columns))
                for start in range(0, len(rows), org_demo.BATCH):
                    c.executemany(
                        f"INSERT INTO {table} ({cols}) VALUES ({marks})",  # noqa: S608 (names from the models)
                        rows[start : start + org_demo.BATCH],
                    )
            t.total += len(t.rows)
            t.rows = []


PERSON_COLUMNS = (
    "id", "org_id", "name", "name_pinyin", "name_initials", "gender", "ethnicity", "birth_date", "id_number",
    "id_tail", "phone", "education", "occupation", "demo_source", "created_at", "updated_at",
)  # fmt: skip
MEMBER_COLUMNS = (
    "id", "person_id", "org_id", "group_id", "status", "joined_on", "full_on", "standing", "is_mobile",
    "dues_category", "dues_base", "demo_source", "created_at", "updated_at",
)  # fmt: skip
MOBILE_COLUMNS = (
    "id", "member_id", "org_id", "destination", "since", "expected_until", "fixed_place", "contact",
    "host_org_name", "certificate_no", "certificate_issued_on", "end_note", "created_at",
)  # fmt: skip


class RowWriter:
    """Person, member and spell-away rows as `create_member` and `start_mobility` write them, in bulk."""

    def __init__(self, source: str, now: datetime.datetime) -> None:
        self.source = source
        self.now = now
        self.names: dict[str, tuple[str, str]] = {}
        self.person = Table(Person, PERSON_COLUMNS)
        self.member = Table(Member, MEMBER_COLUMNS)
        self.mobile = Table(MobileRecord, MOBILE_COLUMNS)
        self.tables = [self.person, self.member, self.mobile]

    def keys(self, name: str) -> tuple[str, str]:
        keys = self.names.get(name)
        if keys is None:
            keys = self.names[name] = pinyin_keys(name)
        return keys

    def add_person(self, org_id: int, p: PlannedMember) -> int:
        pk = self.person.take_id()
        full, initials = self.keys(p.name)
        self.person.add(
            (pk, org_id, p.name, full, initials, p.gender, "汉族", p.birth, p.id_number, p.id_number[-6:],
             p.phone, p.education, p.occupation, self.source, self.now, self.now)
        )  # fmt: skip
        return pk

    def add_member(self, org_id: int, person_id: int, p: PlannedMember, group_id: int | None = None) -> int:
        pk = self.member.take_id()
        self.member.add(
            (pk, person_id, org_id, group_id, p.status, p.joined_on, p.full_on, Standing.NORMAL,
             p.mobile is not None, p.dues_category, p.dues_base, self.source, self.now, self.now)
        )  # fmt: skip
        if p.mobile:
            m = p.mobile
            self.mobile.add(
                (self.mobile.take_id(), pk, org_id, m.destination, m.since, m.expected_until, False, p.phone,
                 "", m.certificate_no, m.certificate_issued_on, "", self.now)
            )  # fmt: skip
        return pk


# --- The synthetic province ------------------------------------------------------------------------


def province_area(seed: int, county_number: int) -> str:
    """Area codes 9x…: no real division code starts with 9, so a generated ID is nobody's real one."""
    return f"9{seed % 10}{county_number:04d}"


def insert_province_people(
    plan: org_demo.ProvincePlan,
    org_ids: list[int],
    *,
    members: int,
    cases: int = 2,
    today: datetime.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """`members` members in every branch of the plan (and `cases` development cases, whose applicants who
    have been admitted take some of those places, so every branch has exactly `members`)."""
    from dangjian.development import demo as dev_demo

    today = today or timezone.localdate()
    if not 0 <= members <= 1000 or not 0 <= cases <= 20:
        raise ValueError("参数超出范围：每村党员0–1000名，每村发展党员档案0–20件")
    prefix = f"9{plan.seed % 10}"
    if Person.objects.filter(id_number__startswith=prefix).exists():
        raise DomainError(
            f"已有身份证号以{prefix}开头的生成人员（另一个种子尾数为{plan.seed % 10}的演示省），"
            "本次未写入任何数据；请换一个尾数不同的 --seed。"
        )
    writer = RowWriter(f"生成（种子{plan.seed}）", timezone.now())
    cases_writer = dev_demo.ProvinceCases(writer, today)
    tables = [writer.person, writer.member, writer.mobile, *cases_writer.tables]
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            # Check each foreign key as its row arrives, rather than queueing millions of deferred checks.
            c.execute("SET CONSTRAINTS ALL IMMEDIATE")
    counties = [i for i, o in enumerate(plan.orgs) if o.kind == OrgKind.COUNTY]
    recorders = dict(
        User.objects.filter(roles__org_id__in=[org_ids[c] for c in counties], roles__role=Role.COUNTY_ADMIN)
        .order_by("pk")
        .values_list("roles__org_id", "pk")
    )
    by_parent: dict[int, list[int]] = defaultdict(list)
    for i, o in enumerate(plan.orgs):
        if o.parent is not None:
            by_parent[o.parent].append(i)
    for n, county in enumerate(counties, 1):
        area = province_area(plan.seed, n)
        rng = random.Random(f"members-{plan.seed}-{plan.orgs[county].code}")
        ids = IdAllocator()
        cases_writer.start_county(recorders.get(org_ids[county]))
        stack = [county]
        while stack:
            i = stack.pop()
            if plan.orgs[i].kind == OrgKind.BRANCH:
                _province_branch(writer, cases_writer, rng, ids, area, org_ids[i], members, cases, today)
            stack.extend(reversed(by_parent[i]))
        flush(tables)
        if progress:
            progress(f"{n}/{len(counties)} 县：党员 {writer.member.total:,}")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("SET CONSTRAINTS ALL DEFERRED")
    org_demo.reset_sequences(*(t.model for t in tables))
    return {
        "person": writer.person.total,
        "member": writer.member.total,
        "mobile": writer.mobile.total,
        "development_case": cases_writer.case.total,
        "case_step": cases_writer.step.total,
    }


def _province_branch(
    writer: RowWriter,
    cases_writer: Any,
    rng: random.Random,
    ids: IdAllocator,
    area: str,
    org_id: int,
    members: int,
    cases: int,
    today: datetime.date,
) -> None:
    chosen = cases_writer.choose(rng, cases, slots=members)
    admitted = sum(1 for c in chosen if c.has_member)
    placed: list[tuple[int, PlannedMember]] = []
    for _ in range(members - admitted):
        p = draw_member(rng, ids, area, today)
        person_id = writer.add_person(org_id, p)
        placed.append((writer.add_member(org_id, person_id, p), p))
    cases_writer.add_cases(rng, ids, area, org_id, chosen, placed)
