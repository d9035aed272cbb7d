"""The compliance table of one org and period — its children as rows, a rule per column — shared by
the page, its Excel export and the API, so all three show the same numbers."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse

from . import rules as R
from .compliance import Cell, Compliance, OrgResult, Period

STATE_LABELS = {
    "overdue": "未完成（已过期）",
    "due_soon": "即将到期",
    "pending": "进行中",
    "met": "已完成",
    "none": "不适用",
}
STATE_CSS = {
    "overdue": "table-danger",
    "due_soon": "table-warning",
    "pending": "",
    "met": "table-success",
    "none": "text-muted",
}
UNIT_WORDS = {"week": "周", "month": "个月", "quarter": "个季度", "year": "年"}


def meeting_list_url() -> str:
    """The meeting list of the recording pages, "" while it does not exist."""
    try:
        return reverse("meeting-list")
    except NoReverseMatch:
        return ""


def evidence_url(base: str, org_id: int, ob: R.Obligation, period: Period) -> str:
    """The meetings behind a cell: the held ones of that kind and period on the meeting list."""
    if not base:
        return ""
    first = period.buckets(ob.period)[0][0] if ob.period != period.kind else period.start
    query = {
        "org": org_id,
        "kind": ob.kind,
        "status": "held",
        "date_from": f"{first:%Y-%m-%d}",
        "date_to": f"{period.end:%Y-%m-%d}",
    }
    return f"{base}?{urlencode(query)}"


@dataclass
class CellView:
    code: str
    kind: str
    text: str
    state: str
    required: int | None
    meetings: int
    due: int
    met: int
    own: bool
    ids: list[int]
    url: str
    hint: str

    @property
    def css(self) -> str:
        return STATE_CSS[self.state]

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]

    def export_text(self) -> str:
        if self.state in ("overdue", "due_soon"):
            return f"{self.text}（{self.state_label}）"
        return self.text


@dataclass
class RowView:
    org_id: int
    name: str
    kind: str
    kind_label: str
    role: str  # child, self (the org's own obligations), total
    due: int
    met: int
    present: int
    expected: int
    cells: list[CellView] = field(default_factory=list)
    drill: bool = False

    @property
    def held_rate(self) -> float | None:
        return self.met / self.due if self.due else None

    @property
    def attendance_rate(self) -> float | None:
        return self.present / self.expected if self.expected else None

    @property
    def held_pct(self) -> str:
        return percent(self.held_rate)

    @property
    def attendance_pct(self) -> str:
        return percent(self.attendance_rate)


@dataclass
class Table:
    result: Compliance
    org: OrgResult
    columns: list[R.Obligation]
    rows: list[RowView]

    def headers(self) -> list[str]:
        return [
            "组织",
            "类型",
            "会议完成率",
            "参会率",
            *(column_title(o, self.result.period) for o in self.columns),
        ]

    def export_rows(self):
        for row in self.rows:
            yield [
                row.name,
                row.kind_label,
                percent(row.held_rate),
                percent(row.attendance_rate),
                *(c.export_text() for c in row.cells),
            ]


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def column_title(ob: R.Obligation, period: Period) -> str:
    if ob.period == period.kind:
        return ob.title
    return f"{ob.title}（按{R.PERIOD_UNITS[ob.period]}）"


def _cell_view(cell: Cell | None, ob: R.Obligation, period: Period, url: str) -> CellView:
    if cell is None or (not cell.due and not cell.own):
        return CellView(ob.code, ob.kind, "—", "none", None, 0, 0, 0, False, [], "", "不适用")
    if cell.own and ob.period == period.kind:
        text = f"{cell.meetings}/{cell.required}"
        hint = f"已召开{cell.meetings}次，应至少{cell.required}次"
    elif cell.own:
        text = f"{cell.met}/{cell.due}"
        unit = UNIT_WORDS[ob.period]
        hint = f"{cell.due}{unit}中{cell.met}{unit}已召开（共{cell.meetings}次）"
    else:
        text = f"{cell.met}/{cell.due}"
        hint = f"应完成{cell.due}项，已完成{cell.met}项（共召开{cell.meetings}次）"
    return CellView(
        ob.code,
        ob.kind,
        text,
        cell.state,
        cell.required if cell.own else None,
        cell.meetings,
        cell.due,
        cell.met,
        cell.own,
        list(cell.ids) if cell.own else [],
        url,
        hint,
    )


def build(result: Compliance, org_id: int) -> Table:
    """Rows: the org's children (drillable), its own obligations (本级) if it has any beside theirs, and
    the total; an org without children is its own single row."""
    org = result.orgs[org_id]
    kids = result.children(org_id)
    columns = result.columns([org])
    base = meeting_list_url()
    period = result.period

    def row(o: OrgResult, role: str, name: str) -> RowView:
        own = role == "self" and bool(kids)
        cells = o.own if own else None
        view = RowView(
            o.id,
            name,
            o.kind,
            o.kind_label,
            role,
            o.own_due if own else o.due,
            o.own_met if own else o.met,
            o.own_present if own else o.present,
            o.own_expected if own else o.expected,
            drill=role == "child" and bool(result.children(o.id)),
        )
        for ob in columns:
            cell = cells.get(ob.code) if cells is not None else o.cell(ob.code)
            view.cells.append(_cell_view(cell, ob, period, evidence_url(base, o.id, ob, period)))
        return view

    if not kids:
        return Table(result, org, columns, [row(org, "self", org.name)])
    rows = [row(k, "child", k.name) for k in kids]
    if org.own:
        rows.append(row(org, "self", f"{org.name}（本级）"))
    rows.append(row(org, "total", f"{org.name} 合计"))
    return Table(result, org, columns, rows)


def as_data(table: Table, today: datetime.date) -> dict:
    """The table as plain data (the API's answer)."""
    period = table.result.period
    return {
        "org": {"id": table.org.id, "name": table.org.name, "kind": table.org.kind},
        "period": {
            "key": period.key,
            "label": period.label,
            "kind": period.kind,
            "start": period.start,
            "end": period.end,
            "closed": period.closed(today),
        },
        "warning_days": table.result.window.for_path(table.org.path),
        "rules": [
            {
                "code": o.code,
                "kind": o.kind,
                "title": column_title(o, period),
                "value": o.rule.value,
                "unit": o.rule.unit,
                "per": o.period,
                "source": o.rule.source,
                "article": o.rule.article,
            }
            for o in table.columns
        ],
        "rows": [
            {
                "org_id": r.org_id,
                "name": r.name,
                "kind": r.kind,
                "role": r.role,
                "due": r.due,
                "met": r.met,
                "held_rate": r.held_rate,
                "present": r.present,
                "expected": r.expected,
                "attendance_rate": r.attendance_rate,
                "cells": [
                    {
                        "rule": c.code,
                        "kind": c.kind,
                        "state": c.state,
                        "text": c.text,
                        "required": c.required,
                        "meetings": c.meetings,
                        "due": c.due,
                        "met": c.met,
                        "meeting_ids": c.ids,
                        "evidence_url": c.url,
                    }
                    for c in r.cells
                ],
            }
            for r in table.rows
        ],
    }
