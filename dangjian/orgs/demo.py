"""The demo counties from the five source reports, and a synthetic province for load tests.

Names taken from a report carry its id in `demo_source`; names we had to invent say so, so nobody
mistakes a made-up village for a real one. The figures the reports give (17 villages, 58 grids,
9 branches, 117 villages in 29 stations, 33 villages in 6 joint branches) are reproduced exactly.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

from dangjian.accounts.models import User
from dangjian.core.pinyin import pinyin_keys

from . import services
from .choices import OrgKind
from .models import Department, Grid, Office, Org, path_segment

S000 = "000 五寨县"
S001 = "001 老牛湾镇"
S002 = "002 宜君县"
S003 = "003 交城县"
S004 = "004 安定镇"
INVENTED = "虚构（演示）"
# A real place above the one a report describes, which the report itself does not name.
SUPPLEMENT = "补充（真实地名，来源未载）"

# Village names the reports give; invented names must never collide with them.
SOURCE_VILLAGES = frozenset(
    "郭家河村 大辛庄村 小武州村 大胡会村 韩家楼村 "  # 000
    "老牛湾村 乾坤湾村 柏林峁村 麦虎村 滑石村 阳洼子村 "  # 001
    "榆舍村 黄堡寨村 淌泥河村 "  # 002
    "寨子村 牛头咀村 连家寨村 寨上村 南堡村 柏叶口村 裴家山村 市庄村 "  # 003
    "徐柏村 后安定村".split()  # 004
)
NAME_STEMS = tuple(
    "马家 李家 王家 张家 赵家 刘家 高家 杨家 郭家 孙家 薛家 贺家 冯家 田家 侯家 雷家 康家 乔家 史家 苏家 "
    "柳树 杏林 榆林 枣园 石门 红崖 白草 青龙 黑龙 东 西 南 北 前 后 上 下 大 小 新".split()
)
LOESS_ENDINGS = tuple("沟河坪峁塬湾洼寨庄咀梁岭窑滩渠堡")
PLAIN_ENDINGS = tuple("营 庄 店 务 屯 各庄 辛庄 堡 台 铺".split())


def invented_villages(
    key: str, count: int, endings: tuple[str, ...] = LOESS_ENDINGS, taken: frozenset[str] = SOURCE_VILLAGES
) -> list[str]:
    """`count` distinct plausible village names, the same for the same key on every run and machine."""
    pool = [f"{stem}{end}村" for stem in NAME_STEMS for end in endings]
    random.Random(key).shuffle(pool)
    names = [n for n in pool if n not in taken][:count]
    if len(names) < count:
        raise ValueError(f"只能虚构{len(names)}个不重名的村名，需要{count}个")
    return names


# --- The demo tree, as data ------------------------------------------------------------------------


class DeptSpec(NamedTuple):
    suffix: str
    name: str
    source: str


class GridSpec(NamedTuple):
    name: str
    source: str
    households: int


class OfficeSpec(NamedTuple):
    name: str
    staff_quota: int | None
    source: str


@dataclass(frozen=True)
class Spec:
    """One org of the demo tree; its code is the parent's code plus `suffix`, so codes are stable."""

    name: str
    kind: str
    suffix: str
    source: str = INVENTED
    children: tuple[Spec, ...] = ()
    departments: tuple[DeptSpec, ...] = ()
    grids: tuple[GridSpec, ...] = ()
    office: OfficeSpec | None = None


def _branches(names: list[tuple[str, str]], groups: dict[str, int] | None = None) -> tuple[Spec, ...]:
    groups = groups or {}
    numerals = "一二三四五六七八九"
    return tuple(
        Spec(
            name,
            OrgKind.BRANCH,
            f"C{i:02d}",
            source,
            children=tuple(
                Spec(f"第{numerals[g]}党小组", OrgKind.GROUP, f"G{g + 1}") for g in range(groups.get(name, 0))
            ),
        )
        for i, (name, source) in enumerate(names, 1)
    )


def _households(i: int) -> int:
    return 120 + (i * 37) % 260


