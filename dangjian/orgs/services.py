"""Every write to the organisation tree: validated, permission-checked, atomic and audited."""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import ActionDenied, DomainError, NeedsConfirmation
from dangjian.core.excel import RowError, read_sheet
from dangjian.core.pinyin import pinyin_keys
from dangjian.core.rules import rule_value, rule_values
from dangjian.core.scope import can, require

from .choices import ALLOWED_CHILDREN, CLUSTER_KINDS, GRID_PARENT_KINDS, OrgKind
from .models import Department, Grid, Org, path_segment
from .rules import NAME_MAX_LENGTH, STATION_MAX_BRANCHES

KIND_BY_LABEL = (
    {label: value for value, label in OrgKind.choices}
    | {unicodedata.normalize("NFKC", label): value for value, label in OrgKind.choices}
    | {v: v for v in OrgKind.values}
)
BRANCH_KINDS = frozenset({OrgKind.BRANCH, OrgKind.COMMUNITY})


def county_of(org: Org | None) -> Org | None:
    """The county an org lies in (itself if it is one): the key for per-county rules."""
    if org is None:
        return None
    if org.kind == OrgKind.COUNTY:
        return org
    ids = org.ancestor_ids()
    return Org.objects.filter(pk__in=ids, kind=OrgKind.COUNTY).first() if ids else None


def joint_branch_of(org: Org | None) -> Org | None:
    """The joint-village general branch (联村党总支) a village belongs to, if it is in one."""
    if org is None:
        return None
    ids = org.ancestor_ids()
    return Org.objects.filter(pk__in=ids, kind=OrgKind.JOINT_BRANCH).first() if ids else None


def speaks_for(actor, org: Org) -> bool:
    """Whether `actor` holds a role on `org` itself, or is the county organisation department above it:
    a joint branch's powers are its own, not its township's or its villages'."""
    if actor is None or not actor.is_authenticated:
        return False
    if actor.is_superuser:
        return True
    return any(
        r.org_id == org.pk or (r.role == "county_admin" and org.path.startswith(r.org.path))
        for r in actor.roles.select_related("org")
    )


def clean_name(name: Any, field_name: str = "name") -> str:
    name = (str(name) if name is not None else "").strip()
    if not name:
        raise DomainError("名称不能为空。", field=field_name)
    limit = NAME_MAX_LENGTH.value
    if len(name) > limit:
        raise DomainError(f"名称不能超过{limit}个字（现为{len(name)}个字）。", field=field_name)
    return name


def clean_code(code: Any) -> str | None:
    code = (str(code) if code is not None else "").strip()
    if len(code) > 40:
        raise DomainError("编码不能超过40个字符。", field="code")
    return code or None


def check_kind(parent: Org | None, kind: str) -> None:
    if kind not in OrgKind.values:
        raise DomainError(f"未知的组织类型“{kind}”。", field="kind")
    allowed = ALLOWED_CHILDREN[parent.kind if parent else ""]
    if kind not in allowed:
        where = f"“{parent.name}”（{parent.get_kind_display()}）" if parent else "最顶层"
        raise DomainError(f"{where}下不能设立{OrgKind(kind).label}。", field="parent" if parent else "kind")


def check_station_size(parent: Org, kind: str, confirm: bool, adding: int = 1) -> str:
    """An extra branch beyond the county's station maximum needs the user's confirmation."""
    if parent.kind != OrgKind.STATION or kind not in BRANCH_KINDS:
        return ""
    limit = int(rule_value(STATION_MAX_BRANCHES.code, county_of(parent)))
    current = parent.children.filter(kind__in=BRANCH_KINDS, archived_at__isnull=True).count()
    if current + adding <= limit:
        return ""
    message = f"“{parent.name}”已管辖{current}个村级党组织，本县规定每站至多{limit}个。"
    if not confirm:
        raise NeedsConfirmation(message + "确认仍要加入吗？", field="parent")
    return message + "用户已确认超出上限。"


