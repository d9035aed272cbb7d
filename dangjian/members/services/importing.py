"""Excel import of the roster (花名册).

Every row is checked first and nothing is written unless the whole file is clean; then one transaction
of bulk inserts and one audit event. Built for 100,000 rows: branches, groups and already-registered ID
numbers are loaded up front in chunks, so checking costs a handful of queries, not one per row.
"""

from __future__ import annotations

import datetime
import os
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from openpyxl.utils.datetime import from_excel

from dangjian.accounts.models import User
from dangjian.core import audit
from dangjian.core.errors import DomainError
from dangjian.core.excel import RowError, read_sheet
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Org

from ..choices import DuesCategory, Education, Gender, MemberStatus
from ..models import Member, Person
from ..selectors import groups_of, member_orgs
from .identity import normalize_id, parse_id
from .roster import MemberData, _clash_message, _fill_member, _fill_person, check_member

IMPORT_SHEET = "党员"
IMPORT_COLUMNS: dict[str, str] = {
    "所在党支部编码": "org",
    "姓名": "name",
    "性别": "gender",
    "民族": "ethnicity",
    "出生日期": "birth_date",
    "公民身份号码": "id_number",
    "联系电话": "phone",
    "学历": "education",
    "职业": "occupation",
    "党员类别": "status",
    "入党时间": "joined_on",
    "转正时间": "full_on",
    "党小组": "group",
    "党费类别": "dues_category",
    "党费计算基数": "dues_base",
}
IMPORT_REQUIRED = ["所在党支部编码", "姓名", "公民身份号码", "党员类别", "入党时间"]
COLUMN_OF = {name: column for column, name in IMPORT_COLUMNS.items()}
COLUMN_ORDER = {column: i for i, column in enumerate(IMPORT_COLUMNS)}
BATCH = 2000
PROGRESS_EVERY = 1000


def _labels(choices: Iterable[tuple[str, str]], aliases: dict[str, str]) -> dict[str, str]:
    """Chinese label, code, or a common way clerks write it → code."""
    labels = {label: value for value, label in choices} | {value: value for value, _ in choices} | aliases
    # Cells are read NFKC-normalised (full-width brackets become half-width), so the keys must be too.
    return {unicodedata.normalize("NFKC", k): v for k, v in labels.items()}


GENDERS = _labels(Gender.choices, {"男性": Gender.MALE, "女性": Gender.FEMALE})
STATUSES = _labels(MemberStatus.choices, {"正式": MemberStatus.FULL, "预备": MemberStatus.PROBATIONARY})
EDUCATIONS = _labels(
    Education.choices,
    {
        "硕士": Education.POSTGRADUATE,
        "博士": Education.POSTGRADUATE,
        "硕士研究生": Education.POSTGRADUATE,
        "博士研究生": Education.POSTGRADUATE,
        "本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "中专": Education.SECONDARY,
        "高中": Education.SECONDARY,
        "中技": Education.SECONDARY,
        "技校": Education.SECONDARY,
        "职高": Education.SECONDARY,
        "高中/中专": Education.SECONDARY,
        "小学": Education.PRIMARY,
    },
)
DUES = _labels(
    DuesCategory.choices,
    {
        "学生": DuesCategory.LOW_INCOME,
        "下岗失业": DuesCategory.LOW_INCOME,
        "低保": DuesCategory.LOW_INCOME,
        "困难党员": DuesCategory.EXEMPT,
        "减免": DuesCategory.EXEMPT,
    },
)
DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
TIME_SUFFIX_RE = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
EXCEL_MAX_SERIAL = 2958465  # 9999-12-31
CENTS = Decimal("0.01")
MAX_DUES_BASE = Decimal("100000000")  # the column holds 10 digits, 2 after the point


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    by_org: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_date(value: Any) -> datetime.date | None:
    """The dates clerks type or Excel stores: 2019-07-01, 2019/7/1, 2019.07.01, 2019年7月1日, 20190701,
    a date cell, or a bare serial number (43647 is 2019-07-01). ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        return _serial(value)
    text = re.sub(r"\s", "", TIME_SUFFIX_RE.sub("", str(value).strip()))
    if text.isdigit():
        if len(text) == 8:
            return datetime.date(int(text[:4]), int(text[4:6]), int(text[6:]))
        return _serial(int(text))
    match = DATE_RE.match(text)
    if not match:
        raise ValueError(value)
    return datetime.date(*(int(g) for g in match.groups()))


def _serial(number: float) -> datetime.date:
    if not 1 <= number <= EXCEL_MAX_SERIAL:
        raise ValueError(number)
    return from_excel(number).date()


def _text(value: Any) -> str:
    """A cell as text; whole numbers typed into a text column (phones) lose Excel's '.0'."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value:%Y-%m-%d}"
    return str(value).strip()