def _wuzhai() -> Spec:
    invented = iter(invented_villages("五寨县", 43))

    def villages(named: list[str], extra: int) -> list[tuple[str, str]]:
        return [(n, S000) for n in named] + [(next(invented), INVENTED) for _ in range(extra)]

    def township(
        name: str,
        suffix: str,
        named: list[str],
        extra: int,
        *,
        quota: int | None = None,
        children: tuple[Spec, ...] = (),
        grids: tuple[GridSpec, ...] = (),
    ) -> Spec:
        return Spec(
            name,
            OrgKind.TOWNSHIP,
            suffix,
            S000,
            children=children + _branches(villages(named, extra), {"大辛庄村": 3}),
            grids=grids,
            office=OfficeSpec(f"{name}党建办", quota, S000),
        )

    beiyuan_grids = (GridSpec("阳光家园小区网格", S000, 300),) + tuple(
        GridSpec(f"北苑社区第{i}网格", INVENTED, _households(i)) for i in range(2, 13)
    )
    beiyuan = Spec("北苑社区", OrgKind.COMMUNITY, "SQ1", S000, grids=beiyuan_grids)
    yancheng_grids = tuple(GridSpec(f"砚城镇第{i}网格", INVENTED, _households(i + 12)) for i in range(1, 47))
    return Spec(
        "五寨县",
        OrgKind.COUNTY,
        "WZ",
        S000,
        children=(
            township("东秀庄乡", "DXZ", ["郭家河村"], 3),
            township("李家坪乡", "LJP", ["大辛庄村"], 4),
            township("小河头镇", "XHT", ["小武州村"], 5),
            township("胡会乡", "HH", ["大胡会村"], 3),
            # "以前干党建，我一个人要管17个村" — and a team of nine in the office now.
            township("孙家坪乡", "SJP", [], 17, quota=9),
            township("前所乡", "QS", [], 5),
            township("砚城镇", "YC", [], 3, children=(beiyuan,), grids=yancheng_grids),
            township("韩家楼乡", "HJL", ["韩家楼村"], 3),
        ),
        departments=(
            DeptSpec("D-ZJ", "五寨县住房和城乡建设局", S000),
            DeptSpec("D-NY", "五寨县农业农村局", S000),
            DeptSpec("D-FG", "五寨县发展和改革局", S000),
            DeptSpec("D-CZ", "五寨县财政局", S000),
            DeptSpec("D-MZ", "五寨县民政局", INVENTED),
            DeptSpec("D-SF", "五寨县司法局", INVENTED),
        ),
    )


def _pianguan() -> Spec:
    named = ["老牛湾村", "乾坤湾村", "柏林峁村", "麦虎村", "滑石村", "阳洼子村"]
    villages = [(n, S001) for n in named] + [(n, INVENTED) for n in invented_villages("偏关县", 3)]
    laoniuwan = Spec(
        "老牛湾镇",
        OrgKind.TOWNSHIP,
        "LNW",
        S001,
        children=_branches(villages, {"老牛湾村": 2}),
        office=OfficeSpec("老牛湾镇党建办", 8, S001),
    )
    return Spec("偏关县", OrgKind.COUNTY, "PG", S001, children=(laoniuwan,))


# 宜君县: 8 townships, 29 stations, 117 villages. Sizes per station (3–7), first village names the station.
YIJUN_LAYOUT: tuple[tuple[str, str, str, tuple[int, ...], dict[int, str]], ...] = (
    ("宜阳街道", "YY", SUPPLEMENT, (5, 3, 4, 4), {}),
    ("彭镇", "PZ", SUPPLEMENT, (7, 4, 3, 4), {}),
    ("五里镇", "WL", S002, (4, 5, 3, 3), {0: "榆舍村"}),
    ("太安镇", "TA", SUPPLEMENT, (3, 4, 5), {}),
    ("棋盘镇", "QP", S002, (6, 3, 4, 3), {0: "黄堡寨村"}),
    ("尧生镇", "YS", SUPPLEMENT, (4, 3, 3, 5), {}),
    ("哭泉镇", "KQ", S002, (7, 3, 4), {0: "淌泥河村"}),
    ("云梦乡", "YM", SUPPLEMENT, (4, 3, 4), {}),
)