def check_sibling_name(parent: Org | None, name: str, exclude_pk: int | None = None) -> None:
    siblings = Org.objects.filter(parent=parent, name=name, archived_at__isnull=True)
    if exclude_pk:
        siblings = siblings.exclude(pk=exclude_pk)
    if siblings.exists():
        raise DomainError(f"同一上级下已有名为“{name}”的组织。", field="name")


def check_code_free(code: str | None, exclude_pk: int | None = None) -> None:
    if code and Org.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(f"编码“{code}”已被使用。", field="code")


def _insert(
    parent: Org | None, name: str, kind: str, code: str | None, sort_order: int, demo_source: str = ""
) -> Org:
    full, initials = pinyin_keys(name)
    org = Org(
        name=name,
        kind=kind,
        code=code,
        parent=parent,
        sort_order=sort_order,
        name_pinyin=full,
        name_initials=initials,
        demo_source=demo_source,
        depth=(parent.depth + 1) if parent else 0,
        path=f"/new-{uuid.uuid4().hex}",
    )
    org.save()
    org.path = (parent.path if parent else "/") + path_segment(org.pk)
    org.save(update_fields=["path"])
    return org


@transaction.atomic
def create_org(
    actor: User,
    *,
    parent: Org | None,
    name: str,
    kind: str,
    code: str | None = None,
    sort_order: int = 0,
    confirm: bool = False,
    demo_source: str = "",
) -> Org:
    name, code = clean_name(name), clean_code(code)
    if parent is None:
        if not actor.is_superuser:
            raise ActionDenied("只有系统管理员可以新建顶层组织。")
    else:
        require(actor, "add", parent)
        if parent.is_archived:
            raise DomainError("上级组织已归档，不能在其下新建。", field="parent")
    check_kind(parent, kind)
    check_sibling_name(parent, name)
    check_code_free(code)
    note = check_station_size(parent, kind, confirm) if parent else ""
    try:
        with transaction.atomic():
            org = _insert(parent, name, kind, code, sort_order, demo_source)
    except IntegrityError as exc:
        raise DomainError("保存失败：编码或名称与已有组织冲突。") from exc
    audit.record(actor, "org.create", org, org=org, before={}, after=audit.snapshot(org), note=note)
    return org


@transaction.atomic
def update_org(
    actor: User, org: Org, *, name: str | None = None, code: Any = ..., sort_order: int | None = None
) -> Org:
    require(actor, "change", org)
    org = Org.objects.select_for_update().get(pk=org.pk)
    before = audit.snapshot(org)
    if name is not None:
        name = clean_name(name)
        if name != org.name:
            check_sibling_name(org.parent, name, exclude_pk=org.pk)
            org.name = name
            org.name_pinyin, org.name_initials = pinyin_keys(name)
    if code is not ...:
        code = clean_code(code)
        check_code_free(code, exclude_pk=org.pk)
        org.code = code
    if sort_order is not None:
        org.sort_order = sort_order
    org.save()
    after = audit.snapshot(org)
    if after != before:
        audit.record(actor, "org.update", org, org=org, before=before, after=after)
    return org


@transaction.atomic
def move_org(actor: User, org: Org, new_parent: Org, *, confirm: bool = False) -> Org:
    """Move a subtree under a new parent: every path below is rewritten in one statement."""
    require(actor, "move", org)
    require(actor, "move", new_parent)
    org = Org.objects.select_for_update().get(pk=org.pk)
    if new_parent.path.startswith(org.path):
        raise DomainError("不能把组织移动到它自己或它的下级组织之下。", field="parent")
    if org.parent_id == new_parent.pk:
        raise DomainError("该组织已在所选上级组织之下。", field="parent")
    if new_parent.is_archived:
        raise DomainError("目标上级组织已归档。", field="parent")
    check_kind(new_parent, org.kind)
    check_sibling_name(new_parent, org.name, exclude_pk=org.pk)
    note = check_station_size(new_parent, org.kind, confirm)
    before = audit.snapshot(org)
    old_path, new_path = org.path, new_parent.path + path_segment(org.pk)
    delta = new_parent.depth + 1 - org.depth
    Org.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)), depth=F("depth") + delta
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    org.refresh_from_db()
    audit.record(actor, "org.move", org, org=org, before=before, after=audit.snapshot(org), note=note)
    return org