def _chunks(items: list[str], size: int = BATCH) -> Iterable[list[str]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


class _RowChecker:
    """Checks one row at a time against what was loaded up front."""

    NO_ORG = Org(kind=OrgKind.BRANCH, path="")

    def __init__(self, actor: User, rows: list[tuple[int, dict[str, Any]]]):
        codes = sorted({_text(r.get("org")) for _, r in rows} - {""})
        allowed = member_orgs(actor, "import")
        self.orgs: dict[str, Org] = {}
        for chunk in _chunks(codes):
            self.orgs.update({o.code: o for o in allowed.filter(code__in=chunk)})
        self.groups = {(g.parent_id, g.name): g for g in groups_of(list(self.orgs.values()))}
        numbers = sorted({normalize_id(_text(r.get("id_number"))) for _, r in rows} - {""})
        self.registered: dict[str, Person] = {}
        for chunk in _chunks(numbers):
            self.registered.update(
                {p.id_number: p for p in Person.objects.filter(id_number__in=chunk).select_related("org")}
            )

    def check(self, rownum: int, row: dict[str, Any]) -> tuple[Org | None, MemberData, list[RowError]]:
        errors: list[RowError] = []
        bad: set[str] = set()

        def fail(name: str, message: str) -> None:
            errors.append(RowError(rownum, COLUMN_OF[name], message))
            bad.add(name)

        code = _text(row.get("org"))
        org = self.orgs.get(code)
        if org is None:
            fail("org", f"找不到编码为“{code}”的党支部（或不在您的管辖范围内）。")
        data = MemberData(
            name=_text(row.get("name")),
            gender=GENDERS.get(_text(row.get("gender")), _text(row.get("gender"))),
            ethnicity=_text(row.get("ethnicity")) or "汉族",
            phone=_text(row.get("phone")),
            education=EDUCATIONS.get(_text(row.get("education")), _text(row.get("education"))),
            occupation=_text(row.get("occupation")),
            status=STATUSES.get(_text(row.get("status")), _text(row.get("status"))),
            dues_category=DUES.get(_text(row.get("dues_category")), _text(row.get("dues_category")))
            or DuesCategory.FARMER,
        )
        if len(data.ethnicity) > 20:
            fail("ethnicity", "民族不能超过20个字。")
        if len(data.occupation) > 60:
            fail("occupation", "职业不能超过60个字。")
        for name in ("birth_date", "joined_on", "full_on"):
            raw = row.get(name)
            try:
                setattr(data, name, parse_date(raw))
            except (ValueError, OverflowError):
                fail(name, f"{COLUMN_OF[name]}“{_text(raw)}”不是有效的日期，请写成如2019-07-01。")
        base = _text(row.get("dues_base"))
        if base:
            try:
                data.dues_base = Decimal(base).quantize(CENTS)
                if not data.dues_base.is_finite() or data.dues_base >= MAX_DUES_BASE:
                    raise InvalidOperation(base)
            except InvalidOperation:
                data.dues_base = None
                fail("dues_base", "党费计算基数须为数字（元/月）。")
        group_name = _text(row.get("group"))
        if group_name and org is not None:
            data.group = self.groups.get((org.pk, group_name))
            if data.group is None:
                fail("group", f"“{org.name}”下没有名为“{group_name}”的党小组。")
        number = self._check_id(row.get("id_number"), data, org, fail, bad)
        for err in check_member(data, org or self.NO_ORG):
            if err.field not in bad:
                errors.append(RowError(rownum, COLUMN_OF.get(err.field or "", ""), err.message))
        data.id_number = number
        return org, data, errors

    def _check_id(
        self, raw: Any, data: MemberData, org: Org | None, fail: Callable[[str, str], None], bad: set[str]
    ) -> str:
        """Parse the ID and hold it against the birth date, gender and the register. check_member is
        then called without the number, so it does not query the register once per row."""
        try:
            if isinstance(raw, float):
                raise DomainError(
                    "公民身份号码被 Excel 存成了数字，末几位已丢失；请将该列设为“文本”格式后重新填写。"
                )
            if not _text(raw):
                raise DomainError("请填写公民身份号码。")
            number, birth, gender = parse_id(_text(raw))
        except DomainError as exc:
            fail("id_number", exc.message)
            # Blank birth date and gender would have come from the number: one message is enough.
            bad.update(name for name in ("birth_date", "gender") if not getattr(data, name))
            return ""
        if data.birth_date is None:
            data.birth_date = birth
        elif data.birth_date != birth:
            fail(
                "birth_date",
                f"出生日期{data.birth_date:%Y-%m-%d}与公民身份号码中的{birth:%Y-%m-%d}不一致。",
            )
        if not data.gender:
            data.gender = gender
        elif data.gender in Gender.values and data.gender != gender:
            fail("gender", f"性别与公民身份号码不一致：号码第17位表示{Gender(gender).label}性。")
        clash = self.registered.get(number)
        if clash is not None:
            fail("id_number", _clash_message(clash, org or self.NO_ORG))
        return number


def import_members(
    actor: User,
    upload: Any,
    *,
    dry_run: bool,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Check the whole file; unless `dry_run` and only if every row is clean, write it in one go."""
    sheet = read_sheet(upload, IMPORT_COLUMNS, IMPORT_REQUIRED, IMPORT_SHEET)
    total = len(sheet.rows)
    report = ImportReport(rows=total)
    if not sheet.rows:
        report.errors.append(RowError(sheet.header_row, "", "文件中没有数据行。"))
        return report
    checker = _RowChecker(actor, sheet.rows)
    planned: list[tuple[Org, MemberData]] = []
    rows_by_id: dict[str, list[int]] = defaultdict(list)
    for done, (rownum, row) in enumerate(sheet.rows, start=1):
        org, data, errors = checker.check(rownum, row)
        report.errors.extend(errors)
        if data.id_number:
            rows_by_id[data.id_number].append(rownum)
        if org is not None and not errors:
            planned.append((org, data))
        if progress and (done % PROGRESS_EVERY == 0 or done == total):
            progress(done, total)
    for rownums in rows_by_id.values():
        if len(rownums) > 1:
            listed = "、".join(str(n) for n in rownums)
            report.errors += [
                RowError(n, COLUMN_OF["id_number"], f"公民身份号码在本文件中重复出现（第{listed}行）。")
                for n in rownums
            ]
    report.errors.sort(key=lambda e: (e.row, COLUMN_ORDER.get(e.column, -1)))
    report.by_org = dict(Counter(org.name for org, _ in planned).most_common())
    if report.errors or dry_run:
        return report
    report.created = _write(actor, planned)
    return report


@transaction.atomic
def _write(actor: User, planned: list[tuple[Org, MemberData]]) -> int:
    people = []
    for org, data in planned:
        person = Person(org=org)
        _fill_person(person, data)
        people.append(person)
    try:
        Person.objects.bulk_create(people, batch_size=BATCH)
    except IntegrityError as exc:
        raise DomainError("导入期间有人登记了相同的公民身份号码，请重新检查后再导入。", field="file") from exc
    members = []
    for (org, data), person in zip(planned, people, strict=True):
        member = Member(person=person, org=org)
        _fill_member(member, data)
        members.append(member)
    Member.objects.bulk_create(members, batch_size=BATCH)
    orgs = {org.pk: org for org, _ in planned}
    where = _common_org(list(orgs.values()))
    audit.record(
        actor,
        "member.import",
        where,
        org=where,
        after={"rows": len(members)},
        note=f"从 Excel 导入{len(members)}名党员（{len(orgs)}个党支部）",
    )
    return len(members)


def _common_org(orgs: list[Org]) -> Org | None:
    """The lowest org above every branch imported into, to file the import's audit event under."""
    prefix = os.path.commonprefix([o.path for o in orgs])
    prefix = prefix[: prefix.rfind("/") + 1]
    return Org.objects.filter(path=prefix).first() if len(prefix) > 1 else None
