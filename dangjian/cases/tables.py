"""Tables of the case pages and the ledger export. Colours mean one thing each: red overdue, amber due
within the county's warning window (rule cases.warn_days), green closed on time. Never any resident's
name or phone: those stay on the case page."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html

from dangjian.core.models import RuleOverride
from dangjian.core.rules import REGISTRY
from dangjian.orgs.tables import TABLE_ATTRS

from . import rules as R
from .models import Case, Category

OVERDUE, SOON, ON_TIME, LATE = "overdue", "soon", "on_time", "late"
CSS = {OVERDUE: "status-red fw-semibold", SOON: "status-amber fw-semibold", ON_TIME: "status-green", LATE: ""}
NOTE = {OVERDUE: "已逾期", SOON: "即将到期", ON_TIME: "按期办结", LATE: "逾期办结"}


def warn_days_by_county(today: datetime.date) -> dict[int | None, int]:
    """The warning window of every county that set its own (one query), with the default under None."""
    rule = REGISTRY[R.WARN_DAYS.code]
    rows = RuleOverride.objects.filter(code=rule.code, effective_from__lte=today).values_list(
        "county_id", "value"
    )
    return {None: int(rule.value)} | {county: int(value) for county, value in rows}


def deadline_status(case: Case, today: datetime.date, warn: dict[int | None, int]) -> str:
    """overdue / soon (running cases); on_time / late (closed cases); "" otherwise."""
    if case.deadline is None:
        return ""
    if case.state in case.spec.running_states:
        if case.deadline < today:
            return OVERDUE
        days = warn.get(case.county_id, warn[None])
        return SOON if (case.deadline - today).days <= days else ""
    if case.is_closed:
        done = case.done_at or case.closed_at
        if done is None:
            return ""
        return ON_TIME if timezone.localtime(done).date() <= case.deadline else LATE
    return ""


def is_late(case: Case, today: datetime.date) -> bool:
    """是否逾期 in the ledger: running past the deadline, or reported done after it."""
    if case.deadline is None:
        return False
    if case.state in case.spec.running_states:
        return case.deadline < today
    return bool(case.done_at and timezone.localtime(case.done_at).date() > case.deadline)


def _names(people) -> str:
    return "、".join(p.display_name for p in people)


def _departments(case: Case) -> str:
    return "、".join(
        f"{r.department.name}{'（牵头）' if r.lead and len(case.routes.all()) > 1 else ''}"
        for r in case.routes.all()
    )


def _time(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}" if value else ""


class Colours:
    """The deadline colours of one page of rows: today and the county warning windows read once."""

    def __init__(self) -> None:
        self.today = timezone.localdate()
        self.warn = warn_days_by_county(self.today)

    def status(self, case: Case) -> str:
        return deadline_status(case, self.today, self.warn)


class CaseTable(tables.Table):
    receipt_no = tables.Column(verbose_name="受理编号", linkify=True)
    kind = tables.Column(verbose_name="类型")
    title = tables.Column(verbose_name="问题/事项", linkify=True)
    org = tables.Column(accessor="org__name", verbose_name="所属组织", order_by=("org__path",))
    township = tables.Column(
        accessor="township__name", verbose_name="乡镇", order_by=("township__path",), default="—"
    )
    state = tables.Column(verbose_name="状态", order_by=("kind", "state"))
    owner = tables.Column(
        accessor="owner__real_name", verbose_name="责任人", order_by=("owner__real_name",), default="—"
    )
    deadline = tables.DateColumn(format="Y-m-d", verbose_name="时限", default="—")
    level = tables.Column(verbose_name="层级")
    departments = tables.Column(empty_values=(), verbose_name="派单部门", orderable=False)
    opened_on = tables.DateColumn(format="Y-m-d", verbose_name="立项日期")

    class Meta:
        model = Case
        fields = [
            "receipt_no",
            "kind",
            "title",
            "org",
            "township",
            "state",
            "owner",
            "deadline",
            "level",
            "departments",
            "opened_on",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "cases"}
        row_attrs = {"data-receipt": lambda record: record.receipt_no}
        empty_text = "没有符合条件的案件。"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.colours = Colours()

    def render_kind(self, record):
        return record.get_kind_display()

    def render_state(self, record):
        css = "status-green" if record.is_closed else ""
        return format_html('<span class="{}">{}</span>', css, record.state_label)

    def value_state(self, record):
        return record.state_label

    def render_owner(self, record):
        return record.owner.display_name if record.owner_id else "—"

    def render_deadline(self, record, value):
        status = self.colours.status(record)
        if not status:
            return f"{value:%Y-%m-%d}"
        return format_html(
            '<span class="{}" data-status="{}" title="{}">{}</span>',
            CSS[status],
            status,
            NOTE[status],
            f"{value:%Y-%m-%d}",
        )

    def render_level(self, record):
        return record.get_level_display()

    def render_departments(self, record):
        return _departments(record) or "—"

    def value_departments(self, record):
        return _departments(record)


class CaseLedgerTable(tables.Table):
    """The usual ledger columns (问题台账) for Excel; rows come annotated with `n_supervised`."""

    seq = tables.Column(empty_values=(), verbose_name="序号", orderable=False)
    receipt_no = tables.Column(verbose_name="受理编号")
    kind = tables.Column(verbose_name="类型")
    category = tables.Column(accessor="category__name", verbose_name="类别", default="")
    source = tables.Column(verbose_name="来源")
    org = tables.Column(accessor="org__name", verbose_name="所属村(社区)")
    township = tables.Column(accessor="township__name", verbose_name="乡镇", default="")
    title = tables.Column(verbose_name="问题/事项")
    measures = tables.Column(verbose_name="整改措施", default="")
    owner = tables.Column(empty_values=(), verbose_name="责任人")
    co_owners = tables.Column(empty_values=(), verbose_name="协办人")
    deadline = tables.DateColumn(format="Y-m-d", verbose_name="时限", default="")
    state = tables.Column(verbose_name="状态")
    acceptor = tables.Column(empty_values=(), verbose_name="验收人")
    accepted_at = tables.Column(empty_values=(), verbose_name="验收时间")
    closed_at = tables.Column(empty_values=(), verbose_name="销号时间")
    late = tables.Column(empty_values=(), verbose_name="是否逾期")
    n_supervised = tables.Column(verbose_name="督办次数", default=0)
    reopen_count = tables.Column(verbose_name="重新打开次数")
    grid = tables.Column(accessor="grid__name", verbose_name="网格", default="")
    departments = tables.Column(empty_values=(), verbose_name="派单部门")

    class Meta:
        model = Case
        fields: list[str] = []
        sequence = [
            "seq",
            "receipt_no",
            "kind",
            "category",
            "source",
            "org",
            "township",
            "title",
            "measures",
            "owner",
            "co_owners",
            "deadline",
            "state",
            "acceptor",
            "accepted_at",
            "closed_at",
            "late",
            "n_supervised",
            "reopen_count",
            "grid",
            "departments",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self.counter = itertools.count(1)

    def value_seq(self, record):
        return next(self.counter)

    def value_kind(self, record):
        return record.get_kind_display()

    def value_source(self, record):
        return record.get_source_display()

    def value_measures(self, record):
        return record.measures

    def value_owner(self, record):
        return record.owner.display_name if record.owner_id else ""

    def value_co_owners(self, record):
        return _names(record.co_owners.all())

    def value_deadline(self, record):
        return f"{record.deadline:%Y-%m-%d}" if record.deadline else ""

    def value_state(self, record):
        return record.state_label

    def value_acceptor(self, record):
        who = record.accepted_by if record.accepted_by_id else record.acceptor
        return who.display_name if who else ""

    def value_accepted_at(self, record):
        return _time(record.accepted_at)

    def value_closed_at(self, record):
        return _time(record.closed_at)

    def value_late(self, record):
        return "是" if is_late(record, self.today) else "否"

    def value_departments(self, record):
        return _departments(record)


class CategoryTable(tables.Table):
    county = tables.Column(accessor="county__name", verbose_name="县", order_by=("county__path",))
    kind = tables.Column(verbose_name="类型")
    name = tables.Column(verbose_name="类别", linkify=("case-category-edit", [tables.A("pk")]))
    deadline_days = tables.Column(verbose_name="整改/办理时限（天）", default="本县默认")
    answer_days = tables.Column(verbose_name="报到响应时限（天）", default="本县默认")
    solve_days = tables.Column(verbose_name="办结时限（天）", default="本县默认")
    departments = tables.Column(empty_values=(), verbose_name="默认派单部门", orderable=False)
    archived_at = tables.Column(empty_values=(), verbose_name="状态", orderable=False)

    class Meta:
        model = Category
        fields = [
            "county",
            "kind",
            "name",
            "deadline_days",
            "answer_days",
            "solve_days",
            "departments",
            "archived_at",
        ]
        sequence = fields
        attrs = TABLE_ATTRS | {"data-testid": "categories"}
        empty_text = "没有案件类别。"

    def render_kind(self, record):
        return record.get_kind_display()

    def value_departments(self, record):
        return "、".join(d.name for d in record.departments.all())

    def render_departments(self, record):
        return self.value_departments(record) or "—"

    def value_archived_at(self, record):
        return "已停用" if record.archived_at else "在用"