@transaction.atomic
def archive_org(actor: User, org: Org) -> int:
    """Archive an org and its subtree; records stay, the org leaves active lists and counts."""
    if org.parent_id is None and not actor.is_superuser:
        raise ActionDenied("只有系统管理员可以归档顶层组织。")
    require(actor, "archive", org)
    if org.is_archived:
        raise DomainError("该组织已归档。")
    own_root = any(p == org.path for _, p in getattr(actor, "_role_paths", []) or [])
    if own_root and not actor.is_superuser:
        raise ActionDenied("不能归档您自己任职的组织。")
    before = audit.snapshot(org)
    now = timezone.now()
    count = Org.objects.filter(path__startswith=org.path, archived_at__isnull=True).update(archived_at=now)
    org.refresh_from_db()
    audit.record(
        actor,
        "org.archive",
        org,
        org=org,
        before=before,
        after=audit.snapshot(org),
        note=f"连同下级共归档{count}个组织",
    )
    return count


@transaction.atomic
def restore_org(actor: User, org: Org) -> Org:
    require(actor, "archive", org)
    if not org.is_archived:
        raise DomainError("该组织未归档。")
    if org.parent and org.parent.is_archived:
        raise DomainError("上级组织已归档，请先恢复上级组织。")
    check_sibling_name(org.parent, org.name, exclude_pk=org.pk)
    before = audit.snapshot(org)
    Org.objects.filter(path__startswith=org.path, archived_at=org.archived_at).update(archived_at=None)
    org.refresh_from_db()
    audit.record(actor, "org.restore", org, org=org, before=before, after=audit.snapshot(org))
    return org


# --- Excel import of the tree -------------------------------------------------------------------

IMPORT_COLUMNS = {
    "编码": "code",
    "名称": "name",
    "类型": "kind",
    "上级编码": "parent_code",
    "排序": "sort_order",
}
IMPORT_REQUIRED = ["编码", "名称", "类型", "上级编码"]
IMPORT_SHEET = "组织"