def _yijun() -> Spec:
    total = sum(sum(sizes) for *_, sizes, _ in YIJUN_LAYOUT)
    named = sum(len(n) for *_, n in YIJUN_LAYOUT)
    invented = iter(invented_villages("宜君县", total - named))
    townships = []
    for name, suffix, source, sizes, named_first in YIJUN_LAYOUT:
        stations = []
        for s, size in enumerate(sizes):
            first = named_first.get(s)
            villages = [(first, S002)] if first else []
            villages += [(next(invented), INVENTED) for _ in range(size - len(villages))]
            station_name = villages[0][0].removesuffix("村") + "党建工作站"
            stations.append(
                Spec(
                    station_name,
                    OrgKind.STATION,
                    f"Z{s + 1:02d}",
                    S002 if first else INVENTED,
                    children=_branches(villages),
                )
            )
        townships.append(Spec(name, OrgKind.TOWNSHIP, suffix, source, children=tuple(stations)))
    return Spec("宜君县", OrgKind.COUNTY, "YJ", S002, children=tuple(townships))


JIAOCHENG_TOWNS = (
    ("西营镇", "XY", "寨子村"),
    ("水峪贯镇", "SYG", "牛头咀村"),
    ("夏家营镇", "XJY", "连家寨村"),
    ("天宁镇", "TN", "寨上村"),
    ("西社镇", "XS", "南堡村"),
    ("东坡底乡", "DPD", "柏叶口村"),
    ("洪相镇", "HX", "裴家山村"),
    ("庞泉沟镇", "PQG", "市庄村"),
)


def _jiaocheng() -> Spec:
    invented = iter(invented_villages("交城县", 2 * len(JIAOCHENG_TOWNS)))
    towns = tuple(
        Spec(
            name,
            OrgKind.TOWNSHIP,
            suffix,
            S003,
            children=_branches([(village, S003), (next(invented), INVENTED), (next(invented), INVENTED)]),
        )
        for name, suffix, village in JIAOCHENG_TOWNS
    )
    return Spec("交城县", OrgKind.COUNTY, "JC", S003, children=towns)


# 安定镇: 33 villages in 6 joint-village general branches; 后安定村 leads the 2nd, 徐柏村 the 3rd.
ANDING_SIZES = (5, 6, 7, 5, 5, 5)
ANDING_NAMED = {1: "后安定村", 2: "徐柏村"}


def _anding() -> Spec:
    invented = iter(invented_villages("安定镇", sum(ANDING_SIZES) - len(ANDING_NAMED), PLAIN_ENDINGS))
    numerals = "一二三四五六"
    joints = []
    for j, size in enumerate(ANDING_SIZES):
        first = ANDING_NAMED.get(j)
        villages = [(first, S004)] if first else []
        villages += [(next(invented), INVENTED) for _ in range(size - len(villages))]
        joints.append(
            Spec(
                f"第{numerals[j]}联村党总支",
                OrgKind.JOINT_BRANCH,
                f"L{j + 1}",
                S004,
                children=_branches(villages),
            )
        )
    anding = Spec(
        "安定镇",
        OrgKind.TOWNSHIP,
        "AD",
        S004,
        children=tuple(joints),
        office=OfficeSpec("安定镇党建办", None, INVENTED),
    )
    return Spec("大兴区", OrgKind.COUNTY, "DX", S004, children=(anding,))