@dataclass
class ImportReport:
    rows: int = 0
    created: list[Org] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_orgs(actor: User, upload: Any, *, dry_run: bool = True, confirm: bool = False) -> ImportReport:
    """Check every row first; write nothing unless the whole file is clean (then in one transaction).

    Parents are named by code: either an org already in the user's scope or a row above in the file.
    """
    sheet = read_sheet(upload, IMPORT_COLUMNS, IMPORT_REQUIRED, IMPORT_SHEET)
    report = ImportReport(rows=len(sheet.rows))
    if not sheet.rows:
        report.errors.append(RowError(sheet.header_row, "", "文件中没有数据行。"))
        return report
    codes_in_file: dict[str, int] = {}
    parent_codes = {str(r.get("parent_code")).strip() for _, r in sheet.rows if r.get("parent_code")}
    existing = {
        o.code: o
        for o in Org.objects.filter(
            code__in=parent_codes | {str(r.get("code")).strip() for _, r in sheet.rows if r.get("code")}
        )
    }
    planned: list[tuple[int, dict[str, Any]]] = []
    kinds_by_code: dict[str, str] = {}
    for rownum, row in sheet.rows:
        errs: list[RowError] = []
        try:
            code = clean_code(row.get("code")) if row.get("code") is not None else None
        except DomainError as exc:
            errs.append(RowError(rownum, "编码", exc.message))
            code = None
        if not code and not errs:
            errs.append(RowError(rownum, "编码", "编码不能为空。"))
        elif code in codes_in_file:
            errs.append(RowError(rownum, "编码", f"编码“{code}”与第{codes_in_file[code]}行重复。"))
        elif code in existing:
            owner = existing[code]
            where = f"系统中的“{owner.name}”" if can(actor, "view", owner) else "系统中的其他组织"
            errs.append(RowError(rownum, "编码", f"编码“{code}”已被{where}使用。"))
        try:
            name = clean_name(row.get("name"))
        except DomainError as exc:
            errs.append(RowError(rownum, "名称", exc.message))
            name = ""
        kind = KIND_BY_LABEL.get(str(row.get("kind") or "").strip())
        if not kind:
            errs.append(RowError(rownum, "类型", f"未知的组织类型“{row.get('kind') or ''}”。"))
        parent_code = str(row.get("parent_code") or "").strip()
        parent_kind = None
        if not parent_code:
            errs.append(RowError(rownum, "上级编码", "上级编码不能为空。"))
        elif parent_code in kinds_by_code:
            parent_kind = kinds_by_code[parent_code]
        elif parent_code in existing:
            parent = existing[parent_code]
            if not can(actor, "import", parent):
                errs.append(RowError(rownum, "上级编码", f"上级编码“{parent_code}”不在您管辖的范围内。"))
            elif parent.is_archived:
                errs.append(RowError(rownum, "上级编码", f"上级组织“{parent.name}”已归档。"))
            else:
                parent_kind = parent.kind
        else:
            errs.append(
                RowError(
                    rownum, "上级编码", f"找不到编码为“{parent_code}”的上级组织（须在本文件上方或系统中）。"
                )
            )
        if kind and parent_kind and kind not in ALLOWED_CHILDREN[parent_kind]:
            errs.append(
                RowError(rownum, "类型", f"{OrgKind(parent_kind).label}下不能设立{OrgKind(kind).label}。")
            )
        sort_raw = row.get("sort_order")
        sort_order = 0
        if sort_raw not in (None, ""):
            try:
                sort_order = int(float(str(sort_raw)))
            except ValueError:
                errs.append(RowError(rownum, "排序", "排序须为整数。"))
        if code:
            codes_in_file.setdefault(code, rownum)
            if kind:
                kinds_by_code[code] = kind
        report.errors.extend(errs)
        if not errs:
            planned.append(
                (
                    rownum,
                    {
                        "code": code,
                        "name": name,
                        "kind": kind,
                        "parent_code": parent_code,
                        "sort_order": sort_order,
                    },
                )
            )
    if report.errors or dry_run:
        return report
    try:
        with transaction.atomic():
            made: dict[str, Org] = {}
            for rownum, item in planned:
                parent = made.get(item["parent_code"]) or existing[item["parent_code"]]
                try:
                    org = create_org(
                        actor,
                        parent=parent,
                        name=item["name"],
                        kind=item["kind"],
                        code=item["code"],
                        sort_order=item["sort_order"],
                        confirm=confirm,
                    )
                except DomainError as exc:
                    report.errors.append(RowError(rownum, "", exc.message))
                    raise
                made[item["code"]] = org
                report.created.append(org)
            top = min((o for o in made.values()), key=lambda o: o.depth)
            audit.record(
                actor,
                "org.import",
                top.parent or top,
                org=top.parent or top,
                after={"rows": len(made)},
                note=f"从 Excel 导入{len(made)}个组织",
            )
    except DomainError:
        report.created = []
    return report


# --- Departments and grids ----------------------------------------------------------------------


@transaction.atomic
def create_department(
    actor: User, *, county: Org, name: str, code: str | None = None, phone: str = "", demo_source: str = ""
) -> Department:
    if county.kind != OrgKind.COUNTY:
        raise DomainError("部门只能设在县（区）之下。", field="county")
    require(actor, "view", county)
    if not (actor.is_superuser or can(actor, "change", county) and _is_county_admin(actor, county)):
        raise ActionDenied("只有县委组织部管理员可以新建部门。")
    name, code = clean_name(name), clean_code(code)
    if Department.objects.filter(county=county, name=name).exists():
        raise DomainError(f"本县已有名为“{name}”的部门。", field="name")
    if code and Department.objects.filter(code=code).exists():
        raise DomainError(f"编码“{code}”已被使用。", field="code")
    dept = Department.objects.create(
        county=county, name=name, code=code, phone=(phone or "").strip()[:30], demo_source=demo_source
    )
    audit.record(actor, "department.create", dept, org=county, before={}, after=audit.snapshot(dept))
    return dept


def _is_county_admin(actor: User, org: Org) -> bool:
    from dangjian.core.roles import Role
    from dangjian.core.scope import scope_prefixes

    return any(org.path.startswith(p) for p in scope_prefixes(actor, {Role.COUNTY_ADMIN}))


@transaction.atomic
def create_grid(
    actor: User,
    *,
    org: Org,
    name: str,
    code: str | None = None,
    leader: User | None = None,
    leader_name: str = "",
    leader_phone: str = "",
    households: int | None = None,
    demo_source: str = "",
) -> Grid:
    if org.kind not in GRID_PARENT_KINDS:
        raise DomainError("网格只能设在乡镇（街道）或社区之下。", field="org")
    require(actor, "add", org)
    name, code = clean_name(name), clean_code(code)
    if Grid.objects.filter(org=org, name=name).exists():
        raise DomainError(f"“{org.name}”已有名为“{name}”的网格。", field="name")
    if code and Grid.objects.filter(code=code).exists():
        raise DomainError(f"编码“{code}”已被使用。", field="code")
    grid = Grid.objects.create(
        org=org,
        name=name,
        code=code,
        leader=leader,
        leader_name=leader_name.strip(),
        leader_phone=leader_phone.strip(),
        households=households,
        demo_source=demo_source,
    )
    audit.record(actor, "grid.create", grid, org=org, before={}, after=audit.snapshot(grid))
    return grid


# --- Layout checks (read side, but the rule lives here with the write rules) --------------------


def layout_findings(orgs_qs) -> dict[str, Any]:
    """Stations outside the county's size bounds and branches in no station, within `orgs_qs`."""
    from django.db.models import Count, Exists, OuterRef

    from .rules import STATION_MIN_BRANCHES

    stations = list(
        orgs_qs.filter(kind=OrgKind.STATION, archived_at__isnull=True)
        .annotate(
            n=Count("children", filter=Q(children__kind__in=BRANCH_KINDS, children__archived_at__isnull=True))
        )
        .select_related("parent")
        .order_by("path")
    )
    counties = {
        c.path: c.pk
        for c in Org.objects.filter(
            kind=OrgKind.COUNTY, pk__in={int(seg) for s in stations for seg in s.path.strip("/").split("/")}
        )
    }
    lows = rule_values(STATION_MIN_BRANCHES.code, counties.values())
    highs = rule_values(STATION_MAX_BRANCHES.code, counties.values())
    out_of_bounds = []
    for s in stations:
        county_id = next((pk for p, pk in counties.items() if s.path.startswith(p)), None)
        lo, hi = int(lows[county_id]), int(highs[county_id])
        if not lo <= s.n <= hi:
            out_of_bounds.append({"station": s, "count": s.n, "min": lo, "max": hi})
    clustered_township = Org.objects.filter(
        parent=OuterRef("parent"), kind__in=CLUSTER_KINDS, archived_at__isnull=True
    )
    loose = (
        orgs_qs.filter(kind__in=BRANCH_KINDS, parent__kind=OrgKind.TOWNSHIP, archived_at__isnull=True)
        .filter(Exists(clustered_township))
        .select_related("parent")
        .order_by("path")
    )
    return {"out_of_bounds": out_of_bounds, "loose_branches": loose}