@cache
def demo_tree() -> tuple[Spec, ...]:
    """Built once per process: the tree is immutable and `code_of` walks it for every login."""
    return (
        Spec(
            "山西省",
            OrgKind.PROVINCE,
            "SX",
            S000,
            children=(
                Spec("忻州市", OrgKind.CITY, "XZ", S000, children=(_wuzhai(), _pianguan())),
                Spec("吕梁市", OrgKind.CITY, "LL", SUPPLEMENT, children=(_jiaocheng(),)),
            ),
        ),
        Spec(
            "陕西省",
            OrgKind.PROVINCE,
            "SN",
            SUPPLEMENT,
            children=(Spec("铜川市", OrgKind.CITY, "TC", SUPPLEMENT, children=(_yijun(),)),),
        ),
        Spec("北京市", OrgKind.PROVINCE, "BJ", S004, children=(_anding(),)),
    )


class Placed(NamedTuple):
    code: str
    parent_code: str
    sort_order: int
    spec: Spec


def walk(tree: tuple[Spec, ...] | None = None) -> Iterator[Placed]:
    """Every org of the demo tree with its code, parents before children."""

    def visit(spec: Spec, parent_code: str, order: int) -> Iterator[Placed]:
        code = f"{parent_code}-{spec.suffix}" if parent_code else spec.suffix
        yield Placed(code, parent_code, order, spec)
        for i, child in enumerate(spec.children, 1):
            yield from visit(child, code, i)

    for i, root in enumerate(tree or demo_tree(), 1):
        yield from visit(root, "", i)


def code_of(name: str) -> str:
    """The code of the one demo org with this name (for users and tests, which know orgs by name)."""
    codes = [p.code for p in walk() if p.spec.name == name]
    if len(codes) != 1:
        raise LookupError(f"演示组织“{name}”有{len(codes)}个")
    return codes[0]


def load_demo_orgs(actor: User, created: Counter[str], skipped: Counter[str]) -> None:
    """Create what is missing of the demo tree through the services; existing codes are left alone."""
    placed = list(walk())
    orgs = {o.code: o for o in Org.objects.filter(code__in=[p.code for p in placed])}
    dept_codes = set(Department.objects.exclude(code=None).values_list("code", flat=True))
    grid_codes = set(Grid.objects.exclude(code=None).values_list("code", flat=True))
    for p in placed:
        spec = p.spec
        org = orgs.get(p.code)
        if org is None:
            org = services.create_org(
                actor,
                parent=orgs[p.parent_code] if p.parent_code else None,
                name=spec.name,
                kind=spec.kind,
                code=p.code,
                sort_order=p.sort_order,
                demo_source=spec.source,
            )
            orgs[p.code] = org
            created["组织"] += 1
        else:
            skipped["组织"] += 1
        for dept in spec.departments:
            code = f"{p.code}-{dept.suffix}"
            if code in dept_codes:
                skipped["部门"] += 1
                continue
            services.create_department(actor, county=org, name=dept.name, code=code, demo_source=dept.source)
            created["部门"] += 1
        for i, grid in enumerate(spec.grids, 1):
            code = f"{p.code}-W{i:02d}"
            if code in grid_codes:
                skipped["网格"] += 1
                continue
            services.create_grid(
                actor, org=org, name=grid.name, code=code, households=grid.households, demo_source=grid.source
            )
            created["网格"] += 1
        if spec.office:
            _, made = Office.objects.get_or_create(
                township=org,
                defaults={
                    "name": spec.office.name,
                    "staff_quota": spec.office.staff_quota,
                    "demo_source": spec.office.source,
                },
            )
            (created if made else skipped)["党建办"] += 1


# --- The synthetic province ------------------------------------------------------------------------

PLACE_CHARS = "安宁平兴和丰永清长定宜新德吉富泰康隆昌阳川源乐顺华庆延靖静"
TOWN_CHARS = "柳杨石马龙凤花桥河山水田林泉沟坪湾台庄店营堡寨峪关"
DEPARTMENTS = tuple(
    "住房和城乡建设局 民政局 司法局 农业农村局 发展和改革局 "
    "财政局 水利局 人力资源和社会保障局 自然资源局 交通运输局".split()
)
COUNTIES_PER_CITY = 10


class PlannedOrg(NamedTuple):
    parent: int | None  # index into ProvincePlan.orgs
    name: str
    kind: str
    code: str
    sort_order: int


class PlannedDept(NamedTuple):
    county: int
    name: str
    code: str


class PlannedOffice(NamedTuple):
    township: int
    name: str
    staff_quota: int


class PlannedGrid(NamedTuple):
    org: int
    name: str
    code: str
    households: int


@dataclass(frozen=True)
class ProvincePlan:
    """Everything the generator will write, computed without the database so it can be compared."""

    seed: int
    orgs: tuple[PlannedOrg, ...]
    departments: tuple[PlannedDept, ...]
    offices: tuple[PlannedOffice, ...]
    grids: tuple[PlannedGrid, ...]

    @property
    def code(self) -> str:
        return province_code(self.seed)

    def counts(self) -> dict[str, int]:
        kinds = Counter(str(o.kind) for o in self.orgs)
        return {
            kind: kinds[kind] for kind in ("province", "city", "county", "township", "station", "branch")
        } | {"department": len(self.departments), "office": len(self.offices), "grid": len(self.grids)}


def province_code(seed: int) -> str:
    return f"G{seed}"


def station_sizes(rng: random.Random, branches: int) -> list[int]:
    """Split `branches` into stations of 3–7 (the county rule), varied but reproducible."""
    sizes: list[int] = []
    left = branches
    while left:
        choices = [s for s in range(3, 8) if s == left or 3 <= left - s]
        size = rng.choice(choices)
        sizes.append(size)
        left -= size
    return sizes


def _two_char_names(rng: random.Random, chars: str, count: int) -> list[str]:
    pairs = [a + b for a in chars for b in chars if a != b]
    return rng.sample(pairs, count)


def plan_province(
    seed: int, counties: int = 100, townships: int = 12, branches: int = 20, grids: int = 2
) -> ProvincePlan:
    """The synthetic province for `seed`: the same names and codes every time for the same arguments."""
    if (
        not 1 <= counties <= 500
        or not 1 <= townships <= 99
        or not 3 <= branches <= 300
        or not 0 <= grids <= 99
    ):
        raise ValueError("参数超出范围：县1–500，乡镇1–99，每乡镇村3–300，每乡镇网格0–99")
    rng = random.Random(seed)
    root = province_code(seed)
    orgs: list[PlannedOrg] = [PlannedOrg(None, f"演示省（生成，种子{seed}）", OrgKind.PROVINCE, root, 1)]
    departments: list[PlannedDept] = []
    offices: list[PlannedOffice] = []
    grid_rows: list[PlannedGrid] = []
    n_cities = -(-counties // COUNTIES_PER_CITY)
    city_names = _two_char_names(rng, PLACE_CHARS, n_cities)
    county_names = _two_char_names(rng, PLACE_CHARS, counties)
    village_pool = [f"{stem}{end}村" for stem in NAME_STEMS for end in LOESS_ENDINGS]
    for c in range(n_cities):
        city = len(orgs)
        orgs.append(PlannedOrg(0, f"{city_names[c]}市", OrgKind.CITY, f"{root}-M{c + 1:02d}", c + 1))
        first = c * COUNTIES_PER_CITY
        for k in range(first, min(first + COUNTIES_PER_CITY, counties)):
            county = len(orgs)
            county_name = f"{county_names[k]}县"
            county_code = f"{root}-C{k + 1:03d}"
            orgs.append(PlannedOrg(city, county_name, OrgKind.COUNTY, county_code, k - first + 1))
            for d, dept in enumerate(rng.sample(DEPARTMENTS, 2), 1):
                departments.append(PlannedDept(county, f"{county_name}{dept}", f"{county_code}-D{d}"))
            for t, stem in enumerate(_two_char_names(rng, TOWN_CHARS, townships), 1):
                township = len(orgs)
                township_name = stem + rng.choice("镇镇乡")
                township_code = f"{county_code}-T{t:02d}"
                orgs.append(PlannedOrg(county, township_name, OrgKind.TOWNSHIP, township_code, t))
                offices.append(PlannedOffice(township, f"{township_name}党建办", rng.randint(5, 9)))
                grid_rows.extend(
                    PlannedGrid(township, f"第{g}网格", f"{township_code}-W{g:02d}", rng.randint(80, 480))
                    for g in range(1, grids + 1)
                )
                villages = rng.sample(village_pool, branches)
                b = 0
                for s, size in enumerate(station_sizes(rng, branches), 1):
                    station = len(orgs)
                    orgs.append(
                        PlannedOrg(
                            township,
                            villages[b].removesuffix("村") + "党建工作站",
                            OrgKind.STATION,
                            f"{township_code}-S{s:02d}",
                            s,
                        )
                    )
                    for i in range(size):
                        b += 1
                        orgs.append(
                            PlannedOrg(
                                station, villages[b - 1], OrgKind.BRANCH, f"{township_code}-B{b:03d}", i + 1
                            )
                        )
    return ProvincePlan(seed, tuple(orgs), tuple(departments), tuple(offices), tuple(grid_rows))


def province_exists(seed: int) -> bool:
    code = province_code(seed)
    return (
        Org.objects.filter(code=code).exists()
        or Org.objects.filter(code__startswith=f"{code}-").exists()
        or Department.objects.filter(code__startswith=f"{code}-").exists()
        or Grid.objects.filter(code__startswith=f"{code}-").exists()
    )


def next_id(model: type[models.Model]) -> int:
    """The first id after the current maximum; the generator runs alone, so nothing races for it."""
    return (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1


def reset_sequences(*model_list: type[models.Model]) -> None:
    """After inserting explicit ids, PostgreSQL's sequences must move past them (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(model_list))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


BATCH = 2000


def insert_province(plan: ProvincePlan) -> list[int]:
    """Bulk-insert the plan's orgs, departments, offices and grids; returns the org ids by plan index.

    Bypasses the services on purpose: tens of thousands of rows through `create_org` would take an hour.
    The caller records the one audit event for the whole generation.
    """
    source = f"生成（种子{plan.seed}）"
    keys: dict[str, tuple[str, str]] = {}
    first = next_id(Org)
    ids = [first + i for i in range(len(plan.orgs))]
    paths: list[str] = []
    depths: list[int] = []
    rows = []
    for i, o in enumerate(plan.orgs):
        parent_path = paths[o.parent] if o.parent is not None else "/"
        paths.append(parent_path + path_segment(ids[i]))
        depths.append(depths[o.parent] + 1 if o.parent is not None else 0)
        if o.name not in keys:
            keys[o.name] = pinyin_keys(o.name)
        full, initials = keys[o.name]
        rows.append(
            Org(
                id=ids[i],
                name=o.name,
                kind=o.kind,
                code=o.code,
                parent_id=ids[o.parent] if o.parent is not None else None,
                path=paths[i],
                depth=depths[i],
                name_pinyin=full,
                name_initials=initials,
                sort_order=o.sort_order,
                demo_source=source,
            )
        )
    Org.objects.bulk_create(rows, batch_size=BATCH)
    dept_id, grid_id, office_id = next_id(Department), next_id(Grid), next_id(Office)
    Department.objects.bulk_create(
        [
            Department(id=dept_id + i, county_id=ids[d.county], name=d.name, code=d.code, demo_source=source)
            for i, d in enumerate(plan.departments)
        ],
        batch_size=BATCH,
    )
    Office.objects.bulk_create(
        [
            Office(
                id=office_id + i,
                township_id=ids[o.township],
                name=o.name,
                staff_quota=o.staff_quota,
                demo_source=source,
            )
            for i, o in enumerate(plan.offices)
        ],
        batch_size=BATCH,
    )
    Grid.objects.bulk_create(
        [
            Grid(
                id=grid_id + i,
                org_id=ids[g.org],
                name=g.name,
                code=g.code,
                households=g.households,
                demo_source=source,
            )
            for i, g in enumerate(plan.grids)
        ],
        batch_size=BATCH,
    )
    reset_sequences(Org, Department, Office, Grid)
    return ids
